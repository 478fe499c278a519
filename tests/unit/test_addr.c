/* test_addr.c: loopback Host names and peers, same-origin checks, address
 * buckets (sc_addr). */
#include <string.h>

#include "sc_unit.h"
#include "sc_addr.h"

START_TEST(host_loopback)
{
    static const char *const good[] = {
        "localhost", "LocalHost", "localhost:15530", "127.0.0.1", "127.0.0.1:80",
        "127.1.2.3", "127.255.255.254:8080", "[::1]", "[::1]:15530", "::1",
        "[0:0:0:0:0:0:0:1]", NULL
    };
    /* what a DNS rebinding attack would send, and look-alikes */
    static const char *const bad[] = {
        "127.attacker.example", "127.attacker.example:15456", "127.0.0.1.nip.io",
        "127.1", "0x7f.0.0.1", "0177.0.0.1", "2130706433", "127.0.0.1.",
        "localhost.attacker.example", "localhost.", "evil.example", "128.0.0.1",
        "10.0.0.1", "[::2]", "[::ffff:127.0.0.1]", "::1]", "[::1", "[::1]x",
        "[::1]:", "[::1]:8a", "localhost:", "localhost:80x", "127.0.0.1:80:80",
        "", NULL
    };
    int i;

    for (i = 0; good[i]; i++) {
        ck_assert_msg(sc_host_is_loopback(good[i]), "%s refused", good[i]);
    }
    for (i = 0; bad[i]; i++) {
        ck_assert_msg(!sc_host_is_loopback(bad[i]), "%s accepted", bad[i]);
    }
    ck_assert_int_eq(sc_host_is_loopback(NULL), 0);
}
END_TEST

START_TEST(peer_loopback)
{
    static const struct { const char *ip; int loopback; } cases[] = {
        { "127.0.0.1", 1 }, { "127.200.1.9", 1 }, { "::1", 1 },
        { "128.0.0.1", 0 }, { "10.0.0.1", 0 }, { "0.0.0.0", 0 }, { "::2", 0 },
        { "::", 0 }, { "2001:db8::1", 0 },
    };
    apr_sockaddr_t *sa;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_int_eq(apr_sockaddr_info_get(&sa, cases[i].ip, APR_UNSPEC, 80,
                                               APR_IPV4_ADDR_OK, sc_test_pool), APR_SUCCESS);
        ck_assert_msg(sc_sockaddr_is_loopback(sa) == cases[i].loopback, "%s: %d",
                      cases[i].ip, !cases[i].loopback);
    }
    ck_assert_int_eq(sc_sockaddr_is_loopback(NULL), 0);
}
END_TEST

START_TEST(origin_self)
{
    apr_pool_t *p = sc_test_pool;

    ck_assert(sc_origin_is_loopback_self(p, "http://localhost:15530", "http", "localhost:15530"));
    ck_assert(sc_origin_is_loopback_self(p, "http://127.0.0.1:15530", "http", "127.0.0.1:15530"));
    ck_assert(sc_origin_is_loopback_self(p, "http://[::1]:8700", "http", "[::1]:8700"));
    ck_assert(sc_origin_is_loopback_self(p, "HTTP://LOCALHOST", "http", "localhost"));
    ck_assert(!sc_origin_is_loopback_self(p, "null", "http", "localhost:15530"));
    ck_assert(!sc_origin_is_loopback_self(p, "http://127.attacker.example:15530", "http",
                                          "127.attacker.example:15530"));
    ck_assert(!sc_origin_is_loopback_self(p, "http://evil.example", "http", "localhost:15530"));
    ck_assert(!sc_origin_is_loopback_self(p, "http://localhost:3000", "http", "localhost:15530"));
    ck_assert(!sc_origin_is_loopback_self(p, "https://localhost:15530", "http", "localhost:15530"));
    ck_assert(!sc_origin_is_loopback_self(p, "http://localhost:15530/x", "http", "localhost:15530"));
    ck_assert(!sc_origin_is_loopback_self(p, "http://u@localhost:15530", "http", "localhost:15530"));
    ck_assert(!sc_origin_is_loopback_self(p, "http://localhost:15530", "http", "127.0.0.1:15530"));
    ck_assert(!sc_origin_is_loopback_self(p, NULL, "http", "localhost"));
    ck_assert(!sc_origin_is_loopback_self(p, "", "http", "localhost"));
}
END_TEST

START_TEST(bucket)
{
    apr_pool_t *p = sc_test_pool;

    ck_assert_str_eq(sc_addr_bucket(p, "192.0.2.7"), "192.0.2.7");
    ck_assert_str_eq(sc_addr_bucket(p, "2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
    ck_assert_str_eq(sc_addr_bucket(p, "2001:db8:1:2::1"), "2001:db8:1:2::/64");
    ck_assert_str_eq(sc_addr_bucket(p, "2001:DB8:1:2:0:0:0:ffff"), "2001:db8:1:2::/64");
    ck_assert_str_ne(sc_addr_bucket(p, "2001:db8:1:3::1"), sc_addr_bucket(p, "2001:db8:1:2::1"));
    ck_assert_str_eq(sc_addr_bucket(p, "::ffff:192.0.2.7"), "192.0.2.7");
    ck_assert_str_eq(sc_addr_bucket(p, "::1"), "::/64");
    ck_assert_str_eq(sc_addr_bucket(p, "not an address"), "not an address");
    ck_assert_ptr_null(sc_addr_bucket(p, NULL));
}
END_TEST

SC_UNIT_SUITE(sc_addr_suite)

Suite *sc_addr_suite(void)
{
    Suite *s = suite_create("addr");
    TCase *tc = sc_tcase("addr");

    tcase_add_test(tc, host_loopback);
    tcase_add_test(tc, peer_loopback);
    tcase_add_test(tc, origin_self);
    tcase_add_test(tc, bucket);
    suite_add_tcase(s, tc);
    return s;
}
