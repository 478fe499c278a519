# Every mistake a user can make gets one line and a hint, never an error
# status; carrier keywords; replays; Twilio refusals in plain words; idle
# state expiry.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);

use SmsCloud::Test qw(db_query fake_reset fake_requests fake_messages);
use SmsCloud::Sms qw(:all);

plan tests => 141, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ME = '+15550003001';
my $HELP = 'Send HELP for the commands.';
my $HELP_TEXT = 'LS list, CD n or CD name open, CD .. go up, GET n or GET name link to a file, '
              . 'SEND n +15551234567 text a link to someone, PWD where am I, '
              . 'MORE rest of a list, RESET start over.';

fake_reset();
fresh_phone($ME, accounts => [['kloudless', '1234567890', 'dropbox', 'Dropbox (alice)']]);
sub say { my ($body, %a) = @_; return say_ok($body, from => $ME, %a) }

# before any listing
is(say('cd 1'), 'Send LS first, then use the numbers it shows.', 'cd before ls');
is(say('get 1'), 'Send LS first, then use the numbers it shows.', 'get before ls');
is(say('send 1 +15559876543'), 'Send LS first, then use the numbers it shows.', 'send before ls');
is(say('more'), 'There is no list to continue. Send LS to list this folder.', 'more before ls');

# words
is(say('dance'), qq{Unknown command "dance". $HELP}, 'unknown word');
is(say('<b>&amp;</b>'), qq{Unknown command "<b>&amp;</b>". $HELP}, 'unknown word with markup, echoed as text');
is(say(''), "Send a command, for example LS. $HELP", 'empty body');
is(say('   '), "Send a command, for example LS. $HELP", 'blank body');
is(say('cd'), "Sorry, cd needs a number or a name from the list (CD .. goes up). $HELP",
   'cd without argument: no "..." that reads as cut off');
is(say('cd x'), 'Nothing here is called "x". Send LS to see the numbers.', 'cd with a name that is none');
is(say('get'), "Sorry, get needs a number or a name from the list. $HELP", 'get without argument');
is(say('send 1'), "Sorry, send needs a phone number after the file number. $HELP", 'send without number');
is(say('send 1 12345'),
   "Sorry, send needs a phone number in international format, like +14155550100. $HELP",
   'send with a bad number');
is(say('ls now'), "Sorry, ls takes no arguments. $HELP", 'ls with an argument');
is(say('help'), $HELP_TEXT, 'help');
is(say('HELP'), $HELP_TEXT, 'HELP keyword');
is(say('info'), $HELP_TEXT, 'INFO keyword');

# carrier keywords: no reply, no state change
my $before = state_of($ME);
for my $w ('STOP', 'stop', ' Stop ', 'UNSUBSCRIBE', 'quit') {
    my $res = sms(body => $w, from => $ME);
    is($res->code, 200, "'$w': 200");
    is($res->content, '<?xml version="1.0" encoding="UTF-8"?><Response/>', "'$w': empty Response");
}
is_deeply(state_of($ME), $before, 'opt-out keywords leave the state alone');
is(say('STOP PLEASE'), qq{Unknown command "STOP". $HELP}, 'STOP with more words is a command');
is(say('START'), "Welcome back. $HELP", 'START acknowledged');
is(say('unstop'), "Welcome back. $HELP", 'UNSTOP acknowledged');

# after a listing: wrong numbers and wrong kinds (one account only: the
# top is its root)
is(say('ls'), "1 Documents/\n2 Photos/\n3 notes.txt (1.2 KB)", 'one account: ls at the top lists its root');
is(say('cd 4'), 'There is no 4 in the last list (1-3). Send LS to see the numbers.', 'cd out of range');
is(say('cd 99999'), 'There is no 99999 in the last list (1-3). Send LS to see the numbers.', 'cd far out of range');
is(say('cd 0'), "Sorry, cd needs a number or a name from the list (CD .. goes up). $HELP", 'cd 0');
is(say('cd ..'), 'You are at the top already. Send LS to list it.', 'cd .. at the root of the one account');
is(say('cd 3'), '3 is a file, not a folder. Send GET 3 for a link.', 'cd to a file');
is(say('get 1'), '1 is a folder, not a file. Send CD 1 to open it.', 'get a folder');
is(say('send 2 +15559876543'), '2 is a folder, not a file. Send CD 2 to open it.', 'send a folder');
is(say('get 4'), 'There is no 4 in the last list (1-3). Send LS to see the numbers.', 'get out of range');
is(say('more'), 'That was the whole list. Send LS to see it again.', 'more after the whole list');
is(scalar(grep { $_->{method} eq 'POST' } @{ fake_requests('kloudless') }), 0,
   'no link was made by any of these');
