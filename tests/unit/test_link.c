/* test_link.c - sc_link: opaque download-link tokens. */

#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_link.h"

#define P sc_test_pool
#define SECRET "0123456789abcdef0123456789abcdef-test"

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

/* Short for an SMS, random, and of the one shape sc_link_token_ok takes. */
START_TEST(new_tokens)
{
    const char *seen[200];
    int i, j;

    for (i = 0; i < 200; i++) {
        ck_assert_int_eq(sc_link_new_token(P, &seen[i]), APR_SUCCESS);
        ck_assert_uint_eq(strlen(seen[i]), SC_LINK_TOKEN_LEN);
        ck_assert_msg(sc_link_token_ok(seen[i]), "%s refused", seen[i]);
        for (j = 0; j < i; j++) {
            ck_assert_str_ne(seen[i], seen[j]);
        }
    }
}
END_TEST

/* What signed_link() stores: the hash of a fresh token, and when it ends. */
START_TEST(issued_links)
{
    const char *key = sc_link_key(P, SECRET), *token, *hash, *token2, *hash2;
    apr_time_t now = apr_time_from_sec(1800000000) + 999999;
    sc_link_t link = { "local", "acct-1", "Documents/notes.txt", 0 };

    ck_assert_int_eq(sc_link_issue(P, key, now, 3600, &link, &token, &hash), APR_SUCCESS);
    ck_assert(sc_link_token_ok(token));
    ck_assert_str_eq(hash, sc_link_token_hash(P, key, token));
    ck_assert_ptr_null(strstr(hash, token));
    ck_assert_int_eq(link.expires, 1800003600);
    ck_assert_str_eq(link.file_id, "Documents/notes.txt");
    /* every link its own token */
    ck_assert_int_eq(sc_link_issue(P, key, now, 60, &link, &token2, &hash2), APR_SUCCESS);
    ck_assert_str_ne(token, token2);
    ck_assert_str_ne(hash, hash2);
    ck_assert_int_eq(link.expires, 1800000060);
    /* no key, no link: a token nobody could look up */
    link.expires = 7;
    ck_assert_int_eq(sc_link_issue(P, NULL, now, 60, &link, &token, &hash), APR_EINVAL);
    ck_assert_ptr_null(token);
    ck_assert_ptr_null(hash);
    ck_assert_int_eq(sc_link_issue(P, "", now, 60, &link, &token, &hash), APR_EINVAL);
    ck_assert_int_eq(link.expires, 7);
}
END_TEST

START_TEST(token_shape)
{
    static const char *const bad[] = {
        "", "AAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAA.",
        "AAAAAAAAAAAAAAAAAAAAA=", "AAAAAAAAAAAAAAAAAAAA+A", "AAAAAAAAAAAAAAAAAAAA/A",
        " AAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAA ", "+AAAAAAAAAAAAAAAAAAAAA",
        /* spare bits set: look-alikes of a real token */
        "AAAAAAAAAAAAAAAAAAAAAB", "AAAAAAAAAAAAAAAAAAAAAP", "AAAAAAAAAAAAAAAAAAAAA_",
        /* an old signed token */
        "MQBsb2NhbAArMTU1NTEyMzAwMDAAYS50eHQAMTcwMDAwMDA2MA.c2lnbmF0dXJl",
        NULL
    };
    static const char *const good[] = {
        "AAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAQ", "AAAAAAAAAAAAAAAAAAAAAg",
        "AAAAAAAAAAAAAAAAAAAAAw", "-_-_-_-_-_-_-_-_-_-_-w", NULL
    };
    int i;

    for (i = 0; bad[i]; i++) {
        ck_assert_msg(!sc_link_token_ok(bad[i]), "%s accepted", bad[i]);
    }
    for (i = 0; good[i]; i++) {
        ck_assert_msg(sc_link_token_ok(good[i]), "%s refused", good[i]);
    }
    ck_assert(!sc_link_token_ok(NULL));
}
END_TEST

START_TEST(token_hash)
{
    const char *key = sc_link_key(P, SECRET), *other = sc_link_key(P, SECRET "2");
    const char *h = sc_link_token_hash(P, key, "AAAAAAAAAAAAAAAAAAAAAA");

    ck_assert_uint_eq(strlen(h), 64);
    ck_assert_str_eq(h, sc_link_token_hash(P, key, "AAAAAAAAAAAAAAAAAAAAAA"));
    ck_assert_str_ne(h, sc_link_token_hash(P, key, "AAAAAAAAAAAAAAAAAAAAAQ"));
    ck_assert_str_ne(h, sc_link_token_hash(P, other, "AAAAAAAAAAAAAAAAAAAAAA"));
    ck_assert_ptr_null(strstr(h, "AAAAAAAAAAAAAAAAAAAAAA"));
    ck_assert_ptr_null(sc_link_token_hash(P, NULL, "x"));
    ck_assert_ptr_null(sc_link_token_hash(P, key, NULL));
}
END_TEST

