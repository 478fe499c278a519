/* sc_twostep.h: the decisions of the two-step login (SmsCloudAuthProvider)
 * that need no httpd: what the authn providers' answers add up to, which
 * usernames are taken at all, the token that lets a user without a phone
 * enrol one, and how long a refused password keeps its answer back.
 */
#ifndef SC_TWOSTEP_H
#define SC_TWOSTEP_H

#include <apr_pools.h>
#include <apr_time.h>
#include <apr_errno.h>

/** Longest username taken (the schema's limit too). */
#define SC_TWOSTEP_USER_MAX 256

/** A refused password is answered no sooner than this after the request
 *  began, so that an unknown user (no hash to check) and a known one with
 *  a wrong password take the same time with any provider that answers
 *  within it. */
#define SC_TWOSTEP_REFUSAL_FLOOR apr_time_from_msec(400)

/** One authn provider's answer (httpd's authn_status, mapped by the glue). */
typedef enum {
    SC_AUTHN_GRANTED = 0,
    SC_AUTHN_DENIED,
    SC_AUTHN_USER_NOT_FOUND,
    SC_AUTHN_ERROR
} sc_authn_e;

/** What the first factor comes to. */
typedef enum {
    SC_FIRST_PENDING = 0,      /* ask the next provider */
    SC_FIRST_GRANTED,
    SC_FIRST_REFUSED,          /* wrong password, or no provider knows the user */
    SC_FIRST_ERROR             /* a provider could not tell (its store is down) */
} sc_first_e;

/**
 * Fold one provider's answer into the outcome, as mod_auth_form and
 * mod_auth_basic do: providers are asked in order until one knows the
 * user; its answer is final. Call with each answer while the result is
 * SC_FIRST_PENDING, then sc_twostep_final() on the last result.
 */
sc_first_e sc_twostep_fold(sc_authn_e answer);

/** The outcome once every provider was asked: PENDING (nobody knew the
 *  user) is a refusal. */
sc_first_e sc_twostep_final(sc_first_e outcome);

/**
 * Whether a typed username is worth asking a provider about: 1 to
 * SC_TWOSTEP_USER_MAX bytes of valid UTF-8 (the database takes nothing
 * else) without control characters (they would forge log lines) or ':'
 * (htpasswd's separator: no such user exists); sc_text_is_clean() as one
 * line.
 */
int sc_twostep_username_ok(const char *user);

/**
 * The enrolment token handed to a user whose password was right but who
 * has no phone: "EXPIRES.MAC", where MAC is HMAC-SHA256(key, "enrol:" +
 * EXPIRES + ":" + binding + ":" + user) in hex and EXPIRES the second it
 * dies. binding ties it to one browser (its pre-session cookie).
 * @return the token, or NULL when an argument is NULL or HMAC fails
 */
const char *sc_twostep_enrol_token(apr_pool_t *p, const char *key,
                                   const char *binding, const char *user,
                                   apr_time_t expires);

/**
 * Whether token is one sc_twostep_enrol_token() made for this key,
 * binding and user that has not expired at now (constant-time compare).
 */
int sc_twostep_enrol_token_ok(apr_pool_t *p, const char *key, const char *binding,
                              const char *user, const char *token, apr_time_t now);

/**
 * How long a refused first factor must still wait before it is answered,
 * given when the request began: 0 once SC_TWOSTEP_REFUSAL_FLOOR has passed.
 */
apr_interval_time_t sc_twostep_refusal_wait(apr_time_t began, apr_time_t now);

/**
 * Whether what was typed on the password form is worth a provider's look:
 * a username sc_twostep_username_ok() takes and a password that is not
 * empty. Anything else is refused like a wrong password.
 */
int sc_twostep_form_ok(const char *user, const char *password);

/**
 * A user's phone from SmsCloudUserPhoneQuery's answer (NULL or "": none).
 * @param phone  out on APR_SUCCESS: the number in E.164
 * @return APR_SUCCESS; APR_ENOENT when the query gave none (the phone the
 *         user enrolled here counts then); APR_EINVAL for a value that is
 *         no phone number (the administrator's query is wrong)
 */
