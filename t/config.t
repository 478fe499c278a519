# Bad directive values and incomplete configurations are refused when httpd
# reads its configuration, naming the directive and the value.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Copy qw(copy);
use File::Temp ();

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
    [SmsCloudOtpMessage   => '"your login code"', 'your login code'],
    [SmsCloudPublicUrl    => 'https://sms.example.com/app'],
    [SmsCloudPublicUrl    => 'https://sms.example.com/?x=1'],
    [SmsCloudPublicUrl    => 'https://sms.example.com#top'],
    [SmsCloudTemplateDir  => '/nonexistent/smscloud-templates'],
    [SmsCloudRetainOutbox => '5'],
    [SmsCloudMaintenanceInterval => '-1'],
    [SmsCloudTwilioAccountSid => 'XX123'],
    [SmsCloudTwilioFrom => 'abc'],
    [SmsCloudTwilioApiBase => 'notaurl'],
    [SmsCloudHttpTimeout => '0'],
    [SmsCloudHttpConnectTimeout => '0'],
    [SmsCloudMaxBody => '-1'],
    [SmsCloudMaxFormBody => '0'],
    [SmsCloudLinkLifetime => '0'],
    [SmsCloudLinkPath => 'dl'],
    [SmsCloudOtpAttempts => '0'],
    [SmsCloudOtpMaxFailures => '0'],
    [SmsCloudSmsIdle => '0'],
    [SmsCloudSessionIdle => '0'],
    [SmsCloudSessionMax => '0'],
    [SmsCloudReplayLifetime => '0'],
    [SmsCloudProviders => 'nosuch'],
    [SmsCloudRetainExpired => '-3'],
    [SmsCloudOtpLifetime => '99999999999'],
    [SmsCloudKloudlessApiBase => 'notaurl'],
    [SmsCloudLocalShared => 'maybe'],
    [SmsCloudLocalRoot => '/nonexistent/smscloud-files'],
);

plan tests => 2 + 2 * @bad + 2 + 30, need need_module('mod_smscloud.c', 'mod_dbd.c');

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
SmsCloudProviders kloudless
SmsCloudKloudlessAppId test_app_id
SmsCloudKloudlessApiKey test_kloudless_api_key
SmsCloudKloudlessApiBase ${SMSCLOUD_FAKE_KLOUDLESS}/v1
SmsCloudKloudlessAuthorizeUrl ${SMSCLOUD_FAKE_KLOUDLESS}/v1/oauth/
<Location /health>
    SetHandler smscloud-health
</Location>
EOF
$rest .= 'SmsCloudTemplateDir "' . SmsCloud::Test::top_dir() . "/htdocs\"\n";
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

# ---------------------------------------------------------------- ${VAR}
{
    local %ENV = %ENV;
    delete $ENV{SMSCLOUD_SECRET};
    my ($rc, $out) = httpd_config_test("SmsCloudSecret \${SMSCLOUD_SECRET}\n$rest");
    isnt($rc, 0, 'an unset ${SMSCLOUD_SECRET} is refused') or diag($out);
    like($out, qr/SmsCloudSecret: environment variable SMSCLOUD_SECRET is not set/,
         '... saying that the variable is not set') or diag($out);
    unlike($out, qr/at least 32 characters/, '... not that the secret is short');

    $ENV{SMSCLOUD_SECRET} = 'x' x 40;
    ($rc, $out) = httpd_config_test("SmsCloudSecret \${SMSCLOUD_SECRET}\n$rest");
    is($rc, 0, 'a set ${SMSCLOUD_SECRET} passes') or diag($out);
}

# ---------------------------------------------------------------- templates
my $templates = File::Temp->newdir('smscloud-tpl.XXXXXX', TMPDIR => 1);
{
    # a template that cannot be read (here a directory where a file belongs)
    # stops `httpd -t`, not only the start
    my $top = SmsCloud::Test::top_dir();
    for my $f (qw(verify.html connect.html message.html style.css icon.svg)) {
        copy("$top/htdocs/$f", "$templates/$f") or die "copy $f: $!";
    }
    mkdir "$templates/login.html" or die "mkdir: $!";
    my ($rc, $out) = httpd_config_test("$valid SmsCloudTemplateDir $templates\n");
    isnt($rc, 0, 'an unreadable template stops httpd -t') or diag($out);
    like($out, qr/SC03001: .*\Q$templates\E\/login\.html.*SmsCloudTemplateDir/,
         '... naming the file and SmsCloudTemplateDir') or diag($out);
}

# ---------------------------------------------------------------- OTP text
{
    my ($rc, $out) = httpd_config_test($valid . 'SmsCloudOrganisation "' . ('O' x 1600) . "\"\n");
    isnt($rc, 0, 'a login SMS over 1600 characters is refused') or diag($out);
    like($out, qr/SmsCloudOtpMessage .*1600/, '... naming SmsCloudOtpMessage and the limit')
        or diag($out);
}

