/* test_sms_state.c: the SMS state and its JSON codec (sc_sms_state). */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_sms_state.h"
#include "sc_storage.h"

static const sc_sms_entry_t *nth(const apr_array_header_t *a, int i)
{
    return APR_ARRAY_IDX(a, i, const sc_sms_entry_t *);
}

START_TEST(listing_round_trip)
{
    apr_pool_t *p = sc_test_pool;
    apr_array_header_t *in = apr_array_make(p, 4, sizeof(sc_sms_entry_t *)), *out;
    const char *json;

    APR_ARRAY_PUSH(in, sc_sms_entry_t *) = sc_test_entry("7", SC_ENTRY_ACCOUNT, "Dropbox (a@b)",
                                                         -1);
    APR_ARRAY_PUSH(in, sc_sms_entry_t *) = sc_test_entry("fold_x", SC_ENTRY_FOLDER,
                                                         "a&b<c>\"q'", -1);
    APR_ARRAY_PUSH(in, sc_sms_entry_t *) = sc_test_entry("file/1?x=2", SC_ENTRY_FILE,
                                                 "caf\xC3\xA9 \xF0\x9F\x98\x80.txt",
                                                 APR_INT64_C(5000000000));
    json = sc_sms_listing_encode(p, in);
    ck_assert_ptr_nonnull(json);
    ck_assert_int_eq(sc_sms_listing_decode(p, json, &out), APR_SUCCESS);
    ck_assert_int_eq(out->nelts, 3);
    ck_assert_str_eq(nth(out, 0)->id, "7");
    ck_assert_int_eq(nth(out, 0)->kind, SC_ENTRY_ACCOUNT);
    ck_assert_str_eq(nth(out, 1)->name, "a&b<c>\"q'");
    ck_assert_int_eq(nth(out, 1)->kind, SC_ENTRY_FOLDER);
    ck_assert_str_eq(nth(out, 2)->id, "file/1?x=2");
    ck_assert_str_eq(nth(out, 2)->name, "caf\xC3\xA9 \xF0\x9F\x98\x80.txt");
    ck_assert_int_eq(nth(out, 2)->kind, SC_ENTRY_FILE);
    ck_assert(nth(out, 2)->size == APR_INT64_C(5000000000));
    ck_assert_str_eq(sc_sms_listing_encode(p, apr_array_make(p, 1, sizeof(void *))), "[]");
}
END_TEST

START_TEST(folders_round_trip)
{
    apr_pool_t *p = sc_test_pool;
    apr_array_header_t *in = apr_array_make(p, 2, sizeof(sc_sms_folder_t *)), *out;
    sc_sms_folder_t a = { "fold_docs", "Documents" }, b = { "fold_archive", "Ar\"chive" };

    APR_ARRAY_PUSH(in, sc_sms_folder_t *) = &a;
    APR_ARRAY_PUSH(in, sc_sms_folder_t *) = &b;
    ck_assert_int_eq(sc_sms_folders_decode(p, sc_sms_folders_encode(p, in), &out),
                     APR_SUCCESS);
    ck_assert_int_eq(out->nelts, 2);
    ck_assert_str_eq(APR_ARRAY_IDX(out, 0, sc_sms_folder_t *)->id, "fold_docs");
    ck_assert_str_eq(APR_ARRAY_IDX(out, 1, sc_sms_folder_t *)->name, "Ar\"chive");
    ck_assert_int_eq(sc_sms_folders_decode(p, "[]", &out), APR_SUCCESS);
    ck_assert_int_eq(out->nelts, 0);
}
END_TEST

/* A damaged row must give an empty state, never a half-read one. */
START_TEST(decode_rejects_damage)
{
    apr_pool_t *p = sc_test_pool;
    apr_array_header_t *out;
    static const char *const bad_listings[] = {
        "", "{}", "[", "[[\"f\",\"1\",\"x\"],",
        "[[\"z\",\"1\",\"x\"]]", "[[\"fd\",\"1\",\"x\"]]",
        "[[\"f\",\"1\",\"x\"],[\"f\",\"y\"]]",
        "[[\"f\",\"\",\"x\"]]", "[[\"f\",\"1\"]]", "[[\"f\",\"1\",\"x\",-1]]",
        "[[\"f\",\"1\",\"x\",\"big\"]]", "[[\"f\",\"1\",\"x\",1,2]]",
        "[[\"f\",\"a%00b\",\"x\"]]", "[[\"f\",\"a%zz\",\"x\"]]",
        "[{\"id\":\"1\",\"name\":\"x\",\"kind\":\"file\"}]", "[1]", NULL
    };
    int i;

    for (i = 0; bad_listings[i]; i++) {
        ck_assert_msg(sc_sms_listing_decode(p, bad_listings[i], &out) == APR_EINVAL,
                      "accepted %s", bad_listings[i]);
        ck_assert_ptr_nonnull(out);
        ck_assert_int_eq(out->nelts, 0);
    }
    ck_assert_int_eq(sc_sms_listing_decode(p, NULL, &out), APR_EINVAL);
    ck_assert_int_eq(out->nelts, 0);
    ck_assert_int_eq(sc_sms_folders_decode(p, "[{\"id\":\"a\"}]", &out), APR_EINVAL);
    ck_assert_int_eq(out->nelts, 0);
    ck_assert_int_eq(sc_sms_folders_decode(p, "[{\"id\":\"a%00\",\"name\":\"a\"}]", &out),
                     APR_EINVAL);
    ck_assert_int_eq(sc_sms_folders_decode(p, "nonsense", &out), APR_EINVAL);
}
END_TEST

