package SmsCloud::Test;

# Helpers for the mod_smscloud .t files. They rely on the environment t/TEST
# sets up (see t/lib/SmsCloud/Services.pm).
#
#   db_query($sql, @bind)        psql; @bind are :'v1', :'v2', ... in $sql
#   fake_reset()                 reset both fakes
#   fake_requests($which)        'twilio' | 'kloudless': requests it received
#   fake_messages()              SMS the fake Twilio accepted
#   fake_script($which, \%keys)  shape the next answers of one fake
#   error_log_mark()             position in t/logs/error_log
#   error_log_since($mark)       what httpd logged after it
#   crash_lines(@lines)          those that show a dead child or broken
#                                memory (signals, glibc aborts, sanitizers)
#   httpd_config_test($conf, start => 0|1, while_up => sub { ... })
#                                (exit code, output) of httpd -t (or of a
#                                real start) on a minimal config + $conf;
#                                while_up runs once it serves, before the
#                                stop, and gets its port
#   pg_stop(), pg_start()        stop/start the test cluster (outages)
#   in_child(sub { ... })        run it in a forked process now; a handle
#   child_result($handle)        wait for it: what the sub returned (a
#                                list of plain data, through JSON)
#   pg_log_statements($on)       PostgreSQL logs every statement (1) or
#                                stops (0); END blocks should turn it off
#   pg_log_mark()                position in PostgreSQL's log
#   pg_statements_since($mark)   the statements httpd's connections ran
#                                after it, as [pid, text] pairs

use strict;
use warnings FATAL => 'all';

use Carp qw(croak);
use File::Basename ();
use Exporter 'import';
use File::Temp ();
use HTTP::Tiny ();
use IO::Socket::INET ();
use JSON::PP ();
use POSIX ();
use Time::HiRes ();

use Apache::Test ();
use Apache::TestRequest ();
use SmsCloud::Services qw(pg_start pg_stop free_port);

our @EXPORT_OK = qw(db_query fake_reset fake_requests fake_messages fake_script
                    fake_base error_log_mark error_log_since error_log_file crash_lines
                    httpd_config_test module_so pg_start pg_stop in_child child_result
                    pg_log_statements pg_log_mark pg_statements_since);
our %EXPORT_TAGS = (all => \@EXPORT_OK);

my $JSON = JSON::PP->new->utf8->canonical;

sub top_dir { return $ENV{SMSCLOUD_TOP} || Apache::Test::vars('top_dir') }

# ---------------------------------------------------------------- database

# Run $sql (one or more statements) with psql against the test database.
# Values are bound as psql variables v1, v2, ... and must be referenced as
# :'v1' (a quoted literal) or :"v1" (an identifier), never interpolated.
# undef cannot be bound: write NULL in the SQL.
# List context: the rows of every statement that returns rows, each an array
# ref of column values (NULL and '' both come back as ''; test IS NULL in SQL).
# Scalar context: the first column of the first row, or undef without rows.
# Dies with psql's message when a statement fails.
sub db_query
{
    my ($sql, @bind) = @_;
    my @cmd = (SmsCloud::Services::psql_bin(), '-X', '-q', '--csv', '-t',
               '-v', 'ON_ERROR_STOP=1');
    for my $i (0 .. $#bind) {
        croak "db_query: bind value " . ($i + 1) . " is undef" unless defined $bind[$i];
        croak "db_query: bind values cannot contain NUL" if $bind[$i] =~ /\0/;
        push @cmd, '-v', 'v' . ($i + 1) . "=$bind[$i]";
    }
    # -c would not expand :'v1'; a file does
    my $in = File::Temp->new(TEMPLATE => 'smscloud-sql.XXXXXX', TMPDIR => 1);
    binmode $in, ':utf8' if utf8::is_utf8($sql);
    print $in $sql, "\n";
    close $in or croak "db_query: $!";
    my $err = File::Temp->new(TEMPLATE => 'smscloud-sqlerr.XXXXXX', TMPDIR => 1);

    my $pid = open(my $out, '-|');
    croak "db_query: fork: $!" unless defined $pid;
    if (!$pid) {
        open STDIN, '<', '/dev/null';
        open STDERR, '>', $err->filename;
        { exec { $cmd[0] } @cmd, '-f', $in->filename }
        print STDERR "exec $cmd[0]: $!\n";
        POSIX::_exit(127);
    }
    my $text = do { local $/; <$out> };
    close $out;
    my $status = $?;
    if ($status) {
        my $msg = do { local $/; open my $fh, '<', $err->filename; <$fh> } // '';
        croak "db_query failed (exit " . ($status >> 8) . "): $msg\nSQL: $sql\n";
    }
    my @rows = parse_csv(defined $text ? $text : '');
    return wantarray ? @rows : (@rows ? $rows[0][0] : undef);
}

