# The code field's pattern must compile as browsers compile it (the v
# flag, since Chromium 112): an invalid one turns the check off silently.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(fake_reset);
use SmsCloud::Web qw(:all);

my $node = -x '/usr/bin/node' ? '/usr/bin/node' : undef;
plan tests => 4, need need_module('mod_smscloud.c', 'mod_dbd.c'),
    need { 'node (build-aux/debian-packages-test)' => defined $node };

my $phone = '+15551320001';
fake_reset();
fresh_limits();
forget_phones($phone);
my $ua = browser();
ask_code($ua, $phone);
my $page = $ua->get(url('/verify'))->decoded_content;
my ($pattern) = $page =~ /pattern="([^"]*)"/;
ok(defined $pattern, '/verify has a pattern on the code field');
$pattern //= '';
(my $js = $pattern) =~ s/&amp;/&/g;
# the browser anchors it: ^(?:pattern)$ with the v flag
my $check = sub {
    my ($value) = @_;
    open my $fh, '-|', $node, '-e',
        'try { const re = new RegExp("^(?:" + process.argv[1] + ")$", "v");'
      . ' console.log(re.test(process.argv[2]) ? "match" : "no") }'
      . ' catch (e) { console.log("invalid") }', $js, $value or die "node: $!";
    my $out = <$fh> // '';
    close $fh;
    chomp $out;
    return $out;
};
is($check->('123 456'), 'match', 'the pattern compiles with the v flag and takes "123 456"');
is($check->('123-456'), 'match', '... and "123-456"');
is($check->('12a456'), 'no', '... and refuses letters');
forget_phones($phone);
