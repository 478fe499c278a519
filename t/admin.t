# smscloud-admin against the test database: every command, its --help, the
# table and the --json output, and the clear refusals.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use JSON::PP ();
use POSIX ();

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(db_query);
use SmsCloud::Services ();

plan tests => 52, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ADMIN = SmsCloud::Test::top_dir() . '/admin/smscloud-admin';
local $ENV{SMSCLOUD_DB} = "dbname=$ENV{PGDATABASE}";
local $ENV{PSQL} = SmsCloud::Services::psql_bin();
my $JSON = JSON::PP->new;

# (exit code, stdout and stderr)
sub admin
{
    my @args = @_;
    pipe(my $r, my $w) or die "pipe: $!";
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        close $r;
        open STDIN, '<', '/dev/null';
        open STDOUT, '>&', $w;
        open STDERR, '>&', $w;
        { exec { $ADMIN } $ADMIN, @args }
        POSIX::_exit(127);
    }
    close $w;
    my $out = do { local $/; <$r> } // '';
    close $r;
    waitpid $pid, 0;
    return ($? >> 8, $out);
}

sub admin_json
{
    my ($rc, $out) = admin('--json', @_);
    my $data = eval { $JSON->decode($out) };
    diag("not JSON: $out") unless $data;
    return ($rc, $data);
}

# ---------------------------------------------------------------- help
{
    my ($rc, $out) = admin('help');
    is($rc, 0, 'help');
    like($out, qr/phones.*unlock.*logout.*remove-account.*key create.*outbox.*prune/s,
         '... lists every command');
    my @cmds = qw(phones unlock logout remove-account key outbox prune);
    my @ok = grep {
        my ($c, $o) = admin($_, '--help');
        $c == 0 && $o =~ /^usage: smscloud-admin \Q$_\E/m
    } @cmds;
    is_deeply(\@ok, \@cmds, 'every command has its --help');
    ($rc, $out) = admin('frobnicate');
    isnt($rc, 0, 'an unknown command fails');
    like($out, qr/no command 'frobnicate'/, '... saying so');
}

# ---------------------------------------------------------------- fixtures
my $p1 = '+15550008001';
my $p2 = '+15550008002';
db_query(<<'SQL', $p1, $p2);
DELETE FROM phones WHERE phone IN (:'v1', :'v2');
INSERT INTO phones (phone, verified_at, failed_checks) VALUES (:'v1', now(), 7), (:'v2', NULL, 0);
INSERT INTO accounts (phone, provider, account_id, display_name)
    VALUES (:'v1', 'local', 'admin-t-1', 'Files'), (:'v1', 'local', 'admin-t-2', 'More');
INSERT INTO web_sessions (id_hash, phone, csrf_token)
    VALUES ('admin-t-s1', :'v1', 'x'), ('admin-t-s2', :'v1', 'x');
INSERT INTO oauth_states (state_hash, session_hash, provider) VALUES ('admin-t-st', 'admin-t-s1', 'local');
INSERT INTO sms_state (phone) VALUES (:'v1');
SQL
my $has_failures = db_query("SELECT to_regclass('login_failures') IS NOT NULL") eq 't';
my $has_links = db_query("SELECT to_regclass('links') IS NOT NULL") eq 't';
db_query(<<'SQL', $p1, $p2) if $has_links;
INSERT INTO links (id_hash, account_ref, phone, file_id, expires_at)
    SELECT 'admin-t-l' || a.account_id, a.id, a.phone, 'f', now() + interval '1 hour'
    FROM accounts a WHERE a.phone = :'v1';
SQL
db_query("INSERT INTO login_failures (phone, origin, failures) VALUES (:'v1', '192.0.2.1', 4)", $p1)
    if $has_failures;

# ---------------------------------------------------------------- phones
{
    my ($rc, $out) = admin('phones');
    is($rc, 0, 'phones');
    like($out, qr/^\s*phone\s*\|\s*verified\s*\|\s*failures/m, '... a table with a header');
    like($out, qr/^\s*\Q$p1\E\s*\|.*\|\s*\d+:local \d+:local\s*\|\s*2\s*$/m,
         '... a row per phone with its accounts and sessions') or diag($out);
    like($out, qr/^\s*\Q$p2\E\s*\|\s*\|/m, '... an unverified phone has no verified time')
        or diag($out);

    my $rows;
    ($rc, $rows) = admin_json('phones', $p1);
    is($rc, 0, 'phones PHONE --json');
    is(scalar @$rows, 1, '... one phone');
    is($rows->[0]{phone}, $p1, '... the one asked for');
    is(scalar @{ $rows->[0]{accounts} }, 2, '... its accounts as a list');
    is($rows->[0]{sessions}, 2, '... its session count');
    is($rows->[0]{failures}, $has_failures ? 4 : 7, '... its wrong codes');

    ($rc, $out) = admin('phones', '5550008001');
    isnt($rc, 0, 'a phone not in E.164 form is refused');
    like($out, qr/not a phone number in E\.164 form/, '... saying so');
}

# ---------------------------------------------------------------- unlock
{
    my ($rc, $out) = admin('unlock', $p1);
    is($rc, 0, 'unlock') or diag($out);
    like($out, qr/unlocked \Q$p1\E/, '... says so');
    is(db_query("SELECT failed_checks FROM phones WHERE phone = :'v1'", $p1), 0,
       '... the wrong-code count is gone');
    is(db_query("SELECT count(*) FROM login_failures WHERE phone = :'v1'", $p1) // 0, 0,
       '... and the lock-out rows') if $has_failures;
    ok(1, '... (no login_failures table in this schema)') unless $has_failures;
    ($rc, $out) = admin('unlock', '+15550008999');
    isnt($rc, 0, 'unlock of an unknown phone fails');
    like($out, qr/no phone \+15550008999/, '... saying so');
}

