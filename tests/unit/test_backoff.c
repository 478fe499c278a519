/* test_backoff.c: the lock-out back-off of codes typed wrong (sc_backoff). */
#include "sc_unit.h"
#include "sc_backoff.h"

START_TEST(backoff)
{
    const sc_backoff_t b = { 5, 100 };
    const sc_backoff_t low = { 5, 7 };

    ck_assert_int_eq(sc_backoff_wait(&b, 0), 0);
    ck_assert_int_eq(sc_backoff_wait(&b, 5), 0);
    ck_assert_int_eq(sc_backoff_wait(&b, 6), 30);
    ck_assert_int_eq(sc_backoff_wait(&b, 7), 60);
    ck_assert_int_eq(sc_backoff_wait(&b, 12), 1920);
    ck_assert_int_eq(sc_backoff_wait(&b, 13), 3600);
    ck_assert_int_eq(sc_backoff_wait(&b, 99), 3600);
    ck_assert_int_eq(sc_backoff_wait(&b, 1000000), 3600);
    ck_assert_int_eq(sc_backoff_wait(&low, 7), 3600);
    ck_assert_int_eq(sc_backoff_weighted(3, 29), 5);
    ck_assert_int_eq(sc_backoff_weighted(-1, -1), 0);
    /* a stranger's 50 failures leave the owner without a wait... */
    ck_assert_int_eq(sc_backoff_remaining(&b, 0, 50, 0), 0);
    /* ...while the stranger waits */
    ck_assert_int_eq(sc_backoff_remaining(&b, 50, 0, 0), 3600);
    ck_assert_int_eq(sc_backoff_remaining(&b, 6, 0, 10), 20);
    ck_assert_int_eq(sc_backoff_remaining(&b, 6, 0, 30), 0);
    ck_assert_int_eq(sc_backoff_remaining(&b, 6, 0, 100000), 0);
    ck_assert_int_eq(sc_backoff_remaining(&b, 6, 0, -5), 30);
}
END_TEST

SC_UNIT_SUITE(sc_backoff_suite)

Suite *sc_backoff_suite(void)
{
    Suite *s = suite_create("backoff");
    TCase *tc = sc_tcase("backoff");

    tcase_add_test(tc, backoff);
    suite_add_tcase(s, tc);
    return s;
}
