/* fuzz_xml.c: the text that reaches an SMS: sanitizing, escaping, cutting
 * (sc_text.h), paging a listing (sc_paging.h) and the TwiML reply.
 *
 * Input: two bytes that pick page sizes, then lines separated by '\n'.
 * File names are untrusted bytes, so every promise is checked against an
 * independent reading: the UTF-8 rules in harness.c, an unescaper here,
 * and expat (through apr_xml) for the TwiML. */
#include <stdio.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_xml.h>

#include "harness.h"
#include "sc_paging.h"
#include "sc_text.h"
#include "sc_twiml.h"

#define ELLIPSIS "\xE2\x80\xA6"
/* sc_page_build looks at every line left on each call, so a page through
 * thousands of tiny lines is quadratic: fine for one SMS reply, too slow
 * for a fuzzer. The last line keeps the rest of the input. */
#define MAX_LINES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *line_at(const apr_array_header_t *lines, int i)
{
    const char *s = APR_ARRAY_IDX(lines, i, const char *);

    return s ? s : "";
}

static const char *join(apr_pool_t *p, const apr_array_header_t *lines,
                        int from, int to)
{
    const char *s = line_at(lines, from);

    while (++from < to) {
        s = apr_pstrcat(p, s, "\n", line_at(lines, from), NULL);
    }
    return s;
}

static const char *footer(apr_pool_t *p, int remaining)
{
    return remaining ? apr_psprintf(p, "\n(reply MORE for %d more)", remaining) : "";
}

static int ends_with(const char *s, const char *tail)
{
    apr_size_t n = strlen(s), t = strlen(tail);

    return n >= t && strcmp(s + n - t, tail) == 0;
}

/* Page [start, next) is whole lines and the footer, or the one line at
 * start cut to the room there is; either way as many lines as fit. */
static void check_page(apr_pool_t *p, const apr_array_header_t *lines,
                       int start, int next, apr_size_t max, const char *page)
{
    int n = lines->nelts;
    const char *foot = footer(p, n - next), *body = page, *line;
    apr_size_t flen = strlen(foot), room, blen;
    int has_footer = flen && ends_with(page, foot);

    if (has_footer) {
        body = apr_pstrmemdup(p, page, strlen(page) - flen);
    }
    /* left out only when it does not fit beside one character */
    FZ_ASSERT(has_footer || !flen || (next == start + 1 && max <= flen));
    if (strcmp(body, join(p, lines, start, next)) == 0) {
        if (next < n) {
            FZ_ASSERT(sc_utf8_len(join(p, lines, start, next + 1))
                      + strlen(footer(p, n - next - 1)) > max);
        }
        return;
    }
    line = line_at(lines, start);
    room = max - (has_footer ? flen : 0);
    blen = strlen(body);
    FZ_ASSERT(next == start + 1);
    FZ_ASSERT(sc_utf8_len(line) > room);
    FZ_ASSERT(sc_utf8_len(body) == room);
    FZ_ASSERT(ends_with(body, ELLIPSIS));
    FZ_ASSERT(strncmp(body, line, blen - strlen(ELLIPSIS)) == 0);
}

/* Page through all lines; the pages go to pages for the TwiML check. */
static void check_paging(apr_pool_t *p, const apr_array_header_t *lines,
                         apr_size_t max, apr_array_header_t *pages)
{
    int start = 0, next = -1;
    const char *page;

    while (start < lines->nelts) {
        page = sc_page_build(p, lines, start, max, &next);
        FZ_ASSERT(next > start && next <= lines->nelts);
        FZ_ASSERT(sc_utf8_len(page) <= max);
        check_page(p, lines, start, next, max, page);
        APR_ARRAY_PUSH(pages, const char *) = page;
        start = next;
    }
    FZ_ASSERT(*sc_page_build(p, lines, start, max, &next) == '\0');
    FZ_ASSERT(next == lines->nelts);
}

/* The five entities of sc_xml_escape undone; NULL for anything else
 * (a raw markup character or a stray '&'). */
