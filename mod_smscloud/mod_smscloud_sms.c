/*
 * smscloud-sms: the Twilio webhook. Order matters: the signature is
 * checked before anything touches the database or an upstream API, and
 * each message is handled in one transaction that first records its
 * MessageSid, so a replayed or retried delivery has its effect once only.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_sms.h"
#include "mod_smscloud_accounts.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_request.h"

#include "apr_lib.h"
#include "apr_strings.h"

#include "sc_form.h"
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

/* Whoever is not a verified phone with an account learns only where to
 * sign up, whatever they sent. */
static const char *signup_reply(request_rec *r)
{
    return apr_pstrcat(r->pool, "To use ", smscloud_conf(r)->organisation,
                       " by text, sign up at ", smscloud_public_url(r, "/login"),
                       " and connect a storage account.", NULL);
}

/* *known: a verified phone with at least one account (in c->accounts). */
static apr_status_t known_sender(smscloud_sms_ctx_t *c, int *known)
{
    apr_status_t rv = smscloud_verified_accounts_of(c->r, c->db, c->phone, &c->accounts);

    *known = (rv == APR_SUCCESS && c->accounts->nelts > 0);
    return rv;
}

/* Everything after the replay record: who, state, command, state. */
static const char *handle_command(smscloud_sms_ctx_t *c, const sc_cmd_t *cmd)
{
    const char *reply;
    int known = 0;

    /* the carrier has opted the phone out; nothing we send would arrive */
    if (cmd->kind == SC_CMD_OPTOUT) {
        return "";
    }
    if (known_sender(c, &known) != APR_SUCCESS) {
        c->db_failed = 1;
        return "";
    }
    if (!known) {
        return signup_reply(c->r);
    }
    if (smscloud_sms_state_load(c) != APR_SUCCESS) {
        c->db_failed = 1;
        return "";
    }
    reply = smscloud_sms_run(c, cmd);
    if (!c->db_failed && !c->keep_state && smscloud_sms_state_store(c) != APR_SUCCESS) {
        c->db_failed = 1;
    }
    return reply;
}

/* Another message of the same phone may hold the state row for as long as
 * its storage and Twilio calls take; waiting longer than what is left of
 * Twilio's budget after our own two calls would lose this reply, so we
 * give up and answer "busy" instead. */
static apr_interval_time_t lock_wait(request_rec *r)
{
    apr_interval_time_t left = TWILIO_BUDGET - 2 * smscloud_conf(r)->http_timeout;

    return left < MIN_LOCK_WAIT ? MIN_LOCK_WAIT : left;
}

/* One message in one transaction; NULL when the database failed (the
 * transaction is then rolled back). */
static const char *handle_message(smscloud_sms_ctx_t *c, const char *sid,
                                  const sc_cmd_t *cmd)
{
    request_rec *r = c->r;
    const char *reply = NULL;
    int fresh = 0;

    if (smscloud_db_begin(r, c->db) != APR_SUCCESS) {
        return NULL;
    }
    if (smscloud_sms_lock_timeout(r, c->db, lock_wait(r)) != APR_SUCCESS
        || smscloud_sms_claim(r, c->db, sid, c->phone, &fresh, &reply) != APR_SUCCESS) {
        c->db_failed = 1;
    }
    else if (!fresh) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "SC02010: MessageSid %s already handled; answering as before", sid);
    }
    else {
        if (sid[33] == PRUNE_DIGIT) {
            smscloud_sms_prune(r, c->db, smscloud_conf(r)->replay_lifetime);
        }
        reply = handle_command(c, cmd);
        if (!c->db_failed
            && smscloud_sms_reply_keep(r, c->db, sid, reply) != APR_SUCCESS) {
            c->db_failed = 1;
        }
    }
    if (smscloud_db_end(r, c->db, !c->db_failed) != APR_SUCCESS || c->db_failed) {
        return NULL;
    }
    return reply;
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
        return send_twiml(r, BUSY_REPLY);
    }
    if (!(reply = handle_message(&c, sid, &cmd))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "SC02004: message %s not handled (database error); "
                      "told the sender to try again", sid);
        return send_twiml(r, BUSY_REPLY);
    }
    return send_twiml(r, reply);
}
