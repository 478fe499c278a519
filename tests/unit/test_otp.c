/* test_otp.c: Verify services, routes, keys, check decisions, answers. */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_json.h"
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

START_TEST(routes)
{
    sc_verify_route_t rt;

    sc_verify_route(sc_test_pool, "/v2/Services/" VA "/Verifications", &rt);
    ck_assert_int_eq(rt.kind, SC_VERIFY_LIST);
    ck_assert_str_eq(rt.service_sid, VA);
    sc_verify_route(sc_test_pool, "/otp/twilio/v2/Services/" VA "/VerificationCheck", &rt);
    ck_assert_int_eq(rt.kind, SC_VERIFY_CHECK);
    sc_verify_route(sc_test_pool, "/v2/Services/" VA "/Verifications/VEabc", &rt);
    ck_assert_int_eq(rt.kind, SC_VERIFY_ONE);
    ck_assert_str_eq(rt.verification_sid, "VEabc");
    sc_verify_route(sc_test_pool, "/v2/Services/" VA "/Verifications/VEabc/x", &rt);
    ck_assert_int_eq(rt.kind, SC_VERIFY_NOWHERE);
    sc_verify_route(sc_test_pool, "/v2/Services/" VA "/Other", &rt);
    ck_assert_int_eq(rt.kind, SC_VERIFY_NOWHERE);
    sc_verify_route(sc_test_pool, "/v2/Services//Verifications", &rt);
    ck_assert_int_eq(rt.kind, SC_VERIFY_NOWHERE);
    sc_verify_route(sc_test_pool, "/v1/Services/" VA "/Verifications", &rt);
    ck_assert_int_eq(rt.kind, SC_VERIFY_NOWHERE);
    sc_verify_route(sc_test_pool, NULL, &rt);
    ck_assert_int_eq(rt.kind, SC_VERIFY_NOWHERE);
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

START_TEST(answers)
{
    sc_verification_t v = { "VE01", VA, "shop", "+15550001111", "sms", "pending",
                            "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z",
                            "2026-01-01T00:00:00Z,2026-01-01T00:01:00Z", "http://x/v" };
    const char *text = sc_verify_json(sc_test_pool, &v, 0);
    sc_json_t *j;

    ck_assert_int_eq(sc_json_parse(sc_test_pool, text, strlen(text), &j), APR_SUCCESS);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "status", NULL), "pending");
    ck_assert_str_eq(sc_json_to_string(sc_test_pool, sc_json_getj(sc_test_pool, j, "valid",
                                                                  NULL)), "false");
    ck_assert_int_eq(sc_json_array_len(sc_json_getj(sc_test_pool, j, "send_code_attempts",
                                                    NULL)), 2);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "url", NULL), "http://x/v");
    v.status = "approved";
    text = sc_verify_json(sc_test_pool, &v, 1);
    ck_assert_int_eq(sc_json_parse(sc_test_pool, text, strlen(text), &j), APR_SUCCESS);
    ck_assert_str_eq(sc_json_to_string(sc_test_pool, sc_json_getj(sc_test_pool, j, "valid",
                                                                  NULL)), "true");
    ck_assert_int_eq(sc_json_has(j, "url", NULL), 0);
    text = sc_verify_error_json(sc_test_pool, 404, 20404, "not found");
    ck_assert_str_eq(text, "{\"code\":20404,\"message\":\"not found\",\"more_info\":"
                     "\"https://www.twilio.com/docs/errors/20404\",\"status\":404}");
}
END_TEST

Suite *sc_otp_suite(void)
{
    Suite *s = suite_create("otp");
    TCase *tc = sc_tcase("otp");

    tcase_add_test(tc, services);
    tcase_add_test(tc, sids);
    tcase_add_test(tc, routes);
    tcase_add_test(tc, keys);
    tcase_add_test(tc, decisions);
    tcase_add_test(tc, dead_codes);
    tcase_add_test(tc, answers);
    suite_add_tcase(s, tc);
    return s;
}
