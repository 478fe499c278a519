/* test_verify.c: the Twilio Verify v2 wire format: routes, methods, the
 * checks of each request and every answer. */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_form.h"
#include "sc_json.h"
#include "sc_verify.h"

#define VA "VA0123456789abcdef0123456789abcdef"
#define VE "VE0123456789abcdef0123456789abcdef"
#define PATH "/v2/Services/" VA "/Verifications"

/* The reply's status, Twilio error code and message. */
static void is_error(const sc_otp_reply_t *r, int status, int code, const char *message)
{
    sc_json_t *j = NULL;
    apr_int64_t n = 0;

    ck_assert_int_eq(r->status, status);
    ck_assert_str_eq(r->content_type, SC_VERIFY_CONTENT_TYPE);
    ck_assert_int_eq(r->retry_after, status == 429 ? 60 : 0);
    ck_assert_int_eq(sc_json_parse(sc_test_pool, r->body, strlen(r->body), &j), APR_SUCCESS);
    ck_assert_int_eq(sc_json_geti(j, &n, "code", NULL), 1);
    ck_assert_int_eq(n, code);
    ck_assert_int_eq(sc_json_geti(j, &n, "status", NULL), 1);
    ck_assert_int_eq(n, status);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "message", NULL), message);
}

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

START_TEST(actions)
{
    int allow = 0;

    ck_assert_int_eq(sc_verify_action(SC_VERIFY_LIST, 0, 1, &allow), SC_VERIFY_DO_CREATE);
    ck_assert_int_eq(sc_verify_action(SC_VERIFY_CHECK, 0, 1, &allow), SC_VERIFY_DO_CHECK);
    ck_assert_int_eq(sc_verify_action(SC_VERIFY_ONE, 1, 0, &allow), SC_VERIFY_DO_FETCH);
    ck_assert_int_eq(sc_verify_action(SC_VERIFY_ONE, 0, 1, &allow), SC_VERIFY_DO_UPDATE);
    ck_assert_int_eq(sc_verify_action(SC_VERIFY_ONE, 0, 0, &allow), SC_VERIFY_DO_NOTHING);
    ck_assert_int_eq(allow, SC_VERIFY_ALLOW_GET | SC_VERIFY_ALLOW_POST);
    ck_assert_int_eq(sc_verify_action(SC_VERIFY_LIST, 1, 0, &allow), SC_VERIFY_DO_NOTHING);
    ck_assert_int_eq(allow, SC_VERIFY_ALLOW_POST);
    ck_assert_int_eq(sc_verify_action(SC_VERIFY_CHECK, 0, 0, &allow), SC_VERIFY_DO_NOTHING);
    ck_assert_int_eq(allow, SC_VERIFY_ALLOW_POST);
}
END_TEST

START_TEST(faults)
{
    sc_otp_reply_t r;

    sc_verify_fault(sc_test_pool, SC_VERIFY_UNAVAILABLE, NULL, &r);
    is_error(&r, 503, 20503, "Service unavailable, try again");
    sc_verify_fault(sc_test_pool, SC_VERIFY_UNAUTHORIZED, NULL, &r);
    is_error(&r, 401, 20003, "Authenticate");
    sc_verify_fault(sc_test_pool, SC_VERIFY_NOT_FOUND, "/x/y", &r);
    is_error(&r, 404, 20404, "The requested resource /x/y was not found");
    sc_verify_fault(sc_test_pool, SC_VERIFY_BAD_PARAM, "To", &r);
    is_error(&r, 400, 60200, "Invalid parameter: To");
    sc_verify_fault(sc_test_pool, SC_VERIFY_TO_OR_SID, NULL, &r);
    is_error(&r, 400, 60200, "Either a 'To' or a 'VerificationSid' must be specified");
    sc_verify_fault(sc_test_pool, SC_VERIFY_TOO_MANY, NULL, &r);
    is_error(&r, 429, 20429, "Too many requests");
    sc_verify_fault(sc_test_pool, SC_VERIFY_MAX_SENDS, NULL, &r);
    is_error(&r, 429, 60203, "Max send attempts reached");
    sc_verify_fault(sc_test_pool, SC_VERIFY_MAX_CHECKS, NULL, &r);
    is_error(&r, 429, 60202, "Max check attempts reached");
    sc_verify_fault(sc_test_pool, SC_VERIFY_NOT_ALLOWED, NULL, &r);
    is_error(&r, 405, 20004, "Method not allowed");
    sc_verify_unreadable(sc_test_pool, 413, &r);
    is_error(&r, 413, 60200, "The request body is not a form this API accepts");
}
END_TEST

