/*
 * The two-step login: a password checked by httpd's own authn providers,
 * then a code texted to the user's phone (mod_smscloud_login.c sends it,
 * mod_smscloud_verify.c checks it and opens a session with the username).
 *
 * A refused password, whether the user exists or not, takes the same path
 * to the same page, and is answered no sooner than SC_TWOSTEP_REFUSAL_FLOOR
 * after the request began, so neither the page nor its timing tells which
 * it was. Nothing is texted before the password was right.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_gate.h"
#include "mod_smscloud_login.h"
#include "mod_smscloud_page.h"
#include "mod_smscloud_dbd_rate.h"
#include "mod_smscloud_request.h"
#include "mod_smscloud_session.h"
#include "mod_smscloud_twostep.h"

#include "ap_provider.h"
#include "apr_strings.h"
#include "mod_auth.h"
#include "sc_form.h"
#include "sc_phone.h"
#include "sc_twostep.h"

#define REFUSED "Wrong username or password."
#define LOG_IN_AGAIN "Please log in again."

/* A provider looked up at config time, as mod_auth_form's AuthFormProvider. */
typedef struct {
    const char *name;
    const authn_provider *provider;
} smscloud_authn_t;

/* ------------------------------------------------------------------ */
/* directives                                                          */

const char *smscloud_twostep_set_provider(cmd_parms *cmd, void *dconf, const char *name)
{
    smscloud_dir_conf_t *d = dconf;
    smscloud_authn_t *a;
    const authn_provider *p;

    p = ap_lookup_provider(AUTHN_PROVIDER_GROUP, name, AUTHN_PROVIDER_VERSION);
    if (!p) {
        return apr_psprintf(cmd->pool, "%s: unknown authn provider '%s' (is its module, "
                            "e.g. mod_authn_%s, loaded before this line?)",
                            cmd->cmd->name, name, name);
    }
    if (!p->check_password) {
        return apr_psprintf(cmd->pool, "%s: the authn provider '%s' cannot check "
                            "passwords", cmd->cmd->name, name);
    }
    if (!d->auth_providers) {
        d->auth_providers = apr_array_make(cmd->pool, 2, sizeof(smscloud_authn_t));
    }
    a = apr_array_push(d->auth_providers);
    a->name = name;
    a->provider = p;
    return NULL;
}

const char *smscloud_twostep_set_phone_query(cmd_parms *cmd, void *dconf, const char *sql)
{
    smscloud_dir_conf_t *d = dconf;
    const char *err;

    if ((err = ap_check_cmd_context(cmd, NOT_IN_HTACCESS)) != NULL) {
        return err;
    }
    if ((err = smscloud_dbd_required()) != NULL) {
        return err;
    }
    if (!ap_strstr_c(sql, "%s")) {
        return apr_psprintf(cmd->pool, "%s: the query must take the username as %%s",
                            cmd->cmd->name);
    }
    d->phone_query = smscloud_dbd_add_statement(cmd->pool, sql);
    return NULL;
}

static const smscloud_dir_conf_t *dir_conf(const request_rec *r)
{
    return ap_get_module_config(r->per_dir_config, &smscloud_module);
}

int smscloud_twostep_active(request_rec *r)
{
    const smscloud_dir_conf_t *d = dir_conf(r);

    return d && d->auth_providers && d->auth_providers->nelts > 0;
}

/* ------------------------------------------------------------------ */
/* pages                                                               */

static sc_tvars_t *page_vars(request_rec *r, const char *error, const char *back)
{
    sc_tvars_t *v = smscloud_pre_form_vars(r, error);

    if (v && back) {
        sc_tvars_set(sc_tvars_add(v, "return"), "path", back);
    }
    return v;
}

int smscloud_twostep_show(request_rec *r, int status, const char *error,
                          const char *username, const char *back)
{
    sc_tvars_t *v = page_vars(r, error, back);

    if (!v) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    sc_tvars_add(v, "by_password");
    sc_tvars_set(v, "username", username);
    return smscloud_page_send(r, status, SC_PAGE_LOGIN, v);
}

/* The phone form of a user whose password was right but who has none. */
static int show_enrol(request_rec *r, int status, const char *error, const char *user,
                      const char *token, const char *typed, const char *back)
{
    sc_tvars_t *v = page_vars(r, error, back);

    if (!v) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    sc_tvars_add(v, "enrol");
    sc_tvars_set(v, "username", user);
    sc_tvars_set(v, "token", token);
    sc_tvars_set(v, "phone", typed);
    return smscloud_page_send(r, status, SC_PAGE_LOGIN, v);
}

