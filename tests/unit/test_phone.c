/* test_phone.c: E.164 checks, normalising and redaction. */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_phone.h"

START_TEST(is_e164)
{
    static const char *const good[] = {
        "+14155550100", "+12345678", "+123456789012345", "+442079460958",
        NULL
    };
    static const char *const bad[] = {
        "+1234567", "+1234567890123456", "+0123456789", "14155550100",
        "+1415555010a", "", "+", "++14155550100", "+1 4155550100",
        "+14155550100 ", "+1415555\n0100", NULL
    };
    int i;

    for (i = 0; good[i]; i++) {
        ck_assert_msg(sc_phone_is_e164(good[i]), "%s refused", good[i]);
    }
    for (i = 0; bad[i]; i++) {
        ck_assert_msg(!sc_phone_is_e164(bad[i]), "%s accepted", bad[i]);
    }
    ck_assert_int_eq(sc_phone_is_e164(NULL), 0);
}
END_TEST

START_TEST(normalise_ok)
{
    static const char *const cases[][2] = {
        { "+14155550100", "+14155550100" },
        { "+1 (415) 555-0100", "+14155550100" },
        { "  +44 20 7946 0958  ", "+442079460958" },
        { "0044 20 7946 0958", "+442079460958" },
        { "00 44 20 7946 0958", "+442079460958" },
        { "+49.30.1234567", "+49301234567" },
        { "\t+1-415-555-0100\r\n", "+14155550100" },
        { "+1 415 555 0100", "+14155550100" },
        { "+33 (1) 23 45 67 89", "+33123456789" },
        { "+12345678", "+12345678" },
        { "+123 456 789 012 345", "+123456789012345" }
    };
    const char *out;
    apr_size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        out = NULL;
        ck_assert_msg(sc_phone_normalise(sc_test_pool, cases[i][0], &out)
                      == APR_SUCCESS, "%s refused", cases[i][0]);
        ck_assert_str_eq(out, cases[i][1]);
    }
}
END_TEST

START_TEST(normalise_bad)
{
    static const char *const bad[] = {
        "4155550100", "(415) 555-0100", "1 415 555 0100", "+1 415 555 CALL",
        "+0 415 555 0100", "000 44 20 7946 0958", "00", "+", "", "   ",
        "+1234567", "+1234567890123456", "+44 (0)20 7946 0958",
        "+ 1 415 555 0100", "+(1) 415 555 0100", "+1 415 555 0100-",
        "+1 (415 555 0100", "+1 415) 555 0100", "+1 ((415)) 555 0100",
        "+1 415 555 0100 ext 2", "+1/415/555/0100", "+1_415_555_0100",
        "+1 415\xEF\xBC\x95" "55 0100", "+1 415 555 0100\x01",
        "0 044 20 7946 0958", "+1\0 415", NULL
    };
    const char *out;
    char *longnum;
    int i;

    for (i = 0; bad[i]; i++) {
        out = "untouched";
        ck_assert_msg(sc_phone_normalise(sc_test_pool, bad[i], &out)
                      == APR_EINVAL, "%s accepted", bad[i]);
        ck_assert_str_eq(out, "untouched");
    }
    ck_assert_int_eq(sc_phone_normalise(sc_test_pool, NULL, &out),
                     APR_EINVAL);
    ck_assert_int_eq(sc_phone_normalise(sc_test_pool, "+14155550100", NULL),
                     APR_EINVAL);
    /* Long input made only of allowed characters. */
    longnum = apr_palloc(sc_test_pool, 10002);
    longnum[0] = '+';
    memset(longnum + 1, '1', 10000);
    longnum[10001] = '\0';
    ck_assert_int_eq(sc_phone_normalise(sc_test_pool, longnum, &out),
                     APR_EINVAL);
    memset(longnum + 2, ' ', 9998);
    ck_assert_int_eq(sc_phone_normalise(sc_test_pool, longnum, &out),
                     APR_EINVAL);
}
END_TEST

static int count_digits(const char *s)
{
    int n = 0;

    for (; *s; s++) {
        n += (*s >= '0' && *s <= '9');
    }
    return n;
}

START_TEST(redact)
{
    ck_assert_str_eq(sc_phone_redact(sc_test_pool, "+14158675309"),
                     "+141******09");
    ck_assert_str_eq(sc_phone_redact(sc_test_pool, "+12345678"),
                     "+123***78");
    ck_assert_str_eq(sc_phone_redact(sc_test_pool, "+123456789012345"),
                     "+123**********45");
    ck_assert_int_eq(count_digits(sc_phone_redact(sc_test_pool,
                                                  "+442079460958")), 5);
    ck_assert_str_eq(sc_phone_redact(sc_test_pool, NULL), "(null)");
    ck_assert_str_eq(sc_phone_redact(sc_test_pool, "4155550100"),
                     "(invalid)");
    ck_assert_str_eq(sc_phone_redact(sc_test_pool, "+1 415 555 0100"),
                     "(invalid)");
}
END_TEST

