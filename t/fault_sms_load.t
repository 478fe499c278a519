# 200 /sms requests at once from 50 phones, four messages each, in random
# order over 25 parallel clients, so a phone's messages also race each
# other. Every reply is 200 and well-formed TwiML, none is "busy", and
# afterwards every phone's state is sound: its JSON decodes, each message
# wrote it once (version 4), the replay records hold the replies given, and
# it is what some serial order of that phone's four messages leaves
# (replayed one by one beforehand on a phone of the same set-up).
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use JSON::PP ();
use List::Util qw(shuffle);
use HTTP::Response ();
use LWP::UserAgent ();

use SmsCloud::Test qw(db_query fake_reset fake_script error_log_mark error_log_since
                      crash_lines in_child child_result);
use SmsCloud::Sms qw(sms sms_request sms_reply new_sid fresh_phone state_of);

plan tests => 12, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $PHONES = 50;
my $CLIENTS = 25;
my $BUSY = 'The service is busy, try again in a minute.';
my @PATTERNS = (['ls', 'cd 1', 'ls', 'pwd'], ['ls', 'cd 1', 'cd ..', 'more']);
my $JSON = JSON::PP->new->utf8->canonical;

# Phone i (and the reference phones 98, 99) each own an account with the
# same small tree.
sub phone { return sprintf '+155500120%02d', $_[0] }
sub account_id { return sprintf '30000000%02d', $_[0] }
my $tree = {
    root   => [ { id => 'fold_a', name => 'A', type => 'folder' },
                { id => 'file_x', name => 'x.txt', type => 'file', size => 5 } ],
    fold_a => [ { id => 'file_y', name => 'y.txt', type => 'file', size => 7 } ],
};
my @all = (0 .. $PHONES - 1, 98, 99);
fake_reset();
fake_script(kloudless => { tree => { map { (account_id($_) => $tree) } @all } });
sub setup
{
    my ($i) = @_;
    fresh_phone(phone($i), accounts => [['kloudless', account_id($i), 'dropbox', 'Box']]);
    return db_query(q{SELECT id FROM accounts WHERE phone = :'v1'}, phone($i));
}

# The state without what differs between phones: the account's row id.
sub shape
{
    my ($state, $ref) = @_;
    my $walk;
    $walk = sub {
        my ($v) = @_;
        return [map { $walk->($_) } @$v] if ref $v eq 'ARRAY';
        return { map { ($_ => $walk->($v->{$_})) } keys %$v } if ref $v eq 'HASH';
        return defined $v && $v eq $ref ? 'REF' : $v;
    };
    my %s = %$state;
    delete $s{version};
    return $JSON->encode($walk->(\%s));
}

