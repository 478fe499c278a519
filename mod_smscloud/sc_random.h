/* sc_random.h: one-time codes, tokens, HMAC and constant-time compare.
 *
 * Randomness comes from OpenSSL RAND_bytes (a CSPRNG), never rand().
 */
#ifndef SC_RANDOM_H
#define SC_RANDOM_H

#include <apr_pools.h>
#include <apr_errno.h>

/**
 * Uniformly random decimal digits (for one-time codes).
 *
 * @param n    number of digits, 1..32
 * @param out  out: NUL-terminated string of n ASCII digits
 * @return APR_SUCCESS, APR_EINVAL for a bad n or NULL out, APR_EGENERAL
 *         when the CSPRNG fails
 */
apr_status_t sc_random_digits(apr_pool_t *p, int n, const char **out);

/**
 * A random token: nbytes CSPRNG bytes as base64url without padding
 * (alphabet A-Z a-z 0-9 - _), suitable for cookies and URLs.
 *
 * @param nbytes  1..4096 random bytes (the string is ceil(4*nbytes/3) long)
 * @param out     out: the token
 * @return APR_SUCCESS, APR_EINVAL for a bad nbytes or NULL out,
 *         APR_EGENERAL when the CSPRNG fails
 */
apr_status_t sc_random_token(apr_pool_t *p, apr_size_t nbytes,
                             const char **out);

/** Bytes in an HMAC-SHA256 digest. */
#define SC_HMAC_SHA256_LEN 32

/**
 * HMAC-SHA256 as raw bytes (for signatures that go into URLs).
 *
 * @param key   key bytes; NULL is allowed when keylen is 0
 * @param data  data bytes; NULL is allowed when len is 0
 * @param out   receives SC_HMAC_SHA256_LEN bytes
 * @return APR_SUCCESS; APR_EINVAL for a NULL pointer with a non-zero
 *         length or a NULL out; APR_EGENERAL when HMAC fails
 */
apr_status_t sc_hmac_sha256(const void *key, apr_size_t keylen,
                            const void *data, apr_size_t len,
                            unsigned char out[SC_HMAC_SHA256_LEN]);

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

#endif /* SC_RANDOM_H */
