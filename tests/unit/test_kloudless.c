/* test_kloudless.c - sc_kloudless: JSON decoders, OAuth URL, failure paths. */

#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_kloudless.h"
#include "sc_http.h"
#include "sc_form.h"

#define P sc_test_pool
#define ITEM(a, i) APR_ARRAY_IDX((a), (i), sc_storage_item_t *)

static sc_storage_status_e list(const char *body, apr_array_header_t **items,
                                apr_int64_t *next)
{
    *items = apr_array_make(P, 4, sizeof(sc_storage_item_t *));
    *next = -42;
    return sc_kloudless_decode_list(P, body, strlen(body), *items, next);
}

static sc_storage_status_e list_status(const char *body)
{
    apr_array_header_t *items;
    apr_int64_t next;

    return list(body, &items, &next);
}

/* ------------------------------------------------------------------------ */

START_TEST(account_ok)
{
    const char *body = "{\"id\":1234567890,\"account\":\"alice@example.com\","
        "\"service\":\"dropbox\",\"service_name\":\"Dropbox\",\"active\":true,"
        "\"apis\":[\"storage\"],\"type\":\"account\"}";
    sc_kloudless_account_t *a = NULL;

    ck_assert_int_eq(sc_kloudless_decode_account(P, body, strlen(body), &a), SC_STORAGE_OK);
    ck_assert_str_eq(a->id, "1234567890");
    ck_assert_str_eq(a->service, "dropbox");
    ck_assert_str_eq(a->service_name, "Dropbox");
    ck_assert_str_eq(a->name, "alice@example.com");

    body = "{\"id\":\"77\",\"service\":\"box\"}";
    ck_assert_int_eq(sc_kloudless_decode_account(P, body, strlen(body), &a), SC_STORAGE_OK);
    ck_assert_str_eq(a->id, "77");
    ck_assert_str_eq(a->service_name, "box");
    ck_assert_str_eq(a->name, "");
}
END_TEST

START_TEST(account_bad)
{
    static const char *const bad[] = {
        "{\"account\":\"a\",\"service\":\"dropbox\"}",          /* no id */
        "{\"id\":null,\"service\":\"dropbox\"}",
        "{\"id\":true,\"service\":\"dropbox\"}",
        "{\"id\":99999999999999999999999,\"service\":\"dropbox\"}",
        "{\"id\":1}",                                            /* no service */
        "{\"id\":1,\"service\":\"\"}",
        "[{\"id\":1,\"service\":\"dropbox\"}]",
        "{\"id\":1,\"service\":\"dropbox\"",                    /* truncated */
        "<html>",
        "",
        NULL
    };
    sc_kloudless_account_t *a = (sc_kloudless_account_t *)1;
    int i;

    for (i = 0; bad[i]; i++) {
        ck_assert_msg(sc_kloudless_decode_account(P, bad[i], strlen(bad[i]), &a)
                      == SC_STORAGE_BAD_REPLY, "accepted: %s", bad[i]);
        ck_assert_ptr_null(a);
    }
}
END_TEST

START_TEST(account_text_sanitised)
{
    const char *body = "{\"id\":5,\"service\":\"gdrive\",\"service_name\":\"G\\u0007 D\\nrive\","
        "\"account\":\"bad\xff\xfe utf8\"}";
    sc_kloudless_account_t *a = NULL;

    ck_assert_int_eq(sc_kloudless_decode_account(P, body, strlen(body), &a), SC_STORAGE_OK);
    ck_assert_str_eq(a->service_name, "G D rive");
    ck_assert(sc_test_utf8_valid(a->name, strlen(a->name)));
    ck_assert_ptr_nonnull(strstr(a->name, " utf8"));
}
END_TEST

/* ------------------------------------------------------------------------ */

