/* test_local.c - sc_local: the local provider never leaves its root. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <apr_strings.h>
#include <apr_time.h>

#include "sc_unit.h"
#include "sc_local.h"
#include "sc_link.h"

#define P sc_test_pool
#define ITEM(a, i) APR_ARRAY_IDX((a), (i), sc_storage_item_t *)
#define BASE "http://127.0.0.1:1/dl"

static char top[] = "/tmp/sc_local_test.XXXXXX";
static const char *root;

static void put(const char *rel, const char *text)
{
    FILE *f = fopen(apr_pstrcat(P, top, "/", rel, NULL), "w");

    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void dir(const char *rel)
{
    ck_assert_int_eq(mkdir(apr_pstrcat(P, top, "/", rel, NULL), 0755), 0);
}

static void sym(const char *target, const char *rel)
{
    ck_assert_int_eq(symlink(target, apr_pstrcat(P, top, "/", rel, NULL)), 0);
}

/* top/root is the provider's root; top/outside must never be reached. */
static void make_tree(void)
{
    sc_test_setup();
    ck_assert_ptr_nonnull(mkdtemp(top));
    root = apr_pstrcat(P, top, "/root", NULL);
    dir("root");
    dir("outside");
    put("outside/secret.txt", "secret");
    dir("root/Documents");
    put("root/Documents/report.txt", "report!");
    put("root/notes.txt", "hello");
    put("root/.hidden", "x");
    dir("root/.secretdir");
    put("root/.secretdir/x.txt", "x");
    put("root/b\nname.txt", "nl");
    sym("/etc", "root/link_out");
    sym("/etc/passwd", "root/link_out_file");
    sym("../outside", "root/escape");
    sym("Documents", "root/link_in");
    sym(".secretdir", "root/link_hidden");
    sym("nowhere", "root/dangling");
    ck_assert_int_eq(mkfifo(apr_pstrcat(P, top, "/root/fifo", NULL), 0644), 0);
}

static void drop_tree(void)
{
    ck_assert_int_eq(system(apr_pstrcat(P, "rm -rf '", top, "'", NULL)), 0);
    strcpy(top, "/tmp/sc_local_test.XXXXXX");
    sc_test_teardown();
}

static const sc_storage_provider_t *provider(int max_items)
{
    sc_local_conf_t c = { root, "Files here", sc_link_key(P, "0123456789abcdef0123456789abcdef"),
                          BASE, 600, max_items };
    const sc_storage_provider_t *sp = sc_local_provider(P, &c);

    ck_assert_ptr_nonnull(sp);
    return sp;
}

static sc_storage_status_e resolve(const char *id)
{
    return sc_local_resolve(provider(0), P, id, NULL, NULL);
}

START_TEST(ids)
{
    static const char *const good[] = { "", "a", "a/b", "a b/c d.txt", "%2e%2e", "a..b", "x." };
    static const char *const bad[] = {
        "/", "/etc/passwd", "..", "../x", "a/../b", "a/..", ".", "./a", "a/.", "a/./b",
        "a//b", "a/", ".hidden", "a/.hidden/b", "a\\b", "..\\x",
    };
    char *long_id = apr_palloc(P, SC_LOCAL_MAX_ID + 2);
    apr_size_t i;

    for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
        ck_assert_msg(sc_local_id_ok(good[i]), "refused %s", good[i]);
    }
    for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        ck_assert_msg(!sc_local_id_ok(bad[i]), "accepted %s", bad[i]);
    }
    memset(long_id, 'a', SC_LOCAL_MAX_ID + 1);
    long_id[SC_LOCAL_MAX_ID + 1] = '\0';
    ck_assert(!sc_local_id_ok(long_id));
    long_id[SC_LOCAL_MAX_ID] = '\0';
    ck_assert(sc_local_id_ok(long_id));
    ck_assert(!sc_local_id_ok(NULL));
}
END_TEST

