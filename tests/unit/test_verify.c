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

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* An error answer expected of a table row. */
typedef struct {
    int status, code;
    const char *message;
} want_error_t;

#define BAD(param) { 400, 60200, "Invalid parameter: " param }
#define GONE { 404, 20404, "The requested resource " PATH " was not found" }

START_TEST(routes)
{
    static const struct {
        const char *path;
        sc_verify_route_e kind;
        const char *service, *verification;
    } cases[] = {
        { "/v2/Services/" VA "/Verifications", SC_VERIFY_LIST, VA, NULL },
        { "/otp/twilio/v2/Services/" VA "/VerificationCheck", SC_VERIFY_CHECK, VA, NULL },
        { "/v2/Services/" VA "/Verifications/VEabc", SC_VERIFY_ONE, VA, "VEabc" },
        { "/v2/Services/" VA "/Verifications/VEabc/x", SC_VERIFY_NOWHERE, NULL, NULL },
        { "/v2/Services/" VA "/Other", SC_VERIFY_NOWHERE, NULL, NULL },
        { "/v2/Services//Verifications", SC_VERIFY_NOWHERE, NULL, NULL },
        { "/v1/Services/" VA "/Verifications", SC_VERIFY_NOWHERE, NULL, NULL },
        { NULL, SC_VERIFY_NOWHERE, NULL, NULL },
    };
    sc_verify_route_t rt;
    apr_size_t i;

    for (i = 0; i < N_OF(cases); i++) {
        sc_verify_route(sc_test_pool, cases[i].path, &rt);
        ck_assert_msg(rt.kind == cases[i].kind, "%s", cases[i].path);
        if (cases[i].service) {
            ck_assert_str_eq(rt.service_sid, cases[i].service);
        }
        if (cases[i].verification) {
            ck_assert_str_eq(rt.verification_sid, cases[i].verification);
        }
    }
}
END_TEST

START_TEST(actions)
{
    static const struct {
        sc_verify_route_e kind;
        int get, post;
        sc_verify_action_e action;
        int allow;
    } cases[] = {
        { SC_VERIFY_LIST, 0, 1, SC_VERIFY_DO_CREATE, SC_VERIFY_ALLOW_POST },
        { SC_VERIFY_CHECK, 0, 1, SC_VERIFY_DO_CHECK, SC_VERIFY_ALLOW_POST },
        { SC_VERIFY_ONE, 1, 0, SC_VERIFY_DO_FETCH, SC_VERIFY_ALLOW_GET | SC_VERIFY_ALLOW_POST },
        { SC_VERIFY_ONE, 0, 1, SC_VERIFY_DO_UPDATE, SC_VERIFY_ALLOW_GET | SC_VERIFY_ALLOW_POST },
        { SC_VERIFY_ONE, 0, 0, SC_VERIFY_DO_NOTHING, SC_VERIFY_ALLOW_GET | SC_VERIFY_ALLOW_POST },
        { SC_VERIFY_LIST, 1, 0, SC_VERIFY_DO_NOTHING, SC_VERIFY_ALLOW_POST },
        { SC_VERIFY_CHECK, 0, 0, SC_VERIFY_DO_NOTHING, SC_VERIFY_ALLOW_POST },
    };
    apr_size_t i;
    int allow;

    for (i = 0; i < N_OF(cases); i++) {
        allow = 0;
        ck_assert_msg(sc_verify_action(cases[i].kind, cases[i].get, cases[i].post, &allow)
                      == cases[i].action, "case %d", (int)i);
        ck_assert_msg(allow == cases[i].allow, "case %d: allow %d", (int)i, allow);
    }
}
END_TEST

