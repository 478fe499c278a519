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
#include "mod_smscloud_dbd_rate.h"
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
#include "sc_verify.h"

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

int smscloud_otp_reply(request_rec *r, const sc_otp_reply_t *reply)
{
    if (reply->retry_after) {
        apr_table_setn(r->err_headers_out, "Retry-After", apr_itoa(r->pool, reply->retry_after));
    }
    return smscloud_send_text(r, reply->status, reply->content_type, reply->body);
}

static int fault(call_t *c, sc_verify_fault_e f, const char *detail)
{
    sc_otp_reply_t reply;

    sc_verify_fault(c->r->pool, f, detail, &reply);
    return smscloud_otp_reply(c->r, &reply);
}

static int unavailable(call_t *c)
{
    return fault(c, SC_VERIFY_UNAVAILABLE, NULL);
}

static int limited(call_t *c, smscloud_rate_result_e res)
{
    return fault(c, res == SC_RATE_ERROR ? SC_VERIFY_UNAVAILABLE : SC_VERIFY_TOO_MANY, NULL);
}

/* A stored verification as the answer shows it (its status still unset). */
static sc_verification_t *view(call_t *c, const smscloud_otp_row_t *v)
{
    sc_verification_t *out = apr_pcalloc(c->r->pool, sizeof(*out));
    const char *path = sc_verify_resource_path(c->r->pool, c->route.kind, c->r->uri, v->sid);

    out->sid = v->sid;
    out->service_sid = c->svc->sid;
    out->account_sid = c->key->id;
    out->to = v->phone;
    out->channel = v->channel;
    out->created = v->created;
    out->updated = v->updated;
    out->sent_at = v->sent_at;
    out->url = path ? smscloud_public_url(c->r, path) : NULL;
    return out;
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
        *rc = fault(c, SC_VERIFY_UNAUTHORIZED, NULL);
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
    apr_array_header_t *hits = sc_rate_list(r->pool);

    sc_rate_add(hits, "api_send_key", key->id, key->send_limit, key->window);
    smscloud_rate_add(r, hits, SC_RATE_LOGIN_IP, smscloud_client_bucket(r));
    smscloud_rate_add(r, hits, SC_RATE_LOGIN_PHONE, phone);
    smscloud_rate_add(r, hits, SC_RATE_LOGIN_PHONE_DAY, phone);
    return smscloud_rate_count(r, db, hits, NULL);
}

static const char *code_hash(request_rec *r, const char *sid, const char *code)
{
    return smscloud_keyed_hash(r, SC_HASH_API_CODE, apr_pstrcat(r->pool, sid, ":", code, NULL));
}

apr_status_t smscloud_otp_store_and_send(request_rec *r, ap_dbd_t *db,
                                         const smscloud_api_key_t *key,
                                         const sc_otp_service_t *svc, const char *lookup,
                                         const char *phone, const char *name, int replace,
                                         smscloud_otp_row_t **v, sc_otp_sent_e *sent)
{
    smscloud_otp_row_t *old = NULL;
    const char *sid, *code;
    sc_sms_result_t res;
    sc_otp_send_e what;
    apr_status_t rv;
    int drop;

    *sent = SC_OTP_NOT_SENT;
    if ((rv = smscloud_db_otp_lock(r, db, key->id, svc->sid, lookup, NULL, &old))
        != APR_SUCCESS) {
        return rv;
    }
    what = sc_otp_send_decide(old != NULL, old && old->expired, replace, old ? old->sends : 0,
                              svc->sends, &drop);
    if (drop && (rv = smscloud_db_otp_delete(r, db, old->sid)) != APR_SUCCESS) {
        return rv;
    }
    if (what == SC_OTP_SEND_NONE) {
        *sent = SC_OTP_MAX_SENDS;
        return APR_SUCCESS;
    }
    if (sc_random_digits(r->pool, svc->code_length, &code) != APR_SUCCESS
        || (what == SC_OTP_SEND_NEW && sc_otp_new_sid(r->pool, "VE", &sid) != APR_SUCCESS)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SC10002: no random bytes for a code");
        return APR_EGENERAL;
    }
    if (what == SC_OTP_SEND_AGAIN) {
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
    sc_otp_sent_e sent = SC_OTP_NOT_SENT;
    smscloud_otp_row_t *v = NULL;
    smscloud_rate_result_e res;
    sc_verify_create_t req;
    sc_otp_reply_t reply;
    apr_status_t rv;

    if (sc_verify_parse_create(c->r->pool, c->form, &req, &reply) != APR_SUCCESS) {
        return smscloud_otp_reply(c->r, &reply);
    }
    if ((res = smscloud_otp_send_limits(c->r, c->db, c->key, req.phone)) != SC_RATE_ALLOWED) {
        return limited(c, res);
    }
    if (smscloud_db_begin(c->r, c->db) != APR_SUCCESS) {
        return unavailable(c);
    }
    rv = smscloud_otp_store_and_send(c->r, c->db, c->key, c->svc, req.phone, req.phone,
                                     req.name, 0, &v, &sent);
    /* nothing of a code that did not go out may stay */
    if (smscloud_db_end(c->r, c->db, rv == APR_SUCCESS && sent == SC_OTP_SENT) != APR_SUCCESS
        || rv != APR_SUCCESS) {
        return unavailable(c);
    }
    sc_verify_sent(c->r->pool, sent, sent == SC_OTP_SENT ? view(c, v) : NULL, &reply);
    return smscloud_otp_reply(c->r, &reply);
}

/* ------------------------------------------------------------------ */
/* checking                                                            */

smscloud_rate_result_e smscloud_otp_check_limits(request_rec *r, ap_dbd_t *db,
                                                 const smscloud_api_key_t *key)
{
    apr_array_header_t *hits = sc_rate_list(r->pool);

    sc_rate_add(hits, "api_check_key", key->id, key->check_limit, key->window);
    sc_rate_add(hits, "api_check_ip", smscloud_client_bucket(r), SC_OTP_CHECKS_PER_IP,
                SC_OTP_CHECK_WINDOW);
    return smscloud_rate_count(r, db, hits, NULL);
}

void smscloud_otp_count_check(apr_status_t rv, sc_otp_check_e result)
{
    sc_metric_otp_checked("api", sc_otp_check_outcome(rv == APR_EAGAIN, result));
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
    switch (sc_otp_check_effect(*result, last_kills)) {
    case SC_OTP_DROP:
        return smscloud_db_otp_delete(r, db, (*v)->sid);
    case SC_OTP_COUNT_WRONG:
        return smscloud_db_otp_wrong(r, db, (*v)->sid);
    default:
        return APR_SUCCESS;
    }
}

static int check(call_t *c)
{
    sc_otp_check_e result = SC_OTP_UNKNOWN;
    smscloud_otp_row_t *v = NULL;
    smscloud_rate_result_e res;
    sc_verify_check_t req;
    sc_otp_reply_t reply;
    apr_status_t rv;

    if (sc_verify_parse_check(c->r->pool, c->form, c->r->uri, &req, &reply) != APR_SUCCESS) {
        return smscloud_otp_reply(c->r, &reply);
    }
    if ((res = smscloud_otp_check_limits(c->r, c->db, c->key)) != SC_RATE_ALLOWED) {
        return limited(c, res);
    }
    if (smscloud_db_begin(c->r, c->db) != APR_SUCCESS) {
        return unavailable(c);
    }
    rv = smscloud_otp_check_locked(c->r, c->db, c->key, c->svc, req.phone, req.phone, req.sid,
                                   req.code, 0, &v, &result);
    if (smscloud_db_end(c->r, c->db, rv == APR_SUCCESS) != APR_SUCCESS
        || (rv != APR_SUCCESS && rv != APR_EAGAIN)) {
        return unavailable(c);
    }
    smscloud_otp_count_check(rv, result);
    if (rv == APR_EAGAIN) {
        return limited(c, SC_RATE_LIMITED);
    }
    if (result == SC_OTP_RIGHT) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, c->r, "SC10005: key %s: %s verified",
                      c->key->id, sc_phone_redact(c->r->pool, v->phone));
    }
    else if (result == SC_OTP_WRONG || result == SC_OTP_WRONG_LAST) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, c->r, "SC10006: key %s: wrong code for %s",
                      c->key->id, sc_phone_redact(c->r->pool, v->phone));
    }
    sc_verify_checked(c->r->pool, result, v ? view(c, v) : NULL, c->r->uri, &reply);
    return smscloud_otp_reply(c->r, &reply);
}

