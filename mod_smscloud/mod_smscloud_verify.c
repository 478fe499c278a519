/*
 * smscloud-verify: check a one-time code and open a web session.
 *
 * The whole check runs in one transaction with the code row locked, so
 * concurrent checks of one code queue up and at most one succeeds. A code
 * that is used, expired or out of attempts gets the same refusal whatever
 * was typed. After too many wrong codes a client waits (sc_backoff.h): a
 * check during the wait is refused without being counted or using up the
 * code, which still works once the wait is over.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_gate.h"
#include "mod_smscloud_login.h"
#include "mod_smscloud_page.h"
#include "mod_smscloud_request.h"
#include "mod_smscloud_session.h"
#include "mod_smscloud_twostep.h"

#include "apr_strings.h"
#include "sc_form.h"
#include "sc_gate.h"
#include "sc_login.h"
#include "sc_metrics.h"
#include "sc_phone.h"

/* live: the code that can still be checked (the form says where it went,
 * redacted as in logs and texts); NULL: a dead code, for which a form
 * could only fail, so the page offers a new code instead. */
static int show_page(request_rec *r, int status, const char *error,
                     const sc_login_code_t *live)
{
    sc_tvars_t *v = smscloud_pre_form_vars(r, error), *form;

    if (!v) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (live) {
        form = sc_tvars_add(v, "form");
        sc_tvars_set(form, "length", apr_itoa(r->pool, smscloud_conf(r)->otp_length));
        sc_tvars_set(form, "sent_to", sc_phone_redact(r->pool, live->phone));
    }
    return smscloud_page_send(r, status, SC_PAGE_VERIFY, v);
}

/* The right code, written: *result stays RIGHT with a session to issue,
 * or becomes DEAD when the code's enrolment lost to another login's. */
static apr_status_t log_in(request_rec *r, ap_dbd_t *db, const char *attempt_hash,
                           const sc_login_code_t *code, sc_login_check_e *result,
                           const char **session_id)
{
    const char *session_hash, *csrf;
    smscloud_right_t done;
    apr_status_t rv;

    if ((rv = smscloud_session_new(r, session_id, &session_hash, &csrf)) != APR_SUCCESS
        || (rv = smscloud_db_code_right(r, db, attempt_hash, session_hash, csrf, &done))
           != APR_SUCCESS) {
        return rv;
    }
    if (!done.logged_in) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, "SC09022: %s not enrolled for a "
                      "user who has a phone already", sc_phone_redact(r->pool, code->phone));
        *result = SC_LOGIN_DEAD;
        *session_id = NULL;
    }
    else if (done.enrolled) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "SC09023: %s enrolled as a user's phone",
                      sc_phone_redact(r->pool, code->phone));
    }
    return APR_SUCCESS;
}

/* Inside the transaction: read, decide (sc_login_check()), and write what
 * the decision means, in one statement or none. */
static apr_status_t check_locked(request_rec *r, ap_dbd_t *db, const char *attempt,
                                 const char *typed, smscloud_check_t *c,
                                 sc_login_check_e *result, int *wait, const char **session_id)
{
    const char *attempt_hash = smscloud_keyed_hash(r, SC_HASH_ATTEMPT, attempt);
    const char *origin = smscloud_client_bucket(r), *why;
    apr_status_t rv;

    if ((rv = smscloud_db_code_check(r, db, attempt_hash, origin, c)) != APR_SUCCESS) {
        return rv;
    }
    *result = sc_login_check(&smscloud_conf(r)->login_policy, c->code, &c->failures,
                             smscloud_code_hash(r, attempt, typed), wait, &why);
    switch (*result) {
    case SC_LOGIN_DEAD:
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, "SC03030: code refused for %s: %s",
                      c->code ? sc_phone_redact(r->pool, c->code->phone) : "-", why);
        return APR_SUCCESS;
    case SC_LOGIN_WAIT:
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                      "SC03033: code for %s not checked: %d s to wait after "
                      "wrong codes from %s", sc_phone_redact(r->pool, c->code->phone),
                      *wait, origin);
        return APR_SUCCESS;
    case SC_LOGIN_WRONG:
        return smscloud_db_code_wrong(r, db, attempt_hash, origin, *wait);
    default:
        return log_in(r, db, attempt_hash, c->code, result, session_id);
    }
}

