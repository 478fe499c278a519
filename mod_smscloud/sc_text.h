/* sc_text.h: safe text for XML, HTML and SMS, UTF-8 helpers, and text
 * grown in a pool.
 *
 * Everything that reaches a TwiML reply or an HTML page goes through
 * sc_xml_escape(): file names and provider data are untrusted bytes.
 */
#ifndef SC_TEXT_H
#define SC_TEXT_H

#include <apr_pools.h>
#include <apr_tables.h>

/**
 * Make arbitrary bytes into valid UTF-8 that XML 1.0 accepts.
 *
 * Invalid, overlong, surrogate and out-of-range sequences become U+FFFD
 * (one per maximal invalid subpart); C0 controls other than tab, LF and CR,
 * DEL, U+FFFE and U+FFFF are dropped. Embedded NULs (within len) are
 * dropped too.
 *
 * @param s    bytes, need not be NUL-terminated; NULL gives ""
 * @param len  number of bytes in s
 * @return a new NUL-terminated pool string
 */
const char *sc_text_sanitize(apr_pool_t *p, const char *s, apr_size_t len);

/**
 * sc_text_sanitize(), then tab, CR and LF become spaces: they are valid
 * XML, but in a name they could fake extra lines of an SMS listing.
 * @return a new NUL-terminated pool string
 */
const char *sc_text_oneline(apr_pool_t *p, const char *s, apr_size_t len);

/**
 * Whether s[0..len) is already clean text: what sc_text_sanitize() (with
 * oneline, sc_text_oneline()) gives back unchanged, that is valid UTF-8
 * without NUL, C0 controls but tab, LF and CR (none at all with oneline),
 * DEL, U+FFFE or U+FFFF. For input that is refused rather than repaired.
 * @return 1 or 0 (0 for NULL; 1 for len 0)
 */
int sc_text_is_clean(const char *s, apr_size_t len, int oneline);

/**
 * Sanitize (see sc_text_sanitize) and escape & < > " ' as entities
 * (&amp; &lt; &gt; &quot; &#39;), for XML text, XML attributes and HTML
 * alike.
 * @return the escaped string; "" for NULL
 */
const char *sc_xml_escape(apr_pool_t *p, const char *s);

/**
 * Number of code points in valid UTF-8 (continuation bytes not counted).
 * @return the count; 0 for NULL
 */
apr_size_t sc_utf8_len(const char *s);

/**
 * Cut valid UTF-8 to at most max_chars code points, on a code point
 * boundary, ending with U+2026 "…" when something was cut.
 * @return s itself when it already fits, else a new pool string; "" for
 *         NULL or max_chars 0
 */
const char *sc_utf8_truncate(apr_pool_t *p, const char *s,
                             apr_size_t max_chars);

/**
 * s without the white space (apr_isspace) at either end, in place: the
 * first byte kept, its length in *len. Nothing is copied.
 * @return s from its first non-blank byte ("" stays ""; NULL gives NULL,
 *         *len 0)
 */
const char *sc_text_trim(const char *s, apr_size_t *len);

/**
 * Whether s is a decimal id: 1 to SC_DECIMAL_ID_MAX ASCII digits, which
 * fits a PostgreSQL bigint and nothing in a URL path or SQL can hide in.
 * @return 1 or 0 (also for NULL)
 */
int sc_decimal_id_ok(const char *s);

/** Digits a decimal id may have. */
#define SC_DECIMAL_ID_MAX 18

/**
 * Append len bytes to text, an APR array of bytes (element size 1) that
 * doubles in its own pool: no realloc(), so no piece of a grown block is
 * left in glibc's per-thread caches (bench/RESULTS.md, 2026-12-03).
 * @return APR_SUCCESS; APR_ENOSPC when text would pass INT_MAX / 2 bytes
 *         (nothing appended)
 */
apr_status_t sc_text_append(apr_array_header_t *text, const char *bytes, apr_size_t len);

/** The bytes of text as a string: the NUL goes after them, not into them,
 *  so text can be taken again or appended to. */
const char *sc_text_string(apr_array_header_t *text);

#endif /* SC_TEXT_H */
