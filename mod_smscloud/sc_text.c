/* sc_text.c: untrusted bytes made into safe UTF-8 text, escaped for markup,
 * counted and cut by code point. */
#include <limits.h>
#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_escape.h>

#include "sc_text.h"

#define SC_ELLIPSIS "\xE2\x80\xA6"          /* U+2026 */
#define SC_REPLACEMENT "\xEF\xBF\xBD"       /* U+FFFD */

/* What a lead byte promises: how many continuation bytes follow, and the
 * allowed range of the first one. The narrowed ranges are what rule out
 * overlong forms (E0, F0), surrogates (ED) and values above U+10FFFF (F4);
 * C0, C1 and F5..FF can never start a valid sequence. */
typedef struct {
    apr_size_t need;
    unsigned char lo;
    unsigned char hi;
    apr_uint32_t bits;
} utf8_lead_t;

static int utf8_lead(unsigned char c, utf8_lead_t *l)
{
    l->lo = 0x80;
    l->hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        l->need = 1;
        l->bits = c & 0x1F;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
        l->need = 2;
        l->bits = c & 0x0F;
        l->lo = (c == 0xE0) ? 0xA0 : 0x80;
        l->hi = (c == 0xED) ? 0x9F : 0xBF;
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        l->need = 3;
        l->bits = c & 0x07;
        l->lo = (c == 0xF0) ? 0x90 : 0x80;
        l->hi = (c == 0xF4) ? 0x8F : 0xBF;
    }
    else {
        return 0;
    }
    return 1;
}

/* Decode the sequence at s (n > 0 bytes left). Returns its length and sets
 * *cp, or returns 0 and sets *bad to the length of the maximal invalid
 * subpart, which is replaced by a single U+FFFD (Unicode's recommended
 * practice, also what browsers do). */
static apr_size_t utf8_decode(const unsigned char *s, apr_size_t n,
                              apr_uint32_t *cp, apr_size_t *bad)
{
    utf8_lead_t l;
    apr_size_t i;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (!utf8_lead(s[0], &l)) {
        *bad = 1;
        return 0;
    }
    for (i = 1; i <= l.need; i++) {
        if (i >= n || s[i] < l.lo || s[i] > l.hi) {
            *bad = i;
            return 0;
        }
        l.bits = (l.bits << 6) | (s[i] & 0x3F);
        l.lo = 0x80;
        l.hi = 0xBF;
    }
    *cp = l.bits;
    return l.need + 1;
}

/* XML 1.0 Char production minus DEL: no C0 but tab/LF/CR, no U+FFFE/FFFF.
 * DEL is legal XML but invisible junk in an SMS or a page. */
static int xml_char_ok(apr_uint32_t cp)
{
    if (cp < 0x20) {
        return cp == '\t' || cp == '\n' || cp == '\r';
    }
    return cp != 0x7F && cp != 0xFFFE && cp != 0xFFFF;
}

/* sc_text_sanitize(), and with oneline tab, CR and LF as spaces, in the
 * same pass and the same copy. */
