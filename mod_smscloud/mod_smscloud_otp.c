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
#include "sc_hmac.h"
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

int smscloud_otp_authenticate(request_rec *r, ap_dbd_t *db, smscloud_api_key_t **key)
{
    const char *id = NULL, *secret = NULL;
    smscloud_api_key_t *found = NULL;

    *key = NULL;
    if (ap_get_basic_auth_components(r, &id, &secret) == APR_SUCCESS
        && smscloud_db_api_key(r, db, id, &found) != APR_SUCCESS) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    /* an unknown key, a revoked one and a wrong secret: the same work */
    if (!sc_otp_key_ok(r->pool, secret, found ? found->secret_hash : NULL)) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                      "SC10001: OTP API call refused: unknown key or wrong secret");
        apr_table_setn(r->err_headers_out, "WWW-Authenticate", "Basic realm=\"OTP API\"");
        return HTTP_UNAUTHORIZED;
    }
    *key = found;
    r->user = apr_pstrdup(r->pool, id);
    return OK;
}

/* 1 when the caller is a live key; else 0 and *rc is the answer given. */
static int authenticate(call_t *c, int *rc)
{
    smscloud_api_key_t *key;
    int status = smscloud_otp_authenticate(c->r, c->db, &key);

    if (status == HTTP_SERVICE_UNAVAILABLE) {
        *rc = unavailable(c);
        return 0;
    }
    if (status != OK) {
        *rc = fail(c->r, HTTP_UNAUTHORIZED, E_AUTH, "Authenticate");
        return 0;
    }
    c->key = key;
    return 1;
}

/* ------------------------------------------------------------------ */
/* sending                                                             */

smscloud_rate_result_e smscloud_otp_send_limits(request_rec *r, ap_dbd_t *db,
                                                const smscloud_api_key_t *key,
                                                const char *phone)
{
    apr_array_header_t *hits = smscloud_rate_list(r->pool);

    smscloud_rate_add_named(hits, "api_send_key", key->id, key->send_limit,
                            key->window);
    smscloud_rate_add(r, hits, SC_RATE_LOGIN_IP, smscloud_client_bucket(r));
    smscloud_rate_add(r, hits, SC_RATE_LOGIN_PHONE, phone);
    smscloud_rate_add(r, hits, SC_RATE_LOGIN_PHONE_DAY, phone);
    return smscloud_rate_count(r, db, hits, NULL);
}

static const char *code_hash(request_rec *r, const char *sid, const char *code)
{
    return smscloud_keyed_hash(r, "api-otp", apr_pstrcat(r->pool, sid, ":", code, NULL));
}

apr_status_t smscloud_otp_store_and_send(request_rec *r, ap_dbd_t *db,
                                         const smscloud_api_key_t *key,
                                         const sc_otp_service_t *svc, const char *lookup,
                                         const char *phone, const char *name, int replace,
                                         smscloud_otp_row_t **v, smscloud_otp_sent_e *sent)
{
    smscloud_otp_row_t *old = NULL;
    const char *sid, *code;
    sc_sms_result_t res;
    apr_status_t rv;

    *sent = SC_OTP_NOT_SENT;
    if ((rv = smscloud_db_otp_lock(r, db, key->id, svc->sid, lookup, NULL, &old))
        != APR_SUCCESS) {
        return rv;
    }
    if (old && (old->expired || replace)) {
        if ((rv = smscloud_db_otp_delete(r, db, old->sid)) != APR_SUCCESS) {
            return rv;
        }
        old = NULL;
    }
    if (old && old->sends >= svc->sends) {
        *sent = SC_OTP_MAX_SENDS;
        return APR_SUCCESS;
    }
    if (sc_random_digits(r->pool, svc->code_length, &code) != APR_SUCCESS
        || (!old && sc_otp_new_sid(r->pool, "VE", &sid) != APR_SUCCESS)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SC10002: no random bytes for a code");
        return APR_EGENERAL;
    }
    if (old) {
        rv = smscloud_db_otp_resend(r, db, old->sid, code_hash(r, old->sid, code),
                                    svc->lifetime, v);
    }
    else {
        rv = smscloud_db_otp_insert(r, db, sid, key->id, svc->sid, lookup, phone,
                                    code_hash(r, sid, code), svc->checks, svc->lifetime, v);
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = smscloud_sms_send(r, db, phone, sc_otp_message(r->pool, svc, key->message, name, code),
                           &res);
    if (rv != APR_SUCCESS || !res.sent) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, rv, r,
                      "SC10003: OTP API code for %s not sent (error %d)",
                      sc_phone_redact(r->pool, phone), res.error_code);
        *sent = sc_sms_refused_recipient(rv, &res) ? SC_OTP_REFUSED : SC_OTP_NOT_SENT;
        return APR_SUCCESS;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "SC10004: key %s: code sent to %s",
                  key->id, sc_phone_redact(r->pool, phone));
    sc_metric_inc(SC_METRIC_OTP_SENDS, "api", NULL);
    *sent = SC_OTP_SENT;
    return APR_SUCCESS;
}

