/* fuzz_sig.c: the X-Twilio-Signature check (sc_twilio_sig.h) on a body
 * decoded by sc_form_parse, as the /sms handler does it.
 *
 * Input: a selector byte, then "token\nurl\nbody". A forged request must
 * never pass, and a genuine one must always pass: Twilio does not retry a
 * webhook we refuse, so a false refusal loses a message. */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "harness.h"
#include "sc_form.h"
#include "sc_twilio_sig.h"

/* as many pairs as the module accepts in a webhook body */
#define MAX_PAIRS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int pair_eq(const sc_pair_t *a, const sc_pair_t *b)
{
    return strcmp(a->name, b->name) == 0 && strcmp(a->value, b->value) == 0;
}

/* url, then name and value of every distinct pair, in some order */
static apr_size_t base_len(const char *url, const apr_array_header_t *pairs)
{
    apr_size_t n = strlen(url);
    int i, j;

    for (i = 0; pairs && i < pairs->nelts; i++) {
        const sc_pair_t *a = &APR_ARRAY_IDX(pairs, i, sc_pair_t);

        for (j = 0; j < i && !pair_eq(a, &APR_ARRAY_IDX(pairs, j, sc_pair_t)); j++) {
        }
        if (j == i) {
            n += strlen(a->name) + strlen(a->value);
        }
    }
    return n;
}

static apr_array_header_t *reversed(apr_pool_t *p, const apr_array_header_t *a)
{
    apr_array_header_t *r;
    int i;

    if (!a) {
        return NULL;
    }
    r = apr_array_make(p, a->nelts + 1, sizeof(sc_pair_t));
    for (i = a->nelts; i-- > 0;) {
        APR_ARRAY_PUSH(r, sc_pair_t) = APR_ARRAY_IDX(a, i, sc_pair_t);
    }
    return r;
}

/* url with ":port" after the host when it is https://host/... with no port
 * or userinfo of its own; NULL otherwise. */
static const char *with_port(apr_pool_t *p, const char *url, const char *port)
{
    const char *auth = url + 8;
    apr_size_t n;

    if (strncasecmp(url, "https://", 8) != 0) {
        return NULL;
    }
    n = strcspn(auth, "/?#");
    if (n == 0 || memchr(auth, ':', n) || memchr(auth, '@', n) || memchr(auth, '[', n)) {
        return NULL;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, url, 8 + n), ":", port, auth + n, NULL);
}

static void check_signature(apr_pool_t *p, const char *token, const char *url,
                            const apr_array_header_t *pairs, unsigned sel)
{
    const char *sig = sc_twilio_sig_compute(p, token, url, pairs), *other;
    char *flipped;
    apr_size_t at;

    FZ_ASSERT((sig == NULL) == (*token == '\0'));
    if (!sig) {
        FZ_ASSERT(!sc_twilio_sig_valid(p, token, url, pairs, "x"));
        return;
    }
    FZ_ASSERT(strlen(sig) == 28 && sig[27] == '=');
    FZ_ASSERT(strspn(sig, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") == 27);
    FZ_ASSERT(sc_twilio_sig_valid(p, token, url, pairs, sig) == (*url != '\0'));

    flipped = apr_pstrdup(p, sig);
    at = sel % 27;
    flipped[at] = flipped[at] == 'A' ? 'B' : 'A';
    FZ_ASSERT(!sc_twilio_sig_valid(p, token, url, pairs, flipped));
    FZ_ASSERT(!sc_twilio_sig_valid(p, token, url, pairs, apr_pstrndup(p, sig, 27)));
    FZ_ASSERT(!sc_twilio_sig_valid(p, token, url, pairs, apr_pstrcat(p, sig, "=", NULL)));
    FZ_ASSERT(!sc_twilio_sig_valid(p, apr_pstrcat(p, token, "x", NULL), url, pairs, sig));

    /* Twilio may sign the URL with or without the default port, never
     * with another one. */
    if ((other = with_port(p, url, "443")) != NULL) {
        FZ_ASSERT(sc_twilio_sig_valid(p, token, url, pairs,
                                      sc_twilio_sig_compute(p, token, other, pairs)));
        FZ_ASSERT(sc_twilio_sig_valid(p, token, other, pairs, sig));
        other = with_port(p, url, "444");
        FZ_ASSERT(!sc_twilio_sig_valid(p, token, url, pairs,
                                       sc_twilio_sig_compute(p, token, other, pairs)));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_begin();
    unsigned sel = fz_take_byte(&data, &size);
    apr_array_header_t *pieces = fz_split(p, data, size, '\n', 3);
    fz_piece_t token = fz_piece(pieces, 0), url = fz_piece(pieces, 1);
    fz_piece_t body = fz_piece(pieces, 2);
    apr_array_header_t *pairs = NULL;
    const char *base;

    /* a body that does not decode is signed as a GET: the URL alone */
    if (sc_form_parse(p, body.s, body.len, MAX_PAIRS, &pairs) != APR_SUCCESS) {
        FZ_ASSERT(pairs == NULL);
    }
    base = sc_twilio_sig_base(p, url.s, pairs);
    FZ_ASSERT(strncmp(base, url.s, strlen(url.s)) == 0);
    FZ_ASSERT(strlen(base) == base_len(url.s, pairs));
    FZ_ASSERT(strcmp(base, sc_twilio_sig_base(p, url.s, reversed(p, pairs))) == 0);

    check_signature(p, token.s, url.s, pairs, sel);

    fz_end(p);
    return 0;
}
