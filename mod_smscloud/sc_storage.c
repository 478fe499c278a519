/* sc_storage.c - the provider registry and the provider-independent parts
 * of the storage interface. */

#include <string.h>

#include "apr_escape.h"
#include "apr_strings.h"
#include "apr_uri.h"

#include "sc_storage.h"
#include "sc_kloudless.h"
#include "sc_local.h"
#include "sc_webdav.h"

/* Every provider the module knows, one line each. */
static const sc_storage_provider_t *const registry[] = {
    &sc_local_provider,
    &sc_kloudless_provider,
    &sc_webdav_provider,
    NULL
};

const sc_storage_provider_t *sc_storage_find(const char *name)
{
    int i;

    for (i = 0; name && registry[i]; i++) {
        if (!strcmp(registry[i]->name, name)) {
            return registry[i];
        }
    }
    return NULL;
}

const sc_storage_provider_t *sc_storage_nth(int i)
{
    if (i < 0 || i >= (int)(sizeof(registry) / sizeof(registry[0])) - 1) {
        return NULL;
    }
    return registry[i];
}

const char *sc_storage_setting_value(apr_pool_t *p, sc_setting_kind_e kind, const char *arg,
                                     const char *before, const char **value)
{
    apr_finfo_t finfo;
    apr_uri_t uri;

    *value = NULL;
    switch (kind) {
    case SC_SETTING_DIR:
        if (!arg || apr_stat(&finfo, arg, APR_FINFO_TYPE, p) != APR_SUCCESS
            || finfo.filetype != APR_DIR) {
            return "an existing directory is required";
        }
        break;
    case SC_SETTING_URL:
        if (!arg || apr_uri_parse(p, arg, &uri) != APR_SUCCESS
            || !uri.scheme || !uri.hostname || !*uri.hostname
            || (strcasecmp(uri.scheme, "http") && strcasecmp(uri.scheme, "https"))
            || uri.query || uri.fragment) {
            return "an absolute http:// or https:// URL without query string is required";
        }
        break;
    case SC_SETTING_FLAG:
        if (!arg || (strcasecmp(arg, "on") && strcasecmp(arg, "off"))) {
            return "On or Off";
        }
        arg = strcasecmp(arg, "on") ? "off" : "on";
        break;
    case SC_SETTING_LIST:
        if (!arg || !*arg || strpbrk(arg, " \t")) {
            return "words without blanks";
        }
        if (before) {
            arg = apr_pstrcat(p, before, " ", arg, NULL);
        }
        break;
    case SC_SETTING_SECRET:
    case SC_SETTING_STRING:
    default:
        if (!arg || !*arg) {
            return "must not be empty";
        }
        break;
    }
    *value = arg;
    return NULL;
}

apr_status_t sc_storage_start_one(apr_pool_t *pconf, const sc_storage_provider_t *desc,
                                  const apr_table_t *settings, const sc_storage_env_t *env,
                                  int credential_key, sc_storage_offered_t **offered,
                                  const char **err)
{
    sc_storage_offered_t *o = apr_pcalloc(pconf, sizeof(*o));

    *offered = NULL;
    *err = NULL;
    /* what a form asks for is what reaches the account: a password */
    if (desc->connect == SC_CONNECT_FORM && !credential_key) {
        *err = apr_pstrcat(pconf, "SmsCloudCredentialKey is required with the ", desc->name,
                           " provider, whose accounts have passwords", NULL);
        return APR_EINVAL;
    }
    o->desc = desc;
    o->label = desc->label;
    if (desc->init(pconf, settings, env, &o->ctx, &o->label, &o->notice, err)
        != APR_SUCCESS) {
        if (!*err) {
            *err = apr_pstrcat(pconf, "the ", desc->name, " provider cannot start", NULL);
        }
        return APR_EINVAL;
    }
    *offered = o;
    return APR_SUCCESS;
}

apr_status_t sc_storage_start(apr_pool_t *pconf, const apr_array_header_t *names,
                              const apr_table_t *settings, const sc_storage_env_t *env,
                              int credential_key, apr_array_header_t **offered,
                              const char **err)
{
    int i;

    *err = NULL;
    *offered = apr_array_make(pconf, names->nelts, sizeof(sc_storage_offered_t *));
    for (i = 0; i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);
        const sc_storage_provider_t *desc = sc_storage_find(name);
        sc_storage_offered_t *o;

        if (!desc) {
            *err = apr_pstrcat(pconf, "no storage provider is called ",
                               name ? name : "(null)", NULL);
            return APR_EINVAL;
        }
        if (sc_storage_start_one(pconf, desc, settings, env, credential_key, &o, err)
            != APR_SUCCESS) {
            return APR_EINVAL;
        }
        APR_ARRAY_PUSH(*offered, sc_storage_offered_t *) = o;
    }
    return APR_SUCCESS;
}

int sc_storage_offers_another(const sc_storage_provider_t *provider, int connected)
{
    return provider->connect != SC_CONNECT_ASSIGNED || connected == 0;
}

const char *sc_storage_status_text(sc_storage_status_e status)
{
    switch (status) {
    case SC_STORAGE_OK:
        return "OK";
    case SC_STORAGE_NOT_FOUND:
        return "that is no longer there";
    case SC_STORAGE_NOT_FOLDER:
        return "that is a file, not a folder";
    case SC_STORAGE_NOT_FILE:
        return "that is a folder, not a file";
    case SC_STORAGE_DENIED:
        return "the storage account refused access";
    case SC_STORAGE_INVALID:
        return "those details cannot be used";
    case SC_STORAGE_UNAVAILABLE:
    case SC_STORAGE_BAD_REPLY:
        /* The user cannot act on the difference: both are worth a retry
         * and the log says which it was. */
        return "storage is not answering, try again";
    }
    return "storage is not answering, try again";
}

const char *sc_storage_id_store(apr_pool_t *p, const char *id)
{
    return apr_pescape_path_segment(p, id);
}

const char *sc_storage_id_load(apr_pool_t *p, const char *stored)
{
    if (!stored || !*stored || strstr(stored, "%00")) {
        return NULL;
    }
    return apr_punescape_url(p, stored, NULL, NULL, 0);
}
