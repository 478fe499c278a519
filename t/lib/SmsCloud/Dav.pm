package SmsCloud::Dav;

# WebDAV servers for the t/webdav*.t files, all on loopback:
#
#   dav_root()                 the tree both real servers serve (@DAV_ROOT@)
#   mod_dav_server($user, $pw) the test httpd's own mod_dav (vhost
#                              smscloud_dav), its htpasswd written now:
#                              { name, url, user, password }
#   rclone_server($user, $pw)  `rclone serve webdav` on the same tree, started
#                              now and stopped when the test exits
#   fake_server($pw)           t/fake/fakedav.py (slow, 500, 401, malformed
#                              and huge answers on request): { url, base, pid }
#   fake_mode($fake, $name)    how the fake answers from now on
#   connect_webdav($ua, $url, $user, $pw, %more)
#                              POST /connect for the webdav provider
#   text($phone, $body)        an SMS to the smscloud_webdav vhost: its reply
#                              text, or "HTTP nnn"

use strict;
use warnings FATAL => 'all';

use Carp qw(croak);
use Exporter 'import';
use LWP::UserAgent ();
use File::Temp ();
use IO::Socket::INET ();
use POSIX ();
use Time::HiRes ();

use Apache::Test ();
use Apache::TestRequest ();
use SmsCloud::Services qw(free_port);
use SmsCloud::Sms qw(sms sms_reply);
use SmsCloud::Test ();
use SmsCloud::Web qw(csrf_of post_form url);

our @EXPORT_OK = qw(dav_root mod_dav_server rclone_server fake_server fake_mode
                    connect_webdav text);
our %EXPORT_TAGS = (all => \@EXPORT_OK);

use constant START_WAIT => 20;

my @children;
my $owner = $$;

END {
    # waitpid sets $?, which END would make the test's exit status
    local $?;
    if ($$ == $owner) {
        for my $pid (@children) {
            kill 'TERM', $pid;
            waitpid $pid, 0;
        }
    }
}

sub dav_root { return Apache::Test::vars('dav_root') }

sub mod_dav_server
{
    my ($user, $password) = @_;
    my $file = Apache::Test::vars('dav_locks') . '/htpasswd';
    system('htpasswd', '-b', '-c', '-B', $file, $user, $password) == 0
        or croak "htpasswd failed: $?";
    chmod 0644, $file;
    Apache::TestRequest::module('smscloud_dav');
    my $hostport = Apache::TestRequest::hostport();
    Apache::TestRequest::module('default');
    (my $port = $hostport) =~ s/.*://;
    return { name => 'mod_dav', url => "http://127.0.0.1:$port/dav/", user => $user,
             password => $password };
}

sub spawn
{
    my (@cmd) = @_;
    my $pid = fork // croak "fork: $!";
    if (!$pid) {
        open STDIN, '<', '/dev/null';
        open STDOUT, '>', '/dev/null';
        { exec { $cmd[0] } @cmd }
        POSIX::_exit(127);
    }
    push @children, $pid;
    return $pid;
}

sub wait_port
{
    my ($port, $what) = @_;
    my $deadline = Time::HiRes::time() + START_WAIT;
    while (Time::HiRes::time() < $deadline) {
        return 1 if IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                          Proto => 'tcp', Timeout => 1);
        Time::HiRes::sleep(0.1);
    }
    croak "$what did not listen on 127.0.0.1:$port within " . START_WAIT . ' s';
}

sub rclone_server
{
    my ($user, $password) = @_;
    my $port = free_port();
    # rclone refuses to run without a config file; an empty one will do
    my $conf = File::Temp->new(TEMPLATE => 'smscloud-rclone.XXXXXX', TMPDIR => 1);
    spawn('rclone', 'serve', 'webdav', dav_root(), '--config', $conf->filename,
          '--addr', "127.0.0.1:$port", '--user', $user, '--pass', $password,
          '--log-level', 'ERROR');
    wait_port($port, 'rclone serve webdav');
    return { name => 'rclone', url => "http://127.0.0.1:$port/", user => $user,
             password => $password, conf => $conf };
}

sub fake_server
{
    my ($password) = @_;
    my $dir = File::Temp->newdir('smscloud-fakedav.XXXXXX', TMPDIR => 1);
    my $ready = "$dir/ready";
    my $pid = spawn('python3', SmsCloud::Test::top_dir() . '/t/fake/fakedav.py',
                    '--ready', $ready, '--password', $password);
    my $deadline = Time::HiRes::time() + START_WAIT;
    Time::HiRes::sleep(0.1) while !-s $ready && Time::HiRes::time() < $deadline;
    open my $fh, '<', $ready or croak "fakedav.py wrote no $ready";
    chomp(my $port = <$fh>);
    return { base => "http://127.0.0.1:$port", url => "http://127.0.0.1:$port/dav/",
             user => 'dav', password => $password, pid => $pid, dir => $dir };
}

sub fake_mode
{
    my ($fake, $mode) = @_;
    my $res = LWP::UserAgent->new(timeout => 10)->get("$fake->{base}/_mode/$mode");
    croak "fake mode $mode: " . $res->status_line unless $res->is_success;
    return 1;
}

sub connect_webdav
{
    my ($ua, $url, $user, $password, %more) = @_;
    my $page = $ua->get(url('/connect'));
    croak 'GET /connect: ' . $page->status_line unless $page->code == 200;
    return post_form($ua, '/connect', csrf => csrf_of($page), action => 'add',
                     provider => 'webdav', url => $url, user => $user,
                     password => $password, %more);
}

sub text
{
    my ($from, $body) = @_;
    Apache::TestRequest::module('smscloud_webdav');
    my $hostport = Apache::TestRequest::hostport();
    my $res = sms(body => $body, from => $from, sign_url => "http://$hostport/sms");
    Apache::TestRequest::module('default');
    return 'HTTP ' . $res->code unless $res->code == 200;
    return (sms_reply($res))[0] // '';
}

1;
