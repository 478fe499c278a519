/* fuzz_form.c: form and query decoding and encoding (sc_form.h).
 *
 * Input: a byte for max_pairs, then the data. Webhook bodies, login forms
 * and query strings all come through sc_form_parse, and outbound REST
 * bodies through sc_form_encode, so the two must agree: what we encode
 * decodes to exactly the pairs we meant. */
#include <limits.h>
#include <string.h>

#include <apr_strings.h>

#include "harness.h"
#include "sc_form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const sc_pair_t *pair_at(const apr_array_header_t *a, int i)
{
    return &APR_ARRAY_IDX(a, i, sc_pair_t);
}

/* the non-empty '&'-separated segments of data, as fz_piece_t */
static apr_array_header_t *segments(apr_pool_t *p, const uint8_t *data,
                                    size_t size)
{
    apr_array_header_t *all = fz_split(p, data, size, '&', INT_MAX);
    apr_array_header_t *segs = apr_array_make(p, all->nelts, sizeof(fz_piece_t));
    int i;

    for (i = 0; i < all->nelts; i++) {
        if (fz_piece(all, i).len) {
            APR_ARRAY_PUSH(segs, fz_piece_t) = fz_piece(all, i);
        }
    }
    return segs;
}

/* Without escapes a pair is its segment's text, split at the first '='. */
static void check_raw(const apr_array_header_t *pairs,
                      const apr_array_header_t *segs)
{
    int i;

    for (i = 0; i < pairs->nelts; i++) {
        const char *seg = fz_piece(segs, i).s, *eq = strchr(seg, '=');
        const sc_pair_t *pr = pair_at(pairs, i);

        if (eq) {
            FZ_ASSERT(strlen(pr->name) == (apr_size_t)(eq - seg));
            FZ_ASSERT(strncmp(pr->name, seg, eq - seg) == 0);
            FZ_ASSERT(strcmp(pr->value, eq + 1) == 0);
        }
        else {
            FZ_ASSERT(strcmp(pr->name, seg) == 0 && *pr->value == '\0');
        }
    }
}

static void check_same(const apr_array_header_t *a, const apr_array_header_t *b)
{
    int i;

    FZ_ASSERT(a->nelts == b->nelts);
    for (i = 0; i < a->nelts; i++) {
        FZ_ASSERT(strcmp(pair_at(a, i)->name, pair_at(b, i)->name) == 0);
        FZ_ASSERT(strcmp(pair_at(a, i)->value, pair_at(b, i)->value) == 0);
    }
}

/* sc_form_get gives the first value of a name. */
static void check_lookup(const apr_array_header_t *pairs)
{
    int i, j;

    for (i = 0; i < pairs->nelts; i++) {
        const sc_pair_t *a = pair_at(pairs, i);

        for (j = 0; strcmp(pair_at(pairs, j)->name, a->name) != 0; j++) {
        }
        FZ_ASSERT(sc_form_get(pairs, a->name) == pair_at(pairs, j)->value);
    }
    FZ_ASSERT(sc_form_get(pairs, NULL) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_begin();
    int max = (int)fz_take_byte(&data, &size);
    const char *in = (const char *)data;
    apr_array_header_t *segs = segments(p, data, size);
    apr_array_header_t *pairs = NULL, *again = NULL;
    const char *enc;
    apr_status_t rv;

    rv = sc_form_parse(p, in, size, max, &pairs);
    FZ_ASSERT(rv == APR_SUCCESS || rv == APR_BADCH || rv == APR_ENOSPC);
    FZ_ASSERT((rv == APR_SUCCESS) == (pairs != NULL));
    if (memchr(in, '\0', size)) {
        FZ_ASSERT(rv == APR_BADCH);
    }
    if (rv == APR_ENOSPC) {
        FZ_ASSERT(segs->nelts > max);
    }
    if (rv != APR_SUCCESS) {
        fz_end(p);
        return 0;
    }
    /* an escaped NUL would cut a name or value short */
    FZ_ASSERT(!memmem(in, size, "%00", 3));
    FZ_ASSERT(pairs->nelts == segs->nelts && pairs->nelts <= max);
    if (!memchr(in, '%', size) && !memchr(in, '+', size)) {
        check_raw(pairs, segs);
    }
    check_lookup(pairs);

    enc = sc_form_encode(p, pairs);
    FZ_ASSERT(sc_form_parse(p, enc, strlen(enc), max, &again) == APR_SUCCESS);
    check_same(pairs, again);
    FZ_ASSERT(strcmp(sc_form_encode(p, again), enc) == 0);

    fz_end(p);
    return 0;
}
