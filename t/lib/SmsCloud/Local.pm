package SmsCloud::Local;

# Helpers for the tests of the local provider, its download links and the
# phone simulator (the smscloud_local <VirtualHost> of extra.conf.in).
#
#   local_root()                 SmsCloudLocalRoot of the tests
#   local_put($rel, $bytes)      write a file below it (folders made)
#   local_reset()                empty it (and the sibling outside dir)
#   outside_dir()                a directory next to it, never reachable
#   link_token(file => ..., expires => ..., provider => ..., account => ...,
#              secret => ...)    a new link's token, its row stored as
#                                mod_smscloud_dbd_link.c stores it
#   pattern_bytes($n)            $n bytes whose every 4-byte word is its index

use strict;
use warnings FATAL => 'all';

use Exporter 'import';
use Digest::SHA qw(hmac_sha256_hex);
use File::Path qw(make_path remove_tree);
use File::Basename qw(dirname);
use MIME::Base64 qw(encode_base64url);

use Apache::Test ();
use SmsCloud::Test qw(db_query);

our @EXPORT_OK = qw(local_root local_put local_reset outside_dir link_token
                    pattern_bytes TEST_SECRET);

# SmsCloudSecret in t/conf/extra.conf.in
use constant TEST_SECRET => 'test-secret-0123456789abcdef0123456789abcdef';

sub local_root
{
    my $dir = Apache::Test::vars('local_root');
    die "local_root: not configured (t/TEST sets \@LOCAL_ROOT\@)\n"
        unless $dir && -d $dir;
    return $dir;
}

sub outside_dir { return local_root() . '.outside' }

sub local_reset
{
    my $root = local_root();
    opendir my $dh, $root or die "opendir $root: $!\n";
    remove_tree(map { "$root/$_" } grep { $_ ne '.' && $_ ne '..' } readdir $dh);
    remove_tree(outside_dir());
    make_path(outside_dir(), { mode => 0755 });
}

sub local_put
{
    my ($rel, $bytes) = @_;
    my $path = local_root() . "/$rel";
    make_path(dirname($path), { mode => 0755 });
    open my $fh, '>:raw', $path or die "write $path: $!\n";
    print $fh $bytes;
    close $fh or die "close $path: $!\n";
    chmod 0644, $path;
    return $path;
}

sub link_token
{
    my (%a) = @_;
    my $key = hmac_sha256_hex('link-key', $a{secret} // TEST_SECRET);
    open my $rnd, '<:raw', '/dev/urandom' or die "urandom: $!\n";
    read($rnd, my $bytes, 16) == 16 or die "urandom: short read\n";
    my $token = encode_base64url($bytes);
    db_query(q{INSERT INTO links (id_hash, account_ref, phone, file_id, expires_at)
               SELECT :'v1', id, phone, :'v2', to_timestamp(CAST(:'v3' AS bigint))
               FROM accounts WHERE provider = :'v4' AND account_id = :'v5'},
             hmac_sha256_hex($token, $key), $a{file}, $a{expires} // time + 600,
             $a{provider} // 'local', $a{account} // '+15551230000');
    return $token;
}

sub pattern_bytes
{
    my ($n) = @_;
    return substr(pack('N*', 0 .. int($n / 4)), 0, $n);
}

1;