START_TEST(list_page)
{
    apr_array_header_t *items;
    apr_int64_t next;
    const char *body = "{\"page\":1,\"count\":4,\"next_page\":2,\"type\":\"object_list\","
        "\"objects\":["
        "{\"id\":\"fold_docs\",\"name\":\"Documents\",\"type\":\"folder\",\"size\":null},"
        "{\"id\":\"file_a\",\"name\":\"a.txt\",\"type\":\"file\",\"size\":1234,"
        "\"mime_type\":\"text/plain\"},"
        "{\"id\":\"file_b\",\"name\":\"b.txt\",\"type\":\"file\",\"size\":\"2500000\"},"
        "{\"id\":\"file_c\",\"name\":\"c\",\"type\":\"file\"}"
        "]}";

    ck_assert_int_eq(list(body, &items, &next), SC_STORAGE_OK);
    ck_assert_int_eq(next, 2);
    ck_assert_int_eq(items->nelts, 4);
    ck_assert_str_eq(ITEM(items, 0)->id, "fold_docs");
    ck_assert_str_eq(ITEM(items, 0)->name, "Documents");
    ck_assert_int_eq(ITEM(items, 0)->is_folder, 1);
    ck_assert_int_eq(ITEM(items, 0)->size, -1);
    ck_assert_ptr_null(ITEM(items, 0)->mime_type);
    ck_assert_int_eq(ITEM(items, 1)->is_folder, 0);
    ck_assert_int_eq(ITEM(items, 1)->size, 1234);
    ck_assert_str_eq(ITEM(items, 1)->mime_type, "text/plain");
    ck_assert_int_eq(ITEM(items, 2)->size, 2500000);
    ck_assert_int_eq(ITEM(items, 3)->size, -1);
}
END_TEST

START_TEST(list_sizes)
{
    apr_array_header_t *items;
    apr_int64_t next;
    const char *body = "{\"objects\":["
        "{\"id\":\"1\",\"type\":\"file\",\"size\":-7},"
        "{\"id\":\"2\",\"type\":\"file\",\"size\":\"abc\"},"
        "{\"id\":\"3\",\"type\":\"file\",\"size\":1.5},"
        "{\"id\":\"4\",\"type\":\"file\",\"size\":true},"
        "{\"id\":\"5\",\"type\":\"file\",\"size\":123456789012345678901234567890},"
        "{\"id\":\"6\",\"type\":\"file\",\"size\":9007199254740993},"
        "{\"id\":\"7\",\"type\":\"file\",\"size\":\"\"}"
        "]}";
    int i;

    ck_assert_int_eq(list(body, &items, &next), SC_STORAGE_OK);
    ck_assert_int_eq(items->nelts, 7);
    for (i = 0; i < 7; i++) {
        if (i == 5) {
            ck_assert(ITEM(items, i)->size == APR_INT64_C(9007199254740993));
        }
        else {
            ck_assert_msg(ITEM(items, i)->size == -1, "item %d", i + 1);
        }
    }
    /* A missing name is survivable; the entry is still listed. */
    ck_assert_str_eq(ITEM(items, 0)->name, "");
}
END_TEST

START_TEST(list_next_page)
{
    apr_array_header_t *items;
    apr_int64_t next;

    ck_assert_int_eq(list("{\"objects\":[],\"next_page\":null}", &items, &next), SC_STORAGE_OK);
    ck_assert_int_eq(next, 0);
    ck_assert_int_eq(items->nelts, 0);
    ck_assert_int_eq(list("{\"objects\":[]}", &items, &next), SC_STORAGE_OK);
    ck_assert_int_eq(next, 0);
    ck_assert_int_eq(list("{\"objects\":[],\"next_page\":\"3\"}", &items, &next), SC_STORAGE_OK);
    ck_assert_int_eq(next, 3);
    ck_assert_int_eq(list("{\"objects\":[],\"next_page\":9007199254740993}", &items, &next),
                     SC_STORAGE_OK);
    ck_assert(next == APR_INT64_C(9007199254740993));

    ck_assert_int_eq(list_status("{\"objects\":[],\"next_page\":0}"), SC_STORAGE_BAD_REPLY);
    ck_assert_int_eq(list_status("{\"objects\":[],\"next_page\":-1}"), SC_STORAGE_BAD_REPLY);
    ck_assert_int_eq(list_status("{\"objects\":[],\"next_page\":\"abc\"}"), SC_STORAGE_BAD_REPLY);
    ck_assert_int_eq(list_status("{\"objects\":[],\"next_page\":true}"), SC_STORAGE_BAD_REPLY);
    ck_assert_int_eq(list_status("{\"objects\":[],\"next_page\":2.5}"), SC_STORAGE_BAD_REPLY);
    ck_assert_int_eq(list_status("{\"objects\":[],\"next_page\":{}}"), SC_STORAGE_BAD_REPLY);
    ck_assert_int_eq(list_status("{\"objects\":[],"
                                 "\"next_page\":99999999999999999999999}"),
                     SC_STORAGE_BAD_REPLY);
}
END_TEST

