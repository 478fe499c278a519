/* sc_rate.c: rate-limit hits and the arguments that count them. */
#include <string.h>

#include <apr_strings.h>

#include "sc_rate.h"
#include "sc_text.h"

apr_array_header_t *sc_rate_list(apr_pool_t *p)
{
    return apr_array_make(p, 4, sizeof(sc_rate_hit_t));
}

void sc_rate_add(apr_array_header_t *hits, const char *name, const char *key, int count,
                 int window)
{
    sc_rate_hit_t *h = apr_array_push(hits);

    h->name = name;
    h->key = key;
    h->count = count;
    h->window = window;
}

int sc_rate_hit_ok(const sc_rate_hit_t *h)
{
    apr_size_t n = h->name ? strlen(h->name) : 0;

    return n > 0 && strspn(h->name, "abcdefghijklmnopqrstuvwxyz0123456789-_") == n
           && h->key && sc_text_is_clean(h->key, strlen(h->key), 1)
           && h->count >= 0 && h->window > 0;
}

apr_status_t sc_rate_args(apr_pool_t *p, const apr_array_header_t *hits,
                          const char **buckets, const char **windows, const char **counts)
{
    const char *b = "", *w = "", *c = "";
    int i;

    *buckets = *windows = *counts = "";
    for (i = 0; i < hits->nelts; i++) {
        const sc_rate_hit_t *h = &APR_ARRAY_IDX(hits, i, sc_rate_hit_t);
        const char *sep = i ? "\n" : "";

        if (!sc_rate_hit_ok(h)) {
            return APR_EINVAL;
        }
        b = apr_pstrcat(p, b, sep, h->name, ":", h->key, NULL);
        w = apr_psprintf(p, "%s%s%d", w, sep, h->window);
        c = apr_psprintf(p, "%s%s%d", c, sep, h->count);
    }
    *buckets = b;
    *windows = w;
    *counts = c;
    return APR_SUCCESS;
}

apr_status_t sc_rate_answer(const apr_array_header_t *hits, int answer,
                            const sc_rate_hit_t **over)
{
    *over = NULL;
    if (answer < 0 || answer > hits->nelts) {
        return APR_EINVAL;
    }
    if (answer > 0) {
        *over = &APR_ARRAY_IDX(hits, answer - 1, sc_rate_hit_t);
    }
    return APR_SUCCESS;
}
