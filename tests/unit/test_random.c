/* test_random.c: one-time codes and tokens (sc_random). */
#include <string.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_random.h"

#define SAMPLE_DIGITS 100000
/* Chi-square, 9 degrees of freedom: P(X > 30) is about 4e-4 for a fair
 * source. Taking b % 10 of a random byte (digits 0-5 get 26/256, 6-9 get
 * 25/256) gives an expected value near 45 over 100000 digits. */
#define CHI2_BOUND 30.0

static double chi_square(const long counts[10], long total)
{
    double expected = total / 10.0, chi = 0.0;
    int d;

    for (d = 0; d < 10; d++) {
        double diff = counts[d] - expected;

        chi += diff * diff / expected;
    }
    return chi;
}

START_TEST(digits_shape)
{
    const char *out = NULL;
    int n;

    for (n = 1; n <= 32; n++) {
        ck_assert_int_eq(sc_random_digits(sc_test_pool, n, &out),
                         APR_SUCCESS);
        ck_assert_uint_eq(strlen(out), (apr_size_t)n);
        ck_assert_uint_eq(strspn(out, "0123456789"), (apr_size_t)n);
    }
    out = "untouched";
    ck_assert_int_eq(sc_random_digits(sc_test_pool, 0, &out), APR_EINVAL);
    ck_assert_int_eq(sc_random_digits(sc_test_pool, 33, &out), APR_EINVAL);
    ck_assert_int_eq(sc_random_digits(sc_test_pool, -1, &out), APR_EINVAL);
    ck_assert_str_eq(out, "untouched");
    ck_assert_int_eq(sc_random_digits(sc_test_pool, 6, NULL), APR_EINVAL);
}
END_TEST

START_TEST(digits_uniform)
{
    long counts[10] = { 0 };
    long total = 0;
    const char *out, *s;
    double chi;

    while (total < SAMPLE_DIGITS) {
        ck_assert_int_eq(sc_random_digits(sc_test_pool, 20, &out),
                         APR_SUCCESS);
        for (s = out; *s; s++) {
            counts[*s - '0']++;
            total++;
        }
    }
    chi = chi_square(counts, total);
    ck_assert_msg(chi < CHI2_BOUND, "chi-square %.1f >= %.1f", chi,
                  CHI2_BOUND);
}
END_TEST

/* The bound is worth something only if modulo bias breaks it: feed the
 * statistic the exact expected counts of a "byte % 10" generator. */
START_TEST(chi_square_catches_modulo_bias)
{
    long counts[10];
    int d;

    for (d = 0; d < 10; d++) {
        counts[d] = (long)(SAMPLE_DIGITS * (d < 6 ? 26.0 : 25.0) / 256.0
                           + 0.5);
    }
    ck_assert_double_gt(chi_square(counts, SAMPLE_DIGITS), CHI2_BOUND);
}
END_TEST

START_TEST(codes_do_not_repeat)
{
    /* 2000 8-digit codes: P(any repeat) is about 2e-2 for a fair source,
     * so allow 2; a stuck or short-cycled generator gives many. */
    apr_hash_t *seen = apr_hash_make(sc_test_pool);
    int i, repeats = 0;

    for (i = 0; i < 2000; i++) {
        const char *code;

        ck_assert_int_eq(sc_random_digits(sc_test_pool, 8, &code),
                         APR_SUCCESS);
        if (apr_hash_get(seen, code, APR_HASH_KEY_STRING)) {
            repeats++;
        }
        apr_hash_set(seen, code, APR_HASH_KEY_STRING, code);
    }
    ck_assert_int_le(repeats, 2);
}
END_TEST

START_TEST(token_shape)
{
    static const apr_size_t sizes[] = { 1, 2, 3, 16, 32, 33, 4096 };
    const char *a = NULL, *b = NULL;
    apr_size_t i;

    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        apr_size_t want = (sizes[i] * 4 + 2) / 3;

        ck_assert_int_eq(sc_random_token(sc_test_pool, sizes[i], &a),
                         APR_SUCCESS);
        ck_assert_uint_eq(strlen(a), want);
        ck_assert_uint_eq(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "abcdefghijklmnopqrstuvwxyz0123456789-_"),
                          want);
    }
    ck_assert_int_eq(sc_random_token(sc_test_pool, 32, &a), APR_SUCCESS);
    ck_assert_int_eq(sc_random_token(sc_test_pool, 32, &b), APR_SUCCESS);
    ck_assert_uint_eq(strlen(a), 43);
    ck_assert_str_ne(a, b);
    ck_assert_int_eq(sc_random_token(sc_test_pool, 0, &a), APR_EINVAL);
    ck_assert_int_eq(sc_random_token(sc_test_pool, 4097, &a), APR_EINVAL);
    ck_assert_int_eq(sc_random_token(sc_test_pool, 16, NULL), APR_EINVAL);
}
END_TEST

SC_UNIT_SUITE(sc_random_suite)

Suite *sc_random_suite(void)
{
    Suite *s = suite_create("random");
    TCase *tc = sc_tcase("random");

    tcase_add_test(tc, digits_shape);
    tcase_add_test(tc, digits_uniform);
    tcase_add_test(tc, chi_square_catches_modulo_bias);
    tcase_add_test(tc, codes_do_not_repeat);
    tcase_add_test(tc, token_shape);
    suite_add_tcase(s, tc);
    return s;
}
