# A local folder holding a file whose name is not valid UTF-8 (any bytes
# are a valid Unix file name): the folder still lists, the name is shown
# safely, the file can still be fetched, and every later message works
# (the stored listing once made PostgreSQL refuse the state row).
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use Encode ();

use SmsCloud::Local qw(local_put local_reset);
use SmsCloud::Sms qw(:all);

plan tests => 9, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ME = '+15550007101';
my $BAD = "bad\xff\xfe.txt";
my $SHOWN = "bad\x{FFFD}\x{FFFD}.txt";

local_reset();
local_put("Odd/$BAD", "odd bytes\n");
local_put('Odd/fine.txt', "fine\n");
fresh_phone($ME, accounts => [['local', $ME, 'local', 'Test files']]);

Apache::TestRequest::module('smscloud_local');
Apache::TestRequest::user_agent(reset => 1, requests_redirectable => 0);
my $vars = Apache::Test::vars();
my $url = "http://$vars->{servername}:$vars->{smscloud_local_port}/sms";

sub say
{
    my ($body) = @_;
    my $res = sms(from => $ME, body => $body, sign_url => $url);
    return "HTTP " . $res->code unless $res->code == 200;
    my @m = sms_reply($res);
    return @m ? $m[0] : '';
}

# one account only: the top is its root
like(say('ls'), qr{^1 Odd/}, 'the account root lists the folder');
is(say('cd 1'), "1 $SHOWN (10 B)\n2 fine.txt (5 B)",
   'the folder lists, the odd name shown with replacement characters');
is(say('ls'), "1 $SHOWN (10 B)\n2 fine.txt (5 B)", '... and lists again from the stored state');
my $link = say('get 1');
like($link, qr{^\Q$SHOWN\E: http://\S+$}, 'get names it safely and gives a link');
my ($path) = $link =~ m{^.*?: http://[^/]+(/\S+)$};
my $res = GET $path;
is($res->code, 200, 'the link serves the file') or diag($res->as_string);
is($res->content, "odd bytes\n", '... the file with the odd name itself');
is(say('pwd'), 'You are in /Test files/Odd.', 'later messages still work');
like(say('more'), qr/^That was the whole list/, '... and read the stored listing');
is(say('get 2') =~ /^fine\.txt: http/ ? 1 : 0, 1, 'the other file of the folder too');
