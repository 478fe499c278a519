/* test_form.c: sc_form decoding and encoding. */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_form.h"

static apr_array_header_t *parse_ok(const char *s, int max)
{
    apr_array_header_t *pairs = NULL;

    ck_assert_int_eq(sc_form_parse(sc_test_pool, s, strlen(s), max, &pairs),
                     APR_SUCCESS);
    ck_assert_ptr_nonnull(pairs);
    return pairs;
}

static apr_status_t parse_rv(const char *s, apr_size_t len, int max)
{
    apr_array_header_t *pairs = (apr_array_header_t *)1;
    apr_status_t rv = sc_form_parse(sc_test_pool, s, len, max, &pairs);

    if (rv != APR_SUCCESS) {
        ck_assert_ptr_null(pairs);
    }
    return rv;
}

#define PAIR(a, i) (&APR_ARRAY_IDX((a), (i), sc_pair_t))

START_TEST(twilio_body)
{
    apr_array_header_t *a = parse_ok(
        "AccountSid=AC01&Body=cd+2&From=%2B15551234567&Body=x%20y%3D1", 10);

    ck_assert_int_eq(a->nelts, 4);
    ck_assert_str_eq(PAIR(a, 0)->name, "AccountSid");
    ck_assert_str_eq(PAIR(a, 0)->value, "AC01");
    ck_assert_str_eq(PAIR(a, 1)->value, "cd 2");
    ck_assert_str_eq(PAIR(a, 2)->value, "+15551234567");
    ck_assert_str_eq(PAIR(a, 3)->name, "Body");
    ck_assert_str_eq(PAIR(a, 3)->value, "x y=1");
}
END_TEST

START_TEST(segments)
{
    apr_array_header_t *a = parse_ok("&&flag&a=b=c&&=v&e=&", 10);

    ck_assert_int_eq(a->nelts, 4);
    ck_assert_str_eq(PAIR(a, 0)->name, "flag");
    ck_assert_str_eq(PAIR(a, 0)->value, "");
    ck_assert_str_eq(PAIR(a, 1)->name, "a");
    ck_assert_str_eq(PAIR(a, 1)->value, "b=c");
    ck_assert_str_eq(PAIR(a, 2)->name, "");
    ck_assert_str_eq(PAIR(a, 2)->value, "v");
    ck_assert_str_eq(PAIR(a, 3)->name, "e");
    ck_assert_str_eq(PAIR(a, 3)->value, "");
}
END_TEST

START_TEST(escapes_decoded)
{
    apr_array_header_t *a = parse_ok("n%61me=%F0%9F%98%80%2b%25+%26", 10);

    ck_assert_int_eq(a->nelts, 1);
    ck_assert_str_eq(PAIR(a, 0)->name, "name");
    ck_assert_str_eq(PAIR(a, 0)->value, "\xF0\x9F\x98\x80+% &");
}
END_TEST

START_TEST(empty_and_null)
{
    apr_array_header_t *a = NULL;

    ck_assert_int_eq(sc_form_parse(sc_test_pool, NULL, 0, 10, &a),
                     APR_SUCCESS);
    ck_assert_int_eq(a->nelts, 0);
    ck_assert_int_eq(sc_form_parse(sc_test_pool, NULL, 12, 10, &a),
                     APR_SUCCESS);
    ck_assert_int_eq(a->nelts, 0);
    ck_assert_int_eq(parse_ok("", 0)->nelts, 0);
    ck_assert_int_eq(parse_ok("&&&", 0)->nelts, 0);
    ck_assert_int_eq(sc_form_parse(sc_test_pool, "a=1", 3, 10, NULL),
                     APR_EINVAL);
}
END_TEST

START_TEST(malformed)
{
    static const char *const bad[] = {
        "a=%G1", "a=%4", "a=%", "%4=1", "a=1&b=%zz", "a=%%41", "%=x",
        "a=%00", "%00=1", "a=x%00y", NULL
    };
    int i;

    for (i = 0; bad[i]; i++) {
        ck_assert_msg(parse_rv(bad[i], strlen(bad[i]), 10) == APR_BADCH,
                      "%s not refused", bad[i]);
    }
}
END_TEST

