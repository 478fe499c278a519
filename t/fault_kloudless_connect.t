# The OAuth callback of /connect while Kloudless misbehaves (t/connect.t has
# one 503 of the token exchange; t/sms_upstream.t the /sms side): slower
# than the timeout, slow on every call, 500, 429, not JSON, cut short,
# connection closed, on the token exchange and on the account lookup. Each
# time a clear 502 page within SmsCloudHttpTimeout + 3 s, nothing stored,
# the state used up, and connecting works again afterwards.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use JSON::PP ();
use Time::HiRes ();
use URI ();

use SmsCloud::Test qw(db_query fake_reset fake_script);
use SmsCloud::Web qw(:all);

plan tests => 80, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $PHONE = '+15550010001';
my $TIMEOUT = 3;    # SmsCloudHttpTimeout in t/conf/extra.conf.in
my $TRUE = JSON::PP::true();

fake_reset();
fresh_limits();
db_query(q{DELETE FROM accounts WHERE phone = :'v1' OR account_id = '1234567890'}, $PHONE);
forget_phones($PHONE);
my $ua = browser();
log_in($ua, $PHONE);

sub accounts { return db_query(q{SELECT count(*) FROM accounts WHERE phone = :'v1'}, $PHONE) }

# POST action=add, the fake's authorize page, then (with Kloudless
# scripted as $script) our callback: (answer, seconds, callback URL).
sub connect_with
{
    my ($script) = @_;
    my $csrf = csrf_of($ua->get(url('/connect')));
    my $add = post_form($ua, '/connect', csrf => $csrf, action => 'add', provider => 'kloudless');
    my $back = URI->new(browser()->get($add->header('Location'))->header('Location'));
    fake_script(kloudless => $script) if $script;
    my $t0 = Time::HiRes::time();
    my $res = $ua->get(url($back->path_query));
    my $took = Time::HiRes::time() - $t0;
    fake_script(kloudless => { map { ($_ => undef) } qw(status body delay down truncate paths times) });
    return ($res, $took, $back->path_query);
}

sub fails_clearly
{
    my ($what, $script) = @_;
    my ($res, $took, $back) = connect_with($script);
    is($res->code, 502, "$what: 502");
    like($res->decoded_content, qr/Nothing was connected/, "$what: our page says nothing was connected");
    like($res->decoded_content, qr/storage service could not confirm the account: storage is not answering, try again/,
         "$what: ... and why, in plain words");
    ok($took < $TIMEOUT + 3, sprintf "$what: answered in %.1f s (< %d s)", $took, $TIMEOUT + 3);
    is(accounts(), 0, "$what: nothing stored");
    is($ua->get(url($back))->code, 400, "$what: the state is used up");
}

my %how = (
    'slower than the timeout' => { delay => $TIMEOUT + 2, times => 1 },
    '500'                     => { status => 500 },
    '429'                     => { status => 429 },
    'not JSON'                => { body => '<html>oops</html>' },
    'cut short'               => { truncate => $TRUE },
    'connection closed'       => { down => $TRUE },
);
for my $call (['token exchange', '/oauth/token'], ['account lookup', '/accounts/']) {
    for my $name (sort keys %how) {
        fails_clearly("$call->[0] $name", { %{ $how{$name} }, paths => $call->[1] });
    }
}

# Every call a little under the timeout: the page must still come in time.
fails_clearly('every call slow', { delay => $TIMEOUT - 0.5,
                                   paths => ['/oauth/token', '/accounts/'] });

my ($res) = connect_with();
is($res->code, 303, 'Kloudless fine again: connected');
is(accounts(), 1, '... and stored');
