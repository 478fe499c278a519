# The web flow in a real browser: headless Chromium (Debian's package),
# driven by playwright-core from npm (t/browser/), goes login -> code from
# the fake Twilio -> verify -> connect through the fake Kloudless ->
# sees the account -> removes it -> logs out, then the demo's set-up
# (local files, the phone simulator), then the WebDAV site: log in, the
# WebDAV form with a wrong password (refused, nothing stored) and the right
# one (connected) against the test httpd's mod_dav, after which an SMS `ls`
# lists that server's files. Every page and state on the way is
# checked with axe-core (npm too) at desktop and phone size, and any
# console error or failed request fails it. See t/browser/flow.js.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use File::Path qw(make_path);
use JSON::PP ();

use SmsCloud::Dav qw(dav_root mod_dav_server text);
use SmsCloud::Services ();
use SmsCloud::Test qw(db_query fake_reset fake_base);
use SmsCloud::Web qw(url fresh_limits forget_phones use_vhost);
use SmsCloud::Local qw(link_token);
use SmsCloud::Sms qw(fresh_phone);

my @steps = ('style sheet applies under the CSP', 'login sends to /verify',
             'code read back from the fake Twilio', 'verify sends to /connect',
             'connect shows the phone', 'no accounts yet', 'the connected account is listed',
             'the account is removed', 'after logout /connect sends to /login',
             'a connected local account says so',
             'a wrong WebDAV password is refused on the page', '... and nothing is stored',
             'the WebDAV account is connected', 'nothing blocked by the CSP',
             map({ ("no console error or failed request ($_)",
                    "every page and state passes axe (WCAG 2.1 AA), targets and width ($_)") }
                 qw(phone desktop)));

plan tests => 1 + @steps + 2 * 2, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $dir = "$FindBin::Bin/browser";
my $phone = '+15551300001';
my $local_phone = '+15551300004';
my $link_owner = '+15551300003';
my %dav_phones = (phone => '+15551300005', desktop => '+15551300006');

# playwright-core and axe-core come from npm, pinned by package-lock.json;
# playwright never downloads a browser of its own (we use /usr/bin/chromium)
if (grep { !-d "$dir/node_modules/$_" } qw(playwright-core axe-core)) {
    local $ENV{PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD} = 1;
    system("cd '$dir' && npm ci --no-audit --no-fund >&2 </dev/null") == 0
        or diag('npm ci failed');
}

fake_reset();
fresh_limits();
db_query(q{DELETE FROM accounts WHERE phone = :'v1' OR phone = :'v2' OR account_id = '1234567890'},
         $phone, $local_phone);
db_query(q{DELETE FROM accounts WHERE phone = :'v1' OR phone = :'v2'}, values %dav_phones);
forget_phones($phone, $local_phone, values %dav_phones);
fresh_phone($link_owner, accounts => [['local', $link_owner, 'local', 'Test files']]);
my $expired = '/dl/' . link_token(file => 'hello.txt', account => $link_owner, expires => time - 5);

# the WebDAV accounts: a folder for each screen on the test httpd's mod_dav
# (t/webdav.t empties the tree before it fills it)
my $dav_server = mod_dav_server('browser', 'browser-dav-Pw7');
my %dav_screens;
for my $screen (keys %dav_phones) {
    my $folder = dav_root() . "/Browser/$screen";
    make_path($folder, { mode => 0755 });
    open my $fh, '>', "$folder/browser-test.txt" or die "$folder: $!";
    print $fh "from t/browser.t\n";
    close $fh or die "$folder: $!";
    chmod 0644, "$folder/browser-test.txt";
    $dav_screens{$screen} = { phone => $dav_phones{$screen},
                              url => "$dav_server->{url}Browser/$screen/" };
}

my $base = url('');
my $local = 'http://' . use_vhost('smscloud_local');
my $dav = JSON::PP->new->canonical->encode({
    site => 'http://' . use_vhost('smscloud_webdav'), screens => \%dav_screens,
    user => $dav_server->{user}, password => $dav_server->{password},
    psql => SmsCloud::Services::psql_bin() });
my $out = qx{node '$dir/flow.js' '$base' '${\fake_base('twilio')}' '$phone' '$local' '$local_phone' '$expired' '$dav' 2>&1 </dev/null};
my $rc = $? >> 8;
is($rc, 0, 'the browser flow ran to the end') or diag($out);
my %seen = map { /^(?:not )?ok ([^:]+)/ ? ($1 => $_) : () } split /\n/, $out;
for my $s (@steps) {
    ok(($seen{$s} // '') eq "ok $s", $s) or diag($seen{$s} // 'step not reached');
}

# the accounts the form connected work: an SMS lists the server's folder
for my $screen (sort keys %dav_phones) {
    my $p = $dav_phones{$screen};
    is(db_query(q{SELECT count(*) FROM accounts WHERE phone = :'v1' AND provider = 'webdav'}, $p),
       1, "the WebDAV account connected on the $screen screen is stored");
    text($p, 'reset');
    like(text($p, 'ls'), qr/^\d+ browser-test\.txt\b/m, '... and an SMS ls lists its files');
}
