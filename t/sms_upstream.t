# Whatever storage sends or fails to send: names that would break XML,
# timeouts, errors and garbage give a plain reply within Twilio's budget
# and leave the conversation state as it was.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use MIME::Base64 ();
use Time::HiRes ();

use SmsCloud::Test qw(db_query fake_reset fake_requests fake_script fake_messages);
use SmsCloud::Sms qw(:all);

plan tests => 80, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ME = '+15550004001';
my $TOP = 'Dropbox (alice)';
my $DOWN = 'Storage is not answering, try again.';

fake_reset();
fresh_phone($ME, accounts => [['kloudless', '1234567890', 'dropbox', $TOP]]);
sub say { my ($body, %a) = @_; return say_ok($body, from => $ME, %a) }

# ---------------------------------------------------------------- names
my @files = (
    [ f_amp   => 'a&b.txt' ],
    [ f_tags  => '<script>alert(1)</script>.txt' ],
    [ f_quote => qq{say "hi" it's.txt} ],
    [ f_cdata => ']]>end.txt' ],
    [ f_ctl   => "ctl\x01\x02\x1f\x7f.txt" ],
    [ f_nl    => "two\nlines\r.txt" ],
    [ f_emoji => "smile \x{1F600}.txt" ],
);
my @tree = map { { id => $_->[0], name => $_->[1], type => 'file', size => 1 } } @files;
push @tree, { id => 'f_bad', name_b64 => MIME::Base64::encode_base64("bad\xff\xfe.txt", ''),
              type => 'file', size => 1 };
push @tree, { id => 'd_cdata', name => ']]><x>', type => 'folder' };
fake_script(kloudless => { tree => { '1234567890' => {
    root => \@tree,
    d_cdata => [ { id => 'f_in', name => 'inner & <b>.txt', type => 'file', size => 1 } ],
} } });

# one account only: the top is its root
my @lines = split /\n/, say('ls');
is(scalar @lines, 9, 'nine entries, none split by a newline in a name');
is($lines[0], '1 ]]><x>/', 'folder with ]]> and a tag, first, intact');
my %names = map { /^\d+ (.*) \(1 B\)$/ ? ($1 => 1) : () } @lines[1 .. 8];
for my $want ('a&b.txt', '<script>alert(1)</script>.txt', qq{say "hi" it's.txt},
              ']]>end.txt', 'ctl.txt', 'two lines .txt', "smile \x{1F600}.txt",
              "bad\x{FFFD}\x{FFFD}.txt") {
    ok($names{$want}, "listed as text: $want") or diag(join "\n", @lines);
}
my ($n_bad) = map { /^(\d+) bad/ ? $1 : () } @lines;
is(say("get $n_bad"), "bad\x{FFFD}\x{FFFD}.txt: https://dl.example.test/l/lnk_1",
   'get on the invalid UTF-8 name');
is(say('cd 1'), '1 inner & <b>.txt (1 B)', 'cd into ]]><x> lists it');
is(say('pwd'), "You are in /$TOP/]]><x>.", 'pwd with ]]>');
is(scalar(split /\n/, say('cd ..')), 9, 'back up, listed again');
fake_reset();

# ---------------------------------------------------------------- failures
say('ls');
my $before = state_of($ME);

# Each failure: the reply, the time taken, the state afterwards.
sub fails_plainly
{
    my ($what, $script, $body, $reply, $max_s) = @_;
    fake_script(kloudless => $script);
    my $sid = new_sid();
    my $t0 = Time::HiRes::time();
    is(say($body, sid => $sid), $reply, "$what: plain reply");
    my $took = Time::HiRes::time() - $t0;
    ok($took < $max_s, sprintf "$what: answered in %.1f s (< %d s)", $took, $max_s);
    is_deeply(state_of($ME), $before, "$what: state unchanged");
    fake_script(kloudless => { map { ($_ => undef) } qw(status body delay down truncate paths times) });
    return $sid;
}

# SmsCloudHttpTimeout is 3 s in the tests; Twilio gives up after 15 s.
my $hung = fails_plainly('hang past the timeout',
                         { delay => 6, paths => '/contents', times => 1 }, 'ls', $DOWN, 6);
fails_plainly('500', { status => 500, paths => '/contents' }, 'ls', $DOWN, 3);
fails_plainly('503', { status => 503, paths => '/contents' }, 'ls', $DOWN, 3);
fails_plainly('429', { status => 429, paths => '/contents' }, 'ls', $DOWN, 5);
fails_plainly('truncated JSON', { truncate => JSON::PP::true(), paths => '/contents' }, 'ls', $DOWN, 3);
fails_plainly('not JSON', { body => '<html>oops</html>', paths => '/contents' }, 'ls', $DOWN, 3);
fails_plainly('connection closed', { down => JSON::PP::true(), paths => '/contents' }, 'ls', $DOWN, 3);
fails_plainly('401', { status => 401, paths => '/contents' }, 'ls',
              'The storage account refused access. Connect it again at ' . public_url()
              . '/connect.', 3);
fails_plainly('404', { status => 404, paths => '/contents' }, 'ls',
              'That is no longer there. Send CD .. to go up or RESET to start over.', 3);

# The replay record keeps the failure's reply: a Twilio retry of the same
# delivery is answered the same way; the user sends the command again.
is(say('ls', sid => $hung), $DOWN, 'the failed message, replayed, is answered as before');
is_deeply(state_of($ME), $before, 'and changes nothing');
is(say('ls'), "1 Documents/\n2 Photos/\n3 notes.txt (1.2 KB)", 'a new message works again');
$before = state_of($ME);

# link and send failures
fails_plainly('link 500', { status => 500, paths => '/links' }, 'get 3', $DOWN, 3);
fails_plainly('link hang', { delay => 6, paths => '/links', times => 1 }, 'get 3', $DOWN, 6);
fails_plainly('link not JSON', { body => 'nope', paths => '/links' }, 'send 3 +15559876543', $DOWN, 3);
is(scalar @{ fake_messages() }, 0, 'no SMS without a link');

# libcurl sends a request again on a fresh connection when a reused one
# turns out closed: the fake closes both
fake_script(twilio => { down => JSON::PP::true(), times => 2 });
is(say('send 3 +15559876543'),
   'Could not send to +15559876543: the SMS service is not answering, try again.',
   'Twilio unreachable: plain words');
fake_script(twilio => { down => undef, status => 500, times => 1 });
is(say('send 3 +15559876543'),
   'Could not send to +15559876543: the SMS service is not answering, try again.',
   'Twilio 500: plain words');
fake_script(twilio => { status => 429, times => 1 });
is(say('send 3 +15559876543'),
   'Could not send to +15559876543: too many messages, try again later.',
   'Twilio 429: plain words');
