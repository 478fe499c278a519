/* sc_paging.c: fitting listings into SMS replies. */
#include <string.h>

#include <apr_strings.h>

#include "sc_paging.h"
#include "sc_text.h"

/* Enough for "\n(reply MORE for 2147483647 more)". */
#define SC_FOOTER_BUF 64

const char *sc_human_size(apr_pool_t *p, apr_int64_t bytes)
{
    static const char *const units[] = { "KB", "MB", "GB", "TB", "PB", "EB" };
    double v;
    int u = 0;

    if (bytes < 0) {
        return "?";
    }
    if (bytes < 1024) {
        return apr_psprintf(p, "%d B", (int)bytes);
    }
    v = (double)bytes / 1024.0;
    /* Move up a unit before rounding would show "1024.0 KB". */
    while (u < 5 && v >= 1023.95) {
        v /= 1024.0;
        u++;
    }
    return apr_psprintf(p, "%.1f %s", v, units[u]);
}

static const char *line_at(const apr_array_header_t *lines, int i)
{
    const char *s = APR_ARRAY_IDX(lines, i, const char *);

    return s ? s : "";
}

/* Footer text for `remaining` lines not shown (ASCII, so bytes = chars). */
static apr_size_t footer_fmt(char *buf, int remaining)
{
    return apr_snprintf(buf, SC_FOOTER_BUF, "\n(reply MORE for %d more)",
                        remaining);
}

/* How many lines from `first` fit. Showing everything needs no footer,
 * so try that first: it can fit when a page one line shorter plus the
 * footer would not. Otherwise the size of "k lines + footer" never shrinks
 * as k grows (each line adds >= 1 char, the footer loses <= 1), so the
 * first k that does not fit ends the page. */
static int page_fit(const apr_array_header_t *lines, int first,
                     const apr_size_t *lens, apr_size_t max_chars)
{
    int count = lines->nelts - first, k;
    apr_size_t used = 0, cand;
    char footer[SC_FOOTER_BUF];

    for (k = 0; k < count; k++) {
        used += lens[k] + (k ? 1 : 0);
    }
    if (used <= max_chars) {
        return count;
    }
    used = 0;
    for (k = 0; k < count - 1; k++) {
        cand = used + (k ? 1 : 0) + lens[k];
        if (cand + footer_fmt(footer, count - k - 1) > max_chars) {
            break;
        }
        used = cand;
    }
    return k;
}

/* Not even one whole line fits: cut the first one, keeping the footer if
 * there is room for it and at least one character. */
static const char *page_cut_first(apr_pool_t *p,
                                  const apr_array_header_t *lines, int first,
                                  apr_size_t max_chars)
{
    char footer[SC_FOOTER_BUF];
    int remaining = lines->nelts - first - 1;
    apr_size_t flen = remaining ? footer_fmt(footer, remaining) : 0;
    const char *line = line_at(lines, first);

    if (remaining && max_chars > flen) {
        return apr_pstrcat(p, sc_utf8_truncate(p, line, max_chars - flen),
                           footer, NULL);
    }
    return apr_pstrdup(p, sc_utf8_truncate(p, line, max_chars));
}

const char *sc_page_build(apr_pool_t *p, const apr_array_header_t *lines,
                          int start, apr_size_t max_chars, int *next)
{
    apr_array_header_t *parts;
    apr_size_t *lens;
    char footer[SC_FOOTER_BUF];
    int n = lines ? lines->nelts : 0, shown, i;

    if (start < 0) {
        start = 0;
    }
    if (start >= n) {
        if (next) {
            *next = n;
        }
        return "";
    }
    lens = apr_palloc(p, (n - start) * sizeof(*lens));
    for (i = start; i < n; i++) {
        lens[i - start] = sc_utf8_len(line_at(lines, i));
    }
    shown = page_fit(lines, start, lens, max_chars);
    if (shown == 0) {
        if (next) {
            *next = start + 1;
        }
        return page_cut_first(p, lines, start, max_chars);
    }
    parts = apr_array_make(p, shown, sizeof(const char *));
    for (i = start; i < start + shown; i++) {
        APR_ARRAY_PUSH(parts, const char *) = line_at(lines, i);
    }
    if (next) {
        *next = start + shown;
    }
    if (start + shown == n) {
        return apr_array_pstrcat(p, parts, '\n');
    }
    footer_fmt(footer, n - start - shown);
    return apr_pstrcat(p, apr_array_pstrcat(p, parts, '\n'), footer, NULL);
}
