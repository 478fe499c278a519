/*
 * Outbound SMS through the configured transport.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd_outbound.h"
#include "mod_smscloud_outbound.h"

#include "mod_smscloud_dbd_rate.h"

#include "apr_strings.h"
#include "sc_phone.h"

const char *smscloud_service_number(request_rec *r)
{
    const char *from = smscloud_conf(r)->twilio_from;

    return sc_phone_is_e164(from) ? from : NULL;
}

static apr_status_t send_outbox(request_rec *r, ap_dbd_t *db, const char *to,
                                const char *body, sc_sms_result_t *res)
{
    const smscloud_conf_t *conf = smscloud_conf(r);
    const char *from = conf->twilio_from ? conf->twilio_from : "outbox";

    if (smscloud_outbox_add(r, db, to, from, body) != APR_SUCCESS) {
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

static void refused(request_rec *r, const char *to, const sc_sms_result_t *res)
{
    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                  "SC06003: SMS to %s refused before sending: %s",
                  sc_phone_redact(r->pool, to), res->reason);
}

/* "+1, +44 or +49" */
static const char *countries_text(request_rec *r)
{
    const apr_array_header_t *list = smscloud_conf(r)->sms_countries;
    const char *text = APR_ARRAY_IDX(list, 0, const char *);
    int i;

    for (i = 1; i < list->nelts; i++) {
        text = apr_pstrcat(r->pool, text, i == list->nelts - 1 ? " or " : ", ",
                           APR_ARRAY_IDX(list, i, const char *), NULL);
    }
    return text;
}

/* SMS pumping: numbers outside the countries served are refused, and
 * every SMS counts against its number block and the whole service, so
 * that no stream of fresh numbers runs up the bill. Refusals carry
 * Twilio's own codes (21408: region not enabled; 20429: too many
 * requests), so callers treat them as they would Twilio's. */
int smscloud_sms_charge(request_rec *r, const char *to, apr_array_header_t *hits,
                        sc_sms_result_t *res)
{
    const smscloud_conf_t *conf = smscloud_conf(r);

    memset(res, 0, sizeof(*res));
    if (!sc_phone_in_countries(to, conf->sms_countries)) {
        res->error_code = SC_SMS_REFUSED_COUNTRY;
        res->reason = apr_pstrcat(r->pool, "this service sends text messages only to "
                                  "numbers starting ", countries_text(r), NULL);
        refused(r, to, res);
        return 0;
    }
    smscloud_rate_add(r, hits, SC_RATE_SMS_PREFIX,
                      sc_phone_prefix(r->pool, to, conf->sms_prefix_digits));
    smscloud_rate_add(r, hits, SC_RATE_SMS_GLOBAL, "all");
    return 1;
}

void smscloud_sms_refuse_busy(request_rec *r, const char *to, sc_sms_result_t *res)
{
    memset(res, 0, sizeof(*res));
    res->error_code = SC_SMS_REFUSED_BUSY;
    res->reason = "too many text messages are being sent right now; "
                  "please try again later";
    refused(r, to, res);
}

apr_status_t smscloud_sms_send(request_rec *r, ap_dbd_t *db, const char *to,
                               const char *body, sc_sms_result_t *res)
{
    apr_array_header_t *hits = sc_rate_list(r->pool);

    if (!smscloud_sms_charge(r, to, hits, res)) {
        return APR_SUCCESS;
    }
    switch (smscloud_rate_count(r, db, hits, NULL)) {
    case SC_RATE_ALLOWED:
        return smscloud_sms_send_charged(r, db, to, body, res);
    case SC_RATE_LIMITED:
        smscloud_sms_refuse_busy(r, to, res);
        return APR_SUCCESS;
    default:
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                      "SC06003: SMS to %s refused before sending: no database",
                      sc_phone_redact(r->pool, to));
        return APR_EGENERAL;
    }
}

apr_status_t smscloud_sms_send_charged(request_rec *r, ap_dbd_t *db, const char *to,
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
