# The gate in Chromium (t/browser/gate.js): a static page behind AuthType
# SmsCloud on the main host (/gated, codes by the fake Twilio) sends the
# browser through /login and /verify and back to itself. The npm set-up is
# t/browser.t's.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(fake_reset fake_base);
use SmsCloud::Web qw(url fresh_limits forget_phones);

my @steps = ('the protected page sends to the login page', 'login sends to /verify',
             'verify returns to the page first asked for', 'the protected page is shown');

plan tests => 1 + @steps, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $dir = "$FindBin::Bin/browser";
my $phone = '+15551300002';
my $path = '/gated/page.html?from=browser';

if (!-d "$dir/node_modules/playwright-core") {
    local $ENV{PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD} = 1;
    system("cd '$dir' && npm ci --no-audit --no-fund >&2 </dev/null") == 0
        or diag('npm ci failed');
}

my $docroot = Apache::Test::vars('documentroot');
mkdir "$docroot/gated" unless -d "$docroot/gated";
chmod 0755, "$docroot/gated";
open my $fh, '>', "$docroot/gated/page.html" or die "page.html: $!";
print $fh "<!DOCTYPE html><title>gated</title><p>the protected page</p>\n";
close $fh;
chmod 0644, "$docroot/gated/page.html";

fake_reset();
fresh_limits();
forget_phones($phone);

my $out = qx{node '$dir/gate.js' '${\url('')}' '${\fake_base('twilio')}' '$phone' '$path' 2>&1 </dev/null};
my $rc = $? >> 8;
is($rc, 0, 'the browser went through the gate') or diag($out);
my %seen = map { /^(?:not )?ok ([^:]+)/ ? ($1 => $_) : () } split /\n/, $out;
for my $s (@steps) {
    ok(($seen{$s} // '') eq "ok $s", $s) or diag($seen{$s} // 'step not reached');
}
