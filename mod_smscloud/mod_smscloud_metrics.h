/*
 * Metrics glue: the shared memory the counters live in, the
 * smscloud-metrics handler and the per-request counts. Code anywhere
 * counts with sc_metric_inc() and friends (sc_metrics.h).
 */
#ifndef MOD_SMSCLOUD_METRICS_H
#define MOD_SMSCLOUD_METRICS_H

#include "httpd.h"

#include "sc_metrics.h"

/** Another module's SetHandler name to count under its own handler label
 *  (mod_smscloud.h's smscloud_handler_add; pre_config, kept in pconf). */
void smscloud_metrics_handler_add(apr_pool_t *pconf, const char *handler);

/** Map the counters (post_config). handlers: the SetHandler names of the
 *  handler table ("smscloud-sms" ...), NULL-terminated, kept for the
 *  process; those smscloud_metrics_handler_add() gave come after them. */
apr_status_t smscloud_metrics_init(apr_pool_t *pconf, server_rec *s,
                                   const char *const *handlers);

/** log_transaction hook: count the request and how long it took. */
int smscloud_metrics_log(request_rec *r);

#endif
