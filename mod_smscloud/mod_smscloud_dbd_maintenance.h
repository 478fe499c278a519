/*
 * The background maintenance's SQL (mod_smscloud_dbd_maintenance.c): the
 * lifetimes it runs with, and one batch of removals.
 */
#ifndef MOD_SMSCLOUD_DBD_MAINTENANCE_H
#define MOD_SMSCLOUD_DBD_MAINTENANCE_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

/** What a pass runs with, in seconds (schema table maintenance). */
typedef struct {
    int session_idle;
    int session_max;
    int replay_lifetime;
    int rate_window;           /* the longest SmsCloudRateLimit window */
    int retain_expired;
    int retain_outbox;
    int failure_memory;        /* wrong codes forgotten after this */
} smscloud_prune_settings_t;

typedef struct {
    int busy;                  /* another host's batch was running */
    int removed;               /* rows, all tables */
    const char *detail;        /* "web_sessions 3, outbox 10" */
} smscloud_prune_result_t;

/** Store the settings the next batches use. */
apr_status_t smscloud_db_prune_settings(server_rec *s, apr_pool_t *p, ap_dbd_t *db,
                                        const smscloud_prune_settings_t *set);

/** One batch: at most `batch` rows of each table. */
apr_status_t smscloud_db_prune_batch(server_rec *s, apr_pool_t *p, ap_dbd_t *db,
                                     int batch, smscloud_prune_result_t *out);

#endif
