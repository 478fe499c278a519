# Bounded tables: rows past their lifetime and retention period are removed
# by the maintenance task inside httpd (mod_watchdog), in batches, while
# live ones stay. Its own httpd runs the task every second against the
# test database (the suite's server has SmsCloudMaintenanceInterval 0, so
# that nothing vanishes under the other tests).
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Temp ();
use Time::HiRes ();

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(db_query httpd_config_test);

plan tests => 20, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $top = SmsCloud::Test::top_dir();
my $files = File::Temp->newdir('smscloud-files.XXXXXX', TMPDIR => 1);
my $conf = <<EOF;
DBDriver pgsql
DBDParams "host=\${PGHOST} port=\${PGPORT} dbname=\${PGDATABASE} user=\${PGUSER}"
SmsCloudSecret "test-secret-0123456789abcdef0123456789abcdef"
SmsCloudPublicUrl http://127.0.0.1:8529
SmsCloudTwilioAuthToken test_auth_token_0123456789abcdef
SmsCloudSmsTransport outbox
SmsCloudProviders local
SmsCloudLocalRoot "$files"
SmsCloudTemplateDir "$top/htdocs"
SmsCloudMaintenanceInterval 1
SmsCloudRetainExpired 3600
SmsCloudRetainOutbox 86400
EOF

# Our rows are told apart by a prefix; OLD of each kind is more than two
# batches (500 rows each), so the task has to come back for the rest.
my $OLD = 1100;
my $phone = '+15550007001';
db_query(<<'SQL', $phone, $OLD);
INSERT INTO phones (phone, verified_at) VALUES (:'v1', now()) ON CONFLICT DO NOTHING;
INSERT INTO web_sessions (id_hash, phone, csrf_token, created_at, last_seen)
    SELECT 'maint-old-' || i, :'v1', 'x', now() - interval '3 days', now() - interval '3 days'
    FROM generate_series(1, :v2) i;
-- idle for 40 minutes: ended (SmsCloudSessionIdle 1800) but still retained
INSERT INTO web_sessions (id_hash, phone, csrf_token, created_at, last_seen) VALUES
    ('maint-retained', :'v1', 'x', now() - interval '1 hour', now() - interval '40 minutes'),
    ('maint-live', :'v1', 'x', now(), now());
INSERT INTO login_codes (attempt_hash, phone, code_hash, created_at, expires_at, attempts_left)
    SELECT 'maint-old-' || i, :'v1', 'h', now() - interval '3 days',
           now() - interval '3 days' + interval '10 minutes', 5
    FROM generate_series(1, :v2) i;
INSERT INTO login_codes (attempt_hash, phone, code_hash, expires_at, attempts_left)
    VALUES ('maint-live', :'v1', 'h', now() + interval '10 minutes', 5);
INSERT INTO oauth_states (state_hash, session_hash, provider, created_at)
    SELECT 'maint-old-' || i, 'maint', 'local', now() - interval '3 days'
    FROM generate_series(1, :v2) i;
INSERT INTO oauth_states (state_hash, session_hash, provider)
    VALUES ('maint-live', 'maint', 'local');
INSERT INTO processed_messages (message_sid, phone, processed_at)
    SELECT 'maint-old-' || i, :'v1', now() - interval '3 days'
    FROM generate_series(1, :v2) i;
INSERT INTO processed_messages (message_sid, phone) VALUES ('maint-live', :'v1');
INSERT INTO rate_counters (bucket, window_start, hits)
    SELECT 'maint-old-' || i, now() - interval '3 days', 1
    FROM generate_series(1, :v2) i;
INSERT INTO rate_counters (bucket, window_start, hits) VALUES ('maint-live', now(), 1);
INSERT INTO outbox (to_phone, from_sender, body, created_at)
    SELECT :'v1', 'maint', 'old', now() - interval '3 days'
    FROM generate_series(1, :v2) i;
INSERT INTO outbox (to_phone, from_sender, body) VALUES (:'v1', 'maint', 'live');
INSERT INTO login_failures (phone, origin, failures, last_failed_at)
    SELECT :'v1', 'maint-old-' || i, 3, now() - interval '3 days'
    FROM generate_series(1, :v2) i;
INSERT INTO login_failures (phone, origin, failures) VALUES (:'v1', 'maint-live', 1);
INSERT INTO api_keys (key_id, secret_sha256) VALUES ('maint', repeat('0', 64))
    ON CONFLICT DO NOTHING;
