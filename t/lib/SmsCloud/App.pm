package SmsCloud::App;

# The application behind the gate in the test server's document root, for
# t/gate.t and t/twostep.t: static pages under app/ and a CGI (gate/env.cgi)
# that prints what it is told about the user.
#
#   app_files()       write them (idempotent)
#   cgi_vars($res)    the CGI's NAME=value lines of an answer, as a hash list

use strict;
use warnings FATAL => 'all';

use Exporter 'import';

use Apache::Test ();

our @EXPORT_OK = qw(app_files cgi_vars);

sub write_file
{
    my ($path, $text, $mode) = @_;
    open my $fh, '>', $path or die "$path: $!";
    print $fh $text;
    close $fh or die "$path: $!";
    chmod $mode, $path;
    return 1;
}

sub app_files
{
    my $docroot = Apache::Test::vars('documentroot');
    for my $dir ("$docroot/app", "$docroot/gate") {
        mkdir $dir unless -d $dir;
        chmod 0755, $dir;
    }
    write_file("$docroot/app/page.html", "<p>the protected page</p>\n", 0644);
    write_file("$docroot/app/index.html", "<p>the protected index</p>\n", 0644);
    write_file("$docroot/gate/env.cgi", <<'CGI', 0755);
#!/usr/bin/perl
print "Content-Type: text/plain\n\n";
for my $name (qw(REMOTE_USER AUTH_TYPE SMSCLOUD_PHONE SMSCLOUD_CSRF HTTP_X_REMOTE_USER)) {
    print "$name=", $ENV{$name} // '(unset)', "\n";
}
CGI
    return 1;
}

sub cgi_vars
{
    my ($res) = @_;
    return map { /^(\w+)=(.*)$/ ? ($1, $2) : () } split /\n/, $res->decoded_content // '';
}

1;
