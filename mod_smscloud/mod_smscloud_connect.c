/*
 * smscloud-connect: the storage accounts of the logged-in phone.
 *
 * GET lists them and offers every provider of this server the way its
 * description says an account is connected (sc_storage.h: assigned by the
 * operator, OAuth, or a form); POST adds (action=add, provider=NAME) or
 * removes one; GET /connect/callback finishes an OAuth flow. Every
 * account statement names the session's phone, so one phone can never
 * see or touch another's accounts. Redirect targets come only from the
 * configuration, never from the request.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_accounts.h"
#include "mod_smscloud_outbound.h"
#include "mod_smscloud_page.h"
#include "mod_smscloud_request.h"
#include "mod_smscloud_session.h"
#include "mod_smscloud_storage.h"

#include "apr_strings.h"
#include "sc_connect.h"
#include "sc_phone.h"
#include "sc_random.h"

/* How many of the accounts (smscloud_account_t *) are the provider's. */
static int accounts_with(const apr_array_header_t *accounts, const char *provider)
{
    int i, n = 0;

    for (i = 0; i < accounts->nelts; i++) {
        n += !strcmp(APR_ARRAY_IDX(accounts, i, const smscloud_account_t *)->provider,
                     provider);
    }
    return n;
}

/* One provider's part of the page: a button, for a form with its fields,
 * or the news that the one account it gives is connected. */
static void offer(request_rec *r, sc_tvars_t *v, const smscloud_provider_t *sp,
                  const apr_array_header_t *accounts)
{
    sc_tvars_t *provider = sc_tvars_add(v, "providers"), *item;
    const sc_storage_field_t *f;
    const char *button;

    sc_tvars_set(provider, "provider", sp->desc->name);
    sc_tvars_set(provider, "label", sp->label);
    if (!sc_connect_offer(r->pool, sp->desc, sp->label,
                          accounts_with(accounts, sp->desc->name), &button)) {
        sc_tvars_add(provider, "connected");
        return;
    }
    item = sc_tvars_add(provider, "offer");
    sc_tvars_set(item, "button", button);
    if (sp->desc->connect == SC_CONNECT_OAUTH) {
        smscloud_page_allow_form_target(r, sp->desc->authorize_site(sp->ctx));
    }
    for (f = sp->desc->connect == SC_CONNECT_FORM ? sp->desc->fields : NULL;
         f && f->name; f++) {
        sc_tvars_t *field = sc_tvars_add(item, "fields");

        sc_tvars_set(field, "field", f->name);
        sc_tvars_set(field, "field_label", f->label);
        sc_tvars_set(field, "input_type", f->input_type);
        if (!f->optional) {
            sc_tvars_add(field, "required");
        }
    }
}

static int show_accounts(request_rec *r, ap_dbd_t *db, const smscloud_session_t *s)
{
    const apr_array_header_t *providers = smscloud_storage_providers(r);
    apr_array_header_t *accounts;
    sc_tvars_t *v;
    int i;

    if (smscloud_accounts_of(r, db, s->phone, &accounts) != APR_SUCCESS) {
        return smscloud_page_unavailable(r);
    }
    v = smscloud_page_vars(r);
    sc_tvars_set(v, "csrf", s->csrf);
    sc_tvars_set(v, "phone", s->phone);
    for (i = 0; i < accounts->nelts; i++) {
        const smscloud_account_t *a = APR_ARRAY_IDX(accounts, i, smscloud_account_t *);
        sc_tvars_t *item = sc_tvars_add(v, "accounts");

        sc_tvars_set(item, "ref", a->ref);
        sc_tvars_set(item, "name", a->display_name);
        sc_tvars_set(item, "service", a->service);
    }
    /* what to do next: text the service */
    sc_tvars_set(v, "number", smscloud_service_number(r) ? smscloud_service_number(r)
                              : "the number your code came from");
    sc_tvars_add(v, accounts->nelts ? "ready" : "none");
    for (i = 0; i < providers->nelts; i++) {
        offer(r, v, APR_ARRAY_IDX(providers, i, const smscloud_provider_t *), accounts);
    }
    return smscloud_page_send(r, HTTP_OK, SC_PAGE_CONNECT, v);
}

