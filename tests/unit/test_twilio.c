/* test_twilio.c - sc_twilio: error decoding and the send path's failures. */

#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_twilio.h"
#include "sc_http.h"

#define TOKEN "test_auth_token_0123456789abcdef"

static sc_sms_result_t decode(int status, const char *body)
{
    sc_sms_result_t res;

    memset(&res, 0xA5, sizeof(res));   /* every field must be set */
    sc_twilio_decode_error(sc_test_pool, status, body, body ? strlen(body) : 0, &res);
    ck_assert_int_eq(res.sent, 0);
    ck_assert_ptr_null(res.sid);
    ck_assert_ptr_nonnull(res.reason);
    return res;
}

START_TEST(sid_format)
{
    ck_assert_int_eq(sc_twilio_sid_ok("AC00000000000000000000000000000001", "AC"), 1);
    ck_assert_int_eq(sc_twilio_sid_ok("SM0123456789abcdef0123456789abcdef", "SM"), 1);
    ck_assert_int_eq(sc_twilio_sid_ok("SM0123456789abcdef0123456789abcdef", "MM"), 0);
    /* Twilio's hex is lowercase; one digit short or long is no SID */
    ck_assert_int_eq(sc_twilio_sid_ok("MG0123456789ABCDEF0123456789abcdef", "MG"), 0);
    ck_assert_int_eq(sc_twilio_sid_ok("MG0123456789abcdef0123456789abcde", "MG"), 0);
    ck_assert_int_eq(sc_twilio_sid_ok("MG0123456789abcdef0123456789abcdef0", "MG"), 0);
    ck_assert_int_eq(sc_twilio_sid_ok("MGxyz", "MG"), 0);
    ck_assert_int_eq(sc_twilio_sid_ok(NULL, "AC"), 0);
    ck_assert_int_eq(sc_twilio_sid_ok("AC00000000000000000000000000000001", NULL), 0);
}
END_TEST

START_TEST(invalid_number)
{
    sc_sms_result_t r = decode(400, "{\"code\":21211,\"message\":\"The 'To' number "
                               "+15005550001 is not a valid phone number.\","
                               "\"more_info\":\"https://www.twilio.com/docs/errors/21211\","
                               "\"status\":400}");

    ck_assert_int_eq(r.error_code, 21211);
    ck_assert_str_eq(r.reason, "that phone number is not valid");
}
END_TEST

START_TEST(unsubscribed)
{
    sc_sms_result_t r = decode(400, "{\"code\":21610,\"message\":\"Attempt to send to "
                               "unsubscribed recipient\",\"status\":400}");

    ck_assert_int_eq(r.error_code, 21610);
    ck_assert_ptr_nonnull(strstr(r.reason, "STOP"));
}
END_TEST

START_TEST(other_known_codes)
{
    ck_assert_str_eq(decode(400, "{\"code\":21614}").reason,
                     "that number is not a mobile phone");
    ck_assert_str_eq(decode(400, "{\"code\":21408}").reason,
                     "that number cannot be reached by SMS");
    ck_assert_str_eq(decode(400, "{\"code\":21612}").reason,
                     "that number cannot be reached by SMS");
    ck_assert_str_eq(decode(401, "{\"code\":20003,\"message\":\"Authenticate\"}").reason,
                     "the SMS service is misconfigured");
    /* Codes as strings are believed too. */
    ck_assert_int_eq(decode(400, "{\"code\":\"21610\"}").error_code, 21610);
}
END_TEST

START_TEST(rate_limited)
{
    sc_sms_result_t r = decode(429, "{\"code\":20429,\"message\":\"Too Many Requests\","
                               "\"status\":429}");

    ck_assert_int_eq(r.error_code, 20429);
    ck_assert_str_eq(r.reason, "too many messages, try again later");
    r = decode(429, "Too Many Requests");
    ck_assert_int_eq(r.error_code, 429);
    ck_assert_str_eq(r.reason, "too many messages, try again later");
    /* An unknown code on a 429 still means "later". */
    r = decode(429, "{\"code\":99999}");
    ck_assert_str_eq(r.reason, "too many messages, try again later");
}
END_TEST

START_TEST(non_json)
{
    sc_sms_result_t r = decode(502, "<html><body>Bad Gateway</body></html>");

    ck_assert_int_eq(r.error_code, 502);
    ck_assert_str_eq(r.reason, SC_SMS_REASON_UNAVAILABLE);
    r = decode(401, "Unauthorized");
    ck_assert_int_eq(r.error_code, 401);
    ck_assert_str_eq(r.reason, "the SMS service is misconfigured");
    r = decode(400, NULL);
    ck_assert_int_eq(r.error_code, 400);
    ck_assert_str_eq(r.reason, "the message could not be sent");
    r = decode(503, "");
    ck_assert_int_eq(r.error_code, 503);
    /* Truncated JSON is not JSON. */
    r = decode(400, "{\"code\":21211,\"mess");
    ck_assert_int_eq(r.error_code, 400);
}
END_TEST

