# The OTP API in Twilio Verify v2's wire format (/otp/twilio on the
# smscloud_gate host, codes in its outbox): python3-twilio's own client
# creates and checks a verification unchanged; raw HTTP for every error;
# per-key credentials, limits and revocation; one success when many checks
# of one code race.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use HTTP::Request::Common qw(GET POST);
use JSON::PP ();
use LWP::UserAgent ();
use MIME::Base64 ();
use SmsCloud::Test qw(db_query in_child child_result);
use SmsCloud::Web qw(use_vhost url fresh_limits);

plan tests => 62, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $SVC = 'VA0123456789abcdef0123456789abcdef';
my $SHORT = 'VAfedcba9876543210fedcba9876543210';
my ($phone, $phone2, $phone3) = ('+15550010001', '+15550010002', '+15550010003');
my %key = (shop => 'shop-secret-0123456789abcdef0123', tight => 'tight-secret-0123456789abcdef01');

use_vhost('smscloud_gate');
my $base = url('/otp/twilio');

sub reset_state
{
    fresh_limits();
    db_query(q{DELETE FROM otp_verifications});
    db_query(q{DELETE FROM outbox WHERE to_phone LIKE '+1555001000_'});
    return 1;
}
db_query(q{DELETE FROM otp_verifications; DELETE FROM api_keys});
for my $id (sort keys %key) {
    db_query(q{INSERT INTO api_keys (key_id, secret_sha256, send_limit, check_limit)
               VALUES (:'v1', encode(sha256(convert_to(:'v2', 'UTF8')), 'hex'),
                       CAST(:'v3' AS integer), CAST(:'v4' AS integer))},
             $id, $key{$id}, $id eq 'tight' ? 2 : 100, $id eq 'tight' ? 3 : 500);
}
reset_state();

sub last_code
{
    my ($to) = @_;
    my $body = db_query(q{SELECT body FROM outbox WHERE to_phone = :'v1' ORDER BY id DESC LIMIT 1}, $to)
        // '';
    my ($code) = $body =~ /(\d{4,10})/;
    return ($code, $body);
}

sub sends_to { db_query(q{SELECT count(*) FROM outbox WHERE to_phone = :'v1'}, $_[0]) }

# ---- python3-twilio's client, unchanged
sub client
{
    my ($op, @args) = @_;
    my $bin = "$FindBin::Bin/bin/twilio-verify";
    open my $fh, '-|', '/usr/bin/python3', $bin, $base, 'shop', $key{shop}, $SVC, $op, @args
        or die "twilio-verify: $!";
    my $out = do { local $/; <$fh> };
    close $fh;
    return eval { JSON::PP::decode_json($out) } // { died => $out };
}

