# Links end with their account and with "log out everywhere"; a link made
# by the app itself is opaque (no number, no path) and short.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use SmsCloud::Test qw(db_query);
use SmsCloud::Web qw(:all);
use SmsCloud::Local qw(local_put local_reset link_token);
use SmsCloud::Sms qw(fresh_phone say_ok);

plan tests => 16, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $P = '+15551310001';
my $hostport = use_vhost('smscloud_local');
fresh_limits();
forget_phones($P);
fresh_phone($P, accounts => [['local', $P, 'local', 'Test files']]);
local_reset();
local_put('Photos/big-photo.bin', 'x' x 100);
Apache::TestRequest::module('smscloud_local');

# --- what the app hands out
my %on = (from => $P, sign_url => "http://$hostport/sms");
say_ok($_, %on) for 'ls', 'cd 1', 'ls', 'cd 1', 'ls';
my $reply = say_ok('get 1', %on);
my ($url, $token) = $reply =~ m{(http://\S+/dl/([^/\s]+)/\S*)};
like($token // '', qr/^[A-Za-z0-9_-]{22}$/, 'get: the token is 22 opaque characters');
unlike($url // '', qr/1555131|Photos/, '... the URL shows neither the number nor the folder');
my ($path) = ($url // '') =~ m{^http://[^/]+(/.*)$};
is(GET($path // '/dl/x')->code, 200, '... and serves the file');

# --- log out everywhere
my ($ua1, $ua2) = (browser(), browser());
log_in($ua1, $P);
log_in($ua2, $P);
my $other = link_token(file => 'Photos/big-photo.bin', account => $P);
my $res = post_form($ua1, '/logout', csrf => csrf_of($ua1->get(url('/connect'))));
is($res->code, 303, 'a plain logout');
is(GET("/dl/$other")->code, 200, '... leaves the links alone');
is($ua2->get(url('/connect'))->code, 200, '... and the other browser logged in');
$res = post_form($ua2, '/logout', csrf => csrf_of($ua2->get(url('/connect'))), everywhere => 1);
is($res->code, 303, 'log out everywhere');
is(GET("/dl/$other")->code, 403, '... ends the links');
is(GET($path // '/dl/x')->code, 403, '... those the app made too');
is(db_query(q{SELECT count(*) FROM web_sessions WHERE phone = :'v1'}, $P), 0, '... and every session');
fresh_limits();
forget_phones($P);
