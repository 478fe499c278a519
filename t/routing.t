# Each endpoint's Location reaches its handler; other paths are not ours.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);

my @endpoints = qw(/sms /login /verify /connect /logout);
# what a routed handler may answer a bare GET with (501: not written yet)
my %routed = map { $_ => 1 } qw(200 302 303 400 403 405 413 415 501);

plan tests => 2 + @endpoints + 1, need need_module('mod_smscloud.c', 'mod_dbd.c');

# see the handlers' own answers, not where they redirect to
Apache::TestRequest::user_agent(reset => 1, requests_redirectable => 0);

my $res = GET '/health';
is($res->code, 200, 'GET /health is 200') or diag($res->as_string);
like($res->content, qr/\bschema [1-9][0-9]*\b/, '/health reports a schema version');

for my $path (@endpoints) {
    my $r = GET $path;
    ok($routed{$r->code}, "GET $path reaches its handler (status " . $r->code . ')')
        or diag($r->as_string);
}

$res = GET '/definitely-not-an-endpoint';
is($res->code, 404, 'a path outside the Locations is 404');
