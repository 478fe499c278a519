package SmsCloud::Services;

# The services the Apache::Test suite runs beside httpd: a private
# PostgreSQL 15 cluster and the fake Twilio/Kloudless servers
# (t/fake/fakeapi.py). t/TEST starts them before httpd and exports where they
# are through %ENV, which httpd and every .t inherit:
#
#   PGHOST PGPORT PGUSER PGDATABASE       the cluster (PGHOST is its socket dir)
#   SMSCLOUD_PGDATA SMSCLOUD_PGBIN        so a .t can stop and start it
#   SMSCLOUD_FAKE_TWILIO SMSCLOUD_FAKE_KLOUDLESS   base URLs of the fakes
#   SMSCLOUD_TOP                          the checkout
#
# pg_stop() and pg_start() work from those variables alone, because a .t runs
# in its own process.
#
# What a run started is torn down when that process exits, whatever the
# reason (END block, guarded by the starting pid), except after a successful
# `t/TEST -start`: then the state file keeps it for a later `t/TEST -stop`,
# `t/TEST -clean`, `t/TEST t/some.t` or the next full run.

use strict;
use warnings FATAL => 'all';

use Carp qw(croak);
use Cwd ();
use Fcntl qw(:mode);
use File::Copy ();
use File::Path ();
use File::Temp ();
use IO::Socket::INET ();
use POSIX ();
use Time::HiRes ();

our @EXPORT_OK = qw(pg_start pg_stop free_port);
use Exporter 'import';

use constant PG_USER     => 'smscloud';
use constant PG_DATABASE => 'smscloud_test';
use constant FAKE_WAIT   => 10;    # seconds for the fakes' ready file
use constant PORT_TRIES  => 5;     # a chosen port can be taken before postgres binds it

my @EXPORTED_ENV = qw(PGHOST PGPORT PGUSER PGDATABASE SMSCLOUD_PGDATA
                      SMSCLOUD_PGBIN SMSCLOUD_FAKE_TWILIO
                      SMSCLOUD_FAKE_KLOUDLESS SMSCLOUD_TOP);

# What this process started; torn down by END only in the process that
# started it (tests fork, Apache::Test forks).
my %own;

sub note { print STDERR "[smscloud] @_\n" }

sub state_file
{
    my ($top) = @_;
    return "$top/t/logs/smscloud-services.env";
}

# ---------------------------------------------------------------- PostgreSQL

sub pg_bindir
{
    for my $dir ($ENV{SMSCLOUD_PGBIN}, scalar(`pg_config --bindir 2>/dev/null`),
                 '/usr/lib/postgresql/15/bin',
                 reverse sort glob('/usr/lib/postgresql/*/bin'))
    {
        next unless defined $dir;
        chomp $dir;
        return $dir if -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres";
    }
    croak "SmsCloud::Services: no PostgreSQL server binaries (initdb, pg_ctl); "
        . "install the postgresql package";
}

sub runuser
{
    for (qw(/usr/sbin/runuser /sbin/runuser /usr/bin/runuser /bin/runuser)) {
        return $_ if -x $_;
    }
    return 'runuser';
}

# initdb and pg_ctl refuse to run as root: as root, run them as the owner of
# the cluster dir (postgres).
sub as_owner
{
    my ($path, @cmd) = @_;
    return @cmd unless $> == 0;
    my $uid = (stat $path)[4];
    croak "SmsCloud::Services: cannot stat $path: $!" unless defined $uid;
    return @cmd if $uid == 0;
    my $name = getpwuid($uid);
    croak "SmsCloud::Services: no user for uid $uid" unless defined $name;
    return (runuser(), '-u', $name, '--', @cmd);
}

# Run a command with stdin from /dev/null, its output appended to $log, in
# directory $dir (postgres may not be able to reach our cwd). Returns the
# wait status.
sub run_logged
{
    my ($dir, $log, @cmd) = @_;
    my $pid = fork;
    croak "SmsCloud::Services: fork: $!" unless defined $pid;
    if (!$pid) {
        chdir $dir if defined $dir;
        open STDIN, '<', '/dev/null';
        if (defined $log) {
            open STDOUT, '>>', $log or POSIX::_exit(126);
            open STDERR, '>&', \*STDOUT;
        }
        { exec { $cmd[0] } @cmd }
        print STDERR "exec $cmd[0]: $!\n";
        POSIX::_exit(127);
    }
    waitpid $pid, 0;
    return $?;
}

