# The wait after wrong codes (no permanent lock-out): it grows with the
# failures, ends by itself, weighs other clients' failures at 1/10, keeps
# codes from being texted to a client that must wait (with the usual
# page), counts an IPv6 client by its /64, and the operator can end it.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(db_query);
use SmsCloud::Web qw(:all);
use SmsCloud::Services ();
use JSON::PP ();

plan tests => 32, need need_module('mod_smscloud.c', 'mod_dbd.c');

use_vhost('smscloud_clients');
my $phone = '+15551270001';
my ($attacker, $owner) = ('198.51.100.7', '203.0.113.9');
fresh_limits();
forget_phones($phone);

# smscloud-admin --json ARGS, decoded
sub admin_json
{
    local $ENV{SMSCLOUD_DB} = "dbname=$ENV{PGDATABASE}";
    local $ENV{PSQL} = SmsCloud::Services::psql_bin();
    my $admin = SmsCloud::Test::top_dir() . '/admin/smscloud-admin';
    my $out = qx{"$admin" --json @_ </dev/null 2>&1};
    return eval { JSON::PP->new->decode($out) } // do { diag("smscloud-admin: $out"); undef };
}
sub client { my ($ip) = @_; my $ua = browser(); $ua->default_header('X-Test-Client' => $ip); return $ua }
sub wrong { my ($c) = @_; return sprintf '%06d', ($c + 1) % 1000000 }
sub sms_count { return db_query(q{SELECT count(*) FROM outbox WHERE to_phone = :'v1'}, $phone) }
sub age { db_query(q{UPDATE login_failures SET last_failed_at = last_failed_at - interval '31 seconds'
                     WHERE phone = :'v1'}, $phone) }
# one code, $n wrong entries; returns the browser and the code
sub fail_times
{
    my ($ip, $n) = @_;
    my $ua = client($ip);
    ask_code($ua, $phone);
    my $code = code_for($phone);
    enter_code($ua, wrong($code)) for 1 .. $n;
    return ($ua, $code);
}

# ---------------------------------------------------------------- a wait, not a lock
fail_times($attacker, 5);
my ($ua, $code) = fail_times($attacker, 1);
my $res = enter_code($ua, $code);
is($res->code, 429, 'after 6 wrong codes the right one must wait');
like($res->decoded_content, qr/Too many wrong codes.*wait 30 seconds/s, '... and the page says how long');
is($res->header('Retry-After'), 30, '... Retry-After too');
is(db_query(q{SELECT attempts_left FROM login_codes WHERE phone = :'v1'}, $phone), 4,
   '... the refused check is not counted against the code');
age();
$res = enter_code($ua, $code);
is($res->code, 303, 'once the wait is over the same code works: the lock ended by itself');
is(db_query(q{SELECT count(*) FROM login_failures WHERE phone = :'v1'}, $phone), 0,
   '... and success forgets the failures');

# ---------------------------------------------------------------- no codes texted while waiting
fresh_limits();
fail_times($attacker, 5);
fail_times($attacker, 2);
my $sms = sms_count();
my $normal = ask_code(client($owner), $phone);
is(sms_count(), $sms + 1, 'another client still gets its code texted');
$sms = sms_count();
$ua = client($attacker);
$res = ask_code($ua, $phone);
is($res->code, $normal->code, 'the waiting client gets the usual answer');
is($res->header('Location'), $normal->header('Location'), '... to the usual page');
ok(cookie_of($ua, 'smscloud_attempt'), '... with an attempt cookie as always');
is(sms_count(), $sms, '... but no SMS is sent');
$res = enter_code($ua, '123456');
is($res->code, 429, '... and its checks must wait');
is(db_query(q{SELECT failures FROM login_failures WHERE phone = :'v1'}, $phone), 6,
   '... a wrong code typed during the wait was not counted');

# ---------------------------------------------------------------- the owner is not locked out
fresh_limits();
$ua = client($owner);
ask_code($ua, $phone);
$res = enter_code($ua, code_for($phone));
is($res->code, 303, "a stranger's wrong codes do not keep the owner out");
is($res->header('Location'), '/connect', '... who is logged in');

