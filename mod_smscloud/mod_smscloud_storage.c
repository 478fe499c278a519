/*
 * Storage providers per server, built once at startup from the directives.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_storage.h"

#include "apr_strings.h"

#include "sc_kloudless.h"
#include "sc_link.h"
#include "sc_local.h"

static const sc_storage_provider_t *make_kloudless(apr_pool_t *pconf,
                                                   const smscloud_conf_t *c)
{
    sc_kloudless_conf_t *kc = apr_pcalloc(pconf, sizeof(*kc));

    kc->api_base = c->kloudless_api_base;
    kc->api_key = c->kloudless_api_key;
    kc->app_id = c->kloudless_app_id;
    kc->connect_timeout_ms = (long)apr_time_as_msec(c->http_connect_timeout);
    kc->timeout_ms = (long)apr_time_as_msec(c->http_timeout);
    return sc_kloudless_provider(pconf, kc);
}

static const sc_storage_provider_t *make_local(apr_pool_t *pconf,
                                               const smscloud_conf_t *c)
{
    sc_local_conf_t lc = {
        .root = c->local_root,
        .name = c->local_name,
        .link_key = c->link_key,
        .link_base = apr_pstrcat(pconf, c->public_url, c->link_path, NULL),
        .link_lifetime = c->link_lifetime,
    };

    return sc_local_provider(pconf, &lc);
}

apr_status_t smscloud_storage_init(apr_pool_t *pconf, server_rec *s)
{
    server_rec *sp;

    for (sp = s; sp; sp = sp->next) {
        smscloud_conf_t *c = ap_get_module_config(sp->module_config, &smscloud_module);

        if (!c->configured) {
            continue;
        }
        c->link_key = sc_link_key(pconf, c->secret);
        if (c->providers & SC_PROVIDER_KLOUDLESS) {
            c->kloudless = make_kloudless(pconf, c);
            if (!c->kloudless) {
                return APR_EGENERAL;
            }
        }
        if (c->providers & SC_PROVIDER_LOCAL) {
            c->local = make_local(pconf, c);
            if (!c->local) {
                ap_log_error(APLOG_MARK, APLOG_EMERG, 0, sp,
                             "SC07006: SmsCloudLocalRoot %s is not a usable "
                             "directory", c->local_root);
                return APR_EGENERAL;
            }
        }
    }
    return APR_SUCCESS;
}

const sc_storage_provider_t *smscloud_storage_provider(const request_rec *r,
                                                       const char *name)
{
    const smscloud_conf_t *c = smscloud_conf(r);

    if (!name) {
        return NULL;
    }
    if (!strcmp(name, "kloudless")) {
        return c->kloudless;
    }
    if (!strcmp(name, "local")) {
        return c->local;
    }
    return NULL;
}
