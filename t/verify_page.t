# What /verify shows: where the code went (redacted as in logs and texts),
# a new code without typing the number again, no form for a dead code, and
# error states tied to their field for screen readers.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(db_query fake_reset fake_messages);
use SmsCloud::Web qw(:all);

plan tests => 22, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $phone = '+15551330001';
fake_reset();
fresh_limits();
forget_phones($phone);

sub texts_to { return scalar grep { $_->{to} eq $phone } @{ fake_messages() } }
sub has_form { return $_[0]->decoded_content =~ /<input id="code" name="code"/ }
sub resend { my ($ua, $page) = @_; return post_form($ua, '/login', csrf => csrf_of($page), resend => 1) }

# ---------------------------------------------------------------- where the code went
my $ua = browser();
ask_code($ua, $phone);
my $page = $ua->get(url('/verify'));
is($page->code, 200, 'GET /verify: 200');
like($page->decoded_content, qr{code to <strong id="sent-to">\+155\*{6}01</strong>},
     '... says which number the code went to, redacted as in logs and texts');
unlike($page->decoded_content, qr/5551330001/, '... and never the whole number');
ok(has_form($page), '... with the code form');

# ---------------------------------------------------------------- a new code, same number
my $first = code_for($phone);
my $sent = texts_to();
my $res = resend($ua, $page);
is($res->code, 303, '"Send a new code" (resend=1, no number typed): 303');
is($res->header('Location'), '/verify', '... to /verify');
is(texts_to(), $sent + 1, '... and one more code is texted to the same phone');
my $second = code_for($phone);
$res = enter_code($ua, $first);
is($res->code, 400, 'the first code is dead after a new one');
is(enter_code($ua, $second)->code, 303, '... and the new one logs in');

$ua = browser();
put_cookie($ua, 'smscloud_attempt', 'no-such-attempt');
$page = $ua->get(url('/login'));
$res = resend($ua, $page);
is($res->code, 200, 'resend without a login attempt: the number form again');
like($res->decoded_content, qr/<input id="phone"/, '... to type the number');

# ---------------------------------------------------------------- dead codes show no form
fresh_limits();
$ua = browser();
ask_code($ua, $phone);
db_query(q{UPDATE login_codes SET expires_at = now() - interval '1 second' WHERE phone = :'v1'}, $phone);
$page = $ua->get(url('/verify'));
ok(!has_form($page), 'an expired code: /verify shows no code form');
like($page->decoded_content, qr/This code cannot be used any more/, '... says the code is dead');
like($page->decoded_content, qr/<button type="submit" id="resend"/, '... and offers a new code');
$sent = texts_to();
is(resend($ua, $page)->code, 303, '... which is sent');
is(texts_to(), $sent + 1, '... to the same phone');

fresh_limits();
$ua = browser();
ask_code($ua, $phone);
my $code = code_for($phone);
my $wrong = sprintf '%06d', ($code + 1) % 1000000;
$res = enter_code($ua, $wrong);
like($res->decoded_content, qr{<p class="error" role="alert" id="error">Wrong code\.},
     'a wrong code: the alert has an id');
like($res->decoded_content, qr{<input id="code"[^>]*aria-invalid="true" aria-describedby="error"},
     '... which the code field is tied to (aria-invalid, aria-describedby)');
$res = enter_code($ua, $wrong) for 1 .. 4;
like($res->decoded_content, qr/no attempts left/, 'the last wrong code');
ok(!has_form($res), '... shows no code form');
ok(!has_form($ua->get(url('/verify'))), '... nor does /verify afterwards');

# ---------------------------------------------------------------- the number form's error
$ua = browser();
$page = $ua->get(url('/login'));
$res = post_form($ua, '/login', csrf => csrf_of($page), phone => '12');
like($res->decoded_content, qr{<input id="phone"[^>]*aria-invalid="true" aria-describedby="error"}s,
     'a bad number: the phone field is tied to the alert');
