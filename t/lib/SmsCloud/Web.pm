package SmsCloud::Web;

# A browser for the web-side tests (/login, /verify, /connect, /logout):
# its own cookie jar, redirects not followed, so every answer can be looked
# at.
#
#   use_vhost($name)             talk to an Apache::Test vhost from now on
#                                (codes then come from its outbox)
#   use_hostport($hp)            talk to host:port from now on (another httpd,
#                                t/lib/SmsCloud/Host.pm); undef: the test server
#   browser()                    a new LWP::UserAgent with an empty jar
#   url($path)                   absolute URL of a path on the test server
#   csrf_of($res)                the hidden csrf value of a page
#   cookie_of($ua, $name)        a cookie's value in the jar, or undef
#   put_cookie($ua, $name, $v)   put a cookie of the test server in the jar
#   set_cookies($res)            the Set-Cookie lines of an answer
#   ask_code($ua, $phone)        GET /login + POST the phone: the answer
#   code_for($phone)             the code in the last SMS to $phone
#   enter_code($ua, $code)       GET /verify + POST the code: the answer
#   log_in($ua, $phone)          all of it; dies unless it ends in a session
#   post_form($ua, $path, ...)   POST form fields
#   fresh_limits()               forget every rate-limit count
#   forget_phones(@phones)       delete everything about these numbers

use strict;
use warnings FATAL => 'all';

use Carp qw(croak);
use Exporter 'import';
use HTTP::Cookies ();
use HTTP::Request::Common ();
use LWP::UserAgent ();

use Apache::Test ();
use SmsCloud::Test qw(db_query fake_messages);

our @EXPORT_OK = qw(use_vhost use_hostport browser url csrf_of cookie_of put_cookie set_cookies ask_code code_for
                    enter_code log_in post_form fresh_limits forget_phones);
our %EXPORT_TAGS = (all => \@EXPORT_OK);

use Apache::TestRequest ();

my ($hostport, $outbox);

sub use_vhost
{
    my ($name) = @_;
    Apache::TestRequest::module($name);
    $hostport = Apache::TestRequest::hostport();
    Apache::TestRequest::module('default');
    $outbox = 1;
    return $hostport;
}

sub use_hostport
{
    ($hostport) = @_;
    return $hostport;
}

sub url
{
    my ($path) = @_;
    my $vars = Apache::Test::vars();
    return 'http://' . ($hostport // "$vars->{servername}:$vars->{port}") . $path;
}

sub browser
{
    return LWP::UserAgent->new(cookie_jar => HTTP::Cookies->new, max_redirect => 0,
                               timeout => 30, agent => 'smscloud-web-tests');
}

sub csrf_of
{
    my ($res) = @_;
    my ($v) = $res->decoded_content =~ /name="csrf" value="([^"]*)"/;
    return $v;
}

sub cookie_of
{
    my ($ua, $name) = @_;
    my $value;
    $ua->cookie_jar->scan(sub { $value = $_[2] if $_[1] eq $name });
    return $value;
}

sub put_cookie
{
    my ($ua, $name, $value) = @_;
    my $host = Apache::Test::vars('servername');
    # HTTP::Cookies files dotless hosts under HOST.local
    $host .= '.local' unless $host =~ /\./;
    $ua->cookie_jar->set_cookie(0, $name, $value, '/', $host, undef, 1, 0, 3600, 0);
    return 1;
}

sub set_cookies
{
    my ($res) = @_;
    return $res->headers->header('Set-Cookie') ? ($res->headers->header('Set-Cookie')) : ();
}

sub post_form
{
    my ($ua, $path, @fields) = @_;
    return $ua->request(HTTP::Request::Common::POST(url($path), \@fields));
}

sub ask_code
{
    my ($ua, $phone) = @_;
    my $page = $ua->get(url('/login'));
    croak 'GET /login: ' . $page->status_line unless $page->code == 200;
    return post_form($ua, '/login', csrf => csrf_of($page), phone => $phone);
}

sub code_for
{
    my ($phone) = @_;
    my $body;
    if ($outbox) {
        $body = db_query(q{SELECT body FROM outbox WHERE to_phone = :'v1' ORDER BY id DESC LIMIT 1},
                         $phone);
    }
    else {
        my @to = grep { $_->{to} eq $phone } @{ fake_messages() };
        $body = @to ? $to[-1]{body} : undef;
    }
    return undef unless defined $body;
    my ($code) = $body =~ /code is (\d+)/;
    return $code;
}

sub enter_code
{
    my ($ua, $code) = @_;
    my $page = $ua->get(url('/verify'));
    return $page unless $page->code == 200;
    return post_form($ua, '/verify', csrf => csrf_of($page), code => $code);
}

sub log_in
{
    my ($ua, $phone) = @_;
    my $res = ask_code($ua, $phone);
    croak 'POST /login: ' . $res->status_line unless $res->code == 303;
    $res = enter_code($ua, code_for($phone));
    croak 'POST /verify: ' . $res->status_line unless $res->code == 303
        && $res->header('Location') eq '/connect';
    return $res;
}

sub forget_phones
{
    for my $phone (@_) {
        db_query(q{DELETE FROM login_codes WHERE phone = :'v1';
                   DELETE FROM login_failures WHERE phone = :'v1';
                   DELETE FROM phones WHERE phone = :'v1'}, $phone);
    }
    return 1;
}

sub fresh_limits
{
    db_query('DELETE FROM rate_counters');
    return 1;
}

1;
