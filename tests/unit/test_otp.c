/* test_otp.c: OTP services, ids, keys, the decisions on sends and checks. */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_otp.h"
#include "sc_twilio.h"

#define VA "VA0123456789abcdef0123456789abcdef"

START_TEST(services)
{
    char *ok[] = { VA, "Shop", "length=8", "lifetime=300", "attempts=3", "sends=2",
                   "message=Code {code} for {service}" };
    char *bad_sid[] = { "VA0123", "Shop" };
    char *bad_opt[] = { VA, "Shop", "length=3" };
    char *bad_msg[] = { VA, "Shop", "message=no code here" };
    char *unknown[] = { VA, "Shop", "colour=red" };
    char *bad_name[] = { VA, "Shop\nX" };
    sc_otp_service_t *s = NULL;
    const char *err;

    ck_assert_int_eq(sc_otp_service_parse(sc_test_pool, 7, ok, &s, &err), APR_SUCCESS);
    ck_assert_str_eq(s->sid, VA);
    ck_assert_int_eq(s->code_length, 8);
    ck_assert_int_eq(s->lifetime, 300);
    ck_assert_int_eq(s->checks, 3);
    ck_assert_int_eq(s->sends, 2);
    ck_assert_str_eq(sc_otp_message(sc_test_pool, s, NULL, NULL, "12345678"),
                     "Code 12345678 for Shop");
    ck_assert_str_eq(sc_otp_message(sc_test_pool, s, "{service}: {code} ({minutes} min)",
                                    "Other", "1"), "Other: 1 (5 min)");
    ck_assert_int_eq(sc_otp_service_parse(sc_test_pool, 2, ok, &s, &err), APR_SUCCESS);
    ck_assert_int_eq(s->code_length, SC_OTP_DEFAULT_LENGTH);
    ck_assert_int_eq(s->lifetime, SC_OTP_DEFAULT_LIFETIME);
    ck_assert_int_eq(s->checks, SC_OTP_DEFAULT_CHECKS);
    ck_assert_int_eq(s->sends, SC_OTP_DEFAULT_SENDS);
    ck_assert_int_eq(sc_otp_service_parse(sc_test_pool, 2, bad_sid, &s, &err), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "service SID"));
    ck_assert_int_eq(sc_otp_service_parse(sc_test_pool, 3, bad_opt, &s, &err), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "length="));
    ck_assert_int_eq(sc_otp_service_parse(sc_test_pool, 3, bad_msg, &s, &err), APR_EINVAL);
    ck_assert_int_eq(sc_otp_service_parse(sc_test_pool, 3, unknown, &s, &err), APR_EINVAL);
    ck_assert_int_eq(sc_otp_service_parse(sc_test_pool, 2, bad_name, &s, &err), APR_EINVAL);
    ck_assert_int_eq(sc_otp_service_parse(sc_test_pool, 1, ok, &s, &err), APR_EINVAL);
}
END_TEST

START_TEST(sids)
{
    const char *a, *b;

    ck_assert_int_eq(sc_twilio_sid_ok(VA, "VA"), 1);
    ck_assert_int_eq(sc_twilio_sid_ok(VA, "VE"), 0);
    ck_assert_int_eq(sc_twilio_sid_ok("VA0123456789ABCDEF0123456789abcdef", "VA"), 0);
    ck_assert_int_eq(sc_twilio_sid_ok("VA0123456789abcdef0123456789abcde", "VA"), 0);
    ck_assert_int_eq(sc_twilio_sid_ok(NULL, "VA"), 0);
    ck_assert_int_eq(sc_otp_new_sid(sc_test_pool, "VE", &a), APR_SUCCESS);
    ck_assert_int_eq(sc_otp_new_sid(sc_test_pool, "VE", &b), APR_SUCCESS);
    ck_assert_int_eq(sc_twilio_sid_ok(a, "VE"), 1);
    ck_assert_str_ne(a, b);
}
END_TEST