START_TEST(faults)
{
    static const struct {
        sc_verify_fault_e fault;
        const char *detail;
        want_error_t want;
    } cases[] = {
        { SC_VERIFY_UNAVAILABLE, NULL, { 503, 20503, "Service unavailable, try again" } },
        { SC_VERIFY_UNAUTHORIZED, NULL, { 401, 20003, "Authenticate" } },
        { SC_VERIFY_NOT_FOUND, "/x/y", { 404, 20404, "The requested resource /x/y was not found" } },
        { SC_VERIFY_BAD_PARAM, "To", BAD("To") },
        { SC_VERIFY_TO_OR_SID, NULL,
          { 400, 60200, "Either a 'To' or a 'VerificationSid' must be specified" } },
        { SC_VERIFY_TOO_MANY, NULL, { 429, 20429, "Too many requests" } },
        { SC_VERIFY_MAX_SENDS, NULL, { 429, 60203, "Max send attempts reached" } },
        { SC_VERIFY_MAX_CHECKS, NULL, { 429, 60202, "Max check attempts reached" } },
        { SC_VERIFY_NOT_ALLOWED, NULL, { 405, 20004, "Method not allowed" } },
    };
    sc_otp_reply_t r;
    apr_size_t i;

    for (i = 0; i < N_OF(cases); i++) {
        sc_verify_fault(sc_test_pool, cases[i].fault, cases[i].detail, &r);
        is_error(&r, cases[i].want.status, cases[i].want.code, cases[i].want.message);
    }
    sc_verify_unreadable(sc_test_pool, 413, &r);
    is_error(&r, 413, 60200, "The request body is not a form this API accepts");
}
END_TEST

#define TO "To=%2B15550001111"

START_TEST(creates)
{
    static const struct {
        const char *form;
        const char *param;      /* the one named as invalid */
    } refused[] = {
        { "Channel=sms", "To" },
        { "To=12&Channel=sms", "To" },
        { TO, "Channel" },
        { TO "&Channel=call", "Channel" },
        { TO "&Channel=sms&CustomFriendlyName=a%0Ab", "CustomFriendlyName" },
        { TO "&Channel=sms&CustomCode=123456", "CustomCode" },
        { NULL, "To" },
    };
    sc_verify_create_t req;
    sc_otp_reply_t r;
    apr_size_t i;

    ck_assert_int_eq(sc_verify_parse_create(sc_test_pool, sc_test_form(TO "&Channel=SMS"),
                                            &req, &r), APR_SUCCESS);
    ck_assert_str_eq(req.phone, "+15550001111");
    ck_assert_ptr_null(req.name);
    ck_assert_int_eq(sc_verify_parse_create(sc_test_pool,
                                            sc_test_form(TO "&Channel=sms&CustomFriendlyName=Shop"),
                                            &req, &r), APR_SUCCESS);
    ck_assert_str_eq(req.name, "Shop");

    for (i = 0; i < N_OF(refused); i++) {
        ck_assert_int_eq(sc_verify_parse_create(sc_test_pool,
                                                refused[i].form ? sc_test_form(refused[i].form)
                                                                : NULL, &req, &r), APR_EINVAL);
        is_error(&r, 400, 60200,
                 apr_pstrcat(sc_test_pool, "Invalid parameter: ", refused[i].param, NULL));
    }
}
END_TEST

START_TEST(checks)
{
    static const struct {
        const char *form;
        want_error_t want;
    } refused[] = {
        { TO, BAD("Code") },
        { "Code=&" TO, BAD("Code") },
        { "Code=1", { 400, 60200, "Either a 'To' or a 'VerificationSid' must be specified" } },
        { "Code=1&To=abc", BAD("To") },
        { "Code=1&VerificationSid=VEx", GONE },
    };
    sc_verify_check_t req;
    sc_otp_reply_t r;
    apr_size_t i;

    ck_assert_int_eq(sc_verify_parse_check(sc_test_pool, sc_test_form("Code=123&" TO),
                                           PATH, &req, &r), APR_SUCCESS);
    ck_assert_str_eq(req.code, "123");
    ck_assert_str_eq(req.phone, "+15550001111");
    ck_assert_ptr_null(req.sid);
    ck_assert_int_eq(sc_verify_parse_check(sc_test_pool, sc_test_form("Code=1&VerificationSid=" VE),
                                           PATH, &req, &r), APR_SUCCESS);
    ck_assert_ptr_null(req.phone);
    ck_assert_str_eq(req.sid, VE);

    for (i = 0; i < N_OF(refused); i++) {
        ck_assert_int_eq(sc_verify_parse_check(sc_test_pool, sc_test_form(refused[i].form),
                                               PATH, &req, &r), APR_EINVAL);
        is_error(&r, refused[i].want.status, refused[i].want.code, refused[i].want.message);
    }
}
END_TEST

