/* sc_paging.h: fitting listings into SMS replies. */
#ifndef SC_PAGING_H
#define SC_PAGING_H

#include <apr_pools.h>
#include <apr_tables.h>

/**
 * Human-readable size with a 1024 base and one decimal above bytes:
 * "0 B", "999 B", "1.2 KB", "2.4 MB", "1.0 GB" (up to EB).
 * @return the text; "?" for a negative size
 */
const char *sc_human_size(apr_pool_t *p, apr_int64_t bytes);

/**
 * Build one page of a listing.
 *
 * Joins lines[start..] with "\n" while the page fits max_chars code points.
 * When lines remain, "\n(reply MORE for N more)" is appended and counted in
 * max_chars. At least one line is always shown, cut with sc_utf8_truncate
 * when it alone is too long, so that paging always makes progress (if even
 * the footer does not fit beside one character of it, the footer is left
 * out and the line cut to max_chars).
 *
 * @param lines      array of const char * (NULL entries count as "")
 * @param start      index of the first line to show; < 0 is taken as 0
 * @param max_chars  page limit in code points (1600 for one Twilio message)
 * @param next       out (may be NULL): index of the first line not shown,
 *                   lines->nelts when all were shown
 * @return the page; "" when nothing is left to show
 */
const char *sc_page_build(apr_pool_t *p, const apr_array_header_t *lines,
                          int start, apr_size_t max_chars, int *next);

/** Line i (0-based) of what sc_page_build_lines() pages; NULL counts as "". */
typedef const char *(*sc_page_line_fn)(apr_pool_t *p, const void *baton, int i);

/**
 * sc_page_build() over n lines that line() makes when asked: only those
 * from start up to the first whose sum passes max_chars (so a page of a
 * listing of hundreds makes the few dozen lines it can show), each once.
 * The page is the one sc_page_build() makes of the same lines.
 */
const char *sc_page_build_lines(apr_pool_t *p, sc_page_line_fn line, const void *baton,
                                int n, int start, apr_size_t max_chars, int *next);

#endif /* SC_PAGING_H */