/* What a friendly name may be, the configured one and a request's alike. */
START_TEST(friendly_names)
{
    char max[SC_OTP_NAME_MAX + 2];

    memset(max, 'a', SC_OTP_NAME_MAX);
    max[SC_OTP_NAME_MAX] = '\0';
    ck_assert_int_eq(sc_otp_name_ok("Shop"), 1);
    ck_assert_int_eq(sc_otp_name_ok("a ~"), 1);
    ck_assert_int_eq(sc_otp_name_ok(max), 1);
    max[SC_OTP_NAME_MAX] = 'a';
    max[SC_OTP_NAME_MAX + 1] = '\0';
    ck_assert_int_eq(sc_otp_name_ok(max), 0);
    ck_assert_int_eq(sc_otp_name_ok(""), 0);
    ck_assert_int_eq(sc_otp_name_ok(NULL), 0);
    ck_assert_int_eq(sc_otp_name_ok("a\tb"), 0);
    ck_assert_int_eq(sc_otp_name_ok("a\x7f"), 0);
    ck_assert_int_eq(sc_otp_name_ok("caf\xc3\xa9"), 0);
}
END_TEST

START_TEST(keys)
{
    /* printf %s secret | sha256sum */
    const char *h = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

    ck_assert_str_eq(sc_otp_secret_hash(sc_test_pool, "secret"), h);
    ck_assert_int_eq(sc_otp_key_ok(sc_test_pool, "secret", h), 1);
    ck_assert_int_eq(sc_otp_key_ok(sc_test_pool, "Secret", h), 0);
    ck_assert_int_eq(sc_otp_key_ok(sc_test_pool, "", h), 0);
    ck_assert_int_eq(sc_otp_key_ok(sc_test_pool, NULL, h), 0);
    ck_assert_int_eq(sc_otp_key_ok(sc_test_pool, "secret", NULL), 0);
}
END_TEST

START_TEST(decisions)
{
    ck_assert_int_eq(sc_otp_check_decide(0, 0, 5, 1), SC_OTP_UNKNOWN);
    ck_assert_int_eq(sc_otp_check_decide(1, 1, 5, 1), SC_OTP_EXPIRED);
    ck_assert_int_eq(sc_otp_check_decide(1, 0, 0, 1), SC_OTP_NO_CHECKS);
    ck_assert_int_eq(sc_otp_check_decide(1, 0, 1, 1), SC_OTP_RIGHT);
    ck_assert_int_eq(sc_otp_check_decide(1, 0, 2, 0), SC_OTP_WRONG);
    ck_assert_int_eq(sc_otp_check_decide(1, 0, 1, 0), SC_OTP_WRONG_LAST);
}
END_TEST

/* A dead web code: why, for the log; NULL while it can be checked. */
START_TEST(dead_codes)
{
    ck_assert_str_eq(sc_otp_code_dead(0, 0, 0, 5), "unknown login attempt");
    ck_assert_str_eq(sc_otp_code_dead(1, 1, 0, 5), "code already used");
    ck_assert_str_eq(sc_otp_code_dead(1, 1, 1, 0), "code already used");
    ck_assert_str_eq(sc_otp_code_dead(1, 0, 1, 5), "code expired");
    ck_assert_str_eq(sc_otp_code_dead(1, 0, 0, 0), "no attempts left");
    ck_assert_ptr_null(sc_otp_code_dead(1, 0, 0, 1));
}
END_TEST

