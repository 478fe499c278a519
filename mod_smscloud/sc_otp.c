/* sc_otp.c: the OTP API's decisions and answers (Twilio Verify v2 format). */
#include <stddef.h>
#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "sc_json.h"
#include "sc_otp.h"
#include "sc_hmac.h"
#include "sc_template.h"
#include "sc_twilio.h"

#define ROUTE_PREFIX "/v2/Services/"

static const char *hex_of(apr_pool_t *p, const unsigned char *b, apr_size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *out = apr_palloc(p, 2 * n + 1);
    apr_size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 0xf];
    }
    out[2 * n] = '\0';
    return out;
}

/* ------------------------------------------------------------------ */
/* services                                                            */

static int parse_int_option(const char *value, int min, int max, int *out)
{
    char *end;
    apr_int64_t v = apr_strtoi64(value, &end, 10);

    if (!*value || *end || v < min || v > max) {
        return 0;
    }
    *out = (int)v;
    return 1;
}

static const char *service_option(apr_pool_t *p, sc_otp_service_t *svc, const char *arg)
{
    static const struct {
        const char *name;
        apr_size_t offset;
        int min, max;
    } ints[] = {
        { "length", offsetof(sc_otp_service_t, code_length), 4, 10 },
        { "lifetime", offsetof(sc_otp_service_t, lifetime), 60, 86400 },
        { "attempts", offsetof(sc_otp_service_t, checks), 1, 20 },
        { "sends", offsetof(sc_otp_service_t, sends), 1, 20 },
    };
    const char *eq = strchr(arg, '=');
    apr_size_t n = eq ? (apr_size_t)(eq - arg) : 0, i;

    if (!eq) {
        return apr_psprintf(p, "'%s' is not name=value", arg);
    }
    if (n == 7 && !strncmp(arg, "message", 7)) {
        if (!strstr(eq + 1, "{code}")) {
            return "message= must contain {code}";
        }
        svc->message = eq + 1;
        return NULL;
    }
    for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        if (strlen(ints[i].name) == n && !strncmp(arg, ints[i].name, n)) {
            if (!parse_int_option(eq + 1, ints[i].min, ints[i].max,
                                  (int *)((char *)svc + ints[i].offset))) {
                return apr_psprintf(p, "%s= must be a number from %d to %d", ints[i].name,
                                    ints[i].min, ints[i].max);
            }
            return NULL;
        }
    }
    return apr_psprintf(p, "unknown option '%.*s' (length, lifetime, attempts, sends, "
                        "message)", (int)n, arg);
}

apr_status_t sc_otp_service_parse(apr_pool_t *p, int argc, char *const argv[],
                                  sc_otp_service_t **svc, const char **err)
{
    sc_otp_service_t *s;
    int i;

    *err = NULL;
    if (argc < 2) {
        *err = "needs a service SID and a friendly name";
        return APR_EINVAL;
    }
    if (!sc_twilio_sid_ok(argv[0], "VA")) {
        *err = apr_psprintf(p, "'%s' is not a service SID (VA and 32 lowercase hex digits)",
                            argv[0]);
        return APR_EINVAL;
    }
    if (!sc_otp_name_ok(argv[1])) {
        *err = apr_psprintf(p, "the friendly name must be 1 to %d printable characters",
                            SC_OTP_NAME_MAX);
        return APR_EINVAL;
    }
    s = apr_pcalloc(p, sizeof(*s));
    s->sid = argv[0];
    s->name = argv[1];
    s->code_length = SC_OTP_DEFAULT_LENGTH;
    s->lifetime = SC_OTP_DEFAULT_LIFETIME;
    s->checks = SC_OTP_DEFAULT_CHECKS;
    s->sends = SC_OTP_DEFAULT_SENDS;
    s->message = SC_OTP_DEFAULT_MESSAGE;
    for (i = 2; i < argc; i++) {
        if ((*err = service_option(p, s, argv[i])) != NULL) {
            return APR_EINVAL;
        }
    }
    *svc = s;
    return APR_SUCCESS;
}

apr_status_t sc_otp_new_sid(apr_pool_t *p, const char *prefix, const char **sid)
{
    unsigned char b[SC_TWILIO_SID_HEX / 2];

    if (RAND_bytes(b, sizeof(b)) != 1) {
        return APR_EGENERAL;
    }
    *sid = apr_pstrcat(p, prefix, hex_of(p, b, sizeof(b)), NULL);
    return APR_SUCCESS;
}

int sc_otp_name_ok(const char *name)
{
    apr_size_t n = name ? strlen(name) : 0, i;

    if (n == 0 || n > SC_OTP_NAME_MAX) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] > 0x7e) {
            return 0;
        }
    }
    return 1;
}

const char *sc_otp_message(apr_pool_t *p, const sc_otp_service_t *svc,
                           const char *template, const char *name, const char *code)
{
    const char *names[] = { "service", "code", "minutes" };
    const char *values[] = { name ? name : svc->name, code,
                             apr_itoa(p, (svc->lifetime + 59) / 60) };

    return sc_braces_subst(p, template ? template : svc->message, 3, names, values);
}

