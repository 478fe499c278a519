package SmsCloud::Host;

# Another httpd with the module, beside the Apache::Test server: a second
# host behind the same load balancer (same SmsCloudPublicUrl, secret and
# PostgreSQL), or a server with its own MPM sizing. Its configuration is
# the suite's own t/conf/extra.conf without the test vhosts (their ports
# belong to the main server), plus what the caller adds.
#
#   my $h = SmsCloud::Host->start(%opt)   dies unless it serves; options:
#       mpm   => { StartServers => 2, ... }  event MPM directives
#       conf  => "text"                      more directives, at the end
#       dbd_params => "host=..."             instead of the suite's DBDParams
#   $h->port, $h->hostport, $h->url($path)
#   $h->child_pids                           pids in its access log (%P)
#   $h->graceful                             apache2 -k graceful, waits for
#                                            a new generation to serve
#   $h->error_log                            its whole error log
#   $h->stop                                 (also when the object goes)

use strict;
use warnings FATAL => 'all';

use Carp qw(croak);
use File::Temp ();
use IO::Socket::INET ();
use POSIX ();
use Time::HiRes ();

use Apache::Test ();
use SmsCloud::Services qw(free_port);

use constant START_WAIT => 30;

sub slurp
{
    my ($file) = @_;
    open my $fh, '<', $file or return '';
    local $/;
    return scalar <$fh>;
}

# t/conf/extra.conf (as Apache::Test generated it) without the vhosts of
# the main server and their Listen lines.
sub module_conf
{
    my (%opt) = @_;
    my $vars = Apache::Test::vars();
    my $text = slurp("$vars->{t_conf}/extra.conf")
        or croak "SmsCloud::Host: no $vars->{t_conf}/extra.conf";
    $text =~ s{^\s*<VirtualHost\b.*?^\s*</VirtualHost>\s*$}{}msg;
    $text =~ s{^\s*Listen\b.*$}{}mg;
    if (defined $opt{dbd_params}) {
        $text =~ s{^\s*DBDParams\b.*$}{DBDParams "$opt{dbd_params}"}m
            or croak 'SmsCloud::Host: no DBDParams line to replace';
    }
    return $text;
}

sub start
{
    my ($class, %opt) = @_;
    my $vars = Apache::Test::vars();
    my $libexec = $vars->{libexecdir} || '/usr/lib/apache2/modules';
    my $dir = File::Temp->newdir('smscloud-host.XXXXXX', TMPDIR => 1,
                                 CLEANUP => !$ENV{SMSCLOUD_HOST_KEEP});
    chmod 0755, "$dir";
    my $self = bless { dir => $dir, port => free_port(), httpd => $vars->{httpd},
                       owner => $$ }, $class;
    my %mpm = (StartServers => 1, ThreadsPerChild => 10, MinSpareThreads => 5,
               MaxSpareThreads => 40, %{ $opt{mpm} || {} });
    my $user = $> == 0 ? sprintf("User %s\nGroup %s\n", $vars->{user} || 'nobody',
                                 $vars->{group} || 'nogroup') : '';
    my $conf = join "\n",
        qq{ServerRoot "$dir"},
        qq{DefaultRuntimeDir "$dir"},
        qq{PidFile "$dir/httpd.pid"},
        qq{ErrorLog "$dir/error_log"},
        q{ServerName localhost},
        qq{Listen 127.0.0.1:$self->{port}},
        $user,
        qq{LoadModule mpm_event_module "$libexec/mod_mpm_event.so"},
        qq{LoadModule authz_core_module "$libexec/mod_authz_core.so"},
        qq{LoadModule authz_host_module "$libexec/mod_authz_host.so"},
        # as Debian's apache2 enables them: the suite's conf has gated Locations
        (map { qq{<IfModule !${_}_module>\nLoadModule ${_}_module "$libexec/mod_$_.so"\n</IfModule>} }
         qw(authn_core authz_user)),
        qq{<IfModule !log_config_module>\nLoadModule log_config_module "$libexec/mod_log_config.so"\n</IfModule>},
        qq{<IfModule !mime_module>\nLoadModule mime_module "$libexec/mod_mime.so"\n</IfModule>},
        qq{TypesConfig /etc/mime.types},
        qq{LogFormat "%P %>s %U" pids},
        qq{CustomLog "$dir/access_log" pids},
        q{KeepAlive Off},
        (map { "$_ $mpm{$_}" } sort keys %mpm),
        module_conf(%opt),
        $opt{conf} // '', '';
    open my $fh, '>', "$dir/httpd.conf" or croak "$dir/httpd.conf: $!";
    print $fh $conf;
    close $fh or croak "$dir/httpd.conf: $!";
    $self->run_ctl('start');
    $self->wait_serving(sub { -s "$dir/httpd.pid" })
        or croak "SmsCloud::Host: httpd on port $self->{port} did not start:\n"
               . slurp("$dir/output") . slurp("$dir/error_log");
    return $self;
}

sub run_ctl
{
    my ($self, $what) = @_;
    my $dir = $self->{dir};
    my $pid = fork // croak "SmsCloud::Host: fork: $!";
    if (!$pid) {
        open STDIN, '<', '/dev/null';
        open STDOUT, '>>', "$dir/output" or POSIX::_exit(126);
        open STDERR, '>&', \*STDOUT;
        my @cmd = ($self->{httpd}, '-d', "$dir", '-f', "$dir/httpd.conf", '-k', $what);
        { exec { $cmd[0] } @cmd }
        POSIX::_exit(127);
    }
    waitpid $pid, 0;
    return $? == 0;
}

sub wait_serving
{
    my ($self, $ready) = @_;
    my $deadline = Time::HiRes::time() + START_WAIT;
    while (Time::HiRes::time() < $deadline) {
        return 1 if $ready->() && IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                                       PeerPort => $self->{port},
                                                       Proto => 'tcp', Timeout => 1);
        Time::HiRes::sleep(0.1);
    }
    return 0;
}

sub port     { return $_[0]{port} }
sub hostport { return "localhost:$_[0]{port}" }
sub url      { my ($self, $path) = @_; return "http://localhost:$self->{port}$path" }
sub error_log { return slurp("$_[0]{dir}/error_log") }

sub child_pids
{
    my ($self) = @_;
    my %pids = map { (split ' ', $_)[0] => 1 } split /\n/, slurp("$self->{dir}/access_log");
    return sort keys %pids;
}

sub graceful
{
    my ($self) = @_;
    my $log = "$self->{dir}/error_log";
    my $before = () = slurp($log) =~ /resuming normal operations/g;
    $self->run_ctl('graceful') or croak 'SmsCloud::Host: graceful failed';
    return $self->wait_serving(sub {
        my $now = () = slurp($log) =~ /resuming normal operations/g;
        return $now > $before;
    });
}

sub stop
{
    my ($self) = @_;
    return unless $self->{dir} && -s "$self->{dir}/httpd.pid";
    my $pid = slurp("$self->{dir}/httpd.pid");
    $self->run_ctl('stop');
    chomp $pid;
    my $deadline = Time::HiRes::time() + 15;
    Time::HiRes::sleep(0.1) while $pid =~ /^\d+$/ && kill(0, $pid)
                                  && Time::HiRes::time() < $deadline;
    unlink "$self->{dir}/httpd.pid";
}

sub DESTROY
{
    my ($self) = @_;
    local ($?, $@);
    $self->stop if $self->{owner} && $self->{owner} == $$;   # not in a forked child
}

1;