/* The Authy shape must land on the very number the full form gives. */
START_TEST(national_ok)
{
    static const char *const cases[][3] = {
        { "44", "07700 900123", "+44 7700 900123" },
        { "+44", "7700900123", "+447700900123" },
        { "1", "(415) 555-0100", "+1 415 555 0100" },
        { "1", "1 415 555 0100", "+14155550100" },
        { "1", "4155550100", "+14155550100" },
        { "49", "030 1234567", "+49 30 1234567" },
        { "39", "06 1234 5678", "+39 06 1234 5678" },
        { "358", "040 123 4567", "+358 40 123 4567" },
        { "44", "+44 7700 900123", "+447700900123" },
        { "44", "0044 7700 900123", "+447700900123" },
        { NULL, NULL, NULL }
    };
    int i;

    for (i = 0; cases[i][0]; i++) {
        const char *national = NULL, *full = NULL;

        ck_assert_msg(sc_phone_from_national(sc_test_pool, cases[i][0], cases[i][1],
                                             &national) == APR_SUCCESS,
                      "%s %s refused", cases[i][0], cases[i][1]);
        ck_assert_int_eq(sc_phone_normalise(sc_test_pool, cases[i][2], &full), APR_SUCCESS);
        ck_assert_str_eq(national, full);
    }
}
END_TEST

START_TEST(national_bad)
{
    const char *out;

    ck_assert_int_eq(sc_phone_country_code_ok("44"), 1);
    ck_assert_int_eq(sc_phone_country_code_ok("+1"), 1);
    ck_assert_int_eq(sc_phone_country_code_ok("0"), 0);
    ck_assert_int_eq(sc_phone_country_code_ok("4444"), 0);
    ck_assert_int_eq(sc_phone_country_code_ok("4a"), 0);
    ck_assert_int_eq(sc_phone_country_code_ok(""), 0);
    ck_assert_int_eq(sc_phone_country_code_ok(NULL), 0);
    ck_assert_int_eq(sc_phone_from_national(sc_test_pool, "x", "07700900123", &out), APR_EINVAL);
    ck_assert_int_eq(sc_phone_from_national(sc_test_pool, NULL, "07700900123", &out), APR_EINVAL);
    ck_assert_int_eq(sc_phone_from_national(sc_test_pool, "44", "077OO 900123", &out), APR_EBADF);
    ck_assert_int_eq(sc_phone_from_national(sc_test_pool, "44", "12", &out), APR_EBADF);
    ck_assert_int_eq(sc_phone_from_national(sc_test_pool, "44", "", &out), APR_EBADF);
    ck_assert_int_eq(sc_phone_from_national(sc_test_pool, "44", NULL, &out), APR_EBADF);
    ck_assert_int_eq(sc_phone_from_national(sc_test_pool, "44", "(0)20 7946 0958", &out), APR_EBADF);
    ck_assert_int_eq(sc_phone_from_national(sc_test_pool, "1", "+44 7700 900123", &out), APR_EBADF);
    ck_assert_int_eq(sc_phone_from_national(sc_test_pool, "44", "1234567890123456", &out),
                     APR_EBADF);
}
END_TEST

START_TEST(prefix_and_countries)
{
    apr_pool_t *p = sc_test_pool;
    apr_array_header_t *allowed = apr_array_make(p, 2, sizeof(const char *));

    ck_assert_str_eq(sc_phone_prefix(p, "+15551234567", 7), "+1555123");
    ck_assert_str_eq(sc_phone_prefix(p, "+15551234567", 3), "+155");
    ck_assert_str_eq(sc_phone_prefix(p, "+15551234567", 11), "+15551234567");
    ck_assert_str_eq(sc_phone_prefix(p, "+15551234567", 14), "+15551234567");
    ck_assert_ptr_null(sc_phone_prefix(p, NULL, 7));

    ck_assert(sc_phone_is_country_prefix("+1"));
    ck_assert(sc_phone_is_country_prefix("+44"));
    ck_assert(sc_phone_is_country_prefix("+1876"));
    ck_assert(!sc_phone_is_country_prefix("44"));
    ck_assert(!sc_phone_is_country_prefix("+0"));
    ck_assert(!sc_phone_is_country_prefix("+"));
    ck_assert(!sc_phone_is_country_prefix("+18765"));
    ck_assert(!sc_phone_is_country_prefix("+4a"));
    ck_assert(!sc_phone_is_country_prefix("+44 "));
    ck_assert(!sc_phone_is_country_prefix(NULL));

    ck_assert(sc_phone_in_countries("+33612345678", NULL));
    ck_assert(sc_phone_in_countries("+33612345678", allowed));
    APR_ARRAY_PUSH(allowed, const char *) = "+1";
    APR_ARRAY_PUSH(allowed, const char *) = "+44";
    ck_assert(sc_phone_in_countries("+15551234567", allowed));
    ck_assert(sc_phone_in_countries("+447700900123", allowed));
    ck_assert(!sc_phone_in_countries("+33612345678", allowed));
    ck_assert(!sc_phone_in_countries("+4930123456", allowed));
    ck_assert(!sc_phone_in_countries(NULL, allowed));
}
END_TEST

SC_UNIT_SUITE(sc_phone_suite)

Suite *sc_phone_suite(void)
{
    Suite *s = suite_create("phone");
    TCase *tc = sc_tcase("phone");

    tcase_add_test(tc, is_e164);
    tcase_add_test(tc, normalise_ok);
    tcase_add_test(tc, normalise_bad);
    tcase_add_test(tc, redact);
    tcase_add_test(tc, national_ok);
    tcase_add_test(tc, national_bad);
    tcase_add_test(tc, prefix_and_countries);
    suite_add_tcase(s, tc);
    return s;
}
