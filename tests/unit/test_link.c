/* test_link.c - sc_link: signed, expiring download tokens. */

#include <string.h>

#include <apr_encode.h>
#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_link.h"
#include "sc_random.h"

#define P sc_test_pool
#define SECRET "0123456789abcdef0123456789abcdef-test"
#define NOW ((apr_int64_t)1700000000)

static const char *sign(const char *key, const char *file, apr_int64_t expires)
{
    sc_link_t link = { "local", "+15551234567", file, expires };
    const char *token = NULL;

    ck_assert_int_eq(sc_link_sign(P, key, &link, &token), APR_SUCCESS);
    return token;
}

START_TEST(key_derived)
{
    const char *k1 = sc_link_key(P, SECRET);
    const char *k2 = sc_link_key(P, SECRET "x");

    ck_assert_ptr_nonnull(k1);
    ck_assert_uint_eq(strlen(k1), 64);
    ck_assert_str_ne(k1, k2);
    /* the key is not the secret itself */
    ck_assert_ptr_null(strstr(k1, SECRET));
    ck_assert_str_eq(k1, sc_link_key(P, SECRET));
    ck_assert_ptr_null(sc_link_key(P, ""));
    ck_assert_ptr_null(sc_link_key(P, NULL));
}
END_TEST

START_TEST(round_trip)
{
    const char *key = sc_link_key(P, SECRET);
    const char *token = sign(key, "Documents/report \xc3\xa9.pdf", NOW + 60);
    sc_link_t *link = NULL;

    ck_assert_uint_eq(strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789-_."), strlen(token));
    ck_assert_int_eq(sc_link_verify(P, key, token, NOW, &link), SC_LINK_VALID);
    ck_assert_str_eq(link->provider, "local");
    ck_assert_str_eq(link->account_id, "+15551234567");
    ck_assert_str_eq(link->file_id, "Documents/report \xc3\xa9.pdf");
    ck_assert_int_eq(link->expires, NOW + 60);
}
END_TEST

START_TEST(expiry)
{
    const char *key = sc_link_key(P, SECRET);
    const char *token = sign(key, "a.txt", NOW);
    sc_link_t *link = NULL;

    ck_assert_int_eq(sc_link_verify(P, key, token, NOW - 1, NULL), SC_LINK_VALID);
    ck_assert_int_eq(sc_link_verify(P, key, token, NOW, NULL), SC_LINK_VALID);
    ck_assert_int_eq(sc_link_verify(P, key, token, NOW + 1, &link), SC_LINK_EXPIRED);
    ck_assert_str_eq(link->file_id, "a.txt");
}
END_TEST

/* Flipping any one character of a token must never give a valid link. */
START_TEST(tampered_every_char)
{
    const char *key = sc_link_key(P, SECRET);
    const char *token = sign(key, "a.txt", NOW + 60);
    apr_size_t i, n = strlen(token);

    for (i = 0; i < n; i++) {
        char *t = apr_pstrdup(P, token);

        t[i] = t[i] == 'A' ? 'B' : 'A';
        ck_assert_int_eq(sc_link_verify(P, key, t, NOW, NULL), SC_LINK_BAD);
    }
}
END_TEST

/* A token for one file does not open another, nor with another key; an
 * expired forgery is BAD, not EXPIRED. */
START_TEST(bound_to_file_and_key)
{
    const char *key = sc_link_key(P, SECRET);
    const char *other = sc_link_key(P, SECRET "2");
    const char *t1 = sign(key, "a.txt", NOW + 60);
    const char *t2 = sign(key, "b.txt", NOW + 60);
    const char *dot1 = strchr(t1, '.'), *dot2 = strchr(t2, '.');
    const char *mixed = apr_pstrcat(P, apr_pstrndup(P, t2, (apr_size_t)(dot2 - t2)),
                                    dot1, NULL);
    sc_link_t link = { "local", "x", "a.txt", NOW - 100 };
    const char *forged;

    ck_assert_int_eq(sc_link_verify(P, key, mixed, NOW, NULL), SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, other, t1, NOW, NULL), SC_LINK_BAD);
    ck_assert_int_eq(sc_link_sign(P, other, &link, &forged), APR_SUCCESS);
    ck_assert_int_eq(sc_link_verify(P, key, forged, NOW, NULL), SC_LINK_BAD);
}
END_TEST

/* A payload we would never sign, signed with the right key: still BAD. */
static const char *sign_raw(const char *key, const char *payload, apr_size_t len)
{
    unsigned char md[32];
    const char *enc, *sig;

    ck_assert_int_eq(sc_hmac_sha256(key, strlen(key), payload, len, md), APR_SUCCESS);
    enc = apr_pencode_base64(P, payload, len, APR_ENCODE_BASE64URL | APR_ENCODE_NOPADDING, NULL);
    sig = apr_pencode_base64(P, (const char *)md, 32, APR_ENCODE_BASE64URL | APR_ENCODE_NOPADDING, NULL);
    return apr_pstrcat(P, enc, ".", sig, NULL);
}

