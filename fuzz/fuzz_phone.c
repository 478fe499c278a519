/* fuzz_phone.c: E.164 checking, normalising and redaction (sc_phone.h).
 *
 * A normalised number is texted: it must be E.164 and made of exactly the
 * digits the person typed, never a guess. A redacted one is logged: it
 * must never show the hidden digits. */
#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "harness.h"
#include "sc_phone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* '+', a non-zero digit, 7 to 14 more: read from sc_phone.h alone */
static int e164(const char *s)
{
    apr_size_t n = strlen(s), i;

    if (n < 9 || n > 16 || s[0] != '+' || s[1] == '0') {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if (!apr_isdigit(s[i])) {
            return 0;
        }
    }
    return 1;
}

/* The digits after the international prefix, or NULL if there is none or
 * anything but digits and separators follows it. */
static const char *typed_digits(apr_pool_t *p, const char *in)
{
    apr_size_t n;
    char *out, *d;

    while (apr_isspace(*in)) {
        in++;
    }
    n = strlen(in);
    while (n && apr_isspace(in[n - 1])) {
        n--;
    }
    if (n && in[0] == '+') {
        in++, n--;
    }
    else if (n >= 2 && in[0] == '0' && in[1] == '0') {
        in += 2, n -= 2;
    }
    else {
        return NULL;
    }
    d = out = apr_palloc(p, n + 1);
    for (; n; in++, n--) {
        if (apr_isdigit(*in)) {
            *d++ = *in;
        }
        else if (!strchr(" .-()", *in)) {
            return NULL;
        }
    }
    *d = '\0';
    return out;
}

static void check_redact(apr_pool_t *p, const char *s)
{
    const char *r = sc_phone_redact(p, s);
    apr_size_t n = strlen(s), i;

    if (!e164(s)) {
        FZ_ASSERT(strcmp(r, "(invalid)") == 0);
        return;
    }
    FZ_ASSERT(strlen(r) == n);
    FZ_ASSERT(strncmp(r, s, 4) == 0 && strcmp(r + n - 2, s + n - 2) == 0);
    for (i = 4; i < n - 2; i++) {
        FZ_ASSERT(r[i] == '*');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_begin();
    const char *in = apr_pstrmemdup(p, (const char *)data, size);
    const char *out = "untouched", *again = NULL, *digits;

    FZ_ASSERT(sc_phone_is_e164(in) == e164(in));
    check_redact(p, in);
    if (sc_phone_normalise(p, in, &out) != APR_SUCCESS) {
        FZ_ASSERT(strcmp(out, "untouched") == 0);
        FZ_ASSERT(!e164(in));
        fz_end(p);
        return 0;
    }
    FZ_ASSERT(e164(out));
    digits = typed_digits(p, in);
    FZ_ASSERT(digits && strcmp(out + 1, digits) == 0);
    FZ_ASSERT(!e164(in) || strcmp(out, in) == 0);
    FZ_ASSERT(sc_phone_normalise(p, out, &again) == APR_SUCCESS);
    FZ_ASSERT(strcmp(again, out) == 0);
    check_redact(p, out);

    fz_end(p);
    return 0;
}
