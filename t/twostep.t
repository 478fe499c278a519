# The two-step login (SmsCloudAuthProvider) on the smscloud_twostep host of
# extra.conf.in: a password checked by mod_authn_file (t/conf/twostep.htpasswd),
# then a code texted to the phone SmsCloudUserPhoneQuery gives. A wrong
# password and an unknown user get the same page and no SMS; the right
# password texts the mapped phone and opens /app as the username; a user
# without a phone enrols one, once; bad directives stop httpd -t.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use SmsCloud::App qw(app_files cgi_vars);
use SmsCloud::Test qw(db_query httpd_config_test);
use SmsCloud::Web qw(:all);

plan tests => 46, need need_module('mod_smscloud.c', 'mod_dbd.c', 'mod_authn_file.c');

my ($alice_phone, $carol_phone, $other) = ('+15550012001', '+15550012003', '+15550012009');
my %password = (alice => "alice's password", carol => "carol's password");
my $html = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8';

app_files();

sub sms_count
{
    return db_query('SELECT count(*) FROM outbox') + 0;
}

# The login form's page with what was typed and the one-time token taken out.
sub page_shape
{
    my ($res) = @_;
    (my $body = $res->decoded_content // '') =~ s/name="(username|csrf)" ([^>]*)value="[^"]*"/name="$1" $2value=""/g;
    return $body;
}

use_vhost('smscloud_twostep');
fresh_limits();
forget_phones($alice_phone, $carol_phone, $other);
db_query(q{DELETE FROM user_phones WHERE username IN ('alice', 'carol')});

# ---- the gate sends a browser to the password form
my $ua = browser();
my $res = $ua->get(url('/app/page.html'), Accept => $html);
is($res->code, 303, 'a browser without a session is sent to the login page');
my $login_url = $res->header('Location') // '';
my $page = $ua->get(url($login_url));
is($page->code, 200, 'the login page opens');
like($page->decoded_content, qr/name="username"/, '... asking for a username');
like($page->decoded_content, qr/name="password" type="password"/, '... and a password');
unlike($page->decoded_content, qr/name="phone"/, '... not for a phone');
my $csrf = csrf_of($page);

# ---- refusals: the same page, no SMS
my $before = sms_count();
my $wrong = post_form($ua, '/login', csrf => $csrf, return => '/app/page.html',
                      username => 'alice', password => 'not it');
is($wrong->code, 400, 'a wrong password is refused');
like($wrong->decoded_content, qr/Wrong username or password\./, '... with a plain message');
ok(!$wrong->header('Location'), '... and not sent on to /verify');
my $unknown = post_form($ua, '/login', csrf => $csrf, return => '/app/page.html',
                        username => 'nobody', password => 'not it');
is($unknown->code, $wrong->code, 'an unknown user gets the same status');
is(page_shape($unknown), page_shape($wrong), '... and the same page');
is(join(',', sort map { s/=.*//r } set_cookies($unknown)),
   join(',', sort map { s/=.*//r } set_cookies($wrong)), '... and the same cookies');
my $empty = post_form($ua, '/login', csrf => $csrf, username => 'alice', password => '');
is($empty->code, 400, 'an empty password is refused too');
my $colon = post_form($ua, '/login', csrf => $csrf, username => "alice:x\n", password => 'x');
is($colon->code, 400, '... and a username no provider could have');
is(sms_count(), $before, 'no refused login sent any SMS');
is(code_for($alice_phone), undef, '... to the mapped phone above all');
my $no_csrf = post_form($ua, '/login', username => 'alice', password => $password{alice});
is($no_csrf->code, 403, 'the form needs its CSRF token');

# ---- the right password: a code to the mapped phone, then /app as alice
$res = post_form($ua, '/login', csrf => $csrf, return => '/app/page.html',
                 username => 'alice', password => $password{alice});
is($res->code, 303, 'the right password is accepted');
is($res->header('Location'), '/verify', '... and goes on to the code');
is(sms_count(), $before + 1, 'one SMS went out');
my $code = code_for($alice_phone);
ok(defined $code, '... to the phone SmsCloudUserPhoneQuery gives (normalised)');
$res = $ua->get(url('/app/page.html'), Accept => $html);
is($res->code, 303, 'the password alone opens nothing');
$res = enter_code($ua, $code);
is($res->code, 303, 'the code is accepted');
is($res->header('Location'), '/app/page.html', '... and returns to the page first asked for');
$res = $ua->get(url('/app/page.html'));
is($res->code, 200, 'the protected page is served');
like($res->decoded_content, qr/the protected page/, '... with its content');
my %env = cgi_vars($ua->get(url('/cgi')));
is($env{REMOTE_USER}, 'alice', 'REMOTE_USER is the username');
is($env{SMSCLOUD_PHONE}, $alice_phone, '... and the phone it proved is there too');
is($env{HTTP_X_REMOTE_USER}, 'alice', 'the identity header carries the username');

# ---- a user without a phone enrols one, once
my $cua = browser();
$page = $cua->get(url('/login'));
$csrf = csrf_of($page);
$before = sms_count();
$res = post_form($cua, '/login', csrf => $csrf, username => 'carol', password => $password{carol});
is($res->code, 200, 'a right password without a phone asks for one');
like($res->decoded_content, qr/name="phone"/, '... on a phone form');
my ($token) = $res->decoded_content =~ /name="enrol" value="([^"]+)"/;
ok(defined $token, '... carrying an enrolment token');
is(sms_count(), $before, '... and nothing was texted yet');
my $forged = post_form($cua, '/login', csrf => $csrf, username => 'carol', phone => $other,
                       enrol => '9999999999.' . ('0' x 64));
is($forged->code, 400, 'a forged token enrols nothing');
my $bob = post_form($cua, '/login', csrf => $csrf, username => 'alice', phone => $other,
                    enrol => $token);
is($bob->code, 400, "... nor does carol's token for another user");
is(sms_count(), $before, '... and neither texted anything');
$res = post_form($cua, '/login', csrf => $csrf, username => 'carol', phone => $carol_phone,
                 enrol => $token);
is($res->code, 303, 'the phone form sends a code');
is(db_query(q{SELECT count(*) FROM user_phones WHERE username = 'carol'}), 0,
   '... and enrols nothing before the code is entered');
$res = enter_code($cua, code_for($carol_phone));
is($res->code, 303, 'the code proves the phone');
is($res->header('Location'), '/', '... and without a return address the login ends at /');
is(db_query(q{SELECT phone FROM user_phones WHERE username = 'carol'}), $carol_phone,
   'the phone is now carol\'s');
%env = cgi_vars($cua->get(url('/cgi')));
is($env{REMOTE_USER}, 'carol', 'carol is in, by name');

$res = post_form($cua, '/login', csrf => $csrf, username => 'carol', phone => $other,
                 enrol => $token);
is($res->code, 400, 'the token cannot enrol a second phone');
is(code_for($other), undef, '... which gets no code');
my $again = browser();
$page = $again->get(url('/login'));
$res = post_form($again, '/login', csrf => csrf_of($page), username => 'carol',
                 password => $password{carol});
is($res->header('Location') // '', '/verify', "carol's next login texts her phone at once");

# ---- what httpd -t refuses
my ($rc, $out) = httpd_config_test("<Location /login>\nSmsCloudAuthProvider nosuch\n</Location>");
ok($rc != 0 && $out =~ /SmsCloudAuthProvider: unknown authn provider 'nosuch'/,
   'an unknown provider stops httpd -t, named') or diag($out);
($rc, $out) = httpd_config_test("<Location /login>\nSmsCloudUserPhoneQuery \"SELECT 1\"\n</Location>");
ok($rc != 0 && $out =~ /SmsCloudUserPhoneQuery: the query must take the username/,
   'a phone query without the username stops it too') or diag($out);
