/* test_twilio_sig.c: X-Twilio-Signature against the published vectors
 * (security-anchors.md section 5, external-apis.md 1.3). */
#include <string.h>

#include <apr_strings.h>
#include <openssl/evp.h>

#include "sc_unit.h"
#include "sc_form.h"
#include "sc_twilio_sig.h"

#define TOKEN "12345"
#define URL1 "https://mycompany.com/myapp.php?foo=1&bar=2"
#define URL2 "https://mycompany.com:443/myapp.php?foo=1&bar=2"
#define URL3 "http://mycompany.com:1234/myapp.php?foo=1&bar=2"
#define URL4 "http://mycompany.com:80/myapp.php?foo=1&bar=2"
#define URL7 URL1 "&Body=It%27s+amazing"
#define URL8 "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2"
#define URL9 "https://user:pass@mycompany.com:443/myapp.php?foo=1&bar=2"
#define URL10 "https://user@mycompany.com/myapp.php?foo=1&bar=2"
#define HASH_PROP \
    "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
#define HASH_EMPTY \
    "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
#define URL11 URL1 "&bodySHA256=" HASH_PROP
#define URL12 URL2 "&bodySHA256=" HASH_EMPTY
#define URL13 "https://mycompany.com/myapp.php?bodySHA256=" HASH_PROP

#define SIG1 "RSOYDt4T1cUTdK1PDd93/VVr8B8="
#define SIG2 "kvajT1Ptam85bY51eRf/AJRuM3w="
#define SIG3 "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="
#define SIG4 "0ZXoZLH/DfblKGATFgpif+LLRf4="
#define SIG5 "IK+Dwps556ElfBT0I3Rgjkr1wJU="
#define SIG6 "83O6e2vORAoJHUNzJjDWN1jz+BA="
#define SIG7 "TfZzewPq8wqrGlMfyAud8+/IvJ0="
#define SIG8 "CukzLTc1tT5dXEDIHm/tKBanW10="
#define SIG9 "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI="
#define SIG10 "2YRLlVAflCqxaNicjMpJcSTgzSs="
#define SIG11 "a9nBmqA0ju/hNViExpshrM61xv4="
#define SIG12 "Ldidvp12m26NI7eqEvxnEpkd9Hc="
#define SIG13 "y77kIzt2vzLz71DgmJGsen2scGs="

/* Pairs from a NULL-terminated name, value, name, value ... list. */
static apr_array_header_t *pairs_of(const char *const *kv)
{
    apr_array_header_t *a = apr_array_make(sc_test_pool, 8,
                                           sizeof(sc_pair_t));

    for (; kv[0]; kv += 2) {
        sc_pair_t *pr = apr_array_push(a);

        pr->name = kv[0];
        pr->value = kv[1];
    }
    return a;
}

static apr_array_header_t *params_p(const char *digits)
{
    const char *kv[] = {
        "CallSid", "CA1234567890ABCDE", "Caller", "+14158675309",
        "Digits", digits, "From", "+14158675309", "To", "+18005551212", NULL
    };

    return pairs_of(kv);
}

static apr_array_header_t *params_5(void)
{
    static const char *const kv[] = {
        "Sid", "CA123", "SidAccount", "AC123", "Digits", "5678",
        "Digits", "1234", "Digits", "1234", NULL
    };

    return pairs_of(kv);
}

static apr_array_header_t *params_6(int reversed)
{
    static const char *const fwd[] = {
        "MessagingBinding.Address", "+1325xxxxxxx",
        "MessagingBinding.Address", "+1415xxxxxxx", NULL
    };
    static const char *const rev[] = {
        "MessagingBinding.Address", "+1415xxxxxxx",
        "MessagingBinding.Address", "+1325xxxxxxx", NULL
    };

    return pairs_of(reversed ? rev : fwd);
}

typedef struct {
    const char *url;
    int params;          /* 0 none, 1 P, 5 #5, 6 #6 */
    const char *sig;
} vector_t;

