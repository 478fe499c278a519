/* test_storage.c: sc_storage_start, a server's providers as its
 * configuration is checked: the registry's names, each provider's init,
 * and the key that accounts with passwords need. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_storage.h"

#define P sc_test_pool

static const sc_storage_env_t env = { 1000, 5000 };
static int inits;

static apr_status_t init_ok(apr_pool_t *pconf, const apr_table_t *settings,
                            const sc_storage_env_t *e, const void **ctx,
                            const char **label, const char **notice, const char **err)
{
    inits++;
    *ctx = e;
    if (apr_table_get(settings, "Risky")) {
        *notice = "Risky On: be careful";
    }
    if (apr_table_get(settings, "Label")) {
        *label = apr_table_get(settings, "Label");
    }
    return APR_SUCCESS;
}

static apr_status_t init_refuses(apr_pool_t *pconf, const apr_table_t *settings,
                                 const sc_storage_env_t *e, const void **ctx,
                                 const char **label, const char **notice, const char **err)
{
    inits++;
    if (apr_table_get(settings, "Say")) {
        *err = "FakeRoot is required with the fake provider";
    }
    return APR_EINVAL;
}

static const sc_storage_provider_t assigned = {
    .name = "fake", .label = "Fake files", .init = init_ok, .connect = SC_CONNECT_ASSIGNED
};
static const sc_storage_provider_t form = {
    .name = "fakeform", .label = "Fake form", .init = init_ok, .connect = SC_CONNECT_FORM
};
static const sc_storage_provider_t broken = {
    .name = "broken", .label = "Broken", .init = init_refuses, .connect = SC_CONNECT_OAUTH
};

START_TEST(one_started)
{
    apr_table_t *settings = apr_table_make(P, 2);
    sc_storage_offered_t *o = NULL;
    const char *err = "x";

    ck_assert_int_eq(sc_storage_start_one(P, &assigned, settings, &env, 0, &o, &err),
                     APR_SUCCESS);
    ck_assert_ptr_nonnull(o);
    ck_assert_ptr_eq(o->desc, &assigned);
    ck_assert_ptr_eq(o->ctx, &env);
    ck_assert_str_eq(o->label, "Fake files");
    ck_assert_ptr_null(o->notice);
    ck_assert_ptr_null(err);
    /* init may name it anew, and warn of a risky setting */
    apr_table_setn(settings, "Label", "Alice's files");
    apr_table_setn(settings, "Risky", "on");
    ck_assert_int_eq(sc_storage_start_one(P, &assigned, settings, &env, 0, &o, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(o->label, "Alice's files");
    ck_assert_str_eq(o->notice, "Risky On: be careful");
}
END_TEST

START_TEST(one_refused)
{
    apr_table_t *settings = apr_table_make(P, 2);
    sc_storage_offered_t *o = (void *)&env;
    const char *err = NULL;

    /* the provider's own words, else a line naming it */
    ck_assert_int_eq(sc_storage_start_one(P, &broken, settings, &env, 1, &o, &err),
                     APR_EINVAL);
    ck_assert_ptr_null(o);
    ck_assert_str_eq(err, "the broken provider cannot start");
    apr_table_setn(settings, "Say", "1");
    ck_assert_int_eq(sc_storage_start_one(P, &broken, settings, &env, 1, &o, &err),
                     APR_EINVAL);
    ck_assert_str_eq(err, "FakeRoot is required with the fake provider");
}
END_TEST

/* Passwords typed into a connect form are kept sealed: without a key the
 * provider does not start, and is not even asked to. */
START_TEST(passwords_need_the_key)
{
    apr_table_t *settings = apr_table_make(P, 2);
    sc_storage_offered_t *o = (void *)&env;
    const char *err = NULL;

    inits = 0;
    ck_assert_int_eq(sc_storage_start_one(P, &form, settings, &env, 0, &o, &err),
                     APR_EINVAL);
    ck_assert_ptr_null(o);
    ck_assert_str_eq(err, "SmsCloudCredentialKey is required with the fakeform provider, "
                          "whose accounts have passwords");
    ck_assert_int_eq(inits, 0);
    ck_assert_int_eq(sc_storage_start_one(P, &form, settings, &env, 1, &o, &err),
                     APR_SUCCESS);
    ck_assert_int_eq(inits, 1);
    /* the others have no passwords to seal */
    ck_assert_int_eq(sc_storage_start_one(P, &assigned, settings, &env, 0, &o, &err),
                     APR_SUCCESS);
}
END_TEST

static apr_array_header_t *names_of(const char *a, const char *b)
{
    apr_array_header_t *names = apr_array_make(P, 2, sizeof(const char *));

    APR_ARRAY_PUSH(names, const char *) = a;
    if (b) {
        APR_ARRAY_PUSH(names, const char *) = b;
    }
    return names;
}

/* The registry's own providers, by name, in the order named. */
START_TEST(by_name)
{
    char dir[] = "/tmp/sc_storage_test.XXXXXX";
    apr_table_t *settings = apr_table_make(P, 4);
    apr_array_header_t *offered = NULL;
    const char *err = "x";

    ck_assert_ptr_nonnull(mkdtemp(dir));
    apr_table_setn(settings, "SmsCloudLocalRoot", dir);
    ck_assert_int_eq(sc_storage_start(P, names_of("webdav", "local"), settings, &env, 1,
                                      &offered, &err), APR_SUCCESS);
    ck_assert_ptr_null(err);
    ck_assert_int_eq(offered->nelts, 2);
    ck_assert_str_eq(APR_ARRAY_IDX(offered, 0, sc_storage_offered_t *)->desc->name, "webdav");
    ck_assert_str_eq(APR_ARRAY_IDX(offered, 1, sc_storage_offered_t *)->desc->name, "local");
    ck_assert_ptr_null(APR_ARRAY_IDX(offered, 1, sc_storage_offered_t *)->notice);
    /* SmsCloudLocalShared: every phone sees the others' files */
    apr_table_setn(settings, "SmsCloudLocalShared", "on");
    ck_assert_int_eq(sc_storage_start(P, names_of("local", NULL), settings, &env, 0,
                                      &offered, &err), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(APR_ARRAY_IDX(offered, 0, sc_storage_offered_t *)->notice,
                                 "SmsCloudLocalShared On"));
    rmdir(dir);
}
END_TEST

START_TEST(by_name_refused)
{
    apr_table_t *settings = apr_table_make(P, 4);
    apr_array_header_t *offered = NULL;
    const char *err = NULL;

    ck_assert_int_eq(sc_storage_start(P, names_of("nosuch", NULL), settings, &env, 1,
                                      &offered, &err), APR_EINVAL);
    ck_assert_str_eq(err, "no storage provider is called nosuch");
    ck_assert_int_eq(offered->nelts, 0);
    /* the first started, the second cannot: what was started is there */
    ck_assert_int_eq(sc_storage_start(P, names_of("webdav", "local"), settings, &env, 1,
                                      &offered, &err), APR_EINVAL);
    ck_assert_str_eq(err, "SmsCloudLocalRoot is required with the local provider");
    ck_assert_int_eq(offered->nelts, 1);
    ck_assert_int_eq(sc_storage_start(P, names_of("local", "webdav"), settings, &env, 0,
                                      &offered, &err), APR_EINVAL);
    ck_assert_int_eq(offered->nelts, 0);
    /* nothing named, nothing offered (the module names its default) */
    ck_assert_int_eq(sc_storage_start(P, apr_array_make(P, 1, sizeof(const char *)),
                                      settings, &env, 0, &offered, &err), APR_SUCCESS);
    ck_assert_int_eq(offered->nelts, 0);
}
END_TEST

static const char *want(sc_setting_kind_e kind, const char *arg, const char *before,
                        const char **value)
{
    return sc_storage_setting_value(P, kind, arg, before, value);
}

START_TEST(setting_values)
{
    char dir[] = "/tmp/sc_storage_test.XXXXXX";
    const char *v = "x";

    ck_assert_ptr_null(want(SC_SETTING_STRING, "Alice's files", NULL, &v));
    ck_assert_str_eq(v, "Alice's files");
    ck_assert_str_eq(want(SC_SETTING_STRING, "", NULL, &v), "must not be empty");
    ck_assert_ptr_null(v);
    ck_assert_ptr_null(want(SC_SETTING_SECRET, "s3cret", NULL, &v));
    ck_assert_str_eq(v, "s3cret");
    ck_assert_str_eq(want(SC_SETTING_SECRET, "", NULL, &v), "must not be empty");
    ck_assert_str_eq(want(SC_SETTING_STRING, NULL, NULL, &v), "must not be empty");
    /* flags in any case, kept as "on"/"off" */
    ck_assert_ptr_null(want(SC_SETTING_FLAG, "On", NULL, &v));
    ck_assert_str_eq(v, "on");
    ck_assert_ptr_null(want(SC_SETTING_FLAG, "OFF", NULL, &v));
    ck_assert_str_eq(v, "off");
    ck_assert_str_eq(want(SC_SETTING_FLAG, "yes", NULL, &v), "On or Off");
    ck_assert_str_eq(want(SC_SETTING_FLAG, "", NULL, &v), "On or Off");
    /* a list grows line by line */
    ck_assert_ptr_null(want(SC_SETTING_LIST, "127.0.0.1", NULL, &v));
    ck_assert_str_eq(v, "127.0.0.1");
    ck_assert_ptr_null(want(SC_SETTING_LIST, "localhost", "127.0.0.1", &v));
    ck_assert_str_eq(v, "127.0.0.1 localhost");
    ck_assert_str_eq(want(SC_SETTING_LIST, "a b", NULL, &v), "words without blanks");
    ck_assert_str_eq(want(SC_SETTING_LIST, "a\tb", NULL, &v), "words without blanks");
    ck_assert_str_eq(want(SC_SETTING_LIST, "", "x", &v), "words without blanks");
    /* directories that are there */
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_ptr_null(want(SC_SETTING_DIR, dir, NULL, &v));
    ck_assert_str_eq(v, dir);
    ck_assert_str_eq(want(SC_SETTING_DIR, "/nonexistent/sc", NULL, &v),
                     "an existing directory is required");
    ck_assert_str_eq(want(SC_SETTING_DIR, "/etc/hostname", NULL, &v),
                     "an existing directory is required");
    ck_assert_str_eq(want(SC_SETTING_DIR, NULL, NULL, &v),
                     "an existing directory is required");
    rmdir(dir);
}
END_TEST

START_TEST(setting_urls)
{
    static const char *const good[] = {
        "https://api.example.com/v1", "http://127.0.0.1:8080", "HTTPS://x.example/", NULL
    };
    static const char *const bad[] = {
        "ftp://x.example", "notaurl", "https://", "https:///path", "//x.example/v1",
        "https://x.example/?a=1", "https://x.example/#top", "", NULL
    };
    const char *v;
    int i;

    for (i = 0; good[i]; i++) {
        ck_assert_msg(!want(SC_SETTING_URL, good[i], NULL, &v), "%s refused", good[i]);
        ck_assert_str_eq(v, good[i]);
    }
    for (i = 0; bad[i]; i++) {
        ck_assert_msg(want(SC_SETTING_URL, bad[i], NULL, &v) != NULL, "%s taken", bad[i]);
        ck_assert_ptr_null(v);
    }
    ck_assert_str_eq(want(SC_SETTING_URL, NULL, NULL, &v),
                     "an absolute http:// or https:// URL without query string is required");
}
END_TEST

SC_UNIT_SUITE(sc_storage_suite)

Suite *sc_storage_suite(void)
{
    Suite *s = suite_create("storage");
    TCase *tc = sc_tcase("storage");

    tcase_add_test(tc, setting_values);
    tcase_add_test(tc, setting_urls);
    tcase_add_test(tc, one_started);
    tcase_add_test(tc, one_refused);
    tcase_add_test(tc, passwords_need_the_key);
    tcase_add_test(tc, by_name);
    tcase_add_test(tc, by_name_refused);
    suite_add_tcase(s, tc);
    return s;
}
