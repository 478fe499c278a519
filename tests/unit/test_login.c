/* test_login.c: the rules of the web login's code check. */
#include <string.h>

#include "sc_unit.h"
#include "sc_login.h"

START_TEST(typed_codes)
{
    ck_assert_str_eq(sc_login_code_clean(sc_test_pool, "123 456"), "123456");
    ck_assert_str_eq(sc_login_code_clean(sc_test_pool, " 12-34\t56 "), "123456");
    ck_assert_str_eq(sc_login_code_clean(sc_test_pool, "12a4"), "12a4");
    ck_assert_str_eq(sc_login_code_clean(sc_test_pool, "- -"), "");
    ck_assert_str_eq(sc_login_code_clean(sc_test_pool, NULL), "");
}
END_TEST

START_TEST(checks)
{
    const sc_backoff_t policy = { 5, 13 };
    sc_login_code_t code = { "+15550001111", "aa11", 0, 0, 5 };
    sc_backoff_counts_t none = { 0, 0, 0 }, waiting = { 6, 0, 10 }, waited = { 6, 0, 30 };
    const char *why;
    int wait;

    /* a dead code: the same whatever was typed, nothing to wait for */
    ck_assert_int_eq(sc_login_check(&policy, NULL, &waiting, "aa11", &wait, &why),
                     SC_LOGIN_DEAD);
    ck_assert_str_eq(why, "unknown login attempt");
    ck_assert_int_eq(wait, 0);
    code.used = 1;
    ck_assert_int_eq(sc_login_check(&policy, &code, &none, "aa11", &wait, &why),
                     SC_LOGIN_DEAD);
    ck_assert_str_eq(why, "code already used");
    code.used = 0;
    code.expired = 1;
    ck_assert_int_eq(sc_login_check(&policy, &code, &none, "bb22", &wait, &why),
                     SC_LOGIN_DEAD);
    ck_assert_str_eq(why, "code expired");
    code.expired = 0;
    code.attempts_left = 0;
    ck_assert_int_eq(sc_login_check(&policy, &code, &waiting, "aa11", &wait, &why),
                     SC_LOGIN_DEAD);
    ck_assert_str_eq(why, "no attempts left");
    code.attempts_left = 5;

    /* a wait comes before the compare: even the right code is not checked */
    ck_assert_int_eq(sc_login_check(&policy, &code, &waiting, "aa11", &wait, &why),
                     SC_LOGIN_WAIT);
    ck_assert_int_eq(wait, 20);
    ck_assert_ptr_null(why);
    ck_assert_int_eq(sc_login_check(&policy, &code, &waited, "aa11", &wait, &why),
                     SC_LOGIN_RIGHT);
    ck_assert_int_eq(sc_login_check(&policy, &code, &none, "aa11", &wait, &why),
                     SC_LOGIN_RIGHT);
    ck_assert_int_eq(wait, 0);

    /* wrong: the wait the failure it adds imposes */
    ck_assert_int_eq(sc_login_check(&policy, &code, &none, "aa12", &wait, &why),
                     SC_LOGIN_WRONG);
    ck_assert_int_eq(wait, 0);
    ck_assert_int_eq(sc_login_check(&policy, &code, &waited, "aa1", &wait, &why),
                     SC_LOGIN_WRONG);
    ck_assert_int_eq(wait, 60);
    ck_assert_int_eq(sc_login_check(&policy, &code, &none, NULL, &wait, &why),
                     SC_LOGIN_WRONG);
}
END_TEST

START_TEST(wait_texts)
{
    ck_assert_str_eq(sc_login_wait_text(sc_test_pool, 1), "1 second");
    ck_assert_str_eq(sc_login_wait_text(sc_test_pool, 59), "59 seconds");
    ck_assert_str_eq(sc_login_wait_text(sc_test_pool, 60), "1 minute");
    ck_assert_str_eq(sc_login_wait_text(sc_test_pool, 61), "2 minutes");
    ck_assert_str_eq(sc_login_wait_text(sc_test_pool, 3540), "59 minutes");
    ck_assert_str_eq(sc_login_wait_text(sc_test_pool, 3541), "1 hour");
    ck_assert_str_eq(sc_login_wait_text(sc_test_pool, 7200), "1 hour");
}
END_TEST