/* What a check writes, and how the metrics count it. */
START_TEST(check_effects)
{
    ck_assert_int_eq(sc_otp_check_effect(SC_OTP_RIGHT, 0), SC_OTP_DROP);
    ck_assert_int_eq(sc_otp_check_effect(SC_OTP_EXPIRED, 0), SC_OTP_DROP);
    ck_assert_int_eq(sc_otp_check_effect(SC_OTP_WRONG, 1), SC_OTP_COUNT_WRONG);
    ck_assert_int_eq(sc_otp_check_effect(SC_OTP_WRONG_LAST, 0), SC_OTP_COUNT_WRONG);
    ck_assert_int_eq(sc_otp_check_effect(SC_OTP_WRONG_LAST, 1), SC_OTP_DROP);
    ck_assert_int_eq(sc_otp_check_effect(SC_OTP_NO_CHECKS, 1), SC_OTP_KEEP);
    ck_assert_int_eq(sc_otp_check_effect(SC_OTP_UNKNOWN, 1), SC_OTP_KEEP);

    ck_assert_int_eq(sc_otp_check_outcome(0, SC_OTP_RIGHT), SC_METRIC_OTP_APPROVALS);
    ck_assert_int_eq(sc_otp_check_outcome(1, SC_OTP_UNKNOWN), SC_METRIC_OTP_LOCKOUTS);
    ck_assert_int_eq(sc_otp_check_outcome(0, SC_OTP_NO_CHECKS), SC_METRIC_OTP_LOCKOUTS);
    ck_assert_int_eq(sc_otp_check_outcome(0, SC_OTP_WRONG), SC_METRIC_OTP_FAILURES);
    ck_assert_int_eq(sc_otp_check_outcome(0, SC_OTP_EXPIRED), SC_METRIC_OTP_FAILURES);
    ck_assert_int_eq(sc_otp_check_outcome(0, SC_OTP_UNKNOWN), SC_METRIC_OTP_FAILURES);
}
END_TEST

/* A send: new, again, or none left; an expired or replaced one goes first. */
START_TEST(send_decisions)
{
    int drop = -1;

    ck_assert_int_eq(sc_otp_send_decide(0, 0, 0, 0, 5, &drop), SC_OTP_SEND_NEW);
    ck_assert_int_eq(drop, 0);
    ck_assert_int_eq(sc_otp_send_decide(0, 0, 1, 0, 5, &drop), SC_OTP_SEND_NEW);
    ck_assert_int_eq(drop, 0);
    ck_assert_int_eq(sc_otp_send_decide(1, 0, 0, 1, 5, &drop), SC_OTP_SEND_AGAIN);
    ck_assert_int_eq(drop, 0);
    ck_assert_int_eq(sc_otp_send_decide(1, 0, 0, 4, 5, &drop), SC_OTP_SEND_AGAIN);
    ck_assert_int_eq(sc_otp_send_decide(1, 0, 0, 5, 5, &drop), SC_OTP_SEND_NONE);
    ck_assert_int_eq(drop, 0);
    ck_assert_int_eq(sc_otp_send_decide(1, 1, 0, 5, 5, &drop), SC_OTP_SEND_NEW);
    ck_assert_int_eq(drop, 1);
    ck_assert_int_eq(sc_otp_send_decide(1, 0, 1, 5, 5, &drop), SC_OTP_SEND_NEW);
    ck_assert_int_eq(drop, 1);
}
END_TEST

START_TEST(replies)
{
    sc_otp_reply_t r;

    sc_otp_reply(&r, 429, "application/json", "{}");
    ck_assert_int_eq(r.status, 429);
    ck_assert_int_eq(r.retry_after, 60);
    ck_assert_str_eq(r.content_type, "application/json");
    ck_assert_str_eq(r.body, "{}");
    sc_otp_reply(&r, 400, "application/json", "{}");
    ck_assert_int_eq(r.retry_after, 0);
}
END_TEST

SC_UNIT_SUITE(sc_otp_suite)

Suite *sc_otp_suite(void)
{
    Suite *s = suite_create("otp");
    TCase *tc = sc_tcase("otp");

    tcase_add_test(tc, services);
    tcase_add_test(tc, sids);
    tcase_add_test(tc, friendly_names);
    tcase_add_test(tc, keys);
    tcase_add_test(tc, decisions);
    tcase_add_test(tc, dead_codes);
    tcase_add_test(tc, check_effects);
    tcase_add_test(tc, send_decisions);
    tcase_add_test(tc, replies);
    suite_add_tcase(s, tc);
    return s;
}
