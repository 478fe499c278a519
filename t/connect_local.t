# /connect with the local provider (the smscloud_local vhost: local files,
# SMS kept in the outbox): "connect Files on this server" links the
# phone's own local account, once.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(db_query);
use SmsCloud::Web qw(:all);

plan tests => 13, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $phone = '+15551310001';
use_vhost('smscloud_local');
fresh_limits();
db_query(q{DELETE FROM accounts WHERE phone = :'v1'}, $phone);
forget_phones($phone);

my $ua = browser();
log_in($ua, $phone);
my $res = $ua->get(url('/connect'));
like($res->decoded_content, qr/Connect Test files/, 'the local provider is offered');
like($res->decoded_content, qr{id="no-accounts">.*then text <strong>LS</strong> to\s+<strong class="service-number">\+15557654321</strong>}s,
     '... and what comes after connecting it: text LS to the service number');
unlike($res->decoded_content, qr/add-kloudless/, '... and Kloudless, not enabled here, is not');
like($res->header('Content-Security-Policy'), qr/form-action 'self';/,
     "... and the page's forms go nowhere else");
my $csrf = csrf_of($res);
$res = post_form($ua, '/connect', csrf => $csrf, action => 'add', provider => 'local');
is($res->code, 303, 'POST action=add provider=local: 303');
is($res->header('Location'), '/connect', '... to /connect');
my @rows = db_query(q{SELECT provider, account_id, display_name FROM accounts WHERE phone = :'v1'}, $phone);
is_deeply(\@rows, [['local', $phone, 'Test files']], 'the phone has its local account');
my $page = $ua->get(url('/connect'))->decoded_content;
like($page, qr/<span class="name">Test files<\/span>/, '... listed');
like($page, qr{id="connected-local">Test files is connected\.}, '... and said to be connected');
unlike($page, qr/id="add-local"/, '... in place of a Connect button that could do nothing');
like($page, qr{text <strong>LS</strong> to\s+<strong class="service-number">\+15557654321</strong>},
     '... and the page says what to do next: text LS to the service number');
post_form($ua, '/connect', csrf => $csrf, action => 'add', provider => 'local');
is(db_query(q{SELECT count(*) FROM accounts WHERE phone = :'v1'}, $phone), 1, 'connecting it again changes nothing');
is(post_form($ua, '/connect', csrf => $csrf, action => 'add', provider => 'kloudless')->code, 400,
   'action=add (Kloudless) where it is not enabled: 400');
