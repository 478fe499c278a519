/* sc_random.h: one-time codes and tokens.
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

#endif /* SC_RANDOM_H */
