# Download links of the local provider (smscloud_local vhost): streaming,
# headers, Range, and every way out of the root or past the signature.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET HEAD POST);
use Digest::MD5 qw(md5_hex);

use SmsCloud::Local qw(:DEFAULT local_put local_reset outside_dir link_token
                       pattern_bytes local_root);
use SmsCloud::Sms qw(fresh_phone);
use SmsCloud::Test qw(db_query);

plan tests => 49, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $BIG = 20 * 1024 * 1024;
local_reset();
# the account link_token() signs for by default
my $OWNER = '+15551230000';
fresh_phone($OWNER, accounts => [['local', $OWNER, 'local', 'Test files']]);
local_put('hello.txt', "hello world\n");
my $big = pattern_bytes($BIG);
local_put('Docs/big.bin', $big);
local_put("Docs/na me \xc3\xa9&'.txt", "x");
local_put('.hidden.txt', 'hidden');
local_put('gone.txt', 'soon gone');
my $outside = outside_dir();
open my $fh, '>', "$outside/secret.txt" or die; print $fh "secret\n"; close $fh;
my $root = local_root();
symlink '/etc', "$root/out" or die;
symlink '/etc/passwd', "$root/out_file" or die;
symlink $outside, "$root/escape" or die;
symlink '..', "$root/up" or die;

Apache::TestRequest::module('smscloud_local');
Apache::TestRequest::user_agent(reset => 1, requests_redirectable => 0);

sub dl { my ($file, %o) = @_; return '/dl/' . link_token(file => $file, %o) }

