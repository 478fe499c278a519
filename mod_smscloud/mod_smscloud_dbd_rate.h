/*
 * Fixed-window rate limits, counted in PostgreSQL so that every httpd host
 * sees the same counts. Everything one request counts goes in one round
 * trip (smscloud_rate_hits, schema step 010).
 */
#ifndef MOD_SMSCLOUD_DBD_RATE_H
#define MOD_SMSCLOUD_DBD_RATE_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "mod_smscloud_config.h"

#include "sc_rate.h"

typedef enum {
    SC_RATE_ALLOWED = 0,
    SC_RATE_LIMITED,
    SC_RATE_ERROR              /* database failure (logged) */
} smscloud_rate_result_e;

/** Append to a list of hits (sc_rate_list(), sc_rate.h) a hit of the
 *  limit configured as `which` (SmsCloudRateLimit); a limit of its own (an
 *  API key's) is sc_rate_add(). A statement that counts hits along with
 *  something else passes sc_rate_args(). */
void smscloud_rate_add(request_rec *r, apr_array_header_t *hits, smscloud_rate_e which,
                       const char *key);

/** What smscloud_rate_hits() answered (0, or the 1-based position of the
 *  limit over its count; -1 for no answer), as a result; the refusal is
 *  logged and counted. *which (may be NULL) is that position, 0 when
 *  allowed. */
smscloud_rate_result_e smscloud_rate_answer(request_rec *r, const apr_array_header_t *hits,
                                            int answer, int *which);

/** Count hits in order, in one round trip, up to the first that is over its
 *  limit (counted too; the later ones are not). */
smscloud_rate_result_e smscloud_rate_count(request_rec *r, ap_dbd_t *db,
                                           const apr_array_header_t *hits, int *which);

/** One limit that is not configured with SmsCloudRateLimit. */
smscloud_rate_result_e smscloud_rate_hit_named(request_rec *r, ap_dbd_t *db,
                                               const char *name, const char *key,
                                               int count, int window);

#endif