static int limited(request_rec *r)
{
    apr_table_setn(r->err_headers_out, "Retry-After", "600");
    return smscloud_page_message(r, HTTP_TOO_MANY_REQUESTS, "Too many attempts",
                                 "Too many logins were tried. Please wait a while "
                                 "before trying again.", "/login", "Back");
}

/* ------------------------------------------------------------------ */
/* the first factor                                                    */

static sc_authn_e authn_answer(authn_status s)
{
    switch (s) {
    case AUTH_GRANTED:
        return SC_AUTHN_GRANTED;
    case AUTH_DENIED:
        return SC_AUTHN_DENIED;
    case AUTH_USER_NOT_FOUND:
        return SC_AUTHN_USER_NOT_FOUND;
    default:
        return SC_AUTHN_ERROR;
    }
}

/* The i-th provider's answer, folded. */
static sc_first_e ask_provider(request_rec *r, int i, const char *user, const char *password)
{
    const smscloud_authn_t *a = &APR_ARRAY_IDX(dir_conf(r)->auth_providers, i,
                                               smscloud_authn_t);
    authn_status answer;

    /* what mod_authn_socache and friends look for, as mod_auth_form sets it */
    apr_table_setn(r->notes, AUTHN_PROVIDER_NAME_NOTE, a->name);
    answer = a->provider->check_password(r, user, password);
    apr_table_unset(r->notes, AUTHN_PROVIDER_NAME_NOTE);
    return sc_twostep_fold(authn_answer(answer));
}

static sc_twostep_done_e try_limits(request_rec *r, ap_dbd_t *db, const char *user)
{
    apr_array_header_t *hits = sc_rate_list(r->pool);

    smscloud_rate_add(r, hits, SC_RATE_LOGIN_IP, smscloud_client_bucket(r));
    /* keyed: what was typed as a username may be someone's password */
    sc_rate_add(hits, "login-user", smscloud_keyed_hash(r, SC_HASH_USER, user),
                SC_TWOSTEP_USER_TRIES, SC_TWOSTEP_USER_WINDOW);
    switch (smscloud_rate_count(r, db, hits, NULL)) {
    case SC_RATE_ALLOWED:
        return SC_TWOSTEP_DONE;
    case SC_RATE_LIMITED:
        return SC_TWOSTEP_LIMITED;
    default:
        return SC_TWOSTEP_FAILED;
    }
}

static int refuse(request_rec *r, apr_time_t began, const char *user, const char *back)
{
    apr_interval_time_t wait = sc_twostep_refusal_wait(began, apr_time_now());

    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, "SC09010: two-step login refused "
                  "(wrong username or password) from %s", smscloud_client_bucket(r));
    if (wait > 0) {
        apr_sleep(wait);
    }
    return smscloud_twostep_show(r, HTTP_BAD_REQUEST, REFUSED, user, back);
}

/* The user's phone: the administrator's query first, then the phone the
 * user enrolled here. *phone = NULL when there is neither. */
static apr_status_t user_phone(request_rec *r, ap_dbd_t *db, const char *user,
                               const char **phone)
{
    const char *label = dir_conf(r)->phone_query, *value = NULL;
    apr_status_t rv;

    *phone = NULL;
    if (label && (rv = smscloud_db_admin_value(r, db, label, user, &value)) != APR_SUCCESS) {
        return rv;
    }
    switch (sc_twostep_listed_phone(r->pool, value, phone)) {
    case APR_SUCCESS:
        return APR_SUCCESS;
    case APR_ENOENT:
        return smscloud_db_user_phone_get(r, db, user, phone);
    default:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SC09011: SmsCloudUserPhoneQuery "
                      "gave a user a value that is no phone number in E.164");
        return APR_EGENERAL;
    }
}

static sc_twostep_done_e find_phone(request_rec *r, ap_dbd_t *db, const char *user,
                                    const char **phone)
{
    return user_phone(r, db, user, phone) == APR_SUCCESS ? SC_TWOSTEP_DONE
                                                         : SC_TWOSTEP_FAILED;
}

static const char *enrol_token(request_rec *r, const char *user)
{
    const char *pre = smscloud_cookie_get(r, SC_COOKIE_PRE);

    return sc_twostep_enrol_token(r->pool, smscloud_conf(r)->secret, pre ? pre : "", user,
                                  apr_time_now()
                                  + apr_time_from_sec(smscloud_conf(r)->otp_lifetime));
}

