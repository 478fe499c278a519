/* sc_backoff.h: the wait imposed after wrong one-time codes.
 *
 * A lock that never ends lets anyone lock anyone out (by asking for codes
 * to the victim's phone and typing them wrong), so there is none: wrong
 * entries impose a wait that grows with their number and ends by itself
 * (NIST SP 800-63B 5.2.2). Failures are counted per phone and per client
 * origin; the origin asking bears its own failures in full and those of
 * every other origin at 1/SC_BACKOFF_FOREIGN_WEIGHT, so a stranger's
 * guesses barely slow the phone's owner while a spread-out attack still
 * adds up.
 */
#ifndef SC_BACKOFF_H
#define SC_BACKOFF_H

#define SC_BACKOFF_BASE_SECS      30     /* first wait */
#define SC_BACKOFF_CAP_SECS       3600   /* longest wait */
#define SC_BACKOFF_FOREIGN_WEIGHT 10     /* other origins' failures count 1/10 */
#define SC_BACKOFF_MEMORY_SECS    86400  /* failures older than this are forgotten */

typedef struct {
    int free_failures;         /* failures without any wait */
    int max_failures;          /* from here on the wait is the longest */
} sc_backoff_t;

/** A phone's recent failures as one client origin sees them. */
typedef struct {
    int own;                   /* the origin's own */
    int others;                /* every other origin's */
    long since;                /* seconds since the last of them */
} sc_backoff_counts_t;

/** The failures that count for an origin: its own, plus the others'
 *  divided by SC_BACKOFF_FOREIGN_WEIGHT; negative counts are 0. */
int sc_backoff_weighted(int own, int others);

/**
 * Seconds to wait after the last of `weighted` failures: none up to
 * free_failures, then SC_BACKOFF_BASE_SECS doubling with each further
 * failure up to SC_BACKOFF_CAP_SECS, and the cap from max_failures on.
 */
int sc_backoff_wait(const sc_backoff_t *b, int weighted);

/**
 * Seconds still to wait after the failures `c`, `c->since` seconds after
 * the last of them (0 when the wait is over).
 */
int sc_backoff_remaining(const sc_backoff_t *b, const sc_backoff_counts_t *c);

/**
 * Seconds to wait from now after one more wrong code from the origin that
 * saw `c` before it.
 */
int sc_backoff_after_wrong(const sc_backoff_t *b, const sc_backoff_counts_t *c);

#endif /* SC_BACKOFF_H */
