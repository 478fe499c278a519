/*
 * Rate-limit counters: one row per (bucket, window), bumped atomically by
 * an upsert, so concurrent requests on any host count exactly.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_rate.h"

#include "apr_strings.h"

#include "sc_metrics.h"

const smscloud_stmt_t smscloud_stmts_rate[] = {
    { "smscloud_rate_hit",
      "INSERT INTO rate_counters (bucket, window_start, hits) "
      "VALUES (%s, to_timestamp(floor(extract(epoch FROM now()) "
      "/ CAST(%s AS integer)) * CAST(%s AS integer)), 1) "
      "ON CONFLICT (bucket, window_start) "
      "DO UPDATE SET hits = rate_counters.hits + 1 "
      "RETURNING hits" },
    /* old windows of the same bucket go when a new window opens */
    { "smscloud_rate_prune",
      "DELETE FROM rate_counters WHERE bucket = %s "
      "AND window_start < now() - make_interval(secs => CAST(%s AS integer))" },
    { NULL, NULL }
};

smscloud_rate_result_e smscloud_rate_hit_named(request_rec *r, ap_dbd_t *db,
                                               const char *name, const char *key,
                                               int count, int window)
{
    const char *bucket = apr_pstrcat(r->pool, name, ":", key, NULL);
    const char *secs = apr_itoa(r->pool, window);
    const char *hits = NULL;
    apr_int64_t n;

    if (smscloud_db_value(r, db, "smscloud_rate_hit", &hits, bucket, secs,
                          secs, NULL) != APR_SUCCESS || !hits) {
        return SC_RATE_ERROR;
    }
    n = apr_atoi64(hits);
    if (n == 1) {
        smscloud_db_query(r, db, "smscloud_rate_prune", NULL, bucket, secs, NULL);
    }
    if (n > count) {
        sc_metric_inc(SC_METRIC_RATE_REFUSALS, name, NULL);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "SC00020: rate limit %s reached (%d per %d s)", name, count, window);
        return SC_RATE_LIMITED;
    }
    return SC_RATE_ALLOWED;
}

smscloud_rate_result_e smscloud_rate_hit(request_rec *r, ap_dbd_t *db,
                                         smscloud_rate_e which, const char *key)
{
    const smscloud_rate_t *limit = &smscloud_conf(r)->rates[which];

    return smscloud_rate_hit_named(r, db, smscloud_rate_name(which), key, limit->count,
                                   limit->window);
}
