# A login's statements find their rows through the phone's index even on a
# young database. PostgreSQL plans an unanalysed table as a few pages, and
# PL/pgSQL keeps a session's plan: a statement planned as a sequential
# scan then reads the whole table on every login until autovacuum's first
# ANALYZE (schema step 019). Each check runs the login functions in one
# transaction against fresh, never-analysed temporary copies of the tables
# they delete from (a temporary table comes first in the search path), and
# reads PostgreSQL's own scan counts for that transaction.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);

use SmsCloud::Test qw(db_query);

plan tests => 4, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $LOGINS = 20;

# The scans of each temporary table that $calls made, after $setup
# (creating a table's indexes scans it too, before either).
sub scans_of
{
    my ($setup, $calls) = @_;
    my $count = q{SELECT :'tag', relname, seq_scan, idx_scan FROM pg_stat_xact_all_tables
                   WHERE relid IN ('pg_temp.login_codes'::regclass,
                                   'pg_temp.login_failures'::regclass);};
    my %scans;
    for my $row (db_query(<<"SQL", $LOGINS)) {
BEGIN;
CREATE TEMP TABLE login_codes (LIKE public.login_codes INCLUDING ALL) ON COMMIT DROP;
CREATE TEMP TABLE login_failures (LIKE public.login_failures INCLUDING ALL) ON COMMIT DROP;
$setup
\\set tag before
$count
$calls
\\set tag after
$count
ROLLBACK;
SQL
        my ($tag, $table, $seq, $idx) = @$row;
        next unless defined $idx && $tag =~ /^(before|after)$/;
        my $sign = $tag eq 'after' ? 1 : -1;
        $scans{$table}{seq} += $sign * $seq;
        $scans{$table}{idx} += $sign * $idx;
    }
    return \%scans;
}

my $phone = q{'+1555137' || lpad(CAST(i AS text), 4, '0')};
my $issue = <<"SQL";
SELECT count(*) FROM generate_series(1, :'v1') AS i,
       LATERAL smscloud_code_issue($phone, 'plan-attempt-' || i, 'plan-hash', 300, 3,
                                   '', '', false, 'plan-origin', 3600, '', '', '') AS x;
SQL

my $issued = scans_of('', $issue);
is($issued->{login_codes}{seq}, 0, "$LOGINS new codes: no sequential scan of login_codes");
cmp_ok($issued->{login_codes}{idx}, '>=', $LOGINS, '... each deleted the older codes through an index');

my $right = scans_of($issue, <<"SQL");
SELECT count(*) FROM generate_series(1, :'v1') AS i,
       LATERAL smscloud_code_right('plan-attempt-' || i, 3600, 'plan-session-' || i,
                                   'plan-csrf', 3600, 86400) AS x;
SQL
is($right->{login_failures}{seq}, 0,
   "$LOGINS right codes: no sequential scan of login_failures");
cmp_ok($right->{login_failures}{idx}, '>=', $LOGINS,
       '... each forgot its failures through an index');
