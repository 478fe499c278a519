# HSTS on the login pages of an https public site (and not on a plain
# http one), and the shipped configuration turning TRACE off.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use SmsCloud::Test ();

plan tests => 4, need need_module('mod_smscloud.c', 'mod_dbd.c');

Apache::TestRequest::module('smscloud_https');
is(GET('/login')->header('Strict-Transport-Security'), 'max-age=31536000',
   'https public site: the login page sends HSTS for a year');
is(GET('/verify')->header('Strict-Transport-Security'), 'max-age=31536000', '... /verify too');
Apache::TestRequest::module('default');
ok(!defined GET('/login')->header('Strict-Transport-Security'), 'http public site: no HSTS');

my $conf = SmsCloud::Test::top_dir() . '/conf/smscloud.conf';
open my $fh, '<', $conf or die "$conf: $!";
my $text = do { local $/; <$fh> };
like($text, qr/^TraceEnable Off$/m, 'the shipped configuration turns TRACE off');