START_TEST(list_bad)
{
    static const char *const bad[] = {
        "{\"page\":1}",                                            /* no objects */
        "{\"objects\":null}",
        "{\"objects\":{}}",
        "{\"objects\":\"[]\"}",
        "{\"objects\":[null]}",
        "{\"objects\":[42]}",
        "{\"objects\":[{\"name\":\"x\",\"type\":\"file\"}]}",      /* no id */
        "{\"objects\":[{\"id\":\"\",\"type\":\"file\"}]}",
        "{\"objects\":[{\"id\":\"a\",\"name\":\"x\"}]}",           /* no type */
        "{\"objects\":[{\"id\":\"a\",\"type\":\"link\"}]}",
        "{\"objects\":[{\"id\":\"a\\u0000b\",\"type\":\"file\"}]}",
        "{\"objects\":[{\"id\":\"a\",\"type\":\"file\"}],",        /* truncated */
        "{\"objects\":[{\"id\":\"a\",\"type\":\"file\"}]}}",
        "[]",
        "null",
        NULL
    };
    int i;

    for (i = 0; bad[i]; i++) {
        ck_assert_msg(list_status(bad[i]) == SC_STORAGE_BAD_REPLY, "accepted: %s", bad[i]);
    }
}
END_TEST

START_TEST(list_names_sanitised)
{
    apr_array_header_t *items;
    apr_int64_t next;
    const char *body = "{\"objects\":["
        "{\"id\":\"a\",\"type\":\"file\",\"name\":\"line1\\n2: fake entry\"},"
        "{\"id\":\"b\",\"type\":\"file\",\"name\":\"nul\\u0000byte\"},"
        "{\"id\":\"c\",\"type\":\"file\",\"name\":\"raw \xc3\x28 \xed\xa0\x80 bytes\"},"
        "{\"id\":\"d\",\"type\":\"file\",\"name\":\"caf\\u00e9 \\ud83d\\ude00\"},"
        "{\"id\":\"e\",\"type\":\"file\",\"name\":\"a&b<c>\\\"q'.txt\"}"
        "]}";
    int i;

    ck_assert_int_eq(list(body, &items, &next), SC_STORAGE_OK);
    ck_assert_int_eq(items->nelts, 5);
    for (i = 0; i < items->nelts; i++) {
        const char *n = ITEM(items, i)->name;
        const char *c;

        ck_assert(sc_test_utf8_valid(n, strlen(n)));
        for (c = n; *c; c++) {
            ck_assert_msg((unsigned char)*c >= 0x20 && *c != 0x7f, "control in %s", n);
        }
    }
    ck_assert_str_eq(ITEM(items, 0)->name, "line1 2: fake entry");
    ck_assert_str_eq(ITEM(items, 1)->name, "nulbyte");
    ck_assert_str_eq(ITEM(items, 3)->name, "caf\xc3\xa9 \xf0\x9f\x98\x80");
    /* Escaping is the page's or the TwiML's job, not the provider's. */
    ck_assert_str_eq(ITEM(items, 4)->name, "a&b<c>\"q'.txt");
}
END_TEST

/* One file or folder object, as the one entry of a listing page. */
static sc_storage_status_e decode_item(const char *body, sc_storage_item_t **it)
{
    apr_array_header_t *items = apr_array_make(P, 1, sizeof(sc_storage_item_t *));
    const char *page = apr_pstrcat(P, "{\"objects\":[", body, "]}", NULL);
    apr_int64_t next = -1;
    sc_storage_status_e st = sc_kloudless_decode_list(P, page, strlen(page), items, &next);

    *it = st == SC_STORAGE_OK && items->nelts == 1 ? ITEM(items, 0) : NULL;
    return st;
}

START_TEST(item_decode)
{
    const char *body = "{\"id\":\"file_notes\",\"name\":\"notes.txt\",\"type\":\"file\","
        "\"size\":1234,\"mime_type\":\"text/plain\",\"parent\":{\"id\":\"root\"}}";
    sc_storage_item_t *it = NULL;

    ck_assert_int_eq(decode_item(body, &it), SC_STORAGE_OK);
    ck_assert_str_eq(it->id, "file_notes");
    ck_assert_int_eq(it->is_folder, 0);
    ck_assert_int_eq(it->size, 1234);
    body = "{\"id\":\"root\",\"name\":\"\",\"type\":\"folder\",\"size\":null}";
    ck_assert_int_eq(decode_item(body, &it), SC_STORAGE_OK);
    ck_assert_int_eq(it->is_folder, 1);
    body = "{\"id\":\"x\"}";
    ck_assert_int_eq(decode_item(body, &it), SC_STORAGE_BAD_REPLY);
    ck_assert_ptr_null(it);
}
END_TEST

/* ------------------------------------------------------------------------ */

