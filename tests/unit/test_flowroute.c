/* test_flowroute.c: flowroute sms-verification requests and answers. */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_flowroute.h"
#include "sc_json.h"

static sc_json_t *parsed(const char *text)
{
    sc_json_t *j = NULL;

    ck_assert_int_eq(sc_json_parse(sc_test_pool, text, strlen(text), &j), APR_SUCCESS);
    return j;
}

static apr_status_t create(const char *body, const char **id, const char **phone,
                           const char **error)
{
    return sc_flowroute_parse_create(sc_test_pool, body, strlen(body), id, phone, error);
}

START_TEST(creates)
{
    const char *id, *phone, *error;
    sc_json_t *j;

    ck_assert_int_eq(create("{\"auth_id\": \"user-1\", \"recipient\": \"14155550100\"}",
                            &id, &phone, &error), APR_SUCCESS);
    ck_assert_str_eq(id, "user-1");
    ck_assert_str_eq(phone, "+14155550100");
    ck_assert_int_eq(create("{\"auth_id\": \"a\", \"recipient\": \"+44 7700 900123\"}",
                            &id, &phone, &error), APR_SUCCESS);
    ck_assert_str_eq(phone, "+447700900123");
    ck_assert_int_eq(create("{\"auth_id\": \"a\", \"recipient\": \"07700 900123\", "
                            "\"country_code\": \"44\"}", &id, &phone, &error), APR_SUCCESS);
    ck_assert_str_eq(phone, "+447700900123");

    ck_assert_int_eq(create("{\"recipient\": \"1415\"}", &id, &phone, &error), APR_EINVAL);
    j = parsed(error);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "reason", NULL), "InvalidAPIUsage");
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "message", NULL), SC_FLOWROUTE_USAGE_CREATE);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "errors", "auth_id", NULL), "is missing");
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "errors", "recipient", NULL), "is invalid");
    ck_assert_int_eq(create("{\"auth_id\": \"a\", \"recipient\": \"7700900123\", "
                            "\"country_code\": \"4x\"}", &id, &phone, &error), APR_EINVAL);
    j = parsed(error);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "errors", "country_code", NULL),
                     "is invalid");
    ck_assert_int_eq(sc_json_has(j, "errors", "recipient", NULL), 0);
    ck_assert_int_eq(create("not json", &id, &phone, &error), APR_EINVAL);
    ck_assert_int_eq(create("[1]", &id, &phone, &error), APR_EINVAL);
    ck_assert_int_eq(create("{\"auth_id\": \"a\\nb\", \"recipient\": \"14155550100\"}",
                            &id, &phone, &error), APR_EINVAL);
}
END_TEST

START_TEST(long_ids)
{
    char *body, *id121 = apr_palloc(sc_test_pool, 122);
    const char *id, *phone, *error;

    memset(id121, 'x', 121);
    id121[121] = '\0';
    body = apr_psprintf(sc_test_pool, "{\"auth_id\": \"%s\", \"recipient\": \"14155550100\"}",
                        id121);
    ck_assert_int_eq(create(body, &id, &phone, &error), APR_EINVAL);
    id121[120] = '\0';
    body = apr_psprintf(sc_test_pool, "{\"auth_id\": \"%s\", \"recipient\": \"14155550100\"}",
                        id121);
    ck_assert_int_eq(create(body, &id, &phone, &error), APR_SUCCESS);
}
END_TEST

/* An auth_id is one line of valid UTF-8, whether it comes in JSON or in a
 * query string; anything else is the usage answer naming auth_id. */
START_TEST(auth_id_text)
{
    static const struct {
        const char *json;       /* the auth_id as JSON string content */
        const char *query;      /* the same id percent-encoded */
        apr_status_t want;
    } cases[] = {
        { "caf\xC3\xA9 \xF0\x9F\x98\x80", "caf%C3%A9%20%F0%9F%98%80", APR_SUCCESS },
        { "caf\\u00e9", "caf%C3%A9", APR_SUCCESS },
        { "a\xC3", "a%C3", APR_EINVAL },                 /* cut sequence */
        { "a\xFF" "b", "a%FFb", APR_EINVAL },            /* never UTF-8 */
        { "\xC0\xAF", "%C0%AF", APR_EINVAL },            /* overlong '/' */
        { "\xED\xA0\x80", "%ED%A0%80", APR_EINVAL },     /* surrogate */
        { "\xEF\xBF\xBF", "%EF%BF%BF", APR_EINVAL },     /* U+FFFF */
        { "a\\tb", "a%09b", APR_EINVAL },
        { "a\x7F", "a%7F", APR_EINVAL },
    };
    const char *id, *phone, *code, *error, *body;
    apr_size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        body = apr_psprintf(sc_test_pool, "{\"auth_id\": \"%s\", \"recipient\": \"14155550100\"}",
                            cases[i].json);
        ck_assert_msg(create(body, &id, &phone, &error) == cases[i].want, "case %d: %s",
                      (int)i, body);
        if (cases[i].want != APR_SUCCESS) {
            ck_assert_str_eq(sc_json_gets(sc_test_pool, parsed(error), "errors", "auth_id",
                                          NULL), "is invalid");
        }
        ck_assert_msg(sc_flowroute_parse_check(sc_test_pool,
                                               apr_pstrcat(sc_test_pool, "code=1&auth_id=",
                                                           cases[i].query, NULL),
                                               &id, &code, &error) == cases[i].want,
                      "case %d: %s", (int)i, cases[i].query);
    }
}
END_TEST

