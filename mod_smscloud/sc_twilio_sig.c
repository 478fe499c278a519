/* sc_twilio_sig.c: X-Twilio-Signature computation and validation. */
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_encode.h>
#include <apr_uri.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sc_form.h"
#include "sc_hmac.h"
#include "sc_twilio_sig.h"

/* A URL split where a port sits: [0, host_end) is scheme://userinfo@host,
 * port is the text after ':' (empty when absent), rest starts at '/', '?',
 * '#' or the end. */
typedef struct {
    apr_size_t host_end;
    const char *port;
    apr_size_t port_len;
    const char *rest;
    const char *default_port;
} sig_url_t;

static const char *null_to_empty(const char *s)
{
    return s ? s : "";
}

/* Order by name, then by value, byte-wise as Twilio's SDKs do. */
static int pair_cmp(const void *a, const void *b)
{
    const sc_pair_t *x = *(const sc_pair_t *const *)a;
    const sc_pair_t *y = *(const sc_pair_t *const *)b;
    int c = strcmp(null_to_empty(x->name), null_to_empty(y->name));

    return c ? c : strcmp(null_to_empty(x->value), null_to_empty(y->value));
}

static int pair_same(const sc_pair_t *x, const sc_pair_t *y)
{
    return pair_cmp(&x, &y) == 0;
}

const char *sc_twilio_sig_base(apr_pool_t *p, const char *url,
                               const apr_array_header_t *pairs)
{
    apr_array_header_t *parts;
    const sc_pair_t **sorted;
    int i, n = pairs ? pairs->nelts : 0;

    if (n == 0) {
        return apr_pstrdup(p, null_to_empty(url));
    }
    /* Sort pointers, not the caller's array, which must keep input order. */
    sorted = apr_palloc(p, n * sizeof(*sorted));
    for (i = 0; i < n; i++) {
        sorted[i] = &APR_ARRAY_IDX(pairs, i, sc_pair_t);
    }
    qsort(sorted, n, sizeof(*sorted), pair_cmp);

    parts = apr_array_make(p, 2 * n + 1, sizeof(const char *));
    APR_ARRAY_PUSH(parts, const char *) = null_to_empty(url);
    for (i = 0; i < n; i++) {
        /* A repeated name=value is signed once (current SDK behaviour). */
        if (i > 0 && pair_same(sorted[i - 1], sorted[i])) {
            continue;
        }
        APR_ARRAY_PUSH(parts, const char *) = null_to_empty(sorted[i]->name);
        APR_ARRAY_PUSH(parts, const char *) = null_to_empty(sorted[i]->value);
    }
    return apr_array_pstrcat(p, parts, 0);
}

const char *sc_twilio_sig_compute(apr_pool_t *p, const char *auth_token,
                                  const char *url,
                                  const apr_array_header_t *pairs)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    const char *base;

    if (!auth_token || !*auth_token) {
        return NULL;
    }
    base = sc_twilio_sig_base(p, url, pairs);
    if (!HMAC(EVP_sha1(), auth_token, (int)strlen(auth_token),
              (const unsigned char *)base, strlen(base), md, &md_len)) {
        return NULL;
    }
    return apr_pencode_base64(p, (const char *)md, md_len, APR_ENCODE_NONE,
                              NULL);
}

/* Find the scheme's default port and where host and port sit. Returns 0
 * for anything that is not an absolute http(s) URL: such a URL only ever
 * gets checked as given. */
static int sig_url_split(const char *url, sig_url_t *u)
{
    const char *auth, *end, *at, *hp, *colon;

    if (strncasecmp(url, "https://", 8) == 0) {
        u->default_port = "443";
        auth = url + 8;
    }
    else if (strncasecmp(url, "http://", 7) == 0) {
        u->default_port = "80";
        auth = url + 7;
    }
    else {
        return 0;
    }
    end = auth + strcspn(auth, "/?#");
    /* userinfo may itself hold ':' (user:pass@), so skip past the last '@'
     * inside the authority before looking for the port. */
    hp = auth;
    for (at = auth; at < end; at++) {
        if (*at == '@') {
            hp = at + 1;
        }
    }
    /* An IPv6 literal's colons are inside brackets. */
    if (*hp == '[') {
        const char *rb = memchr(hp, ']', end - hp);

        if (!rb) {
            return 0;
        }
        hp = rb;
    }
    colon = memchr(hp, ':', end - hp);
    u->host_end = (apr_size_t)((colon ? colon : end) - url);
    u->port = colon ? colon + 1 : end;
    u->port_len = colon ? (apr_size_t)(end - colon - 1) : 0;
    u->rest = end;
    return 1;
}

/* The one alternative form of url that Twilio may have signed: without
 * the default port if it has it, with it if it has no port at all. NULL
 * when there is none (non-default port, not http(s)). */
static const char *sig_url_variant(apr_pool_t *p, const char *url)
{
    sig_url_t u;
    const char *host;

    if (!sig_url_split(url, &u)) {
        return NULL;
    }
    host = apr_pstrmemdup(p, url, u.host_end);
    if (u.port == u.rest) {
        return apr_pstrcat(p, host, ":", u.default_port, u.rest, NULL);
    }
    if (u.port_len == strlen(u.default_port)
        && memcmp(u.port, u.default_port, u.port_len) == 0) {
        return apr_pstrcat(p, host, u.rest, NULL);
    }
    return NULL;
}

int sc_twilio_sig_valid(apr_pool_t *p, const char *auth_token,
                        const char *url, const apr_array_header_t *pairs,
                        const char *header)
{
    const char *variant;
    int ok;

    if (!header || !*header || !auth_token || !*auth_token || !url
        || !*url) {
        return 0;
    }
    ok = sc_const_eq(sc_twilio_sig_compute(p, auth_token, url, pairs), header);
    variant = sig_url_variant(p, url);
    if (variant) {
        /* Evaluate both, so timing does not tell which form matched. */
        ok |= sc_const_eq(sc_twilio_sig_compute(p, auth_token, variant, pairs),
                          header);
    }
    return ok;
}

const char *sc_twilio_sig_request_url(apr_pool_t *p, const char *public_url,
                                      const char *target)
{
    const char *path = NULL, *query = NULL;
    apr_uri_t raw;

    if (target && target[0] == '/') {
        apr_size_t n = strcspn(target, "?#");

        path = apr_pstrndup(p, target, n);
        if (target[n] == '?') {
            query = apr_pstrndup(p, target + n + 1, strcspn(target + n + 1, "#"));
        }
    }
    else if (target && apr_uri_parse(p, target, &raw) == APR_SUCCESS) {
        path = raw.path;
        query = raw.query;
    }
    if (!path || !*path) {
        path = "/";
    }
    return query ? apr_pstrcat(p, public_url, path, "?", query, NULL)
                 : apr_pstrcat(p, public_url, path, NULL);
}
