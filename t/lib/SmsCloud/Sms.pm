package SmsCloud::Sms;

# Helpers for the t/sms_*.t files: signed webhook requests as Twilio sends
# them (signed by Twilio's own library through t/bin/twilio-sign), TwiML
# replies parsed by a real XML parser, phones and accounts in the database.
#
#   sms(%args)                POST /sms; returns the HTTP::Response. Args:
#                             body, from (default $PHONE), sid (default a new
#                             one), params (extra/override fields), sign_url
#                             (URL to sign; default the public URL), signature
#                             (use this header value; undef = leave it out),
#                             content (raw body, signed params taken as given)
#   sms_request(%args)        the same request as an HTTP::Request, not sent
#                             (signed now, to be sent later or elsewhere)
#   sms_reply($res)           the <Message> texts of a 200 TwiML reply (list);
#                             dies unless the body is well-formed TwiML
#   say_ok($body, %args)      sms() + checks 200/type, returns the one text
#   new_sid()                 a fresh SM + 32 hex
#   public_url()              SmsCloudPublicUrl of the test server
#   add_phone($phone, verified => 1, accounts => [[provider, id, service, name]])
#                             (the accounts are taken from any other phone)
#   fresh_phone($phone, ...)  forget everything about the phone (state, replay
#                             records, send counts), then add_phone(...)
#   state_of($phone)          the sms_state row as a hash ref (or undef)
#   sign($url, \%params)      the signature Twilio would send

use strict;
use warnings FATAL => 'all';

use Carp qw(croak);
use Exporter 'import';
use Encode ();
use HTTP::Request ();
use IPC::Open2 ();
use JSON::PP ();
use XML::LibXML ();

use Apache::Test ();
use Apache::TestRequest ();
use SmsCloud::Test qw(db_query);

our @EXPORT_OK = qw(sms sms_request sms_reply say_ok new_sid public_url add_phone fresh_phone state_of sign
                    $PHONE $TOKEN);
our %EXPORT_TAGS = (all => \@EXPORT_OK);

our $PHONE = '+15551234567';
our $TOKEN = 'test_auth_token_0123456789abcdef';

my $JSON = JSON::PP->new->utf8->canonical;

sub public_url
{
    my $vars = Apache::Test::vars();
    return "http://$vars->{servername}:$vars->{port}";
}

sub sign
{
    my ($url, $params) = @_;
    my $script = SmsCloud::Test::top_dir() . '/t/bin/twilio-sign';
    my $pid = IPC::Open2::open2(my $out, my $in, $script);
    print $in $JSON->encode({ token => $TOKEN, url => $url, params => $params });
    close $in;
    my $sig = <$out>;
    waitpid $pid, 0;
    croak "twilio-sign failed (status $?)" if $? || !defined $sig;
    chomp $sig;
    return $sig;
}

my $sid_counter = 0;
sub new_sid
{
    # random, like Twilio's, but never ending in 0 (that prunes, see
    # mod_smscloud_sms.c) unless a test asks for it
    my $hex = join '', map { sprintf '%04x', int rand 65536 } 1 .. 8;
    substr($hex, -1, 1) = sprintf '%x', 1 + ($sid_counter++ % 15);
    return "SM$hex";
}

sub form_encode
{
    my (@pairs) = @_;
    my @out;
    while (my ($k, $v) = splice @pairs, 0, 2) {
        for ($k, $v) {
            $_ = Encode::encode('UTF-8', $_) if utf8::is_utf8($_);
            s/([^A-Za-z0-9_.~ -])/sprintf '%%%02X', ord $1/ge;
            tr/ /+/;
        }
        push @out, "$k=$v";
    }
    return join '&', @out;
}

# The fields of an inbound SMS webhook as Twilio sends them.
sub webhook_params
{
    my (%a) = @_;
    my %p = (
        ToCountry => 'US', ToState => '', SmsMessageSid => $a{sid},
        NumMedia => '0', ToCity => '', FromZip => '', SmsSid => $a{sid},
        FromState => '', SmsStatus => 'received', FromCity => '',
        Body => $a{body}, FromCountry => 'US', To => '+15557654321',
        ToZip => '', NumSegments => '1', MessageSid => $a{sid},
        AccountSid => 'AC00000000000000000000000000000001',
        From => $a{from}, ApiVersion => '2010-04-01',
    );
    my $extra = $a{params} || {};
    @p{keys %$extra} = values %$extra;
    delete @p{grep { !defined $p{$_} } keys %p};
    return \%p;
}

