/* sc_link.h - download links the module serves itself, for providers that
 * have no link API of their own.
 *
 * A token is SC_LINK_TOKEN_BYTES random bytes in base64url: it says nothing
 * about the file, its owner or when it expires, and it is short enough for
 * an SMS. What it stands for is kept in the database under a keyed hash of
 * the token (sc_link_token_hash()), so that a copy of the database gives no
 * working links, and a link can be ended there: when its account is
 * removed, or its phone logs out everywhere.
 */
#ifndef SC_LINK_H
#define SC_LINK_H

#include <apr_pools.h>
#include <apr_errno.h>
#include <apr_time.h>

#include "sc_storage.h"

#define SC_LINK_TOKEN_BYTES 16     /* 128 bits (ASVS 5.0 11.5.1) */
#define SC_LINK_TOKEN_LEN   22     /* base64url of 16 bytes, no padding */

typedef enum {
    SC_LINK_VALID = 0,
    SC_LINK_BAD,               /* malformed, unknown, or ended */
    SC_LINK_EXPIRED,           /* genuine, but past its expiry */
    SC_LINK_UNAVAILABLE        /* the database did not answer */
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
 * A new token: SC_LINK_TOKEN_BYTES from the CSPRNG, base64url without
 * padding (SC_LINK_TOKEN_LEN characters of A-Z a-z 0-9 - _).
 * @return APR_SUCCESS, or APR_EGENERAL when the CSPRNG fails
 */
apr_status_t sc_link_new_token(apr_pool_t *p, const char **token);

/**
 * A new link to link->file_id of the account (link->provider,
 * link->account_id), for lifetime seconds from now: sets link->expires and
 * gives its token (sc_link_new_token()) and what the database keeps for it
 * (sc_link_token_hash()), never the token itself.
 * @param key  from sc_link_key()
 * @return APR_SUCCESS; APR_EINVAL without a key; APR_EGENERAL when the
 *         CSPRNG fails
 */
apr_status_t sc_link_issue(apr_pool_t *p, const char *key, apr_time_t now,
                           apr_int64_t lifetime, sc_link_t *link, const char **token,
                           const char **hash);

/**
 * Is this exactly the shape sc_link_new_token() writes: SC_LINK_TOKEN_LEN
 * characters of the base64url alphabet, the last one with its spare bits
 * zero (so that no token has a look-alike)? Nothing else is looked up.
 */
int sc_link_token_ok(const char *token);

/**
 * What the database keeps for a token: hex of HMAC-SHA256(key, token).
 * @param key  from sc_link_key()
 * @return the hash, or NULL for a missing key or token
 */
const char *sc_link_token_hash(apr_pool_t *p, const char *key, const char *token);

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

/**
 * The token of a request to the link handler: the first segment below
 * link_path ("<link path>/TOKEN[/name]"), or NULL when uri is not below it.
 */
const char *sc_link_token_from_uri(apr_pool_t *p, const char *link_path, const char *uri);

/* ---- serving a link ---- */

/** The name a file id gives its download: its last '/' segment. */
const char *sc_link_file_name(const char *file_id);

/**
 * Content-Disposition of a download (RFC 6266): attachment, an ASCII
 * filename for old clients (curl -J among them: every byte but letters,
 * digits and " ._-()+," becomes '_') and the exact UTF-8 name as
 * filename* (RFC 8187).
 */
const char *sc_link_disposition(apr_pool_t *p, const char *file_name);

/** The status of a streamed download: the holder's 206 when it answered a
 *  range (and said which, content_range), else 200. */
int sc_link_stream_status(int holder_status, const char *content_range);

/**
 * The handler's answer when reading a linked file did not stream it:
 * 0 when it was read (the handler's own answer stands), 404 for a file,
 * folder or credentials no longer there, 502 for a holder that failed.
 * @param log  out: 1 when the holder failed in a way the operator sees
 *             (everything but a missing file)
 */
int sc_link_read_status(sc_storage_status_e st, int *log);

#endif /* SC_LINK_H */
