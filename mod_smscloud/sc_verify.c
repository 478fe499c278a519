/* sc_verify.c: the OTP API in Twilio Verify v2's wire format. */
#include <string.h>

#include <apr_strings.h>

#include "sc_form.h"
#include "sc_json.h"
#include "sc_phone.h"
#include "sc_twilio.h"
#include "sc_verify.h"

#define ROUTE_PREFIX "/v2/Services/"

/* Twilio's error codes (https://www.twilio.com/docs/errors/NNNNN). */
#define E_AUTH        20003
#define E_NOT_FOUND   20404
#define E_METHOD      20004
#define E_TOO_MANY    20429
#define E_UNAVAILABLE 20503
#define E_PARAM       60200
#define E_MAX_CHECKS  60202
#define E_MAX_SENDS   60203

/* ------------------------------------------------------------------ */
/* routes                                                              */

void sc_verify_route(apr_pool_t *p, const char *path, sc_verify_route_t *route)
{
    const char *at = NULL, *next, *rest, *slash;

    memset(route, 0, sizeof(*route));
    for (next = path; next && (next = strstr(next, ROUTE_PREFIX)); next++) {
        at = next;
    }
    if (!at) {
        return;
    }
    at += sizeof(ROUTE_PREFIX) - 1;
    if (!(slash = strchr(at, '/')) || slash == at) {
        return;
    }
    route->service_sid = apr_pstrmemdup(p, at, (apr_size_t)(slash - at));
    rest = slash + 1;
    if (!strcmp(rest, "VerificationCheck")) {
        route->kind = SC_VERIFY_CHECK;
    }
    else if (!strcmp(rest, "Verifications")) {
        route->kind = SC_VERIFY_LIST;
    }
    else if (!strncmp(rest, "Verifications/", 14) && rest[14] && !strchr(rest + 14, '/')) {
        route->kind = SC_VERIFY_ONE;
        route->verification_sid = apr_pstrdup(p, rest + 14);
    }
}

sc_verify_action_e sc_verify_action(sc_verify_route_e kind, int get, int post, int *allow)
{
    *allow = SC_VERIFY_ALLOW_POST | (kind == SC_VERIFY_ONE ? SC_VERIFY_ALLOW_GET : 0);
    if (kind == SC_VERIFY_ONE && get) {
        return SC_VERIFY_DO_FETCH;
    }
    if (!post) {
        return SC_VERIFY_DO_NOTHING;
    }
    switch (kind) {
    case SC_VERIFY_LIST:
        return SC_VERIFY_DO_CREATE;
    case SC_VERIFY_CHECK:
        return SC_VERIFY_DO_CHECK;
    default:
        return SC_VERIFY_DO_UPDATE;
    }
}

/* ------------------------------------------------------------------ */
/* faults                                                              */

static void error_reply(apr_pool_t *p, int status, int code, const char *message,
                        sc_otp_reply_t *reply)
{
    sc_otp_reply(reply, status, SC_VERIFY_CONTENT_TYPE,
                 sc_verify_error_json(p, status, code, message));
}

/* Each fault's status, Twilio error code and message; a message with a
 * detail is before + detail + after. */
static const struct {
    int status, code;
    const char *before, *after;
} faults[] = {
    [SC_VERIFY_UNAVAILABLE] = { 503, E_UNAVAILABLE, "Service unavailable, try again", NULL },
    [SC_VERIFY_UNAUTHORIZED] = { 401, E_AUTH, "Authenticate", NULL },
    [SC_VERIFY_NOT_FOUND] = { 404, E_NOT_FOUND, "The requested resource ", " was not found" },
    [SC_VERIFY_BAD_PARAM] = { 400, E_PARAM, "Invalid parameter: ", "" },
    [SC_VERIFY_TO_OR_SID] = { 400, E_PARAM,
                              "Either a 'To' or a 'VerificationSid' must be specified", NULL },
    [SC_VERIFY_TOO_MANY] = { 429, E_TOO_MANY, "Too many requests", NULL },
    [SC_VERIFY_MAX_SENDS] = { 429, E_MAX_SENDS, "Max send attempts reached", NULL },
    [SC_VERIFY_MAX_CHECKS] = { 429, E_MAX_CHECKS, "Max check attempts reached", NULL },
    [SC_VERIFY_NOT_ALLOWED] = { 405, E_METHOD, "Method not allowed", NULL },
};