apr_status_t sc_twostep_listed_phone(apr_pool_t *p, const char *value, const char **phone);

/* ---- the order of the steps ---- */

/** How something the glue did for a login came out. */
typedef enum {
    SC_TWOSTEP_NOT_YET = 0,    /* not done yet */
    SC_TWOSTEP_DONE,
    SC_TWOSTEP_LIMITED,        /* the try limits: one is reached */
    SC_TWOSTEP_FAILED          /* could not tell (the database is down; logged) */
} sc_twostep_done_e;

/** What comes next, or how the POST is answered. */
typedef enum {
    SC_STEP_COUNT_TRIES = 0,   /* count the try limits (before any password is
                                * looked at, so a refusal costs the same whether
                                * the user exists or not): set `limits` */
    SC_STEP_ASK_PROVIDER,      /* ask authn provider number `asked` (then
                                * asked + 1) and fold its answer into `first` */
    SC_STEP_FIND_PHONE,        /* look up the user's phone: set `lookup`, `phone` */
    SC_STEP_SEND_CODE,         /* answer: text a code to the phone */
    SC_STEP_ASK_ENROL,         /* answer: the enrolment form (right password, no phone) */
    SC_STEP_REFUSE,            /* answer: wrong username or password, no sooner
                                * than the refusal floor */
    SC_STEP_LIMITED,           /* answer: too many tries, 429 */
    SC_STEP_PROVIDER_FAILED,   /* answer: 503, an authn provider could not check */
    SC_STEP_UNAVAILABLE,       /* answer: 503 */
    SC_STEP_LOG_IN_AGAIN,      /* answer: enrolment refused, its token missing,
                                * wrong or expired: the password form again */
    SC_STEP_HAS_PHONE,         /* answer: enrolment refused, the user has a phone */
    SC_STEP_BAD_NUMBER         /* answer: the enrolment form again, the typed
                                * number is none */
} sc_twostep_step_e;

/** The password form, as far as it has come. */
typedef struct {
    const char *user;            /* as posted */
    const char *password;
    sc_twostep_done_e limits;    /* the try limits counted */
    int providers;               /* SmsCloudAuthProvider's count */
    int asked;                   /* how many of them were asked */
    sc_first_e first;            /* their answers folded (sc_twostep_fold()) */
    sc_twostep_done_e lookup;    /* the user's phone looked up */
    const char *phone;           /* ... and found (E.164), or NULL */
} sc_twostep_password_t;

/**
 * The next step of the password form. A form sc_twostep_form_ok() refuses
 * is refused at once; then the limits; then the providers in order until
 * one knows the user (the first factor is done once `first` is no longer
 * SC_FIRST_PENDING, or every provider was asked: sc_twostep_final()); only
 * a right password looks up the phone, and nothing is texted before.
 */
sc_twostep_step_e sc_twostep_password_next(const sc_twostep_password_t *login);

/** The enrolment form of a user without a phone, as far as it has come. */
typedef struct {
    const char *user;            /* as posted */
    const char *token;           /* the enrolment token posted */
    const char *typed;           /* the phone number typed */
    const char *binding;         /* the browser's pre-session cookie, or NULL */
    sc_twostep_done_e lookup;    /* the user's phone looked up */
    const char *known;           /* ... the phone the user has already, or NULL */
} sc_twostep_enrol_t;

/**
 * The next step of the enrolment form: the token must prove a right
 * password of this user in this browser a moment ago (at now, with key),
 * the typed number must be one, and the user must still have no phone;
 * then a code is texted to it (*phone, E.164), which makes it the user's
 * once entered.
 */
sc_twostep_step_e sc_twostep_enrol_next(apr_pool_t *p, const char *key, apr_time_t now,
                                        const sc_twostep_enrol_t *enrol,
                                        const char **phone);

#endif /* SC_TWOSTEP_H */
