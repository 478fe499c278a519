/*
 * The gate: `AuthType SmsCloud` puts the web login in front of any
 * Location or Directory (static files, CGI, PHP, a proxied backend).
 *
 * The session is the one /verify opens for /connect, looked up by the
 * same cookie with the same limits. A request with a live session gets
 * r->user = the phone (E.164), or the username of a two-step login
 * (mod_smscloud_twostep.c), REMOTE_USER for CGI and friends, and the
 * identity header for a proxied backend; incoming copies of that header
 * are removed first, whatever the outcome. A request without one gets
 * what SmsCloudUnAuthAction says (browsers: the login page, and back).
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_gate.h"
#include "mod_smscloud_page.h"
#include "mod_smscloud_session.h"

#include "ap_provider.h"
#include "http_core.h"
#include "apr_strings.h"
#include "apr_uri.h"
#include "mod_auth.h"
#include "sc_form.h"
#include "sc_gate.h"
#include "sc_phone.h"

/* r->notes: the phone our authn proved, for Require sms-phone (r->user
 * may be anything another AuthType put there). */
#define NOTE_PHONE "smscloud-phone"
#define NOTE_FAILED "smscloud-lookup-failed"
#define LOGIN_PATH "/login"

/* What an application needs: who, and the token a POST to /logout must
 * carry. */
#define ENV_PHONE "SMSCLOUD_PHONE"
#define ENV_CSRF  "SMSCLOUD_CSRF"

void *smscloud_create_dir_conf(apr_pool_t *p, char *dir)
{
    smscloud_dir_conf_t *d = apr_pcalloc(p, sizeof(*d));

    d->unauth_action = SC_UNSET;
    d->user_header = NULL;
    return d;
}

void *smscloud_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    const smscloud_dir_conf_t *base = basev, *add = addv;
    smscloud_dir_conf_t *d = apr_pcalloc(p, sizeof(*d));

    d->unauth_action = add->unauth_action != SC_UNSET ? add->unauth_action
                                                      : base->unauth_action;
    d->user_header = add->user_header ? add->user_header : base->user_header;
    d->otp_service = add->otp_service ? add->otp_service : base->otp_service;
    d->auth_providers = add->auth_providers ? add->auth_providers : base->auth_providers;
    d->phone_query = add->phone_query ? add->phone_query : base->phone_query;
    return d;
}

static const smscloud_dir_conf_t *dir_conf(const request_rec *r)
{
    return ap_get_module_config(r->per_dir_config, &smscloud_module);
}

static sc_gate_action_e unauth_action(const smscloud_dir_conf_t *d)
{
    return d->unauth_action != SC_UNSET ? (sc_gate_action_e)d->unauth_action : SC_GATE_401;
}

static const char *user_header(const smscloud_dir_conf_t *d)
{
    return d->user_header ? d->user_header : SC_GATE_DEFAULT_HEADER;
}

const char *smscloud_gate_set_unauth_action(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_dir_conf_t *d = dconf;
    sc_gate_action_e action;

    if (sc_gate_action_parse(arg, &action) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not one of redirect, 401, 403, pass",
                            cmd->cmd->name, arg);
    }
    d->unauth_action = action;
    return NULL;
}

const char *smscloud_gate_set_user_header(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_dir_conf_t *d = dconf;

    if (!sc_gate_header_name_ok(arg)) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a header name (letters, digits "
                            "and '-', at most 64)", cmd->cmd->name, arg);
    }
    d->user_header = arg;
    return NULL;
}

/* ------------------------------------------------------------------ */
/* return addresses                                                    */

const char *smscloud_gate_return(request_rec *r, const char *asked)
{
    if (!asked || !*asked) {
        return NULL;
    }
    if (!sc_gate_local_path(asked)) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                      "SC09001: return address refused (not a local path)");
        return NULL;
    }
    return asked;
}

const char *smscloud_gate_return_in_query(request_rec *r)
{
    apr_array_header_t *query;

    if (!r->args || sc_form_parse(r->pool, r->args, strlen(r->args), 16, &query)
                    != APR_SUCCESS) {
        return NULL;
    }
    return smscloud_gate_return(r, sc_form_get(query, "return"));
}

