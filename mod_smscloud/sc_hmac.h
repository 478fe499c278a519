/* sc_hmac.h: HMAC-SHA256 and comparing secrets in constant time. */
#ifndef SC_HMAC_H
#define SC_HMAC_H

#include <apr_pools.h>
#include <apr_errno.h>

/**
 * HMAC-SHA256 as 64 lowercase hex characters (used to store code hashes).
 *
 * @param key   key bytes; NULL is allowed when keylen is 0
 * @param data  data bytes; NULL is allowed when len is 0
 * @return the hex digest, or NULL for a NULL pointer with a non-zero
 *         length or an HMAC failure
 */
const char *sc_hmac_sha256_hex(apr_pool_t *p, const void *key,
                               apr_size_t keylen, const void *data,
                               apr_size_t len);

/** An HMAC-SHA256 key made ready once for many messages (sc_hmac_key_make). */
typedef struct sc_hmac_key_t sc_hmac_key_t;

/**
 * Ready a key for sc_hmac_key_sha256_hex: with OpenSSL 3 the MAC is fetched
 * and keyed once here, and each message then costs a copy of that state
 * instead of a fetch, a context and the two key blocks (HMAC() does all of
 * it every time). Released with the pool. The key may be shared by threads.
 *
 * @param key  key bytes; NULL is allowed when keylen is 0
 * @return APR_EINVAL for a NULL key with a non-zero length, APR_EGENERAL
 *         when OpenSSL fails
 */
apr_status_t sc_hmac_key_make(apr_pool_t *p, const void *key, apr_size_t keylen,
                              sc_hmac_key_t **out);

/**
 * sc_hmac_sha256_hex under a key of sc_hmac_key_make: the same digest.
 */
const char *sc_hmac_key_sha256_hex(apr_pool_t *p, const sc_hmac_key_t *k,
                                   const void *data, apr_size_t len);

/**
 * Compare two strings without a data-dependent early exit.
 * Only the lengths may leak through timing.
 * @return 1 if equal, 0 if different or if either is NULL
 */
int sc_const_eq(const char *a, const char *b);

#endif /* SC_HMAC_H */
