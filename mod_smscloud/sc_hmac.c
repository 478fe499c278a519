/* sc_hmac.c: HMAC-SHA256 and comparing secrets in constant time. */
#include <limits.h>
#include <string.h>

#include <apr_encode.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sc_hmac.h"

#define SC_HMAC_SHA256_LEN 32

static apr_status_t hmac_sha256(const void *key, apr_size_t keylen,
                                const void *data, apr_size_t len,
                                unsigned char out[SC_HMAC_SHA256_LEN])
{
    unsigned int md_len = 0;

    if (!out || (!key && keylen) || (!data && len) || keylen > INT_MAX) {
        return APR_EINVAL;
    }
    /* OpenSSL reads a NULL key as "reuse the previous key"; give it a
     * real, empty one instead. */
    if (!HMAC(EVP_sha256(), key ? key : "", (int)keylen,
              data ? data : (const void *)"", len, out, &md_len)
        || md_len != SC_HMAC_SHA256_LEN) {
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

const char *sc_hmac_sha256_hex(apr_pool_t *p, const void *key,
                               apr_size_t keylen, const void *data,
                               apr_size_t len)
{
    unsigned char md[SC_HMAC_SHA256_LEN];
    const char *hex;

    if (hmac_sha256(key, keylen, data, len, md) != APR_SUCCESS) {
        return NULL;
    }
    hex = apr_pencode_base16(p, (const char *)md, sizeof(md), APR_ENCODE_LOWER,
                             NULL);
    OPENSSL_cleanse(md, sizeof(md));
    return hex;
}

int sc_const_eq(const char *a, const char *b)
{
    apr_size_t n;

    if (!a || !b) {
        return 0;
    }
    n = strlen(a);
    if (strlen(b) != n) {
        return 0;
    }
    return CRYPTO_memcmp(a, b, n) == 0;
}
