# Every POST of the web side wants its CSRF token (403 without), and every
# form body is bounded and well-formed (413, 400, 415, 405).
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use HTTP::Request ();
use HTTP::Request::Common ();
use SmsCloud::Test qw(db_query fake_reset fake_messages);
use SmsCloud::Web qw(:all);

plan tests => 22, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $phone = '+15551270001';
fake_reset();
fresh_limits();
forget_phones($phone);

# ---------------------------------------------------------------- before login
my $ua = browser();
my $csrf = csrf_of($ua->get(url('/login')));
is(post_form($ua, '/login', phone => $phone)->code, 403, 'POST /login without a CSRF token: 403');
is(post_form($ua, '/login', csrf => 'x' x 64, phone => $phone)->code, 403, '... with a wrong one: 403');
my $other = browser();
$other->get(url('/login'));
is(post_form($other, '/login', csrf => $csrf, phone => $phone)->code, 403,
   "... with another browser's token: 403");
is(browser()->request(HTTP::Request::Common::POST(url('/login'), [csrf => $csrf, phone => $phone]))->code,
   403, '... with no pre-session cookie at all: 403');
is(scalar @{ fake_messages() }, 0, 'none of them sent a code');
is(post_form($ua, '/login', csrf => $csrf, phone => $phone)->code, 303, 'the right token: 303');
my $code = code_for($phone);
is(post_form($ua, '/verify', code => $code)->code, 403, 'POST /verify without a CSRF token: 403');
is(post_form($ua, '/verify', csrf => 'y' x 64, code => $code)->code, 403, '... with a wrong one: 403');
is(enter_code($ua, $code)->code, 303, '... and the code still works with the right one');

# ---------------------------------------------------------------- logged in
my $sess_csrf = csrf_of($ua->get(url('/connect')));
like($sess_csrf // '', qr/^[A-Za-z0-9_-]{43}$/, '/connect forms carry the session CSRF token');
isnt($sess_csrf, $csrf, '... which is not the pre-session one');
my $acct = db_query(q{INSERT INTO accounts (phone, provider, account_id, service, display_name)
                      VALUES (:'v1', 'kloudless', 'csrf-test-1', 'dropbox', 'Dropbox (csrf)')
                      RETURNING id}, $phone);
is(post_form($ua, '/connect', action => 'remove', account => $acct)->code, 403,
   'POST /connect remove without a token: 403');
is(post_form($ua, '/connect', csrf => $csrf, action => 'remove', account => $acct)->code, 403,
   '... with the pre-session token: 403');
is(db_query(q{SELECT count(*) FROM accounts WHERE id = :'v1'}, $acct), 1, '... and nothing removed');
is(post_form($ua, '/connect', action => 'add')->code, 403, 'POST /connect add without a token: 403');
is(post_form($ua, '/logout')->code, 403, 'POST /logout without a token: 403');
is($ua->get(url('/connect'))->code, 200, '... and the session lives on');
db_query(q{DELETE FROM accounts WHERE id = :'v1'}, $acct);

# ---------------------------------------------------------------- bodies
my $big = post_form($ua, '/login', csrf => $csrf, phone => $phone, pad => 'x' x 9000);
is($big->code, 413, 'a form body over 8 KB: 413');
my $req = HTTP::Request->new(POST => url('/login'),
                             ['Content-Type' => 'application/x-www-form-urlencoded'],
                             "csrf=$csrf&phone=%2G15551270001");
is($ua->request($req)->code, 400, 'malformed percent-encoding: 400');
$req = HTTP::Request->new(POST => url('/login'), ['Content-Type' => 'text/plain'],
                          "csrf=$csrf&phone=$phone");
is($ua->request($req)->code, 415, 'another content type: 415');
my $lo = $ua->get(url('/logout'));
ok($lo->code == 200 && $lo->decoded_content =~ m{use the Log out button.*href="/connect"}s,
   'GET /logout: our page pointing to the account page (logging out needs a POST)');
$req = HTTP::Request->new(PUT => url('/verify'), ['Content-Type' => 'application/x-www-form-urlencoded'], 'a=b');
is($ua->request($req)->code, 405, 'PUT /verify: 405');
