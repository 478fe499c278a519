/*
 * smscloud-verify-api: the OTP API in Twilio Verify v2's wire format, so
 * that an application's own Twilio library (client.verify.base_url
 * pointed here) sends and checks codes through us unchanged.
 *
 *   POST .../v2/Services/{VA}/Verifications        send a code (201)
 *   POST .../v2/Services/{VA}/VerificationCheck    check one (200)
 *   GET  .../v2/Services/{VA}/Verifications/{VE}   fetch a pending one
 *   POST .../v2/Services/{VA}/Verifications/{VE}   Status=canceled|approved
 *
 * HTTP Basic: an api_keys id and its secret. The rules are the web
 * login's: CSPRNG digits, only a keyed hash stored, single use, checks
 * and lifetime per service, limits per phone, key and client address, and
 * every check of one verification in one transaction with its row locked.
 * A resend makes a new code (the old one dies), where Twilio resends the
 * same: we keep no code that could be sent again.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_otp.h"
#include "mod_smscloud_outbound.h"
#include "mod_smscloud_rate.h"
#include "mod_smscloud_request.h"
#include "mod_smscloud_session.h"

#include "apr_strings.h"
#include "sc_form.h"
#include "sc_metrics.h"
#include "sc_otp.h"
#include "sc_phone.h"
#include "sc_random.h"
#include "sc_twilio.h"

#define JSON_TYPE "application/json; charset=utf-8"

/* Twilio's error codes (https://www.twilio.com/docs/errors/NNNNN). */
#define E_AUTH        20003
#define E_NOT_FOUND   20404
#define E_METHOD      20004
#define E_TOO_MANY    20429
#define E_UNAVAILABLE 20503
#define E_PARAM       60200
#define E_MAX_CHECKS  60202
#define E_MAX_SENDS   60203

typedef struct {
    request_rec *r;
    ap_dbd_t *db;
    const sc_otp_service_t *svc;
    const smscloud_api_key_t *key;
    apr_array_header_t *form;
    sc_verify_route_t route;
} call_t;

const char *smscloud_otp_set_service(cmd_parms *cmd, void *dconf, int argc,
                                     char *const argv[])
{
    smscloud_conf_t *conf = ap_get_module_config(cmd->server->module_config,
                                                 &smscloud_module);
    sc_otp_service_t *svc;
    const char *err;

    if (sc_otp_service_parse(cmd->pool, argc, argv, &svc, &err) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: %s", cmd->cmd->name, err);
    }
    if (!conf->otp_services) {
        conf->otp_services = apr_hash_make(cmd->pool);
    }
    if (apr_hash_get(conf->otp_services, svc->sid, APR_HASH_KEY_STRING)) {
        return apr_psprintf(cmd->pool, "%s: service %s is configured twice",
                            cmd->cmd->name, svc->sid);
    }
    apr_hash_set(conf->otp_services, svc->sid, APR_HASH_KEY_STRING, svc);
    return NULL;
}

static int fail(request_rec *r, int status, int code, const char *message)
{
    if (status == HTTP_TOO_MANY_REQUESTS) {
        apr_table_setn(r->err_headers_out, "Retry-After", "60");
    }
    return smscloud_send_text(r, status, JSON_TYPE,
                              sc_verify_error_json(r->pool, status, code, message));
}

static int not_found(call_t *c)
{
    return fail(c->r, HTTP_NOT_FOUND, E_NOT_FOUND,
                apr_psprintf(c->r->pool, "The requested resource %s was not found",
                             c->r->uri));
}

static int bad_param(call_t *c, const char *name)
{
    return fail(c->r, HTTP_BAD_REQUEST, E_PARAM,
                apr_pstrcat(c->r->pool, "Invalid parameter: ", name, NULL));
}

static int unavailable(call_t *c)
{
    return fail(c->r, HTTP_SERVICE_UNAVAILABLE, E_UNAVAILABLE,
                "Service unavailable, try again");
}

