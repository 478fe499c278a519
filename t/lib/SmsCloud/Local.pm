package SmsCloud::Local;

# Helpers for the tests of the local provider, its download links and the
# phone simulator (the smscloud_local <VirtualHost> of extra.conf.in).
#
#   local_root()                 SmsCloudLocalRoot of the tests
#   local_put($rel, $bytes)      write a file below it (folders made)
#   local_reset()                empty it (and the sibling outside dir)
#   outside_dir()                a directory next to it, never reachable
#   link_token(file => ..., expires => ..., provider => ..., account => ...,
#              secret => ...)    a token as sc_link.c signs it
#   pattern_bytes($n)            $n bytes whose every 4-byte word is its index

use strict;
use warnings FATAL => 'all';

use Exporter 'import';
use Digest::SHA qw(hmac_sha256 hmac_sha256_hex);
use File::Path qw(make_path remove_tree);
use File::Basename qw(dirname);
use MIME::Base64 qw(encode_base64url);

use Apache::Test ();

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
    my $secret = $a{secret} // TEST_SECRET;
    my $key = hmac_sha256_hex('link-key', $secret);
    my $payload = join "\0", $a{version} // '1', $a{provider} // 'local',
                       $a{account} // '+15551230000', $a{file},
                       $a{expires} // time + 600;
    return encode_base64url($payload) . '.' . encode_base64url(hmac_sha256($payload, $key));
}

sub pattern_bytes
{
    my ($n) = @_;
    return substr(pack('N*', 0 .. int($n / 4)), 0, $n);
}

1;
