/* fuzz_link.c: signed download links (sc_link.h).
 *
 * Input: a selector byte; when even, the rest is a token (and a request
 * path) from a stranger, which must never verify: there is no way to a
 * valid token but the key. When odd, 8 bytes of expiry, 2 that pick a
 * character to change, then "provider\naccount\nfile" are signed, and the token must verify back to
 * exactly those fields, and stop verifying after any change. */
#include <string.h>

#include <apr_strings.h>

#include "harness.h"
#include "sc_link.h"

#define SECRET "fuzz secret, 32 characters or more"
#define ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_stranger(apr_pool_t *p, const char *key, const char *in)
{
    const char *token = sc_link_token_from_path(p, in);
    sc_link_t *link = NULL;

    FZ_ASSERT(sc_link_verify(p, key, in, 1, &link) == SC_LINK_BAD && !link);
    if (!token) {
        FZ_ASSERT(*in == '\0' || *in == '/');
        return;
    }
    FZ_ASSERT(*token && !strchr(token, '/'));
    FZ_ASSERT(strncmp(in, token, strlen(token)) == 0);
    FZ_ASSERT(sc_link_verify(p, key, token, 1, &link) == SC_LINK_BAD && !link);
}

static void check_fields(const sc_link_t *got, const sc_link_t *want)
{
    FZ_ASSERT(got && strcmp(got->provider, want->provider) == 0);
    FZ_ASSERT(strcmp(got->account_id, want->account_id) == 0);
    FZ_ASSERT(strcmp(got->file_id, want->file_id) == 0);
    FZ_ASSERT(got->expires == want->expires);
}

static void check_signed(apr_pool_t *p, const char *key, const sc_link_t *want,
                         unsigned at)
{
    const char *token = NULL, *url;
    sc_link_t *got = NULL;
    apr_size_t n;
    char *changed;

    if (sc_link_sign(p, key, want, &token) != APR_SUCCESS) {
        FZ_ASSERT(want->expires <= 0);
        return;
    }
    FZ_ASSERT(want->expires > 0);
    n = strlen(token);
    FZ_ASSERT(n && strspn(token, ALPHABET) == n);
    if (n > SC_LINK_MAX_TOKEN) {
        FZ_ASSERT(sc_link_verify(p, key, token, 0, &got) == SC_LINK_BAD);
        return;
    }
    FZ_ASSERT(sc_link_verify(p, key, token, want->expires, &got) == SC_LINK_VALID);
    check_fields(got, want);
    if (want->expires < APR_INT64_MAX) {
        got = NULL;
        FZ_ASSERT(sc_link_verify(p, key, token, want->expires + 1, &got) == SC_LINK_EXPIRED);
        check_fields(got, want);
    }
    FZ_ASSERT(sc_link_verify(p, sc_link_key(p, SECRET "!"), token, 0, NULL) == SC_LINK_BAD);

    changed = apr_pstrdup(p, token);
    at %= n;
    changed[at] = changed[at] == 'A' ? 'B' : 'A';
    FZ_ASSERT(sc_link_verify(p, key, changed, 0, NULL) == SC_LINK_BAD);
    FZ_ASSERT(sc_link_verify(p, key, apr_pstrndup(p, token, n - 1), 0, NULL) == SC_LINK_BAD);
    FZ_ASSERT(sc_link_verify(p, key, apr_pstrcat(p, token, "A", NULL), 0, NULL) == SC_LINK_BAD);

    /* the file name in a link's URL is decoration after the token */
    url = sc_link_url(p, "https://x.test/dl", token, want->file_id);
    FZ_ASSERT(strcmp(sc_link_token_from_path(p, url + strlen("https://x.test/dl/")), token) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_begin();
    const char *key = sc_link_key(p, SECRET);
    unsigned sel = fz_take_byte(&data, &size), i;
    apr_array_header_t *fields;
    sc_link_t link = { NULL, NULL, NULL, 0 };

    if (sel % 2 == 0) {
        check_stranger(p, key, apr_pstrmemdup(p, (const char *)data, size));
    }
    else {
        for (i = 0; i < 8; i++) {
            link.expires = (apr_int64_t)((apr_uint64_t)link.expires << 8
                                         | fz_take_byte(&data, &size));
        }
        sel = fz_take_byte(&data, &size) << 8;
        sel |= fz_take_byte(&data, &size);
        fields = fz_split(p, data, size, '\n', 3);
        link.provider = fz_piece(fields, 0).s;
        link.account_id = fz_piece(fields, 1).s;
        link.file_id = fz_piece(fields, 2).s;
        check_signed(p, key, &link, sel);
    }

    fz_end(p);
    return 0;
}