static int limited(call_t *c, smscloud_rate_result_e res)
{
    return res == SC_RATE_ERROR ? unavailable(c)
                                : fail(c->r, HTTP_TOO_MANY_REQUESTS, E_TOO_MANY,
                                       "Too many requests");
}

static int answer(call_t *c, int status, const smscloud_otp_row_t *v,
                  const char *verification_status, int check)
{
    sc_verification_t out;
    const char *path = c->route.kind == SC_VERIFY_ONE
                       ? c->r->uri
                       : apr_pstrcat(c->r->pool, c->r->uri, "/", v->sid, NULL);

    out.sid = v->sid;
    out.service_sid = c->svc->sid;
    out.account_sid = c->key->id;
    out.to = v->phone;
    out.channel = v->channel;
    out.status = verification_status;
    out.created = v->created;
    out.updated = v->updated;
    out.sent_at = v->sent_at;
    out.url = c->route.kind == SC_VERIFY_CHECK ? NULL : smscloud_public_url(c->r, path);
    return smscloud_send_text(c->r, status, JSON_TYPE, sc_verify_json(c->r->pool, &out, check));
}

/* ------------------------------------------------------------------ */
/* credentials                                                         */

/* An unknown key, a revoked one and a wrong secret: the same answer,
 * after the same work. 1 when the caller is a live key; else 0 and *rc
 * is the answer given. */
static int authenticate(call_t *c, int *rc)
{
    const char *id = NULL, *secret = NULL;
    smscloud_api_key_t *key = NULL;

    if (ap_get_basic_auth_components(c->r, &id, &secret) == APR_SUCCESS) {
        if (smscloud_db_api_key(c->r, c->db, id, &key) != APR_SUCCESS) {
            *rc = unavailable(c);
            return 0;
        }
    }
    if (!sc_otp_key_ok(c->r->pool, secret, key ? key->secret_hash : NULL)) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, c->r,
                      "SC10001: OTP API call refused: unknown key or wrong secret");
        apr_table_setn(c->r->err_headers_out, "WWW-Authenticate",
                       "Basic realm=\"Twilio API\"");
        *rc = fail(c->r, HTTP_UNAUTHORIZED, E_AUTH, "Authenticate");
        return 0;
    }
    c->key = key;
    c->r->user = apr_pstrdup(c->r->pool, id);
    return 1;
}

/* ------------------------------------------------------------------ */
/* sending                                                             */

static smscloud_rate_result_e send_limits(call_t *c, const char *phone)
{
    smscloud_rate_result_e res;

    res = smscloud_rate_hit_named(c->r, c->db, "api_send_key", c->key->id,
                                  c->key->send_limit, c->key->window);
    if (res == SC_RATE_ALLOWED) {
        res = smscloud_rate_hit(c->r, c->db, SC_RATE_LOGIN_IP, c->r->useragent_ip);
    }
    if (res == SC_RATE_ALLOWED) {
        res = smscloud_rate_hit(c->r, c->db, SC_RATE_LOGIN_PHONE, phone);
    }
    if (res == SC_RATE_ALLOWED) {
        res = smscloud_rate_hit(c->r, c->db, SC_RATE_LOGIN_PHONE_DAY, phone);
    }
    return res;
}

static const char *code_hash(call_t *c, const char *sid, const char *code)
{
    return smscloud_keyed_hash(c->r, "api-otp", apr_pstrcat(c->r->pool, sid, ":", code, NULL));
}

/* Inside the transaction: store the new code (a new verification or a
 * resend of the pending one) and text it; *status is the HTTP answer
 * when the caller should not answer with the verification. */