START_TEST(resolve_stays_inside)
{
    const char *path = NULL;
    apr_finfo_t fi;

    ck_assert_int_eq(sc_local_resolve(provider(0), P, "link_in/report.txt", &path, &fi),
                     SC_STORAGE_OK);
    /* the real path, symlink resolved, inside the root */
    ck_assert_str_eq(path, apr_pstrcat(P, root, "/Documents/report.txt", NULL));
    ck_assert_int_eq(fi.size, 7);
    ck_assert_int_eq(resolve(""), SC_STORAGE_OK);
    ck_assert_int_eq(resolve("notes.txt"), SC_STORAGE_OK);
    ck_assert_int_eq(resolve("../outside/secret.txt"), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve("Documents/../../outside/secret.txt"), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve(apr_pstrcat(P, top, "/outside/secret.txt", NULL)),
                     SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve("escape/secret.txt"), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve("escape"), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve("link_out"), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve("link_out/passwd"), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve("link_out_file"), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve("link_hidden/x.txt"), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve(".secretdir/x.txt"), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve(".hidden"), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve("dangling"), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve("fifo"), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve("%2e%2e/outside/secret.txt"), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(resolve("nope.txt"), SC_STORAGE_NOT_FOUND);
}
END_TEST

START_TEST(list_root)
{
    const sc_storage_provider_t *sp = provider(0);
    apr_array_header_t *items = NULL;

    ck_assert_int_eq(sp->list_folder(sp, P, "+15551234567", NULL, &items), SC_STORAGE_OK);
    /* folders first, then files, by name; nothing hidden, outside or odd */
    ck_assert_int_eq(items->nelts, 4);
    ck_assert_str_eq(ITEM(items, 0)->id, "Documents");
    ck_assert(ITEM(items, 0)->is_folder);
    ck_assert_str_eq(ITEM(items, 1)->id, "link_in");
    ck_assert(ITEM(items, 1)->is_folder);
    ck_assert_str_eq(ITEM(items, 2)->id, "b\nname.txt");
    ck_assert_str_eq(ITEM(items, 2)->name, "b name.txt");
    ck_assert(!ITEM(items, 2)->is_folder);
    ck_assert_int_eq(ITEM(items, 2)->size, 2);
    ck_assert_str_eq(ITEM(items, 3)->id, "notes.txt");
    ck_assert_int_eq(ITEM(items, 3)->size, 5);

    ck_assert_int_eq(sp->list_folder(sp, P, "x", "", &items), SC_STORAGE_OK);
    ck_assert_int_eq(items->nelts, 4);
    ck_assert_int_eq(sp->list_folder(sp, P, "x", "Documents", &items), SC_STORAGE_OK);
    ck_assert_int_eq(items->nelts, 1);
    ck_assert_str_eq(ITEM(items, 0)->id, "Documents/report.txt");
    ck_assert_str_eq(ITEM(items, 0)->name, "report.txt");
}
END_TEST

START_TEST(list_refused)
{
    const sc_storage_provider_t *sp = provider(0);
    apr_array_header_t *items = NULL;

    ck_assert_int_eq(sp->list_folder(sp, P, "x", "notes.txt", &items), SC_STORAGE_NOT_FOLDER);
    ck_assert_int_eq(sp->list_folder(sp, P, "x", "nope", &items), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(sp->list_folder(sp, P, "x", "..", &items), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(sp->list_folder(sp, P, "x", "escape", &items), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(sp->list_folder(sp, P, "x", "link_out", &items), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(sp->list_folder(sp, P, "x", ".secretdir", &items), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(sp->list_folder(sp, P, "x", "/", &items), SC_STORAGE_NOT_FOUND);
    sp = provider(3);
    ck_assert_int_eq(sp->list_folder(sp, P, "x", NULL, &items), SC_STORAGE_BAD_REPLY);
}
END_TEST

START_TEST(describe)
{
    const sc_storage_provider_t *sp = provider(0);
    sc_storage_account_t *a = NULL;
    sc_storage_item_t *it = NULL;

    ck_assert_int_eq(sp->describe_account(sp, P, "+15551234567", &a), SC_STORAGE_OK);
    ck_assert_str_eq(a->service, "local");
    ck_assert_str_eq(a->service_name, "Files here");
    ck_assert_str_eq(a->name, "Files here");
    ck_assert_int_eq(sp->describe_item(sp, P, "x", "Documents/report.txt", &it), SC_STORAGE_OK);
    ck_assert_str_eq(it->name, "report.txt");
    ck_assert_int_eq(it->size, 7);
    ck_assert(!it->is_folder);
    ck_assert_int_eq(sp->describe_item(sp, P, "x", NULL, &it), SC_STORAGE_OK);
    ck_assert(it->is_folder);
    ck_assert_str_eq(it->name, "Files here");
    ck_assert_int_eq(sp->describe_item(sp, P, "x", "escape/secret.txt", &it),
                     SC_STORAGE_NOT_FOUND);
}
END_TEST

START_TEST(links)
{
    const sc_storage_provider_t *sp = provider(0);
    const char *url = NULL, *key = sc_link_key(P, "0123456789abcdef0123456789abcdef");
    const char *tail, *token;
    apr_int64_t now = apr_time_sec(apr_time_now());
    sc_link_t *link = NULL;

    ck_assert_int_eq(sp->create_link(sp, P, "+15551234567", "Documents/report.txt", 0, &url),
                     SC_STORAGE_OK);
    ck_assert_int_eq(strncmp(url, BASE "/", strlen(BASE) + 1), 0);
    tail = url + strlen(BASE) + 1;
    token = sc_link_token_from_path(P, tail);
    ck_assert_str_eq(tail + strlen(token), "/report.txt");
    ck_assert_int_eq(sc_link_verify(P, key, token, now, &link), SC_LINK_VALID);
    ck_assert_str_eq(link->provider, "local");
    ck_assert_str_eq(link->file_id, "Documents/report.txt");
    ck_assert_int_ge(link->expires, now + 599);
    ck_assert_int_le(link->expires, now + 601);
    ck_assert_int_eq(sc_link_verify(P, key, token, now + 602, NULL), SC_LINK_EXPIRED);

    ck_assert_int_eq(sp->create_link(sp, P, "x", "notes.txt", apr_time_from_sec(30), &url),
                     SC_STORAGE_OK);
    token = sc_link_token_from_path(P, url + strlen(BASE) + 1);
    ck_assert_int_eq(sc_link_verify(P, key, token, now + 40, NULL), SC_LINK_EXPIRED);

    ck_assert_int_eq(sp->create_link(sp, P, "x", "Documents", 0, &url), SC_STORAGE_NOT_FILE);
    ck_assert_int_eq(sp->create_link(sp, P, "x", "link_out_file", 0, &url), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(sp->create_link(sp, P, "x", "../outside/secret.txt", 0, &url),
                     SC_STORAGE_NOT_FOUND);
}
END_TEST

START_TEST(provider_needs_a_root)
{
    sc_local_conf_t c = { "/nonexistent/dir", "n", "k", BASE, 600, 0 };

    ck_assert_ptr_null(sc_local_provider(P, &c));
    c.root = apr_pstrcat(P, root, "/notes.txt", NULL);
    ck_assert_ptr_null(sc_local_provider(P, &c));
    c.root = root;
    c.link_key = NULL;
    ck_assert_ptr_null(sc_local_provider(P, &c));
    c.link_key = "k";
    ck_assert_ptr_nonnull(sc_local_provider(P, &c));
}
END_TEST

Suite *sc_local_suite(void)
{
    Suite *s = suite_create("local");
    TCase *tc = tcase_create("local");

    /* The tree is made per test (the fixture owns the pool). */
    tcase_add_checked_fixture(tc, make_tree, drop_tree);
    tcase_add_test(tc, ids);
    tcase_add_test(tc, resolve_stays_inside);
    tcase_add_test(tc, list_root);
    tcase_add_test(tc, list_refused);
    tcase_add_test(tc, describe);
    tcase_add_test(tc, links);
    tcase_add_test(tc, provider_needs_a_root);
    suite_add_tcase(s, tc);
    return s;
}
