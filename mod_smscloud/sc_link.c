/* sc_link.c - signed, expiring download links (see sc_link.h). */

#include <string.h>

#include <apr_encode.h>
#include <apr_escape.h>
#include <apr_strings.h>

#include "sc_link.h"
#include "sc_random.h"

#define LINK_VERSION "1"
#define LINK_FIELDS 5
#define B64URL (APR_ENCODE_BASE64URL | APR_ENCODE_NOPADDING)

const char *sc_link_key(apr_pool_t *p, const char *secret)
{
    static const char label[] = "link-key";

    if (!secret || !*secret) {
        return NULL;
    }
    return sc_hmac_sha256_hex(p, secret, strlen(secret), label,
                              sizeof(label) - 1);
}

/* base64url of HMAC-SHA256(key, payload). */
static const char *signature(apr_pool_t *p, const char *key,
                             const char *payload, apr_size_t len)
{
    unsigned char md[SC_HMAC_SHA256_LEN];

    if (sc_hmac_sha256(key, strlen(key), payload, len, md) != APR_SUCCESS) {
        return NULL;
    }
    return apr_pencode_base64(p, (const char *)md, sizeof(md), B64URL, NULL);
}

apr_status_t sc_link_sign(apr_pool_t *p, const char *key, const sc_link_t *link,
                          const char **token)
{
    const char *expires, *enc, *sig;
    apr_size_t np, na, nf, ne, len;
    char *payload, *at;

    if (!key || !*key || !link || !link->provider || !link->account_id
        || !link->file_id || link->expires <= 0 || !token) {
        return APR_EINVAL;
    }
    expires = apr_psprintf(p, "%" APR_INT64_T_FMT, link->expires);
    np = strlen(link->provider);
    na = strlen(link->account_id);
    nf = strlen(link->file_id);
    ne = strlen(expires);
    /* version NUL provider NUL account NUL file NUL expires */
    len = 1 + 1 + np + 1 + na + 1 + nf + 1 + ne;
    at = payload = apr_palloc(p, len + 1);
    memcpy(at, LINK_VERSION, 2), at += 2;
    memcpy(at, link->provider, np + 1), at += np + 1;
    memcpy(at, link->account_id, na + 1), at += na + 1;
    memcpy(at, link->file_id, nf + 1), at += nf + 1;
    memcpy(at, expires, ne + 1);
    enc = apr_pencode_base64(p, payload, len, B64URL, NULL);
    sig = signature(p, key, payload, len);
    if (!enc || !sig) {
        return APR_EGENERAL;
    }
    *token = apr_pstrcat(p, enc, ".", sig, NULL);
    return APR_SUCCESS;
}

/* Split the verified payload into its fields; any other shape is BAD. */
static sc_link_status_e decode_payload(apr_pool_t *p, const char *payload,
                                       apr_size_t len, sc_link_t **out)
{
    const char *field[LINK_FIELDS];
    const char *at = payload, *end = payload + len;
    sc_link_t *link;
    char *stop;
    int n;

    for (n = 0; n < LINK_FIELDS; n++) {
        const char *nul = memchr(at, '\0', (apr_size_t)(end - at));

        /* every field but the last ends in a NUL; the last one in none */
        if (!nul != (n == LINK_FIELDS - 1)) {
            return SC_LINK_BAD;
        }
        field[n] = apr_pstrndup(p, at, nul ? (apr_size_t)(nul - at)
                                           : (apr_size_t)(end - at));
        at = nul ? nul + 1 : end;
    }
    if (strcmp(field[0], LINK_VERSION)) {
        return SC_LINK_BAD;
    }
    link = apr_pcalloc(p, sizeof(*link));
    link->provider = field[1];
    link->account_id = field[2];
    link->file_id = field[3];
    link->expires = apr_strtoi64(field[4], &stop, 10);
    if (!*field[4] || *stop || link->expires <= 0) {
        return SC_LINK_BAD;
    }
    *out = link;
    return SC_LINK_VALID;
}

sc_link_status_e sc_link_verify(apr_pool_t *p, const char *key, const char *token,
                                apr_int64_t now, sc_link_t **link)
{
    const char *dot, *payload, *canonical, *expect;
    apr_size_t len = 0;
    sc_link_t *decoded = NULL;

    if (!key || !*key || !token || strlen(token) > SC_LINK_MAX_TOKEN
        || !(dot = strchr(token, '.')) || dot == token) {
        return SC_LINK_BAD;
    }
    payload = apr_pdecode_base64(p, token, (apr_ssize_t)(dot - token), B64URL, &len);
    if (!payload || !len) {
        return SC_LINK_BAD;
    }
    /* Only the one way we write a payload is accepted, so that a token
     * has no look-alikes (the last base64 character has spare bits). */
    canonical = apr_pencode_base64(p, payload, len, B64URL, NULL);
    if (!canonical || strlen(canonical) != (apr_size_t)(dot - token)
        || memcmp(canonical, token, (apr_size_t)(dot - token))) {
        return SC_LINK_BAD;
    }
    /* Compared as text, in constant time: a signature written any other
     * way than we would write it is refused too. */
    expect = signature(p, key, payload, len);
    if (!expect || !sc_const_eq(expect, dot + 1)) {
        return SC_LINK_BAD;
    }
    if (decode_payload(p, payload, len, &decoded) != SC_LINK_VALID) {
        return SC_LINK_BAD;
    }
    if (link) {
        *link = decoded;
    }
    return now > decoded->expires ? SC_LINK_EXPIRED : SC_LINK_VALID;
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
