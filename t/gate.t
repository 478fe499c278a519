# The gate: AuthType SmsCloud in front of static files (/app), a CGI (/cgi,
# Require sms-phone) and a proxied backend (/proxy, the fake's header echo),
# on the smscloud_gate host of extra.conf.in. No session: the login page and
# back to the URL first asked for; then the right identity everywhere, no
# forged identity header reaching the backend, another phone refused, open
# redirects refused, and logout ending access.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use HTTP::Request ();
use HTTP::Request::Common qw(POST);
use JSON::PP ();
use SmsCloud::App qw(app_files cgi_vars);
use SmsCloud::Test qw(db_query);
use SmsCloud::Web qw(:all);

plan tests => 77, need need_module('mod_smscloud.c', 'mod_dbd.c');

my ($me, $other, $third) = ('+15550009001', '+15550009002', '+15550009003');
my $html = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8';

# ---- the application: a static page and a CGI printing what it is told
app_files();

sub echoed_headers
{
    my ($res) = @_;
    my $echo = eval { JSON::PP::decode_json($res->decoded_content) } or return ();
    return @{ $echo->{headers} };
}

use_vhost('smscloud_gate');
fresh_limits();
forget_phones($me, $other, $third);

# GET /login?return=..., POST the phone with the form's return field, POST
# the texted code: the last answer.
sub gate_login
{
    my ($ua, $phone, $login_url, %opt) = @_;
    my $page = $ua->get(url($login_url), Accept => $html);
    return $page unless $page->code == 200;
    my ($back) = $page->decoded_content =~ /name="return" value="([^"]*)"/;
    $back = html_unescape($back) if defined $back;
    $back = $opt{return} if exists $opt{return};
    my $res = post_form($ua, '/login', csrf => csrf_of($page), phone => $phone,
                        defined $back ? (return => $back) : ());
    return $res unless $res->code == 303;
    return enter_code($ua, code_for($phone));
}

# ---- no session
my $ua = browser();
my $res = $ua->get(url('/app/page.html?x=1&y=%2F'), Accept => $html);
is($res->code, 303, 'a browser without a session is redirected');
my $login_url = $res->header('Location') // '';
is($login_url, '/login?return=%2fapp%2fpage.html%3fx%3d1%26y%3d%252F',
   '... to the login page, carrying the URL it asked for');

$res = $ua->get(url('/app/page.html'), Accept => 'application/json');
is($res->code, 401, 'a client that is no browser gets 401 by default');
like($res->header('WWW-Authenticate') // '', qr/^SmsCloud realm="Test application"$/,
     '... with a SmsCloud challenge naming the AuthName');
$res = $ua->get(url('/app/page.html'), Accept => $html, 'X-Requested-With' => 'XMLHttpRequest');
is($res->code, 401, 'a script in a browser (X-Requested-With) gets 401 too');
$res = $ua->request(POST(url('/app/page.html'), Accept => $html, Content => 'a=b'));
is($res->code, 401, 'so does a POST');
$res = $ua->get(url('/api-redirect/page.html'));
is($res->code, 303, 'SmsCloudUnAuthAction redirect: redirected');
like($res->header('Location') // '', qr{^/login\?return=%2fapi-redirect%2fpage\.html$},
     '... to the login page');
$res = $ua->get(url('/api-403/page.html'));
is($res->code, 403, 'SmsCloudUnAuthAction 403: 403');
$res = $ua->get(url('/api-pass'), 'X-Remote-User' => $me);
is($res->code, 200, 'SmsCloudUnAuthAction pass: the application runs');
my %env = cgi_vars($res);
is($env{REMOTE_USER}, '', '... with an empty REMOTE_USER');
is($env{HTTP_X_REMOTE_USER}, '(unset)', '... and no forged identity header');
$res = $ua->get(url('/api-pass'), Accept => $html);
is($res->code, 200, '... for a browser as well');

$res = $ua->get(url('/proxy/x'), 'X-Remote-User' => $me, Accept => 'application/json');
is($res->code, 401, 'the proxied backend is closed without a session');
$res = $ua->get(url('/cgi'), Accept => $html);
is($res->code, 303, 'so is the CGI');

# ---- log in through the gate and come back
my $page = $ua->get(url($login_url), Accept => $html);
is($page->code, 200, 'the login page opens');
like($page->decoded_content, qr{name="return" value="/app/page.html\?x=1&amp;y=%2F"},
     '... and carries the return address, escaped');