START_TEST(creates)
{
    sc_verify_create_t req;
    sc_otp_reply_t r;

    ck_assert_int_eq(sc_verify_parse_create(sc_test_pool, sc_test_form("To=%2B15550001111&Channel=SMS"),
                                            &req, &r), APR_SUCCESS);
    ck_assert_str_eq(req.phone, "+15550001111");
    ck_assert_ptr_null(req.name);
    ck_assert_int_eq(sc_verify_parse_create(sc_test_pool,
                                            sc_test_form("To=%2B15550001111&Channel=sms"
                                                 "&CustomFriendlyName=Shop"), &req, &r),
                     APR_SUCCESS);
    ck_assert_str_eq(req.name, "Shop");

    ck_assert_int_eq(sc_verify_parse_create(sc_test_pool, sc_test_form("Channel=sms"), &req, &r),
                     APR_EINVAL);
    is_error(&r, 400, 60200, "Invalid parameter: To");
    ck_assert_int_eq(sc_verify_parse_create(sc_test_pool, sc_test_form("To=12&Channel=sms"), &req, &r),
                     APR_EINVAL);
    is_error(&r, 400, 60200, "Invalid parameter: To");
    ck_assert_int_eq(sc_verify_parse_create(sc_test_pool, sc_test_form("To=%2B15550001111"), &req, &r),
                     APR_EINVAL);
    is_error(&r, 400, 60200, "Invalid parameter: Channel");
    ck_assert_int_eq(sc_verify_parse_create(sc_test_pool,
                                            sc_test_form("To=%2B15550001111&Channel=call"), &req, &r),
                     APR_EINVAL);
    is_error(&r, 400, 60200, "Invalid parameter: Channel");
    ck_assert_int_eq(sc_verify_parse_create(sc_test_pool,
                                            sc_test_form("To=%2B15550001111&Channel=sms"
                                                 "&CustomFriendlyName=a%0Ab"), &req, &r),
                     APR_EINVAL);
    is_error(&r, 400, 60200, "Invalid parameter: CustomFriendlyName");
    ck_assert_int_eq(sc_verify_parse_create(sc_test_pool,
                                            sc_test_form("To=%2B15550001111&Channel=sms"
                                                 "&CustomCode=123456"), &req, &r),
                     APR_EINVAL);
    is_error(&r, 400, 60200, "Invalid parameter: CustomCode");
    ck_assert_int_eq(sc_verify_parse_create(sc_test_pool, NULL, &req, &r), APR_EINVAL);
    is_error(&r, 400, 60200, "Invalid parameter: To");
}
END_TEST

