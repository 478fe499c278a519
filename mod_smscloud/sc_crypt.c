/* sc_crypt.c - credentials at rest (see sc_crypt.h). */

#include <string.h>

#include <apr_encode.h>
#include <apr_strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include "sc_crypt.h"

#define KEY_LEN   32
#define NONCE_LEN 12
#define TAG_LEN   16
#define PREFIX    "1."
#define HKDF_SALT "mod_smscloud"
#define HKDF_INFO "mod_smscloud credentials v1"

struct sc_crypt_keys_t {
    int n;
    unsigned char (*key)[KEY_LEN];
};

static apr_status_t derive(const char *secret, unsigned char *out)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
    size_t len = KEY_LEN;
    apr_status_t rv = APR_EGENERAL;

    if (ctx
        && EVP_PKEY_derive_init(ctx) > 0
        && EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) > 0
        && EVP_PKEY_CTX_set1_hkdf_salt(ctx, (const unsigned char *)HKDF_SALT,
                                       sizeof(HKDF_SALT) - 1) > 0
        && EVP_PKEY_CTX_set1_hkdf_key(ctx, (const unsigned char *)secret,
                                      (int)strlen(secret)) > 0
        && EVP_PKEY_CTX_add1_hkdf_info(ctx, (const unsigned char *)HKDF_INFO,
                                       sizeof(HKDF_INFO) - 1) > 0
        && EVP_PKEY_derive(ctx, out, &len) > 0 && len == KEY_LEN) {
        rv = APR_SUCCESS;
    }
    EVP_PKEY_CTX_free(ctx);
    return rv;
}

apr_status_t sc_crypt_keys_make(apr_pool_t *p, const apr_array_header_t *secrets,
                                sc_crypt_keys_t **keys)
{
    sc_crypt_keys_t *k;
    int i;

    *keys = NULL;
    if (!secrets || secrets->nelts < 1) {
        return APR_EINVAL;
    }
    k = apr_pcalloc(p, sizeof(*k));
    k->n = secrets->nelts;
    k->key = apr_pcalloc(p, (apr_size_t)k->n * KEY_LEN);
    for (i = 0; i < k->n; i++) {
        const char *s = APR_ARRAY_IDX(secrets, i, const char *);

        if (!s || strlen(s) < SC_CRYPT_MIN_SECRET) {
            return APR_EINVAL;
        }
        if (derive(s, k->key[i]) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
    }
    *keys = k;
    return APR_SUCCESS;
}

const char *sc_crypt_account_aad(apr_pool_t *p, const char *phone, const char *provider,
                                 const char *account_id, apr_size_t *len)
{
    apr_size_t a = strlen(phone), b = strlen(provider), c = strlen(account_id);
    char *aad = apr_palloc(p, a + b + c + 3);

    memcpy(aad, phone, a + 1);
    memcpy(aad + a + 1, provider, b + 1);
    memcpy(aad + a + b + 2, account_id, c + 1);
    *len = a + b + c + 2;
    return aad;
}

/* nonce || ciphertext || tag of plain under key. */
static apr_status_t gcm_seal(const unsigned char *key, const char *aad, apr_size_t aad_len,
                             const char *plain, apr_size_t len, unsigned char *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    unsigned char *nonce = out, *ct = out + NONCE_LEN, *tag = ct + len;
    int n = 0, fin = 0;
    apr_status_t rv = APR_EGENERAL;

    if (ctx && RAND_bytes(nonce, NONCE_LEN) == 1
        && EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) == 1
        && EVP_EncryptUpdate(ctx, NULL, &n, (const unsigned char *)aad, (int)aad_len) == 1
        && EVP_EncryptUpdate(ctx, ct, &n, (const unsigned char *)plain, (int)len) == 1
        && EVP_EncryptFinal_ex(ctx, ct + n, &fin) == 1
        && (apr_size_t)(n + fin) == len
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag) == 1) {
        rv = APR_SUCCESS;
    }
    EVP_CIPHER_CTX_free(ctx);
    return rv;
}

/* plain of nonce || ciphertext || tag (ct_len bytes of ciphertext). */
static int gcm_open(const unsigned char *key, const char *aad, apr_size_t aad_len,
                    const unsigned char *in, apr_size_t ct_len, unsigned char *plain)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    const unsigned char *ct = in + NONCE_LEN;
    unsigned char tag[TAG_LEN];
    int n = 0, fin = 0, ok = 0;

    memcpy(tag, ct + ct_len, TAG_LEN);
    if (ctx && EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, in) == 1
        && EVP_DecryptUpdate(ctx, NULL, &n, (const unsigned char *)aad, (int)aad_len) == 1
        && EVP_DecryptUpdate(ctx, plain, &n, ct, (int)ct_len) == 1
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN, tag) == 1
        && EVP_DecryptFinal_ex(ctx, plain + n, &fin) == 1) {
        ok = 1;
    }
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

apr_status_t sc_crypt_seal(apr_pool_t *p, const sc_crypt_keys_t *keys,
                           const char *aad, apr_size_t aad_len,
                           const char *plain, apr_size_t len, const char **sealed)
{
    unsigned char *raw;
    apr_status_t rv;

    *sealed = NULL;
    if (!keys || !aad || !plain || len > SC_CRYPT_MAX_PLAIN) {
        return APR_EINVAL;
    }
    raw = apr_palloc(p, NONCE_LEN + len + TAG_LEN);
    if ((rv = gcm_seal(keys->key[0], aad, aad_len, plain, len, raw)) != APR_SUCCESS) {
        return rv;
    }
    *sealed = apr_pstrcat(p, PREFIX, apr_pencode_base64_binary(p, raw,
                          NONCE_LEN + len + TAG_LEN, APR_ENCODE_BASE64URL
                          | APR_ENCODE_NOPADDING, NULL), NULL);
    return APR_SUCCESS;
}

apr_status_t sc_crypt_open(apr_pool_t *p, const sc_crypt_keys_t *keys,
                           const char *aad, apr_size_t aad_len,
                           const char *sealed, const char **plain, apr_size_t *len,
                           int *stale)
{
    const unsigned char *raw;
    unsigned char *out;
    apr_size_t raw_len = 0, ct_len;
    int i;

    *plain = NULL;
    if (!keys || !aad || !sealed || strncmp(sealed, PREFIX, sizeof(PREFIX) - 1)
        || strlen(sealed) > 2 * SC_CRYPT_MAX_PLAIN) {
        return APR_EINVAL;
    }
    raw = apr_pdecode_base64_binary(p, sealed + sizeof(PREFIX) - 1, APR_ENCODE_STRING,
                                    APR_ENCODE_BASE64URL | APR_ENCODE_NOPADDING, &raw_len);
    if (!raw || raw_len < NONCE_LEN + TAG_LEN) {
        return APR_EINVAL;
    }
    ct_len = raw_len - NONCE_LEN - TAG_LEN;
    out = apr_palloc(p, ct_len + 1);
    for (i = 0; i < keys->n; i++) {
        if (gcm_open(keys->key[i], aad, aad_len, raw, ct_len, out)) {
            out[ct_len] = '\0';
            *plain = (const char *)out;
            if (len) {
                *len = ct_len;
            }
            if (stale) {
                *stale = i > 0;
            }
            return APR_SUCCESS;
        }
    }
    OPENSSL_cleanse(out, ct_len);
    return APR_EMISMATCH;
}