void sc_verify_fault(apr_pool_t *p, sc_verify_fault_e fault, const char *detail,
                     sc_otp_reply_t *reply)
{
    unsigned i = (unsigned)fault < sizeof(faults) / sizeof(faults[0]) ? (unsigned)fault
                 : SC_VERIFY_UNAVAILABLE;
    const char *message = faults[i].before;

    if (faults[i].after) {
        message = apr_pstrcat(p, message, detail ? detail : "", faults[i].after, NULL);
    }
    error_reply(p, faults[i].status, faults[i].code, message, reply);
}

void sc_verify_unreadable(apr_pool_t *p, int status, sc_otp_reply_t *reply)
{
    error_reply(p, status, E_PARAM, "The request body is not a form this API accepts", reply);
}

static apr_status_t bad_param(apr_pool_t *p, const char *name, sc_otp_reply_t *reply)
{
    sc_verify_fault(p, SC_VERIFY_BAD_PARAM, name, reply);
    return APR_EINVAL;
}

static apr_status_t not_found(apr_pool_t *p, const char *path, sc_otp_reply_t *reply)
{
    sc_verify_fault(p, SC_VERIFY_NOT_FOUND, path, reply);
    return APR_EINVAL;
}

/* ------------------------------------------------------------------ */
/* requests                                                            */

apr_status_t sc_verify_parse_create(apr_pool_t *p, const apr_array_header_t *form,
                                    sc_verify_create_t *req, sc_otp_reply_t *reply)
{
    const char *to = sc_form_get(form, "To"), *channel = sc_form_get(form, "Channel");

    req->name = sc_form_get(form, "CustomFriendlyName");
    if (!to || sc_phone_normalise(p, to, &req->phone) != APR_SUCCESS) {
        return bad_param(p, "To", reply);
    }
    if (!channel || strcasecmp(channel, "sms")) {
        return bad_param(p, "Channel", reply);
    }
    if (req->name && !sc_otp_name_ok(req->name)) {
        return bad_param(p, "CustomFriendlyName", reply);
    }
    if (sc_form_get(form, "CustomCode")) {
        return bad_param(p, "CustomCode", reply);
    }
    return APR_SUCCESS;
}

apr_status_t sc_verify_parse_check(apr_pool_t *p, const apr_array_header_t *form,
                                   const char *path, sc_verify_check_t *req,
                                   sc_otp_reply_t *reply)
{
    const char *to = sc_form_get(form, "To");

    req->code = sc_form_get(form, "Code");
    req->sid = sc_form_get(form, "VerificationSid");
    req->phone = NULL;
    if (!req->code || !*req->code) {
        return bad_param(p, "Code", reply);
    }
    if (!to && !req->sid) {
        sc_verify_fault(p, SC_VERIFY_TO_OR_SID, NULL, reply);
        return APR_EINVAL;
    }
    if (to && sc_phone_normalise(p, to, &req->phone) != APR_SUCCESS) {
        return bad_param(p, "To", reply);
    }
    if (req->sid && !sc_twilio_sid_ok(req->sid, "VE")) {
        return not_found(p, path, reply);
    }
    return APR_SUCCESS;
}

apr_status_t sc_verify_parse_one(apr_pool_t *p, const char *sid, int update,
                                 const apr_array_header_t *form, const char *path,
                                 const char **status, sc_otp_reply_t *reply)
{
    *status = NULL;
    if (!sc_twilio_sid_ok(sid, "VE")) {
        return not_found(p, path, reply);
    }
    if (update) {
        *status = sc_form_get(form, "Status");
        if (!*status || (strcmp(*status, "canceled") && strcmp(*status, "approved"))) {
            *status = NULL;
            return bad_param(p, "Status", reply);
        }
    }
    return APR_SUCCESS;
}

int sc_verify_one_found(int found, int expired, const char *status, int *drop)
{
    int gone = !found || expired;

    *drop = found && (gone || status);
    return !gone;
}

/* ------------------------------------------------------------------ */
/* answers                                                             */

