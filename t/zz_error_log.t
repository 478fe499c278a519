# The error_log of this run: no child died, and every [error], [crit],
# [alert] or [emerg] line is one that t/conf/expected-errors lists as
# provoked on purpose by some test. t/TEST runs this file last in every run
# (also after `t/TEST t/some.t`) and says where the run's part of the log
# begins (SMSCLOUD_ERROR_LOG_MARK); named alone, it checks the whole log.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);

use SmsCloud::Test qw(error_log_file crash_lines);

plan tests => 4, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ALLOW = SmsCloud::Test::top_dir() . '/t/conf/expected-errors';
my $LEVEL = qr/^\[[^\]]*\] \[(?:[\w.-]+:)?(?:error|crit|alert|emerg)\]/;

# ---------------------------------------------------------------- the list
# One regex per line, each after a comment naming the test that provokes it.
# A regex must name our tag (SCnnnnn) or httpd's (AHnnnnn) and say more
# than the tag, so that one entry never waves through a whole family.
my (@allow, @bad_entries);
{
    open my $fh, '<', $ALLOW or die "$ALLOW: $!\n";
    my $commented = 0;
    while (my $line = <$fh>) {
        chomp $line;
        if ($line =~ /^\s*#/) { $commented = 1; next }
        if ($line !~ /\S/) { $commented = 0; next }
        my $re = eval { qr/$line/ };
        (my $rest = $line) =~ s/\b(?:SC|AH)\d{5}\b//;
        push @bad_entries, "line $.: not a regex: $@" and next unless $re;
        push @bad_entries, "line $.: no SCnnnnn or AHnnnnn tag: $line"
            unless $line =~ /\b(?:SC|AH)\d{5}\b/;
        push @bad_entries, "line $.: nothing but the tag and wildcards: $line"
            unless $rest =~ /[A-Za-z]{4}/;
        push @bad_entries, "line $.: no comment says which test provokes it: $line"
            unless $commented;
        push @allow, { re => $re, text => $line, used => 0 };
    }
}
ok(!@bad_entries && @allow, "t/conf/expected-errors: tagged, specific, commented")
    or diag(join "\n", @bad_entries);

# ---------------------------------------------------------------- the log
my ($dev, $ino, $from) = split /:/, $ENV{SMSCLOUD_ERROR_LOG_MARK} // '0:0:0';
my @st = stat error_log_file();
ok(@st, 'there is an error_log') or diag(error_log_file() . ": $!");
# rotated or truncated since the mark: all of it is this run's
$from = 0 unless @st && $st[0] == $dev && $st[1] == $ino && $st[7] >= $from;
my @lines;
if (open my $fh, '<', error_log_file()) {
    seek $fh, $from, 0;
    @lines = <$fh>;
}
note(sprintf '%d lines of %s from byte %d', scalar @lines, error_log_file(), $from);

my @crashes = crash_lines(@lines);
ok(!@crashes, 'no child crashed, no memory error') or diag(join '', @crashes);

# Lines that are no log entry at all are what a child wrote to stderr.
my @unexpected;
for my $line (@lines) {
    next unless $line =~ $LEVEL || $line !~ /^\[/;
    my ($hit) = grep { $line =~ $_->{re} } @allow;
    if ($hit) { $hit->{used}++ } else { push @unexpected, $line }
}
ok(!@unexpected, 'every error line is listed in t/conf/expected-errors')
    or diag(scalar(@unexpected) . " unexpected:\n", join '', @unexpected);
note("allowed $_->{used} time(s): $_->{text}") for grep { $_->{used} } @allow;
