/* sc_random.c: one-time codes and tokens from the CSPRNG. */
#include <string.h>

#include <apr_strings.h>
#include <apr_encode.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "sc_random.h"

#define SC_DIGITS_MAX 32
#define SC_TOKEN_MAX_BYTES 4096
/* 250 = 25 * 10 is the largest multiple of 10 a byte can hold; bytes from
 * 250 up are thrown away so that every digit gets exactly 25 byte values. */
#define SC_DIGIT_LIMIT 250

apr_status_t sc_random_digits(apr_pool_t *p, int n, const char **out)
{
    unsigned char buf[64];
    char *digits;
    int have = 0;
    apr_size_t i;

    if (!out || n < 1 || n > SC_DIGITS_MAX) {
        return APR_EINVAL;
    }
    digits = apr_palloc(p, n + 1);
    while (have < n) {
        /* 64 bytes give 32 digits with probability > 1 - 1e-20, so this
         * loop almost never runs twice. */
        if (RAND_bytes(buf, sizeof(buf)) != 1) {
            OPENSSL_cleanse(buf, sizeof(buf));
            return APR_EGENERAL;
        }
        for (i = 0; i < sizeof(buf) && have < n; i++) {
            if (buf[i] < SC_DIGIT_LIMIT) {
                digits[have++] = (char)('0' + buf[i] % 10);
            }
        }
    }
    digits[n] = '\0';
    OPENSSL_cleanse(buf, sizeof(buf));
    *out = digits;
    return APR_SUCCESS;
}

apr_status_t sc_random_token(apr_pool_t *p, apr_size_t nbytes,
                             const char **out)
{
    unsigned char *raw;
    const char *tok;

    if (!out || nbytes < 1 || nbytes > SC_TOKEN_MAX_BYTES) {
        return APR_EINVAL;
    }
    raw = apr_palloc(p, nbytes);
    if (RAND_bytes(raw, (int)nbytes) != 1) {
        return APR_EGENERAL;
    }
    tok = apr_pencode_base64(p, (const char *)raw, nbytes,
                             APR_ENCODE_BASE64URL | APR_ENCODE_NOPADDING,
                             NULL);
    /* Pool memory lives on after us; do not leave the secret lying there
     * in a second form. */
    OPENSSL_cleanse(raw, nbytes);
    if (!tok) {
        return APR_EGENERAL;
    }
    *out = tok;
    return APR_SUCCESS;
}
