# Bad directive values and incomplete configurations are refused when httpd
# reads its configuration, naming the directive and the value.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(httpd_config_test);

my @bad = (
    [SmsCloudOtpLength    => '12'],
    [SmsCloudOtpLength    => 'abc'],
    [SmsCloudOtpLifetime  => '-5'],
    [SmsCloudPublicUrl    => 'ftp://x'],
    [SmsCloudSmsTransport => 'pigeon'],
    [SmsCloudRateLimit    => 'nosuch 1 60', 'nosuch'],
    [SmsCloudRateLimit    => 'sms-global 0 3600', '0'],
    [SmsCloudSmsCountries => '44'],
    [SmsCloudSmsCountries => '+1 +0', '+0'],
    [SmsCloudSmsPrefixDigits => '0'],
);

plan tests => 2 + 2 * @bad + 2, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $secret = 'SmsCloudSecret "test-secret-0123456789abcdef0123456789abcdef"';
my $rest = <<'EOF';
DBDriver pgsql
DBDParams "host=${PGHOST} port=${PGPORT} dbname=${PGDATABASE} user=${PGUSER}"
SmsCloudPublicUrl http://127.0.0.1:8529
SmsCloudOrganisation "SMS Cloud Test"
SmsCloudTwilioAccountSid AC00000000000000000000000000000001
SmsCloudTwilioAuthToken test_auth_token_0123456789abcdef
SmsCloudTwilioFrom +15557654321
SmsCloudTwilioApiBase ${SMSCLOUD_FAKE_TWILIO}
SmsCloudKloudlessAppId test_app_id
SmsCloudKloudlessApiKey test_kloudless_api_key
SmsCloudKloudlessApiBase ${SMSCLOUD_FAKE_KLOUDLESS}/v1
SmsCloudKloudlessAuthorizeUrl ${SMSCLOUD_FAKE_KLOUDLESS}/v1/oauth/
<Location /health>
    SetHandler smscloud-health
</Location>
EOF
my $valid = "$secret\n$rest";

{
    my ($rc, $out) = httpd_config_test($valid);
    is($rc, 0, 'a complete configuration passes httpd -t') or diag($out);
    like($out, qr/Syntax OK/, '... and httpd says Syntax OK');
}

for my $case (@bad) {
    my ($directive, $value, $shown) = @$case;
    $shown //= $value;
    my ($rc, $out) = httpd_config_test("$valid$directive $value\n");
    isnt($rc, 0, "$directive $value is refused") or diag($out);
    # one message names both, e.g. "SmsCloudOtpLength: '12' is not ..."
    like($out, qr/\Q$directive\E[^\n]*\Q$shown\E|\Q$shown\E[^\n]*\Q$directive\E/,
         "... naming $directive and '$shown'") or diag($out);
}

{
    # SmsCloudPublicUrl and the rest, but no secret: refused by -t (the
    # check_config hook) or at the latest when httpd starts.
    my ($rc, $out) = httpd_config_test($rest);
    ($rc, $out) = httpd_config_test($rest, start => 1) if $rc == 0;
    isnt($rc, 0, 'a configuration without SmsCloudSecret does not start') or diag($out);
    like($out, qr/SmsCloudSecret/, '... naming SmsCloudSecret') or diag($out);
}