/* ------------------------------------------------------------------ */
/* routes                                                              */

void sc_verify_route(apr_pool_t *p, const char *path, sc_verify_route_t *route)
{
    const char *at = NULL, *next, *rest, *slash;

    memset(route, 0, sizeof(*route));
    for (next = path; next && (next = strstr(next, ROUTE_PREFIX)); next++) {
        at = next;
    }
    if (!at) {
        return;
    }
    at += sizeof(ROUTE_PREFIX) - 1;
    if (!(slash = strchr(at, '/')) || slash == at) {
        return;
    }
    route->service_sid = apr_pstrmemdup(p, at, (apr_size_t)(slash - at));
    rest = slash + 1;
    if (!strcmp(rest, "VerificationCheck")) {
        route->kind = SC_VERIFY_CHECK;
    }
    else if (!strcmp(rest, "Verifications")) {
        route->kind = SC_VERIFY_LIST;
    }
    else if (!strncmp(rest, "Verifications/", 14) && rest[14] && !strchr(rest + 14, '/')) {
        route->kind = SC_VERIFY_ONE;
        route->verification_sid = apr_pstrdup(p, rest + 14);
    }
}

/* ------------------------------------------------------------------ */
/* keys                                                                */

const char *sc_otp_secret_hash(apr_pool_t *p, const char *secret)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;

    if (!secret || EVP_Digest(secret, strlen(secret), md, &n, EVP_sha256(), NULL) != 1) {
        return NULL;
    }
    return hex_of(p, md, n);
}

int sc_otp_key_ok(apr_pool_t *p, const char *secret, const char *stored)
{
    /* 64 hex digits no SHA-256 output is known to have */
    static const char nobody[] =
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    const char *h = sc_otp_secret_hash(p, secret ? secret : "");
    int same = sc_const_eq(h, stored ? stored : nobody);

    return same && stored && secret;
}

/* ------------------------------------------------------------------ */
/* checks                                                              */

sc_otp_check_e sc_otp_check_decide(int found, int expired, int checks_left, int matches)
{
    if (!found) {
        return SC_OTP_UNKNOWN;
    }
    if (expired) {
        return SC_OTP_EXPIRED;
    }
    if (checks_left <= 0) {
        return SC_OTP_NO_CHECKS;
    }
    if (matches) {
        return SC_OTP_RIGHT;
    }
    return checks_left == 1 ? SC_OTP_WRONG_LAST : SC_OTP_WRONG;
}

const char *sc_otp_code_dead(int found, int used, int expired, int attempts_left)
{
    if (found && used) {
        return "code already used";
    }
    switch (sc_otp_check_decide(found, expired, attempts_left, 0)) {
    case SC_OTP_UNKNOWN:
        return "unknown login attempt";
    case SC_OTP_EXPIRED:
        return "code expired";
    case SC_OTP_NO_CHECKS:
        return "no attempts left";
    default:
        return NULL;
    }
}

/* ------------------------------------------------------------------ */
/* answers                                                             */

static sc_json_t *send_attempts(apr_pool_t *p, const char *channel, const char *sent_at)
{
    sc_json_t *arr = sc_json_new_array(p);
    char *copy = apr_pstrdup(p, sent_at ? sent_at : ""), *last, *t;

    for (t = apr_strtok(copy, ",", &last); t; t = apr_strtok(NULL, ",", &last)) {
        sc_json_t *one = sc_json_new_object(p);

        sc_json_sets(one, "time", t);
        sc_json_sets(one, "channel", channel);
        sc_json_sets(one, "attempt_sid", NULL);
        sc_json_array_add(arr, one);
    }
    return arr;
}

const char *sc_verify_json(apr_pool_t *p, const sc_verification_t *v, int check)
{
    sc_json_t *j = sc_json_new_object(p);

    sc_json_sets(j, "sid", v->sid);
    sc_json_sets(j, "service_sid", v->service_sid);
    sc_json_sets(j, "account_sid", v->account_sid);
    sc_json_sets(j, "to", v->to);
    sc_json_sets(j, "channel", v->channel);
    sc_json_sets(j, "status", v->status);
    sc_json_setb(j, "valid", !strcmp(v->status, "approved"));
    sc_json_sets(j, "amount", NULL);
    sc_json_sets(j, "payee", NULL);
    sc_json_sets(j, "date_created", v->created);
    sc_json_sets(j, "date_updated", v->updated);
    if (!check) {
        sc_json_setj(j, "lookup", sc_json_new_object(p));
        sc_json_setj(j, "send_code_attempts", send_attempts(p, v->channel, v->sent_at));
        sc_json_sets(j, "url", v->url);
    }
    return sc_json_to_string(p, j);
}

const char *sc_verify_error_json(apr_pool_t *p, int http_status, int code,
                                 const char *message)
{
    sc_json_t *j = sc_json_new_object(p);

    sc_json_seti(j, "code", code);
    sc_json_sets(j, "message", message);
    sc_json_sets(j, "more_info",
                 apr_psprintf(p, "https://www.twilio.com/docs/errors/%d", code));
    sc_json_seti(j, "status", http_status);
    return sc_json_to_string(p, j);
}