START_TEST(malformed)
{
    const char *key = sc_link_key(P, SECRET);
    const char *good = sign(key, "a.txt", NOW + 60);
    static const char ok[] = "1\0local\0acc\0a.txt\0" "1700000060";
    static const char v2[] = "2\0local\0acc\0a.txt\0" "1700000060";
    static const char few[] = "1\0local\0a.txt\0" "1700000060";
    static const char many[] = "1\0local\0acc\0a.txt\0" "1700000060\0x";
    static const char noexp[] = "1\0local\0acc\0a.txt\0";
    static const char badexp[] = "1\0local\0acc\0a.txt\0" "17x";
    char *longtok = apr_palloc(P, SC_LINK_MAX_TOKEN + 2);

    memset(longtok, 'A', SC_LINK_MAX_TOKEN + 1);
    longtok[SC_LINK_MAX_TOKEN + 1] = '\0';
    ck_assert_int_eq(sc_link_verify(P, key, sign_raw(key, ok, sizeof(ok) - 1), NOW, NULL),
                     SC_LINK_VALID);
    ck_assert_int_eq(sc_link_verify(P, key, sign_raw(key, v2, sizeof(v2) - 1), NOW, NULL),
                     SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, key, sign_raw(key, few, sizeof(few) - 1), NOW, NULL),
                     SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, key, sign_raw(key, many, sizeof(many) - 1), NOW, NULL),
                     SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, key, sign_raw(key, noexp, sizeof(noexp) - 1), NOW, NULL),
                     SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, key, sign_raw(key, badexp, sizeof(badexp) - 1), NOW, NULL),
                     SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, key, "", NOW, NULL), SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, key, ".", NOW, NULL), SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, key, strchr(good, '.'), NOW, NULL), SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, key, apr_pstrndup(P, good, strchr(good, '.') - good),
                                    NOW, NULL), SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, key, apr_pstrcat(P, good, "A", NULL), NOW, NULL),
                     SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, key, apr_pstrcat(P, "*", good, NULL), NOW, NULL),
                     SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, key, longtok, NOW, NULL), SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, key, NULL, NOW, NULL), SC_LINK_BAD);
    ck_assert_int_eq(sc_link_verify(P, NULL, good, NOW, NULL), SC_LINK_BAD);
}
END_TEST

START_TEST(sign_refuses_missing)
{
    sc_link_t link = { "local", "a", "f", NOW };
    const char *t = "untouched";

    ck_assert_int_eq(sc_link_sign(P, NULL, &link, &t), APR_EINVAL);
    link.file_id = NULL;
    ck_assert_int_eq(sc_link_sign(P, "k", &link, &t), APR_EINVAL);
    link.file_id = "f";
    link.expires = 0;
    ck_assert_int_eq(sc_link_sign(P, "k", &link, &t), APR_EINVAL);
    ck_assert_str_eq(t, "untouched");
}
END_TEST

START_TEST(url_and_path)
{
    ck_assert_str_eq(sc_link_url(P, "https://x.test/dl", "TOK.SIG", NULL),
                     "https://x.test/dl/TOK.SIG");
    ck_assert_str_eq(sc_link_url(P, "https://x.test/dl", "TOK.SIG", "a b/c?d#e%.txt"),
                     "https://x.test/dl/TOK.SIG/a%20b%2fc%3fd%23e%25.txt");
    ck_assert_str_eq(sc_link_token_from_path(P, "TOK.SIG"), "TOK.SIG");
    ck_assert_str_eq(sc_link_token_from_path(P, "TOK.SIG/name.txt"), "TOK.SIG");
    ck_assert_ptr_null(sc_link_token_from_path(P, ""));
    ck_assert_ptr_null(sc_link_token_from_path(P, "/x"));
    ck_assert_ptr_null(sc_link_token_from_path(P, NULL));
}
END_TEST

Suite *sc_link_suite(void)
{
    Suite *s = suite_create("link");
    TCase *tc = sc_tcase("link");

    tcase_add_test(tc, key_derived);
    tcase_add_test(tc, round_trip);
    tcase_add_test(tc, expiry);
    tcase_add_test(tc, tampered_every_char);
    tcase_add_test(tc, bound_to_file_and_key);
    tcase_add_test(tc, malformed);
    tcase_add_test(tc, sign_refuses_missing);
    tcase_add_test(tc, url_and_path);
    suite_add_tcase(s, tc);
    return s;
}