START_TEST(link_decode)
{
    const char *body = "{\"id\":\"lnk_1\",\"url\":\"https://dl.example.test/l/lnk_1\","
        "\"file_id\":\"file_notes\",\"account\":1234567890,\"active\":true,"
        "\"direct\":false,\"password\":false,\"expiration\":\"2026-01-15T11:00:00Z\"}";
    static const char *const bad[] = {
        "{\"id\":\"lnk_1\"}",
        "{\"url\":null}",
        "{\"url\":42}",
        "{\"url\":\"\"}",
        "{\"url\":\"javascript:alert(1)\"}",
        "{\"url\":\"ftp://example.test/x\"}",
        "{\"url\":\"https://example.test/a b\"}",
        "{\"url\":\"https://example.test/a\\nSTOP\"}",
        "{\"url\":\"https://example.test/\\u00e9\"}",
        "{\"url\":\"https://dl.example.test/l/lnk_1\"",
        "\"https://dl.example.test/l/lnk_1\"",
        NULL
    };
    const char *url = NULL;
    int i;

    ck_assert_int_eq(sc_kloudless_decode_link(P, body, strlen(body), &url), SC_STORAGE_OK);
    ck_assert_str_eq(url, "https://dl.example.test/l/lnk_1");
    body = "{\"url\":\"HTTP://dl.example.test/x?a=1&b=2\"}";
    ck_assert_int_eq(sc_kloudless_decode_link(P, body, strlen(body), &url), SC_STORAGE_OK);
    for (i = 0; bad[i]; i++) {
        ck_assert_msg(sc_kloudless_decode_link(P, bad[i], strlen(bad[i]), &url)
                      == SC_STORAGE_BAD_REPLY, "accepted: %s", bad[i]);
        ck_assert_ptr_null(url);
    }
}
END_TEST

/* ------------------------------------------------------------------------ */

START_TEST(authorize_url)
{
    const char *url = NULL;
    const char *q;
    apr_array_header_t *pairs = NULL;

    ck_assert_int_eq(sc_kloudless_authorize_url(P, "https://api.kloudless.com/v1/oauth/",
                     "app id&x", "https://sms.example.org/connect/callback?a=1&b=c d",
                     "st+ate/=", &url), APR_SUCCESS);
    q = strchr(url, '?');
    ck_assert_ptr_nonnull(q);
    ck_assert_int_eq(strncmp(url, "https://api.kloudless.com/v1/oauth/?", 36), 0);
    /* Nothing that would split or end the query survives unescaped. */
    ck_assert_ptr_null(strchr(q + 1, '?'));
    ck_assert_ptr_null(strchr(q + 1, ' '));
    ck_assert_int_eq(sc_form_parse(P, q + 1, strlen(q + 1), 10, &pairs), APR_SUCCESS);
    ck_assert_int_eq(pairs->nelts, 5);
    ck_assert_str_eq(sc_form_get(pairs, "client_id"), "app id&x");
    ck_assert_str_eq(sc_form_get(pairs, "response_type"), "code");
    ck_assert_str_eq(sc_form_get(pairs, "redirect_uri"),
                     "https://sms.example.org/connect/callback?a=1&b=c d");
    ck_assert_str_eq(sc_form_get(pairs, "scope"), "storage");
    ck_assert_str_eq(sc_form_get(pairs, "state"), "st+ate/=");

    ck_assert_int_eq(sc_kloudless_authorize_url(P, "http://127.0.0.1:9/v1/oauth/?x=1",
                     "a", "https://r", "s", &url), APR_SUCCESS);
    ck_assert_str_eq(url, "http://127.0.0.1:9/v1/oauth/?x=1&client_id=a&response_type=code"
                     "&redirect_uri=https%3a%2f%2fr&scope=storage&state=s");

    ck_assert_int_eq(sc_kloudless_authorize_url(P, "https://k/", "a", "https://r", "",
                     &url), APR_EINVAL);
    ck_assert_ptr_null(url);
    ck_assert_int_eq(sc_kloudless_authorize_url(P, "https://k/", NULL, "https://r", "s",
                     &url), APR_EINVAL);
    ck_assert_int_eq(sc_kloudless_authorize_url(P, "https://k/", "a", NULL, "s",
                     &url), APR_EINVAL);
}
END_TEST

START_TEST(status_text)
{
    ck_assert_str_eq(sc_storage_status_text(SC_STORAGE_UNAVAILABLE),
                     "storage is not answering, try again");
    ck_assert_str_eq(sc_storage_status_text(SC_STORAGE_BAD_REPLY),
                     "storage is not answering, try again");
    ck_assert_ptr_nonnull(sc_storage_status_text(SC_STORAGE_NOT_FOLDER));
    ck_assert_ptr_nonnull(sc_storage_status_text((sc_storage_status_e)99));
}
END_TEST