static const vector_t vectors[] = {
    { URL1, 1, SIG1 }, { URL2, 1, SIG2 }, { URL3, 1, SIG3 },
    { URL4, 1, SIG4 }, { URL1, 5, SIG5 }, { URL1, 6, SIG6 },
    { URL7, 1, SIG7 }, { URL8, 1, SIG8 }, { URL9, 1, SIG9 },
    { URL10, 1, SIG10 }, { URL11, 0, SIG11 }, { URL12, 0, SIG12 },
    { URL13, 0, SIG13 }
};

static apr_array_header_t *vector_params(int which)
{
    switch (which) {
    case 1:
        return params_p("1234");
    case 5:
        return params_5();
    case 6:
        return params_6(0);
    default:
        return NULL;
    }
}

static int valid(const char *url, apr_array_header_t *pairs, const char *h)
{
    return sc_twilio_sig_valid(sc_test_pool, TOKEN, url, pairs, h);
}

/* Vectors #1-#13: computed exactly, and valid for the URL as signed. */
START_TEST(published_vectors)
{
    const vector_t *v = &vectors[_i];
    apr_array_header_t *pairs = vector_params(v->params);

    ck_assert_str_eq(sc_twilio_sig_compute(sc_test_pool, TOKEN, v->url,
                                           pairs), v->sig);
    ck_assert_int_eq(valid(v->url, pairs, v->sig), 1);
}
END_TEST

START_TEST(json_vectors_empty_pairs)
{
    apr_array_header_t *empty = apr_array_make(sc_test_pool, 1,
                                               sizeof(sc_pair_t));

    /* JSON bodies sign the URL alone: NULL and empty pairs are the same. */
    ck_assert_str_eq(sc_twilio_sig_compute(sc_test_pool, TOKEN, URL11,
                                           empty), SIG11);
    ck_assert_int_eq(valid(URL12, empty, SIG12), 1);
    ck_assert_int_eq(valid(URL13, NULL, SIG13), 1);
    /* #12 is signed with :443; it must validate without it too. */
    ck_assert_int_eq(valid(URL1 "&bodySHA256=" HASH_EMPTY, NULL, SIG12), 1);
    /* The hash belongs to the body; a different one is another URL. */
    ck_assert_int_eq(valid(URL1 "&bodySHA256=" HASH_EMPTY, NULL, SIG11), 0);
}
END_TEST

/* Check the vector data itself: the bodySHA256 values are the SHA-256 of
 * the bodies named in the notes, so the JSON vectors test what they say. */
START_TEST(json_body_hashes)
{
    static const struct {
        const char *body;
        const char *hex;
    } h[] = {
        { "{\"property\": \"value\", \"boolean\": true}", HASH_PROP },
        { "{}", HASH_EMPTY },
        { "{\"event\":\"x\"}",
          "ebc2c4ea03938ee05e18c1a712d9fa02de923d6f2db34b68fe1f8dcf651e479d" }
    };
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n, i, k;
    char hex[2 * EVP_MAX_MD_SIZE + 1];

    for (i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
        ck_assert_int_eq(EVP_Digest(h[i].body, strlen(h[i].body), md, &n,
                                    EVP_sha256(), NULL), 1);
        for (k = 0; k < n; k++) {
            apr_snprintf(hex + 2 * k, 3, "%02x", md[k]);
        }
        ck_assert_str_eq(hex, h[i].hex);
    }
}
END_TEST

START_TEST(acceptance_port_variants)
{
    apr_array_header_t *p = params_p("1234");

    /* #2 (signed with :443) validates a request to URL 1, and back. */
    ck_assert_int_eq(valid(URL1, p, SIG2), 1);
    ck_assert_int_eq(valid(URL2, p, SIG1), 1);
    /* #3 validates the http URL with port 1234 as given. */
    ck_assert_int_eq(valid(URL3, p, SIG3), 1);
    /* #4 (signed with :80) validates the http URL without a port. */
    ck_assert_int_eq(valid("http://mycompany.com/myapp.php?foo=1&bar=2", p,
                           SIG4), 1);
    /* Default port with userinfo: #8 and #9 are each other's variant. */
    ck_assert_int_eq(valid(URL8, p, SIG9), 1);
    ck_assert_int_eq(valid(URL9, p, SIG8), 1);
    ck_assert_int_eq(valid(URL10, p, SIG10), 1);
    /* #6: the order in which repeated values arrive does not matter. */
    ck_assert_int_eq(valid(URL1, params_6(1), SIG6), 1);
}
END_TEST