static int ask_enrol(request_rec *r, const char *user, const char *back)
{
    const char *token = enrol_token(r, user);

    if (!token) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "SC09014: password of user %s right, "
                  "no phone yet: asked to enrol one", ap_escape_logitem(r->pool, user));
    return show_enrol(r, HTTP_OK, NULL, user, token, NULL, back);
}

/* The steps come in the order sc_twostep_password_next() gives. */
static int password_post(request_rec *r, ap_dbd_t *db, const apr_array_header_t *form,
                         const char *back)
{
    apr_time_t began = apr_time_now();
    sc_twostep_password_t l = { sc_form_get(form, "username"), sc_form_get(form, "password"),
                                SC_TWOSTEP_NOT_YET, dir_conf(r)->auth_providers->nelts, 0,
                                SC_FIRST_PENDING, SC_TWOSTEP_NOT_YET, NULL };

    for (;;) {
        switch (sc_twostep_password_next(&l)) {
        case SC_STEP_COUNT_TRIES:
            l.limits = try_limits(r, db, l.user);
            break;
        case SC_STEP_ASK_PROVIDER:
            l.first = ask_provider(r, l.asked++, l.user, l.password);
            break;
        case SC_STEP_FIND_PHONE:
            l.lookup = find_phone(r, db, l.user, &l.phone);
            break;
        case SC_STEP_SEND_CODE:
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "SC09013: password of user %s "
                          "right, code for %s", ap_escape_logitem(r->pool, l.user),
                          sc_phone_redact(r->pool, l.phone));
            return smscloud_login_start(r, db, l.phone, l.user, 0, l.user, back);
        case SC_STEP_ASK_ENROL:
            return ask_enrol(r, l.user, back);
        case SC_STEP_LIMITED:
            return limited(r);
        case SC_STEP_PROVIDER_FAILED:
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SC09012: an authn provider could "
                          "not check a password (see its own error above)");
            return smscloud_page_unavailable(r);
        case SC_STEP_REFUSE:
            return refuse(r, began, sc_twostep_username_ok(l.user) ? l.user : NULL, back);
        default:
            return smscloud_page_unavailable(r);
        }
    }
}

/* The phone of a user who has none, proved by the token of a right
 * password a moment ago; it becomes theirs once its code is entered. */
static int enrol_post(request_rec *r, ap_dbd_t *db, const apr_array_header_t *form,
                      const char *back)
{
    sc_twostep_enrol_t e = { sc_form_get(form, "username"), sc_form_get(form, "enrol"),
                             sc_form_get(form, "phone"), smscloud_cookie_get(r, SC_COOKIE_PRE),
                             SC_TWOSTEP_NOT_YET, NULL };
    const char *key = smscloud_conf(r)->secret, *phone;
    apr_time_t now = apr_time_now();

    for (;;) {
        switch (sc_twostep_enrol_next(r->pool, key, now, &e, &phone)) {
        case SC_STEP_FIND_PHONE:
            e.lookup = find_phone(r, db, e.user, &e.known);
            break;
        case SC_STEP_SEND_CODE:
            return smscloud_login_start(r, db, phone, e.user, 1, e.user, back);
        case SC_STEP_LOG_IN_AGAIN:
            ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, "SC09015: enrolment refused: "
                          "its token is missing, wrong or expired");
            return smscloud_twostep_show(r, HTTP_BAD_REQUEST, LOG_IN_AGAIN, NULL, back);
        case SC_STEP_BAD_NUMBER:
            return show_enrol(r, HTTP_BAD_REQUEST, SC_LOGIN_BAD_NUMBER, e.user, e.token,
                              e.typed, back);
        case SC_STEP_HAS_PHONE:
            ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, "SC09016: enrolment refused: "
                          "user %s has a phone already", ap_escape_logitem(r->pool, e.user));
            return smscloud_twostep_show(r, HTTP_BAD_REQUEST, LOG_IN_AGAIN, e.user, back);
        default:
            return smscloud_page_unavailable(r);
        }
    }
}

int smscloud_twostep_post(request_rec *r, const apr_array_header_t *form)
{
    const char *back = smscloud_gate_return(r, sc_form_get(form, "return"));
    ap_dbd_t *db = smscloud_db_acquire(r);

    if (!db) {
        return smscloud_page_unavailable(r);
    }
    return sc_form_get(form, "enrol") ? enrol_post(r, db, form, back)
                                      : password_post(r, db, form, back);
}
