# The OTP API in flowroute sms-verification's wire format (/otp/flowroute
# on the smscloud_gate host, the "Flow" service: 6 digits, 3 attempts),
# driven the way its SMSAuthClient calls it (t/bin/flowroute-client), with
# the key in the endpoint URL: every answer of the format, the replaced
# code, the last attempt, expiry, field-level errors, the country-code form.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use HTTP::Request ();
use JSON::PP ();
use LWP::UserAgent ();
use SmsCloud::Test qw(db_query);
use SmsCloud::Web qw(use_vhost url fresh_limits);

plan tests => 50, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $secret = 'flow-secret-0123456789abcdef0123';
my ($phone, $phone2) = ('+15550020001', '+447700900123');

my $hostport = use_vhost('smscloud_gate');
my $endpoint = "http://app:$secret\@$hostport/otp/flowroute";

db_query(q{DELETE FROM api_keys WHERE key_id = 'app'});
db_query(q{INSERT INTO api_keys (key_id, secret_sha256)
           VALUES ('app', encode(sha256(convert_to(:'v1', 'UTF8')), 'hex'))}, $secret);

sub reset_state
{
    fresh_limits();
    db_query(q{DELETE FROM otp_verifications WHERE api_key = 'app'});
    db_query(q{DELETE FROM outbox WHERE to_phone IN (:'v1', :'v2')}, $phone, $phone2);
    return 1;
}
reset_state();

sub client
{
    my (@args) = @_;
    open my $fh, '-|', '/usr/bin/python3', "$FindBin::Bin/bin/flowroute-client", @args
        or die "flowroute-client: $!";
    my $out = do { local $/; <$fh> };
    close $fh;
    return eval { JSON::PP::decode_json($out) } // { died => $out };
}
sub create { client($endpoint, 'create', @_) }
sub check { client($endpoint, 'check', @_) }

sub last_code
{
    my ($to) = @_;
    my $body = db_query(q{SELECT body FROM outbox WHERE to_phone = :'v1' ORDER BY id DESC LIMIT 1},
                        $to) // '';
    my ($code) = $body =~ /: (\d+)$/;
    return $code;
}
sub wrong_for { my ($code) = @_; return $code eq '000000' ? '111111' : '000000' }

