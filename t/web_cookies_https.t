# With an https public URL every cookie of the web side is Secure and
# "__Host-" prefixed (so no Domain, Path=/), and only such cookies count.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use HTTP::Request ();
use HTTP::Request::Common ();
use SmsCloud::Test qw(fake_reset);
use SmsCloud::Web qw(:all);

plan tests => 5, need need_module('mod_smscloud.c', 'mod_dbd.c');

use_vhost('smscloud_https');
fresh_limits();
fake_reset();
my $phone = '+15551320001';
forget_phones($phone);

my $res = browser()->get(url('/login'));
is($res->code, 200, 'GET /login on the https site');
my ($pre) = set_cookies($res);
like($pre, qr/^__Host-smscloud_pre=([A-Za-z0-9_-]{43}); Path=\/; HttpOnly; SameSite=Lax; Secure$/,
     'the pre-session cookie is __Host-, Secure, HttpOnly, SameSite=Lax, Path=/');
my ($value) = $pre =~ /=([^;]+)/;
my $csrf = csrf_of($res);

# LWP keeps Secure cookies away from http, so send them by hand as the
# TLS terminator in front would
sub post
{
    my ($cookie, @fields) = @_;
    my $req = HTTP::Request::Common::POST(url('/login'), \@fields);
    $req->header(Cookie => $cookie);
    return browser()->request($req);
}
is(post("smscloud_pre=$value", csrf => $csrf, phone => $phone)->code, 403,
   'the unprefixed cookie name does not count');
$res = post("__Host-smscloud_pre=$value", csrf => $csrf, phone => $phone);
is($res->code, 303, 'the __Host- cookie does');
my ($attempt) = grep { /smscloud_attempt/ } set_cookies($res);
like($attempt, qr/^__Host-smscloud_attempt=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600; Secure$/,
     'the attempt cookie is __Host- and Secure too');
