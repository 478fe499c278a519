# /connect: listing, adding a Kloudless account through OAuth with a
# one-time state bound to the session, the callback's refusals, removing,
# and one phone never touching another's accounts.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use URI ();
use SmsCloud::Test qw(db_query fake_reset fake_script fake_base fake_requests);
use SmsCloud::Web qw(:all);

plan tests => 42, need need_module('mod_smscloud.c', 'mod_dbd.c');

my ($alice, $bob) = ('+15551290001', '+15551290002');
fake_reset();
fresh_limits();
db_query(q{DELETE FROM accounts WHERE phone IN (:'v1', :'v2') OR account_id IN ('1234567890', '2222222222')},
         $alice, $bob);
forget_phones($alice, $bob);

my $ua = browser();
log_in($ua, $alice);
my $csrf = csrf_of($ua->get(url('/connect')));
my $authorize = fake_base('kloudless') . '/v1/oauth/';

sub accounts_of
{
    my ($phone) = @_;
    return map { $_->[0] } db_query(q{SELECT account_id FROM accounts WHERE phone = :'v1' ORDER BY id}, $phone);
}

# Start the flow: the Location of POST action=add.
sub start_add
{
    my ($b, @extra) = @_;
    my $c = csrf_of($b->get(url('/connect')));
    return post_form($b, '/connect', csrf => $c, action => 'add', provider => 'kloudless', @extra);
}

# Let the fake provider answer the authorize URL: its redirect back to us.
sub authorize
{
    my ($location) = @_;
    my $res = browser()->get($location);
    return $res->header('Location');
}

# Back at our callback (a path and query of ours).
sub callback
{
    my ($b, $back) = @_;
    my $u = URI->new($back);
    return $b->get(url($u->path_query));
}

# ---------------------------------------------------------------- empty list
my $res = $ua->get(url('/connect'));
like($res->decoded_content, qr/No storage account is connected yet/, 'no accounts yet');
like($res->decoded_content, qr/Add a cloud storage account/, 'an add button');
my $origin = URI->new($authorize);
$origin = $origin->scheme . '://' . $origin->host_port;
like($res->header('Content-Security-Policy'), qr/form-action 'self' \Q$origin\E;/,
     "the page's forms may lead to the authorize page's origin (form-action covers redirects)");

# ---------------------------------------------------------------- add
$res = start_add($ua, next => 'https://evil.example/');
is($res->code, 303, 'POST action=add: 303');
my $loc = URI->new($res->header('Location'));
is($loc->scheme . '://' . $loc->host_port . $loc->path, $authorize,
   '... to the configured authorize URL, whatever the form said');
my %q = $loc->query_form;
is($q{client_id}, 'test_app_id', '... with our app id');
is($q{response_type}, 'code', '... response_type code');
is($q{redirect_uri}, url('/connect/callback'), '... the exact redirect URI');
like($q{state} // '', qr/^[A-Za-z0-9_-]{43}$/, '... and a 256-bit state');
is(db_query(q{SELECT count(*) FROM oauth_states WHERE state_hash = :'v1'}, $q{state}), 0,
   'the state is stored only as a hash');
my $back = authorize($res->header('Location'));
like($back, qr{^\Q${\url('/connect/callback')}\E\?code=}, 'the provider sends the browser back');
$res = callback($ua, $back);
is($res->code, 303, 'the callback: 303');
is($res->header('Location'), '/connect', '... to /connect');
is(join(',', accounts_of($alice)), '1234567890', 'the account is linked to the phone');
$res = $ua->get(url('/connect'));
like($res->decoded_content, qr/Dropbox \(alice\@example\.com\)/, '... and listed with service and name');

# ---------------------------------------------------------------- state refusals
$res = callback($ua, $back);
is($res->code, 400, 'the same state again: 400');
like($res->decoded_content, qr/not valid/, '... with a clear page');
my $state = do { my %qq = URI->new($back)->query_form; $qq{state} };

my $other = browser();
log_in($other, $bob);
$res = start_add($ua);
$back = authorize($res->header('Location'));
$res = callback($other, $back);
is($res->code, 400, "alice's state at bob's session: 400");
is(scalar accounts_of($bob), 0, '... nothing stored for bob');
is(callback($ua, $back)->code, 303, '... while in her own session it still works');
is(callback($ua, $back)->code, 400, '... once');

$res = $ua->get(url('/connect/callback?code=abc'));
is($res->code, 400, 'no state: 400');
$res = $ua->get(url('/connect/callback?code=abc&state=' . ('Q' x 43)));
is($res->code, 400, 'an unknown state: 400');

$res = start_add($ua);
$back = authorize($res->header('Location'));
db_query(q{UPDATE oauth_states SET created_at = now() - interval '301 seconds' WHERE used_at IS NULL});
is(callback($ua, $back)->code, 400, 'a state older than 300 s: 400');

$res = browser()->get(url('/connect/callback?code=abc&state=' . $state));
is($res->code, 303, 'the callback without a session: 303');
is($res->header('Location'), '/login', '... to /login');

# ---------------------------------------------------------------- provider says no
fake_script(kloudless => { authorize_error => 'access_denied' });
$res = start_add($ua);
$back = authorize($res->header('Location'));
fake_script(kloudless => { authorize_error => undef });
like($back, qr/error=access_denied/, 'the provider refuses');
$res = callback($ua, $back);
is($res->code, 200, '... a friendly page');
like($res->decoded_content, qr/cancelled or refused/, '... that says so');
is(join(',', accounts_of($alice)), '1234567890', '... and nothing new stored');

$res = start_add($ua);
$back = authorize($res->header('Location'));
fake_script(kloudless => { status => 503, paths => '/oauth/token', times => 1 });
$res = callback($ua, $back);
is($res->code, 502, 'the token exchange fails: 502');
is(join(',', accounts_of($alice)), '1234567890', '... and nothing new stored');

# ---------------------------------------------------------------- another phone's account
$res = start_add($other);
$back = authorize($res->header('Location'));
$res = callback($other, $back);
is($res->code, 409, "bob connecting alice's account: 409");
like($res->decoded_content, qr/connected to another phone number/, '... with a clear page');
is(scalar accounts_of($bob), 0, '... and nothing stored for bob');

fake_script(kloudless => { authorize_account => '2222222222' });
$res = start_add($other);
$back = authorize($res->header('Location'));
callback($other, $back);
fake_script(kloudless => { authorize_account => undef });
is(join(',', accounts_of($bob)), '2222222222', "bob connects his own account");

# ---------------------------------------------------------------- remove
my $bob_ref = db_query(q{SELECT id FROM accounts WHERE phone = :'v1'}, $bob);
my $alice_ref = db_query(q{SELECT id FROM accounts WHERE phone = :'v1'}, $alice);
$csrf = csrf_of($ua->get(url('/connect')));
unlike($ua->get(url('/connect'))->decoded_content, qr/bob\@example|value="$bob_ref"/,
       "alice's page does not show bob's account");
$res = post_form($ua, '/connect', csrf => $csrf, action => 'remove', account => $bob_ref);
is($res->code, 404, "alice removing bob's account: 404");
is(join(',', accounts_of($bob)), '2222222222', "... and bob's account stays");
$res = post_form($ua, '/connect', csrf => $csrf, action => 'remove', account => $alice_ref);
is($res->code, 303, 'alice removes her own: 303');
is(scalar accounts_of($alice), 0, '... and it is gone');
is(post_form($ua, '/connect', csrf => $csrf, action => 'remove', account => "1 OR 1=1")->code, 404,
   'a malformed account reference: 404, nothing else happens');
