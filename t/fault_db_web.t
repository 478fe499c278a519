# PostgreSQL stopped in the middle of things: the web pages answer 503 with
# a page of ours (the /sms side is t/sms_outage.t; here only a message whose
# transaction loses its connection half-way), no child dies, and everything
# works again by itself once PostgreSQL is back: the session opened before
# the outage, a new login, /sms.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Time::HiRes ();

use SmsCloud::Test qw(db_query fake_reset fake_script pg_start pg_stop error_log_mark
                      error_log_since crash_lines in_child child_result);
use SmsCloud::Web qw(:all);
use SmsCloud::Sms qw(sms sms_reply fresh_phone state_of);

plan tests => 36, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ME = '+15550008001';
my $NEW = '+15550008002';
my $BUSY = 'The service is busy, try again in a minute.';
my $pg_stopped = 0;
END { local $?; pg_start() if $pg_stopped }

fake_reset();
fresh_limits();
forget_phones($ME, $NEW);
fresh_phone($ME, accounts => [['kloudless', '1234567890', 'dropbox', 'Dropbox (alice)']]);

sub reply_of
{
    my ($res) = @_;
    return 'HTTP ' . $res->code unless $res->code == 200;
    my @m = eval { sms_reply($res) };
    return $@ ? "bad XML: $@" : (@m ? $m[0] : '');
}

# A 503 of ours: the message page, no-store, nothing cached or half-done.
sub unavailable
{
    my ($res, $what) = @_;
    my $ok = $res->code == 503
          && ($res->header('Content-Type') // '') =~ m{^text/html}
          && $res->decoded_content =~ /The service is not available just now/
          && ($res->header('Cache-Control') // '') eq 'no-store';
    ok($ok, "$what: 503 with the 'try again' page") or diag($res->as_string);
}

# a session and a pending code from before the outage
my $ua = browser();
log_in($ua, $ME);
my $session = cookie_of($ua, 'smscloud_session');
my $csrf = csrf_of($ua->get(url('/connect')));
my $pending = browser();
is(ask_code($pending, $NEW)->code, 303, 'a code asked for before the outage');
my $pending_code = code_for($NEW);
my $verify_csrf = csrf_of($pending->get(url('/verify')));
my $form = browser();
my $form_csrf = csrf_of($form->get(url('/login')));
is(reply_of(sms(body => 'ls', from => $ME)), "1 Documents/\n2 Photos/\n3 notes.txt (1.2 KB)",
   '/sms works before');
my $before = state_of($ME);

my $mark = error_log_mark();

# ---------------------------------------------------------------- mid-request
# An `ls` whose storage call is slow; PostgreSQL goes while it waits, so
# the message's own transaction loses its connection.
sms(body => 'cd 1', from => $ME);
$before = state_of($ME);
fake_script(kloudless => { delay => 2, paths => '/contents', times => 1 });
my $slow = in_child(sub { my $res = sms(body => 'ls', from => $ME); return reply_of($res) });
Time::HiRes::sleep(0.7);
ok(pg_stop(), 'PostgreSQL stopped while a message is being handled');
$pg_stopped = 1;
is(child_result($slow), $BUSY, '/sms: that message gets the polite busy reply, as TwiML');

# ---------------------------------------------------------------- down
my $res = sms(body => 'pwd', from => $ME);
is($res->code, 200, '/sms while down: 200');
is(reply_of($res), $BUSY, '... a well-formed busy reply');

unavailable(browser()->get(url('/login')), 'GET /login');
unavailable(post_form($form, '/login', csrf => $form_csrf, phone => $NEW), 'POST /login');
unavailable($pending->get(url('/verify')), 'GET /verify');
$res = post_form($pending, '/verify', csrf => $verify_csrf, code => $pending_code);
unavailable($res, 'POST /verify with the right code');
unavailable($ua->get(url('/connect')), 'GET /connect with a session');
unavailable(post_form($ua, '/connect', csrf => $csrf, action => 'add', provider => 'kloudless'),
            'POST /connect with a session');
unavailable($ua->get(url('/connect/callback?code=abc&state=' . ('Q' x 43))),
            'the OAuth callback with a session');
$res = post_form($ua, '/logout', csrf => $csrf);
unavailable($res, 'POST /logout with a session');
ok(!grep({ /smscloud_session=;/ } set_cookies($res)), '... which keeps the session cookie');

# ---------------------------------------------------------------- back
ok(pg_start(), 'PostgreSQL started again');
$pg_stopped = 0;
my $back_mark = error_log_mark();
is_deeply(state_of($ME), $before, 'the message cut by the outage changed no state');

# Pooled connections cut by the restart are mended on their first use:
# not even the first request after the outage fails. A message first: its
# first statement is a BEGIN.
is(reply_of(sms(body => 'pwd', from => $ME)), 'You are in /Dropbox (alice)/Documents.',
   '/sms: the first message after the outage is answered');
is($ua->get(url('/connect'))->code, 200,
   'GET /connect: the session of before the outage works again at once, no restart');
is(cookie_of($ua, 'smscloud_session'), $session, '... the same session');
is(browser()->get(url('/login'))->code, 200, 'GET /login: 200');
$res = ask_code($pending, $NEW);
is($res->code, 303, 'POST /login: a new code');
my $new_code = code_for($NEW);
isnt($new_code, $pending_code, '... a new one');
is(enter_code($pending, $pending_code)->code, 400, 'the code of before the outage is dead');
$res = enter_code($pending, $new_code);
is($res->code, 303, 'POST /verify with the new code: 303');
is($res->header('Location'), '/connect', '... to /connect');
is($pending->get(url('/connect'))->code, 200, '... and the new session opens /connect');

$res = sms(body => 'ls', from => $ME);
is($res->code, 200, '/sms after the outage: 200');
like(reply_of($res), qr/^1 Archive\/\n/, '... and a real listing');
is(state_of($ME)->{version}, $before->{version} + 2, '... which is stored (and so is the pwd)');

sub error_lines
{
    my ($since) = @_;
    return grep { /^\[[^\]]*\] \[(?:\w+:)?(?:error|crit|alert|emerg)\]/ } error_log_since($since);
}
my @errors = error_lines($back_mark);
ok(!@errors, 'mending the pooled connections logged no error') or diag(join '', @errors);

# ---------------------------------------------------------------- a blink
# Stopped and started again with no request in between: every pooled
# connection is stale. Messages at once (each a BEGIN first) meet several
# of them, and mend them without a busy reply or an error line.
ok(pg_stop() && pg_start(), 'PostgreSQL restarted with no request in between');
$back_mark = error_log_mark();
my @kids = map { in_child(sub { reply_of(sms(body => 'pwd', from => $ME)) }) } 1 .. 6;
is_deeply([map { scalar child_result($_) } @kids], [('You are in /Dropbox (alice)/Documents.') x 6],
          'six messages at once right after: all answered');
is(reply_of(sms(body => 'pwd', from => $ME)), 'You are in /Dropbox (alice)/Documents.',
   '... and the next');
@errors = error_lines($back_mark);
ok(!@errors, '... and no error logged') or diag(join '', @errors);
my @crashes = crash_lines(error_log_since($mark));
ok(!@crashes, 'no child crashed') or diag(join '', @crashes);
