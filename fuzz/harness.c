/* harness.c: APR start-up, the per-input pool and helpers for the fuzz
 * targets (see harness.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "harness.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (apr_initialize() != APR_SUCCESS) {
        fprintf(stderr, "fuzz: apr_initialize failed\n");
        abort();
    }
    return 0;
}

void fz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort();
}

apr_pool_t *fz_begin(void)
{
    apr_pool_t *p;

    if (apr_pool_create(&p, NULL) != APR_SUCCESS) {
        abort();
    }
    fz_pool_watch(p);
    return p;
}

void fz_end(apr_pool_t *p)
{
    apr_pool_destroy(p);
    /* Anything still held would mean a pool outlived its root, or that
     * pool.c lost track of a cleanup. */
    FZ_ASSERT(fz_pool_unwatch() == 0);
}

apr_array_header_t *fz_split(apr_pool_t *p, const uint8_t *data, size_t size,
                             char sep, int max)
{
    apr_array_header_t *pieces = apr_array_make(p, 4, sizeof(fz_piece_t));
    const char *at = size ? (const char *)data : "", *end = at + size;

    for (;;) {
        const char *cut = pieces->nelts + 1 < max
                          ? memchr(at, sep, (apr_size_t)(end - at)) : NULL;
        fz_piece_t *piece = apr_array_push(pieces);

        piece->len = (apr_size_t)((cut ? cut : end) - at);
        piece->s = apr_pstrmemdup(p, at, piece->len);
        if (!cut) {
            return pieces;
        }
        at = cut + 1;
    }
}

fz_piece_t fz_piece(const apr_array_header_t *pieces, int i)
{
    static const fz_piece_t empty = { "", 0 };

    return i < pieces->nelts ? APR_ARRAY_IDX(pieces, i, fz_piece_t) : empty;
}

unsigned fz_take_byte(const uint8_t **data, size_t *size)
{
    if (*size == 0) {
        return 0;
    }
    (*size)--;
    return *(*data)++;
}

/* RFC 3629 table 3 by hand: lead byte, then the range each continuation
 * byte must be in (narrower after E0, ED, F0 and F4). */
static apr_size_t utf8_next(const unsigned char *s, apr_size_t len,
                            unsigned long *cp)
{
    unsigned char lo = 0x80, hi = 0xBF;
    apr_size_t need, k;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        need = 1, *cp = s[0] & 0x1F;
    }
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        need = 2, *cp = s[0] & 0x0F;
        lo = s[0] == 0xE0 ? 0xA0 : 0x80;
        hi = s[0] == 0xED ? 0x9F : 0xBF;
    }
    else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        need = 3, *cp = s[0] & 0x07;
        lo = s[0] == 0xF0 ? 0x90 : 0x80;
        hi = s[0] == 0xF4 ? 0x8F : 0xBF;
    }
    else {
        return 0;
    }
    for (k = 1; k <= need; k++) {
        if (k >= len || s[k] < lo || s[k] > hi) {
            return 0;
        }
        *cp = (*cp << 6) | (s[k] & 0x3F);
        lo = 0x80, hi = 0xBF;
    }
    return need + 1;
}

int fz_text_clean(const char *str, apr_size_t len, int oneline)
{
    const unsigned char *s = (const unsigned char *)str;
    apr_size_t i = 0, k;
    unsigned long cp;

    while (i < len) {
        if ((k = utf8_next(s + i, len - i, &cp)) == 0) {
            return 0;
        }
        if (cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF
            || (cp < 0x20
                && (oneline || (cp != '\t' && cp != '\n' && cp != '\r')))) {
            return 0;
        }
        i += k;
    }
    return 1;
}
