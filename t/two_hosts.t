# Two httpd hosts on one PostgreSQL, as behind a load balancer (same public
# URL, same secret): a conversation, a login, a rate limit and replayed or
# concurrent webhooks behave as they do on one host.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use JSON::PP ();
use LWP::UserAgent ();

use SmsCloud::Host;
use SmsCloud::Test qw(db_query fake_reset crash_lines in_child child_result);
use SmsCloud::Sms qw(:all);
use SmsCloud::Web qw(use_hostport browser url ask_code code_for enter_code fresh_limits
                     forget_phones);

plan tests => 19, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ME = '+15550015001';
my $ACCOUNT = ['kloudless', '1234567890', 'dropbox', 'Dropbox (alice)'];
my $A = Apache::TestRequest::hostport();
my $b_host = SmsCloud::Host->start;
my $B = $b_host->hostport;
fake_reset();

# A signed webhook request, sent later by send_to.
sub webhook { return sms_request(from => $ME, @_) }

# Send it to host $hp; the reply text, or "HTTP nnn".
sub send_to
{
    my ($hp, $req) = @_;
    $req = $req->clone;
    $req->uri("http://$hp/sms");
    my $res = LWP::UserAgent->new(timeout => 30)->request($req);
    return "HTTP " . $res->code unless $res->code == 200;
    my @m = eval { sms_reply($res) };
    return $@ ? "bad XML: $@" : (@m ? $m[0] : '');
}

sub say_to { my ($hp, %args) = @_; return send_to($hp, webhook(%args)) }

sub state_summary
{
    my $st = state_of($ME) or return 'no state';
    return JSON::PP->new->canonical->encode([$st->{account_ref} ne '' ? 1 : 0,
                                             $st->{folders}, $st->{next_index}]);
}

# --- one conversation, alternating between the hosts ---------------------
my @script = ('ls', 'cd 1', 'ls', 'cd 2', 'ls', 'more', 'more', 'pwd', 'cd ..', 'ls',
              'cd 1', 'pwd', 'cd ..', 'reset', 'pwd');
fresh_phone($ME, accounts => [$ACCOUNT]);
my @one_host = map { say_to($A, body => $_) } @script;
my $one_host_state = state_summary();
fresh_phone($ME, accounts => [$ACCOUNT]);
my $i = 0;
my @alternating = map { say_to($i++ % 2 ? $B : $A, body => $_) } @script;
is_deeply(\@alternating, \@one_host,
          'a conversation alternating between the hosts gets the replies of one host');
is(state_summary(), $one_host_state, 'and ends in the same state');
ok(!grep({ /^HTTP|^bad XML|busy/ } @alternating), 'every reply was a real one')
    or diag(join "\n---\n", @alternating);

# --- the same MessageSid delivered to both at once -----------------------
say_to($A, body => 'ls');
my $v0 = state_of($ME)->{version};
my $sid = new_sid();
my $cd = webhook(body => 'cd 1', sid => $sid);
my @twice = map { my $hp = $_; in_child(sub { send_to($hp, $cd) }) } ($A, $B);
my @answers = map { child_result($_) } @twice;
is($answers[0], $answers[1], 'both deliveries got the same answer');
unlike($answers[0], qr/^HTTP|busy/, 'a real one') or diag($answers[0]);
is(state_of($ME)->{version}, $v0 + 1, 'the message took effect once');
is(db_query(q{SELECT count(*) FROM processed_messages WHERE message_sid = :'v1'}, $sid), 1,
   'one replay record');

# --- 20 messages at once, spread over both hosts --------------------------
# Serially first: after an ls of a 500-photo folder, 20 MOREs page through
# it and then say it is over; each MORE moves the page on, so two messages
# that ran unserialised would show the same page twice.
my $N = 20;
# (one account only: the top is its root, and Photos its second entry)
sub to_photos { say_to($A, body => $_) for 'reset', 'ls', 'cd 2', 'ls' }
to_photos();
my $v_serial = state_of($ME)->{version};
my @serial = map { say_to($A, body => 'more') } 1 .. $N;
my $serial_state = state_summary();
my $serial_writes = state_of($ME)->{version} - $v_serial;
cmp_ok(scalar(grep { /MORE for/ } @serial), '>=', 3, 'the serial run paged several times');

to_photos();
my $v_conc = state_of($ME)->{version};
my @mores = map { webhook(body => 'more') } 1 .. $N;
my @kids = map { my ($hp, $req) = ($_ % 2 ? $B : $A, $mores[$_]); in_child(sub { send_to($hp, $req) }) }
           0 .. $N - 1;
my @concurrent = map { child_result($_) } @kids;
is_deeply([sort @concurrent], [sort @serial],
          "$N concurrent MOREs over both hosts: the pages of the serial run, each once");
is(state_summary(), $serial_state, 'the final state is the serial one');
is(state_of($ME)->{version} - $v_conc, $serial_writes, 'with as many state writes');

# --- a login asked on A, verified on B ------------------------------------
my $WEB = '+15550015002';
forget_phones($WEB);
fresh_limits();
my $ua = browser();
use_hostport($A);
is(ask_code($ua, $WEB)->code, 303, 'code asked for on host A');
my $code = code_for($WEB);
use_hostport($B);
my $res = enter_code($ua, $code);
is($res->code . ' ' . ($res->header('Location') // ''), '303 /connect',
   'the code entered on host B logs in');
is($ua->get("http://$B/connect")->code, 200, 'the session is valid on host B');
is($ua->get("http://$A/connect")->code, 200, 'and on host A');

# --- a rate limit counts the requests of both hosts -----------------------
# login-phone: 5 codes per phone in 10 minutes (the default)
my $LIMITED = '+15550015003';
forget_phones($LIMITED);
fresh_limits();
my @codes;
for my $n (1 .. 5) {
    use_hostport($n % 2 ? $A : $B);
    push @codes, ask_code(browser(), $LIMITED)->code;
}
is("@codes", '303 303 303 303 303', 'five codes, three asked on A and two on B');
use_hostport($B);
is(ask_code(browser(), $LIMITED)->code, 429, 'the sixth is refused on B, which saw two');
use_hostport(undef);

my @crashes = crash_lines(split /\n/, $b_host->error_log);
ok(!@crashes, 'no child of host B crashed') or diag(join "\n", @crashes);
my @errors = grep { /\[(error|crit|alert|emerg)\]/ } split /\n/, $b_host->error_log;
ok(!@errors, 'host B logged no errors') or diag(join "\n", @errors);
$b_host->stop;
