# The schema the module needs (SC_SCHEMA_VERSION) against the database it
# finds. A database older than that is refused: 503 and one SC01006 line
# naming schema/upgrade.sh, with no httpd restart needed once it has run.
# And a populated version-1 database (schema/smscloud.sql plus rows, as a
# first release left it) is brought up to date by schema/upgrade.sh,
# keeping its rows, after which a whole conversation runs on it.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use Time::HiRes ();

use SmsCloud::Test qw(db_query fake_reset error_log_mark error_log_since);

sub top_dir { SmsCloud::Test::top_dir() }
sub slurp { SmsCloud::Test::slurp(@_) }
use SmsCloud::Sms qw(:all);

plan tests => 19, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $LIVE = $ENV{PGDATABASE};
my $OLD = "${LIVE}_v1";
my $SAVED = "${LIVE}_saved";
my $ME = '+15550009001';
my $TOP = 'Dropbox (alice@example.com)';

my ($NEEDED) = slurp(top_dir() . '/mod_smscloud/mod_smscloud_dbd.h')
    =~ /^#define SC_SCHEMA_VERSION (\d+)$/m;
ok($NEEDED, "the module needs schema version $NEEDED");

# psql against another database of the cluster
sub db_in { my ($db, @q) = @_; local $ENV{PGDATABASE} = $db; return db_query(@q) }

sub health { my $r = GET '/health'; return ($r->code, $r->content // '') }

sub health_until
{
    my ($want, $secs) = @_;
    my $deadline = Time::HiRes::time() + $secs;
    my ($code, $body);
    do {
        ($code, $body) = health();
        return ($code, $body) if $code == $want;
        Time::HiRes::sleep(0.25);
    } while (Time::HiRes::time() < $deadline);
    return ($code, $body);
}

# httpd's pooled connections go, so that the next request opens (and checks)
# a fresh one; ALTER DATABASE needs them gone too.
my $CUT = q{SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname IN (:'v1', :'v2') AND pid <> pg_backend_pid()};

sub cut_connections { db_in('postgres', $CUT, $LIVE, $OLD) }

# Rename databases (pairs of from => to), retrying while a terminated
# backend has not quite gone yet.
sub rename_dbs
{
    my @pairs = @_;
    my $sql = join '', map { qq{ALTER DATABASE "$pairs[$_]" RENAME TO "$pairs[$_ + 1]";\n} }
                       grep { $_ % 2 == 0 } 0 .. $#pairs;
    for my $try (1 .. 40) {
        cut_connections();
        return 1 if eval { db_in('postgres', $sql); 1 };
        Time::HiRes::sleep(0.25);
    }
    diag($@);
    return 0;
}

my $swapped = 0;
my $negated = 0;
END {
    local $?;
    eval {
        db_query('UPDATE schema_version SET version = -version WHERE version < 0') if $negated;
        rename_dbs($LIVE => $OLD, $SAVED => $LIVE) if $swapped;
        db_in('postgres', qq{DROP DATABASE IF EXISTS "$OLD"});
        cut_connections();
    };
    diag("cleanup: $@") if $@;
}

# ---------------------------------------------------------------- refused
# The live database made older than the module needs (the steps from that
# version on hidden; at version 1 that leaves no version at all).
my $mark = error_log_mark();
my ($code) = health();
is($code, 200, '/health is 200 on the up-to-date database');
my $newest = db_query('SELECT max(version) FROM schema_version');
db_query('UPDATE schema_version SET version = -version WHERE version >= :v1', $NEEDED);
$negated = 1;
cut_connections();
my $body;
($code, $body) = health_until(503, 10);
is($code, 503, '/health is 503 once the database is older than the module needs');
my $login = GET '/login';
is($login->code, 503, 'a page that needs the database is 503 too');
my @refused = grep { /SC01006/ } error_log_since($mark);
ok(@refused, 'an SC01006 line says why') or diag(error_log_since($mark));
like($refused[0] // '', qr{\[smscloud:error\].*needs version $NEEDED: run schema/upgrade\.sh},
     '... naming the version needed and schema/upgrade.sh');

db_query('UPDATE schema_version SET version = -version WHERE version < 0');
$negated = 0;
($code, $body) = health_until(200, 10);
is($code, 200, '/health is 200 again once the version is back, without a restart')
    or diag($body);

# ---------------------------------------------------------------- upgrade
# A version-1 database with a verified phone, its accounts and a
# conversation half-way (in a folder, with a listing).
db_in('postgres', qq{DROP DATABASE IF EXISTS "$OLD"});
db_in('postgres', qq{CREATE DATABASE "$OLD"});
db_in($OLD, slurp(top_dir() . '/schema/smscloud.sql'));
db_in($OLD, q{INSERT INTO phones (phone, verified_at) VALUES (:'v1', now())}, $ME);
db_in($OLD, q{INSERT INTO accounts (phone, provider, account_id, service, display_name)
              VALUES (:'v1', 'kloudless', '1234567890', 'dropbox', :'v2'),
                     (:'v1', 'kloudless', '2222222222', 'gdrive', 'Google Drive (bob)')},
      $ME, $TOP);
my $ref = db_in($OLD, q{SELECT min(id) FROM accounts});
db_in($OLD, q{INSERT INTO sms_state (phone, account_ref, folders, listing, next_index)
              VALUES (:'v1', :'v2', '[]', '[]', 0)}, $ME, $ref);
is(db_in($OLD, 'SELECT max(version) FROM schema_version'), 1, 'a populated version-1 database');

ok(rename_dbs($LIVE => $SAVED, $OLD => $LIVE), 'httpd now finds the version-1 database');
$swapped = 1;
if ($NEEDED > 1) {
    $mark = error_log_mark();
    ($code) = health_until(503, 10);
    is($code, 503, 'refused before the upgrade');
    like(join('', error_log_since($mark)),
         qr{SC01006: the database schema is version 1, this module needs version $NEEDED: run schema/upgrade\.sh},
         '... with a line naming the versions and the upgrade command');
}
else {
    pass('version 1 is what the module needs: nothing to refuse') for 1 .. 2;
}

my $out = `sh '@{[top_dir()]}/schema/upgrade.sh' 2>&1`;
is($?, 0, 'schema/upgrade.sh upgrades it') or diag($out);
like($out, qr/schema: at version $newest\b/, "... to version $newest, as the live one")
    or diag($out);
is(db_query(q{SELECT count(*) FROM accounts WHERE phone = :'v1'}, $ME), 2,
   'its accounts are still there');

($code, $body) = health_until(200, 10);
is($code, 200, '/health is 200 on the upgraded database') or diag($body);
fake_reset();
sub text
{
    my ($body) = @_;
    my $res = sms(body => $body, from => $ME);
    return 'HTTP ' . $res->code unless $res->code == 200;
    return (sms_reply($res))[0] // '';
}
is(text('pwd'), "You are in /$TOP.", 'the conversation goes on where it was');
is(text('ls'), "1 Documents/\n2 Photos/\n3 notes.txt (1.2 KB)", 'ls in the account');
is(text('get 3'), 'notes.txt: https://dl.example.test/l/lnk_1', 'get gives a link');
is(text('cd ..'), "1 $TOP\n2 Google Drive (bob)", 'cd .. to the top, which it lists');