static apr_status_t store_and_send(call_t *c, const char *phone, const char *name,
                                   smscloud_otp_row_t **v, int *status)
{
    smscloud_otp_row_t *old = NULL;
    const char *sid, *code;
    sc_sms_result_t res;
    apr_status_t rv;

    if ((rv = smscloud_db_otp_lock(c->r, c->db, c->key->id, c->svc->sid, phone, NULL,
                                   &old)) != APR_SUCCESS) {
        return rv;
    }
    if (old && old->expired) {
        if ((rv = smscloud_db_otp_delete(c->r, c->db, old->sid)) != APR_SUCCESS) {
            return rv;
        }
        old = NULL;
    }
    if (old && old->sends >= c->svc->sends) {
        *status = E_MAX_SENDS;
        return APR_SUCCESS;
    }
    if (sc_random_digits(c->r->pool, c->svc->code_length, &code) != APR_SUCCESS
        || (!old && sc_otp_new_sid(c->r->pool, "VE", &sid) != APR_SUCCESS)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, c->r, "SC10002: no random bytes for a code");
        return APR_EGENERAL;
    }
    if (old) {
        rv = smscloud_db_otp_resend(c->r, c->db, old->sid, code_hash(c, old->sid, code),
                                    c->svc->lifetime, v);
    }
    else {
        rv = smscloud_db_otp_insert(c->r, c->db, sid, c->key->id, c->svc->sid, phone, phone,
                                    code_hash(c, sid, code), c->svc->checks,
                                    c->svc->lifetime, v);
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = smscloud_sms_send(c->r, c->db, phone,
                           sc_otp_message(c->r->pool, c->svc, c->key->message, name, code),
                           &res);
    if (rv != APR_SUCCESS || !res.sent) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, rv, c->r,
                      "SC10003: OTP API code for %s not sent (error %d)",
                      sc_phone_redact(c->r->pool, phone), res.error_code);
        *status = sc_sms_refused_recipient(rv, &res) ? E_PARAM : E_UNAVAILABLE;
        /* nothing of it may stay: the caller rolls back */
        return APR_SUCCESS;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, c->r, "SC10004: key %s: code sent to %s",
                  c->key->id, sc_phone_redact(c->r->pool, phone));
    sc_metric_inc(SC_METRIC_OTP_SENDS, "api", NULL);
    return APR_SUCCESS;
}

static int create(call_t *c)
{
    const char *to = sc_form_get(c->form, "To"), *channel = sc_form_get(c->form, "Channel");
    const char *name = sc_form_get(c->form, "CustomFriendlyName"), *phone;
    smscloud_otp_row_t *v = NULL;
    smscloud_rate_result_e res;
    int status = 0;
    apr_status_t rv;

    if (!to || sc_phone_normalise(c->r->pool, to, &phone) != APR_SUCCESS) {
        return bad_param(c, "To");
    }
    if (!channel || strcasecmp(channel, "sms")) {
        return bad_param(c, "Channel");
    }
    if (name && !sc_otp_name_ok(name)) {
        return bad_param(c, "CustomFriendlyName");
    }
    if (sc_form_get(c->form, "CustomCode")) {
        /* codes come from our CSPRNG only */
        return bad_param(c, "CustomCode");
    }
    if ((res = send_limits(c, phone)) != SC_RATE_ALLOWED) {
        return limited(c, res);
    }
    if (smscloud_db_begin(c->r, c->db) != APR_SUCCESS) {
        return unavailable(c);
    }
    rv = store_and_send(c, phone, name, &v, &status);
    if (smscloud_db_end(c->r, c->db, rv == APR_SUCCESS && !status) != APR_SUCCESS
        || rv != APR_SUCCESS) {
        return unavailable(c);
    }
    if (status == E_MAX_SENDS) {
        return fail(c->r, HTTP_TOO_MANY_REQUESTS, E_MAX_SENDS, "Max send attempts reached");
    }
    if (status == E_PARAM) {
        return bad_param(c, "To");
    }
    if (status) {
        return unavailable(c);
    }
    return answer(c, HTTP_CREATED, v, "pending", 0);
}

/* ------------------------------------------------------------------ */
/* checking                                                            */

