/* test_row.c: database rows read by column name (SC01007's checks). */
#include <limits.h>
#include <string.h>

#include "sc_unit.h"
#include "sc_row.h"

/* The columns of a login code's row (mod_smscloud_dbd_login.c). */
static const char *const code_cols[] = { "phone", "code_hash", "used", "expired",
                                         "attempts_left" };

static sc_row_t *code_row(const char *used, const char *attempts_left)
{
    const char **values = apr_palloc(sc_test_pool, 5 * sizeof(*values));

    values[0] = "+447700900123";
    values[1] = "ab12";
    values[2] = used;
    values[3] = "";            /* SQL NULL, as apr_dbd_pgsql gives it */
    values[4] = attempts_left;
    return sc_row_make(sc_test_pool, "smscloud_code_find", 5, code_cols, values);
}

START_TEST(read_by_name)
{
    sc_row_t *row = code_row("t", "3");

    ck_assert_str_eq(sc_row_text(row, "code_hash"), "ab12");
    ck_assert_str_eq(sc_row_opt(row, "phone"), "+447700900123");
    ck_assert_int_eq(sc_row_bool(row, "used"), 1);
    ck_assert_int_eq(sc_row_int(row, "attempts_left", -1), 3);
    ck_assert_ptr_null(sc_row_fault(row));
    ck_assert_str_eq(sc_row_values(row)[1], "ab12");
}
END_TEST

START_TEST(sql_null)
{
    sc_row_t *row = code_row("f", "");

    ck_assert_str_eq(sc_row_text(row, "expired"), "");
    ck_assert_ptr_null(sc_row_opt(row, "expired"));
    ck_assert_int_eq(sc_row_bool(row, "expired"), 0);
    ck_assert_int_eq(sc_row_bool(row, "used"), 0);
    ck_assert_int_eq(sc_row_int(row, "attempts_left", 7), 7);
    ck_assert_int_eq(sc_row_int64(row, "attempts_left", -1), -1);
    ck_assert_ptr_null(sc_row_fault(row));
}
END_TEST

START_TEST(missing_column)
{
    sc_row_t *row = code_row("f", "3");

    ck_assert_str_eq(sc_row_text(row, "phone"), "+447700900123");
    ck_assert_str_eq(sc_row_text(row, "code"), "");
    ck_assert_ptr_null(sc_row_opt(row, "nope"));
    ck_assert_int_eq(sc_row_int(row, "attempts", 5), 5);
    ck_assert_int_eq(sc_row_bool(row, "Used"), 0);
    /* the first fault is the one reported */
    ck_assert_str_eq(sc_row_fault(row), "smscloud_code_find: column code is missing");
}
END_TEST

START_TEST(wrong_types)
{
    static const char *const bad_ints[] = { "3x", "x", "-", " ", "1.5", "0x10",
                                            "99999999999999999999" };
    static const char *const bad_bools[] = { "true", "1", "T", "yes", "tt" };
    sc_row_t *row;
    apr_size_t i;

    for (i = 0; i < sizeof(bad_ints) / sizeof(bad_ints[0]); i++) {
        row = code_row("t", bad_ints[i]);
        ck_assert_int_eq(sc_row_int(row, "attempts_left", -1), -1);
        ck_assert_str_eq(sc_row_fault(row),
                         "smscloud_code_find: column attempts_left is not an integer");
        row = code_row("t", bad_ints[i]);
        ck_assert_int_eq(sc_row_int64(row, "attempts_left", -1), -1);
        ck_assert_ptr_nonnull(sc_row_fault(row));
    }
    for (i = 0; i < sizeof(bad_bools) / sizeof(bad_bools[0]); i++) {
        row = code_row(bad_bools[i], "3");
        ck_assert_int_eq(sc_row_bool(row, "used"), 0);
        ck_assert_str_eq(sc_row_fault(row), "smscloud_code_find: column used is not a boolean");
    }
    /* a 64-bit count is no int */
    row = code_row("t", "4294967296");
    ck_assert_int_eq(sc_row_int(row, "attempts_left", -1), -1);
    ck_assert_str_eq(sc_row_fault(row),
                     "smscloud_code_find: column attempts_left is out of range");
    row = code_row("t", "4294967296");
    ck_assert(sc_row_int64(row, "attempts_left", -1) == APR_INT64_C(4294967296));
    ck_assert_ptr_null(sc_row_fault(row));
    row = code_row("t", "-2147483648");
    ck_assert_int_eq(sc_row_int(row, "attempts_left", 0), INT_MIN);
    ck_assert_ptr_null(sc_row_fault(row));
}
END_TEST

START_TEST(no_columns)
{
    sc_row_t *row = sc_row_make(sc_test_pool, "smscloud_x", 0, NULL, NULL);

    ck_assert_str_eq(sc_row_text(row, "a"), "");
    ck_assert_str_eq(sc_row_fault(row), "smscloud_x: column a is missing");
}
END_TEST

SC_UNIT_SUITE(sc_row_suite)

Suite *sc_row_suite(void)
{
    Suite *s = suite_create("row");
    TCase *tc = sc_tcase("row");

    tcase_add_test(tc, read_by_name);
    tcase_add_test(tc, sql_null);
    tcase_add_test(tc, missing_column);
    tcase_add_test(tc, wrong_types);
    tcase_add_test(tc, no_columns);
    suite_add_tcase(s, tc);
    return s;
}
