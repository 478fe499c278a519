/* test_cookie.c: the module's cookies. */
#include <string.h>

#include "sc_unit.h"
#include "sc_cookie.h"

#define TOKEN "abcDEF012-_xyz"

static apr_table_t *cookies(const char *first, const char *second)
{
    apr_table_t *t = apr_table_make(sc_test_pool, 2);

    if (first) {
        apr_table_add(t, "Cookie", first);
    }
    if (second) {
        apr_table_add(t, "Cookie", second);
    }
    return t;
}

START_TEST(names)
{
    ck_assert_int_eq(sc_cookie_secure("https", "http://x"), 1);
    ck_assert_int_eq(sc_cookie_secure("http", "HTTPS://sms.example.org"), 1);
    ck_assert_int_eq(sc_cookie_secure("http", "http://127.0.0.1:8080"), 0);
    ck_assert_int_eq(sc_cookie_secure(NULL, NULL), 0);
    ck_assert_str_eq(sc_cookie_name(sc_test_pool, "smscloud_session", 1),
                     "__Host-smscloud_session");
    ck_assert_str_eq(sc_cookie_name(sc_test_pool, "smscloud_session", 0), "smscloud_session");
}
END_TEST

START_TEST(values)
{
    char long_value[SC_COOKIE_VALUE_MAX + 2];

    ck_assert_int_eq(sc_cookie_value_ok(TOKEN), 1);
    ck_assert_int_eq(sc_cookie_value_ok(""), 0);
    ck_assert_int_eq(sc_cookie_value_ok(NULL), 0);
    ck_assert_int_eq(sc_cookie_value_ok("a b"), 0);
    ck_assert_int_eq(sc_cookie_value_ok("a=b"), 0);
    ck_assert_int_eq(sc_cookie_value_ok("abc+/"), 0);
    memset(long_value, 'a', sizeof(long_value) - 1);
    long_value[SC_COOKIE_VALUE_MAX] = '\0';
    ck_assert_int_eq(sc_cookie_value_ok(long_value), 1);
    long_value[SC_COOKIE_VALUE_MAX] = 'a';
    long_value[SC_COOKIE_VALUE_MAX + 1] = '\0';
    ck_assert_int_eq(sc_cookie_value_ok(long_value), 0);
}
END_TEST

START_TEST(reading)
{
    ck_assert_str_eq(sc_cookie_get(sc_test_pool, cookies("s=" TOKEN, NULL), "s"), TOKEN);
    ck_assert_str_eq(sc_cookie_get(sc_test_pool, cookies("a=1; \ts=" TOKEN "; b=2", NULL),
                                   "s"), TOKEN);
    ck_assert_str_eq(sc_cookie_get(sc_test_pool, cookies("a=1", "s=" TOKEN), "s"), TOKEN);
    /* a name that only starts like ours is another cookie */
    ck_assert_str_eq(sc_cookie_get(sc_test_pool, cookies("ss=x; s=" TOKEN, NULL), "s"), TOKEN);
    ck_assert_ptr_null(sc_cookie_get(sc_test_pool, cookies("a=1", NULL), "s"));
    ck_assert_ptr_null(sc_cookie_get(sc_test_pool, cookies(NULL, NULL), "s"));
    /* twice, in one header or two: planted by a sibling domain */
    ck_assert_ptr_null(sc_cookie_get(sc_test_pool, cookies("s=" TOKEN "; s=" TOKEN, NULL),
                                     "s"));
    ck_assert_ptr_null(sc_cookie_get(sc_test_pool, cookies("s=" TOKEN, "s=other"), "s"));
    ck_assert_ptr_null(sc_cookie_get(sc_test_pool, cookies("s=not ours!", NULL), "s"));
    ck_assert_ptr_null(sc_cookie_get(sc_test_pool, cookies("s=", NULL), "s"));
    ck_assert_ptr_null(sc_cookie_get(sc_test_pool, NULL, "s"));
}
END_TEST

START_TEST(setting)
{
    ck_assert_str_eq(sc_cookie_set_line(sc_test_pool, "__Host-s", TOKEN, 600, 1),
                     "__Host-s=" TOKEN "; Path=/; HttpOnly; SameSite=Lax; Max-Age=600; Secure");
    ck_assert_str_eq(sc_cookie_set_line(sc_test_pool, "s", "", 0, 0),
                     "s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    ck_assert_str_eq(sc_cookie_set_line(sc_test_pool, "s", TOKEN, -1, 0),
                     "s=" TOKEN "; Path=/; HttpOnly; SameSite=Lax");
}
END_TEST

SC_UNIT_SUITE(sc_cookie_suite)

Suite *sc_cookie_suite(void)
{
    Suite *s = suite_create("cookie");
    TCase *tc = sc_tcase("cookie");

    tcase_add_test(tc, names);
    tcase_add_test(tc, values);
    tcase_add_test(tc, reading);
    tcase_add_test(tc, setting);
    suite_add_tcase(s, tc);
    return s;
}