/* Deliberate difference from twilio-python, which strips any port and so
 * accepts #1 for a request to :1234. We only try the scheme's default
 * port: Twilio signs the URL exactly as configured, and the configured
 * URL is what we check against, so a non-default port never needs
 * dropping. */
START_TEST(non_default_port_kept)
{
    apr_array_header_t *p = params_p("1234");

    ck_assert_int_eq(valid("https://mycompany.com:1234/myapp.php?foo=1&bar=2",
                           p, SIG1), 0);
    ck_assert_int_eq(valid("http://mycompany.com/myapp.php?foo=1&bar=2", p,
                           SIG3), 0);
    /* :443 is not the default for http, nor :80 for https. */
    ck_assert_int_eq(valid("http://mycompany.com:443/myapp.php?foo=1&bar=2",
                           p, SIG1), 0);
    ck_assert_int_eq(valid("https://mycompany.com:80/myapp.php?foo=1&bar=2",
                           p, SIG4), 0);
}
END_TEST

START_TEST(negative)
{
    apr_array_header_t *p = params_p("1234");
    apr_array_header_t *p1235 = params_p("1235");
    apr_array_header_t *extra = params_p("1234");
    sc_pair_t *pr;

    ck_assert_int_eq(valid(URL1, p, "WRONG_SIGNATURE"), 0);
    ck_assert_int_eq(valid(URL1, p, NULL), 0);
    ck_assert_int_eq(valid(URL1, p, ""), 0);
    ck_assert_int_eq(valid(URL1 "&somethingUnexpected=true", p, SIG1), 0);
    /* One parameter altered. */
    ck_assert_str_eq(sc_twilio_sig_compute(sc_test_pool, TOKEN, URL1, p1235),
                     "f+aaB5gu2f9IF90l/5/dsmxJ+94=");
    ck_assert_int_eq(valid(URL1, p1235, SIG1), 0);
    ck_assert_int_eq(valid(URL1, p, "f+aaB5gu2f9IF90l/5/dsmxJ+94="), 0);
    /* One parameter added. */
    pr = apr_array_push(extra);
    pr->name = "Body";
    pr->value = "";
    ck_assert_int_eq(valid(URL1, extra, SIG1), 0);
    /* Truncated, extended, case-changed signature. */
    ck_assert_int_eq(valid(URL1, p, "RSOYDt4T1cUTdK1PDd93/VVr8B8"), 0);
    ck_assert_int_eq(valid(URL1, p, SIG1 "="), 0);
    ck_assert_int_eq(valid(URL1, p, SIG1 " "), 0);
    ck_assert_int_eq(valid(URL1, p, "rsoydt4t1cutdk1pdd93/vvr8b8="), 0);
    /* Signed for http while served on https (proxy misconfiguration). */
    ck_assert_int_eq(valid("http://mycompany.com/myapp.php?foo=1&bar=2", p,
                           SIG1), 0);
    /* Wrong, empty or missing token; missing URL. */
    ck_assert_int_eq(sc_twilio_sig_valid(sc_test_pool, "12346", URL1, p,
                                         SIG1), 0);
    ck_assert_int_eq(sc_twilio_sig_valid(sc_test_pool, "", URL1, p, SIG1), 0);
    ck_assert_int_eq(sc_twilio_sig_valid(sc_test_pool, NULL, URL1, p, SIG1),
                     0);
    ck_assert_int_eq(sc_twilio_sig_valid(sc_test_pool, TOKEN, NULL, p, SIG1),
                     0);
    ck_assert_ptr_null(sc_twilio_sig_compute(sc_test_pool, "", URL1, p));
    ck_assert_ptr_null(sc_twilio_sig_compute(sc_test_pool, NULL, URL1, p));
}
END_TEST

/* #7: node's URL parser turned ' into %27; the raw form is another URL.
 * We do not re-encode query strings, so neither validates the other. */
