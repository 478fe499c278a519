# The web flow in a real browser: headless Chromium (Debian's package),
# driven by playwright-core from npm (t/browser/), goes login -> code from
# the fake Twilio -> verify -> connect through the fake Kloudless ->
# sees the account -> removes it -> logs out. See t/browser/flow.js.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(db_query fake_reset fake_base);
use SmsCloud::Web qw(url fresh_limits forget_phones);

my @steps = ('style sheet applies under the CSP', 'login sends to /verify',
             'code read back from the fake Twilio', 'verify sends to /connect',
             'connect shows the phone', 'no accounts yet', 'the connected account is listed',
             'the account is removed', 'after logout /connect sends to /login',
             'nothing blocked by the CSP');

plan tests => 1 + @steps, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $dir = "$FindBin::Bin/browser";
my $phone = '+15551300001';

# playwright-core comes from npm, pinned by package-lock.json; it never
# downloads a browser of its own (we use /usr/bin/chromium)
if (!-d "$dir/node_modules/playwright-core") {
    local $ENV{PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD} = 1;
    system("cd '$dir' && npm ci --no-audit --no-fund >&2 </dev/null") == 0
        or diag('npm ci failed');
}

fake_reset();
fresh_limits();
db_query(q{DELETE FROM accounts WHERE phone = :'v1' OR account_id = '1234567890'}, $phone);
forget_phones($phone);

my $base = url('');
my $out = qx{node '$dir/flow.js' '$base' '${\fake_base('twilio')}' '$phone' 2>&1 </dev/null};
my $rc = $? >> 8;
is($rc, 0, 'the browser flow ran to the end') or diag($out);
my %seen = map { /^(?:not )?ok ([^:]+)/ ? ($1 => $_) : () } split /\n/, $out;
for my $s (@steps) {
    ok(($seen{$s} // '') eq "ok $s", $s) or diag($seen{$s} // 'step not reached');
}