# What sms() sends: (path, headers, body).
sub sms_parts
{
    my (%a) = @_;
    $a{sid} = new_sid() unless exists $a{sid};
    $a{from} = $PHONE unless exists $a{from};
    $a{body} = '' unless defined $a{body};
    my $params = webhook_params(%a);
    my $content = exists $a{content} ? $a{content}
                : form_encode(map { ($_, $params->{$_}) } sort keys %$params);
    my %h = ('Content-Type' => $a{content_type} // 'application/x-www-form-urlencoded');
    if (exists $a{signature}) {
        $h{'X-Twilio-Signature'} = $a{signature} if defined $a{signature};
    }
    else {
        my %str = map { ($_ => (utf8::is_utf8($params->{$_}) ? $params->{$_}
                                : Encode::decode('UTF-8', $params->{$_})))} keys %$params;
        $h{'X-Twilio-Signature'} = sign($a{sign_url} // public_url() . '/sms', \%str);
    }
    return ($a{path} // '/sms', \%h, $content);
}

sub sms
{
    my ($path, $h, $content) = sms_parts(@_);
    return Apache::TestRequest::POST($path, %$h, content => $content);
}

sub sms_request
{
    my ($path, $h, $content) = sms_parts(@_);
    return HTTP::Request->new(POST => public_url() . $path, [%$h], $content);
}

sub sms_reply
{
    my ($res) = @_;
    my $doc = XML::LibXML->load_xml(string => $res->content);   # dies if not well-formed
    my $root = $doc->documentElement;
    croak 'TwiML root is ' . $root->nodeName unless $root->nodeName eq 'Response';
    for my $child ($root->childNodes) {
        croak 'unexpected TwiML element ' . $child->nodeName
            if $child->nodeType == XML::LibXML::XML_ELEMENT_NODE()
               && $child->nodeName ne 'Message';
    }
    return map { $_->textContent } $root->findnodes('./Message');
}

# One command; returns the one message text ('' for none). Checks what
# every reply must have and reports through Test::More.
sub say_ok
{
    my ($body, %a) = @_;
    my $res = sms(body => $body, %a);
    my $ok = $res->code == 200
          && ($res->header('Content-Type') // '') eq 'text/xml; charset=utf-8'
          && !defined $res->header('Set-Cookie')
          && ($res->header('Content-Length') // -1) == length($res->content);
    my @m = $ok ? eval { sms_reply($res) } : ();
    $ok &&= !$@ && @m <= 1;
    $ok &&= !@m || length(Encode::decode('UTF-8', Encode::encode('UTF-8', $m[0]))) <= 1600;
    Test::More::ok($ok, "'$body': a well-formed TwiML reply")
        or Test::More::diag($res->as_string, $@ ? "XML: $@" : '');
    return @m ? $m[0] : '';
}

sub add_phone
{
    my ($phone, %a) = @_;
    my $verified = exists $a{verified} ? $a{verified} : 1;
    db_query(q{INSERT INTO phones (phone, verified_at) VALUES (:'v1', }
             . ($verified ? 'now()' : 'NULL') . q{) ON CONFLICT (phone) DO NOTHING}, $phone);
    for my $acc (@{ $a{accounts} || [] }) {
        # one provider account belongs to one phone: take it from any
        # phone an earlier test file gave it to
        db_query(q{DELETE FROM accounts WHERE provider = :'v1' AND account_id = :'v2'},
                 @$acc[0, 1]);
        db_query(q{INSERT INTO accounts (phone, provider, account_id, service, display_name)
                   VALUES (:'v1', :'v2', :'v3', :'v4', :'v5')}, $phone, @$acc);
    }
    return 1;
}

sub fresh_phone
{
    my ($phone, @args) = @_;
    db_query(q{DELETE FROM phones WHERE phone = :'v1'}, $phone);   # cascades to state
    db_query(q{DELETE FROM processed_messages WHERE phone = :'v1'}, $phone);
    db_query(q{DELETE FROM rate_counters WHERE bucket LIKE :'v1'}, "%:$phone");
    return add_phone($phone, @args);
}

sub state_of
{
    my ($phone) = @_;
    my @rows = db_query(q{SELECT coalesce(account_ref::text, ''), folders, listing,
                                 next_index, version FROM sms_state WHERE phone = :'v1'},
                        $phone);
    return undef unless @rows;
    my %s;
    @s{qw(account_ref folders listing next_index version)} = @{ $rows[0] };
    $s{$_} = $JSON->decode($s{$_}) for qw(folders listing);
    return \%s;
}

1;