static const char *sanitize(apr_pool_t *p, const char *s, apr_size_t len, int oneline)
{
    const unsigned char *in = (const unsigned char *)s;
    apr_size_t i = 0, o = 0, k, bad = 0;
    apr_uint32_t cp = 0;
    char *out;

    /* Every input byte yields at most 3 output bytes (one U+FFFD). */
    if (!s || len == 0 || len > (APR_SIZE_MAX - 1) / 3) {
        return "";
    }
    out = apr_palloc(p, len * 3 + 1);
    while (i < len) {
        /* Names and replies are mostly ASCII, and every text is sanitized
         * several times on its way to the phone: a plain byte is copied
         * as it is, without a decode and a memcpy() call of its own. */
        if (in[i] < 0x80 && xml_char_ok(in[i])) {
            out[o++] = (oneline && in[i] < 0x20) ? ' ' : (char)in[i];
            i++;
            continue;
        }
        k = utf8_decode(in + i, len - i, &cp, &bad);
        if (k == 0) {
            memcpy(out + o, SC_REPLACEMENT, 3);
            o += 3;
            i += bad;
            continue;
        }
        if (xml_char_ok(cp)) {
            memcpy(out + o, in + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    return out;
}

const char *sc_text_sanitize(apr_pool_t *p, const char *s, apr_size_t len)
{
    return sanitize(p, s, len, 0);
}

int sc_text_is_clean(const char *s, apr_size_t len, int oneline)
{
    const unsigned char *in = (const unsigned char *)s;
    apr_size_t i = 0, k, bad = 0;
    apr_uint32_t cp = 0;

    if (!s) {
        return 0;
    }
    while (i < len) {
        k = utf8_decode(in + i, len - i, &cp, &bad);
        if (k == 0 || !xml_char_ok(cp) || (oneline && cp < 0x20)) {
            return 0;
        }
        i += k;
    }
    return 1;
}

const char *sc_text_oneline(apr_pool_t *p, const char *s, apr_size_t len)
{
    return sanitize(p, s, len, 1);
}

/* apr_escape_entity (APR 1.7) leaves ' alone: its T_ESCAPE_XML class
 * omits it although the switch has a case for it. That is fine for XML text
 * but not for an HTML attribute quoted with ', so finish the job. &#39;
 * rather than &apos;, which HTML 4 does not know. */
static const char *escape_apostrophes(apr_pool_t *p, const char *s)
{
    apr_size_t n = 0, len;
    const char *q;
    char *out, *d;

    for (q = strchr(s, '\''); q; q = strchr(q + 1, '\'')) {
        n++;
    }
    if (n == 0) {
        return s;
    }
    len = strlen(s);
    d = out = apr_palloc(p, len + 4 * n + 1);
    for (; *s; s++) {
        if (*s == '\'') {
            memcpy(d, "&#39;", 5);
            d += 5;
        }
        else {
            *d++ = *s;
        }
    }
    *d = '\0';
    return out;
}

const char *sc_xml_escape(apr_pool_t *p, const char *s)
{
    const char *esc;

    if (!s) {
        return "";
    }
    esc = apr_pescape_entity(p, sc_text_sanitize(p, s, strlen(s)), 0);
    return escape_apostrophes(p, esc);
}

apr_size_t sc_utf8_len(const char *s)
{
    apr_size_t n = 0;

    if (!s) {
        return 0;
    }
    for (; *s; s++) {
        if (((unsigned char)*s & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

const char *sc_utf8_truncate(apr_pool_t *p, const char *s,
                             apr_size_t max_chars)
{
    apr_size_t i = 0, kept = 0;

    if (!s || max_chars == 0) {
        return "";
    }
    if (sc_utf8_len(s) <= max_chars) {
        return s;
    }
    /* Keep max_chars - 1 code points; the ellipsis is the last one. */
    while (s[i] && kept < max_chars - 1) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80) {
            i++;
        }
        kept++;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, s, i), SC_ELLIPSIS, NULL);
}

const char *sc_text_trim(const char *s, apr_size_t *len)
{
    apr_size_t n;

    *len = 0;
    if (!s) {
        return NULL;
    }
    while (apr_isspace(*s)) {
        s++;
    }
    n = strlen(s);
    while (n && apr_isspace(s[n - 1])) {
        n--;
    }
    *len = n;
    return s;
}

int sc_decimal_id_ok(const char *s)
{
    apr_size_t n = s ? strlen(s) : 0;

    return n > 0 && n <= SC_DECIMAL_ID_MAX && strspn(s, "0123456789") == n;
}

apr_status_t sc_text_append(apr_array_header_t *text, const char *bytes, apr_size_t len)
{
    /* apr_array_cat() only reads what it appends, so the bytes are wrapped
     * as they are; it doubles an int size, hence the bound */
    apr_array_header_t more = { .pool = text->pool, .elt_size = 1, .elts = (char *)bytes };

    if (len > (apr_size_t)(INT_MAX / 2 - text->nelts)) {
        return APR_ENOSPC;
    }
    more.nelts = more.nalloc = (int)len;
    apr_array_cat(text, &more);
    return APR_SUCCESS;
}

const char *sc_text_string(apr_array_header_t *text)
{
    *(char *)apr_array_push(text) = '\0';
    text->nelts--;
    return text->elts;
}