static int link_account(request_rec *r, ap_dbd_t *db, const smscloud_session_t *s,
                        const smscloud_account_t *a)
{
    switch (smscloud_account_link(r, db, s->phone, a)) {
    case SC_ACCOUNT_ADDED:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "SC04001: %s account connected to %s",
                      a->provider, sc_phone_redact(r->pool, s->phone));
        /* fall through */
    case SC_ACCOUNT_ALREADY_OURS:
        return smscloud_page_redirect(r, "/connect");
    case SC_ACCOUNT_OTHER_PHONE:
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                      "SC04002: %s account of another phone refused for %s",
                      a->provider, sc_phone_redact(r->pool, s->phone));
        return smscloud_page_message(r, HTTP_CONFLICT, "Already connected",
                                     "This storage account is connected to another "
                                     "phone number. Nothing was changed.",
                                     "/connect", "Back to your accounts");
    default:
        return smscloud_page_unavailable(r);
    }
}

/* What the provider says about the account is what is stored. */
static int link_connected(request_rec *r, ap_dbd_t *db, const smscloud_session_t *s,
                          const smscloud_provider_t *sp, const sc_storage_connected_t *c)
{
    smscloud_account_t a = { NULL, sp->desc->name, c->id, c->service, c->display_name,
                             s->phone, NULL };

    if (c->credentials
        && smscloud_storage_seal(r, s->phone, a.provider, a.account_id, c->credentials,
                                 &a.credentials) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return link_account(r, db, s, &a);
}

static int connect_failed(request_rec *r, const smscloud_provider_t *sp,
                          sc_storage_status_e st, const char *problem, int callback)
{
    const char *message;
    int status, users = sc_connect_failure(r->pool, st, problem, callback, &status,
                                           &message);

    ap_log_rerror(APLOG_MARK, users ? APLOG_INFO : APLOG_WARNING, 0, r,
                  "SC04006: %s connect failed: %s", sp->desc->name,
                  sc_storage_status_text(st));
    return smscloud_page_message(r, status, "Nothing was connected", message,
                                 "/connect", "Back to your accounts");
}

/* Start the OAuth flow: a one-time state bound to this session, then
 * off to the authorize URL built from the configuration. */
static int start_oauth(request_rec *r, ap_dbd_t *db, const smscloud_session_t *s,
                       const smscloud_provider_t *sp)
{
    const char *state, *url;

    if (sc_random_token(r->pool, SC_TOKEN_BYTES, &state) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SC04003: no random bytes for a state");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (smscloud_db_state_add(r, db, smscloud_keyed_hash(r, SC_HASH_STATE, state),
                              s->id_hash, sp->desc->name) != APR_SUCCESS) {
        return smscloud_page_unavailable(r);
    }
    if (sp->desc->authorize_url(sp->ctx, r->pool, smscloud_public_url(r, SC_CONNECT_CALLBACK_PATH),
                                state, &url) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return smscloud_page_redirect(r, url);
}

static int add_account(request_rec *r, ap_dbd_t *db, const smscloud_session_t *s,
                       const smscloud_provider_t *sp, const apr_array_header_t *form)
{
    sc_storage_connected_t *c = NULL;
    const char *problem = NULL;
    sc_storage_status_e st;

    switch (sp->desc->connect) {
    case SC_CONNECT_OAUTH:
        return start_oauth(r, db, s, sp);
    case SC_CONNECT_FORM:
        st = sp->desc->connect_form(sp->ctx, r->pool, s->phone, form, &c, &problem);
        break;
    case SC_CONNECT_ASSIGNED:
    default:
        st = sp->desc->assign(sp->ctx, r->pool, s->phone, &c);
        break;
    }
    if (st != SC_STORAGE_OK) {
        return connect_failed(r, sp, st, problem, 0);
    }
    return link_connected(r, db, s, sp, c);
}

static int remove_account(request_rec *r, ap_dbd_t *db, const smscloud_session_t *s,
                          const char *ref)
{
    int removed = 0;

    if (smscloud_account_unlink(r, db, s->phone, ref, &removed) != APR_SUCCESS) {
        return smscloud_page_unavailable(r);
    }
    if (!removed) {
        return smscloud_page_message(r, HTTP_NOT_FOUND, "No such account",
                                     "That account is not connected to your number.",
                                     "/connect", "Back to your accounts");
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "SC04004: account removed from %s",
                  sc_phone_redact(r->pool, s->phone));
    return smscloud_page_redirect(r, "/connect");
}

static int connect_post(request_rec *r, ap_dbd_t *db, const smscloud_session_t *s)
{
    const smscloud_conf_t *conf = smscloud_conf(r);
    const smscloud_provider_t *sp;
    apr_array_header_t *form;
    const char *name;
    int rc;

    if ((rc = smscloud_read_form(r, conf->max_form_body, &form)) != OK) {
        return rc;
    }
    if (!smscloud_csrf_session_ok(s, form)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "SC04005: form refused: CSRF token missing or wrong");
        return HTTP_FORBIDDEN;
    }
    switch (sc_connect_action(form, &name)) {
    case SC_CONNECT_REMOVE:
        return remove_account(r, db, s, name);
    case SC_CONNECT_ADD:
        if ((sp = smscloud_storage_provider(r, name))) {
            return add_account(r, db, s, sp, form);
        }
        /* fall through */
    default:
        return HTTP_BAD_REQUEST;
    }
}

