# What each step of a web login costs in PostgreSQL, counted by PostgreSQL
# itself (log_statement = all, for the length of this file): POST /login
# issues the code and counts its limits, the SMS's caps among them, in one
# round trip (the fake Twilio sends it); GET /verify reads
# the code in one; POST /verify is a transaction of one check and one write
# (BEGIN, check, wrong or right, COMMIT). A login over a limit is one round
# trip too, which stores nothing and leaves the code before it alive.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Time::HiRes ();

use SmsCloud::Test qw(db_query fake_reset pg_log_statements pg_log_mark pg_statements_since);
use SmsCloud::Web qw(:all);

plan tests => 18, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $PHONE = '+15551350001';
END { local $?; eval { pg_log_statements(0) } }

fake_reset();
fresh_limits();
forget_phones($PHONE);

# a first login opens the rate-limit windows and the pooled connections
log_in(browser(), $PHONE);

pg_log_statements(1);

# The statements httpd ran for one request; PostgreSQL writes its log
# through the collector, so give it a moment after the answer.
sub statements_of
{
    my ($request) = @_;
    my $from = pg_log_mark();
    my $res = $request->();
    Time::HiRes::sleep(0.3);
    return ($res, map { $_->[1] } pg_statements_since($from));
}

sub names { return join '', map { /execute (\S+?):|statement: (\S+)/ ? '  ' . ($1 // $2) . "\n" : $_ } @_ }

my $ua = browser();
my $page = $ua->get(url('/login'));
my $sms_global = q{SELECT coalesce(sum(hits), 0) FROM rate_counters WHERE bucket = 'sms-global:all'};
my $sent_before = db_query($sms_global);
my ($res, @st) = statements_of(sub { post_form($ua, '/login', csrf => csrf_of($page),
                                                phone => $PHONE) });
is($res->code, 303, 'POST /login: a code');
is(scalar @st, 1, 'POST /login: 1 round trip') or diag(names(@st));
like($st[0] // '', qr/execute smscloud_code_issue:/, '... the code issued');
is(db_query($sms_global), $sent_before + 1, '... which counted the SMS against its caps');
my $code = code_for($PHONE);

($res, @st) = statements_of(sub { $ua->get(url('/verify')) });
is($res->code, 200, 'GET /verify: the form');
is(scalar @st, 1, 'GET /verify: 1 round trip') or diag(names(@st));
my $csrf = csrf_of($res);

my $wrong = sprintf '%06d', ($code + 1) % 1000000;
($res, @st) = statements_of(sub { post_form($ua, '/verify', csrf => $csrf, code => $wrong) });
is($res->code, 400, 'POST /verify, a wrong code: refused');
is(scalar @st, 4, 'POST /verify, a wrong code: 4 round trips') or diag(names(@st));
is(db_query(q{SELECT attempts_left FROM login_codes WHERE phone = :'v1'}, $PHONE), 4,
   '... which cost the code an attempt');

($res, @st) = statements_of(sub { post_form($ua, '/verify', csrf => $csrf, code => $code) });
is($res->code, 303, 'POST /verify, the right code: logged in');
is(scalar @st, 4, 'POST /verify, the right code: 4 round trips') or diag(names(@st));
is($ua->get(url('/connect'))->code, 200, '... and the session opens /connect');

# ---------------------------------------------------------------- over a limit
my $before = browser();
ask_code($before, $PHONE);
my $live = code_for($PHONE);
db_query(q{UPDATE rate_counters SET hits = 100 WHERE bucket = 'login-phone:' || :'v1'}, $PHONE);
($res, @st) = statements_of(sub { ask_code(browser(), $PHONE) });
is($res->code, 429, 'POST /login over a limit: refused');
is(scalar @st, 1, 'POST /login over a limit: 1 round trip') or diag(names(@st));
is(db_query(q{SELECT max(hits) FROM rate_counters WHERE bucket = 'login-phone:' || :'v1'},
            $PHONE), 101, '... which counted');
is(db_query(q{SELECT count(*) FROM login_codes WHERE phone = :'v1'}, $PHONE), 1,
   '... and stored no code');
is(enter_code($before, $live)->code, 303, '... nor killed the code before it');

pg_log_statements(0);

is(db_query(q{SELECT count(*) FROM pg_stat_activity
              WHERE application_name <> 'psql' AND state = 'idle in transaction'}), 0,
   'no connection is left in a transaction');