# ---------------------------------------------------------------- logout
{
    my ($rc, $res) = admin_json('logout', $p1);
    is($rc, 0, 'logout --json');
    is($res->{sessions}, 2, '... two sessions ended');
    is(db_query("SELECT count(*) FROM web_sessions WHERE phone = :'v1'", $p1), 0,
       '... none left');
    is(db_query("SELECT count(*) FROM oauth_states WHERE state_hash = 'admin-t-st'"), 0,
       '... nor their connect attempts');
    is(db_query("SELECT count(*) FROM sms_state WHERE phone = :'v1'", $p1), 0,
       '... and the SMS conversation starts over');
    is(db_query("SELECT count(*) FROM accounts WHERE phone = :'v1'", $p1), 2,
       '... the accounts stay');
    is($res->{links}, $has_links ? 2 : 0, '... its download links ended');
    is($has_links ? db_query("SELECT count(*) FROM links WHERE phone = :'v1'", $p1) : 0, 0,
       '... none left');
}

# ---------------------------------------------------------------- remove-account
{
    my $id = db_query("SELECT id FROM accounts WHERE account_id = 'admin-t-1'");
    my ($rc, $out) = admin('remove-account', $p2, $id);
    isnt($rc, 0, "another phone's account is not removed");
    like($out, qr/has no account \Q$id\E/, '... saying so');
    ($rc, $out) = admin('remove-account', $p1, $id);
    is($rc, 0, 'remove-account') or diag($out);
    is(db_query("SELECT string_agg(account_id, ',') FROM accounts WHERE phone = :'v1'", $p1),
       'admin-t-2', '... only that account is gone');
}

# ---------------------------------------------------------------- keys
SKIP: {
    if (db_query("SELECT to_regclass('api_keys') IS NOT NULL") ne 't') {
        my ($rc, $out) = admin('key', 'list');
        isnt($rc, 0, 'key list without the api_keys table fails');
        like($out, qr/no api_keys table/, '... saying why');
        skip 'no api_keys table in this schema', 6;
    }
    db_query("DELETE FROM api_keys WHERE key_id = 'admin-t'");
    my ($rc, $res) = admin_json('key', 'create', 'admin-t', 'a test key');
    is($rc, 0, 'key create');
    like($res->{secret} // '', qr/^[0-9a-f]{64}$/, '... prints a 32-byte secret');
    is(db_query("SELECT secret_sha256 = encode(sha256(convert_to(:'v1', 'UTF8')), 'hex') "
                . "FROM api_keys WHERE key_id = 'admin-t'", $res->{secret}), 't',
       '... of which only the SHA-256 is stored');
    my $out;
    ($rc, $out) = admin('key', 'list');
    like($out, qr/^\s*admin-t\s*\|\s*a test key\s*\|/m, 'key list shows it');
    ($rc, $out) = admin('key', 'revoke', 'admin-t');
    is($rc, 0, 'key revoke');
    is(db_query("SELECT revoked_at IS NOT NULL FROM api_keys WHERE key_id = 'admin-t'"), 't',
       '... revokes it');
    ($rc, $out) = admin('key', 'create', 'admin-t');
    isnt($rc, 0, 'a second key with the same id is refused');
    like($out, qr/exists already/, '... saying so');
}

# ---------------------------------------------------------------- outbox
{
    db_query(<<'SQL', $p1, $p2);
INSERT INTO outbox (to_phone, from_sender, body) VALUES
    (:'v1', '+15557654321', 'admin-t one'), (:'v2', '+15557654321', 'admin-t two'),
    (:'v1', '+15557654321', 'admin-t three');
SQL
    my ($rc, $rows) = admin_json('outbox', '--to', $p1, '--limit', '2');
    is($rc, 0, 'outbox --to --limit --json');
    is_deeply([map { $_->{body} } @$rows], ['admin-t three', 'admin-t one'],
              '... newest first, only that phone, at most N');
    my $out;
    ($rc, $out) = admin('outbox', '--limit', '3');
    like($out, qr/^\s*id\s*\|\s*created\s*\|\s*to\s*\|\s*from\s*\|\s*body/m, 'outbox as a table');
    like($out, qr/admin-t two/, '... with every recipient');
}

# ---------------------------------------------------------------- prune
{
    # the lifetimes httpd's maintenance task would store (t/maintenance.t
    # shows that it does); then rows older than all of them
    db_query('SELECT smscloud_prune_settings(1800, 43200, 86400, 86400, 0, 3600, 86400)');
    db_query(<<'SQL', $p1);
INSERT INTO web_sessions (id_hash, phone, csrf_token, created_at, last_seen)
    SELECT 'admin-t-old-' || i, :'v1', 'x', now() - interval '2 days', now() - interval '2 days'
    FROM generate_series(1, 1200) i;
INSERT INTO outbox (to_phone, from_sender, body, created_at)
    VALUES (:'v1', 'admin-t', 'old', now() - interval '2 hours');
SQL
    my ($rc, $rows) = admin_json('prune');
    is($rc, 0, 'prune --json');
    my %removed = map { $_->{table} => $_->{removed} } @$rows;
    cmp_ok($removed{web_sessions} // 0, '>=', 1200, '... removed the aged sessions, over several batches');
    is(db_query("SELECT count(*) FROM web_sessions WHERE id_hash LIKE 'admin-t-old-%'"), 0,
       '... all of them');
    is(db_query("SELECT count(*) FROM outbox WHERE from_sender = 'admin-t'"), 0,
       '... and outbox rows past SmsCloudRetainOutbox');
    my $out;
    ($rc, $out) = admin('prune');
    like($out, qr/^table\s+removed$/m, 'prune as a table');
}