START_TEST(provider_unreachable)
{
    const sc_storage_provider_t *sp = &sc_kloudless_provider;
    sc_storage_env_t env = { 2000, 3000 };
    sc_storage_account_t acct = { "+15551234567", "1234567890", NULL };
    apr_array_header_t *items = (apr_array_header_t *)1;
    sc_storage_connected_t *conn = (sc_storage_connected_t *)1;
    apr_table_t *t = apr_table_make(P, 4);
    const char *url = "x", *label = sp->label, *err = NULL, *notice = NULL;
    const void *ctx = NULL;

    ck_assert_ptr_eq(sc_storage_find("kloudless"), sp);
    ck_assert_ptr_null(sc_storage_find("nosuch"));
    ck_assert_ptr_null(sc_storage_find(NULL));
    ck_assert_ptr_null(sc_kloudless_context(P, NULL));
    ck_assert_int_ne(sp->init(P, t, &env, &ctx, &label, &notice, &err), APR_SUCCESS);
    ck_assert_str_eq(err, "SmsCloudKloudlessAppId is required with the kloudless provider");
    apr_table_set(t, "SmsCloudKloudlessAppId", "test_app_id");
    ck_assert_int_ne(sp->init(P, t, &env, &ctx, &label, &notice, &err), APR_SUCCESS);
    ck_assert_str_eq(err, "SmsCloudKloudlessApiKey is required with the kloudless provider");
    /* Nothing listens on port 1: refused at once, no waiting. */
    apr_table_set(t, "SmsCloudKloudlessApiKey", "k");
    apr_table_set(t, "SmsCloudKloudlessApiBase", "http://127.0.0.1:1/v1/");
    ck_assert_int_eq(sp->init(P, t, &env, &ctx, &label, &notice, &err), APR_SUCCESS);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(sp->connect, SC_CONNECT_OAUTH);
    ck_assert_str_eq(sp->authorize_site(ctx), SC_KLOUDLESS_DEFAULT_AUTHORIZE);
    ck_assert_int_eq(sp->authorize_url(ctx, P, "https://r/cb", "st", &url), APR_SUCCESS);
    ck_assert_int_eq(strncmp(url, SC_KLOUDLESS_DEFAULT_AUTHORIZE "?client_id=test_app_id&",
                             strlen(SC_KLOUDLESS_DEFAULT_AUTHORIZE) + 22), 0);
    ck_assert_int_eq(sc_http_global_init(P), APR_SUCCESS);
    ck_assert_int_eq(sp->list_folder(ctx, P, &acct, NULL, &items), SC_STORAGE_UNAVAILABLE);
    ck_assert_ptr_null(items);
    url = "x";
    ck_assert_int_eq(sp->create_link(ctx, P, &acct, "file_notes", apr_time_from_sec(3600),
                                     &url),
                     SC_STORAGE_UNAVAILABLE);
    ck_assert_ptr_null(url);
    ck_assert_int_eq(sp->exchange_code(ctx, P, "code_x", "https://r", &conn),
                     SC_STORAGE_UNAVAILABLE);
    /* Empty ids never reach the network. */
    acct.id = "";
    ck_assert_int_eq(sp->list_folder(ctx, P, &acct, NULL, &items), SC_STORAGE_NOT_FOUND);
    acct.id = "1";
    ck_assert_int_eq(sp->list_folder(ctx, P, &acct, "", &items), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(sp->exchange_code(ctx, P, "", "https://r", &conn), SC_STORAGE_DENIED);
}
END_TEST

/* Also in sc_unit.h; repeated so this file stands alone. */
SC_UNIT_SUITE(sc_kloudless_suite)

Suite *sc_kloudless_suite(void)
{
    Suite *s = suite_create("sc_kloudless");
    TCase *tc = sc_tcase("kloudless");

    tcase_add_test(tc, account_ok);
    tcase_add_test(tc, account_bad);
    tcase_add_test(tc, account_text_sanitised);
    tcase_add_test(tc, list_page);
    tcase_add_test(tc, list_sizes);
    tcase_add_test(tc, list_next_page);
    tcase_add_test(tc, list_bad);
    tcase_add_test(tc, list_names_sanitised);
    tcase_add_test(tc, item_decode);
    tcase_add_test(tc, link_decode);
    tcase_add_test(tc, authorize_url);
    tcase_add_test(tc, status_text);
    tcase_add_test(tc, provider_unreachable);
    suite_add_tcase(s, tc);
    return s;
}
