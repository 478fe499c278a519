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

#define P sc_test_pool
#define ITEM(a, i) APR_ARRAY_IDX((a), (i), sc_storage_item_t *)
#define SP (&sc_local_provider)

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

/* The listed item with that id; the test fails when there is none. */
static const sc_storage_item_t *item_with_id(const apr_array_header_t *items, const char *id)
{
    int i;

    for (i = 0; i < items->nelts; i++) {
        if (!strcmp(ITEM(items, i)->id, id)) {
            return ITEM(items, i);
        }
    }
    ck_abort_msg("no item %s", id);
    return NULL;
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

static const sc_storage_account_t ACCOUNT = { "+15551234567", "+15551234567", NULL };
#define A (&ACCOUNT)

static const void *provider(int max_items)
{
    sc_local_conf_t c = { root, "Files here", max_items, 1, NULL };
    const void *ctx = sc_local_context(P, &c);

    ck_assert_ptr_nonnull(ctx);
    return ctx;
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
    const void *sp = provider(0);
    apr_array_header_t *items = NULL;

    ck_assert_int_eq(SP->list_folder(sp, P, A, NULL, &items), SC_STORAGE_OK);
    /* in directory order (the listing, sc_listing.c, sorts); nothing
     * hidden, outside or odd */
    ck_assert_int_eq(items->nelts, 4);
    ck_assert(item_with_id(items, "Documents")->is_folder);
    ck_assert(item_with_id(items, "link_in")->is_folder);
    ck_assert_str_eq(item_with_id(items, "b\nname.txt")->name, "b name.txt");
    ck_assert(!item_with_id(items, "b\nname.txt")->is_folder);
    ck_assert_int_eq(item_with_id(items, "b\nname.txt")->size, 2);
    ck_assert_int_eq(item_with_id(items, "notes.txt")->size, 5);

    ck_assert_int_eq(SP->list_folder(sp, P, A, "", &items), SC_STORAGE_OK);
    ck_assert_int_eq(items->nelts, 4);
    ck_assert_int_eq(SP->list_folder(sp, P, A, "Documents", &items), SC_STORAGE_OK);
    ck_assert_int_eq(items->nelts, 1);
    ck_assert_str_eq(ITEM(items, 0)->id, "Documents/report.txt");
    ck_assert_str_eq(ITEM(items, 0)->name, "report.txt");
}
END_TEST

START_TEST(list_refused)
{
    const void *sp = provider(0);
    apr_array_header_t *items = NULL;

    ck_assert_int_eq(SP->list_folder(sp, P, A, "notes.txt", &items), SC_STORAGE_NOT_FOLDER);
    ck_assert_int_eq(SP->list_folder(sp, P, A, "nope", &items), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(SP->list_folder(sp, P, A, "..", &items), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(SP->list_folder(sp, P, A, "escape", &items), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(SP->list_folder(sp, P, A, "link_out", &items), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(SP->list_folder(sp, P, A, ".secretdir", &items), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(SP->list_folder(sp, P, A, "/", &items), SC_STORAGE_NOT_FOUND);
    sp = provider(3);
    ck_assert_int_eq(SP->list_folder(sp, P, A, NULL, &items), SC_STORAGE_BAD_REPLY);
}
END_TEST

START_TEST(describe)
{
    const void *sp = provider(0);
    sc_storage_connected_t *a = NULL;
    sc_storage_item_t *it = NULL;

    ck_assert_int_eq(SP->assign(sp, P, "+15551234567", &a), SC_STORAGE_OK);
    ck_assert_str_eq(a->id, "+15551234567");
    ck_assert_str_eq(a->service, "local");
    ck_assert_str_eq(a->display_name, "Files here");
    ck_assert_ptr_null(a->credentials);
    ck_assert_int_eq(SP->describe_item(sp, P, A, "Documents/report.txt", &it), SC_STORAGE_OK);
    ck_assert_str_eq(it->name, "report.txt");
    ck_assert_int_eq(it->size, 7);
    ck_assert(!it->is_folder);
    ck_assert_int_eq(SP->describe_item(sp, P, A, NULL, &it), SC_STORAGE_OK);
    ck_assert(it->is_folder);
    ck_assert_str_eq(it->name, "Files here");
    ck_assert_int_eq(SP->describe_item(sp, P, A, "escape/secret.txt", &it),
                     SC_STORAGE_NOT_FOUND);
}
END_TEST

static apr_status_t keep_file(void *baton, const sc_storage_file_t *f)
{
    *(sc_storage_file_t *)baton = *f;
    return APR_SUCCESS;
}

START_TEST(read_file)
{
    const void *sp = provider(0);
    sc_storage_file_t f;
    sc_storage_sink_t sink = { .begin = keep_file, .baton = &f };
    char buf[16];
    apr_size_t n = sizeof(buf);

    memset(&f, 0, sizeof(f));
    ck_assert_int_eq(SP->read_file(sp, P, A, "link_in/report.txt", &sink), SC_STORAGE_OK);
    ck_assert_ptr_nonnull(f.file);
    ck_assert_str_eq(f.path, apr_pstrcat(P, root, "/Documents/report.txt", NULL));
    ck_assert_int_eq(f.finfo.size, 7);
    ck_assert_int_eq(apr_file_read(f.file, buf, &n), APR_SUCCESS);
    ck_assert_int_eq(n, 7);
    ck_assert_int_eq(memcmp(buf, "report!", 7), 0);
    ck_assert_int_eq(SP->read_file(sp, P, A, "Documents", &sink), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(SP->read_file(sp, P, A, "link_out_file", &sink), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(SP->read_file(sp, P, A, "../outside/secret.txt", &sink),
                     SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(SP->read_file(sp, P, A, "fifo", &sink), SC_STORAGE_NOT_FOUND);
}
END_TEST

START_TEST(init_from_settings)
{
    sc_storage_env_t env = { 1000, 2000 };
    apr_table_t *t = apr_table_make(P, 2);
    const void *ctx = NULL;
    const char *label = NULL, *err = NULL, *notice = NULL;
    sc_local_conf_t c = { "/nonexistent/dir", "n", 0, 0, NULL };

    ck_assert_int_ne(SP->init(P, t, &env, &ctx, &label, &notice, &err), APR_SUCCESS);
    ck_assert_str_eq(err, "SmsCloudLocalRoot is required with the local provider");
    apr_table_set(t, "SmsCloudLocalRoot", "/nonexistent/dir");
    ck_assert_int_ne(SP->init(P, t, &env, &ctx, &label, &notice, &err), APR_SUCCESS);
    apr_table_set(t, "SmsCloudLocalRoot", root);
    ck_assert_int_eq(SP->init(P, t, &env, &ctx, &label, &notice, &err), APR_SUCCESS);
    ck_assert_str_eq(label, SC_LOCAL_DEFAULT_NAME);
    apr_table_set(t, "SmsCloudLocalName", "Shared");
    ck_assert_int_eq(SP->init(P, t, &env, &ctx, &label, &notice, &err), APR_SUCCESS);
    ck_assert_str_eq(label, "Shared");
    ck_assert_ptr_null(notice);
    apr_table_set(t, "SmsCloudLocalShared", "on");
    ck_assert_int_eq(SP->init(P, t, &env, &ctx, &label, &notice, &err), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(notice, "every phone"));
    ck_assert_ptr_eq(sc_storage_find("local"), SP);
    ck_assert_int_eq(SP->connect, SC_CONNECT_ASSIGNED);
    ck_assert_ptr_null(SP->create_link);

    ck_assert_ptr_null(sc_local_context(P, &c));
    c.root = apr_pstrcat(P, root, "/notes.txt", NULL);
    ck_assert_ptr_null(sc_local_context(P, &c));
    c.root = root;
    ck_assert_ptr_nonnull(sc_local_context(P, &c));
}
END_TEST

/* The operator gives a phone one local account: once it is connected the
 * connect page says so; Kloudless (OAuth) always offers another. */
START_TEST(one_assigned_account)
{
    const sc_storage_provider_t *oauth = sc_storage_find("kloudless");

    ck_assert_int_eq(sc_storage_offers_another(SP, 0), 1);
    ck_assert_int_eq(sc_storage_offers_another(SP, 1), 0);
    ck_assert_ptr_nonnull(oauth);
    ck_assert_int_eq(sc_storage_offers_another(oauth, 0), 1);
    ck_assert_int_eq(sc_storage_offers_another(oauth, 2), 1);
}
END_TEST

START_TEST(private_folders)
{
    sc_local_conf_t c = { root, "Mine", 0, 0, NULL };
    const void *ctx;
    const sc_storage_account_t a = { "+15551234567", "+15551234567", NULL };
    const sc_storage_account_t b = { "+15557654321", "+15557654321", NULL };
    const sc_storage_account_t odd = { "15551234567/../x", "x", NULL };
    sc_storage_connected_t *conn = NULL;
    apr_array_header_t *items = NULL;
    sc_storage_item_t *it = NULL;

    dir("skel");
    dir("skel/Welcome");
    put("skel/Welcome/hi.txt", "hi");
    put("skel/.dot", "x");
    c.skeleton = apr_pstrcat(P, top, "/skel", NULL);
    ctx = sc_local_context(P, &c);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_str_eq(sc_local_folder_name(P, "+15551234567"), "15551234567");
    ck_assert_ptr_null(sc_local_folder_name(P, "15551234567"));
    ck_assert_ptr_null(sc_local_folder_name(P, "+1555/../1234"));
    ck_assert_ptr_null(sc_local_folder_name(P, "+123"));
    ck_assert_ptr_null(sc_local_folder_name(NULL == P ? P : P, NULL));

    ck_assert_int_eq(SP->assign(ctx, P, "+15551234567", &conn), SC_STORAGE_OK);
    ck_assert_str_eq(conn->id, "+15551234567");
    ck_assert_int_eq(SP->list_folder(ctx, P, &a, NULL, &items), SC_STORAGE_OK);
    ck_assert_int_eq(items->nelts, 1);
    ck_assert_str_eq(ITEM(items, 0)->id, "Welcome");
    put("root/15551234567/mine.txt", "A");
    /* b's folder is made on first use, and holds only the skeleton */
    ck_assert_int_eq(SP->list_folder(ctx, P, &b, NULL, &items), SC_STORAGE_OK);
    ck_assert_int_eq(items->nelts, 1);
    ck_assert_int_eq(SP->describe_item(ctx, P, &b, "mine.txt", &it), SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(SP->describe_item(ctx, P, &b, "../15551234567/mine.txt", &it),
                     SC_STORAGE_NOT_FOUND);
    ck_assert_int_eq(SP->describe_item(ctx, P, &a, "mine.txt", &it), SC_STORAGE_OK);
    ck_assert_int_eq(SP->list_folder(ctx, P, &odd, NULL, &items), SC_STORAGE_UNAVAILABLE);
    /* the shared tree's files are no phone's */
    ck_assert_int_eq(SP->describe_item(ctx, P, &a, "notes.txt", &it), SC_STORAGE_NOT_FOUND);
}
END_TEST

SC_UNIT_SUITE(sc_local_suite)

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
    tcase_add_test(tc, read_file);
    tcase_add_test(tc, init_from_settings);
    tcase_add_test(tc, one_assigned_account);
    tcase_add_test(tc, private_folders);
    suite_add_tcase(s, tc);
    return s;
}
