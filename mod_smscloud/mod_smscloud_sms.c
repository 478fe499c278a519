/*
 * smscloud-sms: the Twilio webhook. Check the request, load, run the
 * engine (sc_engine.h), carry out its effects, store, answer. Order
 * matters: the signature is checked before anything touches the database
 * or an upstream API; each message is loaded under its phone's lock,
 * which also finds a replayed MessageSid, and stored with its MessageSid
 * and reply, so a replayed or retried delivery has its effect once only.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd_sms.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_outbound.h"
#include "mod_smscloud_dbd_rate.h"
#include "mod_smscloud_request.h"
#include "mod_smscloud_storage.h"

#include "apr_lib.h"
#include "apr_strings.h"

#include "sc_engine.h"
#include "sc_form.h"
#include "sc_metrics.h"
#include "sc_phone.h"
#include "sc_sms.h"
#include "sc_twilio.h"
#include "sc_twilio_sig.h"

static int signature_ok(request_rec *r, const apr_array_header_t *pairs)
{
    const char *header = apr_table_get(r->headers_in, "X-Twilio-Signature");

    return sc_twilio_sig_valid(r->pool, smscloud_conf(r)->twilio_auth_token,
                               smscloud_public_request_url(r), pairs, header);
}

/* reply NULL: the message was not handled, answered "busy" */
static int send_answer(request_rec *r, const char *reply)
{
    sc_sms_answer_t answer;

    sc_sms_answer(r->pool, reply, &answer);
    if (answer.messages) {
        sc_metric_inc(SC_METRIC_SMS_REPLIES, NULL, NULL);
    }
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    return smscloud_send_text(r, HTTP_OK, "text/xml; charset=utf-8", answer.twiml);
}

/* What the engine asks of httpd and the database while it runs. */
typedef struct {
    request_rec *r;
    ap_dbd_t *db;
    const char *phone;
    int refused;               /* the charge over its limit, 0: none */
    int country_ok;            /* a send's number is in a country served */
    sc_sms_result_t refusal;   /* when it is not */
} sms_env_t;

static sc_storage_status_e env_list(void *baton, const sc_account_t *a,
                                    const char *folder_id, apr_array_header_t **items)
{
    return smscloud_storage_list(((sms_env_t *)baton)->r, a->handle, folder_id, items);
}

static sc_storage_status_e env_link(void *baton, const sc_account_t *a,
                                    const char *file_id, const char **url)
{
    return smscloud_storage_link(((sms_env_t *)baton)->r, a->handle, file_id, url);
}

/* The phone's accounts as the engine sees them. */
static apr_array_header_t *engine_accounts(apr_pool_t *p, const apr_array_header_t *mine)
{
    apr_array_header_t *out = apr_array_make(p, mine->nelts + 1, sizeof(sc_account_t *));
    int i;

    for (i = 0; i < mine->nelts; i++) {
        const smscloud_account_t *a = APR_ARRAY_IDX(mine, i, const smscloud_account_t *);
        sc_account_t *e = apr_pcalloc(p, sizeof(*e));

        e->ref = a->ref;
        e->provider = a->provider;
        e->account_id = a->account_id;
        e->service = a->service;
        e->display_name = a->display_name;
        e->handle = a;
        APR_ARRAY_PUSH(out, sc_account_t *) = e;
    }
    return out;
}

/* Charges of a `send`, counted in the load's round trip: the sender's
 * send limit first, then (for a number in a country served) the SMS
 * pumping caps. They are counted for the attempt, before the engine
 * knows whether the file exists: a refused attempt still counts, as on
 * /login. */
static apr_array_header_t *charges_of(sms_env_t *env, const sc_cmd_t *cmd)
{
    apr_array_header_t *hits = sc_rate_list(env->r->pool);

    if (cmd->kind == SC_CMD_SEND) {
        smscloud_rate_add(env->r, hits, SC_RATE_SEND, env->phone);
        env->country_ok = smscloud_sms_charge(env->r, cmd->phone, hits, &env->refusal);
    }
    return hits;
}

#define CHARGE_SEND 1          /* position of the send limit in charges_of() */

