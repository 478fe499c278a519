# PostgreSQL down: Twilio shows nothing for a non-200, so /sms answers 200
# with a polite "busy" reply (and a log line), and works again, without an
# httpd restart, once the database is back.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Time::HiRes ();

use SmsCloud::Test qw(db_query fake_reset pg_start pg_stop error_log_mark error_log_since);
use SmsCloud::Sms qw(:all);

plan tests => 8, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ME = '+15550007001';
my $BUSY = 'The service is busy, try again in a minute.';
my $pg_stopped = 0;
END { local $?; pg_start() if $pg_stopped }

fake_reset();
fresh_phone($ME, accounts => [['kloudless', '1234567890', 'dropbox', 'Dropbox (alice)']]);
my $ROOT = "1 Documents/\n2 Photos/\n3 notes.txt (1.2 KB)";
is(say_ok('ls', from => $ME), $ROOT, 'works while the database is up');

ok(pg_stop(), 'stop PostgreSQL');
$pg_stopped = 1;
my $mark = error_log_mark();
my $sid = new_sid();
is(say_ok('ls', from => $ME, sid => $sid), $BUSY, 'database down: 200 and a busy reply');
ok(scalar(grep { /SC0200[34]/ } error_log_since($mark)), 'and a log line');
ok(pg_start(), 'start PostgreSQL again');
$pg_stopped = 0;

# pooled connections cut by the restart may cost a request each
my $reply = '';
my $deadline = Time::HiRes::time() + 15;
while (Time::HiRes::time() < $deadline) {
    my $res = sms(body => 'ls', from => $ME, sid => $sid);
    ($reply) = $res->code == 200 ? (sms_reply($res), '') : ('');
    last if $reply ne $BUSY;
    Time::HiRes::sleep(0.25);
}
is($reply, $ROOT,
   'back without a restart; the busy answer was not kept as the reply to that sid');
