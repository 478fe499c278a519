# The local provider by default (the smscloud_private vhost): each phone
# gets a folder of its own, made when it connects and seeded from
# SmsCloudLocalSkeleton; two phones see different files, and neither can
# reach the other's, by command or by link.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use File::Path qw(remove_tree make_path);

use SmsCloud::Test qw(db_query);
use SmsCloud::Web qw(:all);
use SmsCloud::Sms qw(sms sms_reply);
use SmsCloud::Local qw(link_token);

plan tests => 15, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $vars = Apache::Test::vars();
my ($ROOT, $SKEL) = @$vars{qw(private_root skeleton_root)};
my ($A, $B) = ('+15551320001', '+15551320002');
(my $dir_a = $A) =~ s/^\+//;
(my $dir_b = $B) =~ s/^\+//;

remove_tree("$ROOT/$dir_a", "$ROOT/$dir_b");
remove_tree(glob("$SKEL/*"));
make_path("$SKEL/Welcome", { mode => 0755 });
open my $fh, '>', "$SKEL/Welcome/hello.txt" or die; print $fh "hello\n"; close $fh;
chmod 0644, "$SKEL/Welcome/hello.txt";

my $hostport = use_vhost('smscloud_private');
fresh_limits();
for my $p ($A, $B) {
    db_query(q{DELETE FROM accounts WHERE phone = :'v1'}, $p);
}
forget_phones($A, $B);

sub connect_local
{
    my ($phone) = @_;
    my $ua = browser();
    log_in($ua, $phone);
    my $res = post_form($ua, '/connect', csrf => csrf_of($ua->get(url('/connect'))),
                        action => 'add', provider => 'local');
    return $res->code;
}

is(connect_local($A), 303, 'phone A connects "My files"');
ok(-d "$ROOT/$dir_a", "... which made its own folder, named by its digits");
is(-e "$ROOT/$dir_a/Welcome/hello.txt" ? 'seeded' : 'empty', 'seeded', '... seeded from the skeleton');
is(connect_local($B), 303, 'phone B connects "My files" too');
ok(-d "$ROOT/$dir_b", '... and gets a folder of its own');

# A's own file, put there by hand
open $fh, '>', "$ROOT/$dir_a/only-a.txt" or die; print $fh "A's secret\n"; close $fh;
chmod 0644, "$ROOT/$dir_a/only-a.txt";

Apache::TestRequest::module('smscloud_private');
sub text
{
    my ($from, $body) = @_;
    my $res = sms(body => $body, from => $from, sign_url => "http://$hostport/sms");
    return 'HTTP ' . $res->code unless $res->code == 200;
    return (sms_reply($res))[0] // '';
}
# one account each: the top is its root
text($_, 'reset') for $A, $B;
is(text($A, 'ls'), "1 Welcome/\n2 only-a.txt (11 B)", 'A sees its own files');
is(text($B, 'ls'), "1 Welcome/", 'B sees only its own: no only-a.txt');

my $link = text($A, 'get 2');
like($link, qr{^only-a\.txt: http://\S+/dl/}, 'A gets a link to its file');
my ($path) = $link =~ m{^only-a\.txt: http://[^/]+(/\S+)$};
my $res = Apache::TestRequest::GET($path);
is($res->code, 200, "A's link works");
is($res->content, "A's secret\n", '... with the file');

# B's account cannot name A's file, by id or by a way out of its folder
for my $file ('only-a.txt', "../$dir_a/only-a.txt", "/$dir_a/only-a.txt") {
    is(Apache::TestRequest::GET('/dl/' . link_token(account => $B, file => $file))->code, 404,
       "a link for B to '$file': 404");
}
# and without an account (removed, or never there) there is no link to
# make (links belong to an account), nor a folder
is(Apache::TestRequest::GET('/dl/' . link_token(account => '+15551329999',
                                                file => 'only-a.txt'))->code, 403,
   'a link of an account that does not exist: refused as unknown');
ok(!-e "$ROOT/15551329999", '... which made no folder');