START_TEST(refusals)
{
    sc_login_refusal_t no;

    sc_login_refusal(sc_test_pool, SC_LOGIN_WRONG, 3, 0, &no);
    ck_assert_int_eq(no.status, 400);
    ck_assert_int_eq(no.left, 2);
    ck_assert_int_eq(no.form, 1);
    ck_assert_str_eq(no.error, "Wrong code. 2 attempts left.");
    sc_login_refusal(sc_test_pool, SC_LOGIN_WRONG, 2, 0, &no);
    ck_assert_str_eq(no.error, "Wrong code. 1 attempt left.");
    ck_assert_int_eq(no.form, 1);
    sc_login_refusal(sc_test_pool, SC_LOGIN_WRONG, 1, 0, &no);
    ck_assert_int_eq(no.left, 0);
    ck_assert_int_eq(no.form, 0);
    ck_assert_str_eq(no.error, "Wrong code, and no attempts left. Please ask for a new code.");

    sc_login_refusal(sc_test_pool, SC_LOGIN_WAIT, 5, 90, &no);
    ck_assert_int_eq(no.status, 429);
    ck_assert_int_eq(no.form, 1);
    ck_assert_str_eq(no.error, "Too many wrong codes were entered. Please wait 2 minutes, "
                     "then try again.");

    sc_login_refusal(sc_test_pool, SC_LOGIN_DEAD, 5, 0, &no);
    ck_assert_int_eq(no.status, 400);
    ck_assert_int_eq(no.form, 0);
    ck_assert_str_eq(no.error, SC_LOGIN_DEAD_CODE);
}
END_TEST

START_TEST(outcomes_and_next)
{
    ck_assert_int_eq(sc_login_check_outcome(SC_LOGIN_RIGHT), SC_METRIC_OTP_APPROVALS);
    ck_assert_int_eq(sc_login_check_outcome(SC_LOGIN_WAIT), SC_METRIC_OTP_LOCKOUTS);
    ck_assert_int_eq(sc_login_check_outcome(SC_LOGIN_WRONG), SC_METRIC_OTP_FAILURES);
    ck_assert_int_eq(sc_login_check_outcome(SC_LOGIN_DEAD), SC_METRIC_OTP_FAILURES);

    ck_assert_str_eq(sc_login_next("/app/page", 1), "/app/page");
    ck_assert_str_eq(sc_login_next("/app/page", 0), "/app/page");
    ck_assert_str_eq(sc_login_next(NULL, 1), "/");
    ck_assert_str_eq(sc_login_next(NULL, 0), "/connect");
}
END_TEST

START_TEST(send_failures)
{
    sc_sms_result_t res = { 0, 21211, "that number is not valid", NULL };
    const char *error;

    ck_assert_int_eq(sc_login_send_failure(sc_test_pool, APR_SUCCESS, &res, &error), 400);
    ck_assert_str_eq(error, "We could not send a code: that number is not valid.");
    res.error_code = SC_SMS_REFUSED_COUNTRY;
    ck_assert_int_eq(sc_login_send_failure(sc_test_pool, APR_SUCCESS, &res, &error), 400);
    res.error_code = SC_SMS_REFUSED_BUSY;
    res.reason = "too many texts right now";
    ck_assert_int_eq(sc_login_send_failure(sc_test_pool, APR_SUCCESS, &res, &error), 429);
    ck_assert_str_eq(error, "We could not send a code: too many texts right now.");
    res.error_code = 500;
    res.reason = NULL;
    ck_assert_int_eq(sc_login_send_failure(sc_test_pool, APR_SUCCESS, &res, &error), 503);
    ck_assert_str_eq(error, "We could not send a code: " SC_SMS_REASON_UNAVAILABLE ".");
    /* no answer at all: never the recipient's fault */
    res.error_code = 21211;
    ck_assert_int_eq(sc_login_send_failure(sc_test_pool, APR_EGENERAL, &res, &error), 503);
}
END_TEST

SC_UNIT_SUITE(sc_login_suite)

Suite *sc_login_suite(void)
{
    Suite *s = suite_create("login");
    TCase *tc = sc_tcase("login");

    tcase_add_test(tc, typed_codes);
    tcase_add_test(tc, checks);
    tcase_add_test(tc, wait_texts);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, outcomes_and_next);
    tcase_add_test(tc, send_failures);
    suite_add_tcase(s, tc);
    return s;
}