# ---------------------------------------------------------------- weighed by origin
fresh_limits();
db_query(q{DELETE FROM login_failures WHERE phone = :'v1'}, $phone);
db_query(q{INSERT INTO login_failures (phone, origin, failures) VALUES (:'v1', '192.0.2.1', 30),
           (:'v1', '192.0.2.2', 29)}, $phone);
$ua = client($owner);
ask_code($ua, $phone);
is(enter_code($ua, wrong(code_for($phone)))->code, 400,
   "59 failures elsewhere count as 5: the owner's first wrong code is only wrong");
db_query(q{UPDATE login_failures SET failures = 30 WHERE phone = :'v1' AND origin = '192.0.2.2'},
         $phone);
is(enter_code($ua, code_for($phone))->code, 429,
   '60 elsewhere and 1 here count as 7: the owner waits too, for a while');
db_query(q{DELETE FROM login_failures WHERE phone = :'v1'}, $phone);

# ---------------------------------------------------------------- IPv6: the /64 is one client
fresh_limits();
fail_times('2001:db8:5:6::1', 5);
fail_times('2001:db8:5:6::1', 1);
$ua = client('2001:db8:5:6:ffff::2');
ask_code($ua, $phone);
is(enter_code($ua, code_for($phone))->code, 429, 'another address of the same /64 waits too');
is(db_query(q{SELECT origin FROM login_failures WHERE phone = :'v1'}, $phone), '2001:db8:5:6::/64',
   '... counted under the /64');
$ua = client('2001:db8:5:7::1');
ask_code($ua, $phone);
$code = code_for($phone);
is(enter_code($ua, $code)->code, 303, 'the next /64 does not');

# ---------------------------------------------------------------- the operator's unlock
fresh_limits();
($ua, $code) = fail_times($attacker, 5);
($ua, $code) = fail_times($attacker, 4);
is(enter_code($ua, $code)->code, 429, 'a client that must wait');
# 6 failures counted (those typed while waiting are not), 5 free: 30 s
my $left = db_query(q{SELECT CAST(extract(epoch FROM locked_until - now()) AS integer)
                      FROM login_failures WHERE phone = :'v1' AND origin = :'v2'}, $phone, $attacker);
ok($left > 0 && $left <= 30, "... its row says when its wait ends (in $left s of 30)");
my $shown = admin_json('phones', $phone);
ok($shown && $shown->[0]{locked_until}, '... and smscloud-admin phones shows it')
    or diag(explain($shown));
db_query(q{UPDATE login_failures SET failures = 12 WHERE phone = :'v1'}, $phone);
like(enter_code($ua, $code)->decoded_content, qr/wait 32 minutes/, '... after 12 failures 32 minutes');
db_query(q{UPDATE login_failures SET failures = 13 WHERE phone = :'v1'}, $phone);
like(enter_code($ua, $code)->decoded_content, qr/wait 1 hour/, '... after 13 the longest, 1 hour');
db_query(q{DELETE FROM login_failures WHERE phone = :'v1'}, $phone);
is(enter_code($ua, $code)->code, 303, 'the documented DELETE ends the wait at once');
fresh_limits();
fail_times($attacker, 5);
($ua, $code) = fail_times($attacker, 4);
is(enter_code($ua, $code)->code, 429, 'waiting again');
admin_json('unlock', $phone);
is(enter_code($ua, $code)->code, 303, '... smscloud-admin unlock ends it at once');
is(admin_json('phones', $phone)->[0]{locked_until}, undef, '... and phones shows no wait');

# ---------------------------------------------------------------- the old counter locks nothing
fresh_limits();
db_query(q{UPDATE phones SET failed_checks = 100 WHERE phone = :'v1'}, $phone);
$ua = client($owner);
ask_code($ua, $phone);
is(enter_code($ua, code_for($phone))->code, 303, 'phones.failed_checks no longer locks a phone');

# ---------------------------------------------------------------- days later
fresh_limits();
fail_times($attacker, 5);
($ua, $code) = fail_times($attacker, 4);
db_query(q{UPDATE login_failures SET last_failed_at = now() - interval '1 day 1 minute'
           WHERE phone = :'v1'}, $phone);
is(enter_code($ua, $code)->code, 303, 'failures a day old count no more');
fresh_limits();
fail_times($attacker, 1);
is(db_query(q{SELECT failures FROM login_failures WHERE phone = :'v1'}, $phone), 1,
   '... and a new failure starts the count afresh');
fresh_limits();
