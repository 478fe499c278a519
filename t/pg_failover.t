# PostgreSQL fails over under load: a primary and a streaming standby
# (pg_basebackup -R), both listed in DBDParams with
# target_session_attrs=read-write. The primary stops, the standby is
# promoted; meanwhile every request gets a real answer, the polite "busy"
# TwiML or a 503, within the configured timeouts, and the service comes
# back by itself. Nothing committed is lost and no MessageSid counts twice.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use File::Path ();
use File::Temp ();
use HTTP::Request::Common ();
use JSON::PP ();
use LWP::UserAgent ();
use POSIX ();
use Time::HiRes ();

use SmsCloud::Host;
use SmsCloud::Services qw(free_port);
use SmsCloud::Test qw(db_query crash_lines);
use SmsCloud::Sms qw(:all);
use SmsCloud::Web qw(browser csrf_of);

plan tests => 13, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $BUSY = qr/busy, try again/;
my $WORKERS = 3;
my $LIMIT = 15;     # s: Twilio's 14 s budget bounds every wait of /sms
my $JSON = JSON::PP->new->utf8->canonical;
my $T0 = Time::HiRes::time();
sub phase { note(sprintf '%5.1f s: %s', Time::HiRes::time() - $T0, $_[0]) }

# ---------------------------------------------------------------- clusters

my $bin = SmsCloud::Services::pg_bindir();
my $dir = File::Temp::tempdir('smscloud-pg.failoverXXXXXX', DIR => '/tmp', CLEANUP => 0);
chmod 0755, $dir;
if ($> == 0) {
    my ($uid, $gid) = (getpwnam 'postgres')[2, 3];
    chown $uid, $gid, $dir;
}
my @as_pg = $> == 0 ? (SmsCloud::Services::runuser(), '-u', 'postgres', '--') : ();
my %primary = (data => "$dir/primary/data", bin => $bin, host => $dir, port => free_port());
my %standby = (data => "$dir/standby/data", bin => $bin, host => $dir, port => free_port());
for my $node ("$dir/primary", "$dir/standby") {
    mkdir $node, 0755 or die "mkdir $node: $!";
    chown((getpwnam 'postgres')[2, 3], $node) if $> == 0;
}

# Whatever happens (a test that dies too), the clusters go with us, not
# with the workers this process forks.
my $OWNER = $$;
END {
    if ($$ == $OWNER) {
        local $?;
        for my $node (\%standby, \%primary) {
            SmsCloud::Services::pg_ctl_stop(%$node) if -e "$node->{data}/postmaster.pid";
        }
        File::Path::remove_tree($dir) if $dir =~ m{^/tmp/smscloud-pg\.failover\w+$};
    }
}

sub run_pg { return SmsCloud::Services::run_logged($dir, "$dir/setup.log", @as_pg, @_) == 0 }

sub on
{
    my ($node, $sql, @bind) = @_;
    local @ENV{qw(PGHOST PGPORT)} = ('127.0.0.1', $node->{port});
    return db_query($sql, @bind);
}

run_pg("$bin/initdb", '-D', $primary{data}, '-A', 'trust', '-U', 'smscloud', '-E', 'UTF8',
       '--no-sync') or die('initdb failed');
SmsCloud::Services::pg_ctl_start(%primary) or die('primary did not start');
{
    local @ENV{qw(PGHOST PGPORT PGDATABASE PSQL)} = ('127.0.0.1', $primary{port},
                                                    'smscloud_test',
                                                    SmsCloud::Services::psql_bin());
    SmsCloud::Services::run_logged(undef, "$dir/setup.log", SmsCloud::Services::psql_bin(),
        '-X', '-q', '-d', 'postgres', '-c', 'CREATE DATABASE smscloud_test') == 0
        && SmsCloud::Services::run_logged(undef, "$dir/setup.log", 'sh',
                                          "$ENV{SMSCLOUD_TOP}/schema/upgrade.sh") == 0
        or die("schema: " . `tail -20 $dir/setup.log`);
}
run_pg("$bin/pg_basebackup", '-D', $standby{data}, '-R', '-X', 'stream', '-c', 'fast',
       '-h', '127.0.0.1',
       '-p', $primary{port}, '-U', 'smscloud') or die('pg_basebackup failed');
