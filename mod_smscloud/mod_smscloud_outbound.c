/*
 * Outbound SMS through the configured transport.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_outbound.h"

#include "sc_phone.h"

const smscloud_stmt_t smscloud_stmts_outbound[] = {
    { "smscloud_outbox_add",
      "INSERT INTO outbox (to_phone, from_sender, body) VALUES (%s, %s, %s)" },
    { NULL, NULL }
};

static apr_status_t send_outbox(request_rec *r, ap_dbd_t *db, const char *to,
                                const char *body, sc_sms_result_t *res)
{
    const smscloud_conf_t *conf = smscloud_conf(r);
    const char *from = conf->twilio_from ? conf->twilio_from : "outbox";

    if (smscloud_db_query(r, db, "smscloud_outbox_add", NULL, to, from, body,
                          NULL) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    res->sent = 1;
    return APR_SUCCESS;
}

static apr_status_t send_twilio(request_rec *r, const char *to, const char *body,
                                sc_sms_result_t *res)
{
    const smscloud_conf_t *conf = smscloud_conf(r);
    sc_twilio_conf_t twilio = {
        .api_base = conf->twilio_api_base,
        .account_sid = conf->twilio_account_sid,
        .auth_token = conf->twilio_auth_token,
        .from = conf->twilio_from,
        .connect_timeout_ms = (long)apr_time_as_msec(conf->http_connect_timeout),
        .timeout_ms = (long)apr_time_as_msec(conf->http_timeout),
    };

    return sc_twilio_send(r->pool, &twilio, to, body, res);
}

apr_status_t smscloud_sms_send(request_rec *r, ap_dbd_t *db, const char *to,
                               const char *body, sc_sms_result_t *res)
{
    const smscloud_conf_t *conf = smscloud_conf(r);
    const char *who = sc_phone_redact(r->pool, to);
    apr_status_t rv;

    memset(res, 0, sizeof(*res));
    if (conf->sms_transport == SC_TRANSPORT_OUTBOX) {
        rv = send_outbox(r, db, to, body, res);
    }
    else {
        rv = send_twilio(r, to, body, res);
    }
    if (rv == APR_SUCCESS && res->sent) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "SC06001: SMS to %s handed to %s", who,
                      conf->sms_transport == SC_TRANSPORT_OUTBOX ? "the outbox" : "Twilio");
    }
    else {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, rv, r,
                      "SC06002: SMS to %s not sent: error %d (%s)", who,
                      res->error_code, res->reason ? res->reason : "no answer");
    }
    return rv;
}