START_TEST(raw_nul_and_length)
{
    static const char with_nul[] = "a=1\0b=2";
    static const char tail[] = "a=1&b=2XXXX";
    static const char cut_escape[] = "a=%41";
    apr_array_header_t *a = NULL;

    ck_assert_int_eq(parse_rv(with_nul, sizeof(with_nul) - 1, 10),
                     APR_BADCH);
    /* Only len bytes count: no terminator needed, nothing read beyond. */
    ck_assert_int_eq(sc_form_parse(sc_test_pool, tail, 7, 10, &a),
                     APR_SUCCESS);
    ck_assert_int_eq(a->nelts, 2);
    ck_assert_str_eq(PAIR(a, 1)->value, "2");
    /* "%4" cut by len must not borrow the '1' that follows. */
    ck_assert_int_eq(parse_rv(cut_escape, 4, 10), APR_BADCH);
}
END_TEST

START_TEST(max_pairs)
{
    ck_assert_int_eq(parse_ok("a=1&b=2&c=3", 3)->nelts, 3);
    ck_assert_int_eq(parse_rv("a=1&b=2&c=3", 11, 2), APR_ENOSPC);
    ck_assert_int_eq(parse_rv("a", 1, 0), APR_ENOSPC);
    /* Empty segments are not pairs. */
    ck_assert_int_eq(parse_ok("a=1&&&&b=2&&&", 2)->nelts, 2);
}
END_TEST

START_TEST(huge)
{
    apr_size_t n = 1024 * 1024, i;
    char *big = apr_palloc(sc_test_pool, n + 1);
    apr_array_header_t *a = NULL;

    for (i = 0; i < n; i += 4) {
        memcpy(big + i, "a=1&", 4);
    }
    big[n] = '\0';
    ck_assert_int_eq(parse_rv(big, n, 100), APR_ENOSPC);
    ck_assert_int_eq(sc_form_parse(sc_test_pool, big, n, (int)(n / 4), &a),
                     APR_SUCCESS);
    ck_assert_int_eq(a->nelts, (int)(n / 4));

    memset(big, 'x', n);
    big[0] = 'v';
    big[1] = '=';
    ck_assert_int_eq(sc_form_parse(sc_test_pool, big, n, 1, &a),
                     APR_SUCCESS);
    ck_assert_uint_eq(strlen(PAIR(a, 0)->value), n - 2);
}
END_TEST

START_TEST(get_and_count)
{
    apr_array_header_t *a = parse_ok("Digits=1&digits=2&Digits=3&x", 10);

    ck_assert_str_eq(sc_form_get(a, "Digits"), "1");
    ck_assert_str_eq(sc_form_get(a, "digits"), "2");
    ck_assert_str_eq(sc_form_get(a, "x"), "");
    ck_assert_ptr_null(sc_form_get(a, "DIGITS"));
    ck_assert_ptr_null(sc_form_get(a, NULL));
    ck_assert_ptr_null(sc_form_get(NULL, "x"));
}
END_TEST

START_TEST(encode)
{
    apr_array_header_t *a = apr_array_make(sc_test_pool, 4,
                                           sizeof(sc_pair_t));
    sc_pair_t *pr;

    ck_assert_str_eq(sc_form_encode(sc_test_pool, NULL), "");
    ck_assert_str_eq(sc_form_encode(sc_test_pool, a), "");
    pr = apr_array_push(a);
    pr->name = "To";
    pr->value = "+1 555";
    pr = apr_array_push(a);
    pr->name = "Body";
    pr->value = "a&b=c%d";
    pr = apr_array_push(a);
    pr->name = NULL;
    pr->value = NULL;
    ck_assert_str_eq(sc_form_encode(sc_test_pool, a),
                     "To=%2b1+555&Body=a%26b%3dc%25d&=");
    /* sc_form_add appends, in order, without copying */
    a = apr_array_make(sc_test_pool, 1, sizeof(sc_pair_t));
    sc_form_add(a, "To", "+1 555");
    sc_form_add(a, "Body", "x");
    ck_assert_int_eq(a->nelts, 2);
    ck_assert_str_eq(sc_form_encode(sc_test_pool, a), "To=%2b1+555&Body=x");
    ck_assert_str_eq(sc_form_get(a, "Body"), "x");
}
END_TEST