START_TEST(url_and_path)
{
    ck_assert_str_eq(sc_link_url(P, "https://x.test/dl", "TOK", NULL),
                     "https://x.test/dl/TOK");
    ck_assert_str_eq(sc_link_url(P, "https://x.test/dl", "TOK", "a b/c?d#e%.txt"),
                     "https://x.test/dl/TOK/a%20b%2fc%3fd%23e%25.txt");
    ck_assert_str_eq(sc_link_token_from_path(P, "TOK"), "TOK");
    ck_assert_str_eq(sc_link_token_from_path(P, "TOK/name.txt"), "TOK");
    ck_assert_ptr_null(sc_link_token_from_path(P, ""));
    ck_assert_ptr_null(sc_link_token_from_path(P, "/x"));
    ck_assert_ptr_null(sc_link_token_from_path(P, NULL));
}
END_TEST

START_TEST(token_from_uri)
{
    ck_assert_str_eq(sc_link_token_from_uri(P, "/dl", "/dl/TOK/a.txt"), "TOK");
    ck_assert_str_eq(sc_link_token_from_uri(P, "/dl", "/dl/TOK"), "TOK");
    ck_assert_ptr_null(sc_link_token_from_uri(P, "/dl", "/dl"));
    ck_assert_ptr_null(sc_link_token_from_uri(P, "/dl", "/dl/"));
    ck_assert_ptr_null(sc_link_token_from_uri(P, "/dl", "/dlx/TOK"));
    ck_assert_ptr_null(sc_link_token_from_uri(P, "/dl", "/other/TOK"));
    ck_assert_ptr_null(sc_link_token_from_uri(P, "/dl", NULL));
}
END_TEST

START_TEST(dispositions)
{
    ck_assert_str_eq(sc_link_file_name("a/b/c.txt"), "c.txt");
    ck_assert_str_eq(sc_link_file_name("c.txt"), "c.txt");
    ck_assert_str_eq(sc_link_file_name("a/"), "");
    ck_assert_str_eq(sc_link_disposition(P, "report (1).pdf"),
                     "attachment; filename=\"report (1).pdf\"; "
                     "filename*=UTF-8''report%20%281%29.pdf");
    /* a quote, a backslash and a plus; UTF-8 stays exact in filename* only */
    ck_assert_str_eq(sc_link_disposition(P, "a\"b\\c+d"),
                     "attachment; filename=\"a_b_c+d\"; filename*=UTF-8''a%22b%5cc%2bd");
    ck_assert_str_eq(sc_link_disposition(P, "caf\xc3\xa9.txt"),
                     "attachment; filename=\"caf__.txt\"; filename*=UTF-8''caf%c3%a9.txt");
}
END_TEST

START_TEST(serving_status)
{
    int log = -1;

    ck_assert_int_eq(sc_link_stream_status(206, "bytes 0-9/100"), 206);
    ck_assert_int_eq(sc_link_stream_status(206, NULL), 200);
    ck_assert_int_eq(sc_link_stream_status(200, "bytes 0-9/100"), 200);
    ck_assert_int_eq(sc_link_stream_status(0, NULL), 200);

    ck_assert_int_eq(sc_link_read_status(SC_STORAGE_OK, &log), 0);
    ck_assert_int_eq(log, 0);
    ck_assert_int_eq(sc_link_read_status(SC_STORAGE_NOT_FOUND, &log), 404);
    ck_assert_int_eq(log, 0);
    ck_assert_int_eq(sc_link_read_status(SC_STORAGE_NOT_FILE, &log), 404);
    ck_assert_int_eq(sc_link_read_status(SC_STORAGE_NOT_FOLDER, &log), 404);
    ck_assert_int_eq(log, 0);
    ck_assert_int_eq(sc_link_read_status(SC_STORAGE_DENIED, &log), 404);
    ck_assert_int_eq(log, 1);
    ck_assert_int_eq(sc_link_read_status(SC_STORAGE_UNAVAILABLE, &log), 502);
    ck_assert_int_eq(log, 1);
    ck_assert_int_eq(sc_link_read_status(SC_STORAGE_BAD_REPLY, &log), 502);
}
END_TEST

SC_UNIT_SUITE(sc_link_suite)

Suite *sc_link_suite(void)
{
    Suite *s = suite_create("link");
    TCase *tc = sc_tcase("link");

    tcase_add_test(tc, key_derived);
    tcase_add_test(tc, new_tokens);
    tcase_add_test(tc, issued_links);
    tcase_add_test(tc, token_shape);
    tcase_add_test(tc, token_hash);
    tcase_add_test(tc, url_and_path);
    tcase_add_test(tc, token_from_uri);
    tcase_add_test(tc, dispositions);
    tcase_add_test(tc, serving_status);
    suite_add_tcase(s, tc);
    return s;
}