static const char *unescape(apr_pool_t *p, const char *s)
{
    static const char *const ent[][2] = {
        { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
        { "&quot;", "\"" }, { "&#39;", "'" }
    };
    char *out = apr_palloc(p, strlen(s) + 1), *d = out;
    apr_size_t i;

    while (*s) {
        if (strchr("<>\"'", *s)) {
            return NULL;
        }
        if (*s != '&') {
            *d++ = *s++;
            continue;
        }
        for (i = 0; i < sizeof(ent) / sizeof(ent[0]); i++) {
            if (strncmp(s, ent[i][0], strlen(ent[i][0])) == 0) {
                break;
            }
        }
        if (i == sizeof(ent) / sizeof(ent[0])) {
            return NULL;
        }
        *d++ = ent[i][1][0];
        s += strlen(ent[i][0]);
    }
    *d = '\0';
    return out;
}

/* XML parsers turn CR and CRLF into LF. */
static const char *xml_newlines(apr_pool_t *p, const char *s)
{
    char *out = apr_pstrdup(p, s), *d = out;

    for (; *s; s++) {
        *d++ = *s == '\r' ? '\n' : *s;
        s += (*s == '\r' && s[1] == '\n');
    }
    *d = '\0';
    return out;
}

static void check_text(apr_pool_t *p, const fz_piece_t *raw, unsigned cut)
{
    const char *clean = sc_text_sanitize(p, raw->s, raw->len);
    const char *one = sc_text_oneline(p, raw->s, raw->len);
    const char *esc = sc_xml_escape(p, raw->s), *t, *un;
    apr_size_t n = strlen(clean);
    char *expect_one = apr_pstrdup(p, clean), *c;

    FZ_ASSERT(fz_text_clean(clean, n, 0));
    FZ_ASSERT(n <= 3 * raw->len);
    FZ_ASSERT(strcmp(sc_text_sanitize(p, clean, n), clean) == 0);
    if (fz_text_clean(raw->s, raw->len, 0) && strlen(raw->s) == raw->len) {
        FZ_ASSERT(strcmp(clean, raw->s) == 0);
    }
    for (c = expect_one; *c; c++) {
        *c = strchr("\t\r\n", *c) ? ' ' : *c;
    }
    FZ_ASSERT(fz_text_clean(one, strlen(one), 1));
    FZ_ASSERT(strcmp(one, expect_one) == 0);

    /* escape works on the C string, so it sanitizes only up to a NUL */
    un = unescape(p, esc);
    FZ_ASSERT(un != NULL);
    FZ_ASSERT(strcmp(un, sc_text_sanitize(p, raw->s, strlen(raw->s))) == 0);

    t = sc_utf8_truncate(p, clean, cut);
    if (cut == 0) {
        FZ_ASSERT(*t == '\0');
    }
    else if (sc_utf8_len(clean) <= cut) {
        FZ_ASSERT(t == clean);
    }
    else {
        FZ_ASSERT(sc_utf8_len(t) == cut && ends_with(t, ELLIPSIS));
        FZ_ASSERT(strncmp(t, clean, strlen(t) - strlen(ELLIPSIS)) == 0);
        FZ_ASSERT(fz_text_clean(t, strlen(t), 0));
    }
}

static const char *elem_text(apr_pool_t *p, const apr_xml_elem *e)
{
    const apr_text *t;
    const char *s = "";

    for (t = e->first_cdata.first; t; t = t->next) {
        s = apr_pstrcat(p, s, t->text, NULL);
    }
    return s;
}

/* Well-formed, <Response> holding one <Message> per non-empty body with
 * exactly the sanitized text. */
static void check_twiml(apr_pool_t *p, const apr_array_header_t *bodies)
{
    const char *xml = sc_twiml(p, bodies);
    apr_xml_parser *xp = apr_xml_parser_create(p);
    apr_xml_doc *doc = NULL;
    const apr_xml_elem *e;
    char err[200];
    int i;

    if (apr_xml_parser_feed(xp, xml, strlen(xml)) != APR_SUCCESS
        || apr_xml_parser_done(xp, &doc) != APR_SUCCESS) {
        fprintf(stderr, "%s\n%s\n", apr_xml_parser_geterror(xp, err, sizeof(err)), xml);
        FZ_ASSERT(!"TwiML is well-formed XML");
    }
    FZ_ASSERT(strcmp(doc->root->name, "Response") == 0);
    FZ_ASSERT(doc->root->attr == NULL);
    e = doc->root->first_child;
    for (i = 0; i < bodies->nelts; i++) {
        const char *b = APR_ARRAY_IDX(bodies, i, const char *);
        const char *want = b ? sc_text_sanitize(p, b, strlen(b)) : "";

        if (!*want) {
            continue;
        }
        FZ_ASSERT(e && strcmp(e->name, "Message") == 0);
        FZ_ASSERT(!e->first_child && !e->attr);
        FZ_ASSERT(strcmp(elem_text(p, e), xml_newlines(p, want)) == 0);
        e = e->next;
    }
    FZ_ASSERT(e == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_begin();
    unsigned a = fz_take_byte(&data, &size), b = fz_take_byte(&data, &size);
    apr_array_header_t *pieces = fz_split(p, data, size, '\n', MAX_LINES);
    apr_array_header_t *lines = apr_array_make(p, 8, sizeof(const char *));
    apr_array_header_t *raw = apr_array_make(p, 8, sizeof(const char *));
    apr_array_header_t *pages = apr_array_make(p, 8, sizeof(const char *));
    const apr_size_t sizes[] = { 1 + a, 20 + b % 16, 1600 };
    apr_size_t i;
    int k;

    for (k = 0; k < pieces->nelts; k++) {
        fz_piece_t piece = fz_piece(pieces, k);

        check_text(p, &piece, b);
        /* a lone NUL stands for a NULL entry, which counts as "" */
        APR_ARRAY_PUSH(lines, const char *) = piece.len == 1 && !piece.s[0]
            ? NULL : sc_text_oneline(p, piece.s, piece.len);
        APR_ARRAY_PUSH(raw, const char *) = piece.s;
    }
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        check_paging(p, lines, sizes[i], pages);
    }
    check_twiml(p, raw);
    check_twiml(p, pages);

    fz_end(p);
    return 0;
}
