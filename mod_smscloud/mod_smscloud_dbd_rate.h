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

typedef enum {
    SC_RATE_ALLOWED = 0,
    SC_RATE_LIMITED,
    SC_RATE_ERROR              /* database failure (logged) */
} smscloud_rate_result_e;

/** One event to count: at most `count` per `window` seconds in the bucket
 *  name ":" key. Only the name is logged. */
typedef struct {
    const char *name;
    const char *key;
    int count;
    int window;
} smscloud_rate_hit_t;

/** A new list of hits (smscloud_rate_hit_t), to count together. */
apr_array_header_t *smscloud_rate_list(apr_pool_t *p);

/** Append a hit of the limit configured as `which` (SmsCloudRateLimit). */
void smscloud_rate_add(request_rec *r, apr_array_header_t *hits, smscloud_rate_e which,
                       const char *key);

/** Append a hit of a limit that is not configured with SmsCloudRateLimit
 *  (an API key's own). */
void smscloud_rate_add_named(apr_array_header_t *hits, const char *name, const char *key,
                             int count, int window);

/** The three arguments of the SQL function smscloud_rate_hits() for hits,
 *  for statements that count them along with something else. APR_EINVAL
 *  when a key holds a newline (the lists' separator). */
apr_status_t smscloud_rate_args(request_rec *r, const apr_array_header_t *hits,
                                const char **buckets, const char **windows,
                                const char **counts);

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
