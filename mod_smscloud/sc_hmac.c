/* sc_hmac.c: HMAC-SHA256 and comparing secrets in constant time. */
#include <limits.h>
#include <string.h>

#include <apr_encode.h>
#include <apr_strings.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
#include <openssl/core_names.h>
#include <openssl/params.h>
#endif

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

static const char *hex_of(apr_pool_t *p, unsigned char md[SC_HMAC_SHA256_LEN])
{
    const char *hex = apr_pencode_base16(p, (const char *)md, SC_HMAC_SHA256_LEN,
                                         APR_ENCODE_LOWER, NULL);

    OPENSSL_cleanse(md, SC_HMAC_SHA256_LEN);
    return hex;
}

const char *sc_hmac_sha256_hex(apr_pool_t *p, const void *key,
                               apr_size_t keylen, const void *data,
                               apr_size_t len)
{
    unsigned char md[SC_HMAC_SHA256_LEN];

    if (hmac_sha256(key, keylen, data, len, md) != APR_SUCCESS) {
        return NULL;
    }
    return hex_of(p, md);
}

/* Before OpenSSL 3 there is no EVP_MAC, and HMAC_CTX is deprecated after
 * it: an older libcrypto keeps the key and takes the one-shot path. */
struct sc_hmac_key_t {
    const void *key;
    apr_size_t keylen;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    EVP_MAC_CTX *keyed;
#endif
};

#if OPENSSL_VERSION_NUMBER >= 0x30000000L
static apr_status_t key_free(void *data)
{
    sc_hmac_key_t *k = data;

    EVP_MAC_CTX_free(k->keyed);
    k->keyed = NULL;
    return APR_SUCCESS;
}

static apr_status_t key_ready(apr_pool_t *p, sc_hmac_key_t *k)
{
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end()
    };
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);

    k->keyed = mac ? EVP_MAC_CTX_new(mac) : NULL;
    /* the context holds its own reference to the MAC */
    EVP_MAC_free(mac);
    if (!k->keyed) {
        return APR_EGENERAL;
    }
    apr_pool_cleanup_register(p, k, key_free, apr_pool_cleanup_null);
    /* a real, empty key for none, as in hmac_sha256() */
    if (!EVP_MAC_init(k->keyed, k->key ? k->key : (const void *)"", k->keylen, params)) {
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}
#endif

apr_status_t sc_hmac_key_make(apr_pool_t *p, const void *key, apr_size_t keylen,
                              sc_hmac_key_t **out)
{
    sc_hmac_key_t *k;

    *out = NULL;
    if ((!key && keylen) || keylen > INT_MAX) {
        return APR_EINVAL;
    }
    k = apr_pcalloc(p, sizeof(*k));
    k->key = keylen ? apr_pmemdup(p, key, keylen) : "";
    k->keylen = keylen;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    {
        apr_status_t rv = key_ready(p, k);

        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
#endif
    *out = k;
    return APR_SUCCESS;
}

const char *sc_hmac_key_sha256_hex(apr_pool_t *p, const sc_hmac_key_t *k,
                                   const void *data, apr_size_t len)
{
    unsigned char md[SC_HMAC_SHA256_LEN];
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    EVP_MAC_CTX *ctx;
    size_t md_len = 0;
    int ok;

    if (!k || (!data && len)) {
        return NULL;
    }
    if (!(ctx = EVP_MAC_CTX_dup(k->keyed))) {
        return NULL;
    }
    ok = EVP_MAC_update(ctx, data ? data : (const void *)"", len)
         && EVP_MAC_final(ctx, md, &md_len, sizeof(md))
         && md_len == SC_HMAC_SHA256_LEN;
    EVP_MAC_CTX_free(ctx);
    if (!ok) {
        OPENSSL_cleanse(md, sizeof(md));
        return NULL;
    }
#else
    if (!k || hmac_sha256(k->key, k->keylen, data, len, md) != APR_SUCCESS) {
        return NULL;
    }
#endif
    return hex_of(p, md);
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
