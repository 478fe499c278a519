/* sc_otp.h: the OTP API other applications call, in Twilio Verify v2's
 * wire format: services, request routes, API-key checks, the decision on
 * a checked code and the JSON answers. No httpd here.
 */
#ifndef SC_OTP_H
#define SC_OTP_H

#include <apr_pools.h>
#include <apr_errno.h>
#include <apr_tables.h>

/* Twilio Verify's defaults (https://twilio.com/docs/verify/api/rate-limits-and-timeouts). */
#define SC_OTP_DEFAULT_LENGTH   6
#define SC_OTP_DEFAULT_LIFETIME 600
#define SC_OTP_DEFAULT_CHECKS   5
#define SC_OTP_DEFAULT_SENDS    5
#define SC_OTP_DEFAULT_MESSAGE  "Your {service} verification code is: {code}"

/** A friendly name goes into every SMS: short, printable. */
#define SC_OTP_NAME_MAX 30

/** One Verify service, as SmsCloudVerifyService configures it. */
typedef struct {
    const char *sid;           /* "VA" + 32 hex */
    const char *name;          /* friendly name, {service} in the message */
    int code_length;           /* 4..10 digits */
    int lifetime;              /* seconds a code lives: 60..86400 */
    int checks;                /* checks per verification: 1..20 */
    int sends;                 /* sends per verification: 1..20 */
    const char *message;       /* SMS text: {service}, {code}, {minutes} */
} sc_otp_service_t;

/**
 * Parse the arguments of SmsCloudVerifyService: SID, friendly name, then
 * any of length=N lifetime=SECONDS attempts=N sends=N message=TEXT.
 * @param err  out: why not, for the config error
 * @return APR_SUCCESS, or APR_EINVAL (with *err)
 */
apr_status_t sc_otp_service_parse(apr_pool_t *p, int argc, char *const argv[],
                                  sc_otp_service_t **svc, const char **err);

/** A new resource id: prefix and 32 hex digits from the CSPRNG. */
apr_status_t sc_otp_new_sid(apr_pool_t *p, const char *prefix, const char **sid);

/** 1 when a friendly name is 1..SC_OTP_NAME_MAX printable ASCII characters
 *  (it becomes part of an SMS). */
int sc_otp_name_ok(const char *name);

/** The SMS text of a code (template NULL: the service's). */
const char *sc_otp_message(apr_pool_t *p, const sc_otp_service_t *svc,
                           const char *template, const char *name,
                           const char *code);

/* ---- routes of /v2/Services/{ServiceSid}/... ---- */

typedef enum {
    SC_VERIFY_NOWHERE = 0,     /* not a Verify path: 404 */
    SC_VERIFY_LIST,            /* .../Verifications: POST creates */
    SC_VERIFY_ONE,             /* .../Verifications/{Sid}: GET fetches, POST updates */
    SC_VERIFY_CHECK            /* .../VerificationCheck: POST checks */
} sc_verify_route_e;

typedef struct {
    sc_verify_route_e kind;
    const char *service_sid;
    const char *verification_sid;   /* SC_VERIFY_ONE only */
} sc_verify_route_t;

/** Where a request path goes: the part from the last "/v2/Services/" on
 *  (so the API can sit under any Location). Ids are not checked here. */
void sc_verify_route(apr_pool_t *p, const char *path, sc_verify_route_t *route);

/* ---- API keys ---- */

/** SHA-256 of an API secret as 64 lowercase hex digits (what api_keys
 *  stores; the same as PostgreSQL's encode(sha256(...), 'hex')). */
const char *sc_otp_secret_hash(apr_pool_t *p, const char *secret);

/**
 * Whether a secret matches a stored hash. stored NULL (no such key, or
 * revoked) is compared against a hash nobody has, so that an unknown key
 * and a wrong secret take the same time and give the same answer.
 */
int sc_otp_key_ok(apr_pool_t *p, const char *secret, const char *stored);

/* ---- checking a code ---- */

typedef enum {
    SC_OTP_UNKNOWN = 0,        /* no pending verification */
    SC_OTP_EXPIRED,
    SC_OTP_NO_CHECKS,          /* attempts used up */
    SC_OTP_RIGHT,
    SC_OTP_WRONG,              /* attempts remain */
    SC_OTP_WRONG_LAST          /* that was the last attempt */
} sc_otp_check_e;

/** The outcome of a check of a (locked) verification. */
sc_otp_check_e sc_otp_check_decide(int found, int expired, int checks_left,
                                   int matches);

/** Why a web login code can no longer be checked, for the log ("code
 *  expired"); NULL while it can. The same rule as sc_otp_check_decide()'s,
 *  plus use: a web code is good once. /verify shows no form for a dead
 *  code. */
const char *sc_otp_code_dead(int found, int used, int expired, int attempts_left);

/* ---- answers ---- */

/** A verification as the answer shows it. */
typedef struct {
    const char *sid;
    const char *service_sid;
    const char *account_sid;   /* the API key id */
    const char *to;
    const char *channel;
    const char *status;        /* pending, approved, canceled */
    const char *created;       /* ISO 8601, UTC */
    const char *updated;
    const char *sent_at;       /* ISO 8601 times of each send, comma-separated */
    const char *url;           /* NULL: none (a check's answer) */
} sc_verification_t;

/** The JSON of a verification (check = 1: a VerificationCheck's, which
 *  has no lookup, send attempts or url). */
const char *sc_verify_json(apr_pool_t *p, const sc_verification_t *v, int check);

/** Twilio's error body: {"code", "message", "more_info", "status"}. */
const char *sc_verify_error_json(apr_pool_t *p, int http_status, int code,
                                 const char *message);

#endif /* SC_OTP_H */