is(say('cd 1'), qq{1 Archive/\n2 a&b<c>"q'.txt (10 B)\n3 report.pdf (2.4 MB)}, 'Documents');
is(say('cd 1'), 'This folder is empty. Send CD .. to go up.', 'empty folder');
is(say('more'), 'There is no list to continue. Send LS to list this folder.', 'more in an empty folder');
say('cd ..');

# replay: the same MessageSid twice has its effect once
fake_reset();
my $sid = new_sid();
my $first = say('get 3', sid => $sid);
is($first, 'report.pdf: https://dl.example.test/l/lnk_1', 'get');
my $v = state_of($ME)->{version};
is(say('get 3', sid => $sid), $first, 'replayed get: same reply');
is(scalar(grep { $_->{method} eq 'POST' } @{ fake_requests('kloudless') }), 1,
   'replayed get: one link only');
is(state_of($ME)->{version}, $v, 'replayed get: state untouched');
$sid = new_sid();
is(say('send 3 +15559876543', sid => $sid), 'Sent report.pdf to +15559876543.', 'send');
is(say('send 3 +15559876543', sid => $sid), 'Sent report.pdf to +15559876543.', 'replayed send: same reply');
is(scalar @{ fake_messages() }, 1, 'replayed send: one SMS only');
is(say('ls', sid => $sid), 'Sent report.pdf to +15559876543.',
   'a replay is answered as before even if its body differs');
is(say_ok('ls', sid => $sid, from => '+15550003999'), '',
   'the sid of another phone gives nothing away');

# Twilio refusals in plain words
is(say('send 3 +15005550001'),
   'Could not send to +15005550001: that phone number is not valid.', '21211 in plain words');
is(say('send 3 +15005550004'),
   'Could not send to +15005550004: that number has replied STOP and no longer accepts messages from us.',
   '21610 in plain words');

# idle state is forgotten
say('cd 1');
db_query(q{UPDATE sms_state SET updated_at = now() - interval '2 hours' WHERE phone = :'v1'}, $ME);
is(say('pwd'), 'You are in /Dropbox (alice).',
   'after SmsCloudSmsIdle the conversation starts from the top (of the one account)');
is(say('cd 1'), 'Send LS first, then use the numbers it shows.', 'and the old listing is gone');

# an account removed on the web while the phone was inside it
say('ls');
say('cd 1');
add_phone($ME, accounts => [['kloudless', '2222222222', 'gdrive', 'Google Drive (bob)']]);
db_query(q{DELETE FROM accounts WHERE phone = :'v1' AND account_id = '1234567890'}, $ME);
is(say('pwd'), 'You are in /Google Drive (bob).',
   'removed account: back at the top, which is the remaining account');
is(say('ls'), '1 todo.md (42 B)', 'the remaining account\'s root');
# every account removed: the phone is signed up, so it is told to connect
# one, not to sign up
db_query(q{DELETE FROM accounts WHERE phone = :'v1'}, $ME);
is(say('ls'), 'No storage account is connected. Connect one at ' . public_url()
              . '/connect and text LS again.', 'no account left: where to connect one');
add_phone($ME, accounts => [['kloudless', '2222222222', 'gdrive', 'Google Drive (bob)']]);

# replay records older than SmsCloudReplayLifetime are removed by the
# background maintenance (t/maintenance.t), never on a message's path
db_query(q{DELETE FROM processed_messages WHERE message_sid LIKE 'SMold%'});
db_query(q{INSERT INTO processed_messages (message_sid, phone, reply, processed_at)
           SELECT 'SMold' || lpad(i::text, 29, '0'), :'v1', 'x', now() - interval '2 days'
           FROM generate_series(1, 150) AS i}, $ME);
say('pwd', sid => 'SM' . ('1' x 31) . '0');
is(db_query(q{SELECT count(*) FROM processed_messages WHERE message_sid LIKE 'SMold%'}), 150,
   'a message prunes no replay records');
db_query(q{DELETE FROM processed_messages WHERE message_sid LIKE 'SMold%'});

# `send` is limited per sender (SmsCloudRateLimit send, 10 an hour by default)
my $SENDER = '+15550003002';
fresh_phone($SENDER, accounts => [['kloudless', '2222222222', 'gdrive', 'Google Drive (bob)']]);
say_ok('ls', from => $SENDER);
fake_reset();
my $sent = 0;
$sent++ for grep { say_ok('send 1 +15559876543', from => $SENDER) eq 'Sent todo.md to +15559876543.' } 1 .. 10;
is($sent, 10, 'ten sends in an hour are fine');
is(say_ok('send 1 +15559876543', from => $SENDER),
   'You have sent too many links for now. Try again later.', 'the eleventh is refused');
is(scalar @{ fake_messages() }, 10, 'and sends nothing');
is(say_ok('get 1', from => $SENDER), 'todo.md: https://dl.example.test/l/lnk_11',
   'get is not limited by it');

# A state row that is not what the module wrote (a hand edit, a bad
# migration) puts the user back at the top and is logged (SC02020); the
# listing is only read by commands that use it.
my $DAMAGED = '+15550003003';
fresh_phone($DAMAGED, accounts => [['kloudless', '2222222222', 'gdrive', 'Dropbox (carol)']]);
say_ok('ls', from => $DAMAGED);
db_query(q(UPDATE sms_state SET listing = '[["f", "x", ' WHERE phone = :'v1'), $DAMAGED);
is(say_ok('pwd', from => $DAMAGED), 'You are in /Dropbox (carol).',
   'damaged listing: pwd does not need it');
is(say_ok('cd 1', from => $DAMAGED), 'Send LS first, then use the numbers it shows.',
   'damaged listing: cd starts over from the top');
my $st = state_of($DAMAGED);
is_deeply([$st->{folders}, $st->{listing}], [[], []],
          'damaged listing: the row is at the top again');
say_ok('ls', from => $DAMAGED);
db_query(q{UPDATE sms_state SET folders = 'not json' WHERE phone = :'v1'}, $DAMAGED);
is(say_ok('pwd', from => $DAMAGED), 'You are in /Dropbox (carol).',
   'damaged folders: back at the top');
is(say_ok('ls', from => $DAMAGED), '1 todo.md (42 B)', 'and ls lists the root');
