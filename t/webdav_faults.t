# The WebDAV provider against a server that fails on purpose
# (t/fake/fakedav.py): slow, 500, 401, a malformed 207 and a 207 of 100,000
# entries. Connecting then stores nothing and says why on the page; a text
# message gets a plain reply, its state stays as it was, and one log line
# names the host and what failed.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);

use SmsCloud::Dav qw(:all);
use SmsCloud::Sms qw(state_of);
use SmsCloud::Test qw(db_query);
use SmsCloud::Web qw(:all);

my %CASES = (
    e500      => ['Storage is not answering, try again.', qr/SC05002: PROPFIND [\d.:]+ answered HTTP 500/],
    e401      => [qr{refused access\. Connect it again at http://\S+/connect\.}, qr/SC05002: PROPFIND [\d.:]+ answered HTTP 401/],
    slow      => ['Storage is not answering, try again.', qr/SC05001: PROPFIND [\d.:]+ failed: .*timed out/],
    malformed => ['Storage is not answering, try again.', qr/SC05201: PROPFIND [\d.:]+: a 207 that cannot be used/],
    huge      => ['Storage is not answering, try again.', qr/SC05001: PROPFIND [\d.:]+ failed: response larger than/],
);
my @MODES = sort keys %CASES;
plan tests => 3 + 4 * @MODES + 7, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $PASSWORD = 'fake-pass-Hq2!';
my $fake = fake_server($PASSWORD);
use_vhost('smscloud_webdav');
fresh_limits();
my ($PHONE, $OTHER) = ('+15551450001', '+15551450002');
for my $p ($PHONE, $OTHER) {
    db_query(q{DELETE FROM accounts WHERE phone = :'v1'}, $p);
    forget_phones($p);
}


my $ua = browser();
log_in($ua, $PHONE);
fake_mode($fake, 'ok');
is(connect_webdav($ua, $fake->{url}, 'dav', $PASSWORD)->code, 303, 'connected to the fake');
text($PHONE, 'reset');
is(text($PHONE, 'ls'), '1 a.txt (6 B)', 'ls lists it while it behaves');
my $state = state_of($PHONE);
ok($state, '... and a state is stored');

for my $mode (@MODES) {
    my ($reply, $logged) = @{ $CASES{$mode} };
    fake_mode($fake, $mode);
    my $mark = SmsCloud::Test::error_log_mark();
    my $t0 = time;
    my $got = text($PHONE, 'ls');
    my $took = time - $t0;
    if (ref $reply) { like($got, $reply, "$mode: a plain reply ($took s)") }
    else            { is($got, $reply, "$mode: a plain reply ($took s)") }
    is_deeply(state_of($PHONE), $state, "$mode: the state is as it was");
    my @lines = grep { /SC0500[12]|SC05201/ } SmsCloud::Test::error_log_since($mark);
    is(scalar(@lines), 1, "$mode: one line says what failed") or diag @lines;
    like($lines[0] // '', $logged, "$mode: ... naming the host and the failure");
}

fake_mode($fake, 'ok');
is(text($PHONE, 'ls'), '1 a.txt (6 B)', 'the next message after the trouble works again');

# connecting meets the same failures: nothing stored, the page says why
my $other = browser();
log_in($other, $OTHER);
fake_mode($fake, 'e401');
my $res = connect_webdav($other, $fake->{url}, 'dav', $PASSWORD);
is($res->code, 403, 'connect against a 401: refused');
fake_mode($fake, 'malformed');
$res = connect_webdav($other, $fake->{url}, 'dav', $PASSWORD);
is($res->code, 502, 'connect against a malformed 207: 502');
like($res->decoded_content, qr/no WebDAV folder at that address/, '... saying so');
fake_mode($fake, 'slow');
$res = connect_webdav($other, $fake->{url}, 'dav', $PASSWORD);
is($res->code, 502, 'connect against a server that does not answer: 502 (it timed out)');
$res = connect_webdav($other, 'https://', 'dav', $PASSWORD);
is($res->code, 400, 'a server address that is no URL: 400');
is(db_query(q{SELECT count(*) FROM accounts WHERE phone = :'v1'}, $OTHER), 0,
   'none of them stored anything');
fake_mode($fake, 'ok');
