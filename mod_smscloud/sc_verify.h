/* sc_verify.h: the OTP API in Twilio Verify v2's wire format: request
 * routes and methods, the checks of each request's parameters, and every
 * answer (a verification's JSON or a Twilio error). The rules behind them
 * (codes, sends, checks) are sc_otp's; the glue reads the request, runs
 * the SQL and writes what these functions give it. No httpd here.
 */
#ifndef SC_VERIFY_H
#define SC_VERIFY_H

#include <apr_pools.h>
#include <apr_errno.h>
#include <apr_tables.h>

#include "sc_otp.h"

#define SC_VERIFY_CONTENT_TYPE "application/json; charset=utf-8"

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

/** The methods a route answers, as sc_verify_action() reports them. */
#define SC_VERIFY_ALLOW_GET  1
#define SC_VERIFY_ALLOW_POST 2

typedef enum {
    SC_VERIFY_DO_NOTHING = 0,  /* the method is not allowed here: *allow says which are */
    SC_VERIFY_DO_CREATE,       /* POST .../Verifications */
    SC_VERIFY_DO_CHECK,        /* POST .../VerificationCheck */
    SC_VERIFY_DO_FETCH,        /* GET .../Verifications/{Sid} */
    SC_VERIFY_DO_UPDATE        /* POST .../Verifications/{Sid} */
} sc_verify_action_e;

/** What a request of a route does, by its method (get and post: 1 when
 *  the request is one). Every action but FETCH reads a form first. */
sc_verify_action_e sc_verify_action(sc_verify_route_e kind, int get, int post, int *allow);

/* ---- answers ---- */

typedef enum {
    SC_VERIFY_UNAVAILABLE = 0, /* 503 20503: the database or the SMS transport failed */
    SC_VERIFY_UNAUTHORIZED,    /* 401 20003 */
    SC_VERIFY_NOT_FOUND,       /* 404 20404, the detail is the request path */
    SC_VERIFY_BAD_PARAM,       /* 400 60200, the detail names the parameter */
    SC_VERIFY_TO_OR_SID,       /* 400 60200: a check names neither To nor VerificationSid */
    SC_VERIFY_TOO_MANY,        /* 429 20429: a rate limit */
    SC_VERIFY_MAX_SENDS,       /* 429 60203 */
    SC_VERIFY_MAX_CHECKS,      /* 429 60202 */
    SC_VERIFY_NOT_ALLOWED      /* 405 20004 */
} sc_verify_fault_e;

/** A Twilio error answer (429s with Retry-After). */
void sc_verify_fault(apr_pool_t *p, sc_verify_fault_e fault, const char *detail,
                     sc_otp_reply_t *reply);

/** The answer to a body that could not be read as a form (status: the
 *  reader's, 400 or 413). */
void sc_verify_unreadable(apr_pool_t *p, int status, sc_otp_reply_t *reply);

/* ---- requests ---- */

/** A POST .../Verifications, checked. */
typedef struct {
    const char *phone;         /* To, in E.164 */
    const char *name;          /* CustomFriendlyName, or NULL */
} sc_verify_create_t;

/**
 * Check a create's form: To a phone number, Channel sms, an optional
 * printable CustomFriendlyName, and no CustomCode (codes come from our
 * CSPRNG only).
 * @param reply  out on APR_EINVAL: the 400 naming the first bad parameter
 */
apr_status_t sc_verify_parse_create(apr_pool_t *p, const apr_array_header_t *form,
                                    sc_verify_create_t *req, sc_otp_reply_t *reply);

/** A POST .../VerificationCheck, checked. */
typedef struct {
    const char *code;
    const char *phone;         /* To in E.164, or NULL */
    const char *sid;           /* VerificationSid, or NULL */
} sc_verify_check_t;

/**
 * Check a check's form: a Code, and To or VerificationSid (either or both).
 * A VerificationSid not of our format is no verification of ours: 404.
 * @param path   the request path, for the 404's message
 * @param reply  out on APR_EINVAL: the answer
 */
apr_status_t sc_verify_parse_check(apr_pool_t *p, const apr_array_header_t *form,
                                   const char *path, sc_verify_check_t *req,
                                   sc_otp_reply_t *reply);

/**
 * Check a fetch or an update (its form) of .../Verifications/{Sid}: the
 * sid must be of our format (else 404), an update's Status canceled or
 * approved (else 400).
 * @param status  out: the Status asked for, NULL for a fetch
 */
apr_status_t sc_verify_parse_one(apr_pool_t *p, const char *sid, int update,
                                 const apr_array_header_t *form, const char *path,
                                 const char **status, sc_otp_reply_t *reply);

/**
 * What a fetch or an update (status not NULL) does to the locked
 * verification: *drop when its row is to be deleted (an expired one
 * always, a live one when updated).
 * @return 1 when the answer is the verification, 0 when it is a 404
 */
int sc_verify_one_found(int found, int expired, const char *status, int *drop);

/* ---- verifications ---- */

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

/** The path of a verification's own resource, its answer's url: the
 *  request's own for one verification, request path + "/" + sid for the
 *  list; NULL for a check (its answer has none). */
const char *sc_verify_resource_path(apr_pool_t *p, sc_verify_route_e kind,
                                    const char *path, const char *sid);

/** A verification answered (201 for a new one, else 200). */
void sc_verify_answer(apr_pool_t *p, int status, const sc_verification_t *v,
                      sc_otp_reply_t *reply);

/**
 * The answer to a create once the send was tried: the new verification
 * (201, pending) when it went out, else the fault.
 * @param v  the verification stored (read only when sent is SC_OTP_SENT)
 */
void sc_verify_sent(apr_pool_t *p, sc_otp_sent_e sent, sc_verification_t *v,
                    sc_otp_reply_t *reply);

/**
 * The answer to a check: approved or pending (a wrong code) verification,
 * the 429 of used-up attempts, or the 404 of none.
 * @param v  the verification checked (its status is set here), NULL when none
 */
void sc_verify_checked(apr_pool_t *p, sc_otp_check_e result, sc_verification_t *v,
                       const char *path, sc_otp_reply_t *reply);

#endif /* SC_VERIFY_H */