/* GET and POST of one verification: its sid, an update's Status, and
 * what is deleted. */
START_TEST(one_verification)
{
    static const struct {
        const char *sid;
        int post;
        const char *form;
        const char *status;     /* NULL: a fetch; else the update's */
    } taken[] = {
        { VE, 0, NULL, NULL },
        { VE, 1, "Status=canceled", "canceled" },
        { VE, 1, "Status=approved", "approved" },
    };
    static const struct {
        const char *sid;
        const char *form;
        want_error_t want;
    } refused[] = {
        { VE, "Status=pending", BAD("Status") },
        /* a POST with an empty body is an update without Status, not a fetch */
        { VE, NULL, BAD("Status") },
        { "VE12", "Status=canceled", GONE },
    };
    static const struct {
        int found, expired;
        const char *status;
        int answer, drop;
    } found[] = {
        { 1, 0, NULL, 1, 0 },
        { 1, 0, "canceled", 1, 1 },
        { 1, 1, NULL, 0, 1 },
        { 0, 0, "approved", 0, 0 },
    };
    const char *status;
    sc_otp_reply_t r;
    apr_size_t i;
    int drop;

    for (i = 0; i < N_OF(taken); i++) {
        status = "x";
        ck_assert_int_eq(sc_verify_parse_one(sc_test_pool, taken[i].sid, taken[i].post,
                                             taken[i].form ? sc_test_form(taken[i].form) : NULL,
                                             PATH, &status, &r), APR_SUCCESS);
        ck_assert_pstr_eq(status, taken[i].status);
    }
    for (i = 0; i < N_OF(refused); i++) {
        ck_assert_int_eq(sc_verify_parse_one(sc_test_pool, refused[i].sid, 1,
                                             refused[i].form ? sc_test_form(refused[i].form)
                                                             : NULL,
                                             PATH, &status, &r), APR_EINVAL);
        is_error(&r, refused[i].want.status, refused[i].want.code, refused[i].want.message);
    }
    for (i = 0; i < N_OF(found); i++) {
        drop = -1;
        ck_assert_int_eq(sc_verify_one_found(found[i].found, found[i].expired, found[i].status,
                                             &drop), found[i].answer);
        ck_assert_int_eq(drop, found[i].drop);
    }
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
    static const struct {
        sc_otp_sent_e outcome;
        want_error_t want;
    } not_sent[] = {
        { SC_OTP_MAX_SENDS, { 429, 60203, "Max send attempts reached" } },
        { SC_OTP_REFUSED, BAD("To") },
        { SC_OTP_NOT_SENT, { 503, 20503, "Service unavailable, try again" } },
    };
    static const struct {
        sc_otp_check_e outcome;
        want_error_t want;
    } not_checked[] = {
        { SC_OTP_NO_CHECKS, { 429, 60202, "Max check attempts reached" } },
        { SC_OTP_EXPIRED, GONE },
        { SC_OTP_UNKNOWN, GONE },
    };
    sc_otp_reply_t r;
    sc_json_t *j;
    apr_size_t i;

    sc_verify_sent(sc_test_pool, SC_OTP_SENT, &v, &r);
    ck_assert_int_eq(r.status, 201);
    ck_assert_int_eq(r.retry_after, 0);
    j = body_of(&r);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "status", NULL), "pending");
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "url", NULL), "http://x" PATH "/" VE);
    for (i = 0; i < N_OF(not_sent); i++) {
        sc_verify_sent(sc_test_pool, not_sent[i].outcome, NULL, &r);
        is_error(&r, not_sent[i].want.status, not_sent[i].want.code, not_sent[i].want.message);
    }

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
    for (i = 0; i < N_OF(not_checked); i++) {
        sc_verify_checked(sc_test_pool, not_checked[i].outcome,
                          not_checked[i].outcome == SC_OTP_UNKNOWN ? NULL : &v, PATH, &r);
        is_error(&r, not_checked[i].want.status, not_checked[i].want.code,
                 not_checked[i].want.message);
    }

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
