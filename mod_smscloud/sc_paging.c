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

/* Footer text for `remaining` lines not shown (ASCII, so bytes = chars). */
static apr_size_t footer_fmt(char *buf, int remaining)
{
    return apr_snprintf(buf, SC_FOOTER_BUF, "\n(reply MORE for %d more)",
                        remaining);
}

/* How many of the `count` lines left fit, knowing the lengths of the first
 * `made` of them: all of them, or as many as were made before their sum
 * passed max_chars. Showing everything needs no footer, so try that first:
 * it can fit when a page one line shorter plus the footer would not.
 * Otherwise the size of "k lines + footer" never shrinks as k grows (each
 * line adds >= 1 char, the footer loses <= 1), so the first k that does not
 * fit ends the page, at the latest the line that passed max_chars. */
static int page_fit(const apr_size_t *lens, int made, int count, apr_size_t used,
                    apr_size_t max_chars)
{
    apr_size_t cand;
    char footer[SC_FOOTER_BUF];
    int k;

    if (made == count && used <= max_chars) {
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
static const char *page_cut_first(apr_pool_t *p, const char *line, int remaining,
                                  apr_size_t max_chars)
{
    char footer[SC_FOOTER_BUF];
    apr_size_t flen = remaining ? footer_fmt(footer, remaining) : 0;

    if (remaining && max_chars > flen) {
        return apr_pstrcat(p, sc_utf8_truncate(p, line, max_chars - flen),
                           footer, NULL);
    }
    return apr_pstrdup(p, sc_utf8_truncate(p, line, max_chars));
}

/* texts[0..k) (k > 0) joined with '\n', then tail. */
static const char *join_lines(apr_pool_t *p, const char *const *texts, int k,
                              const char *tail)
{
    struct iovec *vec = apr_palloc(p, 2 * (apr_size_t)k * sizeof(*vec));
    int i, n = 0;

    for (i = 0; i < k; i++) {
        vec[n].iov_base = (void *)texts[i];
        vec[n++].iov_len = strlen(texts[i]);
        vec[n].iov_base = (void *)(i + 1 < k ? "\n" : tail);
        vec[n++].iov_len = i + 1 < k ? 1 : strlen(tail);
    }
    return apr_pstrcatv(p, vec, n, NULL);
}

const char *sc_page_build_lines(apr_pool_t *p, sc_page_line_fn line, const void *baton,
                                int n, int start, apr_size_t max_chars, int *next)
{
    const char **texts;
    apr_size_t *lens, used = 0;
    char footer[SC_FOOTER_BUF];
    int count, made, shown;

    if (start < 0) {
        start = 0;
    }
    if (start >= n) {
        if (next) {
            *next = n;
        }
        return "";
    }
    count = n - start;
    texts = apr_palloc(p, count * sizeof(*texts));
    lens = apr_palloc(p, count * sizeof(*lens));
    /* a line after the one that passed max_chars can change nothing */
    for (made = 0; made < count && used <= max_chars; made++) {
        const char *s = line(p, baton, start + made);

        texts[made] = s ? s : "";
        lens[made] = sc_utf8_len(texts[made]);
        used += lens[made] + (made ? 1 : 0);
    }
    shown = page_fit(lens, made, count, used, max_chars);
    if (shown == 0) {
        if (next) {
            *next = start + 1;
        }
        return page_cut_first(p, texts[0], count - 1, max_chars);
    }
    if (next) {
        *next = start + shown;
    }
    footer[0] = '\0';
    if (shown < count) {
        footer_fmt(footer, count - shown);
    }
    return join_lines(p, texts, shown, footer);
}

static const char *array_line(apr_pool_t *p, const void *baton, int i)
{
    (void)p;
    return APR_ARRAY_IDX((const apr_array_header_t *)baton, i, const char *);
}

const char *sc_page_build(apr_pool_t *p, const apr_array_header_t *lines,
                          int start, apr_size_t max_chars, int *next)
{
    return sc_page_build_lines(p, array_line, lines, lines ? lines->nelts : 0, start,
                               max_chars, next);
}
