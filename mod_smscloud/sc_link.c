/* sc_link.c - opaque download-link tokens (see sc_link.h). */

#include <string.h>

#include <apr_encode.h>
#include <apr_escape.h>
#include <apr_strings.h>

#include "sc_link.h"
#include "sc_random.h"
#include "sc_hmac.h"

#define B64URL_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

const char *sc_link_key(apr_pool_t *p, const char *secret)
{
    static const char label[] = "link-key";

    if (!secret || !*secret) {
        return NULL;
    }
    return sc_hmac_sha256_hex(p, secret, strlen(secret), label,
                              sizeof(label) - 1);
}

apr_status_t sc_link_new_token(apr_pool_t *p, const char **token)
{
    return sc_random_token(p, SC_LINK_TOKEN_BYTES, token);
}

int sc_link_token_ok(const char *token)
{
    const char *last;

    if (!token || strlen(token) != SC_LINK_TOKEN_LEN
        || strspn(token, B64URL_CHARS) != SC_LINK_TOKEN_LEN) {
        return 0;
    }
    /* 16 bytes fill 21 characters and 2 bits of the 22nd */
    last = strchr(B64URL_CHARS, token[SC_LINK_TOKEN_LEN - 1]);
    return ((last - B64URL_CHARS) & 0x0F) == 0;
}

const char *sc_link_token_hash(apr_pool_t *p, const char *key, const char *token)
{
    if (!key || !*key || !token) {
        return NULL;
    }
    return sc_hmac_sha256_hex(p, key, strlen(key), token, strlen(token));
}

const char *sc_link_url(apr_pool_t *p, const char *base, const char *token,
                        const char *file_name)
{
    if (file_name && *file_name) {
        return apr_pstrcat(p, base, "/", token, "/",
                           apr_pescape_path_segment(p, file_name), NULL);
    }
    return apr_pstrcat(p, base, "/", token, NULL);
}

const char *sc_link_token_from_path(apr_pool_t *p, const char *path_below)
{
    apr_size_t n;

    if (!path_below) {
        return NULL;
    }
    n = strcspn(path_below, "/");
    return n ? apr_pstrndup(p, path_below, n) : NULL;
}