# ---- create, wrong, right, gone
my $r = create('user-1', '15550020001');
is($r->{status}, 200, 'create: 200');
is($r->{json}{message}, 'Success: Verification code created.', '... the message');
is($r->{json}{auth_id}, 'user-1', '... and the auth_id');
my $code = last_code($phone);
like($code // '', qr/^\d{6}$/, 'a 6-digit code went to +1 5550020001');

$r = check('user-1', wrong_for($code));
is($r->{status}, 400, 'a wrong code: 400');
is($r->{json}{message}, 'Invalid code', '... "Invalid code"');
is($r->{strerror}, 'InvalidAuthCode', '... reason InvalidAuthCode (the client\'s strerror)');
is($r->{attempts_left}, 2, '... 2 attempts left');
$r = check('user-1', $code);
is($r->{status}, 200, 'the right code: 200');
is($r->{json}{authenticated}, JSON::PP::true, '... authenticated');
is($r->{json}{auth_id}, 'user-1', '... for the auth_id');
is($r->{json}{message}, 'Success: Authorization code verified.', '... the message');
$r = check('user-1', $code);
is($r->{status}, 400, 'the same code again: 400');
is($r->{json}{message}, 'Unknown auth id', '... "Unknown auth id"');
is($r->{strerror}, 'UnknownAuthId', '... reason UnknownAuthId');
is($r->{attempts_left}, 0, '... 0 attempts left');

# ---- the last attempt ends the entry
reset_state();
create('user-2', '15550020001');
$code = last_code($phone);
my @left = map { check('user-2', wrong_for($code))->{attempts_left} } 1 .. 3;
is("@left", '2 1 0', 'three wrong codes: 2, 1, then 0 attempts left');
$r = check('user-2', $code);
is($r->{strerror}, 'UnknownAuthId', 'after the last attempt even the right code finds nothing');

# ---- a second create replaces the code and resets the attempts
reset_state();
create('user-3', '15550020001');
my $first = last_code($phone);
is(check('user-3', wrong_for($first))->{attempts_left}, 2, 'one wrong code: 2 left');
$r = create('user-3', '15550020001');
is($r->{status}, 200, 'a second create for the same auth_id: 200');
my $second = last_code($phone);
is(db_query(q{SELECT count(*) FROM outbox WHERE to_phone = :'v1'}, $phone), 2, '... a new SMS');
SKIP: {
    skip 'the CSPRNG drew the same code twice', 1 if $first eq $second;
    is(check('user-3', $first)->{attempts_left}, 2,
       'the replaced code is wrong now, and the attempts were reset (2 left after it)');
}
$r = check('user-3', $second);
is($r->{status}, 200, 'the new code verifies');
is(db_query(q{SELECT count(*) FROM otp_verifications WHERE api_key = 'app'}), 0,
   '... and the entry is gone');

# ---- expiry
reset_state();
create('user-4', '15550020001');
$code = last_code($phone);
db_query(q{UPDATE otp_verifications SET expires_at = now() - interval '1 second' WHERE api_key = 'app'});
$r = check('user-4', $code);
is($r->{status}, 400, 'an expired code: 400');
is($r->{json}{message}, 'Expired code', '... "Expired code"');
is($r->{strerror}, 'ExpiredAuthCode', '... reason ExpiredAuthCode');
is($r->{attempts_left}, 0, '... 0 attempts left');
is(check('user-4', $code)->{strerror}, 'UnknownAuthId', '... and then it is gone');

# ---- usage errors, field by field
$r = check('user-4', '12ab');
is($r->{status}, 400, 'a non-numeric code: 400');
is($r->{strerror}, 'InvalidAPIUsage', '... reason InvalidAPIUsage');
is($r->{message}, "Required arguments: 'auth_id' (str), 'code' (int)", '... naming the arguments');
$r = create('', '15550020001');
is($r->{status}, 400, 'an empty auth_id: 400');
is($r->{json}{errors}{auth_id}, 'is invalid', '... the field named') or diag(explain($r));
$r = create('user-5', '123');
is($r->{json}{errors}{recipient}, 'is invalid', 'a short recipient: the field named');
ok(!exists $r->{json}{errors}{auth_id}, '... and only that field');
$r = create('x' x 121, '15550020001');
is($r->{json}{errors}{auth_id}, 'is invalid', 'an auth_id over 120 characters: refused');
$r = create('user-5', '7700900123', '4x');
is($r->{json}{errors}{country_code}, 'is invalid', 'a bad country code: that field named');

# Bytes that are no UTF-8 (which the client above cannot send): refused as
# input, never stored or echoed.
sub raw
{
    my ($method, $query, $body) = @_;
    my $req = HTTP::Request->new($method => "http://$hostport/otp/flowroute$query",
                                 [ 'Content-Type' => 'application/json' ], $body);
    $req->authorization_basic('app', $secret);
    my $res = LWP::UserAgent->new(timeout => 30)->request($req);
    return { status => $res->code, json => eval { JSON::PP::decode_json($res->content) } };
}
my $stored = q{SELECT count(*) FROM otp_verifications WHERE api_key = 'app'};
my $before = db_query($stored);
$r = raw(POST => '', qq({"auth_id": "caf\xC3\xA9\xFF", "recipient": "15550020001"}));
is($r->{status}, 400, 'an auth_id that is no UTF-8: 400');
is($r->{json}{errors}{auth_id}, 'is invalid', '... the field named') or diag(explain($r));
is(db_query($stored), $before, '... and nothing stored');
is(raw(GET => '?auth_id=%ED%A0%80&code=123456')->{status}, 400,
   'a check with a surrogate in its auth_id: 400');

# ---- the Authy shape: a national number plus a country code
reset_state();
$r = create('user-6', '07700 900123', '44');
is($r->{status}, 200, 'a national number with its country code: 200');
ok(defined last_code($phone2), '... the code went to the same E.164 as the full form');
$r = create('user-7', '447700900123');
is(db_query(q{SELECT count(DISTINCT phone) FROM otp_verifications WHERE api_key = 'app'}), 1,
   '... which the full form also gives');

# ---- credentials
(my $bad = $endpoint) =~ s/\Q$secret\E/wrong/;
$r = client($bad, 'create', 'user-8', '15550020001');
is($r->{status}, 401, 'a wrong secret in the URL: 401');
(my $none = $endpoint) =~ s{app:\Q$secret\E\@}{};
$r = client($none, 'check', 'user-8', '123456');
is($r->{status}, 401, 'no credentials: 401');
is($r->{strerror}, 'InvalidAPIKey', '... reason InvalidAPIKey');
is(db_query(q{SELECT count(*) FROM outbox WHERE to_phone = :'v1'}, $phone), 0, '... and nothing sent');

# ---- the original's flaws fixed: exact length from a CSPRNG, never stored in the clear
reset_state();
my %lengths;
for my $i (1 .. 5) {
    create("len-$i", '15550020001');
    $lengths{ length(last_code($phone) // '') }++;
}
is(join(',', keys %lengths), '6', 'codes always have the configured 6 digits');
reset_state();
