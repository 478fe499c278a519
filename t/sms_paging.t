# 500 photos paged with MORE: every page fits one Twilio message, every
# entry appears exactly once, in order, with its own number.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);

use SmsCloud::Test qw(db_query fake_reset);
use SmsCloud::Sms qw(:all);

plan tests => 12, need need_module('mod_smscloud.c', 'mod_dbd.c');

my $ME = '+15550005001';
fake_reset();
fresh_phone($ME, accounts => [['kloudless', '1234567890', 'dropbox', 'Dropbox (alice)']]);

# quiet variant of say_ok: the page checks below are the assertions
sub reply_of
{
    my ($body) = @_;
    my $res = sms(body => $body, from => $ME);
    die $res->as_string unless $res->code == 200;
    my @m = sms_reply($res);
    return @m ? $m[0] : '';
}

# one account only: the top is its root
reply_of('ls');
reply_of('cd 2');

sub walk
{
    my (@pages, %seen, @order);
    my $page = reply_of('ls');
    while (1) {
        push @pages, $page;
        my @lines = split /\n/, $page;
        pop @lines if $lines[-1] =~ /^\(reply MORE for \d+ more\)$/;
        for (@lines) {
            my ($n, $name) = /^(\d+) (IMG_\d{4}\.jpg) \(\d+\.\d KB\)$/ or die "odd line: $_";
            push @order, $n;
            $seen{$name}++;
            $seen{"#$n"} = $name;
        }
        last unless $page =~ /\(reply MORE for \d+ more\)\z/;
        $page = reply_of('more');
        last if @pages > 100;
    }
    return (\@pages, \%seen, \@order);
}

my ($pages, $seen, $order) = walk();
ok(@$pages >= 5, scalar(@$pages) . ' pages');
is(scalar(grep { length($_) > 1600 } @$pages), 0, 'every page <= 1600 characters');
ok(length($pages->[0]) > 1500, 'pages are used well (first page > 1500 characters)');
is(scalar(grep { /^IMG_/ } keys %$seen), 500, 'all 500 names shown');
is(scalar(grep { /^IMG_/ && $seen->{$_} != 1 } keys %$seen), 0, 'each exactly once');
is_deeply($order, [1 .. 500], 'numbers 1..500 in order');
is($seen->{'#1'}, 'IMG_0001.jpg', 'number 1 is the first photo');
is($seen->{'#500'}, 'IMG_0500.jpg', 'number 500 is the last photo');
my ($left) = $pages->[0] =~ /\(reply MORE for (\d+) more\)\z/;
my $first_count = () = $pages->[0] =~ /^\d+ IMG/mg;
is($left + $first_count, 500, 'the first footer counts the rest');
is(reply_of('more'), 'That was the whole list. Send LS to see it again.', 'more at the end');

# the numbers on a later page work with get
my $res = reply_of('get 437');
is($res, 'IMG_0437.jpg: https://dl.example.test/l/lnk_1', 'get with a number from a later page');

# a fresh ls starts from page one again
like(reply_of('ls'), qr/\A1 IMG_0001\.jpg /, 'ls starts over');
