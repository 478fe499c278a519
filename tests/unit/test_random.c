/* test_random.c: codes, tokens, HMAC and constant-time compare. */
#include <string.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_random.h"
#include "sc_hmac.h"

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

START_TEST(hmac_rfc4231)
{
    static const char data2[] = "what do ya want for nothing?";
    unsigned char key1[20], data3[50], key3[20];

    /* RFC 4231 test case 2. */
    ck_assert_str_eq(sc_hmac_sha256_hex(sc_test_pool, "Jefe", 4, data2,
                                        sizeof(data2) - 1),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* Test case 1: binary key. */
    memset(key1, 0x0b, sizeof(key1));
    ck_assert_str_eq(sc_hmac_sha256_hex(sc_test_pool, key1, sizeof(key1),
                                        "Hi There", 8),
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    /* Test case 3: embedded bytes, explicit lengths. */
    memset(key3, 0xaa, sizeof(key3));
    memset(data3, 0xdd, sizeof(data3));
    ck_assert_str_eq(sc_hmac_sha256_hex(sc_test_pool, key3, sizeof(key3),
                                        data3, sizeof(data3)),
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}
END_TEST

START_TEST(hmac_edges)
{
    const char *empty = sc_hmac_sha256_hex(sc_test_pool, NULL, 0, NULL, 0);

    /* HMAC-SHA256 with empty key and message (well-known value). */
    ck_assert_str_eq(empty,
        "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    ck_assert_str_eq(sc_hmac_sha256_hex(sc_test_pool, "", 0, "", 0), empty);
    ck_assert_ptr_null(sc_hmac_sha256_hex(sc_test_pool, NULL, 3, "x", 1));
    ck_assert_ptr_null(sc_hmac_sha256_hex(sc_test_pool, "k", 1, NULL, 3));
    ck_assert_str_ne(sc_hmac_sha256_hex(sc_test_pool, "k", 1, "a\0b", 3),
                     sc_hmac_sha256_hex(sc_test_pool, "k", 1, "a\0c", 3));
}
END_TEST

START_TEST(const_eq)
{
    ck_assert_int_eq(sc_const_eq("123456", "123456"), 1);
    ck_assert_int_eq(sc_const_eq("", ""), 1);
    ck_assert_int_eq(sc_const_eq("123456", "123457"), 0);
    ck_assert_int_eq(sc_const_eq("123456", "023456"), 0);
    ck_assert_int_eq(sc_const_eq("123456", "12345"), 0);
    ck_assert_int_eq(sc_const_eq("12345", "123456"), 0);
    ck_assert_int_eq(sc_const_eq("", "x"), 0);
    ck_assert_int_eq(sc_const_eq(NULL, "x"), 0);
    ck_assert_int_eq(sc_const_eq("x", NULL), 0);
    ck_assert_int_eq(sc_const_eq(NULL, NULL), 0);
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
    tcase_add_test(tc, hmac_rfc4231);
    tcase_add_test(tc, hmac_edges);
    tcase_add_test(tc, const_eq);
    suite_add_tcase(s, tc);
    return s;
}