/* ------------------------------------------------------------------ */
/* one verification                                                    */

/* GET fetches it; POST with Status=canceled|approved ends it. */
static int one(call_t *c)
{
    const char *status = NULL;
    smscloud_otp_row_t *v = NULL;
    sc_verification_t *out;
    sc_otp_reply_t reply;
    apr_status_t rv;
    int found, drop;

    if (sc_verify_parse_one(c->r->pool, c->route.verification_sid,
                            c->r->method_number == M_POST, c->form, c->r->uri, &status,
                            &reply) != APR_SUCCESS) {
        return smscloud_otp_reply(c->r, &reply);
    }
    if (smscloud_db_begin(c->r, c->db) != APR_SUCCESS) {
        return unavailable(c);
    }
    rv = smscloud_db_otp_lock(c->r, c->db, c->key->id, c->svc->sid, NULL,
                              c->route.verification_sid, &v);
    found = sc_verify_one_found(v != NULL, v && v->expired, status, &drop);
    if (rv == APR_SUCCESS && drop) {
        rv = smscloud_db_otp_delete(c->r, c->db, v->sid);
    }
    if (smscloud_db_end(c->r, c->db, rv == APR_SUCCESS) != APR_SUCCESS || rv != APR_SUCCESS) {
        return unavailable(c);
    }
    if (!found) {
        return fault(c, SC_VERIFY_NOT_FOUND, c->r->uri);
    }
    out = view(c, v);
    out->status = status ? status : "pending";
    sc_verify_answer(c->r->pool, HTTP_OK, out, &reply);
    return smscloud_otp_reply(c->r, &reply);
}

/* ------------------------------------------------------------------ */

static int dispatch(call_t *c)
{
    int allow, rc;
    sc_otp_reply_t reply;
    sc_verify_action_e action = sc_verify_action(c->route.kind, c->r->method_number == M_GET,
                                                 c->r->method_number == M_POST, &allow);

    if (action == SC_VERIFY_DO_NOTHING) {
        c->r->allowed = (allow & SC_VERIFY_ALLOW_POST ? AP_METHOD_BIT << M_POST : 0)
                        | (allow & SC_VERIFY_ALLOW_GET ? AP_METHOD_BIT << M_GET : 0);
        return fault(c, SC_VERIFY_NOT_ALLOWED, NULL);
    }
    if (action != SC_VERIFY_DO_FETCH
        && (rc = smscloud_read_form(c->r, smscloud_conf(c->r)->max_form_body, &c->form)) != OK) {
        sc_verify_unreadable(c->r->pool, rc, &reply);
        return smscloud_otp_reply(c->r, &reply);
    }
    switch (action) {
    case SC_VERIFY_DO_CREATE:
        return create(c);
    case SC_VERIFY_DO_CHECK:
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
        return fault(&c, SC_VERIFY_NOT_FOUND, r->uri);
    }
    return dispatch(&c);
}
