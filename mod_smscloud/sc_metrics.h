/* sc_metrics.h - counters and histograms that every httpd child shares.
 *
 * The metric set is fixed at startup: each family has at most two labels
 * whose values are listed in advance, so every series has a cell of its
 * own in one block of memory (shared memory under httpd) and an update
 * is one atomic add, with no lock and no allocation. A label value that
 * is not in the list counts under the list's last value ("other"), so no
 * request data can ever become a label.
 *
 * Before sc_metrics_use() every update is a no-op, so code that counts
 * runs unchanged in unit tests and in servers without metrics.
 */
#ifndef SC_METRICS_H
#define SC_METRICS_H

#include <apr_pools.h>
#include <apr_time.h>

typedef enum {
    SC_METRIC_HTTP_REQUESTS,        /**< {handler, code}: requests answered */
    SC_METRIC_HTTP_DURATION,        /**< {handler}: histogram, seconds */
    SC_METRIC_SMS_MESSAGES,         /**< {command, result}: webhooks handled */
    SC_METRIC_SMS_REPLIES,          /**< TwiML replies carrying a message */
    SC_METRIC_SMS_REPLAYS,          /**< MessageSids seen before: refused */
    SC_METRIC_SIGNATURE_FAILURES,   /**< {endpoint}: bad X-Twilio-Signature */
    SC_METRIC_OTP_SENDS,            /**< {channel}: codes sent */
    SC_METRIC_OTP_CHECKS,           /**< {channel}: codes entered */
    SC_METRIC_OTP_APPROVALS,        /**< {channel}: right codes */
    SC_METRIC_OTP_FAILURES,         /**< {channel}: wrong or dead codes */
    SC_METRIC_OTP_LOCKOUTS,         /**< {channel}: phones locked */
    SC_METRIC_RATE_REFUSALS,        /**< {limit}: requests over a limit */
    SC_METRIC_UPSTREAM_REQUESTS,    /**< {target, status}: HTTP calls out */
    SC_METRIC_UPSTREAM_DURATION,    /**< {target}: histogram, seconds */
    SC_METRIC_DB_ERRORS,            /**< {kind}: failed database work */
    SC_METRIC_DB_ACQUIRE_DURATION,  /**< histogram, seconds */
    SC_METRIC_LINKS_SERVED,         /**< downloads answered 2xx */
    SC_METRIC_LINK_BYTES,           /**< bytes those downloads sent */
    SC_METRIC_COUNT
} sc_metric_e;

/** Label values of upstream calls that did not get an HTTP status. */
#define SC_METRIC_STATUS_TIMEOUT "timeout"
#define SC_METRIC_STATUS_ERROR   "error"

/** "2xx" and so on for an HTTP status; SC_METRIC_STATUS_ERROR for none. */
const char *sc_metrics_status_class(int status);

/**
 * Replace the values of one label of family m (they default to the list in
 * sc_metrics.c; the handler, command and limit labels have none there, so
 * only `other`, until the glue gives its own): a NULL-terminated array
 * whose strings outlive the process's use of the metrics. Call before sc_metrics_size(); the values are part of
 * the layout (sc_metrics_matches).
 */
void sc_metrics_set_values(sc_metric_e m, int label, const char *const *values);

/** Bytes of memory the current layout needs. */
apr_size_t sc_metrics_size(void);

/**
 * Whether the block at base (size bytes) was formatted for the current
 * layout, so that it can be used again as it is (after a graceful restart
 * the counters go on counting).
 */
int sc_metrics_matches(const void *base, apr_size_t size);

/** Zero the block and stamp it with the layout and the start time. */
void sc_metrics_format(void *base, apr_size_t size, apr_time_t now);

/** Update the block at base from now on (NULL: updates are no-ops). */
void sc_metrics_use(void *base);

/** When the block in use was formatted (0 when there is none). */
apr_time_t sc_metrics_start_time(void);

/** Count one event in the series (v1, v2); NULL for a label not there. */
void sc_metric_inc(sc_metric_e m, const char *v1, const char *v2);

/** Add n to a counter series. */
void sc_metric_add(sc_metric_e m, const char *v1, const char *v2,
                   apr_uint64_t n);

/** Record one observation of a histogram family (its one label: v1). */
void sc_metric_observe(sc_metric_e m, const char *v1, apr_interval_time_t elapsed);

/** A one-time code was checked on channel (web, gate, api): count the
 *  check and its outcome (SC_METRIC_OTP_APPROVALS, _FAILURES or _LOCKOUTS). */
void sc_metric_otp_checked(const char *channel, sc_metric_e outcome);

/** Current value of one counter series (tests, and the glue's checks). */
apr_uint64_t sc_metric_value(sc_metric_e m, const char *v1, const char *v2);

/**
 * The whole set in the Prometheus text exposition format 0.0.4, in p.
 * @param len out: its length (may be NULL)
 */
const char *sc_metrics_render(apr_pool_t *p, apr_size_t *len);

/** Content-Type of what sc_metrics_render() gives. */
#define SC_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

#endif /* SC_METRICS_H */
