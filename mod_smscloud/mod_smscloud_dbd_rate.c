/*
 * Rate-limit counters: one row per (bucket, window), bumped atomically by
 * an upsert in smscloud_rate_hits() (schema step 010), so concurrent
 * requests on any host count exactly. Old windows are removed by the
 * background maintenance, not here.
 */
#include <string.h>

#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_rate.h"

#include "apr_strings.h"

#include "sc_metrics.h"

const smscloud_stmt_t smscloud_stmts_rate[] = {
    { "smscloud_rate_hits",
      "SELECT smscloud_rate_hits(%s, %s, %s) AS refused" },
    { NULL, NULL }
};

void smscloud_rate_add(request_rec *r, apr_array_header_t *hits, smscloud_rate_e which,
                       const char *key)
{
    const smscloud_rate_t *limit = &smscloud_conf(r)->rates[which];

    sc_rate_add(hits, smscloud_rate_name(which), key, limit->count, limit->window);
}

smscloud_rate_result_e smscloud_rate_answer(request_rec *r, const apr_array_header_t *hits,
                                            int answer, int *which)
{
    const sc_rate_hit_t *h;

    if (which) {
        *which = answer > 0 ? answer : 0;
    }
    if (sc_rate_answer(hits, answer, &h) != APR_SUCCESS) {
        return SC_RATE_ERROR;
    }
    if (!h) {
        return SC_RATE_ALLOWED;
    }
    sc_metric_inc(SC_METRIC_RATE_REFUSALS, h->name, NULL);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  "SC00020: rate limit %s reached (%d per %d s)", h->name, h->count,
                  h->window);
    return SC_RATE_LIMITED;
}

smscloud_rate_result_e smscloud_rate_count(request_rec *r, ap_dbd_t *db,
                                           const apr_array_header_t *hits, int *which)
{
    const char *buckets, *windows, *counts;
    sc_row_t *row = NULL;
    int refused;

    if (which) {
        *which = 0;
    }
    if (!hits->nelts) {
        return SC_RATE_ALLOWED;
    }
    if (sc_rate_args(r->pool, hits, &buckets, &windows, &counts) != APR_SUCCESS
        || smscloud_db_row(r, db, "smscloud_rate_hits", &row, buckets, windows,
                           counts, NULL) != APR_SUCCESS || !row) {
        return SC_RATE_ERROR;
    }
    refused = sc_row_int(row, "refused", -1);
    if (smscloud_row_check(r, row) != APR_SUCCESS) {
        return SC_RATE_ERROR;
    }
    return smscloud_rate_answer(r, hits, refused, which);
}

smscloud_rate_result_e smscloud_rate_hit_named(request_rec *r, ap_dbd_t *db,
                                               const char *name, const char *key,
                                               int count, int window)
{
    apr_array_header_t *hits = sc_rate_list(r->pool);

    sc_rate_add(hits, name, key, count, window);
    return smscloud_rate_count(r, db, hits, NULL);
}
