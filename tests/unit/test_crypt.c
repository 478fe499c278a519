/* test_crypt.c - sc_crypt: sealed credentials open only with their key and
 * in their row. */

#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_crypt.h"

#define P sc_test_pool
#define OLD "old-secret-0123456789abcdef0123456789"
#define NEW "new-secret-0123456789abcdef0123456789"

static sc_crypt_keys_t *keys(const char *first, const char *second)
{
    apr_array_header_t *a = apr_array_make(P, 2, sizeof(const char *));
    sc_crypt_keys_t *k = NULL;

    APR_ARRAY_PUSH(a, const char *) = first;
    if (second) {
        APR_ARRAY_PUSH(a, const char *) = second;
    }
    ck_assert_int_eq(sc_crypt_keys_make(P, a, &k), APR_SUCCESS);
    return k;
}

static const char *aad(const char *phone, const char *id, apr_size_t *len)
{
    return sc_crypt_account_aad(P, phone, "webdav", id, len);
}

START_TEST(round_trip)
{
    sc_crypt_keys_t *k = keys(NEW, NULL);
    const char *value = "{\"url\":\"https://dav.example/\",\"password\":\"p\\u00e4ss w0rd\"}";
    const char *s1 = NULL, *s2 = NULL, *plain = NULL, *a;
    apr_size_t alen, len = 0;
    int stale = -1;

    a = aad("+15551234567", "alice@dav.example", &alen);
    ck_assert_int_eq(sc_crypt_seal(P, k, a, alen, value, strlen(value), &s1), APR_SUCCESS);
    ck_assert_int_eq(strncmp(s1, "1.", 2), 0);
    ck_assert_ptr_null(strstr(s1, "w0rd"));
    ck_assert_int_eq(sc_crypt_open(P, k, a, alen, s1, &plain, &len, &stale), APR_SUCCESS);
    ck_assert_str_eq(plain, value);
    ck_assert_int_eq(len, strlen(value));
    ck_assert_int_eq(stale, 0);
    /* a random nonce per value: the same value seals differently */
    ck_assert_int_eq(sc_crypt_seal(P, k, a, alen, value, strlen(value), &s2), APR_SUCCESS);
    ck_assert_str_ne(s1, s2);
    /* empty values are values too */
    ck_assert_int_eq(sc_crypt_seal(P, k, a, alen, "", 0, &s2), APR_SUCCESS);
    ck_assert_int_eq(sc_crypt_open(P, k, a, alen, s2, &plain, NULL, NULL), APR_SUCCESS);
    ck_assert_str_eq(plain, "");
}
END_TEST

START_TEST(bound_to_the_row)
{
    sc_crypt_keys_t *k = keys(NEW, NULL);
    const char *s = NULL, *plain = NULL, *a, *other;
    apr_size_t alen, olen;
    char *bad;

    a = aad("+15551234567", "alice", &alen);
    ck_assert_int_eq(sc_crypt_seal(P, k, a, alen, "secret", 6, &s), APR_SUCCESS);
    other = aad("+15557654321", "alice", &olen);
    ck_assert_int_eq(sc_crypt_open(P, k, other, olen, s, &plain, NULL, NULL), APR_EMISMATCH);
    other = aad("+15551234567", "alicf", &olen);
    ck_assert_int_eq(sc_crypt_open(P, k, other, olen, s, &plain, NULL, NULL), APR_EMISMATCH);
    /* the NULs keep fields apart: ("+1", "5...") is not ("+15", "...") */
    other = sc_crypt_account_aad(P, "+1555123456", "7webdav", "alice", &olen);
    ck_assert_int_eq(sc_crypt_open(P, k, other, olen, s, &plain, NULL, NULL), APR_EMISMATCH);
    ck_assert_ptr_null(plain);
    /* one flipped character anywhere */
    bad = apr_pstrdup(P, s);
    bad[strlen(bad) / 2] = bad[strlen(bad) / 2] == 'A' ? 'B' : 'A';
    ck_assert_int_eq(sc_crypt_open(P, k, a, alen, bad, &plain, NULL, NULL), APR_EMISMATCH);
    /* malformed */
    ck_assert_int_eq(sc_crypt_open(P, k, a, alen, "2.abc", &plain, NULL, NULL), APR_EINVAL);
    ck_assert_int_eq(sc_crypt_open(P, k, a, alen, "1.abc", &plain, NULL, NULL), APR_EINVAL);
    ck_assert_int_eq(sc_crypt_open(P, k, a, alen, "1.!!!!", &plain, NULL, NULL), APR_EINVAL);
    ck_assert_int_eq(sc_crypt_open(P, k, a, alen, "plain text", &plain, NULL, NULL),
                     APR_EINVAL);
}
END_TEST

START_TEST(rotation)
{
    sc_crypt_keys_t *old = keys(OLD, NULL), *both = keys(NEW, OLD), *fresh = keys(NEW, NULL);
    const char *s = NULL, *s2 = NULL, *plain = NULL, *a;
    apr_size_t alen;
    int stale = -1;

    a = aad("+15551234567", "alice", &alen);
    ck_assert_int_eq(sc_crypt_seal(P, old, a, alen, "secret", 6, &s), APR_SUCCESS);
    ck_assert_int_eq(sc_crypt_open(P, fresh, a, alen, s, &plain, NULL, NULL), APR_EMISMATCH);
    ck_assert_int_eq(sc_crypt_open(P, both, a, alen, s, &plain, NULL, &stale), APR_SUCCESS);
    ck_assert_str_eq(plain, "secret");
    ck_assert_int_eq(stale, 1);
    /* the new key seals */
    ck_assert_int_eq(sc_crypt_seal(P, both, a, alen, "secret", 6, &s2), APR_SUCCESS);
    ck_assert_int_eq(sc_crypt_open(P, fresh, a, alen, s2, &plain, NULL, &stale), APR_SUCCESS);
    ck_assert_int_eq(stale, 0);
    ck_assert_int_eq(sc_crypt_open(P, old, a, alen, s2, &plain, NULL, NULL), APR_EMISMATCH);
}
END_TEST

START_TEST(refused_keys)
{
    apr_array_header_t *a = apr_array_make(P, 2, sizeof(const char *));
    sc_crypt_keys_t *k = (sc_crypt_keys_t *)1;
    const char *s = NULL;
    char big[SC_CRYPT_MAX_PLAIN + 1];

    ck_assert_int_eq(sc_crypt_keys_make(P, a, &k), APR_EINVAL);
    ck_assert_ptr_null(k);
    ck_assert_int_eq(sc_crypt_keys_make(P, NULL, &k), APR_EINVAL);
    APR_ARRAY_PUSH(a, const char *) = "0123456789abcdef0123456789abcde";   /* 31 */
    ck_assert_int_eq(sc_crypt_keys_make(P, a, &k), APR_EINVAL);
    memset(big, 'x', sizeof(big));
    k = keys(NEW, NULL);
    ck_assert_int_eq(sc_crypt_seal(P, k, "a", 1, big, sizeof(big), &s), APR_EINVAL);
    ck_assert_int_eq(sc_crypt_seal(P, NULL, "a", 1, "x", 1, &s), APR_EINVAL);
}
END_TEST

SC_UNIT_SUITE(sc_crypt_suite)

Suite *sc_crypt_suite(void)
{
    Suite *s = suite_create("crypt");
    TCase *tc = sc_tcase("crypt");

    tcase_add_test(tc, round_trip);
    tcase_add_test(tc, bound_to_the_row);
    tcase_add_test(tc, rotation);
    tcase_add_test(tc, refused_keys);
    suite_add_tcase(s, tc);
    return s;
}