sub tail_of
{
    my ($file, $lines) = @_;
    open my $fh, '<', $file or return "($file: $!)\n";
    my @all = <$fh>;
    splice @all, 0, @all - $lines if @all > $lines;
    return join '', @all;
}

sub free_port
{
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                  Proto => 'tcp', Listen => 1, ReuseAddr => 1)
        or croak "SmsCloud::Services: cannot bind 127.0.0.1:0: $!";
    my $port = $s->sockport;
    close $s;
    return $port;
}

sub pg_dir_of { my ($data) = @_; (my $d = $data) =~ s{/data/?$}{}; return $d }

sub pg_ctl_start
{
    my (%p) = @_;
    my $dir = pg_dir_of($p{data});
    my $opts = "-k $p{host} -p $p{port} -c listen_addresses=127.0.0.1"
             . " -c fsync=off -c max_connections=200";
    return run_logged($dir, "$dir/setup.log",
                      as_owner($p{data}, "$p{bin}/pg_ctl", '-D', $p{data},
                               '-l', "$dir/postgresql.log", '-w', '-t', '30',
                               '-o', $opts, 'start')) == 0;
}

sub pg_ctl_stop
{
    my (%p) = @_;
    my $dir = pg_dir_of($p{data});
    return run_logged($dir, "$dir/setup.log",
                      as_owner($p{data}, "$p{bin}/pg_ctl", '-D', $p{data},
                               '-m', 'fast', '-w', '-t', '30', 'stop')) == 0;
}

sub env_params
{
    for (qw(SMSCLOUD_PGDATA SMSCLOUD_PGBIN PGHOST PGPORT)) {
        croak "SmsCloud::Services: \$$_ is not set (not run from t/TEST?)"
            unless defined $ENV{$_} && length $ENV{$_};
    }
    return (data => $ENV{SMSCLOUD_PGDATA}, bin => $ENV{SMSCLOUD_PGBIN},
            host => $ENV{PGHOST}, port => $ENV{PGPORT});
}

# Stop the test cluster (fast: open sessions are cut). True on success.
sub pg_stop { return pg_ctl_stop(env_params()) }

# Start it again on the same port and socket dir. True once it accepts
# connections.
sub pg_start { return pg_ctl_start(env_params()) }

sub psql_bin
{
    my $bin = $ENV{SMSCLOUD_PGBIN};
    return defined $bin && -x "$bin/psql" ? "$bin/psql" : 'psql';
}

