/*
 * smscloud-flowroute-api: the OTP API in flowroute sms-verification's
 * wire format, so that its SMSAuthClient works unchanged with the API
 * credentials as user:password in its endpoint URL.
 *
 *   POST <endpoint>  {"auth_id", "recipient"[, "country_code"]}  send a code
 *   GET  <endpoint>?auth_id=...&code=...                         check it
 *
 * A second POST for an auth_id replaces its code and its attempts; the
 * last wrong attempt, the right code and an expired one end the entry.
 * Codes, lifetime, attempts and message come from the Verify service
 * SmsCloudFlowrouteService names; the rules are the Verify API's
 * (mod_smscloud_otp.c). Unlike the original, it needs a key, draws codes
 * from a CSPRNG and always gives the configured number of digits.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_flowroute.h"
#include "mod_smscloud_gate.h"
#include "mod_smscloud_otp.h"
#include "mod_smscloud_request.h"

#include "apr_strings.h"
#include "sc_flowroute.h"
#include "sc_otp.h"
#include "sc_phone.h"
#include "sc_twilio.h"

const char *smscloud_flowroute_set_service(cmd_parms *cmd, void *dconf, const char *sid)
{
    smscloud_dir_conf_t *d = dconf;

    if (!sc_twilio_sid_ok(sid, "VA")) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a service SID (VA and 32 "
                            "lowercase hex digits)", cmd->cmd->name, sid);
    }
    d->otp_service = sid;
    return NULL;
}

static int reply(request_rec *r, int status, const char *body)
{
    sc_otp_reply_t a;

    sc_otp_reply(&a, status, SC_FLOWROUTE_CONTENT_TYPE, body);
    return smscloud_otp_reply(r, &a);
}

static int fault(request_rec *r, sc_flowroute_fault_e f)
{
    sc_otp_reply_t a;

    sc_flowroute_fault(r->pool, f, &a);
    return smscloud_otp_reply(r, &a);
}

static int limited(request_rec *r, smscloud_rate_result_e res)
{
    return fault(r, res == SC_RATE_ERROR ? SC_FLOWROUTE_INTERNAL : SC_FLOWROUTE_RATE_LIMITED);
}

/* entries of this API live apart from the Verify API's phone lookups */
static const char *lookup_of(request_rec *r, const char *auth_id)
{
    return apr_pstrcat(r->pool, "auth:", auth_id, NULL);
}

static int create(request_rec *r, ap_dbd_t *db, const smscloud_api_key_t *key,
                  const sc_otp_service_t *svc)
{
    const char *auth_id, *phone, *error;
    sc_otp_sent_e sent = SC_OTP_NOT_SENT;
    smscloud_otp_row_t *v = NULL;
    smscloud_rate_result_e res;
    apr_size_t len = 0;
    apr_status_t rv;
    sc_otp_reply_t a;
    char *body;
    int rc;

    if ((rc = smscloud_read_body(r, smscloud_conf(r)->max_form_body, &body, &len)) != OK) {
        sc_flowroute_unreadable(r->pool, rc, &a);
        return smscloud_otp_reply(r, &a);
    }
    if (sc_flowroute_parse_create(r->pool, body, len, &auth_id, &phone, &error)
        != APR_SUCCESS) {
        return reply(r, HTTP_BAD_REQUEST, error);
    }
    if ((res = smscloud_otp_send_limits(r, db, key, phone)) != SC_RATE_ALLOWED) {
        return limited(r, res);
    }
    if (smscloud_db_begin(r, db) != APR_SUCCESS) {
        return fault(r, SC_FLOWROUTE_INTERNAL);
    }
    rv = smscloud_otp_store_and_send(r, db, key, svc, lookup_of(r, auth_id), phone, NULL, 1,
                                     &v, &sent);
    if (smscloud_db_end(r, db, rv == APR_SUCCESS && sent == SC_OTP_SENT) != APR_SUCCESS
        || rv != APR_SUCCESS || sent != SC_OTP_SENT) {
        /* as the original: an unreachable number is a 500 */
        return fault(r, SC_FLOWROUTE_INTERNAL);
    }
    return reply(r, HTTP_OK, sc_flowroute_created(r->pool, auth_id));
}

static int check(request_rec *r, ap_dbd_t *db, const smscloud_api_key_t *key,
                 const sc_otp_service_t *svc)
{
    const char *auth_id, *code, *error;
    sc_otp_check_e result = SC_OTP_UNKNOWN;
    smscloud_otp_row_t *v = NULL;
    smscloud_rate_result_e res;
    apr_status_t rv;
    int status;

    if (sc_flowroute_parse_check(r->pool, r->args, &auth_id, &code, &error) != APR_SUCCESS) {
        return reply(r, HTTP_BAD_REQUEST, error);
    }
    if ((res = smscloud_otp_check_limits(r, db, key)) != SC_RATE_ALLOWED) {
        return limited(r, res);
    }
    if (smscloud_db_begin(r, db) != APR_SUCCESS) {
        return fault(r, SC_FLOWROUTE_INTERNAL);
    }
    rv = smscloud_otp_check_locked(r, db, key, svc, lookup_of(r, auth_id), NULL, NULL, code,
                                   1, &v, &result);
    if (smscloud_db_end(r, db, rv == APR_SUCCESS) != APR_SUCCESS
        || (rv != APR_SUCCESS && rv != APR_EAGAIN)) {
        return fault(r, SC_FLOWROUTE_INTERNAL);
    }
    smscloud_otp_count_check(rv, result);
    if (rv == APR_EAGAIN) {
        return limited(r, SC_RATE_LIMITED);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "SC10010: key %s: flowroute check for %s: %s",
                  key->id, v ? sc_phone_redact(r->pool, v->phone) : "-",
                  result == SC_OTP_RIGHT ? "verified" : "refused");
    error = sc_flowroute_check_answer(r->pool, result, v ? v->checks_left : 0, auth_id,
                                      &status);
    return reply(r, status, error);
}

int smscloud_flowroute_api_handler(request_rec *r)
{
    const smscloud_dir_conf_t *d = ap_get_module_config(r->per_dir_config, &smscloud_module);
    const sc_otp_service_t *svc = smscloud_otp_service(r, d->otp_service);
    smscloud_api_key_t *key;
    ap_dbd_t *db;
    int rc;

    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    if (!svc) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SC10011: SetHandler "
                      "smscloud-flowroute-api needs SmsCloudFlowrouteService naming a "
                      "SmsCloudVerifyService of this server");
        return fault(r, SC_FLOWROUTE_INTERNAL);
    }
    if (r->method_number != M_GET && r->method_number != M_POST) {
        r->allowed = (AP_METHOD_BIT << M_GET) | (AP_METHOD_BIT << M_POST);
        return fault(r, SC_FLOWROUTE_NOT_ALLOWED);
    }
    if (!(db = smscloud_db_acquire(r))) {
        return fault(r, SC_FLOWROUTE_INTERNAL);
    }
    if ((rc = smscloud_otp_authenticate(r, db, &key)) != OK) {
        return fault(r, rc == HTTP_UNAUTHORIZED ? SC_FLOWROUTE_UNAUTHORIZED
                                                : SC_FLOWROUTE_INTERNAL);
    }
    return r->method_number == M_POST ? create(r, db, key, svc) : check(r, db, key, svc);
}