my $v = client('create', $phone);
is($v->{status}, 'pending', 'twilio client: create gives a pending verification') or diag(explain($v));
like($v->{sid} // '', qr/^VE[0-9a-f]{32}$/, '... with a VE sid');
is($v->{to}, $phone, '... to the number');
is($v->{channel}, 'sms', '... by sms');
is($v->{service_sid}, $SVC, '... of the service');
is($v->{account_sid}, 'shop', '... for the key');
ok($v->{date_created}, '... dated (the library parsed the ISO 8601 time)');
my ($code, $body) = last_code($phone);
like($code // '', qr/^\d{6}$/, 'a 6-digit code went out');
like($body, qr/^Your Test Shop verification code is: \d{6}$/, '... in the service message');

my $wrong = $code eq '000000' ? '111111' : '000000';
my $c = client('check', $phone, $wrong);
is($c->{status}, 'pending', 'a wrong code: still pending');
ok(!$c->{valid}, '... and not valid');
$c = client('check', $phone, $code);
is($c->{status}, 'approved', 'the right code: approved');
ok($c->{valid}, '... and valid');
$c = client('check', $phone, $code);
is($c->{error}, 20404, 'a second check of the code: 20404');
is($c->{http}, 404, '... as a 404');
my $f = client('fetch', $v->{sid});
is($f->{error}, 20404, 'an approved verification is gone');

# wrong codes until the attempts are used up
reset_state();
$v = client('create', $phone);
($code) = last_code($phone);
$wrong = $code eq '000000' ? '111111' : '000000';
my @statuses = map { client('check', $phone, $wrong)->{status} // 'error' } 1 .. 5;
is("@statuses", 'pending pending pending pending pending', 'five wrong codes: pending each time');
$c = client('check', $phone, $code);
is($c->{error}, 60202, 'then even the right code: 60202 (max check attempts)');
is($c->{http}, 429, '... as a 429');

# fetch, check by sid, cancel
reset_state();
$v = client('create', $phone2);
$f = client('fetch', $v->{sid});
is($f->{status}, 'pending', 'fetch: the pending verification');
is($f->{sid}, $v->{sid}, '... by its sid');
($code) = last_code($phone2);
$c = client('check-sid', $v->{sid}, $code);
is($c->{status}, 'approved', 'check by VerificationSid: approved');
$v = client('create', $phone2);
my $cn = client('cancel', $v->{sid});
is($cn->{status}, 'canceled', 'cancel: canceled');
($code) = last_code($phone2);
$c = client('check', $phone2, $code);
is($c->{error}, 20404, '... and its code is dead (20404)');

# resend: a new code, the old one dead, at most `sends`
reset_state();
$v = client('create', $phone3);
my ($first) = last_code($phone3);
my $again = client('create', $phone3);
is($again->{sid}, $v->{sid}, 'a second create while pending: the same verification');
my ($second) = last_code($phone3);
is(sends_to($phone3), 2, '... and a second SMS');
my $third = client('create', $phone3);
is($third->{status}, 'pending', 'the third send is allowed (sends=3)');
my $fourth = client('create', $phone3);
is($fourth->{error}, 60203, 'the fourth: 60203 (max send attempts)');
is($fourth->{http}, 429, '... as a 429');
is(sends_to($phone3), 3, '... and no SMS');
my ($latest) = last_code($phone3);
$c = client('check', $phone3, $first) if $first ne $latest;
ok($first eq $latest || $c->{status} eq 'pending', 'an older code does not verify');
$c = client('check', $phone3, $latest);
is($c->{status}, 'approved', 'the newest one does');

# ---- raw HTTP: credentials and every error
my $ua = LWP::UserAgent->new(timeout => 30);
sub api
{
    my ($method, $path, $auth, @form) = @_;
    my $req = $method eq 'GET' ? GET("$base$path") : POST("$base$path", \@form);
    $req->header(Authorization => 'Basic ' . MIME::Base64::encode_base64($auth, ''))
        if defined $auth;
    my $res = $ua->request($req);
    my $json = eval { JSON::PP::decode_json($res->decoded_content) } // {};
    return ($res, $json);
}
my $ok = "shop:$key{shop}";
my $list = "/v2/Services/$SVC/Verifications";
my $chk = "/v2/Services/$SVC/VerificationCheck";

reset_state();
my ($res, $j) = api('POST', $list, 'nobody:whatever', To => $phone, Channel => 'sms');
is($res->code, 401, 'an unknown key: 401');
is($j->{code}, 20003, '... code 20003');
my $unknown = $res->decoded_content;
($res, $j) = api('POST', $list, 'shop:wrong-secret', To => $phone, Channel => 'sms');
is($res->code, 401, 'a wrong secret: 401');
is($res->decoded_content, $unknown, '... with the very same body as an unknown key');
($res) = api('POST', $list, undef, To => $phone, Channel => 'sms');
is($res->code, 401, 'no credentials: 401');
like($res->header('WWW-Authenticate') // '', qr/^Basic /, '... with a Basic challenge');
is(sends_to($phone), 0, 'none of them sent anything');

($res, $j) = api('POST', "/v2/Services/VA00000000000000000000000000000000/Verifications", $ok,
                 To => $phone, Channel => 'sms');
is($j->{code}, 20404, 'an unknown service: 20404');
is($res->code, 404, '... 404');
for my $case ([[To => '12345', Channel => 'sms'], 'To'], [[Channel => 'sms'], 'To'],
              [[To => $phone, Channel => 'carrier-pigeon'], 'Channel'],
              [[To => $phone, Channel => 'sms', CustomCode => '123456'], 'CustomCode'],
              [[To => $phone, Channel => 'sms', CustomFriendlyName => "x\ny"], 'CustomFriendlyName']) {
    my ($form, $field) = @$case;
    ($res, $j) = api('POST', $list, $ok, @$form);
    ok($res->code == 400 && $j->{code} == 60200 && $j->{message} =~ /\Q$field\E/,
       "create with a bad $field: 400 60200") or diag($res->as_string);
}
($res, $j) = api('POST', $chk, $ok, To => $phone);
ok($res->code == 400 && $j->{code} == 60200, 'a check without Code: 60200');
($res, $j) = api('POST', $chk, $ok, Code => '123456');
ok($res->code == 400 && $j->{code} == 60200, 'a check without To or VerificationSid: 60200');
($res, $j) = api('POST', $chk, $ok, To => $phone, Code => '123456');
ok($res->code == 404 && $j->{code} == 20404, 'a check with nothing pending: 20404');
($res, $j) = api('POST', "$list/VEnothing", $ok, Status => 'canceled');
ok($res->code == 404 && $j->{code} == 20404, 'cancel of an unknown sid: 20404');
($res, $j) = api('GET', $chk, $ok);
is($res->code, 405, 'GET on VerificationCheck: 405');
($res, $j) = api('POST', $list, $ok, To => $phone, Channel => 'sms');
is($res->code, 201, 'raw create: 201');
($res, $j) = api('POST', "$list/$j->{sid}", $ok, Status => 'paused');
ok($res->code == 400 && $j->{code} == 60200, 'an update to another Status: 60200');

# short service: its own length, attempts and message
($res, $j) = api('POST', "/v2/Services/$SHORT/Verifications", $ok, To => $phone2, Channel => 'sms');
($code, $body) = last_code($phone2);
like($body, qr/^Short code \d{4}$/, 'a service with length=4: its own message and code length');

# per-key limits: the tight key may send twice
my $tight = "tight:$key{tight}";
my @codes = map { (api('POST', $list, $tight, To => "+1555001010$_", Channel => 'sms'))[0]->code } 1 .. 3;
is("@codes", '201 201 429', 'a key with send_limit 2: the third send is refused');
($res, $j) = api('POST', $list, $ok, To => '+15550010103', Channel => 'sms');
is($res->code, 201, '... while another key sends on');
db_query(q{UPDATE api_keys SET revoked_at = now() WHERE key_id = 'shop'});
($res, $j) = api('POST', $list, $ok, To => $phone3, Channel => 'sms');
is($res->code, 401, 'a revoked key is refused at once (no restart)');
is($res->decoded_content, $unknown, '... looking like an unknown one');
db_query(q{UPDATE api_keys SET revoked_at = NULL WHERE key_id = 'shop'});
db_query(q{DELETE FROM outbox WHERE to_phone LIKE '+155500101%'});

# ---- N checks of one code race: exactly one success
reset_state();
($res, $j) = api('POST', $list, $ok, To => $phone, Channel => 'sms');
($code) = last_code($phone);
my @kids = map { in_child(sub { my ($r) = api('POST', $chk, $ok, To => $phone, Code => $code);
                               return { code => $r->code, body => $r->decoded_content } }) } 1 .. 8;
my @answers = map { scalar child_result($_) } @kids;
my $approved = grep { $_->{code} == 200 && $_->{body} =~ /"status":"approved"/ } @answers;
my $gone = grep { $_->{code} == 404 } @answers;
is($approved, 1, '8 concurrent checks of one code: exactly one approved');
is($gone, 7, '... the other seven find nothing pending');

# ---- nothing stored in the clear
reset_state();
($res, $j) = api('POST', $list, $ok, To => $phone, Channel => 'sms');
($code) = last_code($phone);
is(db_query(q{SELECT count(*) FROM otp_verifications WHERE code_hash LIKE '%' || :'v1' || '%'}, $code),
   0, 'the stored row does not hold the code');
like(db_query(q{SELECT code_hash FROM otp_verifications}), qr/^[0-9a-f]{64}$/, '... only its keyed hash');
reset_state();