/* Names in a row are sanitized on the way back in. */
START_TEST(decode_sanitizes_names)
{
    apr_array_header_t *out;

    ck_assert_int_eq(sc_sms_listing_decode(sc_test_pool, "[[\"f\",\"1\",\"a\\u0001b\"]]",
                                           &out), APR_SUCCESS);
    ck_assert_str_eq(nth(out, 0)->name, "ab");
    ck_assert(nth(out, 0)->size == -1);
}
END_TEST

/* Ids are any bytes (a local file name need not be UTF-8); what is stored
 * is valid UTF-8 and compact, and gives the same bytes back. */
START_TEST(ids_of_any_bytes)
{
    apr_pool_t *p = sc_test_pool;
    apr_array_header_t *in = apr_array_make(p, 2, sizeof(sc_sms_entry_t *)), *out;
    apr_array_header_t *fin = apr_array_make(p, 1, sizeof(sc_sms_folder_t *)), *fout;
    sc_sms_folder_t f = { "bad\xFF\xFE dir/%41", "bad\xEF\xBF\xBD dir" };
    const char *json;

    APR_ARRAY_PUSH(in, sc_sms_entry_t *) = sc_test_entry("dir/bad\xFF\xFE.txt", SC_ENTRY_FILE,
                                                 "bad\xEF\xBF\xBD\xEF\xBF\xBD.txt", 1);
    APR_ARRAY_PUSH(in, sc_sms_entry_t *) = sc_test_entry("Photos", SC_ENTRY_FOLDER, "Photos", -1);
    json = sc_sms_listing_encode(p, in);
    ck_assert_ptr_nonnull(json);
    ck_assert(sc_test_utf8_valid(json, strlen(json)));
    ck_assert_str_eq(json, "[[\"f\",\"dir%2fbad%ff%fe.txt\",\"bad\xEF\xBF\xBD\xEF\xBF\xBD.txt\",1],"
                           "[\"d\",\"Photos\",\"Photos\"]]");
    ck_assert_int_eq(sc_sms_listing_decode(p, json, &out), APR_SUCCESS);
    ck_assert_str_eq(nth(out, 0)->id, "dir/bad\xFF\xFE.txt");
    ck_assert_str_eq(nth(out, 1)->id, "Photos");
    APR_ARRAY_PUSH(fin, sc_sms_folder_t *) = &f;
    json = sc_sms_folders_encode(p, fin);
    ck_assert(sc_test_utf8_valid(json, strlen(json)));
    ck_assert_int_eq(sc_sms_folders_decode(p, json, &fout), APR_SUCCESS);
    ck_assert_str_eq(APR_ARRAY_IDX(fout, 0, sc_sms_folder_t *)->id, f.id);
}
END_TEST

START_TEST(state_reset)
{
    sc_sms_state_t *st = sc_sms_state_new(sc_test_pool);

    ck_assert_ptr_null(st->account_ref);
    ck_assert_int_eq(st->folders->nelts, 0);
    ck_assert_int_eq(st->listing->nelts, 0);
    st->account_ref = "3";
    st->next_index = 9;
    APR_ARRAY_PUSH(st->listing, sc_sms_entry_t *) = sc_test_entry("x", SC_ENTRY_FILE, "x", 1);
    sc_sms_state_reset(sc_test_pool, st);
    ck_assert_ptr_null(st->account_ref);
    ck_assert_int_eq(st->listing->nelts, 0);
    ck_assert_int_eq(st->next_index, 0);
}
END_TEST

SC_UNIT_SUITE(sc_sms_state_suite)

Suite *sc_sms_state_suite(void)
{
    Suite *s = suite_create("sms_state");
    TCase *tc = sc_tcase("core");

    tcase_add_test(tc, listing_round_trip);
    tcase_add_test(tc, folders_round_trip);
    tcase_add_test(tc, decode_rejects_damage);
    tcase_add_test(tc, decode_sanitizes_names);
    tcase_add_test(tc, ids_of_any_bytes);
    tcase_add_test(tc, state_reset);
    suite_add_tcase(s, tc);
    return s;
}