static int callback_failed(request_rec *r, sc_callback_fault_e fault)
{
    int status;
    const char *message = sc_connect_callback_fault(fault, &status);

    return smscloud_page_message(r, status, "Nothing was connected", message,
                                 "/connect", "Back to your accounts");
}

static int connect_callback(request_rec *r, ap_dbd_t *db, const smscloud_session_t *s)
{
    const smscloud_provider_t *sp;
    sc_storage_connected_t *c = NULL;
    sc_connect_callback_t cb;
    const char *provider = NULL;
    sc_storage_status_e st;

    if (r->method_number != M_GET) {
        r->allowed = AP_METHOD_BIT << M_GET;
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (sc_connect_callback_parse(r->pool, r->args, &cb) != APR_SUCCESS) {
        return callback_failed(r, SC_CALLBACK_UNREADABLE);
    }
    if (!cb.state
        || smscloud_db_state_take(r, db, smscloud_keyed_hash(r, SC_HASH_STATE, cb.state),
                                  s->id_hash, &provider) != APR_SUCCESS || !provider) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                      "SC04007: connect callback with a missing, used, expired or "
                      "foreign state refused");
        return callback_failed(r, SC_CALLBACK_BAD_STATE);
    }
    if (cb.refused) {
        return callback_failed(r, SC_CALLBACK_REFUSED);
    }
    sp = smscloud_storage_provider(r, provider);
    if (!sp || sp->desc->connect != SC_CONNECT_OAUTH || !cb.code) {
        return callback_failed(r, SC_CALLBACK_INCOMPLETE);
    }
    st = sp->desc->exchange_code(sp->ctx, r->pool, cb.code,
                                 smscloud_public_url(r, SC_CONNECT_CALLBACK_PATH), &c);
    if (st != SC_STORAGE_OK) {
        return connect_failed(r, sp, st, NULL, 1);
    }
    return link_connected(r, db, s, sp, c);
}

int smscloud_connect_handler(request_rec *r)
{
    sc_connect_route_e route = sc_connect_route(r->path_info);
    smscloud_session_t *s = NULL;
    ap_dbd_t *db;

    smscloud_page_headers(r);
    if (route == SC_CONNECT_NOWHERE) {
        return HTTP_NOT_FOUND;
    }
    if (!(db = smscloud_db_acquire(r)) || smscloud_session_get(r, db, &s) != APR_SUCCESS) {
        return smscloud_page_unavailable(r);
    }
    if (!s) {
        return smscloud_page_redirect(r, "/login");
    }
    if (route == SC_CONNECT_CALLBACK) {
        return connect_callback(r, db, s);
    }
    if (r->method_number == M_GET) {
        return show_accounts(r, db, s);
    }
    return connect_post(r, db, s);
}