START_TEST(vector7_raw_form)
{
    apr_array_header_t *p = params_p("1234");
    const char *raw = URL1 "&Body=It's+amazing";

    ck_assert_str_eq(sc_twilio_sig_compute(sc_test_pool, TOKEN, raw, p),
                     "dsq4Ehbj6cs+KdTkpF5sSSplOWw=");
    ck_assert_int_eq(valid(raw, p, SIG7), 0);
    ck_assert_int_eq(valid(URL7, p, "dsq4Ehbj6cs+KdTkpF5sSSplOWw="), 0);
}
END_TEST

START_TEST(base_sort_dedupe)
{
    static const char *const kv[] = {
        "b", "2", "a", "2", "a", "1", "a", "1", "B", "0", "a", "", "\xC3\xA9",
        "x", NULL
    };
    apr_array_header_t *a = pairs_of(kv);

    /* Byte-wise order: "B" < "a" < "b" < 0xC3; "" < "1" < "2". */
    ck_assert_str_eq(sc_twilio_sig_base(sc_test_pool, "U", a),
                     "UB0aa1a2b2\xC3\xA9x");
    /* The caller's array keeps its order. */
    ck_assert_str_eq(APR_ARRAY_IDX(a, 0, sc_pair_t).name, "b");
    ck_assert_str_eq(APR_ARRAY_IDX(a, 2, sc_pair_t).value, "1");
    ck_assert_str_eq(sc_twilio_sig_base(sc_test_pool, "U", NULL), "U");
    ck_assert_str_eq(sc_twilio_sig_base(sc_test_pool, NULL, NULL), "");
}
END_TEST

/* external-apis.md 1.3, starting from the raw POST body. */
START_TEST(worked_example)
{
    static const char body[] =
        "AccountSid=AC00000000000000000000000000000001&Body=cd+2"
        "&From=%2B15551234567&MessageSid=SM00000000000000000000000000000001"
        "&NumMedia=0&To=%2B15557654321";
    static const char token[] = "test_auth_token_0123456789abcdef";
    apr_array_header_t *pairs = NULL;
    apr_pool_t *p = sc_test_pool;

    ck_assert_int_eq(sc_form_parse(p, body, sizeof(body) - 1, 100, &pairs),
                     APR_SUCCESS);
    ck_assert_str_eq(sc_twilio_sig_base(p, "https://sms.example.test/sms",
                                        pairs),
        "https://sms.example.test/smsAccountSidAC0000000000000000000000000000"
        "0001Bodycd 2From+15551234567MessageSidSM0000000000000000000000000000"
        "0001NumMedia0To+15557654321");
    ck_assert_str_eq(sc_twilio_sig_compute(p, token,
                                           "https://sms.example.test/sms",
                                           pairs),
                     "5in0KfR9MWgpZ61/3vAYEtoYaY8=");
    ck_assert_str_eq(sc_twilio_sig_compute(p, token,
                                           "https://sms.example.test:443/sms",
                                           pairs),
                     "QBbNXvXQATyVPNIBhSFZJ4QM5So=");
    ck_assert_str_eq(sc_twilio_sig_compute(p, token,
                                           "http://127.0.0.1:8080/sms",
                                           pairs),
                     "cHYduQlRRidxmNt6hzfb0gB34HQ=");
    ck_assert_str_eq(sc_twilio_sig_compute(p, token,
        "https://sms.example.test/hook?bodySHA256=ebc2c4ea03938ee05e18c1a712d"
        "9fa02de923d6f2db34b68fe1f8dcf651e479d", NULL),
                     "zxnfbKxotN9k4toEITDZUoqtcj0=");

    ck_assert_int_eq(sc_twilio_sig_valid(p, token,
                                         "https://sms.example.test/sms",
                                         pairs,
                                         "QBbNXvXQATyVPNIBhSFZJ4QM5So="), 1);
    ck_assert_int_eq(sc_twilio_sig_valid(p, token,
                                         "https://sms.example.test:443/sms",
                                         pairs,
                                         "5in0KfR9MWgpZ61/3vAYEtoYaY8="), 1);
    ck_assert_int_eq(sc_twilio_sig_valid(p, token,
                                         "http://127.0.0.1:8080/sms", pairs,
                                         "cHYduQlRRidxmNt6hzfb0gB34HQ="), 1);
    ck_assert_int_eq(sc_twilio_sig_valid(p, token, "http://127.0.0.1/sms",
                                         pairs,
                                         "cHYduQlRRidxmNt6hzfb0gB34HQ="), 0);
}
END_TEST

