/*
 * The maintenance task: a mod_watchdog callback (as mod_proxy_hcheck
 * runs its checks) in one child process of each host, every
 * SmsCloudMaintenanceInterval seconds. Each pass stores the lifetimes it
 * runs with and removes what outlived them in batches of BATCH rows per
 * table, each batch its own short transaction; hosts take turns through
 * an advisory lock inside smscloud_prune().
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_maintenance.h"
#include "mod_smscloud_maintenance.h"

#include "http_core.h"
#include "apr_optional.h"
#include "mod_watchdog.h"

#include "sc_backoff.h"

#define WATCHDOG_NAME "_smscloud_maintenance_"
/* small enough that a batch holds its row locks for milliseconds */
#define BATCH 500
/* at most this many batches per pass, so that a pass over a big backlog
 * leaves room for the rest and for a stopping server */
#define MAX_BATCHES 20

static APR_OPTIONAL_FN_TYPE(ap_dbd_open) *dbd_open;
static APR_OPTIONAL_FN_TYPE(ap_dbd_close) *dbd_close;

static int longest_rate_window(const smscloud_conf_t *c)
{
    int i, longest = 0;

    for (i = 0; i < SC_RATE_COUNT; i++) {
        if (c->rates[i].window > longest) {
            longest = c->rates[i].window;
        }
    }
    return longest;
}

static void settings_of(const smscloud_conf_t *c, smscloud_prune_settings_t *set)
{
    set->session_idle = c->session_idle;
    set->session_max = c->session_max;
    set->replay_lifetime = c->replay_lifetime;
    set->rate_window = longest_rate_window(c);
    set->retain_expired = c->retain_expired;
    set->retain_outbox = c->retain_outbox;
    set->failure_memory = SC_BACKOFF_MEMORY_SECS;
}

static void pass(server_rec *s, apr_pool_t *p)
{
    smscloud_prune_settings_t set;
    smscloud_prune_result_t res;
    ap_dbd_t *db = dbd_open(p, s);
    const char *detail = "";
    int total = 0, batches = 0;

    if (!db) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "SC00051: maintenance: no database connection; trying "
                     "again next time");
        return;
    }
    settings_of(smscloud_server_conf(s), &set);
    if (smscloud_db_prune_settings(s, p, db, &set) == APR_SUCCESS) {
        do {
            if (smscloud_db_prune_batch(s, p, db, BATCH, &res) != APR_SUCCESS) {
                break;
            }
            total += res.removed;
            if (*res.detail) {
                detail = apr_pstrcat(p, detail, *detail ? "; " : "", res.detail, NULL);
            }
        } while (!res.busy && res.removed > 0 && ++batches < MAX_BATCHES);
    }
    dbd_close(s, db);
    if (total > 0) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                     "SC00050: maintenance: removed %d rows (%s)", total, detail);
    }
}

static apr_status_t maintenance_callback(int state, void *data, apr_pool_t *pool)
{
    if (state == AP_WATCHDOG_STATE_RUNNING) {
        pass(data, pool);
    }
    return APR_SUCCESS;
}

/* The first server that runs the module with maintenance on: mod_dbd
 * shares its connection pool among servers that do not set their own
 * DBDParams, and every server then works on the same tables. */
static server_rec *maintenance_server(server_rec *s)
{
    for (; s; s = s->next) {
        const smscloud_conf_t *c = smscloud_server_conf(s);

        if (c->configured && c->maintenance_interval > 0) {
            return s;
        }
    }
    return NULL;
}

int smscloud_maintenance_init(apr_pool_t *pconf, server_rec *s)
{
    APR_OPTIONAL_FN_TYPE(ap_watchdog_get_instance) *get_instance;
    APR_OPTIONAL_FN_TYPE(ap_watchdog_register_callback) *register_callback;
    server_rec *ms = maintenance_server(s);
    ap_watchdog_t *watchdog;
    apr_status_t rv;

    if (!ms || ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }
    get_instance = APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_get_instance);
    register_callback = APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_register_callback);
    dbd_open = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    dbd_close = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
    if (!get_instance || !register_callback || !dbd_open || !dbd_close) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, ms,
                     "SC00053: maintenance: mod_watchdog is not loaded, so "
                     "expired rows are not removed in the background; load it "
                     "or run `smscloud-admin prune` from cron "
                     "(SmsCloudMaintenanceInterval 0 silences this)");
        return OK;
    }
    rv = get_instance(&watchdog, WATCHDOG_NAME, 0, 1, pconf);
    if (rv == APR_SUCCESS) {
        rv = register_callback(watchdog,
                               apr_time_from_sec(smscloud_server_conf(ms)->maintenance_interval),
                               ms, maintenance_callback);
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, ms,
                     "SC00055: maintenance: cannot start the watchdog task");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return OK;
}