# --- a small file, all headers
my $res = GET dl('hello.txt') . '/hello.txt';
is($res->code, 200, 'valid link: 200') or diag($res->as_string);
is($res->content, "hello world\n", 'the file itself');
like($res->header('Content-Type') // '', qr{^text/plain}, 'Content-Type from mod_mime');
is($res->header('Content-Length'), 12, 'Content-Length');
like($res->header('Content-Disposition') // '',
     qr{^attachment; filename="hello\.txt"; filename\*=UTF-8''hello\.txt$}, 'Content-Disposition');
is($res->header('X-Content-Type-Options'), 'nosniff', 'nosniff');
is($res->header('Content-Security-Policy'), 'sandbox', 'CSP sandbox: no script on our origin');
is($res->header('Accept-Ranges'), 'bytes', 'Accept-Ranges');
ok($res->header('ETag'), 'ETag');
ok($res->header('Last-Modified'), 'Last-Modified');

my $etag = $res->header('ETag');
$res = GET dl('hello.txt'), 'If-None-Match' => $etag;
is($res->code, 304, 'If-None-Match with the ETag: 304');

$res = HEAD dl('hello.txt');
is($res->code, 200, 'HEAD: 200');
is($res->header('Content-Length'), 12, 'HEAD: Content-Length');
is($res->content, '', 'HEAD: no body');

$res = POST dl('hello.txt'), content => 'x=1';
is($res->code, 405, 'POST: 405');

# --- non-ASCII name: RFC 6266 filename*
$res = GET dl("Docs/na me \xc3\xa9&'.txt");
is($res->code, 200, 'name with space, UTF-8, & and quote: 200');
my $cd = $res->header('Content-Disposition') // '';
like($cd, qr{filename\*=UTF-8''na%20me%20%C3%A9%26%27\.txt$}i, 'filename* percent-encoded UTF-8');
like($cd, qr{filename="na me __&?_?\.txt"|filename="[ -~]*"}, 'ASCII fallback is plain ASCII');
unlike($cd, qr{filename="[^"]*"[^;]}, 'fallback quoted string is closed properly');

# --- 20 MB streamed, whole and in ranges
$res = GET dl('Docs/big.bin');
is($res->code, 200, 'big file: 200');
is($res->header('Content-Length'), $BIG, 'big file: Content-Length');
is(length($res->content), $BIG, 'big file: every byte');
is(md5_hex($res->content), md5_hex($big), 'big file: the right bytes');
like($res->header('Content-Type') // '', qr{^application/octet-stream}, 'unknown type: octet-stream');

$res = GET dl('Docs/big.bin'), Range => 'bytes=1000000-1000099';
is($res->code, 206, 'Range: 206');
is($res->header('Content-Range'), "bytes 1000000-1000099/$BIG", 'Content-Range');
is($res->content, substr($big, 1000000, 100), 'Range: the exact slice');

$res = GET dl('Docs/big.bin'), Range => 'bytes=-10';
is($res->code, 206, 'suffix Range: 206');
is($res->content, substr($big, -10), 'suffix Range: last 10 bytes');

$res = GET dl('Docs/big.bin'), Range => "bytes=$BIG-";
is($res->code, 416, 'Range past the end: 416');

# --- opaque tokens, and expiry
my $good = link_token(file => 'Docs/big.bin');
like($good, qr/^[A-Za-z0-9_-]{22}$/, 'a token is 22 random characters');
is(db_query(q{SELECT count(*) FROM links WHERE id_hash = :'v1' OR file_id = :'v1'}, $good), 0,
   '... stored only as a keyed hash: a copy of the table gives no link');
(my $tampered = $good) =~ s/^(.)/$1 eq 'A' ? 'B' : 'A'/e;
$res = GET("/dl/$tampered");
is($res->code, 403, 'a changed token: 403');
like($res->content, qr{<html lang="en">.*<meta name="viewport".*This link does not work}s,
     '... with our own page, not the stock one');
is(GET('/dl/not-a-token')->code, 403, 'garbage token: 403');
is(GET('/dl/' . link_token(file => 'hello.txt', secret => 'another-secret-0123456789abcdef0123'))->code,
   403, 'stored under another secret: 403');
$res = GET('/dl/' . link_token(file => 'hello.txt', expires => time - 5));
is($res->code, 410, 'expired: 410');
like($res->content, qr{This link has expired.*Text GET}s, '... with our own page saying what to do');
my $exp = link_token(file => 'hello.txt', expires => time - 5);
$exp =~ s/^(.)/$1 eq 'A' ? 'B' : 'A'/e;
is(GET("/dl/$exp")->code, 403, 'expired and changed: 403, not 410');

# --- ids that leave the root or reach hidden things: 404 even when signed
my @refused = ('../' . (split m{/}, $outside)[-1] . '/secret.txt', '/etc/passwd',
               'Docs/../../etc/passwd', 'escape/secret.txt', 'out_file', 'out/passwd',
               'up/etc/passwd', '.hidden.txt', '%2e%2e/%2e%2e/etc/passwd', 'Docs');
my @codes = map { GET(dl($_))->code } @refused;
is_deeply(\@codes, [(404) x @refused], 'escapes, symlinks out, hidden, a folder: all 404')
    or diag(join ' ', map { "$refused[$_]=$codes[$_]" } 0 .. $#refused);
# httpd itself refuses %2F in a path (AllowEncodedSlashes Off): 404
like(GET('/dl/..%2f..%2fetc%2fpasswd')->code, qr/^40[34]$/, 'encoded path instead of a token: refused');

# a page or image that could run script is still a download, and sandboxed
local_put('page.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
$res = GET dl('page.svg');
like($res->header('Content-Disposition') // '', qr/^attachment;/, '.svg: attachment');
is($res->header('Content-Security-Policy'), 'sandbox', '.svg: CSP sandbox');

my $gone = dl('gone.txt');
unlink "$root/gone.txt";
is(GET($gone)->code, 404, 'file removed after the link was made: 404');
is(GET(dl('hello.txt', provider => 'kloudless'))->code, 403, 'no link for an account that is not connected: 403');

# --- the main server offers no local provider
Apache::TestRequest::module('default');
is(GET(dl('hello.txt'))->code, 404, 'main server (no local provider): 404');

# --- a link outlives no account: removed, its links are dead
Apache::TestRequest::module('smscloud_local');
is(GET(dl('hello.txt'))->code, 200, 'the link works while its account is connected');
my $kept = dl('hello.txt');
db_query(q{DELETE FROM accounts WHERE provider = 'local' AND account_id = :'v1'}, $OWNER);
is(GET($kept)->code, 403, 'a link of a removed account no longer works');
is(db_query(q{SELECT count(*) FROM links WHERE phone = :'v1'}, $OWNER), 0, '... its rows are gone');
