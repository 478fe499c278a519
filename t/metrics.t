# The smscloud-metrics handler: Prometheus text format (promtool agrees),
# counts that add up over every child and thread of a server and survive a
# graceful restart, and a real Prometheus scraping it.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use File::Temp ();
use HTTP::Tiny ();
use JSON::PP ();
use LWP::UserAgent ();
use POSIX ();
use Time::HiRes ();

use SmsCloud::Host;
use SmsCloud::Services qw(free_port);
use MIME::Base64 qw(encode_base64);
use SmsCloud::Test qw(crash_lines db_query fake_messages);
use SmsCloud::Sms qw(sms_request new_sid);
use SmsCloud::Web qw(use_hostport browser ask_code code_for enter_code fresh_limits
                     forget_phones);

plan tests => 41, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $CLIENTS = 16;
my $EACH = 15;
my $HEALTH_OK = 'smscloud_http_requests_total{handler="health",code="2xx"}';

# Two children of four threads, never more or fewer: a child whose
# threads are all busy stops accepting, so the clients reach both.
# Its OTP APIs, in both wire formats, count as channel "api".
my $SERVICE = 'VA2222222222222222222222222222bbbb';
my $host = SmsCloud::Host->start(mpm => {
    StartServers => 2, ServerLimit => 2, ThreadsPerChild => 4, MaxRequestWorkers => 8,
    MinSpareThreads => 4, MaxSpareThreads => 16,
}, conf => <<"CONF");
SmsCloudVerifyService $SERVICE "Metrics" attempts=2
<Location /otp/twilio>
    SetHandler smscloud-verify-api
</Location>
<Location /otp/flowroute>
    SetHandler smscloud-flowroute-api
    SmsCloudFlowrouteService $SERVICE
</Location>
CONF
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

# What the handlers count, one event each, on this fresh server.
my $STRANGER = '+15550017001';
my $lwp = LWP::UserAgent->new(timeout => 30);
sub webhook_to_host
{
    my ($req) = @_;
    $req->uri($host->url('/sms'));
    return $lwp->request($req)->code;
}
my $ls = sms_request(from => $STRANGER, body => 'ls', sid => new_sid());
is(webhook_to_host($ls->clone), 200, 'an SMS from a phone without an account');
webhook_to_host($ls->clone);
my $forged = sms_request(from => $STRANGER, body => 'ls', signature => 'AAAA');
is(webhook_to_host($forged), 403, 'a forged one');
my $WEB = '+15550017002';
forget_phones($WEB);
fresh_limits();
use_hostport($host->hostport);
my $ua = browser();
ask_code($ua, $WEB);
enter_code($ua, '0000000');
enter_code($ua, code_for($WEB));

# the gate's login (a return address to a protected page): a wrong code,
# then the right one
my $GATE = '+15550017003';
forget_phones($GATE);
my $gua = browser();
my $login = $gua->get(SmsCloud::Web::url('/login?return=%2fgated%2fpage.html'));
SmsCloud::Web::post_form($gua, '/login', csrf => SmsCloud::Web::csrf_of($login),
                         phone => $GATE, return => '/gated/page.html');
enter_code($gua, '0000000');
my $gated = enter_code($gua, code_for($GATE));
is($gated->header('Location'), '/gated/page.html', 'a login through the gate');
use_hostport(undef);

# the OTP API: Verify sends, two wrong checks use up the attempts, a third
# is locked out; flowroute sends and approves
my ($API_TO, $FLOW_TO) = ('+15550017004', '+15550017005');
db_query(q{DELETE FROM api_keys WHERE key_id = 'metrics';
           INSERT INTO api_keys (key_id, secret_sha256, send_limit, check_limit)
           VALUES ('metrics', encode(sha256(convert_to('metrics-secret', 'UTF8')), 'hex'),
                   100, 100)});
my %auth = (Authorization => 'Basic ' . encode_base64('metrics:metrics-secret', ''));
sub api_post
{
    my ($path, %form) = @_;
    return $http->post_form($host->url("/otp/twilio/v2/Services/$SERVICE/$path"), \%form,
                            { headers => \%auth })->{status};
}
sub last_code
{
    my ($to) = @_;
    my @to = grep { $_->{to} eq $to } @{ fake_messages() };
    return @to && $to[-1]{body} =~ /(\d{4,10})/ ? $1 : undef;
}
is(api_post('Verifications', To => $API_TO, Channel => 'sms'), 201, 'a Verify send');
my @checks = map { api_post('VerificationCheck', To => $API_TO, Code => '000000') } 1 .. 3;
is("@checks", '200 200 429', '... two wrong checks, then locked out (60202)');
my $flow = $http->request('POST', $host->url('/otp/flowroute'), {
    headers => { %auth, 'Content-Type' => 'application/json' },
    content => qq({"auth_id": "metrics-1", "recipient": "$FLOW_TO"}) });
is($flow->{status}, 200, 'a flowroute send');
my $flow_code = last_code($FLOW_TO) // 'none';
$flow = $http->get($host->url("/otp/flowroute?auth_id=metrics-1&code=$flow_code"),
                   { headers => \%auth });
is($flow->{status}, 200, '... and its right code');
db_query(q{DELETE FROM api_keys WHERE key_id = 'metrics'});

my $events = scrape()->{content};
my %want = (
    'smscloud_sms_messages_total{command="ls",result="unknown_sender"}' => 1,
    'smscloud_sms_replays_refused_total' => 1,
    'smscloud_sms_replies_total' => 2,
    'smscloud_signature_failures_total{endpoint="sms"}' => 1,
    'smscloud_otp_sends_total{channel="web"}' => 1,
    'smscloud_otp_checks_total{channel="web"}' => 2,
    'smscloud_otp_failures_total{channel="web"}' => 1,
    'smscloud_otp_approvals_total{channel="web"}' => 1,
    'smscloud_otp_sends_total{channel="gate"}' => 1,
    'smscloud_otp_checks_total{channel="gate"}' => 2,
    'smscloud_otp_failures_total{channel="gate"}' => 1,
    'smscloud_otp_approvals_total{channel="gate"}' => 1,
    'smscloud_otp_sends_total{channel="api"}' => 2,
    'smscloud_otp_checks_total{channel="api"}' => 4,
    'smscloud_otp_failures_total{channel="api"}' => 2,
    'smscloud_otp_lockouts_total{channel="api"}' => 1,
    'smscloud_otp_approvals_total{channel="api"}' => 1,
    'smscloud_upstream_requests_total{target="twilio",status="2xx"}' => 4,
);
for my $series (sort keys %want) {
    is(value_of($events, $series), $want{$series}, $series);
}
unlike($events, qr/555001700/, 'no phone number in any label');

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
