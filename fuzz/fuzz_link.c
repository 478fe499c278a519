/* fuzz_link.c: opaque download-link tokens (sc_link.h).
 *
 * Input: a request path below the link path, from a stranger. Its first
 * segment (sc_link_token_from_path) has no '/' and starts the input; it
 * is taken for a token (sc_link_token_ok) only in exactly the shape
 * sc_link_new_token writes, which decodes to SC_LINK_TOKEN_BYTES and
 * encodes back to itself; a fresh token is always taken, and comes back
 * out of sc_link_url. */
#include <string.h>

#include <apr_encode.h>
#include <apr_strings.h>

#include "harness.h"
#include "sc_link.h"

#define SECRET "fuzz secret, 32 characters or more"
#define B64URL (APR_ENCODE_BASE64URL | APR_ENCODE_NOPADDING)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_shape(apr_pool_t *p, const char *token)
{
    apr_size_t len = 0;
    const char *raw;

    if (!sc_link_token_ok(token)) {
        return;
    }
    FZ_ASSERT(strlen(token) == SC_LINK_TOKEN_LEN);
    raw = apr_pdecode_base64(p, token, SC_LINK_TOKEN_LEN, B64URL, &len);
    FZ_ASSERT(raw && len == SC_LINK_TOKEN_BYTES);
    FZ_ASSERT(strcmp(apr_pencode_base64(p, raw, len, B64URL, NULL), token) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_begin();
    const char *key = sc_link_key(p, SECRET);
    const char *in = apr_pstrmemdup(p, (const char *)data, size);
    const char *token = sc_link_token_from_path(p, in), *fresh = NULL, *url;

    check_shape(p, in);
    if (!token) {
        FZ_ASSERT(*in == '\0' || *in == '/');
    }
    else {
        FZ_ASSERT(*token && !strchr(token, '/'));
        FZ_ASSERT(strncmp(in, token, strlen(token)) == 0);
        check_shape(p, token);
        FZ_ASSERT(strlen(sc_link_token_hash(p, key, token)) == 64);
    }
    FZ_ASSERT(sc_link_new_token(p, &fresh) == APR_SUCCESS && sc_link_token_ok(fresh));
    /* the file name in a link's URL is decoration after the token */
    url = sc_link_url(p, "https://x.test/dl", fresh, in);
    FZ_ASSERT(strcmp(sc_link_token_from_path(p, url + strlen("https://x.test/dl/")), fresh) == 0);

    fz_end(p);
    return 0;
}
