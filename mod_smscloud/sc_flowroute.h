/* sc_flowroute.h: the flowroute sms-verification wire format (JSON POST to
 * send a code, GET with auth_id and code to check it), its requests and
 * answers; the decisions are sc_otp's.
 */
#ifndef SC_FLOWROUTE_H
#define SC_FLOWROUTE_H

#include <apr_pools.h>
#include <apr_errno.h>

#include "sc_otp.h"

#define SC_FLOWROUTE_CONTENT_TYPE "application/json"
#define SC_FLOWROUTE_AUTH_ID_MAX 120
#define SC_FLOWROUTE_USAGE_CREATE "Required arguments: 'auth_id' (str), 'recipient' (str)"
#define SC_FLOWROUTE_USAGE_CHECK  "Required arguments: 'auth_id' (str), 'code' (int)"

/**
 * A send request: a JSON object with auth_id (1 to
 * SC_FLOWROUTE_AUTH_ID_MAX bytes of valid UTF-8 without control
 * characters: sc_text_is_clean() as one line) and recipient: 8 to 15 digits in international form without
 * the '+' (flowroute's "1XXXXXXXXXX"), a '+' number, or, with a
 * country_code field (the Authy shape), a national number.
 * @param auth_id, phone  out: the id and the recipient in E.164
 * @param error           out on APR_EINVAL: the 400 answer, naming each
 *                        bad field under "errors"
 */
apr_status_t sc_flowroute_parse_create(apr_pool_t *p, const char *body, apr_size_t len,
                                       const char **auth_id, const char **phone,
                                       const char **error);

/**
 * A check request's query string: auth_id (as for a send request) and
 * code (1 to 10 digits).
 * @param error  out on APR_EINVAL: the 400 answer
 */
apr_status_t sc_flowroute_parse_check(apr_pool_t *p, const char *query,
                                      const char **auth_id, const char **code,
                                      const char **error);

/** 200 {"message": "Success: Verification code created.", "auth_id"}. */
const char *sc_flowroute_created(apr_pool_t *p, const char *auth_id);

/**
 * The answer to a check, from sc_otp_check_decide()'s result and the
 * attempts the verification had before this one (used-up attempts are an
 * unknown auth id: the last wrong one ended it).
 * @param status  out: 200 or 400
 */
const char *sc_flowroute_check_answer(apr_pool_t *p, sc_otp_check_e result,
                                      int checks_left, const char *auth_id, int *status);

typedef enum {
    SC_FLOWROUTE_INTERNAL = 0,     /* 500: the database, the SMS transport or the set-up */
    SC_FLOWROUTE_RATE_LIMITED,     /* 429 */
    SC_FLOWROUTE_UNAUTHORIZED,     /* 401 */
    SC_FLOWROUTE_NOT_ALLOWED       /* 405 */
} sc_flowroute_fault_e;

/** An error answer: {"message", "reason"} (a 429 with Retry-After). */
void sc_flowroute_fault(apr_pool_t *p, sc_flowroute_fault_e fault, sc_otp_reply_t *reply);

/** The answer to a body that could not be read (status: the reader's). */
void sc_flowroute_unreadable(apr_pool_t *p, int status, sc_otp_reply_t *reply);

#endif /* SC_FLOWROUTE_H */
