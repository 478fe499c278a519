/*
 * Fixed-window rate limits, counted in PostgreSQL so that every httpd host
 * sees the same counts.
 */
#ifndef MOD_SMSCLOUD_RATE_H
#define MOD_SMSCLOUD_RATE_H

#include "httpd.h"
#include "mod_dbd.h"
#include "mod_smscloud_config.h"

typedef enum {
    SC_RATE_ALLOWED = 0,
    SC_RATE_LIMITED,
    SC_RATE_ERROR              /* database failure (logged) */
} smscloud_rate_result_e;

/** Count one event for key (a phone, an address) against limit `which`,
 *  and say whether it is still within the limit. */
smscloud_rate_result_e smscloud_rate_hit(request_rec *r, ap_dbd_t *db,
                                         smscloud_rate_e which, const char *key);

/** The same for a limit that is not configured with SmsCloudRateLimit
 *  (an API key's own): `count` events per `window` seconds in the bucket
 *  name ":" key; only the name is logged. */
smscloud_rate_result_e smscloud_rate_hit_named(request_rec *r, ap_dbd_t *db,
                                               const char *name, const char *key,
                                               int count, int window);

#endif
