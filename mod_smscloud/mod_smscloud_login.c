/*
 * smscloud-login: the phone number form, and sending a one-time code.
 *
 * Known and unknown numbers take exactly the same path (the phone row is
 * created if missing, the same limits are counted, the same SMS is sent),
 * so neither the page nor its timing tells whether a number is ours.
 * A client that must wait after wrong codes (sc_backoff.h) gets the same
 * page too, but no SMS: a code it could not check would be wasted.
 *
 * Storing the code, the back-off counts and the limits, the SMS's own
 * among them, are one round trip (smscloud_code_issue, schema step 016);
 * what the counts mean is decided here, after it.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_gate.h"
#include "mod_smscloud_login.h"
#include "mod_smscloud_outbound.h"
#include "mod_smscloud_page.h"
#include "mod_smscloud_dbd_rate.h"
#include "mod_smscloud_request.h"
#include "mod_smscloud_session.h"
#include "mod_smscloud_twostep.h"

#include "apr_strings.h"
#include "sc_form.h"
#include "sc_gate.h"
#include "sc_login.h"
#include "sc_metrics.h"
#include "sc_otp.h"
#include "sc_phone.h"
#include "sc_random.h"
#include "sc_template.h"


/* typed: the phone (or, in a two-step login, the username) as typed;
 * back: the local path to return to after /verify (the gate's), or NULL */
static int show_form(request_rec *r, int status, const char *error, const char *typed,
                     const char *back)
{
    sc_tvars_t *v;

    if (smscloud_twostep_active(r)) {
        return smscloud_twostep_show(r, status, error, typed, back);
    }
    if (!(v = smscloud_pre_form_vars(r, error))) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    sc_tvars_add(v, "by_phone");
    sc_tvars_set(v, "phone", typed);
    if (back) {
        sc_tvars_set(sc_tvars_add(v, "return"), "path", back);
    }
    return smscloud_page_send(r, status, SC_PAGE_LOGIN, v);
}

/* Every limit is counted the same way for every number; the client
 * address first, so that one client cannot use up a phone's quota (a
 * two-step login counted it before the password). */
static apr_array_header_t *login_limits(request_rec *r, const char *phone, int ip_counted)
{
    apr_array_header_t *hits = sc_rate_list(r->pool);

    if (!ip_counted) {
        smscloud_rate_add(r, hits, SC_RATE_LOGIN_IP, smscloud_client_bucket(r));
    }
    smscloud_rate_add(r, hits, SC_RATE_LOGIN_PHONE, phone);
    smscloud_rate_add(r, hits, SC_RATE_LOGIN_PHONE_DAY, phone);
    return hits;
}

static int too_many(request_rec *r)
{
    apr_table_setn(r->err_headers_out, "Retry-After", "600");
    return smscloud_page_message(r, HTTP_TOO_MANY_REQUESTS, "Too many codes",
                                 "Too many codes were asked for. Please wait a "
                                 "while before asking again.", "/login", "Back");
}

static const char *sms_text(request_rec *r, const char *code)
{
    const smscloud_conf_t *conf = smscloud_conf(r);
    const char *names[] = { "org", "code", "minutes" };
    const char *values[] = {
        conf->organisation, code,
        apr_itoa(r->pool, (conf->otp_lifetime + 59) / 60)
    };

    return sc_braces_subst(r->pool, conf->otp_message, 3, names, values);
}

/* Store the new code (killing older ones) within the login's limits and
 * the SMS's, in one round trip: 1, with *wait how long the client must
 * still wait after wrong codes, or with the SMS refused in *res when its
 * own limits were over (nothing was stored); 0 when the request was
 * answered (*rc) instead. login_limits is how many of in->hits are the
 * login's own, counted before the SMS's. */
static int issued(request_rec *r, ap_dbd_t *db, const smscloud_issue_t *in, int login_limits,
                  int *wait, sc_sms_result_t *res, int *rc)
{
    smscloud_issued_t out;
    int which;

    if (smscloud_db_code_issue(r, db, in, &out) != APR_SUCCESS) {
        *rc = smscloud_page_unavailable(r);
        return 0;
    }
    switch (smscloud_rate_answer(r, in->hits, out.refused, &which)) {
    case SC_RATE_ALLOWED:
        break;
    case SC_RATE_LIMITED:
        if (which <= login_limits) {
            *rc = too_many(r);
            return 0;
        }
        smscloud_sms_refuse_busy(r, in->phone, res);
        return 1;
    default:
        /* an answer that is none: nothing of it may stay behind */
        smscloud_db_code_discard(r, db, in->attempt_hash);
        *rc = smscloud_page_unavailable(r);
        return 0;
    }
    *wait = sc_backoff_remaining(&smscloud_conf(r)->login_policy, &out.failures);
    return 1;
}

/* A new code within the limits, texted unless the client must wait, and
 * bound to this browser through the attempt cookie. What the SMS counts
 * against is counted with the login's limits, so it is counted even when
 * the client must wait and no SMS goes: an attempt is an attempt. */
