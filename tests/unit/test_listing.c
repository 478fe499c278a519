/* test_listing.c: what a provider's items become in an SMS listing: order,
 * safe names, numbered lines (sc_listing). */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_listing.h"
#include "sc_paging.h"
#include "sc_sms_state.h"

#define ITEM(id, name, is_folder, size) \
    (APR_ARRAY_PUSH(items, sc_storage_item_t *) = sc_test_item(id, name, is_folder, size))

static const sc_sms_entry_t *nth(const apr_array_header_t *a, int i)
{
    return APR_ARRAY_IDX(a, i, const sc_sms_entry_t *);
}

/* A provider's raw name is made safe before it is shown or stored. */
START_TEST(listing_names_made_safe)
{
    apr_pool_t *p = sc_test_pool;
    apr_array_header_t *items = apr_array_make(p, 2, sizeof(sc_storage_item_t *)), *l;
    const char *json;

    ITEM("bad\xFF\xFE.txt", "bad\xFF\xFE.txt", 0, 2);
    l = sc_listing_from_items(p, items);
    ck_assert_int_eq(l->nelts, 1);
    ck_assert_str_eq(nth(l, 0)->id, "bad\xFF\xFE.txt");
    ck_assert_str_eq(nth(l, 0)->name, "bad\xEF\xBF\xBD\xEF\xBF\xBD.txt");
    json = sc_sms_listing_encode(p, l);
    ck_assert(sc_test_utf8_valid(json, strlen(json)));
}
END_TEST

START_TEST(listing_order)
{
    apr_pool_t *p = sc_test_pool;
    apr_array_header_t *items = apr_array_make(p, 8, sizeof(sc_storage_item_t *)), *l;

    ITEM("f_b", "beta.txt", 0, 10);
    ITEM("d_z", "zeta", 1, -1);
    ITEM("f_a", "Alpha.txt", 0, 2048);
    ITEM("d_a", "archive", 1, -1);
    ITEM("f_A2", "alpha.txt", 0, 1);
    ITEM("", "no id", 0, 1);
    ITEM("d_B", "Beta", 1, -1);
    l = sc_listing_from_items(p, items);
    ck_assert_int_eq(l->nelts, 6);
    ck_assert_str_eq(nth(l, 0)->id, "d_a");
    ck_assert_str_eq(nth(l, 1)->id, "d_B");
    ck_assert_str_eq(nth(l, 2)->id, "d_z");
    ck_assert_str_eq(nth(l, 3)->id, "f_a");      /* "Alpha" < "alpha" byte-wise */
    ck_assert_str_eq(nth(l, 4)->id, "f_A2");
    ck_assert_str_eq(nth(l, 5)->id, "f_b");
    ck_assert_int_eq(nth(l, 0)->kind, SC_ENTRY_FOLDER);
    ck_assert_int_eq(nth(l, 5)->kind, SC_ENTRY_FILE);
    ck_assert(nth(l, 0)->size == -1);
}
END_TEST

START_TEST(listing_lines)
{
    apr_pool_t *p = sc_test_pool;
    apr_array_header_t *in = apr_array_make(p, 4, sizeof(sc_sms_entry_t *)), *lines;

    APR_ARRAY_PUSH(in, sc_sms_entry_t *) = sc_test_entry("1", SC_ENTRY_ACCOUNT,
                                                 "Dropbox (alice@example.com)", -1);
    APR_ARRAY_PUSH(in, sc_sms_entry_t *) = sc_test_entry("d", SC_ENTRY_FOLDER, "Documents", -1);
    APR_ARRAY_PUSH(in, sc_sms_entry_t *) = sc_test_entry("f", SC_ENTRY_FILE, "notes.txt", 1234);
    APR_ARRAY_PUSH(in, sc_sms_entry_t *) = sc_test_entry("g", SC_ENTRY_FILE, "a\nb\tc\x01", -1);
    APR_ARRAY_PUSH(in, sc_sms_entry_t *) = sc_test_entry("h", SC_ENTRY_FILE, "", 0);
    lines = sc_listing_lines(p, in);
    ck_assert_int_eq(lines->nelts, 5);
    ck_assert_str_eq(APR_ARRAY_IDX(lines, 0, const char *), "1 Dropbox (alice@example.com)");
    ck_assert_str_eq(APR_ARRAY_IDX(lines, 1, const char *), "2 Documents/");
    ck_assert_str_eq(APR_ARRAY_IDX(lines, 2, const char *), "3 notes.txt (1.2 KB)");
    ck_assert_str_eq(APR_ARRAY_IDX(lines, 3, const char *), "4 a b c");
    ck_assert_str_eq(APR_ARRAY_IDX(lines, 4, const char *), "5 (no name) (0 B)");
}
END_TEST

/* A page of a listing is sc_page_build's of all its lines. */
START_TEST(listing_page)
{
    apr_pool_t *p = sc_test_pool;
    apr_array_header_t *in = apr_array_make(p, 300, sizeof(sc_sms_entry_t *)), *lines;
    int i, start, next, lazy_next;

    for (i = 0; i < 300; i++) {
        APR_ARRAY_PUSH(in, sc_sms_entry_t *) =
            sc_test_entry(apr_psprintf(p, "f%d", i), i < 5 ? SC_ENTRY_FOLDER : SC_ENTRY_FILE,
                          apr_psprintf(p, "report-%03d\n.txt", i), i * 1000);
    }
    lines = sc_listing_lines(p, in);
    for (i = 0; i < 300; i++) {
        ck_assert_str_eq(sc_listing_line(p, in, i), APR_ARRAY_IDX(lines, i, const char *));
    }
    for (start = 0; start < 300; start = next) {
        const char *page = sc_page_build(p, lines, start, 1600, &next);

        ck_assert_str_eq(sc_listing_page(p, in, start, 1600, &lazy_next), page);
        ck_assert_int_eq(lazy_next, next);
    }
    ck_assert_str_eq(sc_listing_page(p, in, 300, 1600, &next), "");
    ck_assert_int_eq(next, 300);
    ck_assert_str_eq(sc_listing_page(p, NULL, 0, 1600, &next), "");
    ck_assert_int_eq(next, 0);
}
END_TEST

SC_UNIT_SUITE(sc_listing_suite)

Suite *sc_listing_suite(void)
{
    Suite *s = suite_create("listing");
    TCase *tc = sc_tcase("listing");

    tcase_add_test(tc, listing_names_made_safe);
    tcase_add_test(tc, listing_order);
    tcase_add_test(tc, listing_lines);
    tcase_add_test(tc, listing_page);
    suite_add_tcase(s, tc);
    return s;
}
