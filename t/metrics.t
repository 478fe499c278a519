# The smscloud-metrics handler: Prometheus text format (promtool agrees),
# counts that add up over every child and thread of a server and survive a
# graceful restart, and a real Prometheus scraping it.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use File::Temp ();
use HTTP::Tiny ();
use JSON::PP ();
use POSIX ();
use Time::HiRes ();

use SmsCloud::Host;
use SmsCloud::Services qw(free_port);
use SmsCloud::Test qw(crash_lines);

plan tests => 15, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $CLIENTS = 16;
my $EACH = 15;
my $HEALTH_OK = 'smscloud_http_requests_total{handler="health",code="2xx"}';

# Two children of four threads, never more or fewer: a child whose
# threads are all busy stops accepting, so the clients reach both.
my $host = SmsCloud::Host->start(mpm => {
    StartServers => 2, ServerLimit => 2, ThreadsPerChild => 4, MaxRequestWorkers => 8,
    MinSpareThreads => 4, MaxSpareThreads => 16,
});
my $http = HTTP::Tiny->new(timeout => 30, keep_alive => 0);

sub scrape
{
    my $res = $http->get($host->url('/metrics'));
    die "GET /metrics: $res->{status} $res->{reason}\n" unless $res->{status} == 200;
    return $res;
}

sub value_of
{
    my ($text, $series) = @_;
    return $text =~ /^\Q$series\E (\S+)$/m ? $1 : undef;
}

sub promtool_check
{
    my ($text) = @_;
    my $tmp = File::Temp->new;
    print $tmp $text;
    close $tmp;
    my $out = `promtool check metrics < $tmp 2>&1`;
    return ($? >> 8, $out);
}

my $first = scrape();
is($first->{headers}{'content-type'}, 'text/plain; version=0.0.4; charset=utf-8',
   'the exposition format content type');
my ($rc, $lint) = promtool_check($first->{content});
is($rc, 0, 'promtool check metrics passes') or diag($lint);
is(value_of($first->{content}, $HEALTH_OK), '0', 'a new server starts from zero');
my ($started) = $first->{content} =~ /^smscloud_metrics_start_time_seconds (\d+)$/m;
ok($started && abs($started - time) < 120, 'the start time gauge says when');

# Many clients at once, each request on a new connection.
my @kids;
for my $c (1 .. $CLIENTS) {
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        my $ua = HTTP::Tiny->new(timeout => 30, keep_alive => 0);
        my $ok = 0;
        for (1 .. $EACH) {
            $ok++ if $ua->get($host->url('/health'))->{status} == 200;
        }
        POSIX::_exit($ok);
    }
    push @kids, $pid;
}
my $answered = 0;
for (@kids) {
    waitpid $_, 0;
    $answered += $? >> 8;
}
is($answered, $CLIENTS * $EACH, 'every /health request was answered 200');
my @pids = $host->child_pids;
cmp_ok(scalar @pids, '>=', 2, 'more than one child served them') or diag("pids: @pids");

my $after = scrape()->{content};
is(value_of($after, $HEALTH_OK), $answered, 'the counter has every request of every child');
cmp_ok(value_of($after, 'smscloud_db_acquire_duration_seconds_count'), '>=', $answered,
       'each /health timed its connection acquire');
is(value_of($after, 'smscloud_http_request_duration_seconds_count{handler="health"}'),
   $answered, 'and its duration');

ok($host->graceful, 'a graceful restart');
my $restarted = scrape()->{content};
is(value_of($restarted, $HEALTH_OK), $answered, 'the counts survive it');
is(value_of($restarted, 'smscloud_metrics_start_time_seconds'), $started,
   'and so does the start time');

# A real Prometheus on loopback, scraping every second.
my $prom_dir = File::Temp->newdir('smscloud-prom.XXXXXX', TMPDIR => 1);
my $prom_port = free_port();
open my $cf, '>', "$prom_dir/prometheus.yml" or die $!;
printf $cf <<'YAML', $host->port;
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: smscloud
    metrics_path: /metrics
    static_configs:
      - targets: ['127.0.0.1:%d']
YAML
close $cf;
my $prom = fork // die "fork: $!";
if (!$prom) {
    open STDIN, '<', '/dev/null';
    open STDOUT, '>', "$prom_dir/prometheus.log";
    open STDERR, '>&', \*STDOUT;
    { exec 'prometheus', "--config.file=$prom_dir/prometheus.yml",
           "--storage.tsdb.path=$prom_dir/data", "--web.listen-address=127.0.0.1:$prom_port" }
    POSIX::_exit(127);
}
my $query = "http://127.0.0.1:$prom_port/api/v1/query?query="
          . 'smscloud_http_requests_total%7Bhandler%3D%22health%22%2Ccode%3D%222xx%22%7D';
my ($seen, $up);
my $deadline = time + 60;
while (time < $deadline) {
    my $res = $http->get($query);
    if ($res->{status} == 200) {
        my $data = eval { JSON::PP->new->decode($res->{content}) };
        my $r = $data && $data->{data}{result};
        if ($r && @$r) {
            $seen = $r->[0]{value}[1];
            last if $seen == $answered;
        }
    }
    Time::HiRes::sleep(0.5);
}
is($seen, $answered, 'Prometheus scraped the counter and its API returns it');
my $targets = $http->get("http://127.0.0.1:$prom_port/api/v1/targets");
($up) = ($targets->{content} // '') =~ /"health":"(\w+)"/;
is($up, 'up', 'the target is healthy to Prometheus')
    or diag(`tail -20 $prom_dir/prometheus.log`);
kill 'TERM', $prom;
waitpid $prom, 0;

$host->stop;
my @crashes = crash_lines(split /\n/, $host->error_log);
ok(!@crashes, 'no child of the second server crashed') or diag(join "\n", @crashes);
