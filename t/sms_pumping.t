# SMS pumping: an IPv6 client is one client per /64; caps per number
# prefix and for the whole service; the country allow-list at /login and
# for `send`; `send` limited per day.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SmsCloud::Test qw(db_query);
use SmsCloud::Web qw(:all);
use SmsCloud::Sms qw(say_ok fresh_phone);

plan tests => 20, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $hostport = use_vhost('smscloud_clients');
fresh_limits();

sub client { my ($ip) = @_; my $ua = browser(); $ua->default_header('X-Test-Client' => $ip); return $ua }
sub sms_to { my ($p) = @_; return db_query(q{SELECT count(*) FROM outbox WHERE to_phone = :'v1'}, $p) }
sub outbox_size { return db_query('SELECT count(*) FROM outbox') }
my @phones;
sub phone { my ($n) = @_; push @phones, $n; return $n }
END { forget_phones(@phones) if @phones }

# ---------------------------------------------------------------- IPv6 by /64
my @codes = map { ask_code(client(sprintf '2001:db8:7:7:%x::1', $_), phone(sprintf '+1555140%04d', $_))->code }
            1 .. 20;
is(scalar(grep { $_ == 303 } @codes), 20, '20 codes from 20 addresses of one /64');
is(ask_code(client('2001:db8:7:7:ffff:1:2:3'), phone('+15551409999'))->code, 429,
   'a 21st address of the same /64 is the same client: 429');
is(ask_code(client('2001:db8:7:8::1'), phone('+15551409998'))->code, 303, 'the next /64 is not');

# ---------------------------------------------------------------- per number prefix
fresh_limits();
@codes = map { ask_code(client("198.51.100.$_"), phone(sprintf '+1555141%04d', $_))->code } 1 .. 30;
is(scalar(grep { $_ == 303 } @codes), 30, '30 codes to one number block (+1555141) in an hour');
my $before = outbox_size();
my $res = ask_code(client('198.51.100.99'), phone('+15551419999'));
is($res->code, 429, 'the 31st number of the block is refused');
like($res->decoded_content, qr/too many text messages are being sent right now/, '... saying why');
is(outbox_size(), $before, '... and nothing is sent');
is(ask_code(client('198.51.100.98'), phone('+15551420001'))->code, 303, 'another block is not limited');

# ---------------------------------------------------------------- the whole service
fresh_limits();
db_query(q{INSERT INTO rate_counters (bucket, window_start, hits) VALUES ('sms-global:all',
           to_timestamp(floor(extract(epoch FROM now()) / 3600) * 3600), 1000)});
$before = outbox_size();
$res = ask_code(client('198.51.100.1'), phone('+15551430001'));
is($res->code, 429, 'after 1000 SMS in an hour the service sends no more');
is(outbox_size(), $before, '... nothing is sent');

# ---------------------------------------------------------------- countries
fresh_limits();
$res = ask_code(client('198.51.100.2'), phone('+33612345678'));
is($res->code, 400, 'a number outside SmsCloudSmsCountries: 400');
like($res->decoded_content, qr/only to numbers starting \+1 or \+44/, '... with a clear message');
is(sms_to('+33612345678'), 0, '... and no SMS');
is(ask_code(client('198.51.100.3'), phone('+447700900123'))->code, 303, 'an allowed country works');

# ---------------------------------------------------------------- send
my $ME = phone('+15551440001');
fresh_phone($ME, accounts => [['kloudless', '2222222222', 'gdrive', 'Google Drive (bob)']]);
Apache::TestRequest::module('smscloud_clients');
my %on = (from => $ME, sign_url => "http://$hostport/sms");
say_ok($_, %on) for 'ls', 'cd 1', 'ls';
like(say_ok('send 1 +33612345678', %on),
     qr/^Could not send to \+33612345678: this service sends text messages only to numbers starting \+1 or \+44\.$/,
     'send to a number outside SmsCloudSmsCountries: refused, saying why');
is(db_query(q{SELECT extract(epoch FROM window_start)::bigint % 86400 FROM rate_counters
              WHERE bucket = :'v1'}, "send:$ME"), 0, 'the send limit counts per day');
fresh_limits();
