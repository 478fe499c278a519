# The request check of /sms happens before anything else: a bad or missing
# signature is 403 with no database row and no upstream request; method,
# type and size limits; who may use the service.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);

use SmsCloud::Test qw(db_query fake_reset fake_requests fake_messages
                      error_log_mark error_log_since);
use SmsCloud::Sms qw(:all);

plan tests => 51, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ME = '+15550002001';
my $url = public_url() . '/sms';
(my $https = $url) =~ s/^http:/https:/;
(my $other_host = $url) =~ s{//[^:/]+}{//evil.example.com};

fake_reset();
fresh_phone($ME, accounts => [['kloudless', '1234567890', 'dropbox', 'Dropbox (a)']]);

# Call before the request: returns a check to call after it.
sub expect_nothing
{
    my $before = state_of($ME);
    fake_reset();
    return sub { nothing_happened(@_, $before) };
}

sub nothing_happened
{
    my ($sid, $what, $before) = @_;
    is(db_query(q{SELECT count(*) FROM processed_messages WHERE message_sid = :'v1'}, $sid),
       0, "$what: no replay record");
    is_deeply(state_of($ME), $before, "$what: state row as it was");
    is(scalar @{ fake_requests('kloudless') } + scalar @{ fake_requests('twilio') }, 0,
       "$what: no upstream request");
}

my @refused = (
    [ 'missing signature',   signature => undef ],
    [ 'empty signature',     signature => '' ],
    [ 'forged signature',    signature => 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' ],
    [ 'truncated signature', signature => substr(sign($url, {}), 0, 20) ],
    [ 'signed for https',    sign_url => $https ],
    [ 'signed for another host', sign_url => $other_host ],
    [ 'signed with a query string', sign_url => "$url?x=1" ],
);
for my $case (@refused) {
    my ($what, @args) = @$case;
    my $sid = new_sid();
    my $mark = error_log_mark();
    my $check = expect_nothing();
    my $res = sms(body => 'ls', from => $ME, sid => $sid, @args);
    is($res->code, 403, "$what: 403");
    my @lines = grep { /SC02001/ } error_log_since($mark);
    is(scalar @lines, 1, "$what: one log line") or diag(@lines);
    $check->($sid, $what) if $what =~ /missing|forged/;
}

# A valid signature over other fields: one altered, one added.
{
    my $sid = new_sid();
    my %p = (From => $ME, Body => 'ls', MessageSid => $sid);
    my $sig = sign($url, \%p);
    my $res = sms(body => 'ls', from => $ME, sid => $sid, signature => $sig,
                  params => { map { ($_ => undef) } qw(ToCountry ToState SmsMessageSid
                      NumMedia ToCity FromZip SmsSid FromState SmsStatus FromCity
                      FromCountry To ToZip NumSegments AccountSid ApiVersion) });
    is($res->code, 200, 'control: the same three fields signed are accepted');
    $sid = new_sid();
    my $check = expect_nothing();
    $sig = sign($url, { From => $ME, Body => 'ls', MessageSid => $sid });
    $res = sms(body => 'get 1', from => $ME, sid => $sid, signature => $sig,
               params => { map { ($_ => undef) } qw(ToCountry ToState SmsMessageSid
                   NumMedia ToCity FromZip SmsSid FromState SmsStatus FromCity
                   FromCountry To ToZip NumSegments AccountSid ApiVersion) });
    is($res->code, 403, 'a signed field altered: 403');
    $check->($sid, 'altered field');
}
{
    # sign the normal fields, then send one more
    my $sid = new_sid();
    my $good = sms(body => 'pwd', from => $ME, sid => $sid);
    is($good->code, 200, 'control: a normal signed message');
}
{
    my $sid = new_sid();
    my %fields = (From => $ME, Body => 'pwd', MessageSid => $sid);
    my $sig = sign($url, \%fields);
    my $content = join '&', map { "$_=" . ($fields{$_} =~ s/\+/%2B/r) } sort keys %fields;
    my $res = Apache::TestRequest::POST('/sms', 'Content-Type' => 'application/x-www-form-urlencoded',
        'X-Twilio-Signature' => $sig, content => "$content&Extra=1");
    is($res->code, 403, 'a field added after signing: 403');
}

# Method, type, size.
is(GET('/sms')->code, 405, 'GET /sms is 405');
is(sms(body => 'ls', from => $ME, content_type => 'text/plain')->code, 415, 'text/plain is 415');
is(sms(body => 'ls', from => $ME, content_type => 'application/json')->code, 415, 'JSON is 415');
{
    my $sid = new_sid();
    my $check = expect_nothing();
    my $res = sms(body => 'x' x (64 * 1024 + 1), from => $ME, sid => $sid);
    is($res->code, 413, 'body over SmsCloudMaxBody (64 KiB) is 413');
    $check->($sid, '413');
}

# Signed, but not what Twilio sends.
is(sms(body => 'ls', from => '5551234567')->code, 400, 'From not E.164: 400');
is(sms(body => 'ls', from => $ME, sid => 'SM123')->code, 400, 'short MessageSid: 400');
is(sms(body => 'ls', from => $ME, sid => 'XX' . ('a' x 32))->code, 400, 'MessageSid prefix: 400');
is(sms(body => 'ls', from => $ME, sid => 'SM' . ('g' x 32))->code, 400, 'MessageSid not hex: 400');
is(sms(body => 'ls', from => $ME, sid => undef)->code, 400, 'no MessageSid: 400');
is(db_query(q{SELECT count(*) FROM sms_state WHERE phone = :'v1'}, $ME), 1,
   'only the control messages made a state row');

# Who may use it: unknown, unverified, verified without accounts all get
# the same short sign-up reply, and no state row.
my $signup = 'To use SMS Cloud Test by text, sign up at ' . public_url()
           . '/login and connect a storage account.';
my %who = (unknown => '+15550002002', unverified => '+15550002003',
           'no accounts' => '+15550002004');
db_query(q{DELETE FROM phones WHERE phone IN (:'v1', :'v2', :'v3')}, values %who);
add_phone($who{unverified}, verified => 0,
          accounts => [['kloudless', 'u-1', 'dropbox', 'Dropbox (u)']]);
add_phone($who{'no accounts'});
my $connect = 'No storage account is connected. Connect one at ' . public_url()
            . '/connect and text LS again.';
for my $w (sort keys %who) {
    # a signed-up phone without accounts is sent to /connect, not /login
    is(say_ok('ls', from => $who{$w}), $w eq 'no accounts' ? $connect : $signup,
       "$w phone: " . ($w eq 'no accounts' ? 'connect' : 'sign-up') . ' reply');
    is(db_query(q{SELECT count(*) FROM sms_state WHERE phone = :'v1'}, $who{$w}), 0,
       "$w phone: no state row");
}
is(say_ok('STOP', from => $who{unknown}), '', 'STOP from an unknown phone: no reply');