sub permutations
{
    my (@items) = @_;
    return ([]) unless @items;
    return map { my $i = $_; map { [$items[$i], @$_] } permutations(@items[grep { $_ != $i } 0 .. $#items]) }
           0 .. $#items;
}

# ---------------------------------------------------------------- serial
my @allowed;    # per pattern: the shapes a serial order can leave
for my $p (0 .. $#PATTERNS) {
    my $ref_phone = 98 + $p;
    my %seen;
    for my $order (permutations(@{ $PATTERNS[$p] })) {
        next if $seen{"@$order"}++;
        my $ref = setup($ref_phone);
        sms(body => $_, from => phone($ref_phone)) for @$order;
        $allowed[$p]{ shape(state_of(phone($ref_phone)), $ref) } = "@$order";
    }
}
ok(keys %{ $allowed[0] } > 1 && keys %{ $allowed[1] } > 1,
   sprintf 'serial replays: %d and %d different end states', scalar keys %{ $allowed[0] },
           scalar keys %{ $allowed[1] });

# ---------------------------------------------------------------- at once
my (%ref, @jobs);
for my $i (0 .. $PHONES - 1) {
    $ref{$i} = setup($i);
    for my $body (@{ $PATTERNS[$i % 2] }) {
        my $sid = new_sid();
        push @jobs, { phone => $i, body => $body, sid => $sid,
                      req => sms_request(body => $body, from => phone($i), sid => $sid) };
    }
}
@jobs = shuffle @jobs;
my $mark = error_log_mark();

pipe(my $go_r, my $go_w) or die "pipe: $!";
my @clients;
for my $c (0 .. $CLIENTS - 1) {
    my @mine = @jobs[grep { $_ % $CLIENTS == $c } 0 .. $#jobs];
    push @clients, in_child(sub {
        close $go_w;
        my $ua = LWP::UserAgent->new(timeout => 30, keep_alive => 0);
        <$go_r>;    # end of file: everybody starts together
        return map { my $res = $ua->request($_->{req});
                     +{ sid => $_->{sid}, code => $res->code, body => $res->content } } @mine;
    });
}
close $go_r;
close $go_w;
my %answer = map { ($_->{sid} => $_) } map { child_result($_) } @clients;

is(scalar keys %answer, 200, '200 answers');
my @bad;
for my $job (@jobs) {
    my $a = $answer{ $job->{sid} } or next;
    my @m = $a->{code} == 200 ? eval { sms_reply(HTTP::Response->new(200, 'OK', [], $a->{body})) } : ();
    if ($a->{code} != 200 || $@ || @m != 1) {
        push @bad, "$job->{body} from " . phone($job->{phone}) . ": HTTP $a->{code} $a->{body} $@";
        next;
    }
    $job->{reply} = $m[0];
}
ok(!@bad, 'every answer is 200 and well-formed TwiML with one message') or diag(join "\n", @bad);
my @busy = grep { ($_->{reply} // '') eq $BUSY } @jobs;
ok(!@busy, 'none of them is "busy"') or diag(scalar(@busy) . ' busy replies');

# ---------------------------------------------------------------- after
my (@broken, @versions, @orders, @records);
for my $i (0 .. $PHONES - 1) {
    my $st = eval { state_of(phone($i)) };
    if (!$st) { push @broken, phone($i) . ': ' . ($@ || 'no state row'); next }
    push @versions, phone($i) . ": version $st->{version}" unless $st->{version} == 4;
    push @orders, phone($i) . ': ' . shape($st, $ref{$i})
        unless $allowed[$i % 2]{ shape($st, $ref{$i}) };
    my %kept = map { @$_ } db_query(q{SELECT message_sid, coalesce(reply, '') FROM processed_messages
                                      WHERE phone = :'v1'}, phone($i));
    for my $job (grep { $_->{phone} == $i } @jobs) {
        push @records, "$job->{sid}: kept '" . ($kept{ $job->{sid} } // '(none)') . "'"
            unless defined $job->{reply} && ($kept{ $job->{sid} } // '') eq $job->{reply};
    }
}
ok(!@broken, "every phone's state row is there and its folders and listing are JSON")
    or diag(join "\n", @broken);
ok(!@versions, 'each phone\'s state was written once per message: version 4') or diag(join "\n", @versions);
ok(!@orders, 'each phone ends as some serial order of its messages would leave it')
    or diag(join "\n", @orders);
ok(!@records, 'the replay records hold exactly the replies given') or diag(join "\n", @records);

# A second delivery of each message (Twilio retrying) changes nothing.
my $before = { map { ($_ => state_of(phone($_))) } 0 .. 4 };
for my $job (grep { $_->{phone} < 5 } @jobs) {
    my @m = sms_reply(sms(body => $job->{body}, from => phone($job->{phone}), sid => $job->{sid}));
    push @bad, "$job->{sid}: '$m[0]' the second time" unless $m[0] eq ($job->{reply} // '');
}
ok(!@bad, 'retried deliveries afterwards: answered as the first time') or diag(join "\n", @bad);
is_deeply({ map { ($_ => state_of(phone($_))) } 0 .. 4 }, $before, '... and the state unchanged');

my @log = error_log_since($mark);
my @crashes = crash_lines(@log);
ok(!@crashes, 'no child crashed') or diag(join '', @crashes);
my @errors = grep { /^\[[^\]]*\] \[(?:\w+:)?(?:error|crit|alert|emerg)\]/ } @log;
ok(!@errors, 'no error logged under load') or diag(join '', @errors);