START_TEST(rfc9457_and_odd_codes)
{
    sc_sms_result_t r = decode(400, "{\"type\":\"https://www.twilio.com/docs/errors/21211\","
                               "\"title\":\"Invalid 'To' Phone Number\",\"status\":400,"
                               "\"code\":21211,\"detail\":\"...\",\"instance\":\"/x\"}");

    ck_assert_int_eq(r.error_code, 21211);
    ck_assert_str_eq(r.reason, "that phone number is not valid");
    /* No usable code: the HTTP status stands in. */
    ck_assert_int_eq(decode(400, "{\"message\":\"x\"}").error_code, 400);
    ck_assert_int_eq(decode(400, "{\"code\":null}").error_code, 400);
    ck_assert_int_eq(decode(400, "{\"code\":-5}").error_code, 400);
    ck_assert_int_eq(decode(400, "{\"code\":99999999999}").error_code, 400);
    ck_assert_int_eq(decode(400, "{\"code\":21211.5}").error_code, 400);
    ck_assert_int_eq(decode(400, "[21211]").error_code, 400);
    ck_assert_str_eq(decode(400, "{\"code\":12345}").reason, "the message could not be sent");
}
END_TEST

static sc_twilio_conf_t conf(const char *base)
{
    sc_twilio_conf_t c;

    memset(&c, 0, sizeof(c));
    c.api_base = base;
    c.account_sid = "AC00000000000000000000000000000001";
    c.auth_token = TOKEN;
    c.from = "+15557654321";
    c.connect_timeout_ms = 2000;
    c.timeout_ms = 3000;
    return c;
}

START_TEST(send_bad_arguments)
{
    sc_twilio_conf_t c = conf("http://127.0.0.1:1");
    sc_sms_result_t res;

    ck_assert_int_eq(sc_twilio_send(sc_test_pool, NULL, "+15551234567", "x", &res),
                     APR_EINVAL);
    ck_assert_int_eq(res.sent, 0);
    ck_assert_str_eq(res.reason, "the SMS service is misconfigured");
    c.account_sid = "";
    ck_assert_int_eq(sc_twilio_send(sc_test_pool, &c, "+15551234567", "x", &res),
                     APR_EINVAL);
    c = conf("http://127.0.0.1:1");
    ck_assert_int_eq(sc_twilio_send(sc_test_pool, &c, "", "x", &res), APR_EINVAL);
    ck_assert_int_eq(sc_twilio_send(sc_test_pool, &c, "+15551234567", NULL, &res),
                     APR_EINVAL);
    ck_assert_int_eq(res.sent, 0);
}
END_TEST

START_TEST(send_unreachable)
{
    /* Nothing listens on port 1: the connection is refused at once. */
    sc_twilio_conf_t c = conf("http://127.0.0.1:1/");
    sc_sms_result_t res;
    apr_status_t rv;

    ck_assert_int_eq(sc_http_global_init(sc_test_pool), APR_SUCCESS);
    rv = sc_twilio_send(sc_test_pool, &c, "+15551234567", "hello", &res);
    ck_assert_int_eq(rv, APR_ECONNREFUSED);
    ck_assert_int_eq(res.sent, 0);
    ck_assert_str_eq(res.reason, SC_SMS_REASON_UNAVAILABLE);
    ck_assert_ptr_null(strstr(res.reason, TOKEN));
}
END_TEST

/* sc_http's refusals that need no server; the exchanges themselves are
 * covered by the Apache::Test suite against t/fake/fakeapi.py. */
START_TEST(http_refusals)
{
    sc_http_request_t req;
    sc_http_response_t *resp = NULL;

    memset(&req, 0, sizeof(req));
    ck_assert_int_eq(sc_http_perform(sc_test_pool, &req, &resp), APR_EINVAL);
    ck_assert_ptr_null(resp);

    req.url = "http://127.0.0.1:1/";
    req.headers = apr_table_make(sc_test_pool, 2);
    apr_table_set(req.headers, "X-Test", "a\r\nAuthorization: Basic eA==");
    ck_assert_int_eq(sc_http_perform(sc_test_pool, &req, &resp), APR_EINVAL);
    ck_assert_ptr_nonnull(resp);
    ck_assert_int_eq(resp->status, 0);
    ck_assert_ptr_nonnull(resp->error);

    apr_table_clear(req.headers);
    req.method = "GET /x HTTP/1.1\r\n";
    ck_assert_int_eq(sc_http_perform(sc_test_pool, &req, &resp), APR_EINVAL);

    req.method = NULL;
    req.url = "file:///etc/passwd";
    ck_assert_int_eq(sc_http_perform(sc_test_pool, &req, &resp), APR_EGENERAL);
    ck_assert_ptr_nonnull(resp->error);

    req.url = "http://127.0.0.1:1/";
    ck_assert_int_eq(sc_http_perform(sc_test_pool, &req, &resp), APR_ECONNREFUSED);
    ck_assert_int_eq(resp->status, 0);
}
END_TEST

/* Also in sc_unit.h; repeated so this file stands alone. */
SC_UNIT_SUITE(sc_twilio_suite)

Suite *sc_twilio_suite(void)
{
    Suite *s = suite_create("sc_twilio");
    TCase *tc = sc_tcase("twilio");

    tcase_add_test(tc, sid_format);
    tcase_add_test(tc, invalid_number);
    tcase_add_test(tc, unsubscribed);
    tcase_add_test(tc, other_known_codes);
    tcase_add_test(tc, rate_limited);
    tcase_add_test(tc, non_json);
    tcase_add_test(tc, rfc9457_and_odd_codes);
    tcase_add_test(tc, send_bad_arguments);
    tcase_add_test(tc, send_unreachable);
    tcase_add_test(tc, http_refusals);
    suite_add_tcase(s, tc);
    return s;
}
