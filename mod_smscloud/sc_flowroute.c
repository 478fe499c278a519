/* sc_flowroute.c: the flowroute sms-verification wire format. */
#include <string.h>

#include <apr_strings.h>

#include "sc_flowroute.h"
#include "sc_form.h"
#include "sc_json.h"
#include "sc_phone.h"
#include "sc_text.h"

#define MAX_CODE_DIGITS 10

/* An auth_id is stored and sent back in JSON: one line of valid UTF-8. */
static int auth_id_ok(const char *id)
{
    apr_size_t n = id ? strlen(id) : 0;

    return n >= 1 && n <= SC_FLOWROUTE_AUTH_ID_MAX && sc_text_is_clean(id, n, 1);
}

/* Every answer of this API but the two successes: {"message", "reason"},
 * and "errors" (a refused request's fields) or "attempts_left" (left >= 0:
 * a refused check's). */
static const char *refusal(apr_pool_t *p, const char *message, const char *reason,
                           sc_json_t *errors, int left)
{
    sc_json_t *j = sc_json_new_object(p);

    sc_json_sets(j, "message", message);
    sc_json_sets(j, "reason", reason);
    if (errors) {
        sc_json_setj(j, "errors", errors);
    }
    if (left >= 0) {
        sc_json_seti(j, "attempts_left", left);
    }
    return sc_json_to_string(p, j);
}

static const char *usage(apr_pool_t *p, const char *message, sc_json_t *errors)
{
    return refusal(p, message, "InvalidAPIUsage", errors, -1);
}

/* The recipient in E.164, or NULL. */
static const char *recipient(apr_pool_t *p, const char *to, const char *cc, int *bad_cc)
{
    const char *e164 = NULL;
    apr_size_t n = to ? strlen(to) : 0;
    apr_status_t rv;

    *bad_cc = 0;
    if (!to) {
        return NULL;
    }
    if (cc) {
        rv = sc_phone_from_national(p, cc, to, &e164);
        *bad_cc = rv == APR_EINVAL;
        return rv == APR_SUCCESS ? e164 : NULL;
    }
    if (n && strspn(to, "0123456789") == n) {
        to = apr_pstrcat(p, "+", to, NULL);
    }
    return sc_phone_normalise(p, to, &e164) == APR_SUCCESS ? e164 : NULL;
}

apr_status_t sc_flowroute_parse_create(apr_pool_t *p, const char *body, apr_size_t len,
                                       const char **auth_id, const char **phone,
                                       const char **error)
{
    sc_json_t *j = NULL, *errors = sc_json_new_object(p);
    const char *id = NULL, *to = NULL, *cc = NULL;
    int bad = 0, bad_cc = 0;

    if (sc_json_parse(p, body ? body : "", len, &j) != APR_SUCCESS || !sc_json_is_object(j)) {
        *error = usage(p, SC_FLOWROUTE_USAGE_CREATE, NULL);
        return APR_EINVAL;
    }
    id = sc_json_gets(p, j, "auth_id", NULL);
    to = sc_json_gets(p, j, "recipient", NULL);
    cc = sc_json_gets(p, j, "country_code", NULL);
    if (!auth_id_ok(id)) {
        sc_json_sets(errors, "auth_id", id ? "is invalid" : "is missing");
        bad = 1;
    }
    if (!(*phone = recipient(p, to, cc, &bad_cc))) {
        sc_json_sets(errors, bad_cc ? "country_code" : "recipient",
                     to || bad_cc ? "is invalid" : "is missing");
        bad = 1;
    }
    if (bad) {
        *error = usage(p, SC_FLOWROUTE_USAGE_CREATE, errors);
        return APR_EINVAL;
    }
    *auth_id = id;
    return APR_SUCCESS;
}

apr_status_t sc_flowroute_parse_check(apr_pool_t *p, const char *query,
                                      const char **auth_id, const char **code,
                                      const char **error)
{
    apr_array_header_t *args = NULL;
    const char *id, *c;
    apr_size_t n;

    if (sc_form_parse(p, query, query ? strlen(query) : 0, 16, &args) != APR_SUCCESS) {
        args = NULL;
    }
    id = sc_form_get(args, "auth_id");
    c = sc_form_get(args, "code");
    n = c ? strlen(c) : 0;
    if (!auth_id_ok(id) || n == 0 || n > MAX_CODE_DIGITS
        || strspn(c, "0123456789") != n) {
        *error = usage(p, SC_FLOWROUTE_USAGE_CHECK, NULL);
        return APR_EINVAL;
    }
    *auth_id = id;
    *code = c;
    return APR_SUCCESS;
}

const char *sc_flowroute_created(apr_pool_t *p, const char *auth_id)
{
    sc_json_t *j = sc_json_new_object(p);

    sc_json_sets(j, "message", "Success: Verification code created.");
    sc_json_sets(j, "auth_id", auth_id);
    return sc_json_to_string(p, j);
}

const char *sc_flowroute_check_answer(apr_pool_t *p, sc_otp_check_e result,
                                      int checks_left, const char *auth_id, int *status)
{
    sc_json_t *j;

    *status = 400;
    switch (result) {
    case SC_OTP_RIGHT:
        *status = 200;
        j = sc_json_new_object(p);
        sc_json_setb(j, "authenticated", 1);
        sc_json_sets(j, "auth_id", auth_id);
        sc_json_sets(j, "message", "Success: Authorization code verified.");
        return sc_json_to_string(p, j);
    case SC_OTP_WRONG:
        return refusal(p, "Invalid code", "InvalidAuthCode", NULL, checks_left - 1);
    case SC_OTP_WRONG_LAST:
        return refusal(p, "Invalid code", "InvalidAuthCode", NULL, 0);
    case SC_OTP_EXPIRED:
        return refusal(p, "Expired code", "ExpiredAuthCode", NULL, 0);
    default:
        return refusal(p, "Unknown auth id", "UnknownAuthId", NULL, 0);
    }
}

void sc_flowroute_fault(apr_pool_t *p, sc_flowroute_fault_e fault, sc_otp_reply_t *reply)
{
    static const struct {
        int status;
        const char *message, *reason;
    } faults[] = {
        [SC_FLOWROUTE_INTERNAL] = { 500, "Internal error", "InternalError" },
        [SC_FLOWROUTE_RATE_LIMITED] = { 429, "Too many requests", "RateLimited" },
        [SC_FLOWROUTE_UNAUTHORIZED] = { 401, "Unauthorized", "InvalidAPIKey" },
        [SC_FLOWROUTE_NOT_ALLOWED] = { 405, "Method not allowed", "InvalidAPIUsage" },
    };

    if ((unsigned)fault >= sizeof(faults) / sizeof(faults[0])) {
        fault = SC_FLOWROUTE_INTERNAL;
    }
    sc_otp_reply(reply, faults[fault].status, SC_FLOWROUTE_CONTENT_TYPE,
                 refusal(p, faults[fault].message, faults[fault].reason, NULL, -1));
}

void sc_flowroute_unreadable(apr_pool_t *p, int status, sc_otp_reply_t *reply)
{
    sc_otp_reply(reply, status, SC_FLOWROUTE_CONTENT_TYPE,
                 usage(p, "Unreadable request", NULL));
}