phase('clusters made');
ok(SmsCloud::Services::pg_ctl_start(%standby), 'a streaming standby runs beside the primary');
is(on(\%standby, 'SELECT pg_is_in_recovery()'), 't', 'it is in recovery (read-only)');

# ---------------------------------------------------------------- httpd

phase('standby up');
my $host = SmsCloud::Host->start(
    dbd_params => "host=127.0.0.1,127.0.0.1 port=$primary{port},$standby{port} "
                . "dbname=smscloud_test user=smscloud target_session_attrs=read-write "
                . "connect_timeout=2",
    conf => join("\n", 'SmsCloudRateLimit login-phone 100000 600',
                       'SmsCloudRateLimit login-phone-day 100000 86400',
                       'SmsCloudRateLimit login-ip 100000 3600',
                       # the logins' phones share one number block
                       'SmsCloudRateLimit sms-prefix 100000 3600',
                       'SmsCloudRateLimit sms-global 100000 3600'));
my $HP = $host->hostport;
my @phones = map { sprintf '+1555002%04d', $_ } 1 .. $WORKERS;
for my $i (0 .. $#phones) {
    on(\%primary, q{INSERT INTO phones (phone, verified_at) VALUES (:'v1', now())}, $phones[$i]);
    on(\%primary, q{INSERT INTO accounts (phone, provider, account_id, service, display_name)
                    VALUES (:'v1', 'kloudless', :'v2', 'dropbox', 'Dropbox')},
       $phones[$i], "failover$i");
}

