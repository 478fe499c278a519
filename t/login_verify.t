# /verify's rules: attempts per code, failures counted for the phone, expiry,
# single use, binding to the login attempt, a new code killing the old,
# and one success among concurrent checks.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(db_query fake_reset);
use SmsCloud::Web qw(:all);

plan tests => 26, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $phone = '+15551240001';
fake_reset();
fresh_limits();
forget_phones($phone);

sub wrong { my ($c) = @_; return sprintf '%06d', ($c + 1) % 1000000 }
# a page without its per-browser CSRF token
sub page { (my $c = $_[0]->decoded_content) =~ s/name="csrf" value="[^"]*"/name="csrf"/; return $c }
sub failed_checks { return db_query(q{SELECT COALESCE(SUM(failures), 0) FROM login_failures
                                      WHERE phone = :'v1'}, $phone) }

# ---------------------------------------------------------------- attempts
my $ua = browser();
ask_code($ua, $phone);
my $code = code_for($phone);
my $res = enter_code($ua, wrong($code));
is($res->code, 400, 'a wrong code is 400');
like($res->decoded_content, qr/Wrong code\. 4 attempts left\./, '... and says how many attempts are left');
is(failed_checks(), 1, '... and counts a failure for the phone');
enter_code($ua, wrong($code)) for 1 .. 3;
$res = enter_code($ua, wrong($code));
like($res->decoded_content, qr/no attempts left/, 'the 5th wrong code uses the last attempt');
$res = enter_code($ua, $code);
is($res->code, 400, 'after 5 wrong codes the right one is refused');
my $dead = page($res);
like($dead, qr/This code cannot be used any more/, '... with the generic refusal');
ok(!grep({ /smscloud_session=/ } set_cookies($res)), '... and no session');
is(failed_checks(), 5, 'the dead code does not count more failures');

# ---------------------------------------------------------------- success resets, single use
fresh_limits();
$ua = browser();
ask_code($ua, $phone);
$code = code_for($phone);
$res = enter_code($ua, $code);
is($res->code, 303, 'a new code works');
is(failed_checks(), 0, '... and success resets the failure count');
$res = post_form($ua, '/verify', csrf => csrf_of($ua->get(url('/login'))), code => $code);
is($res->code, 400, 'the used code again (attempt cookie gone): refused');
is(page($res), $dead, '... with the same refusal');
# replaying the attempt cookie too
my $ua2 = browser();
ask_code($ua2, $phone);
$code = code_for($phone);
my $attempt = cookie_of($ua2, 'smscloud_attempt');
enter_code($ua2, $code);
put_cookie($ua2, 'smscloud_attempt', $attempt);
$res = enter_code($ua2, $code);
is($res->code, 400, 'a used code with its attempt cookie replayed: refused');
is(page($res), $dead, '... with the same refusal');

# ---------------------------------------------------------------- expiry
$ua = browser();
ask_code($ua, $phone);
$code = code_for($phone);
db_query(q{UPDATE login_codes SET expires_at = now() - interval '1 second' WHERE phone = :'v1'}, $phone);
$res = enter_code($ua, $code);
is($res->code, 400, 'an expired code is refused even when right');
is(page($res), $dead, '... with the same refusal');
$ua = browser();
ask_code($ua, $phone);
$code = code_for($phone);
db_query(q{UPDATE login_codes SET expires_at = now() + interval '2 seconds' WHERE phone = :'v1'}, $phone);
is(enter_code($ua, $code)->code, 303, 'a code just before expiry still works');

# ---------------------------------------------------------------- bound to the attempt
my ($a, $b) = (browser(), browser());
ask_code($a, $phone);
my $code_a = code_for($phone);
$res = enter_code($b, $code_a);
is($res->code, 303, 'a browser without an attempt cookie is sent to /login');
is($res->header('Location'), '/login', '... (GET /verify)');
$res = post_form($b, '/verify', csrf => csrf_of($b->get(url('/login'))), code => $code_a);
is(page($res), $dead, "... and POSTing another attempt's code is refused");
fresh_limits();
ask_code($b, $phone);
my $code_b = code_for($phone);
$res = enter_code($a, $code_a);
is(page($res), $dead, 'a new code for the phone kills the older one');
$res = enter_code($a, $code_b);
is(page($res), $dead, "a code of another login attempt (same phone) is refused");
is(enter_code($b, $code_b)->code, 303, "... while its own attempt accepts it");

# ---------------------------------------------------------------- concurrency
fresh_limits();
$ua = browser();
ask_code($ua, $phone);
$code = code_for($phone);
my $page = $ua->get(url('/verify'));
my $csrf = csrf_of($page);
my $n = 10;
my $before = db_query('SELECT now()');
my @pids;
pipe(my $rd, my $wr) or die "pipe: $!";
for (1 .. $n) {
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        close $rd;
        my $r = post_form($ua, '/verify', csrf => $csrf, code => $code);
        syswrite $wr, $r->code . "\n";
        POSIX::_exit(0);
    }
    push @pids, $pid;
}
close $wr;
my @codes = map { chomp; $_ } <$rd>;
waitpid $_, 0 for @pids;
is(scalar(grep { $_ == 303 } @codes), 1, "$n concurrent checks of one code: exactly one succeeds")
    or diag("@codes");
is(scalar(grep { $_ == 400 } @codes), $n - 1, '... the others are refused');
is(db_query(q{SELECT count(*) FROM web_sessions WHERE phone = :'v1'
              AND created_at >= :'v2'}, $phone, $before), 1, '... and one session is made');

use POSIX ();
