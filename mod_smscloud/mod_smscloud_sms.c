/*
 * smscloud-sms: the Twilio webhook. Order matters: the signature is
 * checked before anything touches the database or an upstream API; each
 * message is loaded under its phone's lock, which also finds a replayed
 * MessageSid, and stored with its MessageSid and reply, so a replayed or
 * retried delivery has its effect once only.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_sms.h"
#include "mod_smscloud_accounts.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_request.h"

#include "apr_lib.h"
#include "apr_strings.h"

#include "sc_form.h"
#include "sc_metrics.h"
#include "sc_phone.h"
#include "sc_twilio_sig.h"
#include "sc_xml.h"

#define BUSY_REPLY "The service is busy, try again in a minute."

/* Twilio waits 15 s for the reply, then shows the user nothing. */
#define TWILIO_BUDGET apr_time_from_sec(14)
#define MIN_LOCK_WAIT apr_time_from_sec(1)

/* Replay records are pruned by about one message in 16: MessageSids are
 * random, so their last hex digit is a free, fair coin. */
#define PRUNE_DIGIT '0'

/* "SM" or "MM" and 32 hex digits. */
static int valid_sid(const char *sid)
{
    int i;

    if (!sid || strlen(sid) != 34 || (strncmp(sid, "SM", 2) && strncmp(sid, "MM", 2))) {
        return 0;
    }
    for (i = 2; i < 34; i++) {
        if (!apr_isxdigit(sid[i])) {
            return 0;
        }
    }
    return 1;
}

static int signature_ok(request_rec *r, const apr_array_header_t *pairs)
{
    const char *header = apr_table_get(r->headers_in, "X-Twilio-Signature");

    return sc_twilio_sig_valid(r->pool, smscloud_conf(r)->twilio_auth_token,
                               smscloud_public_request_url(r), pairs, header);
}

static int send_twiml(request_rec *r, const char *text)
{
    apr_array_header_t *msgs = apr_array_make(r->pool, 1, sizeof(const char *));

    if (text && *text) {
        sc_metric_inc(SC_METRIC_SMS_REPLIES, NULL, NULL);
        /* stored replies come back from the database: sanitize before
         * cutting, so the cut lands on a character boundary */
        APR_ARRAY_PUSH(msgs, const char *) =
            sc_utf8_truncate(r->pool, sc_text_sanitize(r->pool, text, strlen(text)),
                             SC_SMS_MAX_CHARS);
    }
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    return smscloud_send_text(r, HTTP_OK, "text/xml; charset=utf-8",
                              sc_twiml(r->pool, msgs));
}

static const char *signup_reply(request_rec *r)
{
    return apr_pstrcat(r->pool, "To use ", smscloud_conf(r)->organisation,
                       " by text, sign up at ", smscloud_public_url(r, "/login"),
                       " and connect a storage account.", NULL);
}

/* Everything after the load: who, state, command. *out gets the state
 * to store, NULL to leave it as it was. */
static const char *handle_command(smscloud_sms_ctx_t *c, const sc_cmd_t *cmd,
                                  const smscloud_sms_loaded_t *in,
                                  smscloud_sms_stored_t **out)
{
    const char *reply;

    *out = NULL;
    /* the carrier has opted the phone out; nothing we send would arrive */
    if (cmd->kind == SC_CMD_OPTOUT) {
        return "";
    }
    /* whoever is not a verified phone with an account learns only where to
     * sign up, whatever they sent */
    if (!in->verified || !in->accounts->nelts) {
        c->outcome = "unknown_sender";
        return signup_reply(c->r);
    }
    c->accounts = in->accounts;
    smscloud_sms_state_load(c, in);
    reply = smscloud_sms_run(c, cmd);
    if (!c->db_failed && !c->keep_state && !(*out = smscloud_sms_state_out(c))) {
        c->db_failed = 1;
    }
    return reply;
}

/* Another message of the same phone may hold the lock for as long as its
 * storage and Twilio calls take; waiting longer than what is left of
 * Twilio's budget after our own two calls would lose this reply, so we
 * give up and answer "busy" instead. */
static apr_interval_time_t lock_wait(request_rec *r)
{
    apr_interval_time_t left = TWILIO_BUDGET - 2 * smscloud_conf(r)->http_timeout;

    return left < MIN_LOCK_WAIT ? MIN_LOCK_WAIT : left;
}

/* One message: one load, the command, one store. NULL when the database
 * failed: nothing is kept then, so Twilio's retry is handled in full. */
static const char *handle_message(smscloud_sms_ctx_t *c, const char *sid,
                                  const sc_cmd_t *cmd)
{
    request_rec *r = c->r;
    const smscloud_conf_t *conf = smscloud_conf(r);
    smscloud_sms_loaded_t in;
    smscloud_sms_stored_t *out = NULL;
    const char *reply;

    if (smscloud_sms_load(r, c->db, sid, c->phone, conf->sms_idle, lock_wait(r), &in)
        != APR_SUCCESS) {
        return NULL;
    }
    if (in.replay) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "SC02010: MessageSid %s already handled; answering as before", sid);
        sc_metric_inc(SC_METRIC_SMS_REPLAYS, NULL, NULL);
        c->outcome = "replay";
        return in.replay;
    }
    reply = handle_command(c, cmd, &in, &out);
    if (c->db_failed
        || smscloud_sms_store(r, c->db, &in.lock, sid, c->phone, reply, out,
                              sid[33] == PRUNE_DIGIT ? conf->replay_lifetime : 0)
           != APR_SUCCESS) {
        return NULL;
    }
    return reply;
}

/* Replays are counted apart (SC_METRIC_SMS_REPLAYS), not as messages. */
static void count_message(const sc_cmd_t *cmd, const char *result)
{
    sc_metric_inc(SC_METRIC_SMS_MESSAGES, sc_cmd_kind_name(cmd->kind), result);
}

int smscloud_sms_handler(request_rec *r)
{
    smscloud_sms_ctx_t c = { 0 };
    apr_array_header_t *pairs = NULL;
    const char *sid, *reply;
    sc_cmd_t cmd;
    int rc;

    if ((rc = smscloud_read_form(r, smscloud_conf(r)->max_body, &pairs)) != OK) {
        return rc;
    }
    if (!signature_ok(r, pairs)) {
        sc_metric_inc(SC_METRIC_SIGNATURE_FAILURES, "sms", NULL);
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "SC02001: missing or wrong X-Twilio-Signature; refused");
        return HTTP_FORBIDDEN;
    }
    c.r = r;
    c.phone = sc_form_get(pairs, "From");
    sid = sc_form_get(pairs, "MessageSid");
    if (!sc_phone_is_e164(c.phone) || !valid_sid(sid)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "SC02002: signed webhook without a valid From or MessageSid");
        return HTTP_BAD_REQUEST;
    }
    sc_cmd_parse(r->pool, sc_form_get(pairs, "Body"), &cmd);
    if (!(c.db = smscloud_db_acquire(r))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "SC02003: no database; told %s to try again",
                      sc_phone_redact(r->pool, c.phone));
        count_message(&cmd, "busy");
        return send_twiml(r, BUSY_REPLY);
    }
    if (!(reply = handle_message(&c, sid, &cmd))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "SC02004: message %s not handled (database error); "
                      "told the sender to try again", sid);
        count_message(&cmd, "busy");
        return send_twiml(r, BUSY_REPLY);
    }
    if (!c.outcome || strcmp(c.outcome, "replay")) {
        count_message(&cmd, c.outcome ? c.outcome : "ok");
    }
    return send_twiml(r, reply);
}
