/* sc_rate.h: rate-limit hits as the database counts them. A hit is a
 * bucket "name:key" that takes at most count events per window seconds;
 * everything one request counts goes to smscloud_rate_hits() (schema step
 * 010) in one call, as three newline-separated lists.
 */
#ifndef SC_RATE_H
#define SC_RATE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_errno.h>

/** One event to count. Only the name is ever logged. */
typedef struct {
    const char *name;
    const char *key;
    int count;
    int window;                /* seconds */
} sc_rate_hit_t;

/** A new list of hits (sc_rate_hit_t), to count together. */
apr_array_header_t *sc_rate_list(apr_pool_t *p);

/** Append a hit; the strings must outlive the list. */
void sc_rate_add(apr_array_header_t *hits, const char *name, const char *key, int count,
                 int window);

/**
 * Whether a hit can be counted: a name of lowercase letters, digits, '-'
 * and '_' (nothing the bucket's ':' could be confused with), a key that
 * is one line of clean text (sc_text_is_clean: no newline, the lists'
 * separator, and only UTF-8 the database takes), count >= 0 and a window
 * of at least a second.
 */
int sc_rate_hit_ok(const sc_rate_hit_t *h);

/**
 * The three arguments of smscloud_rate_hits() for hits, in order: the
 * buckets ("name:key"), windows and counts, one line each.
 * @return APR_SUCCESS; APR_EINVAL when a hit is not sc_rate_hit_ok() (the
 *         out-parameters are "" then)
 */
apr_status_t sc_rate_args(apr_pool_t *p, const apr_array_header_t *hits,
                          const char **buckets, const char **windows, const char **counts);

/**
 * What smscloud_rate_hits() answered: 0 when every hit was allowed, else
 * the 1-based position of the first one over its count.
 * @param over  out: NULL when allowed, else that hit
 * @return APR_SUCCESS; APR_EINVAL for an answer that is no position
 *         (*over NULL)
 */
apr_status_t sc_rate_answer(const apr_array_header_t *hits, int answer,
                            const sc_rate_hit_t **over);

#endif /* SC_RATE_H */
