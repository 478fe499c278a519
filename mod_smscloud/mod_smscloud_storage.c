/*
 * Storage providers per server, built once at startup from the registry
 * and the directives, and every storage call of the glue.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd_link.h"
#include "mod_smscloud_storage.h"

#include "apr_strings.h"
#include "ap_mpm.h"
#include "http_core.h"

#include "sc_crypt.h"
#include "sc_link.h"

static apr_status_t refuse(server_rec *s, const char *why)
{
    ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s,
                 "SC00001: mod_smscloud: %s (server %s:%u)", why,
                 s->server_hostname ? s->server_hostname : "?", s->port);
    return APR_EINVAL;
}

apr_status_t smscloud_storage_init(apr_pool_t *pconf, server_rec *s, smscloud_conf_t *c)
{
    sc_storage_env_t env;
    const char *err = NULL;
    apr_status_t rv;
    int i;

    env.connect_timeout_ms = (long)apr_time_as_msec(c->http_connect_timeout);
    env.timeout_ms = (long)apr_time_as_msec(c->http_timeout);
    c->link_key = sc_link_key(pconf, c->secret);
    rv = sc_storage_start(pconf, c->provider_names, c->provider_settings, &env,
                          c->credential_secrets != NULL, &c->providers, &err);
    for (i = 0; i < c->providers->nelts; i++) {
        const smscloud_provider_t *sp = APR_ARRAY_IDX(c->providers, i,
                                                      const smscloud_provider_t *);

        if (sp->notice && ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_WARNING, 0, s,
                         "SC05104: WARNING: %s (server %s:%u)", sp->notice,
                         s->server_hostname ? s->server_hostname : "?", s->port);
        }
    }
    if (rv != APR_SUCCESS) {
        return refuse(s, err);
    }
    c->credential_keys = NULL;
    if (c->credential_secrets) {
        sc_crypt_keys_t *keys = NULL;

        if (sc_crypt_keys_make(pconf, c->credential_secrets, &keys) != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s,
                         "SC00001: mod_smscloud: cannot derive the SmsCloudCredentialKey "
                         "keys");
            return APR_EGENERAL;
        }
        c->credential_keys = keys;
    }
    return APR_SUCCESS;
}

apr_status_t smscloud_storage_seal(request_rec *r, const char *phone, const char *provider,
                                   const char *account_id, const char *credentials,
                                   const char **sealed)
{
    const smscloud_conf_t *c = smscloud_conf(r);
    apr_size_t aad_len;
    const char *aad = sc_crypt_account_aad(r->pool, phone, provider, account_id, &aad_len);
    apr_status_t rv;

    rv = sc_crypt_seal(r->pool, c->credential_keys, aad, aad_len, credentials,
                       strlen(credentials), sealed);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      "SC05102: cannot seal the credentials of a %s account", provider);
    }
    return rv;
}

const apr_array_header_t *smscloud_storage_providers(const request_rec *r)
{
    return smscloud_conf(r)->providers;
}

const smscloud_provider_t *smscloud_storage_provider(const request_rec *r,
                                                     const char *name)
{
    const apr_array_header_t *all = smscloud_storage_providers(r);
    int i;

    for (i = 0; name && i < all->nelts; i++) {
        const smscloud_provider_t *sp = APR_ARRAY_IDX(all, i, const smscloud_provider_t *);

        if (!strcmp(sp->desc->name, name)) {
            return sp;
        }
    }
    return NULL;
}

/* The provider of account a, or NULL (logged: an account of a provider
 * this server no longer offers). */
static const smscloud_provider_t *provider_of(request_rec *r, const smscloud_account_t *a)
{
    const smscloud_provider_t *sp = smscloud_storage_provider(r, a->provider);

    if (!sp) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "SC05101: provider %s of account %s is not enabled here",
                      a->provider, a->ref);
    }
    return sp;
}

/* What the provider gets of account a: its credentials opened. NULL when
 * they do not open (logged), which the caller reports as refused access. */
