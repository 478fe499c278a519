/* test_backoff.c: the lock-out back-off of codes typed wrong (sc_backoff). */
#include "sc_unit.h"
#include "sc_backoff.h"

static int remaining(const sc_backoff_t *b, int own, int others, long since)
{
    const sc_backoff_counts_t c = { own, others, since };

    return sc_backoff_remaining(b, &c);
}

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
    ck_assert_int_eq(remaining(&b, 0, 50, 0), 0);
    /* ...while the stranger waits */
    ck_assert_int_eq(remaining(&b, 50, 0, 0), 3600);
    ck_assert_int_eq(remaining(&b, 6, 0, 10), 20);
    ck_assert_int_eq(remaining(&b, 6, 0, 30), 0);
    ck_assert_int_eq(remaining(&b, 6, 0, 100000), 0);
    ck_assert_int_eq(remaining(&b, 6, 0, -5), 30);
}
END_TEST

START_TEST(after_wrong)
{
    const sc_backoff_t b = { 5, 13 };
    sc_backoff_counts_t c = { 4, 0, 500 };

    /* the 5th failure is free, the 6th waits 30 s from now, whenever the
     * last one was */
    ck_assert_int_eq(sc_backoff_after_wrong(&b, &c), 0);
    c.own = 5;
    ck_assert_int_eq(sc_backoff_after_wrong(&b, &c), 30);
    c.own = 6;
    ck_assert_int_eq(sc_backoff_after_wrong(&b, &c), 60);
    /* what the others did counts a tenth */
    c.own = 0;
    c.others = 50;
    ck_assert_int_eq(sc_backoff_after_wrong(&b, &c), 30);
    c.own = -3;
    c.others = 0;
    ck_assert_int_eq(sc_backoff_after_wrong(&b, &c), 0);
    c.own = 12;
    ck_assert_int_eq(sc_backoff_after_wrong(&b, &c), 3600);
}
END_TEST

SC_UNIT_SUITE(sc_backoff_suite)

Suite *sc_backoff_suite(void)
{
    Suite *s = suite_create("backoff");
    TCase *tc = sc_tcase("backoff");

    tcase_add_test(tc, backoff);
    tcase_add_test(tc, after_wrong);
    suite_add_tcase(s, tc);
    return s;
}
