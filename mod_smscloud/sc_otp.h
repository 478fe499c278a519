/* sc_otp.h: what the wire formats of the OTP API other applications call
 * (sc_verify, sc_flowroute) share: services, resource ids,
 * API-key checks, the decisions on a send and on a checked code, and the
 * shape of an answer. No httpd here.
 */
#ifndef SC_OTP_H
#define SC_OTP_H

#include <apr_pools.h>
#include <apr_errno.h>
#include <apr_tables.h>

#include "sc_metrics.h"

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

/**
 * What a check does to the verification it checked: a right or expired
 * code ends it, a wrong one costs an attempt, and the last wrong one ends
 * it too when last_kills (flowroute's rule; Verify's keeps it to answer
 * "max check attempts" next).
 */
typedef enum {
    SC_OTP_KEEP = 0,           /* nothing to write */
    SC_OTP_COUNT_WRONG,        /* one attempt fewer */
    SC_OTP_DROP                /* delete it */
} sc_otp_effect_e;

sc_otp_effect_e sc_otp_check_effect(sc_otp_check_e result, int last_kills);

/** The metrics outcome of a committed check (limited: the phone's check
 *  limit refused it), one of SC_METRIC_OTP_APPROVALS, _FAILURES, _LOCKOUTS. */
sc_metric_e sc_otp_check_outcome(int limited, sc_otp_check_e result);

/* ---- sending a code ---- */

/** What a send finds for (key, service, lookup) and so does. */
typedef enum {
    SC_OTP_SEND_NEW = 0,       /* a new verification (*drop: the old one goes first) */
    SC_OTP_SEND_AGAIN,         /* a new code for the pending one */
    SC_OTP_SEND_NONE           /* its sends are used up */
} sc_otp_send_e;

/**
 * Decide a send from the pending verification found (if any): an expired
 * one, or any when replace (flowroute: a second POST starts over), is
 * dropped; a live one is sent again while it has sends left.
 */
sc_otp_send_e sc_otp_send_decide(int found, int expired, int replace, int sends,
                                 int max_sends, int *drop);

/** How a send ended. */
typedef enum {
    SC_OTP_SENT = 0,
    SC_OTP_MAX_SENDS,          /* the service's sends per verification used up */
    SC_OTP_REFUSED,            /* the recipient was refused (a bad number) */
    SC_OTP_NOT_SENT            /* the SMS transport failed */
} sc_otp_sent_e;

/* ---- answers, in either wire format ---- */

/** An answer for the glue to write as it is. */
typedef struct {
    int status;                /* HTTP status */
    const char *content_type;
    const char *body;
    int retry_after;           /* seconds for Retry-After, 0: none */
} sc_otp_reply_t;

/** Fill in a reply (a 429 gets Retry-After: 60). */
void sc_otp_reply(sc_otp_reply_t *reply, int status, const char *content_type,
                  const char *body);

#endif /* SC_OTP_H */