INSERT INTO otp_verifications (sid, api_key, service, lookup, phone, code_hash,
                               checks_left, expires_at)
    SELECT 'maint-old-' || i, 'maint', 'VA0', 'maint-old-' || i, :'v1', 'h', 5,
           now() - interval '3 days'
    FROM generate_series(1, :v2) i;
INSERT INTO otp_verifications (sid, api_key, service, lookup, phone, code_hash,
                               checks_left, expires_at)
    VALUES ('maint-live', 'maint', 'VA0', 'maint-live', :'v1', 'h', 5, now() + interval '10 minutes');
INSERT INTO accounts (phone, provider, account_id) VALUES (:'v1', 'local', 'maint')
    ON CONFLICT DO NOTHING;
INSERT INTO links (id_hash, account_ref, phone, file_id, expires_at)
    SELECT 'maint-old-' || i, a.id, :'v1', 'f', now() - interval '3 days'
    FROM accounts a, generate_series(1, :v2) i WHERE a.account_id = 'maint';
INSERT INTO links (id_hash, account_ref, phone, file_id, expires_at)
    SELECT 'maint-live', a.id, :'v1', 'f', now() + interval '1 hour'
    FROM accounts a WHERE a.account_id = 'maint';
SQL

my %count_sql = (
    web_sessions       => "SELECT count(*) FROM web_sessions WHERE id_hash LIKE 'maint-%'",
    login_codes        => "SELECT count(*) FROM login_codes WHERE attempt_hash LIKE 'maint-%'",
    oauth_states       => "SELECT count(*) FROM oauth_states WHERE state_hash LIKE 'maint-%'",
    processed_messages => "SELECT count(*) FROM processed_messages WHERE message_sid LIKE 'maint-%'",
    rate_counters      => "SELECT count(*) FROM rate_counters WHERE bucket LIKE 'maint-%'",
    outbox             => "SELECT count(*) FROM outbox WHERE from_sender = 'maint'",
    login_failures     => "SELECT count(*) FROM login_failures WHERE origin LIKE 'maint-%'",
    otp_verifications  => "SELECT count(*) FROM otp_verifications WHERE sid LIKE 'maint-%'",
    links              => "SELECT count(*) FROM links WHERE id_hash LIKE 'maint-%'",
);
my %left = (web_sessions => 2);    # the live and the retained one
sub counts { return { map { $_ => scalar db_query($count_sql{$_}) } keys %count_sql } }

my $before = counts();
is($before->{web_sessions}, $OLD + 2, "aged rows in place ($OLD of each kind)");

my $after;
my ($rc, $out) = httpd_config_test($conf, start => 1, while_up => sub {
    my $until = Time::HiRes::time() + 60;
    while (Time::HiRes::time() < $until) {
        $after = counts();
        last unless grep { $after->{$_} > ($left{$_} // 1) } keys %$after;
        Time::HiRes::sleep(0.5);
    }
});
is($rc, 0, 'the httpd running the maintenance task came up') or diag($out);

for my $table (sort keys %count_sql) {
    is($after->{$table}, $left{$table} // 1,
       "$table shrinks back to its live rows") or diag($out);
}
is(db_query("SELECT count(*) FROM web_sessions WHERE id_hash = 'maint-retained'"), 1,
   'an ended session within SmsCloudRetainExpired stays');
is(db_query("SELECT count(*) FROM login_codes WHERE attempt_hash = 'maint-live'"), 1,
   'a live code stays');
is(db_query("SELECT count(*) FROM outbox WHERE body = 'live'"), 1,
   'a new outbox row stays');

my @passes = ($out =~ /SC00050: maintenance: removed (\d+) rows/g);
ok(@passes >= 1, 'the task logs what it removed (SC00050)') or diag($out);
my @per_batch = ($out =~ /web_sessions (\d+)/g);
ok(!grep({ $_ > 500 } @per_batch), 'in batches of at most 500 rows per table')
    or diag($out);
ok(@per_batch >= 3, "... so that $OLD aged sessions took three of them") or diag($out);

my ($idle, $retain, $last) = @{ (db_query(
    'SELECT session_idle, expired_retention, last_pruned_at IS NOT NULL FROM maintenance'))[0] };
is($idle, 1800, 'the lifetimes the servers run with are stored (SmsCloudSessionIdle)');
is($retain, 3600, '... and the retention periods (SmsCloudRetainExpired)');
is($last, 't', '... and when it last ran');