sub send_sms
{
    my ($req) = @_;
    my $t0 = Time::HiRes::time();
    my $res = LWP::UserAgent->new(timeout => 60)->request($req->clone);
    my %r = (code => $res->code, elapsed => Time::HiRes::time() - $t0,
             internal => ($res->header('Client-Warning') // '') =~ /internal/i ? 1 : 0);
    if ($res->code == 200) {
        my @m = eval { sms_reply($res) };
        $r{kind} = $@ ? 'bad xml' : (@m && $m[0] =~ $BUSY) ? 'busy' : 'real';
    }
    return \%r;
}

sub sms_to_host
{
    my (%a) = @_;
    my $req = sms_request(%a);
    $req->uri("http://$HP/sms");
    return $req;
}

for my $p (@phones) {
    send_sms(sms_to_host(from => $p, body => 'reset'))->{kind} eq 'real'
        or die("no real reply before the failover");
}
my %v0 = map { ($_ => scalar on(\%primary, q{SELECT version FROM sms_state WHERE phone = :'v1'}, $_)) }
         @phones;

phase('httpd up, phones ready');
# ---------------------------------------------------------------- load

my $stop = "$dir/stop-load";
my @workers;
sub worker
{
    my ($name, $loop) = @_;
    my $out = "$dir/load-$name.json";
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        srand($$ ^ int(Time::HiRes::time() * 1000));   # sids of our own
        open my $fh, '>', $out or POSIX::_exit(1);
        $fh->autoflush(1);
        until (-e $stop) {
            print $fh $JSON->encode($_), "\n" for $loop->();
        }
        close $fh;
        POSIX::_exit(0);
    }
    push @workers, [$pid, $out];
}

# Each /sms worker is one phone sending RESET (one state write each); like
# Twilio, it delivers a message again while the answer is "busy" or 5xx.
for my $p (@phones) {
    worker("sms$p", sub {
        my $sid = new_sid();
        my $req = sms_to_host(from => $p, body => 'reset', sid => $sid);
        my (@tries, $give_up);
        while (1) {
            my $r = send_sms($req);
            push @tries, { %$r, sid => $sid, phone => $p };
            last if ($r->{kind} // '') eq 'real';
            # a message in hand is delivered before the worker stops
            $give_up //= Time::HiRes::time() + 20 if -e $stop;
            last if $give_up && Time::HiRes::time() > $give_up;
            Time::HiRes::sleep(0.1);
        }
        return @tries;
    });
}
my $WEB = '+15550029999';
worker('login', sub {
    my $ua = browser();
    my $t0 = Time::HiRes::time();
    my $res = $ua->get("http://$HP/login");
    if ($res->code == 200) {
        $res = $ua->request(HTTP::Request::Common::POST("http://$HP/login",
                                                        [csrf => csrf_of($res), phone => $WEB]));
    }
    Time::HiRes::sleep(0.05);
    return { code => $res->code, elapsed => Time::HiRes::time() - $t0, login => 1,
             internal => ($res->header('Client-Warning') // '') =~ /internal/i ? 1 : 0 };
});

phase('load started');
Time::HiRes::sleep(3);
SmsCloud::Services::pg_ctl_stop(%primary) or diag('primary did not stop cleanly');
Time::HiRes::sleep(2);
ok(run_pg("$bin/pg_ctl", '-D', $standby{data}, '-w', '-t', '30', 'promote'),
   'the standby is promoted');
Time::HiRes::sleep(5);
phase('promoted, load going on');
open my $sf, '>', $stop or die $!;
close $sf;

my (@sms, @logins);
for my $w (@workers) {
    waitpid $w->[0], 0;
    open my $fh, '<', $w->[1] or die "$w->[1]: $!";
    for (<$fh>) {
        my $r = $JSON->decode($_);
        push @{ $r->{login} ? \@logins : \@sms }, $r;
    }
}

phase('load over');
# ---------------------------------------------------------------- checks

my @odd = grep { $_->{code} != 200 && $_->{code} != 503 || $_->{internal}
                 || $_->{code} == 200 && $_->{kind} !~ /^(real|busy)$/ } @sms;
ok(!@odd, scalar(@sms) . ' webhooks: each a real reply, "busy" or 503')
    or diag($JSON->encode(\@odd));
my @bad_logins = grep { $_->{code} !~ /^(303|503)$/ || $_->{internal} } @logins;
ok(!@bad_logins, scalar(@logins) . ' logins: each a code sent or a 503')
    or diag($JSON->encode(\@bad_logins));
my ($slowest) = sort { $b <=> $a } map { $_->{elapsed} } @sms, @logins;
cmp_ok($slowest, '<', $LIMIT, "no request waited past the timeouts (slowest ${slowest}s)");
my $refused = grep { $_->{code} == 503 || ($_->{kind} // '') eq 'busy' } @sms, @logins;
cmp_ok($refused, '>', 0, "the window was felt: $refused answers were busy or 503");

my %last;
$last{$_->{phone}} = $_ for @sms;
is(scalar(grep { ($_->{kind} // '') eq 'real' } values %last), $WORKERS,
   'each phone was served again after the promotion, without an httpd restart');
is($logins[-1]{code}, 303, 'and so were logins');

my %applied = map { ($_->{sid} => $_->{phone}) } grep { ($_->{kind} // '') eq 'real' } @sms;
my @sids = sort keys %applied;
my $found = () = grep { $_ } map {
    scalar on(\%standby, q{SELECT 1 FROM processed_messages WHERE message_sid = :'v1'}, $_)
} @sids;
is($found, scalar @sids, scalar(@sids) . ' messages answered for real are all on the new primary');
my $writes = 0;
my $want = 0;
for my $p (@phones) {
    $writes += on(\%standby, q{SELECT version FROM sms_state WHERE phone = :'v1'}, $p) - $v0{$p};
    $want += grep { $applied{$_} eq $p } @sids;
}
is($writes, $want, 'each took effect exactly once, retried deliveries included');

is(send_sms(sms_to_host(from => $phones[0], body => 'reset'))->{kind}, 'real',
   'a message after the failover is handled');
my @crashes = crash_lines(split /\n/, $host->error_log);
ok(!@crashes, 'no child crashed') or diag(join "\n", @crashes);

$host->stop;