static sc_send_gate_e env_may_send(void *baton)
{
    return ((sms_env_t *)baton)->refused == CHARGE_SEND ? SC_SEND_LIMITED : SC_SEND_ALLOWED;
}

/* Hand the engine's text to someone else over; the sender's reply. */
static const char *carry_out(sms_env_t *env, const sc_engine_sms_t *sms)
{
    sc_sms_result_t res;

    if (!env->country_ok) {
        res = env->refusal;
    }
    else if (env->refused > CHARGE_SEND) {
        smscloud_sms_refuse_busy(env->r, sms->to, &res);
    }
    else if (smscloud_sms_send_charged(env->r, env->db, sms->to, sms->body, &res)
             != APR_SUCCESS) {
        return sc_engine_sms_reply(env->r->pool, sms, 0, SC_SMS_REASON_UNAVAILABLE);
    }
    return sc_engine_sms_reply(env->r->pool, sms, res.sent, res.reason);
}

/* One message: one load, the engine, one store. NULL when the database
 * failed: nothing is kept then, so Twilio's retry is handled in full. */
static const char *handle_message(request_rec *r, ap_dbd_t *db, const char *sid,
                                  const char *phone, const sc_cmd_t *cmd,
                                  const char **outcome)
{
    const smscloud_conf_t *conf = smscloud_conf(r);
    sms_env_t baton = { r, db, phone, 0, 0, { 0 } };
    sc_engine_env_t env = { env_list, env_link, env_may_send, &baton };
    sc_engine_conf_t econf = { conf->organisation, smscloud_public_url(r, "/login"),
                               smscloud_public_url(r, "/connect") };
    smscloud_sms_loaded_t loaded;
    sc_engine_in_t in;
    sc_engine_out_t out;
    const char *reply;

    if (smscloud_sms_load(r, db, sid, phone, conf->sms_idle,
                          sc_sms_lock_wait(conf->http_timeout), charges_of(&baton, cmd),
                          &loaded) != APR_SUCCESS) {
        return NULL;
    }
    baton.refused = loaded.refused;
    if (loaded.replay) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "SC02010: MessageSid %s already handled; answering as before", sid);
        sc_metric_inc(SC_METRIC_SMS_REPLAYS, NULL, NULL);
        *outcome = "replay";
        return loaded.replay;
    }
    in.phone = phone;
    in.verified = loaded.verified;
    in.accounts = engine_accounts(r->pool, loaded.accounts);
    in.state = loaded.state;
    in.body = NULL;
    in.cmd = cmd;
    in.now = r->request_time;
    if (sc_engine_run(r->pool, &econf, &env, &in, &out) != APR_SUCCESS || out.failed) {
        return NULL;
    }
    *outcome = out.outcome;
    reply = out.sms ? carry_out(&baton, out.sms) : out.reply;
    if (smscloud_sms_store(r, db, &loaded.lock, sid, phone, reply,
                           out.store ? &out.state : NULL)
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
    apr_array_header_t *pairs = NULL;
    const char *sid, *phone, *reply, *outcome = NULL;
    sc_cmd_t cmd;
    ap_dbd_t *db;
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
    phone = sc_form_get(pairs, "From");
    sid = sc_form_get(pairs, "MessageSid");
    if (!sc_sms_delivery_ok(phone, sid)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "SC02002: signed webhook without a valid From or MessageSid");
        return HTTP_BAD_REQUEST;
    }
    sc_cmd_parse(r->pool, sc_form_get(pairs, "Body"), &cmd);
    if (!(db = smscloud_db_acquire(r))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "SC02003: no database; told %s to try again",
                      sc_phone_redact(r->pool, phone));
        count_message(&cmd, "busy");
        return send_answer(r, NULL);
    }
    if (!(reply = handle_message(r, db, sid, phone, &cmd, &outcome))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "SC02004: message %s not handled (database error); "
                      "told the sender to try again", sid);
        count_message(&cmd, "busy");
        return send_answer(r, NULL);
    }
    if (!outcome || strcmp(outcome, "replay")) {
        count_message(&cmd, outcome ? outcome : "ok");
    }
    return send_answer(r, reply);
}