/* What the browser asked for, as it asked (still percent-encoded). */
static const char *asked_path(request_rec *r)
{
    while (r->main) {
        r = r->main;
    }
    return apr_uri_unparse(r->pool, &r->parsed_uri, APR_URI_UNP_OMITSITEPART);
}

/* ------------------------------------------------------------------ */
/* authentication                                                      */

static int is_ours(request_rec *r)
{
    const char *type = ap_auth_type(r);

    return type && !strcasecmp(type, SC_AUTH_TYPE);
}

static void admit(request_rec *r, const char *user, const char *phone, const char *csrf)
{
    r->user = apr_pstrdup(r->pool, user);
    r->ap_auth_type = SC_AUTH_TYPE;
    apr_table_set(r->notes, NOTE_PHONE, phone);
    apr_table_set(r->subprocess_env, ENV_PHONE, phone);
    if (csrf) {
        apr_table_set(r->subprocess_env, ENV_CSRF, csrf);
    }
}

/* A subrequest or internal redirect of a request we already admitted
 * (mod_dir's index, an ErrorDocument) needs no second lookup. */
static int admitted_before(request_rec *r)
{
    request_rec *earlier = r->main ? r->main : r->prev;
    const char *phone = earlier ? apr_table_get(earlier->notes, NOTE_PHONE) : NULL;

    if (!phone || !earlier->user) {
        return 0;
    }
    admit(r, earlier->user, phone, apr_table_get(earlier->subprocess_env, ENV_CSRF));
    return 1;
}

static void challenge(request_rec *r)
{
    const char *realm = ap_auth_name(r) ? ap_auth_name(r) : smscloud_conf(r)->organisation;

    apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                   apr_psprintf(r->pool, "%s realm=\"%s\"", SC_AUTH_TYPE,
                                ap_escape_quotes(r->pool, realm ? realm : "")));
}

static int unauthenticated(request_rec *r)
{
    int browser = sc_gate_is_browser(r->method, apr_table_get(r->headers_in, "Accept"),
                                     apr_table_get(r->headers_in, "X-Requested-With"));

    switch (sc_gate_unauth_action(unauth_action(dir_conf(r)), browser)) {
    case SC_GATE_PASS:
        /* mod_authz_user's valid-user needs a user, any user: the
         * application sees an empty REMOTE_USER and decides */
        r->user = "";
        r->ap_auth_type = SC_AUTH_TYPE;
        return OK;
    case SC_GATE_401:
        challenge(r);
        return HTTP_UNAUTHORIZED;
    case SC_GATE_403:
        return HTTP_FORBIDDEN;
    case SC_GATE_REDIRECT:
    default:
        break;
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "SC09002: no session: to the login page");
    return smscloud_page_redirect(r, sc_gate_login_url(r->pool, LOGIN_PATH, asked_path(r)));
}

/* Who is asking, before authorization: mod_authz_core's first pass then
 * already sees the phone, so that `Require sms-phone` refuses another
 * phone with 403 (after authentication it could only answer 401, an
 * invitation to log in again), and `Require valid-user` lets a session in
 * without an authentication step. A failed lookup only counts once a user
 * is required (gate_authn): `Require all granted` stays open. */
static int gate_identify(request_rec *r)
{
    smscloud_session_t *s = NULL;
    ap_dbd_t *db;

    if (!is_ours(r) || !smscloud_conf(r)->configured || admitted_before(r)) {
        return DECLINED;
    }
    if (!(db = smscloud_db_acquire(r)) || smscloud_session_get(r, db, &s) != APR_SUCCESS) {
        apr_table_setn(r->notes, NOTE_FAILED, "1");
        return DECLINED;
    }
    if (s) {
        /* after a two-step login the application knows its user by name */
        admit(r, s->user ? s->user : s->phone, s->phone, s->csrf);
    }
    return DECLINED;
}

/* Authentication proper runs only when authorization needs a user that
 * gate_identify did not find. */
static int gate_authn(request_rec *r)
{
    if (!is_ours(r)) {
        return DECLINED;
    }
    if (!smscloud_conf(r)->configured) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SC09003: AuthType %s, but "
                      "mod_smscloud is not configured for this server", SC_AUTH_TYPE);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (r->user && apr_table_get(r->notes, NOTE_PHONE)) {
        return OK;
    }
    /* fail closed: no database, no way in (logged where it failed) */
    if (apr_table_get(r->notes, NOTE_FAILED)) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    return unauthenticated(r);
}