$res = gate_login($ua, $me, $login_url);
is($res->code, 303, 'the code is accepted');
is($res->header('Location'), '/app/page.html?x=1&y=%2F', '... and /verify returns to the URL first asked for');
$res = $ua->get(url('/app/page.html?x=1&y=%2F'));
is($res->code, 200, 'the static page is served');
like($res->decoded_content, qr/the protected page/, '... with its content');
$res = $ua->get(url('/app/'));
is($res->code, 200, 'a directory index (a subrequest) is served too');
like($res->decoded_content, qr/the protected index/, '... with its content');
$res = $ua->get(url('/app/page.html'), Accept => 'application/json');
is($res->code, 200, 'the session counts for any client, not only browsers');

$res = $ua->get(url('/cgi'), 'X-Remote-User' => $other, 'X_Remote_User' => $other);
is($res->code, 200, 'the CGI runs for an allowed phone (Require sms-phone)');
%env = cgi_vars($res);
is($env{REMOTE_USER}, $me, '... with REMOTE_USER the E.164 number');
is($env{AUTH_TYPE}, 'SmsCloud', '... AUTH_TYPE SmsCloud');
is($env{SMSCLOUD_PHONE}, $me, '... SMSCLOUD_PHONE');
like($env{SMSCLOUD_CSRF} // '', qr/^[A-Za-z0-9_-]{20,}$/, '... and the logout token');
is($env{HTTP_X_REMOTE_USER}, $me, '... the identity header is ours, not the forged one');

my $req = HTTP::Request->new(GET => url('/proxy/x?q=1'));
$req->push_header('X-Remote-User' => '+19999999999');
$req->push_header('x-remote-user' => '+18888888888');
$req->push_header('X_Remote_User' => '+17777777777');
$req->push_header('X-Other' => 'kept');
$res = $ua->request($req);
is($res->code, 200, 'the proxied backend answers');
my @headers = echoed_headers($res);
ok(scalar(@headers), '... and echoes its request headers') or diag($res->as_string);
my @ident = grep { $_->[0] =~ /^x[-_]remote[-_]user$/i } @headers;
is(scalar(@ident), 1, 'exactly one identity header reaches the backend')
    or diag(explain(\@ident));
is($ident[0][1], $me, '... and it names the logged-in phone');
is((grep { $_->[0] =~ /^x-other$/i && $_->[1] eq 'kept' } @headers), 1,
   'other headers pass unchanged');

$req = HTTP::Request->new(GET => url('/proxy-named/'));
$req->push_header('X-Sms-Phone' => '+19999999999');
$req->push_header('X_SMS_PHONE' => '+18888888888');
$res = $ua->request($req);
@headers = echoed_headers($res);
@ident = grep { $_->[0] =~ /^x[-_]sms[-_]phone$/i } @headers;
is(scalar(@ident), 1, 'SmsCloudUserHeader names the header: one copy reaches the backend');
is($ident[0][1], $me, '... with the logged-in phone');

# ---- another phone
my $ua2 = browser();
$res = gate_login($ua2, $other, '/login?return=%2Fcgi');
is($res->header('Location'), '/cgi', 'another phone logs in and returns to /cgi');
$res = $ua2->get(url('/cgi'), Accept => $html);
is($res->code, 403, 'Require sms-phone refuses a phone not listed with 403');
$res = $ua2->get(url('/app/page.html'));
is($res->code, 200, '... while Require valid-user lets it in');
my $ua3 = browser();
$res = gate_login($ua3, $third, '/login?return=%2Fcgi');
$res = $ua3->get(url('/cgi'));
is($res->code, 200, 'the second listed phone is allowed');
is({ cgi_vars($res) }->{REMOTE_USER}, $third, '... as itself');

# ---- open redirects
my @evil = ('//evil.example', '/\\evil.example', 'https://evil.example', 'http:/evil.example',
            '/%2fevil.example', '/%5cevil.example', '/%252f%252fevil.example',
            "/\tevil", "/\r\nSet-Cookie: x=y", '/%0d%0aSet-Cookie:x=y', 'javascript:alert(1)',
            ' /app', '/app//evil.example');
for my $bad (@evil) {
    fresh_limits();
    my $b = browser();
    my $p = $b->get(url('/login?return=' . uri_escape($bad)), Accept => $html);
    my $shown = $p->decoded_content =~ /name="return"/ ? 1 : 0;
    $res = gate_login($b, $me, '/login', return => $bad);
    my $where = $res->header('Location') // '(none)';
    ok(!$shown && $where eq '/connect', "return address " . printable($bad) . " refused")
        or diag("form field shown: $shown; after /verify: $where");
}
fresh_limits();
$res = $ua->get(url('/login?return=%2Fapp%2F'));
like($res->decoded_content, qr{name="return" value="/app/"}, 'a local return address is kept');
$res = browser()->get(url('/app/%5C%5Cevil.example'), Accept => $html);
is($res->header('Location'), '/login', 'a request path that is no safe return address is not carried');
is(db_query(q{SELECT count(*) FROM login_codes WHERE return_to NOT LIKE '/%'
                 OR return_to LIKE '//%' OR return_to LIKE '/\%'}), 0,
   'no stored return address is other than a local path');

sub html_unescape
{
    my ($s) = @_;
    my %ent = (amp => '&', lt => '<', gt => '>', quot => '"', '#39' => "'");
    $s =~ s/&(amp|lt|gt|quot|#39);/$ent{$1}/g;
    return $s;
}

sub uri_escape
{
    my ($s) = @_;
    $s =~ s/([^A-Za-z0-9\-._~])/sprintf('%%%02X', ord $1)/ge;
    return $s;
}

sub printable
{
    my ($s) = @_;
    $s =~ s/([^\x21-\x7e])/sprintf('\\x%02x', ord $1)/ge;
    return $s;
}

# ---- logout
%env = cgi_vars($ua->get(url('/cgi')));
$res = post_form($ua, '/logout', csrf => $env{SMSCLOUD_CSRF}, return => '//evil.example');
is($res->code, 303, 'logout with a foreign return address still logs out');
is($res->header('Location'), '/login', '... and goes to the login page instead');
$res = $ua->get(url('/app/page.html'), Accept => $html);
is($res->code, 303, 'the old session opens nothing any more');
like($res->header('Location') // '', qr{^/login\?return=}, '... back to the login page');
$res = gate_login($ua, $me, '/login?return=%2Fapp%2Fpage.html');
is($res->header('Location'), '/app/page.html', 'log in again');
%env = cgi_vars($ua->get(url('/cgi')));
$res = post_form($ua, '/logout', csrf => 'wrong', return => '/app/');
is($res->code, 403, 'logout without the right token is refused');
$res = $ua->get(url('/app/page.html'));
is($res->code, 200, '... and the session lives on');
$res = post_form($ua, '/logout', csrf => $env{SMSCLOUD_CSRF}, return => '/app/');
is($res->code, 303, 'logout with the token from the application');
is($res->header('Location'), '/app/', '... returns to the local address given');
$res = $ua->get(url('/app/page.html'), Accept => 'application/json');
is($res->code, 401, 'access has ended');
$res = $ua->get(url('/cgi'), Accept => $html);
is($res->code, 303, '... for the CGI too');
$res = $ua->get(url('/proxy/'), Accept => 'application/json');
is($res->code, 401, '... and the proxied backend');

# ---- configuration errors stop httpd at `apachectl -t`
my ($rc, $out) = SmsCloud::Test::httpd_config_test(
    "<Location /x>\n    Require sms-phone +15550009001 +447700900123\n</Location>\n");
is($rc, 0, 'Require sms-phone with E.164 numbers passes httpd -t') or diag($out);
for my $case (['Require sms-phone +1555', qr/'\+1555' is not an E\.164 number/],
              ['Require sms-phone 15550009001', qr/is not an E\.164 number/],
              ['Require sms-phone "+1 555 000 9001"', qr/is not an E\.164 number/],
              ['Require sms-phone', qr/needs at least one E\.164 number/],
              ['SmsCloudUnAuthAction 410', qr/not one of redirect, 401, 403, pass/],
              ['SmsCloudUserHeader X_Remote_User', qr/is not a header name/]) {
    my ($line, $why) = @$case;
    ($rc, $out) = SmsCloud::Test::httpd_config_test("<Location /x>\n    $line\n</Location>\n");
    ok($rc != 0 && $out =~ $why, "httpd -t refuses: $line") or diag("rc $rc: $out");
}
