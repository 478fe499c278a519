/*
 * mod_smscloud: reach cloud storage by text message, and log in to its web
 * side with a one-time code sent by SMS.
 *
 * This file holds the module record, the hooks and the handler table; each
 * endpoint lives in a file of its own.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_api.h"
#include "mod_smscloud_assets.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_gate.h"

#include "mod_smscloud_maintenance.h"
#include "mod_smscloud_metrics.h"
#include "mod_smscloud_page.h"
#include "mod_smscloud_storage.h"

#include "sc_http.h"
#include "sc_log.h"

static const struct {
    const char *name;
    smscloud_handler_fn *fn;
} handlers[] = {
#define HANDLER_ENTRY(name, fn) { name, fn },
    SMSCLOUD_HANDLERS(HANDLER_ENTRY)
    { NULL, NULL }
};

/* Core lines (sc_log.h) logged with a request's pool go to that
 * request's error log line, with its client and log id. */
#define LOG_REQUEST_KEY "smscloud:log-request"

static void core_log(const char *file, int line, sc_log_level_e level,
                     apr_status_t rv, apr_pool_t *p, const char *msg)
{
    void *data = NULL;
    request_rec *r;

    apr_pool_userdata_get(&data, LOG_REQUEST_KEY, p);
    if ((r = data) != NULL) {
        ap_log_rerror(file, line, APLOG_MODULE_INDEX, (int)level, rv, r, "%s", msg);
    }
    else {
        ap_log_perror(file, line, APLOG_MODULE_INDEX, (int)level, rv, p, "%s", msg);
    }
}

/* The pages' style sheet and icon sit below /login (SC_ASSET_BASE), the
 * one page Location every site routes: the path below it is theirs. */
static smscloud_handler_fn *handler_below(request_rec *r, smscloud_handler_fn *fn)
{
    if (fn == smscloud_login_handler && r->path_info && *r->path_info) {
        return smscloud_asset_handler;
    }
    return fn;
}

static int smscloud_handler(request_rec *r)
{
    int i;

    if (!r->handler || strncmp(r->handler, "smscloud-", 9)) {
        return DECLINED;
    }
    for (i = 0; handlers[i].name; i++) {
        if (!strcmp(r->handler, handlers[i].name)) {
            if (!smscloud_conf(r)->configured) {
                ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                              "SC00002: SetHandler %s, but mod_smscloud is "
                              "not configured for this server", r->handler);
                return HTTP_INTERNAL_SERVER_ERROR;
            }
            apr_pool_userdata_setn(r, LOG_REQUEST_KEY, NULL, r->pool);
            return handler_below(r, handlers[i].fn)(r);
        }
    }
    return DECLINED;
}

/* The SetHandler names, for the metrics' handler label. */
static const char *const *handler_names(apr_pool_t *p)
{
    const char **names = apr_pcalloc(p, sizeof(handlers) / sizeof(handlers[0])
                                        * sizeof(*names));
    int i;

    for (i = 0; handlers[i].name; i++) {
        names[i] = handlers[i].name;
    }
    return names;
}

static int smscloud_check_config(apr_pool_t *pconf, apr_pool_t *plog,
                                 apr_pool_t *ptemp, server_rec *s)
{
    int rv = smscloud_conf_check(pconf, ptemp, s);

    /* read now, so that `apachectl -t` already fails on a missing one
     * (logged by smscloud_pages_init) */
    if (rv == OK && (smscloud_pages_init(pconf, s) != APR_SUCCESS
                     || smscloud_assets_init(pconf, s) != APR_SUCCESS)) {
        rv = HTTP_INTERNAL_SERVER_ERROR;
    }
    return rv;
}

static int smscloud_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                apr_pool_t *ptemp, server_rec *s)
{
    apr_status_t rv = sc_http_global_init(pconf);

    sc_log_set(core_log);

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     "SC00003: cannot initialise libcurl");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (smscloud_metrics_init(pconf, s, handler_names(pconf)) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return smscloud_maintenance_init(pconf, s);
}

static void smscloud_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv = sc_http_child_init(pchild);

    if (rv != APR_SUCCESS) {
        /* still works, only connecting anew for every upstream call */
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                     "SC00005: no per-thread curl handles; upstream connections "
                     "are not reused");
    }
    smscloud_dbd_child_init(pchild, s);
}

static void smscloud_optional_fn_retrieve(void)
{
    smscloud_dbd_retrieve();
}

static void smscloud_register_hooks(apr_pool_t *p)
{
    static const char *const dbd_first[] = { "mod_dbd.c", NULL };

    ap_hook_check_config(smscloud_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(smscloud_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    /* after mod_dbd has set up its connection pools */
    ap_hook_child_init(smscloud_child_init, dbd_first, NULL, APR_HOOK_MIDDLE);
    ap_hook_optional_fn_retrieve(smscloud_optional_fn_retrieve, NULL, NULL,
                                 APR_HOOK_MIDDLE);
    ap_hook_handler(smscloud_handler, NULL, NULL, APR_HOOK_MIDDLE);
    smscloud_gate_register_hooks(p);
    ap_hook_log_transaction(smscloud_metrics_log, NULL, NULL, APR_HOOK_MIDDLE);
    smscloud_api_register();
}

/* Not AP_DECLARE_MODULE: mod_smscloud_private.h already says
 * APLOG_USE_MODULE(smscloud), which that macro would repeat. */
module AP_MODULE_DECLARE_DATA smscloud_module = {
    STANDARD20_MODULE_STUFF,
    smscloud_create_dir_conf,      /* per-directory: the gate's */
    smscloud_merge_dir_conf,
    smscloud_create_server_conf,
    smscloud_merge_server_conf,
    smscloud_cmds,
    smscloud_register_hooks,
    AP_MODULE_FLAG_NONE
};