static int gate_note_failure(request_rec *r, const char *type)
{
    if (!type || strcasecmp(type, SC_AUTH_TYPE)) {
        return DECLINED;
    }
    challenge(r);
    return OK;
}

/* ------------------------------------------------------------------ */
/* the identity header                                                 */

typedef struct {
    const char *identity;
    apr_array_header_t *copies;
} scrub_t;

static int find_copy(void *ctx, const char *name, const char *value)
{
    scrub_t *sc = ctx;

    if (sc_gate_header_matches(name, sc->identity)) {
        *(const char **)apr_array_push(sc->copies) = name;
    }
    return 1;
}

/* Before anything reads the headers: a client must never choose who it
 * is, under any spelling of the name. */
static int gate_scrub(request_rec *r)
{
    scrub_t sc;
    int i;

    if (!is_ours(r)) {
        return DECLINED;
    }
    sc.identity = user_header(dir_conf(r));
    sc.copies = apr_array_make(r->pool, 1, sizeof(const char *));
    apr_table_do(find_copy, &sc, r->headers_in, NULL);
    for (i = 0; i < sc.copies->nelts; i++) {
        apr_table_unset(r->headers_in, APR_ARRAY_IDX(sc.copies, i, const char *));
    }
    if (sc.copies->nelts) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "SC09004: removed %d incoming copies of %s", sc.copies->nelts,
                      sc.identity);
    }
    return DECLINED;
}

static int gate_fixups(request_rec *r)
{
    /* again: a subrequest (no header_parser) may come from outside */
    gate_scrub(r);
    if (!is_ours(r) || !r->user || !*r->user || !r->ap_auth_type
        || strcasecmp(r->ap_auth_type, SC_AUTH_TYPE)) {
        return DECLINED;
    }
    apr_table_set(r->headers_in, user_header(dir_conf(r)), r->user);
    return DECLINED;
}

/* ------------------------------------------------------------------ */
/* Require sms-phone +E164 ...                                         */

static const char *phone_parse(cmd_parms *cmd, const char *line,
                               const void **parsed)
{
    apr_array_header_t *phones = apr_array_make(cmd->pool, 2, sizeof(const char *));
    const char *t = line, *w;

    while (*(w = ap_getword_conf(cmd->pool, &t))) {
        if (!sc_phone_is_e164(w)) {
            return apr_psprintf(cmd->pool, "Require sms-phone: '%s' is not an E.164 "
                                "number ('+' and 8 to 15 digits, no spaces)", w);
        }
        *(const char **)apr_array_push(phones) = w;
    }
    if (!phones->nelts) {
        return "Require sms-phone needs at least one E.164 number";
    }
    *parsed = phones;
    return NULL;
}

static authz_status phone_check(request_rec *r, const char *require_args,
                                const void *parsed)
{
    const char *phone = apr_table_get(r->notes, NOTE_PHONE);

    if (!r->user) {
        return AUTHZ_DENIED_NO_USER;
    }
    if (sc_gate_phone_listed(parsed, phone)) {
        return AUTHZ_GRANTED;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "SC09005: %s is not allowed here "
                  "(Require sms-phone)", phone ? sc_phone_redact(r->pool, phone)
                                               : "a request without a phone");
    return AUTHZ_DENIED;
}

static const authz_provider phone_provider = {
    &phone_check,
    &phone_parse,
};

void smscloud_gate_register_hooks(apr_pool_t *p)
{
    ap_hook_header_parser(gate_scrub, NULL, NULL, APR_HOOK_REALLY_FIRST);
    ap_hook_check_access(gate_identify, NULL, NULL, APR_HOOK_FIRST, AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_check_authn(gate_authn, NULL, NULL, APR_HOOK_MIDDLE, AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_note_auth_failure(gate_note_failure, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(gate_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "sms-phone", AUTHZ_PROVIDER_VERSION,
                              &phone_provider, AP_AUTH_INTERNAL_PER_CONF);
}
