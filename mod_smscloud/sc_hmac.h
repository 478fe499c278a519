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

/**
 * Compare two strings without a data-dependent early exit.
 * Only the lengths may leak through timing.
 * @return 1 if equal, 0 if different or if either is NULL
 */
int sc_const_eq(const char *a, const char *b);

#endif /* SC_HMAC_H */
