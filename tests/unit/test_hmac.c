/* test_hmac.c: HMAC-SHA256 and the constant-time compare (sc_hmac). */
#include <string.h>

#include "sc_unit.h"
#include "sc_hmac.h"

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

/* A key made once gives what the one-shot gives, message after message:
 * short, block-long and longer keys (a long one is hashed first), none. */
START_TEST(hmac_keyed)
{
    unsigned char long_key[131];
    const char *msgs[] = { "", "a", "attempt:0123456789abcdef", "what do ya want for nothing?" };
    struct { const void *key; apr_size_t len; } keys[] = {
        { "Jefe", 4 }, { long_key, 64 }, { long_key, sizeof(long_key) }, { NULL, 0 }, { "", 0 }
    };
    sc_hmac_key_t *k;
    apr_size_t i, m;
    int round;

    memset(long_key, 0xaa, sizeof(long_key));
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        ck_assert_int_eq(sc_hmac_key_make(sc_test_pool, keys[i].key, keys[i].len, &k),
                         APR_SUCCESS);
        for (round = 0; round < 2; round++) {
            for (m = 0; m < sizeof(msgs) / sizeof(msgs[0]); m++) {
                ck_assert_str_eq(sc_hmac_key_sha256_hex(sc_test_pool, k, msgs[m],
                                                        strlen(msgs[m])),
                                 sc_hmac_sha256_hex(sc_test_pool, keys[i].key, keys[i].len,
                                                    msgs[m], strlen(msgs[m])));
            }
        }
    }
    /* RFC 4231 test case 6 */
    ck_assert_int_eq(sc_hmac_key_make(sc_test_pool, long_key, sizeof(long_key), &k),
                     APR_SUCCESS);
    ck_assert_str_eq(sc_hmac_key_sha256_hex(sc_test_pool, k,
                                            "Test Using Larger Than Block-Size Key - Hash Key First",
                                            54),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    ck_assert_ptr_null(sc_hmac_key_sha256_hex(sc_test_pool, k, NULL, 3));
    ck_assert_ptr_null(sc_hmac_key_sha256_hex(sc_test_pool, NULL, "x", 1));
    ck_assert_int_eq(sc_hmac_key_make(sc_test_pool, NULL, 3, &k), APR_EINVAL);
    ck_assert_ptr_null(k);
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

SC_UNIT_SUITE(sc_hmac_suite)

Suite *sc_hmac_suite(void)
{
    Suite *s = suite_create("hmac");
    TCase *tc = sc_tcase("hmac");

    tcase_add_test(tc, hmac_rfc4231);
    tcase_add_test(tc, hmac_edges);
    tcase_add_test(tc, hmac_keyed);
    tcase_add_test(tc, const_eq);
    suite_add_tcase(s, tc);
    return s;
}
