/* sc_link.h - signed, expiring download links for providers that have no
 * link API of their own (the local provider, for one).
 *
 * A token is base64url(payload) "." base64url(HMAC-SHA256(key, payload)),
 * both without padding. The payload holds a version, the provider, the
 * account id, the file id and the expiry (unix seconds), separated by NUL
 * bytes, which none of them can contain. Nothing is stored on the server:
 * the signature is the whole proof, so a link cannot be revoked before it
 * expires except by changing SmsCloudSecret.
 */
#ifndef SC_LINK_H
#define SC_LINK_H

#include <apr_pools.h>
#include <apr_errno.h>
#include <apr_time.h>

/** Longest token sc_link_verify() looks at; longer is SC_LINK_BAD. */
#define SC_LINK_MAX_TOKEN 4096

typedef enum {
    SC_LINK_VALID = 0,
    SC_LINK_BAD,               /* malformed, tampered or signed with another key */
    SC_LINK_EXPIRED            /* genuine, but past its expiry */
} sc_link_status_e;

typedef struct {
    const char *provider;      /* "local" */
    const char *account_id;
    const char *file_id;
    apr_int64_t expires;       /* unix seconds */
} sc_link_t;

/**
 * The link key for a server secret: hex of HMAC-SHA256(secret, "link-key"),
 * so that a leaked link key does not give away codes or sessions.
 * @return the key, or NULL for a NULL or empty secret
 */
const char *sc_link_key(apr_pool_t *p, const char *secret);

/**
 * Sign a link.
 * @param key    from sc_link_key()
 * @param link   provider, account_id and file_id non-NULL, expires > 0
 * @param token  receives the token (characters A-Z a-z 0-9 - _ .)
 * @return APR_SUCCESS; APR_EINVAL for a missing key or field
 */
apr_status_t sc_link_sign(apr_pool_t *p, const char *key, const sc_link_t *link,
                          const char **token);

/**
 * Check a token in constant time and decode it.
 * @param now   current unix seconds; the link is valid while now <= expires
 * @param link  receives the decoded link on SC_LINK_VALID and SC_LINK_EXPIRED
 * @return SC_LINK_VALID, SC_LINK_EXPIRED, or SC_LINK_BAD for anything that
 *         is not a token signed with key (the expiry of such a token is
 *         never looked at)
 */
sc_link_status_e sc_link_verify(apr_pool_t *p, const char *key, const char *token,
                                apr_int64_t now, sc_link_t **link);

/**
 * The URL of a token: base + "/" + token, and when file_name is non-empty
 * "/" + file_name percent-encoded as one path segment, so that browsers and
 * `curl -O` name the download well. The name is decoration: the token alone
 * decides what is served.
 * @param base  public URL + link path, no trailing slash
 */
const char *sc_link_url(apr_pool_t *p, const char *base, const char *token,
                        const char *file_name);

/**
 * The token in a request path below the link path: the first segment of
 * path_below ("TOKEN" or "TOKEN/name"), or NULL when there is none.
 * @param path_below  what follows "<link path>/" in the URL path
 */
const char *sc_link_token_from_path(apr_pool_t *p, const char *path_below);

#endif /* SC_LINK_H */