static smscloud_rate_result_e check_limits(call_t *c)
{
    smscloud_rate_result_e res;

    res = smscloud_rate_hit_named(c->r, c->db, "api_check_key", c->key->id,
                                  c->key->check_limit, c->key->window);
    if (res == SC_RATE_ALLOWED) {
        res = smscloud_rate_hit_named(c->r, c->db, "api_check_ip", c->r->useragent_ip,
                                      SC_OTP_CHECKS_PER_IP, SC_OTP_CHECK_WINDOW);
    }
    return res;
}

/* Inside the transaction, the row locked: decide and write it down. */
static apr_status_t check_locked(call_t *c, const char *phone, const char *sid,
                                 const char *code, smscloud_otp_row_t **v,
                                 sc_otp_check_e *result)
{
    smscloud_rate_result_e res;
    apr_status_t rv;

    if ((rv = smscloud_db_otp_lock(c->r, c->db, c->key->id, c->svc->sid, phone, sid, v))
        != APR_SUCCESS) {
        return rv;
    }
    /* a pending verification of another To than the one given is none */
    if (*v && phone && sid && strcmp((*v)->phone, phone)) {
        *v = NULL;
    }
    if (*v && (res = smscloud_rate_hit_named(c->r, c->db, "api_check_phone", (*v)->phone,
                                             SC_OTP_CHECKS_PER_PHONE,
                                             SC_OTP_CHECK_WINDOW)) != SC_RATE_ALLOWED) {
        return res == SC_RATE_ERROR ? APR_EGENERAL : APR_EAGAIN;
    }
    *result = sc_otp_check_decide(*v != NULL, *v && (*v)->expired, *v ? (*v)->checks_left : 0,
                                  *v && sc_const_eq(code_hash(c, (*v)->sid, code),
                                                    (*v)->code_hash));
    switch (*result) {
    case SC_OTP_RIGHT:
    case SC_OTP_EXPIRED:
        return smscloud_db_otp_delete(c->r, c->db, (*v)->sid);
    case SC_OTP_WRONG:
    case SC_OTP_WRONG_LAST:
        return smscloud_db_otp_wrong(c->r, c->db, (*v)->sid);
    default:
        return APR_SUCCESS;
    }
}

static int check(call_t *c)
{
    const char *code = sc_form_get(c->form, "Code"), *to = sc_form_get(c->form, "To");
    const char *sid = sc_form_get(c->form, "VerificationSid"), *phone = NULL;
    sc_otp_check_e result = SC_OTP_UNKNOWN;
    smscloud_otp_row_t *v = NULL;
    smscloud_rate_result_e res;
    apr_status_t rv;

    if (!code || !*code) {
        return bad_param(c, "Code");
    }
    if (!to && !sid) {
        return fail(c->r, HTTP_BAD_REQUEST, E_PARAM,
                    "Either a 'To' or a 'VerificationSid' must be specified");
    }
    if (to && sc_phone_normalise(c->r->pool, to, &phone) != APR_SUCCESS) {
        return bad_param(c, "To");
    }
    if (sid && !sc_otp_sid_ok(sid, "VE")) {
        return not_found(c);
    }
    if ((res = check_limits(c)) != SC_RATE_ALLOWED) {
        return limited(c, res);
    }
    if (smscloud_db_begin(c->r, c->db) != APR_SUCCESS) {
        return unavailable(c);
    }
    rv = check_locked(c, phone, sid, code, &v, &result);
    if (smscloud_db_end(c->r, c->db, rv == APR_SUCCESS) != APR_SUCCESS
        || (rv != APR_SUCCESS && rv != APR_EAGAIN)) {
        return unavailable(c);
    }
    if (rv == APR_EAGAIN) {
        sc_metric_otp_checked("api", SC_METRIC_OTP_LOCKOUTS);
        return limited(c, SC_RATE_LIMITED);
    }
    sc_metric_otp_checked("api", result == SC_OTP_RIGHT ? SC_METRIC_OTP_APPROVALS
                                 : result == SC_OTP_NO_CHECKS ? SC_METRIC_OTP_LOCKOUTS
                                 : SC_METRIC_OTP_FAILURES);
    switch (result) {
    case SC_OTP_RIGHT:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, c->r, "SC10005: key %s: %s verified",
                      c->key->id, sc_phone_redact(c->r->pool, v->phone));
        return answer(c, HTTP_OK, v, "approved", 1);
    case SC_OTP_WRONG:
    case SC_OTP_WRONG_LAST:
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, c->r, "SC10006: key %s: wrong code for %s",
                      c->key->id, sc_phone_redact(c->r->pool, v->phone));
        return answer(c, HTTP_OK, v, "pending", 1);
    case SC_OTP_NO_CHECKS:
        return fail(c->r, HTTP_TOO_MANY_REQUESTS, E_MAX_CHECKS, "Max check attempts reached");
    default:
        return not_found(c);
    }
}