# psql --csv output (RFC 4180, "\n" line ends) to rows.
sub parse_csv
{
    my ($text) = @_;
    my (@rows, @row);
    my $len = length $text;
    return () unless $len;
    pos($text) = 0;
    while (1) {
        if ($text =~ /\G"((?:[^"]|"")*)"/gc) {
            (my $v = $1) =~ s/""/"/g;
            push @row, $v;
        }
        else {
            $text =~ /\G([^,\n"]*)/gc;
            push @row, $1;
        }
        next if $text =~ /\G,/gc;
        if ($text =~ /\G\r?\n/gc) {
            push @rows, [@row];
            @row = ();
            last if pos($text) >= $len;
            next;
        }
        if (pos($text) >= $len) {
            push @rows, [@row];
            last;
        }
        croak "db_query: cannot parse psql output at offset " . pos($text);
    }
    return @rows;
}

# ---------------------------------------------------------------- fakes

my $http = HTTP::Tiny->new(timeout => 10, agent => 'smscloud-tests');

# Base URL of one fake: 'twilio' or 'kloudless'.
sub fake_base
{
    my ($which) = @_;
    my $var = !defined $which ? undef
            : $which eq 'twilio' ? 'SMSCLOUD_FAKE_TWILIO'
            : $which eq 'kloudless' ? 'SMSCLOUD_FAKE_KLOUDLESS'
            : undef;
    croak "fake: 'twilio' or 'kloudless', not " . ($which // 'undef') unless $var;
    my $url = $ENV{$var};
    croak "fake: \$$var is not set (not run from t/TEST?)" unless $url;
    return $url;
}

sub fake_call
{
    my ($which, $method, $path, $body) = @_;
    my $url = fake_base($which) . $path;
    my %opt;
    if (defined $body) {
        $opt{content} = $JSON->encode($body);
        $opt{headers} = { 'Content-Type' => 'application/json' };
    }
    my $res = $http->request($method, $url, \%opt);
    croak "fake: $method $url: $res->{status} $res->{reason}: "
        . ($res->{content} // '') unless $res->{success};
    return $res;
}

# Forget requests, messages, script and data changes of both fakes.
sub fake_reset
{
    fake_call('twilio', 'POST', '/_fake/reset');
    return 1;
}

# The API requests one fake received, oldest first (array ref of hashes:
# method, path, query, headers, body, form, json, time).
sub fake_requests
{
    my ($which) = @_;
    my $res = fake_call($which, 'GET', '/_fake/requests');
    return $JSON->decode($res->{content});
}

# SMS the fake Twilio accepted: array ref of {to, from, body, sid, ...}.
sub fake_messages
{
    my $res = fake_call('twilio', 'GET', '/_fake/messages');
    return $JSON->decode($res->{content});
}

# Merge %$keys into one fake's script (see t/fake/README.md), e.g.
# fake_script(twilio => { status => 503, times => 1 }).
sub fake_script
{
    my ($which, $keys) = @_;
    croak 'fake_script: a hash ref of script keys' unless ref $keys eq 'HASH';
    fake_base($which);    # validates $which
    fake_call('twilio', 'POST', '/_fake/script', { $which => $keys });
    return 1;
}

# ---------------------------------------------------------------- children

sub in_child
{
    my ($code) = @_;
    pipe(my $r, my $w) or croak "in_child: pipe: $!";
    my $pid = fork // croak "in_child: fork: $!";
    if (!$pid) {
        close $r;
        # its own connection: a keep-alive one shared with the parent
        # would mix up the answers
        Apache::TestRequest::user_agent(reset => 1);
        my @out = eval { $code->() };
        @out = ({ died => "$@" }) if $@;
        print $w $JSON->encode(\@out);
        close $w;
        POSIX::_exit(0);
    }
    close $w;
    return { pid => $pid, fh => $r };
}

sub child_result
{
    my ($h) = @_;
    my $fh = $h->{fh};
    my $text = do { local $/; <$fh> };
    close $fh;
    waitpid $h->{pid}, 0;
    croak "child_result: the child said nothing (exit status $?)"
        unless defined $text && length $text;
    my $out = $JSON->decode($text);
    croak "child_result: the child died: $out->[0]{died}"
        if @$out == 1 && ref $out->[0] eq 'HASH' && exists $out->[0]{died};
    return wantarray ? @$out : $out->[0];
}

# ---------------------------------------------------------------- error_log

sub error_log_file
{
    return Apache::Test::vars('t_logs') . '/error_log';
}

# The current end of t/logs/error_log, for error_log_since().
sub error_log_mark
{
    my $size = -s error_log_file();
    return $size || 0;
}

# What was logged after $mark: the text in scalar context, the lines in list
# context. httpd logs a request's messages before it answers, so reading
# after the response is enough.
sub error_log_since
{
    my ($mark) = @_;
    $mark ||= 0;
    my $text = '';
    if (open my $fh, '<', error_log_file()) {
        seek $fh, $mark, 0;
        local $/;
        $text = <$fh> // '';
    }
    return wantarray ? split(/(?<=\n)/, $text) : $text;
}

# What httpd's parent logs when a child dies of a signal (AH00050-AH00052
# "child pid N exit signal ...", AH00060 for its own), and what glibc, the
# stack protector and the sanitizers write to stderr (which is the log)
# before they abort.
my $CRASH = qr{
    exit\ signal | Segmentation\ fault | \bAH0005[0-2]\b | \bAH00060\b
  | ^\*\*\*\  | \*\*\*:\ terminated
  | \b(?:double\ free|free\(\):|malloc\(\):|realloc\(\):|munmap_chunk\(\):
       |corrupted\ (?:size|double-linked|top\ size))
  | Sanitizer | ^==\d+== | \bruntime\ error:
}mx;

sub crash_lines
{
    return grep { /$CRASH/ } @_;
}

# ---------------------------------------------------------------- statement log

sub pg_log_file { return File::Basename::dirname($ENV{SMSCLOUD_PGDATA}) . '/postgresql.log' }

sub pg_log_statements
{
    my ($on) = @_;
    db_query($on ? q{ALTER SYSTEM SET log_statement = 'all'}
                 : q{ALTER SYSTEM RESET log_statement});
    db_query($on ? q{ALTER SYSTEM SET log_line_prefix = '%m [%p] app=%a '}
                 : q{ALTER SYSTEM RESET log_line_prefix});
    db_query('SELECT pg_reload_conf()');
    # every backend reads the new settings before its next statement; give
    # the postmaster a moment to signal them
    Time::HiRes::sleep(0.5);
}

sub pg_log_mark { return -s pg_log_file() || 0 }

# DETAIL lines (the parameters) are appended to the statement they belong
# to. What a new pooled connection does once (its schema check and
# statements, see mod_smscloud_dbd.c) belongs to no request, and psql's
# statements are the test's own.
sub pg_statements_since
{
    my ($from) = @_;
    my $log = pg_log_file();
    open my $fh, '<', $log or die "$log: $!";
    seek $fh, $from, 0;
    my (@st, %last);
    while (my $line = <$fh>) {
        if ($line =~ /\[(\d+)\] app=(\S*) LOG:\s+(?:statement|execute \S+):/) {
            my ($pid, $app) = ($1, $2);
            next if $app eq 'psql';
            if ($line =~ /statement: PREPARE |schema_version/) {
                delete $last{$pid};
                next;
            }
            push @st, [$pid, $line];
            $last{$pid} = $#st;
        }
        elsif ($line =~ /\[(\d+)\] app=\S* DETAIL:\s+parameters:/ && exists $last{$1}) {
            $st[$last{$1}][1] .= $line;
        }
    }
    return @st;
}

# ---------------------------------------------------------------- httpd -t

sub module_so { return top_dir() . '/mod_smscloud/.libs/mod_smscloud.so' }

sub slurp
{
    my ($file) = @_;
    open my $fh, '<', $file or return '';
    local $/;
    return <$fh> // '';
}

# Check a configuration with the same httpd: a minimal config (event MPM,
# authz_core, mod_dbd, mod_smscloud, in that order) followed by $conf, run
# with `httpd -t`, or with start => 1 really started in the foreground (-X)
# and stopped again once it serves. Returns (exit code, output); the output
# is httpd's stdout, stderr and error log. A start that comes up counts as
# exit code 0.
sub httpd_config_test
{
    my ($conf, %opt) = @_;
    my $vars = Apache::Test::vars();
    my $httpd = $vars->{httpd} or croak 'httpd_config_test: no httpd in the Apache::Test config';
    my $libexec = $vars->{libexecdir} || '/usr/lib/apache2/modules';
    my $tmp = File::Temp->newdir('smscloud-conf.XXXXXX', TMPDIR => 1);
    my $dir = "$tmp";
    chmod 0755, $dir;
    my $port = free_port();
    my $user = '';
    if ($> == 0) {
        $user = sprintf "User %s\nGroup %s\n",
            $vars->{user} || 'nobody', $vars->{group} || 'nogroup';
    }
    my $so = module_so();
    my $text = join "\n",
        qq{ServerRoot "$dir"},
        qq{DefaultRuntimeDir "$dir"},
        qq{PidFile "$dir/httpd.pid"},
        qq{ErrorLog "$dir/error_log"},
        q{LogLevel info},
        q{ServerName 127.0.0.1},
        qq{Listen 127.0.0.1:$port},
        $user,
        qq{LoadModule mpm_event_module "$libexec/mod_mpm_event.so"},
        qq{LoadModule authz_core_module "$libexec/mod_authz_core.so"},
        qq{LoadModule dbd_module "$libexec/mod_dbd.so"},
        qq{LoadModule smscloud_module "$so"},
        q{# ---- the text under test},
        $conf, '';
    open my $fh, '>', "$dir/httpd.conf" or croak "$dir/httpd.conf: $!";
    print $fh $text;
    close $fh or croak "$dir/httpd.conf: $!";

    my @cmd = ($httpd, '-d', $dir, '-f', "$dir/httpd.conf",
               $opt{start} ? '-X' : '-t');
    my $outfile = "$dir/output";
    my $pid = fork;
    croak "httpd_config_test: fork: $!" unless defined $pid;
    if (!$pid) {
        open STDIN, '<', '/dev/null';
        open STDOUT, '>', $outfile or POSIX::_exit(126);
        open STDERR, '>&', \*STDOUT;
        { exec { $cmd[0] } @cmd }
        print STDERR "exec $cmd[0]: $!\n";
        POSIX::_exit(127);
    }
    my $rc;
    my $deadline = Time::HiRes::time() + ($opt{start} ? 10 : 30);
    while (1) {
        if (waitpid($pid, POSIX::WNOHANG()) == $pid) {
            $rc = $? & 127 ? 128 + ($? & 127) : $? >> 8;
            undef $pid;
            last;
        }
        if ($opt{start} && -s "$dir/httpd.pid"
            && IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                     Proto => 'tcp', Timeout => 1)) {
            $rc = 0;    # up and serving
            $opt{while_up}->($port) if $opt{while_up};
            last;
        }
        if (Time::HiRes::time() > $deadline) {
            $rc = $opt{start} ? 0 : 124;
            last;
        }
        Time::HiRes::sleep(0.05);
    }
    if (defined $pid) {
        kill 'TERM', $pid;
        my $until = Time::HiRes::time() + 10;
        Time::HiRes::sleep(0.05)
            while waitpid($pid, POSIX::WNOHANG()) != $pid && Time::HiRes::time() < $until;
        if (kill 0, $pid) { kill 'KILL', $pid; waitpid $pid, 0 }
    }
    return ($rc, slurp($outfile) . slurp("$dir/error_log"));
}

1;
