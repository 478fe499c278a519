# The phone simulator (smscloud-demo): only with SmsCloudDemo On, only for a
# browser on this machine, and its outbox view.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET POST);
use JSON::PP ();

use SmsCloud::Test qw(db_query);

plan tests => 46, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $json = JSON::PP->new->utf8;
Apache::TestRequest::user_agent(reset => 1, requests_redirectable => 0);

# --- off on the main server
Apache::TestRequest::module('default');
is(GET('/demo/')->code, 404, 'SmsCloudDemo off: 404');
is(GET('/demo/outbox')->code, 404, 'SmsCloudDemo off: outbox 404 too');

Apache::TestRequest::module('smscloud_local');
my $hostport = Apache::TestRequest::hostport();

# --- the page and its files
my $res = GET '/demo';
is($res->code, 301, '/demo redirects to /demo/');
like($res->header('Location') // '', qr{/demo/$}, '... with the slash');
$res = GET '/demo/';
is($res->code, 200, 'page: 200') or diag($res->as_string);
like($res->content, qr{<title>mod_smscloud phone simulator</title>}, 'page: the simulator');
like($res->header('Content-Security-Policy') // '', qr{default-src 'self'}, 'page: CSP self only');
unlike($res->content, qr{https?://(?!127\.0\.0\.1)}, 'page: nothing loaded from elsewhere');
$res = GET '/demo/simulator.js';
like($res->header('Content-Type') // '', qr{^text/javascript}, 'script served');

# --- who may use it
is(GET('/demo/', Host => 'evil.example')->code, 403, 'foreign Host (DNS rebinding): 403');
is(GET('/demo/outbox', Host => "evil.example")->code, 403, 'foreign Host: outbox 403');
is(GET('/demo/', 'X-Forwarded-For' => '203.0.113.9')->code, 403, 'through a proxy: 403');
my $port = (split /:/, $hostport)[1];
# names a DNS rebinding attack would point at 127.0.0.1
for my $host ('127.attacker.example', '127.0.0.1.nip.io', 'localhost.attacker.example',
              '127.0.0.1.attacker.example') {
    is(GET('/demo/outbox', Host => "$host:$port")->code, 403, "rebinding Host $host: 403");
}
is(POST('/demo/sms', Host => "127.attacker.example:$port", 'X-SmsCloud-Demo' => 1,
        content => 'phone=%2B15551230000&body=ls')->code, 403,
   'rebinding Host: a signed webhook is not sent');
for my $ok ("localhost:$port", "127.0.0.1:$port", "127.3.2.1:$port") {
    is(GET('/demo/outbox', Host => $ok)->code, 200, "loopback Host $ok: 200");
}
my %form = (content => 'phone=%2B15551230000&body=ls');
is(POST('/demo/sms', %form)->code, 403, 'POST without X-SmsCloud-Demo (cross-site form): 403');
$res = POST('/demo/sms', 'X-SmsCloud-Demo' => 1, content => 'phone=12345&body=ls');
is($res->code, 400, 'bad phone: 400');
is(POST('/demo/sms', 'X-SmsCloud-Demo' => 1, content => 'phone=%2B15551230000')->code, 400,
   'no body: 400, nothing sent');
is(POST('/demo/sms', 'X-SmsCloud-Demo' => 1,
        content => 'phone=%2B15551230000&body=' . ('x' x 1601))->code, 400,
   'body of 1601 characters: 400, nothing sent');
is(GET('/demo/sms')->code, 405, 'GET sms: 405');
is(POST('/demo/sms', 'X-SmsCloud-Demo' => 1, 'Content-Type' => 'application/json',
        content => '{"phone":"+15551230000","body":"ls"}')->code, 415,
   'a body that is not a form: 415');

# --- a POST's Origin must be this origin
for my $origin ("http://127.attacker.example:$port", 'null', "http://localhost:1",
                "https://$hostport", 'http://evil.example') {
    is(POST('/demo/sms', Origin => $origin, 'X-SmsCloud-Demo' => 1, %form)->code, 403,
       "POST with Origin $origin: 403");
}
is(POST('/demo/sms', Origin => "http://$hostport", 'X-SmsCloud-Demo' => 1,
        content => 'phone=12345&body=ls')->code, 400, 'POST with its own Origin is let through');

# --- it reaches /sms with a signed webhook and reports the answer
$res = POST('/demo/sms', 'X-SmsCloud-Demo' => 1, %form);
is($res->code, 200, 'POST sms: 200') or diag($res->as_string);
my $r = eval { $json->decode($res->content) } || {};
like($r->{status} // '', qr/^\d{3}$/, "/sms answered (status " . ($r->{status} // 'none') . ')');
isnt($r->{status} // 403, 403, '/sms accepted the simulator\'s signature');

# --- outbox view
db_query('DELETE FROM outbox');
db_query(q{INSERT INTO outbox (to_phone, from_sender, body) VALUES
           ('+15551230000', 'outbox', 'first <b>&'), ('+15551230001', 'outbox', 'second')});
my $list = $json->decode(GET('/demo/outbox')->content);
is_deeply([map { $_->{body} } @$list], ['second', 'first <b>&'], 'outbox: newest first, text as is');
is($list->[1]{to}, '+15551230000', 'outbox: recipient');
my $after = $list->[1]{id};
$list = $json->decode(GET("/demo/outbox?after=$after")->content);
is_deeply([map { $_->{body} } @$list], ['second'], 'outbox ?after=: only newer rows');
$list = $json->decode(GET('/demo/outbox?after=1%27%3B--')->content);
is_deeply([map { $_->{body} } @$list], ['second', 'first <b>&'], 'outbox ?after= not an id: all rows');
$list = $json->decode(GET('/demo/outbox?to=%2B15551230000')->content);
is_deeply([map { $_->{body} } @$list], ['first <b>&'], 'outbox ?to=: one recipient only');
$list = $json->decode(GET("/demo/outbox?to=%2B15551230000&after=$after")->content);
is_deeply($list, [], 'outbox ?to= and ?after= together');
is(GET('/demo/outbox?to=5551230000')->code, 400, 'outbox ?to= not E.164: 400');
is(GET('/demo/outbox', Host => "localhost:$port")->code, 200, 'Host localhost works');

# --- its requests count in mod_smscloud's metrics under a label of their
# own (mod_smscloud_demo.so adds it), not as "other"
sub demo_requests
{
    Apache::TestRequest::module('default');
    my $text = GET('/metrics')->content;
    Apache::TestRequest::module('smscloud_local');
    return $text =~ /^smscloud_http_requests_total\{handler="demo",code="2xx"\} (\d+)$/m
        ? $1 : undef;
}
my $counted = demo_requests();
ok(defined $counted, 'the metrics have a handler="demo" series');
is(GET('/demo/')->code, 200, 'a page of the simulator');
# counted once its log hook ran, which may be just after the answer
my $now = demo_requests();
for (1 .. 50) {
    last if ($now // 0) > ($counted // 0);
    select undef, undef, undef, 0.2;
    $now = demo_requests();
}
is($now, ($counted // 0) + 1, '... counted under handler="demo"');