START_TEST(checks)
{
    sc_verify_check_t req;
    sc_otp_reply_t r;

    ck_assert_int_eq(sc_verify_parse_check(sc_test_pool, sc_test_form("Code=123&To=%2B15550001111"),
                                           PATH, &req, &r), APR_SUCCESS);
    ck_assert_str_eq(req.code, "123");
    ck_assert_str_eq(req.phone, "+15550001111");
    ck_assert_ptr_null(req.sid);
    ck_assert_int_eq(sc_verify_parse_check(sc_test_pool, sc_test_form("Code=1&VerificationSid=" VE),
                                           PATH, &req, &r), APR_SUCCESS);
    ck_assert_ptr_null(req.phone);
    ck_assert_str_eq(req.sid, VE);

    ck_assert_int_eq(sc_verify_parse_check(sc_test_pool, sc_test_form("To=%2B15550001111"), PATH,
                                           &req, &r), APR_EINVAL);
    is_error(&r, 400, 60200, "Invalid parameter: Code");
    ck_assert_int_eq(sc_verify_parse_check(sc_test_pool, sc_test_form("Code=&To=%2B15550001111"), PATH,
                                           &req, &r), APR_EINVAL);
    is_error(&r, 400, 60200, "Invalid parameter: Code");
    ck_assert_int_eq(sc_verify_parse_check(sc_test_pool, sc_test_form("Code=1"), PATH, &req, &r),
                     APR_EINVAL);
    is_error(&r, 400, 60200, "Either a 'To' or a 'VerificationSid' must be specified");
    ck_assert_int_eq(sc_verify_parse_check(sc_test_pool, sc_test_form("Code=1&To=abc"), PATH, &req, &r),
                     APR_EINVAL);
    is_error(&r, 400, 60200, "Invalid parameter: To");
    ck_assert_int_eq(sc_verify_parse_check(sc_test_pool, sc_test_form("Code=1&VerificationSid=VEx"),
                                           PATH, &req, &r), APR_EINVAL);
    is_error(&r, 404, 20404, "The requested resource " PATH " was not found");
}
END_TEST

/* GET and POST of one verification: its sid, an update's Status, and
 * what is deleted. */
START_TEST(one_verification)
{
    const char *status = "x";
    sc_otp_reply_t r;
    int drop = -1;

    ck_assert_int_eq(sc_verify_parse_one(sc_test_pool, VE, 0, NULL, PATH, &status, &r),
                     APR_SUCCESS);
    ck_assert_ptr_null(status);
    ck_assert_int_eq(sc_verify_parse_one(sc_test_pool, VE, 1, sc_test_form("Status=canceled"), PATH,
                                         &status, &r), APR_SUCCESS);
    ck_assert_str_eq(status, "canceled");
    ck_assert_int_eq(sc_verify_parse_one(sc_test_pool, VE, 1, sc_test_form("Status=approved"), PATH,
                                         &status, &r), APR_SUCCESS);
    ck_assert_str_eq(status, "approved");
    ck_assert_int_eq(sc_verify_parse_one(sc_test_pool, VE, 1, sc_test_form("Status=pending"), PATH,
                                         &status, &r), APR_EINVAL);
    is_error(&r, 400, 60200, "Invalid parameter: Status");
    /* a POST with an empty body is an update without Status, not a fetch */
    ck_assert_int_eq(sc_verify_parse_one(sc_test_pool, VE, 1, NULL, PATH, &status, &r),
                     APR_EINVAL);
    is_error(&r, 400, 60200, "Invalid parameter: Status");
    ck_assert_int_eq(sc_verify_parse_one(sc_test_pool, "VE12", 1, sc_test_form("Status=canceled"),
                                         PATH, &status, &r), APR_EINVAL);
    is_error(&r, 404, 20404, "The requested resource " PATH " was not found");

    ck_assert_int_eq(sc_verify_one_found(1, 0, NULL, &drop), 1);
    ck_assert_int_eq(drop, 0);
    ck_assert_int_eq(sc_verify_one_found(1, 0, "canceled", &drop), 1);
    ck_assert_int_eq(drop, 1);
    ck_assert_int_eq(sc_verify_one_found(1, 1, NULL, &drop), 0);
    ck_assert_int_eq(drop, 1);
    ck_assert_int_eq(sc_verify_one_found(0, 0, "approved", &drop), 0);
    ck_assert_int_eq(drop, 0);
}
END_TEST