static int create(call_t *c)
{
    const char *to = sc_form_get(c->form, "To"), *channel = sc_form_get(c->form, "Channel");
    const char *name = sc_form_get(c->form, "CustomFriendlyName"), *phone;
    smscloud_otp_row_t *v = NULL;
    smscloud_otp_sent_e sent = SC_OTP_NOT_SENT;
    smscloud_rate_result_e res;
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
    if ((res = smscloud_otp_send_limits(c->r, c->db, c->key, phone)) != SC_RATE_ALLOWED) {
        return limited(c, res);
    }
    if (smscloud_db_begin(c->r, c->db) != APR_SUCCESS) {
        return unavailable(c);
    }
    rv = smscloud_otp_store_and_send(c->r, c->db, c->key, c->svc, phone, phone, name, 0,
                                     &v, &sent);
    /* nothing of a code that did not go out may stay */
    if (smscloud_db_end(c->r, c->db, rv == APR_SUCCESS && sent == SC_OTP_SENT) != APR_SUCCESS
        || rv != APR_SUCCESS) {
        return unavailable(c);
    }
    switch (sent) {
    case SC_OTP_SENT:
        return answer(c, HTTP_CREATED, v, "pending", 0);
    case SC_OTP_MAX_SENDS:
        return fail(c->r, HTTP_TOO_MANY_REQUESTS, E_MAX_SENDS, "Max send attempts reached");
    case SC_OTP_REFUSED:
        return bad_param(c, "To");
    default:
        return unavailable(c);
    }
}

/* ------------------------------------------------------------------ */
/* checking                                                            */

smscloud_rate_result_e smscloud_otp_check_limits(request_rec *r, ap_dbd_t *db,
                                                 const smscloud_api_key_t *key)
{
    apr_array_header_t *hits = smscloud_rate_list(r->pool);

    smscloud_rate_add_named(hits, "api_check_key", key->id, key->check_limit,
                            key->window);
    smscloud_rate_add_named(hits, "api_check_ip", smscloud_client_bucket(r),
                            SC_OTP_CHECKS_PER_IP, SC_OTP_CHECK_WINDOW);
    return smscloud_rate_count(r, db, hits, NULL);
}

void smscloud_otp_count_check(apr_status_t rv, sc_otp_check_e result)
{
    sc_metric_otp_checked("api", rv == APR_EAGAIN || result == SC_OTP_NO_CHECKS
                                 ? SC_METRIC_OTP_LOCKOUTS
                                 : result == SC_OTP_RIGHT ? SC_METRIC_OTP_APPROVALS
                                 : SC_METRIC_OTP_FAILURES);
}

apr_status_t smscloud_otp_check_locked(request_rec *r, ap_dbd_t *db,
                                       const smscloud_api_key_t *key,
                                       const sc_otp_service_t *svc, const char *lookup,
                                       const char *phone, const char *sid, const char *code,
                                       int last_kills, smscloud_otp_row_t **v,
                                       sc_otp_check_e *result)
{
    smscloud_rate_result_e res;
    apr_status_t rv;

    if ((rv = smscloud_db_otp_lock(r, db, key->id, svc->sid, lookup, sid, v)) != APR_SUCCESS) {
        return rv;
    }
    /* a pending verification of another To than the one given is none */
    if (*v && phone && sid && strcmp((*v)->phone, phone)) {
        *v = NULL;
    }
    if (*v && (res = smscloud_rate_hit_named(r, db, "api_check_phone", (*v)->phone,
                                             SC_OTP_CHECKS_PER_PHONE,
                                             SC_OTP_CHECK_WINDOW)) != SC_RATE_ALLOWED) {
        return res == SC_RATE_ERROR ? APR_EGENERAL : APR_EAGAIN;
    }
    *result = sc_otp_check_decide(*v != NULL, *v && (*v)->expired, *v ? (*v)->checks_left : 0,
                                  *v && sc_const_eq(code_hash(r, (*v)->sid, code),
                                                    (*v)->code_hash));
    switch (*result) {
    case SC_OTP_WRONG_LAST:
        if (last_kills) {
            return smscloud_db_otp_delete(r, db, (*v)->sid);
        }
        return smscloud_db_otp_wrong(r, db, (*v)->sid);
    case SC_OTP_RIGHT:
    case SC_OTP_EXPIRED:
        return smscloud_db_otp_delete(r, db, (*v)->sid);
    case SC_OTP_WRONG:
        return smscloud_db_otp_wrong(r, db, (*v)->sid);
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
    if (sid && !sc_twilio_sid_ok(sid, "VE")) {
        return not_found(c);
    }
    if ((res = smscloud_otp_check_limits(c->r, c->db, c->key)) != SC_RATE_ALLOWED) {
        return limited(c, res);
    }
    if (smscloud_db_begin(c->r, c->db) != APR_SUCCESS) {
        return unavailable(c);
    }
    rv = smscloud_otp_check_locked(c->r, c->db, c->key, c->svc, phone, phone, sid, code, 0,
                                   &v, &result);
    if (smscloud_db_end(c->r, c->db, rv == APR_SUCCESS) != APR_SUCCESS
        || (rv != APR_SUCCESS && rv != APR_EAGAIN)) {
        return unavailable(c);
    }
    smscloud_otp_count_check(rv, result);
    if (rv == APR_EAGAIN) {
        return limited(c, SC_RATE_LIMITED);
    }
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

    if (!sc_twilio_sid_ok(c->route.verification_sid, "VE")) {
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

const sc_otp_service_t *smscloud_otp_service(request_rec *r, const char *sid)
{
    const smscloud_conf_t *conf = smscloud_conf(r);

    return sid && conf->otp_services
           ? apr_hash_get(conf->otp_services, sid, APR_HASH_KEY_STRING) : NULL;
}

int smscloud_verify_api_handler(request_rec *r)
{
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
    c.svc = c.route.kind != SC_VERIFY_NOWHERE ? smscloud_otp_service(r, c.route.service_sid)
                                              : NULL;
    if (!c.svc) {
        return not_found(&c);
    }
    return dispatch(&c);
}
