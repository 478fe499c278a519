# Two messages from one phone at the same time (the phone's lock serialises
# them: the state ends as one of the two serial orders would leave it), and
# one delivery arriving twice at once (handled once).
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use JSON::PP ();
use POSIX ();
use Time::HiRes ();

use SmsCloud::Test qw(db_query fake_reset fake_requests fake_script fake_messages);
use SmsCloud::Sms qw(:all);

plan tests => 16, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ME = '+15550006001';
my $TOP = 'Dropbox (alice)';
my $ROOT_LS = "1 Documents/\n2 Photos/\n3 notes.txt (1.2 KB)";
fake_reset();
fresh_phone($ME, accounts => [['kloudless', '1234567890', 'dropbox', $TOP]]);

sub reply_of
{
    my (%a) = @_;
    my $res = sms(from => $ME, %a);
    return "HTTP " . $res->code unless $res->code == 200;
    my @m = eval { sms_reply($res) };
    return $@ ? "bad XML: $@" : (@m ? $m[0] : '');
}

# Run each [delay, %args] in its own process; the replies, in that order.
sub at_once
{
    my (@jobs) = @_;
    my @kids;
    for my $job (@jobs) {
        my ($delay, %args) = @$job;
        # here, not in the child: children share the parent's rand() state
        $args{sid} = new_sid() unless exists $args{sid};
        pipe(my $r, my $w) or die "pipe: $!";
        my $pid = fork // die "fork: $!";
        if (!$pid) {
            close $r;
            Time::HiRes::sleep($delay);
            Apache::TestRequest::user_agent(reset => 1);
            print $w JSON::PP->new->utf8->encode([reply_of(%args)]);
            close $w;
            POSIX::_exit(0);
        }
        close $w;
        push @kids, [$pid, $r];
    }
    my @out;
    for my $k (@kids) {
        my $fh = $k->[1];
        my $text = do { local $/; <$fh> };
        waitpid $k->[0], 0;
        push @out, defined $text && length $text ? JSON::PP->new->utf8->decode($text)->[0]
                                                 : 'no answer';
    }
    return @out;
}

# one account only: the top is its root
reply_of(body => 'ls');
is(reply_of(body => 'ls'), $ROOT_LS, 'in the account root');
my $v0 = state_of($ME)->{version};

# A slow `ls` holds the lock; a `cd 2` sent meanwhile must wait for it.
fake_script(kloudless => { delay => 1.5, paths => '/contents', times => 1 });
my ($ls, $cd) = at_once([0, body => 'ls'], [0.4, body => 'cd 2']);
is($ls, $ROOT_LS, 'the slow ls answered in full');
like($cd, qr/\A1 IMG_0001\.jpg /, 'the cd answered sanely, with the new folder listed');
my $st = state_of($ME);
is($st->{version}, $v0 + 2, 'both messages wrote the state, one after the other');
is_deeply([map { $_->{name} } @{ $st->{folders} }], ['Photos'], 'the cd was not lost');
is(scalar @{ $st->{listing} }, 500, 'the listing is what cd after ls leaves (the new folder\'s)');

# The same delivery twice at once: the second waits for the first's
# replay record and answers the same, with no second link or SMS.
reply_of(body => 'cd ..');
reply_of(body => 'ls');
fake_reset();
$v0 = state_of($ME)->{version};
fake_script(kloudless => { delay => 1, paths => '/links', times => 1 });
my $sid = new_sid();
my @r = at_once([0, body => 'send 3 +15559876543', sid => $sid],
                [0.3, body => 'send 3 +15559876543', sid => $sid]);
is($r[0], 'Sent notes.txt to +15559876543.', 'first delivery answered');
is($r[1], $r[0], 'concurrent duplicate answered the same');
is(scalar @{ fake_messages() }, 1, 'one SMS only');
is(state_of($ME)->{version}, $v0 + 1, 'state written once');

# Something holds the phone's lock longer than Twilio's budget allows (here
# a psql session, as a message stuck on its storage would): the message
# gives up waiting in time (14 s minus two SmsCloudHttpTimeout of 3 s = 8 s)
# and answers "busy", keeping nothing.
my $holder = fork // die "fork: $!";
if (!$holder) {
    db_query(q{SELECT pg_advisory_lock(smscloud_sms_lock_key(:'v1')); SELECT pg_sleep(11);},
             $ME);
    POSIX::_exit(0);
}
Time::HiRes::sleep(0.7);
$sid = new_sid();
my $t0 = Time::HiRes::time();
is(reply_of(body => 'pwd', sid => $sid), 'The service is busy, try again in a minute.',
   'state row locked too long: busy reply');
my $took = Time::HiRes::time() - $t0;
ok($took > 7 && $took < 10, sprintf 'after the lock wait (%.1f s), within the budget', $took);
waitpid $holder, 0;
is(db_query(q{SELECT count(*) FROM processed_messages WHERE message_sid = :'v1'}, $sid), 0,
   'the busy answer is not kept for that sid');
is(reply_of(body => 'pwd', sid => $sid), "You are in /$TOP.", 'its retry is handled normally');

# The store gives the phone's lock back before its transaction commits:
# the next load must wait for that commit and read what it wrote (schema
# step 015), here with the store held open in a psql session.
my ($first, $second) = (new_sid(), new_sid());
my $storer = fork // die "fork: $!";
if (!$storer) {
    db_query(q{SELECT count(*) FROM smscloud_sms_load(:'v2', :'v1', 1800, '5s', '', '', '');
               BEGIN;
               SELECT smscloud_sms_store(:'v2', :'v1', 'stored', true, NULL,
                                         '[{"id":"late","name":"Late"}]', NULL, 0);
               SELECT pg_sleep(2);
               COMMIT;}, $ME, $first);
    POSIX::_exit(0);
}
Time::HiRes::sleep(0.7);
$t0 = Time::HiRes::time();
my ($folders) = split /\n/, db_query(
    q{SELECT folders FROM smscloud_sms_load(:'v2', :'v1', 1800, '5s', '', '', '') LIMIT 1;
      SELECT smscloud_sms_unlock(:'v1');}, $ME, $second);
$took = Time::HiRes::time() - $t0;
waitpid $storer, 0;
ok($took > 0.8, sprintf 'the next load waited for the store to commit (%.1f s)', $took);
like($folders, qr/"Late"/, 'and read the state it stored');