START_TEST(url_shapes)
{
    apr_array_header_t *p = params_p("1234");
    const char *v6 = sc_twilio_sig_compute(sc_test_pool, TOKEN,
                                           "https://[::1]:443/sms", p);
    const char *bare = sc_twilio_sig_compute(sc_test_pool, TOKEN,
                                             "https://h.test:443", p);

    /* IPv6 colons are not a port; the default port goes after ']'. */
    ck_assert_int_eq(valid("https://[::1]/sms", p, v6), 1);
    ck_assert_int_eq(valid("https://[::1]:8443/sms", p, v6), 0);
    /* No path at all. */
    ck_assert_int_eq(valid("https://h.test", p, bare), 1);
    /* Not an http(s) URL: only the exact string can match. */
    ck_assert_int_eq(valid("sms.example.test/sms", p,
                           sc_twilio_sig_compute(sc_test_pool, TOKEN,
                                                 "sms.example.test/sms", p)),
                     1);
    ck_assert_int_eq(valid("https://[::1/sms", p, v6), 0);
}
END_TEST

/* The URL a request was signed with: what the client sent, under the
 * configured public URL, never another host. */
START_TEST(request_urls)
{
    const char *pub = "https://sms.example.org";

    ck_assert_str_eq(sc_twilio_sig_request_url(sc_test_pool, pub, "/sms?a=1&b=%20"),
                     "https://sms.example.org/sms?a=1&b=%20");
    ck_assert_str_eq(sc_twilio_sig_request_url(sc_test_pool, pub, "//sms/./x"),
                     "https://sms.example.org//sms/./x");
    ck_assert_str_eq(sc_twilio_sig_request_url(sc_test_pool, pub, "/sms#frag"),
                     "https://sms.example.org/sms");
    ck_assert_str_eq(sc_twilio_sig_request_url(sc_test_pool, pub, "/sms?q=1#frag"),
                     "https://sms.example.org/sms?q=1");
    ck_assert_str_eq(sc_twilio_sig_request_url(sc_test_pool, pub, "/sms?"),
                     "https://sms.example.org/sms?");
    ck_assert_str_eq(sc_twilio_sig_request_url(sc_test_pool, pub,
                                               "http://evil.example/sms?x=1"),
                     "https://sms.example.org/sms?x=1");
    ck_assert_str_eq(sc_twilio_sig_request_url(sc_test_pool, pub, "http://evil.example"),
                     "https://sms.example.org/");
    ck_assert_str_eq(sc_twilio_sig_request_url(sc_test_pool, pub, "*"),
                     "https://sms.example.org*");
    ck_assert_str_eq(sc_twilio_sig_request_url(sc_test_pool, pub, NULL),
                     "https://sms.example.org/");
}
END_TEST

SC_UNIT_SUITE(sc_twilio_sig_suite)

Suite *sc_twilio_sig_suite(void)
{
    Suite *s = suite_create("twilio_sig");
    TCase *tc = sc_tcase("twilio_sig");

    tcase_add_loop_test(tc, published_vectors, 0,
                        sizeof(vectors) / sizeof(vectors[0]));
    tcase_add_test(tc, json_vectors_empty_pairs);
    tcase_add_test(tc, json_body_hashes);
    tcase_add_test(tc, acceptance_port_variants);
    tcase_add_test(tc, non_default_port_kept);
    tcase_add_test(tc, negative);
    tcase_add_test(tc, vector7_raw_form);
    tcase_add_test(tc, base_sort_dedupe);
    tcase_add_test(tc, worked_example);
    tcase_add_test(tc, url_shapes);
    tcase_add_test(tc, request_urls);
    suite_add_tcase(s, tc);
    return s;
}
