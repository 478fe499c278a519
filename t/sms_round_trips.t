# What each text message costs in PostgreSQL, counted by PostgreSQL itself
# (log_statement = all, for the length of this file): one round trip to
# load and one to store for the commands that only read storage, at most
# three for any of the commands below, and the pooled connection gives the
# phone's lock back every time.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);

use SmsCloud::Test qw(db_query fake_reset pg_log_statements pg_log_mark pg_statements_since);
use SmsCloud::Sms qw(:all);

plan tests => 34, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ME = '+15550007001';
my $FRIEND = '+15559876543';

fake_reset();
fresh_phone($ME, accounts => [['kloudless', '1234567890', 'dropbox', 'Dropbox (alice)']]);

END { local $?; eval { pg_log_statements(0) } }

# a rate-limit window's first send also clears the bucket's old windows:
# open the window before counting
say_ok($_, from => $ME) for ('ls', "send 3 $FRIEND");

pg_log_statements(1);

# each message: its sid, and the statements that ran for it (those of the
# connection that loaded it, from its load to the next load)
# (one account only: the top is its root)
my @cases = (['ls', 2, qr/^1 Documents/], ['cd 1', 2, qr/^1 Archive/], ['ls', 2, qr/^1 Archive/],
             ['pwd', 2, qr/^You are in/], ['get 3', 2, qr/^report\.pdf: http/],
             ['more', 2, qr/^That was the whole list/],
             # send: its rate limits (send, sms-prefix, sms-global) are
             # counted by the load; the third is the SMS itself (the outbox)
             ["send 3 $FRIEND", 3, qr/^Sent report\.pdf/], ['cd ..', 2, qr/^1 Documents/],
             ['get notes', 2, qr/^notes\.txt: http/]);
my %sid_of;
my $from = pg_log_mark();
for my $c (@cases) {
    my $sid = new_sid();
    $sid_of{$sid} = $c;
    like(say_ok($c->[0], from => $ME, sid => $sid), $c->[2], "'$c->[0]' answered");
}
# a replayed delivery: one round trip
my ($replayed) = keys %sid_of;
say_ok('anything', from => $ME, sid => $replayed);

my @st = pg_statements_since($from);
# every statement belongs to the message whose load came last
my (%count, %loads, $current);
for my $s (@st) {
    my ($pid, $text) = @$s;
    if ($text =~ /execute smscloud_sms_load:.*?\$1 = '(SM[0-9a-f]{32})'/s) {
        $current = $1;
        $loads{$current}++;
    }
    $count{$current}++ if defined $current;
}
for my $sid (sort { $sid_of{$a}[0] cmp $sid_of{$b}[0] } keys %sid_of) {
    my ($body, $want) = @{ $sid_of{$sid} };
    # the replay's own load counts apart
    my $n = ($count{$sid} // 0) - ($loads{$sid} // 1) + 1;
    cmp_ok($n, '<=', $want, "'$body': $n round trips (at most $want)");
}
is($loads{$replayed}, 2, 'the replayed delivery was loaded once more (one round trip)');
is(scalar(grep { $_->[1] =~ /smscloud_sms_store/ } @st), scalar @cases,
   'one store per message, none for the replay');
my @other = grep { $_->[1] !~ /smscloud_sms_(load|store)|smscloud_rate_|smscloud_outbox/ } @st;
is(scalar @other, 0, 'nothing else ran') or diag(join '', map { $_->[1] } @other);

pg_log_statements(0);

# the lock went back to the pool with every connection: no advisory lock
# is left behind
is(db_query(q{SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'}), 0,
   'no phone lock is left held');