static sc_storage_account_t *as_storage_account(request_rec *r, const smscloud_account_t *a)
{
    sc_storage_account_t *sa = apr_pcalloc(r->pool, sizeof(*sa));
    const smscloud_conf_t *c = smscloud_conf(r);
    const char *aad;
    apr_size_t aad_len;
    apr_status_t rv;

    sa->phone = a->phone;
    sa->id = a->account_id;
    if (!a->credentials || !*a->credentials) {
        return sa;
    }
    aad = sc_crypt_account_aad(r->pool, a->phone, a->provider, a->account_id, &aad_len);
    rv = c->credential_keys
         ? sc_crypt_open(r->pool, c->credential_keys, aad, aad_len, a->credentials,
                         &sa->credentials, NULL, NULL)
         : APR_ENOENT;
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      "SC05103: the stored credentials of account %s (%s) do not open "
                      "with SmsCloudCredentialKey (a key removed too early?)",
                      a->ref, a->provider);
        return NULL;
    }
    return sa;
}

/* Account a as its provider sees it (*sp, *sa), or what to answer when
 * its provider is not enabled here or its credentials do not open (both
 * logged). */
static sc_storage_status_e open_account(request_rec *r, const smscloud_account_t *a,
                                        const smscloud_provider_t **sp,
                                        sc_storage_account_t **sa)
{
    if (!(*sp = provider_of(r, a))) {
        return SC_STORAGE_UNAVAILABLE;
    }
    return (*sa = as_storage_account(r, a)) ? SC_STORAGE_OK : SC_STORAGE_DENIED;
}

sc_storage_status_e smscloud_storage_list(request_rec *r, const smscloud_account_t *a,
                                          const char *folder_id,
                                          apr_array_header_t **items)
{
    const smscloud_provider_t *sp;
    sc_storage_account_t *sa;
    sc_storage_status_e st = open_account(r, a, &sp, &sa);

    if (st != SC_STORAGE_OK) {
        return st;
    }
    return sp->desc->list_folder(sp->ctx, r->pool, sa, folder_id, items);
}

/* The module's own link: an opaque token, served by the smscloud-link handler. The
 * provider says first that the file is there and is a file. */
static sc_storage_status_e signed_link(request_rec *r, const smscloud_provider_t *sp,
                                       const smscloud_account_t *a,
                                       const sc_storage_account_t *sa,
                                       const char *file_id, const char **url)
{
    const smscloud_conf_t *c = smscloud_conf(r);
    sc_storage_item_t *item = NULL;
    sc_link_t link;
    const char *token, *hash;
    sc_storage_status_e st;

    st = sp->desc->describe_item(sp->ctx, r->pool, sa, file_id, &item);
    if (st != SC_STORAGE_OK) {
        return st;
    }
    if (item->is_folder) {
        return SC_STORAGE_NOT_FILE;
    }
    link.provider = sp->desc->name;
    link.account_id = a->account_id;
    link.file_id = file_id;
    if (sc_link_issue(r->pool, c->link_key, apr_time_now(), c->link_lifetime, &link, &token,
                      &hash) != APR_SUCCESS
        || smscloud_link_store(r, &link, hash) != APR_SUCCESS) {
        return SC_STORAGE_UNAVAILABLE;
    }
    *url = sc_link_url(r->pool, apr_pstrcat(r->pool, c->public_url, c->link_path, NULL),
                       token, sc_link_file_name(file_id));
    return SC_STORAGE_OK;
}

sc_storage_status_e smscloud_storage_link(request_rec *r, const smscloud_account_t *a,
                                          const char *file_id, const char **url)
{
    const smscloud_provider_t *sp;
    sc_storage_account_t *sa;
    sc_storage_status_e st;

    *url = NULL;
    if ((st = open_account(r, a, &sp, &sa)) != SC_STORAGE_OK) {
        return st;
    }
    if (!sp->desc->create_link) {
        return signed_link(r, sp, a, sa, file_id, url);
    }
    return sp->desc->create_link(sp->ctx, r->pool, sa, file_id,
                                 apr_time_from_sec(smscloud_conf(r)->link_lifetime), url);
}

sc_storage_status_e smscloud_storage_read(request_rec *r, const smscloud_account_t *a,
                                          const char *file_id,
                                          const sc_storage_sink_t *sink)
{
    /* a link of a provider this server does not offer is not here, which
     * is no error of ours */
    const smscloud_provider_t *sp = smscloud_storage_provider(r, a->provider);
    sc_storage_account_t *sa;

    if (!sp || !sp->desc->read_file) {
        return SC_STORAGE_NOT_FOUND;
    }
    if (!(sa = as_storage_account(r, a))) {
        return SC_STORAGE_DENIED;
    }
    return sp->desc->read_file(sp->ctx, r->pool, sa, file_id, sink);
}
