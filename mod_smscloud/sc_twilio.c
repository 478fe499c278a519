/* sc_twilio.c - POST .../Messages.json (see sc_twilio.h). */

#include <string.h>

#include <apr_strings.h>
#include <apr_tables.h>
#include <apr_escape.h>

#include "sc_twilio.h"
#include "sc_http.h"
#include "sc_json.h"
#include "sc_form.h"

/* Twilio answers are small; anything bigger is not a Twilio answer. */
#define TWILIO_MAX_RESPONSE ((apr_size_t)64 * 1024)

int sc_twilio_sid_ok(const char *s, const char *prefix)
{
    return s && prefix && strlen(prefix) == 2 && !strncmp(s, prefix, 2)
        && strlen(s + 2) == SC_TWILIO_SID_HEX
        && strspn(s + 2, "0123456789abcdef") == SC_TWILIO_SID_HEX;
}

/* ------------------------------------------------------------------------ */
/* errors */

typedef struct {
    int code;
    const char *reason;
} reason_map_t;

/* Codes are Twilio's own (21xxx, 20xxx) or, when Twilio gave none, the
 * HTTP status. The texts go to end users, so they say what to do, not
 * what Twilio said. */
static const reason_map_t reasons[] = {
    { 21211, "that phone number is not valid" },
    { 21610, "that number has replied STOP and no longer accepts messages from us" },
    { 21614, "that number is not a mobile phone" },
    { 21408, "that number cannot be reached by SMS" },
    { 21612, "that number cannot be reached by SMS" },
    { 21617, "the message is too long" },
    { 20429, "too many messages, try again later" },
    { 429,   "too many messages, try again later" },
    { 20003, "the SMS service is misconfigured" },
    { 401,   "the SMS service is misconfigured" },
    { 21212, "the SMS service is misconfigured" },
    { 21606, "the SMS service is misconfigured" },
    { 0, NULL }
};

static const char *reason_for(int code, int http_status)
{
    const reason_map_t *m;

    for (m = reasons; m->reason; m++) {
        if (m->code == code) {
            return m->reason;
        }
    }
    /* Without a code we recognise, Twilio's own trouble (5xx) is worth a
     * retry while anything else is about this message. */
    if (http_status >= 500) {
        return SC_SMS_REASON_UNAVAILABLE;
    }
    if (http_status == 429) {
        return "too many messages, try again later";
    }
    if (http_status == 401 || http_status == 403) {
        return "the SMS service is misconfigured";
    }
    return "the message could not be sent";
}

void sc_twilio_decode_error(apr_pool_t *p, int http_status, const char *body,
                            apr_size_t len, sc_sms_result_t *res)
{
    sc_json_t *j = NULL;
    apr_int64_t code = 0;

    res->sent = 0;
    res->sid = NULL;
    res->error_code = http_status;
    /* Flat and RFC 9457 errors both carry "code"; only a positive code
     * that fits an int is believed. */
    if (body && len > 0
        && sc_json_parse(p, body, len, &j) == APR_SUCCESS
        && sc_json_is_object(j)
        && sc_json_geti(j, &code, "code", NULL)
        && code > 0 && code <= 0x7fffffff) {
        res->error_code = (int)code;
    }
    res->reason = reason_for(res->error_code, http_status);
}

/* ------------------------------------------------------------------------ */
/* sending */

static const char *messages_url(apr_pool_t *p, const sc_twilio_conf_t *c)
{
    apr_size_t n = strlen(c->api_base);

    while (n > 0 && c->api_base[n - 1] == '/') {
        n--;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, c->api_base, n),
                       "/2010-04-01/Accounts/",
                       apr_pescape_path_segment(p, c->account_sid),
                       "/Messages.json", NULL);
}

static void fail(sc_sms_result_t *res, int code, const char *reason)
{
    res->sent = 0;
    res->error_code = code;
    res->reason = reason;
    res->sid = NULL;
}

apr_status_t sc_twilio_send(apr_pool_t *p, const sc_twilio_conf_t *c,
                            const char *to, const char *body,
                            sc_sms_result_t *res)
{
    sc_http_request_t req;
    sc_http_response_t *resp = NULL;
    apr_array_header_t *pairs;
    sc_json_t *j = NULL;
    const char *form;
    apr_status_t rv;

    fail(res, 0, "the SMS service is misconfigured");
    if (!c || !c->api_base || !c->account_sid || !*c->account_sid
        || !c->auth_token || !c->from || !*c->from) {
        return APR_EINVAL;
    }
    if (!to || !*to || !body) {
        fail(res, 0, "the message could not be sent");
        return APR_EINVAL;
    }

    pairs = apr_array_make(p, 3, sizeof(sc_pair_t));
    sc_form_add(pairs, "To", to);
    /* A messaging service picks the sender from its own pool. */
    sc_form_add(pairs, strncmp(c->from, "MG", 2) == 0 ? "MessagingServiceSid" : "From",
                c->from);
    sc_form_add(pairs, "Body", body);
    form = sc_form_encode(p, pairs);

    memset(&req, 0, sizeof(req));
    req.target = "twilio";
    req.method = "POST";
    req.url = messages_url(p, c);
    req.headers = apr_table_make(p, 3);
    apr_table_setn(req.headers, "Content-Type", "application/x-www-form-urlencoded");
    apr_table_setn(req.headers, "Accept", "application/json");
    apr_table_setn(req.headers, "Accept-Charset", "utf-8");
    req.body = form;
    req.body_len = strlen(form);
    req.user = c->account_sid;
    req.password = c->auth_token;
    req.connect_timeout_ms = c->connect_timeout_ms;
    req.timeout_ms = c->timeout_ms;
    req.max_response = TWILIO_MAX_RESPONSE;
    req.not_repeatable = 1;

    rv = sc_http_perform(p, &req, &resp);
    if (rv != APR_SUCCESS) {
        fail(res, 0, SC_SMS_REASON_UNAVAILABLE);
        return rv;
    }
    if (resp->status >= 200 && resp->status < 300) {
        res->sent = 1;
        res->error_code = 0;
        res->reason = NULL;
        /* The message went out even if the answer is odd; the sid is only
         * for logs. */
        if (sc_json_parse(p, resp->body, resp->body_len, &j) == APR_SUCCESS) {
            res->sid = sc_json_gets(p, j, "sid", NULL);
        }
        return APR_SUCCESS;
    }
    sc_twilio_decode_error(p, resp->status, resp->body, resp->body_len, res);
    return APR_SUCCESS;
}

int sc_sms_refused_recipient(apr_status_t rv, const sc_sms_result_t *res)
{
    return rv == APR_SUCCESS && res && res->error_code >= 21000 && res->error_code < 22000;
}
