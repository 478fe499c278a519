/*
 * Background maintenance: expired sessions, login codes, OAuth states,
 * replay records, finished rate-limit windows and old outbox rows are
 * removed by a mod_watchdog task in one child of each host, never on a
 * request's path.
 */
#ifndef MOD_SMSCLOUD_MAINTENANCE_H
#define MOD_SMSCLOUD_MAINTENANCE_H

#include "httpd.h"

/** Start the maintenance task (post_config); logs why when it cannot. */
int smscloud_maintenance_init(apr_pool_t *pconf, server_rec *s);

#endif