START_TEST(encode_round_trip)
{
    static const char *const values[] = {
        "plain", "sp ace", "+&=%#?/;", "\xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80",
        "\t\r\n", "", "~*._-", NULL
    };
    apr_array_header_t *a = apr_array_make(sc_test_pool, 8,
                                           sizeof(sc_pair_t));
    apr_array_header_t *back = NULL;
    const char *enc;
    int i;

    for (i = 0; values[i]; i++) {
        sc_pair_t *pr = apr_array_push(a);

        pr->name = apr_psprintf(sc_test_pool, "k %d&", i);
        pr->value = values[i];
    }
    enc = sc_form_encode(sc_test_pool, a);
    ck_assert_ptr_null(strchr(enc, ' '));
    ck_assert_int_eq(sc_form_parse(sc_test_pool, enc, strlen(enc), 100,
                                   &back), APR_SUCCESS);
    ck_assert_int_eq(back->nelts, a->nelts);
    for (i = 0; i < a->nelts; i++) {
        ck_assert_str_eq(PAIR(back, i)->name, PAIR(a, i)->name);
        ck_assert_str_eq(PAIR(back, i)->value, PAIR(a, i)->value);
    }
}
END_TEST

START_TEST(content_types)
{
    ck_assert_int_eq(sc_form_content_type_ok("application/x-www-form-urlencoded"), 1);
    ck_assert_int_eq(sc_form_content_type_ok("Application/X-WWW-Form-Urlencoded"), 1);
    ck_assert_int_eq(sc_form_content_type_ok("application/x-www-form-urlencoded; "
                                             "charset=UTF-8"), 1);
    ck_assert_int_eq(sc_form_content_type_ok("application/x-www-form-urlencoded ;x"), 1);
    ck_assert_int_eq(sc_form_content_type_ok("application/x-www-form-urlencodedx"), 0);
    ck_assert_int_eq(sc_form_content_type_ok("application/json"), 0);
    ck_assert_int_eq(sc_form_content_type_ok("multipart/form-data; boundary=x"), 0);
    ck_assert_int_eq(sc_form_content_type_ok(""), 0);
    ck_assert_int_eq(sc_form_content_type_ok(NULL), 0);
}
END_TEST

START_TEST(announced_lengths)
{
    ck_assert_int_eq(sc_form_length_status(NULL, 100), 0);
    ck_assert_int_eq(sc_form_length_status("0", 100), 0);
    ck_assert_int_eq(sc_form_length_status("100", 100), 0);
    ck_assert_int_eq(sc_form_length_status("101", 100), 413);
    ck_assert_int_eq(sc_form_length_status("99999999999999999999", 100), 400);
    ck_assert_int_eq(sc_form_length_status("-1", 100), 400);
    /* no number, or a number with more after it */
    ck_assert_int_eq(sc_form_length_status("", 100), 400);
    ck_assert_int_eq(sc_form_length_status("abc", 100), 400);
    ck_assert_int_eq(sc_form_length_status("12abc", 100), 400);
    ck_assert_int_eq(sc_form_length_status(" 5", 100), 400);
    ck_assert_int_eq(sc_form_length_status("+5", 100), 400);
}
END_TEST

SC_UNIT_SUITE(sc_form_suite)

Suite *sc_form_suite(void)
{
    Suite *s = suite_create("form");
    TCase *tc = sc_tcase("form");

    tcase_add_test(tc, twilio_body);
    tcase_add_test(tc, segments);
    tcase_add_test(tc, escapes_decoded);
    tcase_add_test(tc, empty_and_null);
    tcase_add_test(tc, malformed);
    tcase_add_test(tc, raw_nul_and_length);
    tcase_add_test(tc, max_pairs);
    tcase_add_test(tc, huge);
    tcase_add_test(tc, get_and_count);
    tcase_add_test(tc, encode);
    tcase_add_test(tc, encode_round_trip);
    tcase_add_test(tc, content_types);
    tcase_add_test(tc, announced_lengths);
    suite_add_tcase(s, tc);
    return s;
}
