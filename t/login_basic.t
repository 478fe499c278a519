# /login and /verify, the happy path and what it leaves behind: headers,
# cookie flags, the SMS, hashes only in the database, no enumeration,
# Twilio refusals.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(db_query fake_reset fake_messages fake_script
                      error_log_mark error_log_since);
use SmsCloud::Web qw(:all);

plan tests => 41, need need_module('mod_smscloud.c', 'mod_dbd.c');

fake_reset();
fresh_limits();
forget_phones('+15551230001', '+15551239999', '+15005550001', '+15005550004', '+15551230002');
my $mark = error_log_mark();

# ---------------------------------------------------------------- the form
my $ua = browser();
my $res = $ua->get(url('/login'));
is($res->code, 200, 'GET /login is 200');
is($res->header('Cache-Control'), 'no-store', 'no-store');
like($res->header('Content-Security-Policy'),
     qr/default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'/,
     'CSP');
is($res->header('X-Content-Type-Options'), 'nosniff', 'nosniff');
is($res->header('Referrer-Policy'), 'no-referrer', 'no-referrer');
my ($pre) = grep { /^smscloud_pre=/ } set_cookies($res);
like($pre // '', qr/^smscloud_pre=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/,
     'pre-session cookie: random, HttpOnly, SameSite=Lax, Path=/');
like(csrf_of($res) // '', qr/^[0-9a-f]{64}$/, 'the form carries a CSRF token');
is($ua->get(url('/login/style.css'))->content_type, 'text/css', 'the style sheet is served');
like($res->decoded_content, qr{<link rel="icon" href="/login/icon.svg"}, 'the page names its icon')
    or diag($res->decoded_content);
is($ua->get(url('/login/icon.svg'))->content_type, 'image/svg+xml',
   '... which is served (no /favicon.ico asked of the site)');

# ---------------------------------------------------------------- a code
my $phone = '+15551230001';
$res = post_form($ua, '/login', csrf => csrf_of($ua->get(url('/login'))),
                 phone => '+1 (555) 123-0001');
is($res->code, 303, 'POST /login with a number is 303');
is($res->header('Location'), '/verify', '... to /verify');
my ($attempt_cookie) = grep { /^smscloud_attempt=/ } set_cookies($res);
like($attempt_cookie // '', qr/^smscloud_attempt=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/,
     'attempt cookie: random, HttpOnly, SameSite=Lax, lives as long as the code');
my $msgs = fake_messages();
is(scalar @$msgs, 1, 'one SMS went out');
is($msgs->[0]{to}, $phone, '... to the normalised number');
like($msgs->[0]{body},
     qr/^SMS Cloud Test: your login code is \d{6}\. It expires in 10 minutes\.$/,
     '... with the configured text and a 6-digit code');
my $code = code_for($phone);

my @row = @{ (db_query('SELECT code_hash, attempt_hash, attempts_left FROM login_codes WHERE phone = :\'v1\'', $phone))[0] };
like($row[0], qr/^[0-9a-f]{64}$/, 'the database holds a hash of the code');
my $dump = join ' ', map { join ' ', @$_ } db_query('SELECT * FROM login_codes');
unlike($dump, qr/\b$code\b/, '... and nowhere the code itself');
isnt($row[1], cookie_of($ua, 'smscloud_attempt'), '... nor the attempt id, only its hash');
is($row[2], 5, '... with 5 attempts');

# ---------------------------------------------------------------- verify
$res = enter_code($ua, $code);
is($res->code, 303, 'the right code is 303');
is($res->header('Location'), '/connect', '... to /connect');
my ($session) = grep { /^smscloud_session=/ } set_cookies($res);
like($session // '', qr/^smscloud_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/,
     'session cookie: 256 random bits, HttpOnly, SameSite=Lax, Path=/, no Domain');
ok((grep { /^smscloud_attempt=; .*Max-Age=0/ } set_cookies($res)), 'the attempt cookie is dropped');
my $sid = cookie_of($ua, 'smscloud_session');
my @sess = db_query('SELECT id_hash FROM web_sessions WHERE phone = :\'v1\'', $phone);
is(scalar @sess, 1, 'one session row');
isnt($sess[0][0], $sid, 'the database keeps a hash of the session id, not the id');
is(db_query('SELECT verified_at IS NOT NULL FROM phones WHERE phone = :\'v1\'', $phone), 't',
   'the phone is verified');
$res = $ua->get(url('/connect'));
is($res->code, 200, 'the session opens /connect');
like($res->decoded_content, qr/\Q$phone\E/, '... for this phone');
is($res->header('Cache-Control'), 'no-store', '... with no-store');

# ---------------------------------------------------------------- invalid numbers
$res = post_form($ua, '/login', csrf => csrf_of($ua->get(url('/login'))), phone => '5551230001');
is($res->code, 400, 'a number without country code is 400');
like($res->decoded_content, qr/international format/, '... with a clear message');

# ---------------------------------------------------------------- enumeration
# a known, verified number with a session and an unknown one: same answer
sub shape
{
    my ($r) = @_;
    my @c = map { (my $c = $_) =~ s/=[^;]*/=X/; $c } set_cookies($r);
    return join "\n", $r->code, $r->header('Location') // '', $r->decoded_content, sort @c;
}
fake_reset();
my $known = shape(ask_code(browser(), $phone));
my $unknown = shape(ask_code(browser(), '+15551239999'));
is($known, $unknown, 'known and unknown numbers get the same status, body and cookies');
is(scalar @{ fake_messages() }, 2, '... and both get a code');

# ---------------------------------------------------------------- Twilio says no
fake_reset();
$res = ask_code(browser(), '+15005550001');
is($res->code, 400, 'Twilio 21211 (invalid number): 400');
like($res->decoded_content, qr/We could not send a code: that phone number is not valid/,
     '... with a clear message');
is(db_query(q{SELECT count(*) FROM login_codes WHERE phone = '+15005550001'}), 0,
   '... and no code kept');
$res = ask_code(browser(), '+15005550004');
like($res->decoded_content, qr/replied STOP/, 'Twilio 21610 (opted out): said so');
fake_script(twilio => { status => 503, times => 1 });
$res = ask_code(browser(), '+15551230002');
is($res->code, 503, 'Twilio down: 503');
is(db_query(q{SELECT count(*) FROM login_codes WHERE phone = '+15551230002'}), 0,
   '... and no code kept');

unlike(scalar error_log_since($mark), qr/\Q$code\E|\Q$phone\E/,
       'neither the code nor the full number is in the error log');
