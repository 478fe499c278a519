/* sc_phone.c: E.164 phone numbers. */
#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "sc_phone.h"
#include "sc_text.h"

/* E.164 allows at most 15 digits; anything much longer than a formatted
 * 15-digit number is not worth scanning. */
#define SC_PHONE_MAX_INPUT 64
#define SC_PHONE_MIN_DIGITS 8
#define SC_PHONE_MAX_DIGITS 15

int sc_phone_is_e164(const char *s)
{
    apr_size_t n;

    if (!s || s[0] != '+' || s[1] < '1' || s[1] > '9') {
        return 0;
    }
    n = strlen(s + 1);
    if (n < SC_PHONE_MIN_DIGITS || n > SC_PHONE_MAX_DIGITS) {
        return 0;
    }
    return strspn(s + 1, "0123456789") == n;
}

/* Separator rules: only after a digit has been seen (so "+ 1" and "+(1)"
 * fail), parentheses not nested and closed, and the number ends in a digit
 * or ')'. Digits go to out; returns the digit count, or -1 if invalid. */
static int phone_collect(const char *s, apr_size_t n, char *out,
                         int seen_digit)
{
    int digits = 0, open = 0;
    apr_size_t i;

    for (i = 0; i < n; i++) {
        char c = s[i];

        if (apr_isdigit(c)) {
            if (digits == SC_PHONE_MAX_DIGITS) {
                return -1;
            }
            out[digits++] = c;
            seen_digit = 1;
        }
        else if (!seen_digit || !strchr(" .-()", c)) {
            return -1;
        }
        else if (c == '(' || c == ')') {
            if (open == (c == '(')) {
                return -1;
            }
            open = (c == '(');
        }
    }
    if (open || (n && !apr_isdigit(s[n - 1]) && s[n - 1] != ')')) {
        return -1;
    }
    return digits;
}

/* "+44 (0)20 ..." marks a 0 dialled only nationally. Keeping it gives a
 * wrong number, and silently dropping it guesses at what the user meant;
 * a refusal costs one more message, a wrong guess texts a stranger. */
static int phone_has_trunk_zero(const char *s, apr_size_t n)
{
    apr_size_t i;

    for (i = 0; i + 2 < n; i++) {
        if (s[i] == '(' && s[i + 1] == '0' && s[i + 2] == ')') {
            return 1;
        }
    }
    return 0;
}

apr_status_t sc_phone_normalise(apr_pool_t *p, const char *in,
                                const char **e164)
{
    char buf[SC_PHONE_MAX_DIGITS + 2];
    apr_size_t n;
    int digits, after_00 = 0;

    if (!in || !e164) {
        return APR_EINVAL;
    }
    in = sc_text_trim(in, &n);
    if (n > SC_PHONE_MAX_INPUT) {
        return APR_EINVAL;
    }
    if (n && in[0] == '+') {
        in++;
        n--;
    }
    else if (n >= 2 && in[0] == '0' && in[1] == '0') {
        /* "00 44 20..." : the 00 are digits, so a separator may follow. */
        in += 2;
        n -= 2;
        after_00 = 1;
    }
    else {
        return APR_EINVAL;
    }
    if (phone_has_trunk_zero(in, n)) {
        return APR_EINVAL;
    }
    buf[0] = '+';
    digits = phone_collect(in, n, buf + 1, after_00);
    if (digits < 0) {
        return APR_EINVAL;
    }
    buf[digits + 1] = '\0';
    if (!sc_phone_is_e164(buf)) {
        return APR_EINVAL;
    }
    *e164 = apr_pstrdup(p, buf);
    return APR_SUCCESS;
}

int sc_phone_country_code_ok(const char *s)
{
    apr_size_t n;

    if (!s) {
        return 0;
    }
    if (*s == '+') {
        s++;
    }
    n = strlen(s);
    return n >= 1 && n <= 3 && s[0] != '0' && strspn(s, "0123456789") == n;
}

/* Countries whose national numbers keep their leading 0 after the
 * country code (Italy, San Marino, the Vatican). */
static int keeps_zero(const char *cc)
{
    return !strcmp(cc, "39") || !strcmp(cc, "378") || !strcmp(cc, "379");
}

apr_status_t sc_phone_from_national(apr_pool_t *p, const char *country_code,
                                    const char *national, const char **e164)
{
    char digits[SC_PHONE_MAX_INPUT + 1];
    const char *cc, *full, *d;
    apr_size_t n;
    int count;

    if (!sc_phone_country_code_ok(country_code)) {
        return APR_EINVAL;
    }
    cc = country_code[0] == '+' ? country_code + 1 : country_code;
    if (!national || !e164) {
        return APR_EBADF;
    }
    national = sc_text_trim(national, &n);
    if (national[0] == '+' || (national[0] == '0' && national[1] == '0')) {
        if (sc_phone_normalise(p, national, &full) != APR_SUCCESS
            || strncmp(full + 1, cc, strlen(cc))) {
            return APR_EBADF;
        }
        *e164 = full;
        return APR_SUCCESS;
    }
    if (n > SC_PHONE_MAX_INPUT || phone_has_trunk_zero(national, n)
        || (count = phone_collect(national, n, digits, 1)) <= 0) {
        return APR_EBADF;
    }
    digits[count] = '\0';
    d = digits;
    if (d[0] == '0' && !keeps_zero(cc)) {
        d++;
    }
    else if (!strcmp(cc, "1") && count == 11 && d[0] == '1') {
        d++;
    }
    full = apr_pstrcat(p, "+", cc, d, NULL);
    if (!sc_phone_is_e164(full)) {
        return APR_EBADF;
    }
    *e164 = full;
    return APR_SUCCESS;
}

const char *sc_phone_redact(apr_pool_t *p, const char *e164)
{
    char *out;
    apr_size_t n, i;

    if (!e164) {
        return "(null)";
    }
    if (!sc_phone_is_e164(e164)) {
        return "(invalid)";
    }
    /* '+' and 8..15 digits: keep [0..3] and the last 2, star the rest. */
    n = strlen(e164);
    out = apr_pstrdup(p, e164);
    for (i = 4; i < n - 2; i++) {
        out[i] = '*';
    }
    return out;
}

const char *sc_phone_prefix(apr_pool_t *p, const char *e164, int digits)
{
    apr_size_t n = e164 ? strlen(e164) : 0;

    if (digits < 1 || n <= (apr_size_t)digits + 1) {
        return e164;
    }
    return apr_pstrndup(p, e164, (apr_size_t)digits + 1);
}

int sc_phone_is_country_prefix(const char *s)
{
    apr_size_t n;

    if (!s || s[0] != '+' || s[1] < '1' || s[1] > '9') {
        return 0;
    }
    n = strlen(s + 1);
    return n <= 4 && strspn(s + 1, "0123456789") == n;
}

int sc_phone_in_countries(const char *e164, const apr_array_header_t *allowed)
{
    int i;

    if (!allowed || !allowed->nelts) {
        return 1;
    }
    for (i = 0; e164 && i < allowed->nelts; i++) {
        const char *prefix = APR_ARRAY_IDX(allowed, i, const char *);

        if (!strncmp(e164, prefix, strlen(prefix))) {
            return 1;
        }
    }
    return 0;
}
