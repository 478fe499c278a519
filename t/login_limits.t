# The send limits of /login, each counted the same way for known and
# unknown numbers: per phone per 10 minutes, per phone per day, per client
# address per hour (defaults 5, 10, 20).
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(db_query fake_reset fake_messages);
use SmsCloud::Web qw(:all);

plan tests => 12, need need_module('mod_smscloud.c', 'mod_dbd.c');

my ($known, $unknown) = ('+15551250001', '+15551250002');
fake_reset();
fresh_limits();
forget_phones($known, $unknown);
db_query(q{INSERT INTO phones (phone, verified_at) VALUES (:'v1', now())}, $known);

sub sent_to { my ($p) = @_; return scalar grep { $_->{to} eq $p } @{ fake_messages() } }
sub shape { my ($r) = @_; return join "\n", $r->code, $r->decoded_content }

# ---------------------------------------------------------------- per phone, 10 minutes
my (%last, %sixth);
for my $p ($known, $unknown) {
    my @codes = map { ask_code(browser(), $p)->code } 1 .. 5;
    $last{$p} = join ',', @codes;
    $sixth{$p} = ask_code(browser(), $p);
}
is($last{$known}, '303,303,303,303,303', '5 codes for one phone in 10 minutes are sent');
is($sixth{$known}->code, 429, 'the 6th is 429');
like($sixth{$known}->decoded_content, qr/Too many codes/, '... with a clear page');
is(sent_to($known), 5, '... and no SMS');
is(shape($sixth{$unknown}), shape($sixth{$known}), 'an unknown number is limited the same way');
is(sent_to($unknown), 5, '... after the same 5 SMS');

# ---------------------------------------------------------------- per phone, per day
# open a new 10-minute window by hand; the day's count stays
db_query(q{DELETE FROM rate_counters WHERE bucket LIKE 'login-phone:%' OR bucket LIKE 'login-ip:%'});
my @codes = map { ask_code(browser(), $known)->code } 1 .. 5;
is("@codes", '303 303 303 303 303', 'in a new 10-minute window 5 more codes are sent');
my $res = ask_code(browser(), $known);
is($res->code, 429, 'the 11th of the day is 429');
is(sent_to($known), 10, '... and no SMS');

# ---------------------------------------------------------------- per client address
fresh_limits();
fake_reset();
my @ip = map { ask_code(browser(), sprintf('+1555126%04d', $_))->code } 1 .. 20;
is(scalar(grep { $_ == 303 } @ip), 20, '20 codes from one address in an hour, to 20 numbers');
$res = ask_code(browser(), '+15551269999');
is($res->code, 429, 'the 21st from that address is 429');
is(scalar @{ fake_messages() }, 20, '... and no SMS');

fresh_limits();