/* ------------------------------------------------------------------ */
/* one verification                                                    */

static int one(call_t *c)
{
    const char *status = NULL;
    smscloud_otp_row_t *v = NULL;
    apr_status_t rv;
    int gone;

    if (!sc_otp_sid_ok(c->route.verification_sid, "VE")) {
        return not_found(c);
    }
    if (c->r->method_number == M_POST) {
        status = sc_form_get(c->form, "Status");
        if (!status || (strcmp(status, "canceled") && strcmp(status, "approved"))) {
            return bad_param(c, "Status");
        }
    }
    if (smscloud_db_begin(c->r, c->db) != APR_SUCCESS) {
        return unavailable(c);
    }
    rv = smscloud_db_otp_lock(c->r, c->db, c->key->id, c->svc->sid, NULL,
                              c->route.verification_sid, &v);
    gone = !v || v->expired;
    if (rv == APR_SUCCESS && v && (gone || status)) {
        rv = smscloud_db_otp_delete(c->r, c->db, v->sid);
    }
    if (smscloud_db_end(c->r, c->db, rv == APR_SUCCESS) != APR_SUCCESS || rv != APR_SUCCESS) {
        return unavailable(c);
    }
    if (gone) {
        return not_found(c);
    }
    return answer(c, HTTP_OK, v, status ? status : "pending", 0);
}

/* ------------------------------------------------------------------ */

static int method_not_allowed(call_t *c, int allowed)
{
    c->r->allowed = allowed;
    return fail(c->r, HTTP_METHOD_NOT_ALLOWED, E_METHOD, "Method not allowed");
}

static int dispatch(call_t *c)
{
    int post = c->r->method_number == M_POST, rc;

    if (c->route.kind == SC_VERIFY_ONE && c->r->method_number == M_GET) {
        return one(c);
    }
    if (!post) {
        return method_not_allowed(c, (AP_METHOD_BIT << M_POST)
                                  | (c->route.kind == SC_VERIFY_ONE ? AP_METHOD_BIT << M_GET : 0));
    }
    if ((rc = smscloud_read_form(c->r, smscloud_conf(c->r)->max_form_body, &c->form)) != OK) {
        return fail(c->r, rc, E_PARAM, "The request body is not a form this API accepts");
    }
    switch (c->route.kind) {
    case SC_VERIFY_LIST:
        return create(c);
    case SC_VERIFY_CHECK:
        return check(c);
    default:
        return one(c);
    }
}

int smscloud_verify_api_handler(request_rec *r)
{
    const smscloud_conf_t *conf = smscloud_conf(r);
    call_t c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.r = r;
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    sc_verify_route(r->pool, r->uri, &c.route);
    if (!(c.db = smscloud_db_acquire(r))) {
        return unavailable(&c);
    }
    /* who asks comes first: nothing about services is told to strangers */
    if (!authenticate(&c, &rc)) {
        return rc;
    }
    c.svc = c.route.kind != SC_VERIFY_NOWHERE && conf->otp_services
            ? apr_hash_get(conf->otp_services, c.route.service_sid, APR_HASH_KEY_STRING)
            : NULL;
    if (!c.svc) {
        return not_found(&c);
    }
    return dispatch(&c);
}