int smscloud_login_start(request_rec *r, ap_dbd_t *db, const char *phone,
                         const char *user, int enrol, const char *typed, const char *back)
{
    const char *code, *attempt, *error;
    apr_array_header_t *hits = login_limits(r, phone, user != NULL);
    int login_limit_count = hits->nelts;
    smscloud_issue_t in = { phone, NULL, NULL, back, user, enrol, smscloud_client_bucket(r),
                            hits };
    sc_sms_result_t res;
    apr_status_t rv = APR_SUCCESS;
    int status, wait = 0;

    if (!smscloud_sms_charge(r, phone, hits, &res)) {
        status = sc_login_send_failure(r->pool, APR_SUCCESS, &res, &error);
        return show_form(r, status, error, typed, back);
    }
    if (sc_random_digits(r->pool, smscloud_conf(r)->otp_length, &code) != APR_SUCCESS
        || sc_random_token(r->pool, SC_TOKEN_BYTES, &attempt) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SC03020: no random bytes for a code");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    in.attempt_hash = smscloud_keyed_hash(r, SC_HASH_ATTEMPT, attempt);
    in.code_hash = smscloud_code_hash(r, attempt, code);
    if (!issued(r, db, &in, login_limit_count, &wait, &res, &status)) {
        return status;
    }
    if (wait > 0) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                      "SC03023: login code for %s not sent: %d s to wait after "
                      "wrong codes from %s", sc_phone_redact(r->pool, phone), wait,
                      smscloud_client_bucket(r));
        smscloud_cookie_set(r, SC_COOKIE_ATTEMPT, attempt, smscloud_conf(r)->otp_lifetime);
        return smscloud_page_redirect(r, "/verify");
    }
    if (!res.error_code) {
        rv = smscloud_sms_send_charged(r, db, phone, sms_text(r, code), &res);
        if (rv != APR_SUCCESS || !res.sent) {
            /* nothing usable may stay behind */
            smscloud_db_code_discard(r, db, in.attempt_hash);
        }
    }
    if (rv != APR_SUCCESS || !res.sent) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, rv, r,
                      "SC03021: login code for %s not sent (error %d)",
                      sc_phone_redact(r->pool, phone), res.error_code);
        status = sc_login_send_failure(r->pool, rv, &res, &error);
        return show_form(r, status, error, typed, back);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "SC03022: login code sent to %s",
                  sc_phone_redact(r->pool, phone));
    sc_metric_inc(SC_METRIC_OTP_SENDS, sc_gate_otp_channel(user != NULL, back), NULL);
    smscloud_cookie_set(r, SC_COOKIE_ATTEMPT, attempt, smscloud_conf(r)->otp_lifetime);
    return smscloud_page_redirect(r, "/verify");
}

static int login_post(request_rec *r, const apr_array_header_t *form)
{
    const char *typed, *phone, *back;
    ap_dbd_t *db;

    typed = sc_form_get(form, "phone");
    back = smscloud_gate_return(r, sc_form_get(form, "return"));
    if (sc_phone_normalise(r->pool, typed, &phone) != APR_SUCCESS) {
        return show_form(r, HTTP_BAD_REQUEST, SC_LOGIN_BAD_NUMBER, typed, back);
    }
    if (!(db = smscloud_db_acquire(r))) {
        return smscloud_page_unavailable(r);
    }
    return smscloud_login_start(r, db, phone, NULL, 0, typed, back);
}

/* "Send a new code" on /verify: to the phone of this browser's attempt,
 * so that nobody types the number again; without one, the number form. */
static int resend_code(request_rec *r)
{
    sc_login_code_t *code = NULL;
    smscloud_attempt_t a = { 0 };
    const char *attempt_hash = NULL, *back;
    ap_dbd_t *db;

    if (!(db = smscloud_db_acquire(r))
        || smscloud_attempt_code(r, db, &code, &attempt_hash) != APR_SUCCESS
        || (code && smscloud_db_attempt_get(r, db, attempt_hash, &a) != APR_SUCCESS)) {
        return smscloud_page_unavailable(r);
    }
    back = smscloud_gate_return(r, a.back);
    /* a two-step code is bound to a user, whose password is asked again */
    if (!code || smscloud_twostep_active(r)) {
        return show_form(r, HTTP_OK, NULL, NULL, back);
    }
    return smscloud_login_start(r, db, code->phone, NULL, 0, NULL, back);
}

int smscloud_login_handler(request_rec *r)
{
    apr_array_header_t *form;
    int rc;

    smscloud_page_headers(r);
    if (r->method_number == M_GET) {
        /* a form that cannot work now would only fail once filled in */
        if (!smscloud_db_ready(r, NULL)) {
            return smscloud_page_unavailable(r);
        }
        return show_form(r, HTTP_OK, NULL, NULL, smscloud_gate_return_in_query(r));
    }
    if ((rc = smscloud_read_pre_form(r, &form)) != OK) {
        return rc;
    }
    if (sc_form_get(form, "resend")) {
        return resend_code(r);
    }
    return smscloud_twostep_active(r) ? smscloud_twostep_post(r, form) : login_post(r, form);
}

/* ------------------------------------------------------------------ */
/* codes, shared with /verify                                          */

const char *smscloud_code_hash(request_rec *r, const char *attempt, const char *code)
{
    return smscloud_keyed_hash(r, SC_HASH_CODE, apr_pstrcat(r->pool, attempt, ":", code, NULL));
}

apr_status_t smscloud_attempt_code(request_rec *r, ap_dbd_t *db, sc_login_code_t **code,
                                   const char **attempt_hash)
{
    const char *attempt = smscloud_cookie_get(r, SC_COOKIE_ATTEMPT);
    const char *hash = attempt ? smscloud_keyed_hash(r, SC_HASH_ATTEMPT, attempt) : NULL;

    *code = NULL;
    if (attempt_hash) {
        *attempt_hash = hash;
    }
    return hash ? smscloud_db_code_find(r, db, hash, code) : APR_SUCCESS;
}

