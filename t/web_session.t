# Web sessions: logout ends them server-side, idle and absolute lifetimes
# are enforced by the server, forged and doubled cookies get nowhere.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(db_query fake_reset);
use SmsCloud::Web qw(:all);

plan tests => 17, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $phone = '+15551280001';
fake_reset();
fresh_limits();
forget_phones($phone);

sub to_login
{
    my ($res, $what) = @_;
    ok($res->code == 303 && $res->header('Location') eq '/login', $what)
        or diag($res->status_line);
}

to_login(browser()->get(url('/connect')), 'no session: /connect sends to /login');

# ---------------------------------------------------------------- logout
my ($ua, $ua2) = (browser(), browser());
log_in($ua, $phone);
log_in($ua2, $phone);
my $old = cookie_of($ua, 'smscloud_session');
isnt($old, cookie_of($ua2, 'smscloud_session'), 'each login gets its own session id');
my $res = post_form($ua, '/logout', csrf => csrf_of($ua->get(url('/connect'))));
is($res->code, 303, 'POST /logout: 303');
is($res->header('Location'), '/login', '... to /login');
ok((grep { /^smscloud_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/ } set_cookies($res)),
   '... expiring the cookie');
my $replay = browser();
put_cookie($replay, 'smscloud_session', $old);
to_login($replay->get(url('/connect')), 'the old cookie replayed after logout is refused');
is($ua2->get(url('/connect'))->code, 200, 'the same phone in another browser stays logged in');

# ---------------------------------------------------------------- lifetimes
my $hash_of = sub {
    my ($ua_) = @_;
    my $h = db_query(q{SELECT id_hash FROM web_sessions WHERE phone = :'v1'
                       ORDER BY last_seen DESC LIMIT 1}, $phone);
    return $h;
};
my $h = $hash_of->($ua2);
db_query(q{UPDATE web_sessions SET last_seen = now() - interval '1799 seconds' WHERE id_hash = :'v1'}, $h);
is($ua2->get(url('/connect'))->code, 200, 'idle for 29:59: still in');
ok(db_query(q{SELECT last_seen > now() - interval '10 seconds' FROM web_sessions WHERE id_hash = :'v1'}, $h) eq 't',
   '... and using it bumps last_seen');
db_query(q{UPDATE web_sessions SET last_seen = now() - interval '1801 seconds' WHERE id_hash = :'v1'}, $h);
to_login($ua2->get(url('/connect')), 'idle for 30:01 (SmsCloudSessionIdle 1800): out');

my $ua3 = browser();
log_in($ua3, $phone);
$h = db_query(q{SELECT id_hash FROM web_sessions WHERE phone = :'v1' ORDER BY created_at DESC LIMIT 1}, $phone);
db_query(q{UPDATE web_sessions SET created_at = now() - interval '43201 seconds' WHERE id_hash = :'v1'}, $h);
to_login($ua3->get(url('/connect')), 'active but 12 h old (SmsCloudSessionMax 43200): out');

# ---------------------------------------------------------------- forged cookies
my $ua4 = browser();
log_in($ua4, $phone);
my $good = cookie_of($ua4, 'smscloud_session');
my $forged = browser();
put_cookie($forged, 'smscloud_session', 'A' x 43);
to_login($forged->get(url('/connect')), 'a made-up session id: refused');
put_cookie($forged, 'smscloud_session', substr($good, 0, 42));
to_login($forged->get(url('/connect')), 'a truncated session id: refused');
put_cookie($forged, 'smscloud_session', $good . '"; x');
to_login($forged->get(url('/connect')), 'a session id with junk: refused');
my $r = HTTP::Request->new(GET => url('/connect'),
                           [Cookie => "smscloud_session=$good; smscloud_session=$good"]);
to_login(browser()->request($r), 'the session cookie sent twice: refused');
$r = HTTP::Request->new(GET => url('/connect'), [Cookie => 'smscloud_session=' . ('x' x 4000)]);
to_login(browser()->request($r), 'a 4 KB cookie: refused, no crash');
is($ua4->get(url('/connect'))->code, 200, 'the real cookie still works');
