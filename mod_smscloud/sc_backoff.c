/* sc_backoff.c: the wait after wrong one-time codes (see sc_backoff.h). */

#include "sc_backoff.h"

int sc_backoff_weighted(int own, int others)
{
    if (own < 0) {
        own = 0;
    }
    if (others < 0) {
        others = 0;
    }
    return own + others / SC_BACKOFF_FOREIGN_WEIGHT;
}

int sc_backoff_wait(const sc_backoff_t *b, int weighted)
{
    int over = weighted - b->free_failures, wait = SC_BACKOFF_BASE_SECS;

    if (weighted >= b->max_failures) {
        return SC_BACKOFF_CAP_SECS;
    }
    if (over <= 0) {
        return 0;
    }
    while (--over > 0 && wait < SC_BACKOFF_CAP_SECS) {
        wait *= 2;
    }
    return wait < SC_BACKOFF_CAP_SECS ? wait : SC_BACKOFF_CAP_SECS;
}

int sc_backoff_remaining(const sc_backoff_t *b, const sc_backoff_counts_t *c)
{
    long left = sc_backoff_wait(b, sc_backoff_weighted(c->own, c->others))
                - (c->since > 0 ? c->since : 0);

    return left > 0 ? (int)left : 0;
}

int sc_backoff_after_wrong(const sc_backoff_t *b, const sc_backoff_counts_t *c)
{
    return sc_backoff_wait(b, sc_backoff_weighted(c->own > 0 ? c->own + 1 : 1, c->others));
}