sub start_postgres
{
    my ($top) = @_;
    my $bin = pg_bindir();
    my $dir = File::Temp::tempdir('smscloud-pg.XXXXXX', DIR => '/tmp', CLEANUP => 0);
    $own{dir} = $dir;
    $own{bin} = $bin;
    chmod 0755, $dir or croak "chmod $dir: $!";   # httpd's children reach the socket here
    if ($> == 0) {
        my ($uid, $gid) = (getpwnam 'postgres')[2, 3];
        croak "SmsCloud::Services: as root the cluster runs as user postgres, which does not exist"
            unless defined $uid;
        chown $uid, $gid, $dir or croak "chown $dir: $!";
    }
    my $log = "$dir/setup.log";
    my $data = "$dir/data";

    # as_owner() looks at the dir's owner before data/ exists
    my @initdb = $> == 0
        ? (runuser(), '-u', 'postgres', '--', "$bin/initdb")
        : ("$bin/initdb");
    run_logged($dir, $log, @initdb, '-D', $data, '-A', 'trust', '-U', PG_USER,
               '-E', 'UTF8', '--no-sync') == 0
        or croak "SmsCloud::Services: initdb failed:\n" . tail_of($log, 30);

    %ENV = (%ENV, PGHOST => $dir, PGUSER => PG_USER, PGDATABASE => PG_DATABASE,
            SMSCLOUD_PGDATA => $data, SMSCLOUD_PGBIN => $bin);
    # Settings from the caller's shell that would send clients elsewhere.
    delete @ENV{qw(PGHOSTADDR PGSERVICE PGSERVICEFILE PGOPTIONS PGPASSFILE
                   PGPASSWORD PGSSLMODE PGTARGETSESSIONATTRS PGCONNECT_TIMEOUT)};

    my $started;
    for my $try (1 .. PORT_TRIES) {
        $ENV{PGPORT} = free_port();
        last if $started = pg_start();
        my $pglog = "$dir/postgresql.log";
        last unless -e $pglog && tail_of($pglog, 20) =~ /could not bind|already in use/i;
        note "port $ENV{PGPORT} was taken, trying another";
    }
    croak "SmsCloud::Services: PostgreSQL did not start:\n" . tail_of($log, 20)
        . tail_of("$dir/postgresql.log", 30) unless $started;

    run_logged($dir, $log, psql_bin(), '-X', '-q', '-v', 'ON_ERROR_STOP=1',
               '-d', 'postgres', '-c', 'CREATE DATABASE ' . PG_DATABASE . ' OWNER ' . PG_USER) == 0
        or croak "SmsCloud::Services: CREATE DATABASE failed:\n" . tail_of($log, 20);

    my $schema = "$top/schema/upgrade.sh";
    if (-e $schema) {
        local $ENV{PSQL} = psql_bin();
        run_logged(undef, $log, 'sh', $schema) == 0
            or croak "SmsCloud::Services: loading $schema failed:\n" . tail_of($log, 30);
    }
    else {
        note "no $schema: the test database is empty";
    }
    note "PostgreSQL on 127.0.0.1:$ENV{PGPORT} and $dir, database " . PG_DATABASE;
}

# ---------------------------------------------------------------- fakes

sub start_fakes
{
    my ($top) = @_;
    my $script = "$top/t/fake/fakeapi.py";
    croak "SmsCloud::Services: $script is missing" unless -e $script;
    my $python = -x '/usr/bin/python3' ? '/usr/bin/python3' : 'python3';
    my $ready = "$own{dir}/fakeapi.ready";
    my $logdir = "$top/t/logs";
    File::Path::make_path($logdir);
    my $log = "$logdir/fakeapi.log";
    unlink $ready;

    my $pid = fork;
    croak "SmsCloud::Services: fork: $!" unless defined $pid;
    if (!$pid) {
        # own session: a Ctrl-C at the terminal is handled by t/TEST, which
        # then stops us; and `t/TEST -start` can leave us running.
        POSIX::setsid();
        chdir $top;
        open STDIN, '<', '/dev/null';
        open STDOUT, '>', $log or POSIX::_exit(126);
        open STDERR, '>&', \*STDOUT;
        { exec { $python } $python, $script, '--twilio-port', '0',
              '--kloudless-port', '0', '--ready-file', $ready, '--verbose' }
        print STDERR "exec $python: $!\n";
        POSIX::_exit(127);
    }
    $own{fake_pid} = $pid;

    my $deadline = Time::HiRes::time() + FAKE_WAIT;
    my %url;
    while (1) {
        if (waitpid($pid, POSIX::WNOHANG()) == $pid) {
            delete $own{fake_pid};
            croak "SmsCloud::Services: fakeapi.py exited with status " . ($? >> 8)
                . ":\n" . tail_of($log, 30);
        }
        if (-s $ready && open my $fh, '<', $ready) {
            local $/;
            my $text = <$fh>;
            %url = $text =~ /^(SMSCLOUD_FAKE_(?:TWILIO|KLOUDLESS))=(http:\/\/127\.0\.0\.1:\d+)\s*$/mg;
            last if $url{SMSCLOUD_FAKE_TWILIO} && $url{SMSCLOUD_FAKE_KLOUDLESS};
        }
        croak "SmsCloud::Services: fakeapi.py wrote no ready file $ready within "
            . FAKE_WAIT . " s:\n" . tail_of($log, 30)
            if Time::HiRes::time() > $deadline;
        Time::HiRes::sleep(0.05);
    }
    @ENV{keys %url} = values %url;
    note "fake Twilio at $url{SMSCLOUD_FAKE_TWILIO}, fake Kloudless at $url{SMSCLOUD_FAKE_KLOUDLESS}";
}

# ---------------------------------------------------------------- lifecycle

