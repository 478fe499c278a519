# The URL a webhook signature is checked against is the request target as
# the client sent it, not httpd's normalised path: "//sms", "/./sms" and
# "/%73ms" reach the handler, but each only with a signature of exactly
# that URL.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use SmsCloud::Test qw(db_query);
use SmsCloud::Sms qw(sms public_url fresh_phone new_sid);

plan tests => 10, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ME = '+15550007001';
fresh_phone($ME);
my $base = public_url();

for my $path ('//sms', '/./sms', '/%73ms') {
    my $res = sms(body => 'pwd', from => $ME, path => $path, sign_url => "$base/sms");
    is($res->code, 403, "$path signed as /sms: 403 (not what was signed)");
    $res = sms(body => 'pwd', from => $ME, path => $path, sign_url => "$base$path");
    is($res->code, 200, "$path signed as $path: 200") or diag($res->as_string);
}
is(sms(body => 'pwd', from => $ME, path => '/sms?a=%2F', sign_url => "$base/sms?a=%2F")->code,
   200, 'the query is signed as sent too');
is(sms(body => 'pwd', from => $ME, path => '/sms?a=%2F', sign_url => "$base/sms?a=/")->code,
   403, '... not decoded');
is(sms(body => 'pwd', from => $ME, path => '/sms', sign_url => "$base/sms")->code, 200,
   'the plain path works as always');
is(db_query(q{SELECT count(*) FROM processed_messages WHERE phone = :'v1'}, $ME), 5,
   'the five accepted messages were handled');
