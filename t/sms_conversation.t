# A whole SMS conversation against the fake Kloudless and fake Twilio:
# ls, cd, ls, more, get, send, cd .., pwd, reset, with exact replies.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use MIME::Base64 ();

use SmsCloud::Test qw(db_query fake_reset fake_requests fake_messages);
use SmsCloud::Sms qw(:all);

plan tests => 55, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ME = '+15550001001';
my $FRIEND = '+15559876543';
my $TOP = 'Dropbox (alice@example.com)';

fake_reset();
fresh_phone($ME, accounts => [
    ['kloudless', '1234567890', 'dropbox', $TOP],
    ['kloudless', '2222222222', 'gdrive', 'Google Drive (bob@example.com)'],
]);
sub say { my ($body) = @_; return say_ok($body, from => $ME) }

is(say('ls'), "1 $TOP\n2 Google Drive (bob\@example.com)", 'ls at the top lists accounts');
is(say('cd 1'), "1 Documents/\n2 Photos/\n3 notes.txt (1.2 KB)",
   'cd into an account lists its root at once: folders first, sizes for files');
is(say('  LS '), "1 Documents/\n2 Photos/\n3 notes.txt (1.2 KB)", 'ls says the same');

my $page1 = say('cd 2');
my @lines = split /\n/, $page1;
my ($left) = $lines[-1] =~ /^\(reply MORE for (\d+) more\)$/;
ok(defined $left, 'a long listing ends with the MORE footer') or diag($page1);
is($lines[0], '1 IMG_0001.jpg (97.7 KB)', 'first photo, numbered from 1');
my $shown = @lines - 1;
is($shown + $left, 500, 'shown + left = 500');
my $page2 = say('more');
like($page2, qr/\A${\($shown + 1)} IMG_0*${\($shown + 1)}\.jpg /, 'more continues with the next number');
is(state_of($ME)->{next_index} > $shown, 1, 'next_index moved on');

is(say('get 3'), 'IMG_0003.jpg: https://dl.example.test/l/lnk_1', 'get gives name and link');
my ($link) = grep { $_->{method} eq 'POST' } @{ fake_requests('kloudless') };
is($link->{path}, '/v1/accounts/1234567890/storage/links', 'link made in the right account');
is($link->{json}{file_id}, 'file_img_0003', 'link for the right file');

is(say("send 4 $FRIEND"), "Sent IMG_0004.jpg to $FRIEND.", 'send confirms to the sender');
my $msgs = fake_messages();
is(scalar @$msgs, 1, 'one SMS went out');
is($msgs->[0]{to}, $FRIEND, 'to the recipient');
is($msgs->[0]{from}, '+15557654321', 'from our number');
is($msgs->[0]{body},
   'SMS Cloud Test: +155******01 sent you a link to IMG_0004.jpg: https://dl.example.test/l/lnk_2',
   'recipient text names the service, a redacted sender, the file and the link');
my ($out) = grep { $_->{path} =~ /Messages\.json$/ } @{ fake_requests('twilio') };
is($out->{method}, 'POST', 'Twilio REST call is a POST');
is($out->{path}, '/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json',
   'to the account\'s Messages.json');
is($out->{headers}{authorization},
   'Basic ' . MIME::Base64::encode_base64('AC00000000000000000000000000000001:' . $TOKEN, ''),
   'basic auth with SID and token');
is_deeply([sort keys %{ $out->{form} }], [qw(Body From To)], 'form fields To, From, Body only');
is($out->{form}{To}[0], $FRIEND, 'form To');

is(say('cd ..'), "1 Documents/\n2 Photos/\n3 notes.txt (1.2 KB)",
   'cd .. goes up one folder and lists it');
is(say('pwd'), "You are in /$TOP.", 'pwd shows the path by names');
is(say('cd docu'), qq{1 Archive/\n2 a&b<c>"q'.txt (10 B)\n3 report.pdf (2.4 MB)},
   'cd by the beginning of a name; an XML-special name arrives intact after parsing');
is(say('get report.pdf'), 'report.pdf: https://dl.example.test/l/lnk_3', 'get by name');
is(say('pwd'), "You are in /$TOP/Documents.", 'pwd two levels deep');
is(say('reset'), 'OK, back to the top. Send LS to list it.', 'reset');
is(say('pwd'), 'You are at the top, with your accounts. Send LS to list them.', 'pwd at top');
my $st = state_of($ME);
is($st->{account_ref}, '', 'state: no account after reset');
is_deeply($st->{folders}, [], 'state: no folders after reset');
is(say('cd ..'), 'You are at the top already. Send LS to list it.', 'cd .. at top');
is(say('cd 2'), 'Send LS first, then use the numbers it shows.', 'cd before ls');
say('ls');
is(say('cd 2'), '1 todo.md (42 B)', 'second account, its root at once');
is(say('cd ..'), "1 $TOP\n2 Google Drive (bob\@example.com)",
   'cd .. from an account root goes to the top and lists the accounts');
is(say('cd google'), '1 todo.md (42 B)', 'an account by the beginning of its name');
