# The module talks to the live database through mod_dbd: /health reads
# schema_version on every request, answers 503 while PostgreSQL is down and
# recovers, without an httpd restart, once it is back.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use SmsCloud::Test qw(db_query pg_start pg_stop);
use Time::HiRes ();

plan tests => 13, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $phone = '+15550000001';
my $pg_stopped = 0;

# whatever happens here, leave the database as the next test file expects it
END {
    local $?;
    pg_start() if $pg_stopped;
    eval {
        db_query('DELETE FROM schema_version WHERE version = 99');
        db_query(q{DELETE FROM phones WHERE phone = :'v1'}, $phone);
    };
}

sub health { my $r = GET '/health'; return ($r->code, $r->content // '') }

# Poll /health until it answers $want (up to $secs seconds); the last answer.
sub health_until
{
    my ($want, $secs) = @_;
    my $deadline = Time::HiRes::time() + $secs;
    my ($code, $body);
    while (1) {
        ($code, $body) = health();
        return ($code, $body) if $code == $want || Time::HiRes::time() > $deadline;
        Time::HiRes::sleep(0.25);
    }
}

ok(eval { db_query(q{INSERT INTO phones (phone) VALUES (:'v1')}, $phone); 1 },
   'insert a phone with psql') or diag($@);
is(db_query(q{SELECT count(*) FROM phones WHERE phone = :'v1'}, $phone), 1,
   '... and read it back');

# what schema/upgrade.sh brought the test database to
my $version = db_query('SELECT max(version) FROM schema_version');

my ($code, $body) = health();
is($code, 200, '/health is 200');
like($body, qr/\bschema $version\b/, "/health shows schema $version");

ok(eval { db_query('INSERT INTO schema_version (version) VALUES (99)'); 1 },
   'record a schema version 99') or diag($@);
($code, $body) = health();
like($body, qr/\bschema 99\b/, '/health reads the live row: schema 99')
    or diag("$code $body");
db_query('DELETE FROM schema_version WHERE version = 99');
($code, $body) = health();
like($body, qr/\bschema $version\b/, "... and schema $version once it is gone")
    or diag("$code $body");

ok(pg_stop(), 'stop PostgreSQL');
$pg_stopped = 1;
($code, $body) = health();
is($code, 503, '/health is 503 while the database is down') or diag($body);

ok(pg_start(), 'start PostgreSQL again');
$pg_stopped = 0;

# Pooled connections cut by the restart may fail a request each before the
# pools are fresh again; the service has to come back on its own.
($code, $body) = health_until(200, 15);
is($code, 200, '/health is 200 again without an httpd restart') or diag($body);

my $streak = 0;
my $deadline = Time::HiRes::time() + 15;
while ($streak < 5 && Time::HiRes::time() < $deadline) {
    ($code) = health();
    $streak = $code == 200 ? $streak + 1 : 0;
}
is($streak, 5, '... and stays up: 5 answers 200 in a row');

ok(eval { db_query(q{DELETE FROM phones WHERE phone = :'v1'}, $phone); 1 },
   'remove the test phone') or diag($@);