START_TEST(checks)
{
    const char *id, *code, *error;

    ck_assert_int_eq(sc_flowroute_parse_check(sc_test_pool, "auth_id=u%201&code=012345",
                                              &id, &code, &error), APR_SUCCESS);
    ck_assert_str_eq(id, "u 1");
    ck_assert_str_eq(code, "012345");
    ck_assert_int_eq(sc_flowroute_parse_check(sc_test_pool, "auth_id=u&code=12a",
                                              &id, &code, &error), APR_EINVAL);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, parsed(error), "message", NULL),
                     SC_FLOWROUTE_USAGE_CHECK);
    ck_assert_int_eq(sc_flowroute_parse_check(sc_test_pool, "code=1", &id, &code, &error),
                     APR_EINVAL);
    ck_assert_int_eq(sc_flowroute_parse_check(sc_test_pool, NULL, &id, &code, &error),
                     APR_EINVAL);
    ck_assert_int_eq(sc_flowroute_parse_check(sc_test_pool, "auth_id=u&code=%zz",
                                              &id, &code, &error), APR_EINVAL);
}
END_TEST

START_TEST(answers)
{
    int status = 0;
    apr_int64_t left = -1;
    sc_json_t *j;

    j = parsed(sc_flowroute_created(sc_test_pool, "u1"));
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "message", NULL),
                     "Success: Verification code created.");
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "auth_id", NULL), "u1");

    j = parsed(sc_flowroute_check_answer(sc_test_pool, SC_OTP_RIGHT, 3, "u1", &status));
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(sc_json_to_string(sc_test_pool, sc_json_getj(sc_test_pool, j,
                                                                  "authenticated", NULL)),
                     "true");
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "message", NULL),
                     "Success: Authorization code verified.");

    j = parsed(sc_flowroute_check_answer(sc_test_pool, SC_OTP_WRONG, 3, "u1", &status));
    ck_assert_int_eq(status, 400);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "reason", NULL), "InvalidAuthCode");
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "message", NULL), "Invalid code");
    ck_assert_int_eq(sc_json_geti(j, &left, "attempts_left", NULL), 1);
    ck_assert_int_eq(left, 2);
    j = parsed(sc_flowroute_check_answer(sc_test_pool, SC_OTP_WRONG_LAST, 1, "u1", &status));
    ck_assert_int_eq(sc_json_geti(j, &left, "attempts_left", NULL), 1);
    ck_assert_int_eq(left, 0);
    j = parsed(sc_flowroute_check_answer(sc_test_pool, SC_OTP_EXPIRED, 3, "u1", &status));
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "reason", NULL), "ExpiredAuthCode");
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "message", NULL), "Expired code");
    j = parsed(sc_flowroute_check_answer(sc_test_pool, SC_OTP_UNKNOWN, 0, "u1", &status));
    ck_assert_int_eq(status, 400);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "reason", NULL), "UnknownAuthId");
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "message", NULL), "Unknown auth id");
    ck_assert_int_eq(sc_json_geti(j, &left, "attempts_left", NULL), 1);
    ck_assert_int_eq(left, 0);
}
END_TEST

static void is_refusal(const sc_otp_reply_t *r, int status, const char *message,
                       const char *reason)
{
    sc_json_t *j = parsed(r->body);

    ck_assert_int_eq(r->status, status);
    ck_assert_str_eq(r->content_type, SC_FLOWROUTE_CONTENT_TYPE);
    ck_assert_int_eq(r->retry_after, status == 429 ? 60 : 0);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "message", NULL), message);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "reason", NULL), reason);
    ck_assert_int_eq(sc_json_has(j, "attempts_left", NULL), 0);
    ck_assert_int_eq(sc_json_has(j, "errors", NULL), 0);
}

START_TEST(faults)
{
    sc_otp_reply_t r;
    int status = 0;
    sc_json_t *j;
    apr_int64_t left = -1;

    sc_flowroute_fault(sc_test_pool, SC_FLOWROUTE_INTERNAL, &r);
    is_refusal(&r, 500, "Internal error", "InternalError");
    sc_flowroute_fault(sc_test_pool, SC_FLOWROUTE_RATE_LIMITED, &r);
    is_refusal(&r, 429, "Too many requests", "RateLimited");
    sc_flowroute_fault(sc_test_pool, SC_FLOWROUTE_UNAUTHORIZED, &r);
    is_refusal(&r, 401, "Unauthorized", "InvalidAPIKey");
    sc_flowroute_fault(sc_test_pool, SC_FLOWROUTE_NOT_ALLOWED, &r);
    is_refusal(&r, 405, "Method not allowed", "InvalidAPIUsage");
    sc_flowroute_fault(sc_test_pool, (sc_flowroute_fault_e)99, &r);
    is_refusal(&r, 500, "Internal error", "InternalError");
    sc_flowroute_unreadable(sc_test_pool, 413, &r);
    is_refusal(&r, 413, "Unreadable request", "InvalidAPIUsage");

    /* used-up attempts: the last wrong one ended the entry */
    j = parsed(sc_flowroute_check_answer(sc_test_pool, SC_OTP_NO_CHECKS, 0, "u1", &status));
    ck_assert_int_eq(status, 400);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "reason", NULL), "UnknownAuthId");
    ck_assert_int_eq(sc_json_geti(j, &left, "attempts_left", NULL), 1);
    ck_assert_int_eq(left, 0);
}
END_TEST

SC_UNIT_SUITE(sc_flowroute_suite)

Suite *sc_flowroute_suite(void)
{
    Suite *s = suite_create("flowroute");
    TCase *tc = sc_tcase("flowroute");

    tcase_add_test(tc, creates);
    tcase_add_test(tc, long_ids);
    tcase_add_test(tc, auth_id_text);
    tcase_add_test(tc, checks);
    tcase_add_test(tc, answers);
    tcase_add_test(tc, faults);
    suite_add_tcase(s, tc);
    return s;
}
