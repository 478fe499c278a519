/* test_rate.c: rate-limit hits and the arguments that count them. */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_rate.h"

START_TEST(args_in_order)
{
    apr_array_header_t *hits = sc_rate_list(sc_test_pool);
    const char *b = "x", *w = "x", *c = "x";

    ck_assert_int_eq(sc_rate_args(sc_test_pool, hits, &b, &w, &c), APR_SUCCESS);
    ck_assert_str_eq(b, "");
    ck_assert_str_eq(w, "");
    ck_assert_str_eq(c, "");
    sc_rate_add(hits, "login-phone", "+15550001111", 5, 600);
    sc_rate_add(hits, "api_check_ip", "192.0.2.7", 30, 60);
    sc_rate_add(hits, "sms-global", "all", 0, 86400);
    ck_assert_int_eq(sc_rate_args(sc_test_pool, hits, &b, &w, &c), APR_SUCCESS);
    ck_assert_str_eq(b, "login-phone:+15550001111\napi_check_ip:192.0.2.7\nsms-global:all");
    ck_assert_str_eq(w, "600\n60\n86400");
    ck_assert_str_eq(c, "5\n30\n0");
}
END_TEST

/* A key is one line of clean text: a newline would split one bucket into
 * two in the database's lists, and bytes that are no UTF-8 would make the
 * statement fail. A refused hit refuses the whole list. */
START_TEST(keys_and_names_refused)
{
    static const struct {
        const char *name, *key;
        int count, window, ok;
    } cases[] = {
        { "send", "+15550001111", 3, 60, 1 },
        { "login-user", "caf\xC3\xA9 :x", 3, 60, 1 },
        { "send", "", 3, 60, 1 },
        { "send", "+1555\n0001111", 3, 60, 0 },
        { "send", "a\r", 3, 60, 0 },
        { "send", "a\tb", 3, 60, 0 },
        { "send", "\xFF", 3, 60, 0 },
        { "send", "\xED\xA0\x80", 3, 60, 0 },
        { "send", NULL, 3, 60, 0 },
        { "se:nd", "k", 3, 60, 0 },
        { "Send", "k", 3, 60, 0 },
        { "", "k", 3, 60, 0 },
        { NULL, "k", 3, 60, 0 },
        { "send", "k", -1, 60, 0 },
        { "send", "k", 3, 0, 0 },
    };
    const char *b, *w, *c;
    apr_size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        apr_array_header_t *hits = sc_rate_list(sc_test_pool);

        sc_rate_add(hits, "login-ip", "192.0.2.7", 20, 3600);
        sc_rate_add(hits, cases[i].name, cases[i].key, cases[i].count, cases[i].window);
        ck_assert_msg(sc_rate_hit_ok(&APR_ARRAY_IDX(hits, 1, sc_rate_hit_t)) == cases[i].ok,
                      "case %d", (int)i);
        ck_assert_int_eq(sc_rate_args(sc_test_pool, hits, &b, &w, &c),
                         cases[i].ok ? APR_SUCCESS : APR_EINVAL);
        if (!cases[i].ok) {
            ck_assert_str_eq(b, "");
            ck_assert_str_eq(w, "");
            ck_assert_str_eq(c, "");
        }
    }
}
END_TEST

START_TEST(answers)
{
    apr_array_header_t *hits = sc_rate_list(sc_test_pool);
    const sc_rate_hit_t *over = (const sc_rate_hit_t *)hits;

    sc_rate_add(hits, "login-ip", "192.0.2.7", 20, 3600);
    sc_rate_add(hits, "login-phone", "+15550001111", 5, 600);
    ck_assert_int_eq(sc_rate_answer(hits, 0, &over), APR_SUCCESS);
    ck_assert_ptr_null(over);
    ck_assert_int_eq(sc_rate_answer(hits, 2, &over), APR_SUCCESS);
    ck_assert_str_eq(over->name, "login-phone");
    ck_assert_int_eq(sc_rate_answer(hits, 1, &over), APR_SUCCESS);
    ck_assert_str_eq(over->name, "login-ip");
    ck_assert_int_eq(sc_rate_answer(hits, 3, &over), APR_EINVAL);
    ck_assert_ptr_null(over);
    ck_assert_int_eq(sc_rate_answer(hits, -1, &over), APR_EINVAL);
    ck_assert_ptr_null(over);
}
END_TEST

SC_UNIT_SUITE(sc_rate_suite)

Suite *sc_rate_suite(void)
{
    Suite *s = suite_create("rate");
    TCase *tc = sc_tcase("rate");

    tcase_add_test(tc, args_in_order);
    tcase_add_test(tc, keys_and_names_refused);
    tcase_add_test(tc, answers);
    suite_add_tcase(s, tc);
    return s;
}