# Start PostgreSQL and the fakes and export their %ENV. keep => 1 leaves them
# running after a successful exit (t/TEST -start).
sub start
{
    my ($class, %a) = @_;
    my $top = $a{top} or croak 'top => required';
    croak 'SmsCloud::Services already started' if $own{pid};

    # leftovers of a `t/TEST -start` or of a killed run
    stop_saved($top);

    %own = (pid => $$, top => $top, keep => $a{keep} ? 1 : 0);
    $ENV{SMSCLOUD_TOP} = $top;
    start_postgres($top);
    start_fakes($top);
    save_state();
    return 1;
}

sub save_state
{
    my $file = state_file($own{top});
    File::Path::make_path("$own{top}/t/logs");
    open my $fh, '>', "$file.tmp" or croak "$file.tmp: $!";
    print $fh "SMSCLOUD_SERVICES_DIR=$own{dir}\n";
    print $fh "SMSCLOUD_FAKE_PID=$own{fake_pid}\n";
    print $fh "$_=$ENV{$_}\n" for @EXPORTED_ENV;
    close $fh or croak "$file.tmp: $!";
    rename "$file.tmp", $file or croak "rename $file: $!";
}

sub read_state
{
    my ($top) = @_;
    open my $fh, '<', state_file($top) or return;
    my %s = map { chomp; split /=/, $_, 2 } grep { /^\w+=/ } <$fh>;
    return \%s;
}

# Use the services a `t/TEST -start` left running (t/TEST t/x.t against a
# running server). True when there were some.
sub adopt
{
    my ($class, %a) = @_;
    my $s = read_state($a{top}) or return 0;
    $ENV{$_} = $s->{$_} for grep { defined $s->{$_} } @EXPORTED_ENV;
    return 1;
}

# Tear down services a previous process left (state file).
sub stop_saved
{
    my ($top) = @_;
    my $s = read_state($top) or return;
    note "stopping services left by an earlier run";
    teardown({ top => $top, dir => $s->{SMSCLOUD_SERVICES_DIR},
               fake_pid => $s->{SMSCLOUD_FAKE_PID}, bin => $s->{SMSCLOUD_PGBIN} });
}

sub stop
{
    return unless $own{pid} && $own{pid} == $$;
    my %s = %own;
    %own = ();
    teardown(\%s);
}

sub proc_alive
{
    my ($pid) = @_;
    return 0 if waitpid($pid, POSIX::WNOHANG()) == $pid;   # our child, now reaped
    return kill(0, $pid) ? 1 : 0;
}

sub teardown
{
    my ($s) = @_;
    my $dir = $s->{dir};
    # never remove anything but a dir we made
    undef $dir unless defined $dir && $dir =~ m{^/tmp/smscloud-pg\.[A-Za-z0-9_]+$};

    if (my $pid = $s->{fake_pid}) {
        if ($pid =~ /^\d+$/ && $pid > 1 && proc_alive($pid)) {
            kill 'TERM', $pid;
            my $deadline = Time::HiRes::time() + 5;
            Time::HiRes::sleep(0.05) while proc_alive($pid) && Time::HiRes::time() < $deadline;
            if (proc_alive($pid)) {
                kill 'KILL', $pid;
                waitpid $pid, 0;
            }
        }
    }
    if (defined $dir && -e "$dir/data/postmaster.pid" && $s->{bin}) {
        pg_ctl_stop(data => "$dir/data", bin => $s->{bin})
            or note "pg_ctl stop failed:\n" . tail_of("$dir/setup.log", 10);
    }
    if (defined $dir) {
        my $logs = "$s->{top}/t/logs";
        File::Copy::copy("$dir/postgresql.log", "$logs/postgresql.log")
            if -d $logs && -e "$dir/postgresql.log";
        File::Path::remove_tree($dir, { safe => 0 });
    }
    unlink state_file($s->{top}) if $s->{top};
}

END {
    if ($own{pid} && $own{pid} == $$) {
        if ($own{keep} && $? == 0) {
            note "services left running for the started server; `t/TEST -stop` stops them";
        }
        else {
            local $?;
            eval { stop(); 1 } or print STDERR "[smscloud] teardown: $@";
        }
    }
}

1;
