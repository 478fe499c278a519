/* sc_link.c - opaque download-link tokens (see sc_link.h). */

#include <string.h>

#include <apr_encode.h>
#include <apr_lib.h>
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

apr_status_t sc_link_issue(apr_pool_t *p, const char *key, apr_time_t now,
                           apr_int64_t lifetime, sc_link_t *link, const char **token,
                           const char **hash)
{
    apr_status_t rv;

    *token = *hash = NULL;
    if (!key || !*key) {
        return APR_EINVAL;
    }
    if ((rv = sc_link_new_token(p, token)) != APR_SUCCESS) {
        *token = NULL;
        return rv;
    }
    *hash = sc_link_token_hash(p, key, *token);
    link->expires = apr_time_sec(now) + lifetime;
    return *hash ? APR_SUCCESS : APR_EGENERAL;
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

const char *sc_link_token_from_uri(apr_pool_t *p, const char *link_path, const char *uri)
{
    apr_size_t n = link_path ? strlen(link_path) : 0;

    if (!uri || !link_path || strncmp(uri, link_path, n) || uri[n] != '/') {
        return NULL;
    }
    return sc_link_token_from_path(p, uri + n + 1);
}

/* ------------------------------------------------------------------ */
/* serving                                                             */

const char *sc_link_file_name(const char *file_id)
{
    const char *slash = strrchr(file_id, '/');

    return slash ? slash + 1 : file_id;
}

const char *sc_link_disposition(apr_pool_t *p, const char *file_name)
{
    const char *enc = apr_pescape_urlencoded(p, file_name);
    char *ascii = apr_pstrdup(p, file_name);
    char *ext = apr_palloc(p, strlen(enc) * 3 + 1), *o = ext, *c;

    for (c = ascii; *c; c++) {
        if (!apr_isalnum(*c) && !strchr(" ._-()+,", *c)) {
            *c = '_';
        }
    }
    /* urlencoded writes a space as '+', which filename* would keep as a
     * plus; a real plus was written %2B, so every '+' is a space. */
    for (; *enc; enc++) {
        if (*enc == '+') {
            memcpy(o, "%20", 3);
            o += 3;
        }
        else {
            *o++ = *enc;
        }
    }
    *o = '\0';
    return apr_psprintf(p, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, ext);
}

int sc_link_stream_status(int holder_status, const char *content_range)
{
    return holder_status == 206 && content_range ? 206 : 200;
}

int sc_link_read_status(sc_storage_status_e st, int *log)
{
    *log = 0;
    switch (st) {
    case SC_STORAGE_OK:
        return 0;
    case SC_STORAGE_NOT_FOUND:
    case SC_STORAGE_NOT_FILE:
    case SC_STORAGE_NOT_FOLDER:
        return 404;
    default:
        *log = 1;
        return st == SC_STORAGE_DENIED ? 404 : 502;
    }
}