static int answer(request_rec *r, const sc_login_code_t *code, sc_login_check_e result,
                  int wait, const char *session_id, const smscloud_attempt_t *a)
{
    const char *who = code ? sc_phone_redact(r->pool, code->phone) : "-";
    sc_login_refusal_t no;

    sc_metric_otp_checked(sc_gate_otp_channel(a->user != NULL, a->back),
                          sc_login_check_outcome(result));
    if (result != SC_LOGIN_RIGHT) {
        sc_login_refusal(r->pool, result, code ? code->attempts_left : 0, wait, &no);
        if (result == SC_LOGIN_WAIT) {
            apr_table_setn(r->err_headers_out, "Retry-After", apr_itoa(r->pool, wait));
        }
        if (result == SC_LOGIN_WRONG) {
            ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                          "SC03031: wrong code for %s, %d attempt%s left", who, no.left,
                          no.left == 1 ? "" : "s");
        }
        return show_page(r, no.status, no.error, no.form ? code : NULL);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "SC03032: %s logged in", who);
    smscloud_cookie_set(r, SC_COOKIE_ATTEMPT, "", 0);
    smscloud_session_issue(r, session_id);
    /* the return path is checked again on the way out: the column is ours,
     * but cheap to trust less */
    return smscloud_page_redirect(r, sc_login_next(smscloud_gate_return(r, a->back),
                                                   a->user != NULL));
}

static int verify_post(request_rec *r)
{
    apr_array_header_t *form;
    smscloud_check_t c = { NULL, { NULL, NULL, 0 }, { 0, 0, 0 } };
    const char *attempt, *typed, *session_id = NULL;
    sc_login_check_e result = SC_LOGIN_DEAD;
    int wait = 0;
    apr_status_t rv;
    ap_dbd_t *db;
    int rc;

    if ((rc = smscloud_read_pre_form(r, &form)) != OK) {
        return rc;
    }
    if (!(attempt = smscloud_cookie_get(r, SC_COOKIE_ATTEMPT))) {
        return answer(r, NULL, SC_LOGIN_DEAD, 0, NULL, &c.attempt);
    }
    if (!(db = smscloud_db_acquire(r)) || smscloud_db_begin(r, db) != APR_SUCCESS) {
        return smscloud_page_unavailable(r);
    }
    typed = sc_login_code_clean(r->pool, sc_form_get(form, "code"));
    rv = check_locked(r, db, attempt, typed, &c, &result, &wait, &session_id);
    /* fail closed: a half-done check leaves nothing behind */
    if (smscloud_db_end(r, db, rv == APR_SUCCESS) != APR_SUCCESS || rv != APR_SUCCESS) {
        return smscloud_page_unavailable(r);
    }
    return answer(r, c.code, result, wait, session_id, &c.attempt);
}

static int verify_get(request_rec *r)
{
    sc_login_code_t *code = NULL;
    ap_dbd_t *db;

    if (!smscloud_cookie_get(r, SC_COOKIE_ATTEMPT)) {
        return smscloud_page_redirect(r, "/login");
    }
    if (!(db = smscloud_db_acquire(r)) || smscloud_attempt_code(r, db, &code, NULL) != APR_SUCCESS) {
        return smscloud_page_unavailable(r);
    }
    if (sc_login_code_dead(code)) {
        return show_page(r, HTTP_OK, SC_LOGIN_DEAD_CODE, NULL);
    }
    return show_page(r, HTTP_OK, NULL, code);
}

int smscloud_verify_handler(request_rec *r)
{
    if (r->path_info && *r->path_info) {
        return HTTP_NOT_FOUND;
    }
    smscloud_page_headers(r);
    if (r->method_number == M_GET) {
        return verify_get(r);
    }
    return verify_post(r);
}
