/*
 * Storage providers per server, built once at startup from the directives.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_storage.h"

#include "sc_kloudless.h"

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

apr_status_t smscloud_storage_init(apr_pool_t *pconf, server_rec *s)
{
    server_rec *sp;

    for (sp = s; sp; sp = sp->next) {
        smscloud_conf_t *c = ap_get_module_config(sp->module_config, &smscloud_module);

        if (!c->configured) {
            continue;
        }
        if (c->providers & SC_PROVIDER_KLOUDLESS) {
            c->kloudless = make_kloudless(pconf, c);
            if (!c->kloudless) {
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
