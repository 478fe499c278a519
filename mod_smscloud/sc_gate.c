/* sc_gate.c: the decisions of the gate (AuthType SmsCloud). */
#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "sc_form.h"
#include "sc_gate.h"

/* RFC 3986 pchar, '/' and '?' (path and query), with '%' checked apart;
 * '#', '\', quotes, '<', '>', spaces and every byte >= 0x80 are out. */
#define URL_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
                  "0123456789-._~!$&'()*+,;=:@/?"

/* Rounds of percent-decoding a path is checked after: more layers than a
 * browser, a proxy and an application would ever undo. */
#define DECODE_ROUNDS 3

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = (char)apr_tolower(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* The shape rules on one layer of the address (raw or decoded): begins
 * with exactly one '/', no control character or backslash anywhere, no
 * "//" before the query. */
static int local_shape(const char *s, apr_size_t n)
{
    apr_size_t i;
    int in_query = 0;

    if (n == 0 || s[0] != '/' || (n > 1 && (s[1] == '/' || s[1] == '\\'))) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 || c == 0x7f || c == '\\') {
            return 0;
        }
        if (c == '?') {
            in_query = 1;
        }
        if (!in_query && c == '/' && i > 0 && s[i - 1] == '/') {
            return 0;
        }
    }
    return 1;
}

/* One round of %XX decoding into out (at least n bytes); returns the new
 * length. strict: a malformed escape gives (apr_size_t)-1; otherwise it
 * stays as it is, as lenient decoders leave it. */
static apr_size_t percent_decode(const char *s, apr_size_t n, char *out, int strict)
{
    apr_size_t i, o = 0;

    for (i = 0; i < n; i++) {
        int hi, lo;

        if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0
            && (lo = hexval(s[i + 2])) >= 0) {
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        }
        else if (s[i] == '%' && strict) {
            return (apr_size_t)-1;
        }
        else {
            out[o++] = s[i];
        }
    }
    return o;
}

int sc_gate_local_path(const char *path)
{
    char buf[2][SC_GATE_RETURN_MAX + 1];
    const char *cur = path;
    apr_size_t n;
    int round;

    if (!path || (n = strlen(path)) == 0 || n > SC_GATE_RETURN_MAX
        || strspn(path, URL_CHARS "%") != n) {
        return 0;
    }
    for (round = 0; round <= DECODE_ROUNDS; round++) {
        apr_size_t m;

        if (!local_shape(cur, n)) {
            return 0;
        }
        if (round == DECODE_ROUNDS) {
            break;
        }
        /* the address as sent must be well-formed; what it decodes to is
         * data, read as a lenient decoder would */
        m = percent_decode(cur, n, buf[round % 2], round == 0);
        if (m == (apr_size_t)-1) {
            return 0;
        }
        if (m == n) {
            return 1;      /* nothing left to decode */
        }
        cur = buf[round % 2];
        n = m;
    }
    /* still encoded after every round: nobody legitimate nests that deep */
    return 0;
}

apr_status_t sc_gate_action_parse(const char *word, sc_gate_action_e *action)
{
    static const struct {
        const char *word;
        sc_gate_action_e action;
    } words[] = {
        { "redirect", SC_GATE_REDIRECT },
        { "401", SC_GATE_401 },
        { "403", SC_GATE_403 },
        { "pass", SC_GATE_PASS },
    };
    apr_size_t i;

    for (i = 0; word && i < sizeof(words) / sizeof(words[0]); i++) {
        if (!strcasecmp(word, words[i].word)) {
            *action = words[i].action;
            return APR_SUCCESS;
        }
    }
    return APR_EINVAL;
}

/* Case-insensitive substring search over a header value. */
static int mentions(const char *value, const char *what)
{
    apr_size_t n = strlen(what);

    for (; value && *value; value++) {
        if (!strncasecmp(value, what, n)) {
            return 1;
        }
    }
    return 0;
}

int sc_gate_is_browser(const char *method, const char *accept,
                       const char *requested_with)
{
    if (!method || (strcmp(method, "GET") && strcmp(method, "HEAD"))) {
        return 0;
    }
    if (requested_with && !strcasecmp(requested_with, "XMLHttpRequest")) {
        return 0;
    }
    return mentions(accept, "text/html") || mentions(accept, "application/xhtml+xml");
}

sc_gate_action_e sc_gate_unauth_action(sc_gate_action_e configured, int browser)
{
    if (configured == SC_GATE_PASS || !browser) {
        return configured;
    }
    return SC_GATE_REDIRECT;
}

int sc_gate_header_name_ok(const char *name)
{
    apr_size_t n = name ? strlen(name) : 0;

    return n > 0 && n <= 64
        && strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "0123456789-") == n;
}

int sc_gate_header_matches(const char *name, const char *identity_header)
{
    if (!name || !identity_header) {
        return 0;
    }
    for (; *name && *identity_header; name++, identity_header++) {
        char a = (char)apr_tolower(*name == '_' ? '-' : *name);
        char b = (char)apr_tolower(*identity_header == '_' ? '-' : *identity_header);

        if (a != b) {
            return 0;
        }
    }
    return *name == '\0' && *identity_header == '\0';
}

const char *sc_gate_login_url(apr_pool_t *p, const char *login_path,
                              const char *return_path)
{
    apr_array_header_t *pairs;
    sc_pair_t *pair;

    if (!sc_gate_local_path(return_path)) {
        return login_path;
    }
    pairs = apr_array_make(p, 1, sizeof(sc_pair_t));
    pair = apr_array_push(pairs);
    pair->name = "return";
    pair->value = return_path;
    return apr_pstrcat(p, login_path, "?", sc_form_encode(p, pairs), NULL);
}

const char *sc_gate_otp_channel(int two_step, const char *return_path)
{
    return two_step || (return_path && *return_path) ? "gate" : "web";
}

int sc_gate_phone_listed(const apr_array_header_t *phones, const char *phone)
{
    int i;

    for (i = 0; phone && phones && i < phones->nelts; i++) {
        if (!strcmp(phone, APR_ARRAY_IDX(phones, i, const char *))) {
            return 1;
        }
    }
    return 0;
}
