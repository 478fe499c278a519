/* sc_login.h: the rules of the web login's code check (/verify): what a
 * typed code is, what each outcome of a check answers, and where a login
 * goes once it is right. Codes and their lifetime are sc_otp's; no httpd
 * here.
 */
#ifndef SC_LOGIN_H
#define SC_LOGIN_H

#include <apr_pools.h>

#include "sc_backoff.h"
#include "sc_metrics.h"
#include "sc_twilio.h"

/** What /verify tells of a code that can no longer be checked. */
#define SC_LOGIN_DEAD_CODE "This code cannot be used any more. Please ask for a new code."

/** The outcome of one code typed on /verify. */
typedef enum {
    SC_LOGIN_RIGHT = 0,
    SC_LOGIN_WRONG,            /* costs an attempt */
    SC_LOGIN_DEAD,             /* used, expired, out of attempts, unknown, or its
                                * enrolment lost to another login */
    SC_LOGIN_WAIT              /* not checked: the client must wait after wrong codes */
} sc_login_check_e;

/** A login attempt's code as the database has it. */
typedef struct {
    const char *phone;
    const char *code_hash;     /* the keyed hash of attempt ":" code */
    int used;
    int expired;
    int attempts_left;
} sc_login_code_t;

/** Why a code can no longer be checked ("code expired"), for the log and
 *  the page; NULL while it can (sc_otp_code_dead()). */
const char *sc_login_code_dead(const sc_login_code_t *code);

/**
 * Decide a code typed on /verify. DEAD: the code can no longer be checked
 * (*why says why, for the log), whatever was typed. WAIT: the client must
 * still wait after wrong codes (*wait: seconds left); the check neither
 * counts nor uses up the code. WRONG: *wait is the wait this wrong code
 * imposes from now on. RIGHT.
 * @param code        NULL when the attempt has no code
 * @param failures    the phone's recent failures as the client's origin
 *                    sees them
 * @param typed_hash  the keyed hash of what was typed, compared with the
 *                    code's in constant time
 */
sc_login_check_e sc_login_check(const sc_backoff_t *policy, const sc_login_code_t *code,
                                const sc_backoff_counts_t *failures, const char *typed_hash,
                                int *wait, const char **why);

/** The code as typed without the spaces, dashes and tabs people put in
 *  ("123 456", "123-456"). */
const char *sc_login_code_clean(apr_pool_t *p, const char *typed);

/** A wait for the page: "N seconds", "N minutes" (rounded up) or "1 hour". */
const char *sc_login_wait_text(apr_pool_t *p, int seconds);

/** The page of a refused code. */
typedef struct {
    int status;                /* 400, or 429 for a wait */
    const char *error;         /* what the page says */
    int form;                  /* 1 when the code can still be checked: the form again */
    int left;                  /* a wrong code's attempts left */
} sc_login_refusal_t;

/**
 * What /verify answers to a code that was not right.
 * @param attempts_left  the code's attempts before this check (WRONG)
 * @param wait           seconds to wait (WAIT)
 */
void sc_login_refusal(apr_pool_t *p, sc_login_check_e result, int attempts_left, int wait,
                      sc_login_refusal_t *out);

/** How the metrics count a check: SC_METRIC_OTP_APPROVALS, _LOCKOUTS or
 *  _FAILURES. */
sc_metric_e sc_login_check_outcome(sc_login_check_e result);

/** Where a right code goes: back to the gate's page when there is one,
 *  else a two-step login (for an application) to "/", a phone to its
 *  accounts at "/connect". */
const char *sc_login_next(const char *back, int two_step);

/**
 * The login form's answer when its code could not be sent: 400 when the
 * recipient was refused (the number is the user's to fix), 429 when our
 * own SMS caps were reached, else 503.
 * @param rv, res  what the send gave
 * @param error    out: what the form says
 */
int sc_login_send_failure(apr_pool_t *p, apr_status_t rv, const sc_sms_result_t *res,
                          const char **error);

#endif /* SC_LOGIN_H */