# ---------------------------------------------------------------- link path
{
    my $link = "<Location /dl>\n    SetHandler smscloud-link\n</Location>\n";
    my ($rc, $out) = httpd_config_test("$valid$link");
    is($rc, 0, 'SmsCloudLinkPath /dl with <Location /dl> passes') or diag($out);
    unlike($out, qr/SC00031/, '... without a warning');

    ($rc, $out) = httpd_config_test("${valid}SmsCloudLinkPath /files\n$link");
    isnt($rc, 0, 'SmsCloudLinkPath /files while smscloud-link serves /dl is refused')
        or diag($out);
    like($out, qr/SmsCloudLinkPath \/files: .*<Location \/dl>/,
         '... naming the directive and the <Location>') or diag($out);

    ($rc, $out) = httpd_config_test($valid);
    is($rc, 0, 'routes without any smscloud-link location still pass') or diag($out);
    like($out, qr/SC00031: .*SmsCloudLinkPath \/dl/, '... with a warning') or diag($out);

    # the same check within the virtual host that serves the routes
    my $vhost = "<VirtualHost 127.0.0.1:80>\n    SmsCloudLinkPath /files\n$link</VirtualHost>\n";
    ($rc, $out) = httpd_config_test("$secret\n$rest$vhost");
    isnt($rc, 0, 'a mismatch inside a <VirtualHost> is refused') or diag($out);
    like($out, qr/SmsCloudLinkPath \/files: /, '... naming the directive') or diag($out);
}

# ---------------------------------------------------------------- providers
{
    # what the providers named need is checked before httpd starts
    my ($rc, $out) = httpd_config_test("${valid}SmsCloudProviders webdav\n");
    isnt($rc, 0, 'a provider with passwords and no SmsCloudCredentialKey is refused')
        or diag($out);
    like($out, qr/SC00001: .*SmsCloudCredentialKey is required with the webdav provider/,
         '... naming the key and the provider') or diag($out);

    ($rc, $out) = httpd_config_test("${valid}SmsCloudProviders local\n");
    isnt($rc, 0, 'the local provider without SmsCloudLocalRoot is refused') or diag($out);
    like($out, qr/SC00001: .*SmsCloudLocalRoot is required with the local provider/,
         '... naming the directive') or diag($out);

    my $files = File::Temp->newdir('smscloud-files.XXXXXX', TMPDIR => 1);
    ($rc, $out) = httpd_config_test("${valid}SmsCloudProviders local\nSmsCloudLocalRoot $files\n"
                                    . "SmsCloudLocalShared On\n", start => 1);
    is($rc, 0, 'a local tree shared by every phone starts') or diag($out);
    like($out, qr/SC05104: WARNING: SmsCloudLocalShared On/, '... with a warning')
        or diag($out);
}

# ---------------------------------------------------------------- shipped conf
{
    # conf/smscloud.conf as a2enmod enables it, and the routes snippet in
    # the one virtual host that serves them. Only its local root (which the
    # package creates) and the templates (installed by it) are pointed at
    # places of this checkout.
    my $top = SmsCloud::Test::top_dir();
    my $files = File::Temp->newdir('smscloud-files.XXXXXX', TMPDIR => 1);
    my $shipped = slurp("$top/conf/smscloud.conf");
    my $routes = slurp("$top/conf/smscloud-routes.conf");
    my $n = ($shipped =~ s{/var/lib/smscloud/files}{$files}g);
    ok($n >= 1, 'the shipped conf names the packaged local root');
    $shipped .= "SmsCloudTemplateDir $top/htdocs\n";
    # Debian's apache2 has mod_authz_host on (the routes' /metrics uses it)
    my $libexec = Apache::Test::vars('libexecdir') || '/usr/lib/apache2/modules';
    my $conf = qq{LoadModule authz_host_module "$libexec/mod_authz_host.so"\n}
        . "$shipped\n<VirtualHost 127.0.0.1:80>\n$routes</VirtualHost>\n";

    local %ENV = %ENV;
    delete $ENV{$_} for qw(SMSCLOUD_SECRET SMSCLOUD_PUBLIC_URL TWILIO_ACCOUNT_SID
                           TWILIO_AUTH_TOKEN TWILIO_FROM);
    my ($rc, $out) = httpd_config_test($conf);
    isnt($rc, 0, 'the shipped conf without its variables does not pass') or diag($out);
    like($out, qr/environment variable SMSCLOUD_SECRET is not set/,
         '... and says which variable to set') or diag($out);

    @ENV{qw(SMSCLOUD_SECRET SMSCLOUD_PUBLIC_URL TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN
            TWILIO_FROM)} = ('s' x 64, 'https://sms.example.com',
                             'AC' . ('0' x 32), 'token', '+15557654321');
    ($rc, $out) = httpd_config_test($conf);
    is($rc, 0, 'the shipped conf passes httpd -t once its variables are set') or diag($out);
    unlike($out, qr/SC00031|\[(?:warn|error|emerg)/, '... without a warning') or diag($out);

    ($rc, $out) = httpd_config_test($conf, start => 1);
    is($rc, 0, '... and starts') or diag($out);

    # the routes are the virtual host's only
    unlike($shipped, qr/^\s*<Location/mi, 'the module conf has no <Location>');
    my @handlers = ($routes =~ /^\s*SetHandler\s+(smscloud-\S+)/mg);
    is_deeply([sort @handlers],
              [sort map { "smscloud-$_" } qw(sms login verify connect logout health link metrics)],
              'the routes snippet enables every handler but the demo');
}

sub slurp
{
    my ($file) = @_;
    open my $fh, '<', $file or die "$file: $!";
    local $/;
    return scalar <$fh>;
}