static sc_json_t *send_attempts(apr_pool_t *p, const char *channel, const char *sent_at)
{
    sc_json_t *arr = sc_json_new_array(p);
    char *copy = apr_pstrdup(p, sent_at ? sent_at : ""), *last, *t;

    for (t = apr_strtok(copy, ",", &last); t; t = apr_strtok(NULL, ",", &last)) {
        sc_json_t *one = sc_json_new_object(p);

        sc_json_sets(one, "time", t);
        sc_json_sets(one, "channel", channel);
        sc_json_sets(one, "attempt_sid", NULL);
        sc_json_array_add(arr, one);
    }
    return arr;
}

const char *sc_verify_json(apr_pool_t *p, const sc_verification_t *v, int check)
{
    sc_json_t *j = sc_json_new_object(p);

    sc_json_sets(j, "sid", v->sid);
    sc_json_sets(j, "service_sid", v->service_sid);
    sc_json_sets(j, "account_sid", v->account_sid);
    sc_json_sets(j, "to", v->to);
    sc_json_sets(j, "channel", v->channel);
    sc_json_sets(j, "status", v->status);
    sc_json_setb(j, "valid", !strcmp(v->status, "approved"));
    sc_json_sets(j, "amount", NULL);
    sc_json_sets(j, "payee", NULL);
    sc_json_sets(j, "date_created", v->created);
    sc_json_sets(j, "date_updated", v->updated);
    if (!check) {
        sc_json_setj(j, "lookup", sc_json_new_object(p));
        sc_json_setj(j, "send_code_attempts", send_attempts(p, v->channel, v->sent_at));
        sc_json_sets(j, "url", v->url);
    }
    return sc_json_to_string(p, j);
}

const char *sc_verify_error_json(apr_pool_t *p, int http_status, int code,
                                 const char *message)
{
    sc_json_t *j = sc_json_new_object(p);

    sc_json_seti(j, "code", code);
    sc_json_sets(j, "message", message);
    sc_json_sets(j, "more_info",
                 apr_psprintf(p, "https://www.twilio.com/docs/errors/%d", code));
    sc_json_seti(j, "status", http_status);
    return sc_json_to_string(p, j);
}

const char *sc_verify_resource_path(apr_pool_t *p, sc_verify_route_e kind,
                                    const char *path, const char *sid)
{
    switch (kind) {
    case SC_VERIFY_CHECK:
        return NULL;
    case SC_VERIFY_ONE:
        return path;
    default:
        return apr_pstrcat(p, path, "/", sid, NULL);
    }
}

void sc_verify_answer(apr_pool_t *p, int status, const sc_verification_t *v,
                      sc_otp_reply_t *reply)
{
    sc_otp_reply(reply, status, SC_VERIFY_CONTENT_TYPE, sc_verify_json(p, v, 0));
}

void sc_verify_sent(apr_pool_t *p, sc_otp_sent_e sent, sc_verification_t *v,
                    sc_otp_reply_t *reply)
{
    switch (sent) {
    case SC_OTP_SENT:
        v->status = "pending";
        sc_verify_answer(p, 201, v, reply);
        break;
    case SC_OTP_MAX_SENDS:
        sc_verify_fault(p, SC_VERIFY_MAX_SENDS, NULL, reply);
        break;
    case SC_OTP_REFUSED:
        sc_verify_fault(p, SC_VERIFY_BAD_PARAM, "To", reply);
        break;
    default:
        sc_verify_fault(p, SC_VERIFY_UNAVAILABLE, NULL, reply);
        break;
    }
}

void sc_verify_checked(apr_pool_t *p, sc_otp_check_e result, sc_verification_t *v,
                       const char *path, sc_otp_reply_t *reply)
{
    switch (result) {
    case SC_OTP_RIGHT:
        v->status = "approved";
        sc_otp_reply(reply, 200, SC_VERIFY_CONTENT_TYPE, sc_verify_json(p, v, 1));
        break;
    case SC_OTP_WRONG:
    case SC_OTP_WRONG_LAST:
        v->status = "pending";
        sc_otp_reply(reply, 200, SC_VERIFY_CONTENT_TYPE, sc_verify_json(p, v, 1));
        break;
    case SC_OTP_NO_CHECKS:
        sc_verify_fault(p, SC_VERIFY_MAX_CHECKS, NULL, reply);
        break;
    default:
        sc_verify_fault(p, SC_VERIFY_NOT_FOUND, path, reply);
        break;
    }
}
