# Twilio unreachable while a code is asked for (the connection closed
# unanswered, or no answer within SmsCloudHttpTimeout): a clear 503 page in
# time, and no code left that could log anyone in, neither the new one
# (even when the slow Twilio delivers it after all) nor the phone's older
# one.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use JSON::PP ();
use Time::HiRes ();

use SmsCloud::Test qw(db_query fake_reset fake_script fake_messages);
use SmsCloud::Web qw(:all);

plan tests => 24, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $PHONE = '+15550009001';
my $TIMEOUT = 3;            # SmsCloudHttpTimeout in t/conf/extra.conf.in
my $LATE = $TIMEOUT + 2;    # the slow Twilio answers after this

fake_reset();
fresh_limits();
forget_phones($PHONE);

sub codes_kept
{
    return db_query(q{SELECT count(*) FROM login_codes WHERE phone = :'v1'}, $PHONE);
}

sub refused
{
    my ($res, $what) = @_;
    ok($res->code == 400 && $res->decoded_content =~ /cannot be used any more|Wrong code/
       && !grep({ /smscloud_session=[^;]/ } set_cookies($res)),
       "$what: refused, no session") or diag($res->as_string);
}

# Ask for a code with Twilio scripted as $script; checks the answer.
sub ask_while
{
    my ($what, $ua, $script) = @_;
    my $form = $ua->get(url('/login'));
    fake_script(twilio => $script);
    my $t0 = Time::HiRes::time();
    my $res = post_form($ua, '/login', csrf => csrf_of($form), phone => $PHONE);
    my $took = Time::HiRes::time() - $t0;
    is($res->code, 503, "$what: 503");
    like($res->decoded_content,
         qr/We could not send a code: the SMS service is not answering, try again\./,
         "$what: the page says so");
    like($res->decoded_content, qr/name="phone"[^>]*value="\Q$PHONE\E"/,
         "$what: the form again, with the number");
    ok(!grep({ /smscloud_attempt=[^;]/ } set_cookies($res)), "$what: no attempt cookie");
    ok($took < $TIMEOUT + 3, sprintf "$what: answered in %.1f s (< %d s)", $took, $TIMEOUT + 3);
    is(codes_kept(), 0, "$what: no code row left");
    return $res;
}

# ---------------------------------------------------------------- closed
my $ua = browser();
is(ask_code($ua, $PHONE)->code, 303, 'a code while Twilio works');
my $old = code_for($PHONE);
is(codes_kept(), 1, '... one code row');

ask_while('Twilio closes the connection', $ua, { down => JSON::PP::true(), times => 1 });
refused(enter_code($ua, $old), 'the older code, with its attempt cookie');
is(scalar @{ fake_messages() }, 1, 'no second SMS was recorded');

# ---------------------------------------------------------------- too slow
fake_reset();
is(ask_code($ua, $PHONE)->code, 303, 'a new code while Twilio works');
$old = code_for($PHONE);
ask_while('Twilio slower than the timeout', $ua,
          { delay => $LATE, paths => '/Messages.json', times => 1 });
# the slow Twilio sends the SMS after all, after we gave up on it
my $deadline = Time::HiRes::time() + $LATE + 5;
Time::HiRes::sleep(0.2) while @{ fake_messages() } < 2 && Time::HiRes::time() < $deadline;
is(scalar @{ fake_messages() }, 2, 'the late SMS arrived at the phone after all');
my $late = code_for($PHONE);
isnt($late, $old, '... with a new code');
refused(enter_code($ua, $late), 'that late code, with the attempt cookie of this browser');
refused(enter_code($ua, $old), 'the older code');
is(codes_kept(), 0, 'still no code row');

# ---------------------------------------------------------------- back
fake_reset();
my $fresh = browser();
is(ask_code($fresh, $PHONE)->code, 303, 'Twilio back: a code');
my $res = enter_code($fresh, code_for($PHONE));
is($res->code, 303, '... which logs in');
