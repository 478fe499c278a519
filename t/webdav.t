# The WebDAV provider against two real servers on one tree: Apache's own
# mod_dav + mod_dav_fs with Basic auth (the test httpd's smscloud_dav vhost)
# and `rclone serve webdav`. For each: connect through /connect (checked
# with a PROPFIND before anything is stored), then the same conversation:
# ls, cd, more through a 500-entry folder, get and send, names with spaces,
# %, #, ?, &, quotes, non-ASCII and invalid UTF-8; downloads compared byte
# for byte, a 50 MB one among them with a Range at its end, while httpd's
# memory does not grow by anything near its size; and the password nowhere
# in the error_log or the database.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Digest::MD5 ();
use Encode ();
use File::Path qw(make_path remove_tree);
use LWP::UserAgent ();

use SmsCloud::Dav qw(:all);
use SmsCloud::Sms qw(state_of);
use SmsCloud::Test qw(db_query);
use SmsCloud::Web qw(:all);

my @SERVERS = qw(mod_dav rclone);
my $PER_SERVER = 25;
plan tests => @SERVERS * $PER_SERVER + 5, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ROOT = dav_root();
my $PASSWORD = 'dav-pass-Zq8#x';
my $BIG = 50 * 1024 * 1024;
my $FRIEND = '+15551449999';
my %NAMES = (
    nasty   => q{a b%20c #1? & 'q' "d".txt},
    unicode => "na\x{ef}ve caf\x{e9} \x{6587}\x{4ef6}.txt",
);

# the tree: files as bytes on disk (names in UTF-8, one that is not)
sub put
{
    my ($rel, $content) = @_;
    my $path = "$ROOT/$rel";
    (my $dir = $path) =~ s{/[^/]*$}{};
    make_path($dir, { mode => 0755 });
    open my $fh, '>:raw', $path or die "$path: $!";
    print $fh $content;
    close $fh or die "$path: $!";
    chmod 0644, $path;
}
remove_tree(grep { !m{/big\.bin$} } glob("$ROOT/*"));
put('Docs/report.txt', "quarterly report\n");
put(sprintf('Many/f%03d.txt', $_), "$_\n") for 0 .. 499;
put(Encode::encode('UTF-8', $NAMES{nasty}), "nasty\n");
put(Encode::encode('UTF-8', $NAMES{unicode}), "unicode\n");
put("raw\xff.txt", "not utf-8\n");
if (!-e "$ROOT/big.bin" || -s _ != $BIG) {
    open my $in, '<:raw', '/dev/urandom' or die;
    open my $out, '>:raw', "$ROOT/big.bin" or die;
    for (1 .. $BIG / 65536) { read($in, my $buf, 65536) == 65536 or die; print $out $buf }
    close $out or die;
}
chmod 0644, "$ROOT/big.bin";
my $big_md5 = md5_file("$ROOT/big.bin");

use_vhost('smscloud_webdav');
fresh_limits();

sub md5_file
{
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "$path: $!";
    return Digest::MD5->new->addfile($fh)->hexdigest;
}


# "3 name (2 B)" lines of a listing page: name => number
sub entries
{
    my ($page) = @_;
    my %n;
    for (split /\n/, $page) {
        $n{$2} = $1 if /^(\d+) (.*?)(?: \([\d.]+ [KMG]?B\))?$/;
    }
    return \%n;
}

# httpd's children, with their resident memory in kB
sub children_rss
{
    my $pidfile = Apache::Test::vars('t_logs') . '/httpd.pid';
    open my $fh, '<', $pidfile or die "$pidfile: $!";
    chomp(my $parent = <$fh>);
    my $total = 0;
    for my $status (glob '/proc/[0-9]*/status') {
        open my $s, '<', $status or next;
        my %f = map { /^(\w+):\s*(\S+)/ ? ($1, $2) : () } <$s>;
        $total += $f{VmRSS} // 0 if ($f{PPid} // '') eq $parent;
    }
    return $total;
}

my $lua = LWP::UserAgent->new(timeout => 60);

sub conversation
{
    my ($srv, $phone) = @_;
    my $n = $srv->{name};
    db_query(q{DELETE FROM accounts WHERE phone = :'v1'}, $phone);
    forget_phones($phone);
    my $ua = browser();
    log_in($ua, $phone);

    my $res = connect_webdav($ua, $srv->{url}, $srv->{user}, 'wrong-password');
    is($res->code, 403, "$n: a wrong password is refused on the page");
    like($res->decoded_content, qr/refused that user name and password/, "$n: ... saying so");
    is(db_query(q{SELECT count(*) FROM accounts WHERE phone = :'v1'}, $phone), 0,
       "$n: ... and nothing is stored");
    $res = connect_webdav($ua, $srv->{url}, $srv->{user}, $srv->{password});
    is($res->code, 303, "$n: the right one connects the account");
    like(db_query(q{SELECT credentials FROM accounts WHERE phone = :'v1'}, $phone),
         qr/^[A-Za-z0-9+\/=._:-]+$/, "$n: ... its credentials stored sealed");

    text($phone, 'reset');
    my $top = text($phone, 'ls');
    my $e = entries($top);
    is_deeply([sort grep { /\/$/ } keys %$e], ['Docs/', 'Many/'], "$n: ls shows the folders")
        or diag $top;
    ok($e->{'big.bin'} && $e->{$NAMES{nasty}} && $e->{$NAMES{unicode}},
       "$n: ... and the files, nasty and non-ASCII names as they are") or diag $top;
    is(scalar(grep { /^raw/ } keys %$e), 1, "$n: ... and the name that is not UTF-8, shown safely");

    my $page = text($phone, "cd $e->{'Many/'}");
    my %seen;
    my $pages = 0;
    while (1) {
        $pages++;
        $seen{$_} = 1 for keys %{ entries($page) };
        last unless $page =~ /\(reply MORE for \d+ more\)\z/ && $pages < 50;
        $page = text($phone, 'more');
    }
    is(scalar(keys %seen), 500, "$n: cd and more go through all 500 entries");
    cmp_ok($pages, '>', 1, "$n: ... over $pages pages");
    ok($seen{'f000.txt'} && $seen{'f499.txt'}, "$n: ... first to last");

    my $docs = entries(text($phone, 'cd ..'))->{'Docs/'};
    ok($docs, "$n: cd .. goes back to the top");
    my $report = entries(text($phone, "cd $docs"))->{'report.txt'};
    ok($report, "$n: cd into Docs lists report.txt");
    my $got = text($phone, "get $report");
    my ($url) = $got =~ m{^report\.txt: (http://\S+)$};
    ok($url, "$n: get gives a link") or diag $got;
    $res = $lua->get($url // 'http://127.0.0.1:1/');
    is($res->content, "quarterly report\n", "$n: the link serves the file");
    like($res->header('Content-Type') // '', qr{^text/plain}, "$n: ... with its type from the server");
    ok($res->header('ETag'), "$n: ... and its ETag");
    is(text($phone, "send $report $FRIEND"), "Sent report.txt to $FRIEND.", "$n: send texts it to a friend");
    like(db_query(q{SELECT body FROM outbox WHERE to_phone = :'v1' ORDER BY id DESC LIMIT 1},
                  $FRIEND), qr{/dl/}, "$n: ... a link");

    text($phone, 'cd ..');
    for my $kind (qw(nasty unicode)) {
        my $num = entries(text($phone, 'ls'))->{ $NAMES{$kind} };
        my ($link) = text($phone, "get $num") =~ m{: (http://\S+)$};
        is($lua->get($link // 'http://127.0.0.1:1/')->content, "$kind\n",
           "$n: the $kind name downloads");
    }

    my $big = entries(text($phone, 'ls'))->{'big.bin'};
    my ($big_url) = text($phone, "get $big") =~ m{: (http://\S+)$};
    my $before = children_rss();
    my ($peak, $md5, $bytes, $next) = ($before, Digest::MD5->new, 0, 0);
    $res = $lua->get($big_url // 'http://127.0.0.1:1/', ':read_size_hint' => 262144,
                     ':content_cb' => sub {
                         $md5->add($_[0]);
                         $bytes += length $_[0];
                         if ($bytes >= $next) {
                             my $rss = children_rss();
                             $peak = $rss if $rss > $peak;
                             $next += 2 * 1024 * 1024;
                         }
                     });
    is($res->code . " $bytes " . $md5->hexdigest, "200 $BIG $big_md5",
       "$n: the 50 MB file arrives byte for byte");
    cmp_ok($peak - $before, '<', 16 * 1024, "$n: ... while httpd grew by "
           . int(($peak - $before) / 1024) . " MB at most (under 16)");

    $res = $lua->get($big_url // 'http://127.0.0.1:1/', Range => 'bytes=' . ($BIG - 1000) . '-');
    open my $fh, '<:raw', "$ROOT/big.bin" or die;
    seek $fh, $BIG - 1000, 0;
    read $fh, my $tail, 1000;
    is($res->code . ' ' . ($res->header('Content-Range') // ''),
       '206 bytes ' . ($BIG - 1000) . '-' . ($BIG - 1) . "/$BIG", "$n: a Range at its end: 206");
    ok($res->content eq $tail, "$n: ... with its last 1000 bytes");
    return;
}

# the metrics every child shares (the main host's /metrics)
sub metric
{
    my ($name) = @_;
    my $res = Apache::TestRequest::GET('/metrics');
    die "GET /metrics: " . $res->code . "\n" unless $res->code == 200;
    my ($text, $sum) = ($res->content, 0);
    $sum += $1 while $text =~ /^\Q$name\E(?:\{[^}]*\})? (\d+)$/mg;
    return $sum;
}
my $UPSTREAM = 'smscloud_upstream_requests_total{target="webdav",status="2xx"}';
my ($calls0, $bytes0) = (metric($UPSTREAM), metric('smscloud_link_sent_bytes_total'));

my @phones = ('+15551440001', '+15551440002');
for my $i (0 .. $#SERVERS) {
    my $srv = $SERVERS[$i] eq 'rclone' ? rclone_server('davuser', $PASSWORD)
                                       : mod_dav_server('davuser', $PASSWORD);
    conversation($srv, $phones[$i]);
}

cmp_ok(metric($UPSTREAM) - $calls0, '>=', 2 * 10,
       'the metrics count the WebDAV calls, by target and status');
cmp_ok(metric('smscloud_link_sent_bytes_total') - $bytes0, '>=', 2 * $BIG,
       '... and the bytes the links streamed from it');

# nothing of the password anywhere it could leak to
my $all = do { local $/; open my $fh, '<', SmsCloud::Test::error_log_file() or die; <$fh> };
unlike($all, qr/\Q$PASSWORD\E/, 'the password is nowhere in the error_log');
my $dump = `"$ENV{SMSCLOUD_PGBIN}/pg_dump" --no-owner 2>&1`;
like($dump, qr/CREATE TABLE public\.accounts/, 'the database dump has the accounts');
unlike($dump, qr/\Q$PASSWORD\E|davuser:/, '... and not the password');
