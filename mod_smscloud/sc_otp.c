/* sc_otp.c: the OTP API's rules, whichever wire format asks. */
#include <stddef.h>
#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "sc_otp.h"
#include "sc_hmac.h"
#include "sc_template.h"
#include "sc_twilio.h"

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

sc_otp_effect_e sc_otp_check_effect(sc_otp_check_e result, int last_kills)
{
    switch (result) {
    case SC_OTP_RIGHT:
    case SC_OTP_EXPIRED:
        return SC_OTP_DROP;
    case SC_OTP_WRONG_LAST:
        return last_kills ? SC_OTP_DROP : SC_OTP_COUNT_WRONG;
    case SC_OTP_WRONG:
        return SC_OTP_COUNT_WRONG;
    default:
        return SC_OTP_KEEP;
    }
}

sc_metric_e sc_otp_check_outcome(int limited, sc_otp_check_e result)
{
    if (limited || result == SC_OTP_NO_CHECKS) {
        return SC_METRIC_OTP_LOCKOUTS;
    }
    return result == SC_OTP_RIGHT ? SC_METRIC_OTP_APPROVALS : SC_METRIC_OTP_FAILURES;
}

/* ------------------------------------------------------------------ */
/* sends                                                               */

sc_otp_send_e sc_otp_send_decide(int found, int expired, int replace, int sends,
                                 int max_sends, int *drop)
{
    *drop = found && (expired || replace);
    if (!found || *drop) {
        return SC_OTP_SEND_NEW;
    }
    return sends >= max_sends ? SC_OTP_SEND_NONE : SC_OTP_SEND_AGAIN;
}

/* ------------------------------------------------------------------ */
/* answers                                                             */

void sc_otp_reply(sc_otp_reply_t *reply, int status, const char *content_type,
                  const char *body)
{
    reply->status = status;
    reply->content_type = content_type;
    reply->body = body;
    reply->retry_after = status == 429 ? 60 : 0;
}