START_TEST(resource_paths)
{
    ck_assert_str_eq(sc_verify_resource_path(sc_test_pool, SC_VERIFY_LIST, PATH, VE),
                     PATH "/" VE);
    ck_assert_str_eq(sc_verify_resource_path(sc_test_pool, SC_VERIFY_ONE, PATH "/" VE, VE),
                     PATH "/" VE);
    ck_assert_ptr_null(sc_verify_resource_path(sc_test_pool, SC_VERIFY_CHECK, PATH, VE));
}
END_TEST

static sc_json_t *body_of(const sc_otp_reply_t *r)
{
    sc_json_t *j = NULL;

    ck_assert_int_eq(sc_json_parse(sc_test_pool, r->body, strlen(r->body), &j), APR_SUCCESS);
    return j;
}

START_TEST(sends_and_checks)
{
    sc_verification_t v = { VE, VA, "shop", "+15550001111", "sms", NULL,
                            "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z",
                            "2026-01-01T00:00:00Z", "http://x" PATH "/" VE };
    sc_otp_reply_t r;
    sc_json_t *j;

    sc_verify_sent(sc_test_pool, SC_OTP_SENT, &v, &r);
    ck_assert_int_eq(r.status, 201);
    ck_assert_int_eq(r.retry_after, 0);
    j = body_of(&r);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "status", NULL), "pending");
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "url", NULL), "http://x" PATH "/" VE);
    sc_verify_sent(sc_test_pool, SC_OTP_MAX_SENDS, NULL, &r);
    is_error(&r, 429, 60203, "Max send attempts reached");
    sc_verify_sent(sc_test_pool, SC_OTP_REFUSED, NULL, &r);
    is_error(&r, 400, 60200, "Invalid parameter: To");
    sc_verify_sent(sc_test_pool, SC_OTP_NOT_SENT, NULL, &r);
    is_error(&r, 503, 20503, "Service unavailable, try again");

    v.url = NULL;
    sc_verify_checked(sc_test_pool, SC_OTP_RIGHT, &v, PATH, &r);
    ck_assert_int_eq(r.status, 200);
    j = body_of(&r);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "status", NULL), "approved");
    ck_assert_str_eq(sc_json_to_string(sc_test_pool, sc_json_getj(sc_test_pool, j, "valid",
                                                                  NULL)), "true");
    ck_assert_int_eq(sc_json_has(j, "send_code_attempts", NULL), 0);
    sc_verify_checked(sc_test_pool, SC_OTP_WRONG, &v, PATH, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, body_of(&r), "status", NULL), "pending");
    sc_verify_checked(sc_test_pool, SC_OTP_WRONG_LAST, &v, PATH, &r);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, body_of(&r), "status", NULL), "pending");
    sc_verify_checked(sc_test_pool, SC_OTP_NO_CHECKS, &v, PATH, &r);
    is_error(&r, 429, 60202, "Max check attempts reached");
    sc_verify_checked(sc_test_pool, SC_OTP_EXPIRED, &v, PATH, &r);
    is_error(&r, 404, 20404, "The requested resource " PATH " was not found");
    sc_verify_checked(sc_test_pool, SC_OTP_UNKNOWN, NULL, PATH, &r);
    is_error(&r, 404, 20404, "The requested resource " PATH " was not found");

    v.status = "canceled";
    v.url = "http://x/v";
    sc_verify_answer(sc_test_pool, 200, &v, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, body_of(&r), "status", NULL), "canceled");
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

SC_UNIT_SUITE(sc_verify_suite)

Suite *sc_verify_suite(void)
{
    Suite *s = suite_create("verify");
    TCase *tc = sc_tcase("verify");

    tcase_add_test(tc, routes);
    tcase_add_test(tc, actions);
    tcase_add_test(tc, faults);
    tcase_add_test(tc, creates);
    tcase_add_test(tc, checks);
    tcase_add_test(tc, one_verification);
    tcase_add_test(tc, resource_paths);
    tcase_add_test(tc, sends_and_checks);
    tcase_add_test(tc, answers);
    suite_add_tcase(s, tc);
    return s;
}
