/* sc_crypt.h - storage credentials at rest: AES-256-GCM through OpenSSL EVP.
 *
 * The AES key is derived with HKDF-SHA256 from a configured secret (info
 * "mod_smscloud credentials v1"), so the secret itself never keys a cipher
 * and one secret can serve other uses under other info strings. Every value
 * gets a random 96-bit nonce. The additional authenticated data names the
 * row the value belongs to (the owning phone and the account), so a sealed
 * value copied into another row does not open.
 *
 * A sealed value is "1." + base64url(nonce || ciphertext || tag), printable
 * and safe in a text column.
 *
 * Rotation: the first secret seals; every secret opens, so values sealed
 * under an old one keep working until they are sealed again.
 */
#ifndef SC_CRYPT_H
#define SC_CRYPT_H

#include <apr_pools.h>
#include <apr_errno.h>
#include <apr_tables.h>

/** Shortest secret accepted, in bytes. */
#define SC_CRYPT_MIN_SECRET 32
/** Longest plaintext sealed, in bytes. */
#define SC_CRYPT_MAX_PLAIN 8192

typedef struct sc_crypt_keys_t sc_crypt_keys_t;

/**
 * Derive the keys of a list of secrets.
 * @param secrets  array of const char *: [0] seals, all open; each at least
 *                 SC_CRYPT_MIN_SECRET bytes
 * @param keys     receives the keys (in p)
 * @return APR_SUCCESS; APR_EINVAL for no secret or a short one;
 *         APR_EGENERAL when OpenSSL fails
 */
apr_status_t sc_crypt_keys_make(apr_pool_t *p, const apr_array_header_t *secrets,
                                sc_crypt_keys_t **keys);

/**
 * The additional authenticated data of an account's credentials:
 * phone NUL provider NUL account id.
 */
const char *sc_crypt_account_aad(apr_pool_t *p, const char *phone, const char *provider,
                                 const char *account_id, apr_size_t *len);

/**
 * Seal a value with the first key.
 * @param sealed receives the sealed text
 * @return APR_SUCCESS; APR_EINVAL for a missing argument or a value longer
 *         than SC_CRYPT_MAX_PLAIN; APR_EGENERAL when OpenSSL fails
 */
apr_status_t sc_crypt_seal(apr_pool_t *p, const sc_crypt_keys_t *keys,
                           const char *aad, apr_size_t aad_len,
                           const char *plain, apr_size_t len, const char **sealed);

/**
 * Open a sealed value with whichever key sealed it.
 * @param plain  receives the value, NUL-terminated (in p)
 * @param len    receives its length; may be NULL
 * @param stale  receives 1 when an old key opened it (seal it again), else
 *               0; may be NULL
 * @return APR_SUCCESS; APR_EINVAL for a malformed value; APR_EMISMATCH when
 *         no key opens it (another key, another row, or tampered)
 */
apr_status_t sc_crypt_open(apr_pool_t *p, const sc_crypt_keys_t *keys,
                           const char *aad, apr_size_t aad_len,
                           const char *sealed, const char **plain, apr_size_t *len,
                           int *stale);

#endif /* SC_CRYPT_H */
