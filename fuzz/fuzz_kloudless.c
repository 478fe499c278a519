/* fuzz_kloudless.c: the Kloudless answer decoders (sc_kloudless.h) and the
 * JSON layer under them (sc_json.h).
 *
 * Input: a byte that picks the decoder, then the HTTP body. Whatever the
 * provider (or whoever answers in its place) sends, a decoded account,
 * item or link must be safe to put in an SMS and a state row: sanitized
 * one-line text, ids present, sizes and pages in range. */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "harness.h"
#include "sc_json.h"
#include "sc_kloudless.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
    FZ_ASSERT(s && fz_text_clean(s, strlen(s), 1));
}

static void check_item(const sc_storage_item_t *it)
{
    FZ_ASSERT(it && it->id && *it->id);
    check_text(it->name);
    FZ_ASSERT(it->is_folder == 0 || it->is_folder == 1);
    FZ_ASSERT(it->size >= -1);
    if (it->mime_type) {
        check_text(it->mime_type);
    }
}

/* Nesting depth of well-formed JSON text (strings skipped). */
static int depth(const char *s)
{
    int d = 0, max = 0, in_str = 0;

    for (; *s; s++) {
        if (in_str) {
            if (*s == '\\' && s[1]) {
                s++;
            }
            else if (*s == '"') {
                in_str = 0;
            }
        }
        else if (*s == '"') {
            in_str = 1;
        }
        else if (*s == '{' || *s == '[') {
            max = ++d > max ? d : max;
        }
        else if (*s == '}' || *s == ']') {
            d--;
        }
    }
    return max;
}

static void fuzz_account(apr_pool_t *p, const char *body, apr_size_t len)
{
    sc_kloudless_account_t *a = (void *)1;

    if (sc_kloudless_decode_account(p, body, len, &a) != SC_STORAGE_OK) {
        FZ_ASSERT(a == NULL);
        return;
    }
    FZ_ASSERT(a && a->id && *a->id);
    check_text(a->service);
    FZ_ASSERT(*a->service);
    check_text(a->service_name);
    FZ_ASSERT(*a->service_name);
    check_text(a->name);
}

/* File or folder objects as the entries of a listing page (the seeds
 * are single objects): what decodes is safe, and the last page. */
static void fuzz_item(apr_pool_t *p, const char *body, apr_size_t len)
{
    apr_array_header_t *items = apr_array_make(p, 1, sizeof(sc_storage_item_t *));
    apr_int64_t next = -1;
    const char *page;
    int i;

    page = apr_pstrcat(p, "{\"objects\":[", apr_pstrmemdup(p, body, len), "]}", NULL);
    if (sc_kloudless_decode_list(p, page, strlen(page), items, &next) != SC_STORAGE_OK) {
        FZ_ASSERT(next == 0);
        return;
    }
    FZ_ASSERT(next == 0);
    for (i = 0; i < items->nelts; i++) {
        check_item(APR_ARRAY_IDX(items, i, sc_storage_item_t *));
    }
}

static void fuzz_list(apr_pool_t *p, const char *body, apr_size_t len)
{
    apr_array_header_t *items = apr_array_make(p, 4, sizeof(sc_storage_item_t *));
    apr_int64_t next = -1;
    int i;

    if (sc_kloudless_decode_list(p, body, len, items, &next) != SC_STORAGE_OK) {
        FZ_ASSERT(next == 0);
        return;
    }
    FZ_ASSERT(next >= 0);
    for (i = 0; i < items->nelts; i++) {
        check_item(APR_ARRAY_IDX(items, i, sc_storage_item_t *));
    }
}

/* It goes out by SMS as it is. */
static void fuzz_link(apr_pool_t *p, const char *body, apr_size_t len)
{
    const char *url = (void *)1, *c;

    if (sc_kloudless_decode_link(p, body, len, &url) != SC_STORAGE_OK) {
        FZ_ASSERT(url == NULL);
        return;
    }
    FZ_ASSERT(strncasecmp(url, "https://", 8) == 0 || strncasecmp(url, "http://", 7) == 0);
    for (c = url; *c; c++) {
        FZ_ASSERT(*c > 0x20 && *c < 0x7f);
    }
}

/* What parses prints as JSON that parses back to the same text, and the
 * getters agree with each other. */
static void fuzz_json(apr_pool_t *p, const char *body, apr_size_t len)
{
    static const char *const keys[] = { "id", "objects", "next_page", "size", "name" };
    sc_json_t *j = NULL, *again = NULL, *sub;
    const char *text, *s, *sn;
    apr_size_t i, n, slen = 0;
    apr_int64_t v;

    if (sc_json_parse(p, body, len, &j) != APR_SUCCESS) {
        FZ_ASSERT(j == NULL);
        return;
    }
    FZ_ASSERT(!memchr(body, '\0', len));
    /* the closing '}', ']' or '"' of a whole text cannot be left out */
    for (n = len; n && strchr(" \t\r\n", body[n - 1]); n--) {
    }
    if (n && strchr("}]\"", body[n - 1])) {
        FZ_ASSERT(sc_json_parse(p, body, n - 1, &again) != APR_SUCCESS);
    }
    text = sc_json_to_string(p, j);
    FZ_ASSERT(text && depth(text) <= SC_JSON_MAX_DEPTH);
    FZ_ASSERT(sc_json_parse(p, text, strlen(text), &again) == APR_SUCCESS);
    FZ_ASSERT(strcmp(sc_json_to_string(p, again), text) == 0);

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        sub = sc_json_getj(p, j, keys[i], NULL);
        FZ_ASSERT(sc_json_has(j, keys[i], NULL) == (sub != NULL));
        s = sc_json_gets(p, j, keys[i], NULL);
        sn = sc_json_getsn(p, j, &slen, keys[i], NULL);
        /* a string without NUL bytes reads the same both ways */
        FZ_ASSERT(!s || !sn || strcmp(s, sn) == 0);
        FZ_ASSERT(!sn || (s != NULL) == (strlen(sn) == slen));
        /* a JSON integer reads as its decimal string */
        if (sc_json_geti(j, &v, keys[i], NULL) && !sn) {
            FZ_ASSERT(s && strcmp(s, apr_psprintf(p, "%" APR_INT64_T_FMT, v)) == 0);
        }
    }
    n = sc_json_array_len(j);
    FZ_ASSERT(sc_json_is_array(j) || n == 0);
    FZ_ASSERT(sc_json_array_get(p, j, n) == NULL);
    for (i = 0; i < n; i++) {
        (void)sc_json_gets(p, sc_json_array_get(p, j, i), "id", NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static void (*const decoders[])(apr_pool_t *, const char *, apr_size_t) = {
        fuzz_account, fuzz_item, fuzz_list, fuzz_link, fuzz_json
    };
    apr_pool_t *p = fz_begin();
    unsigned pick = fz_take_byte(&data, &size) % 5;

    /* an exact-size copy, so that ASan sees a read past len */
    decoders[pick](p, apr_pmemdup(p, data, size), size);

    fz_end(p);
    return 0;
}
