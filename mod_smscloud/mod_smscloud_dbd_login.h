/*
 * One-time login codes and the failures of wrong ones, in the database
 * (mod_smscloud_dbd_login.c): a code only as its keyed hash, under the
 * keyed hash of the login attempt that asked for it. Each step of a login
 * is one function of schema step 016.
 */
#ifndef MOD_SMSCLOUD_DBD_LOGIN_H
#define MOD_SMSCLOUD_DBD_LOGIN_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "mod_smscloud_dbd_twostep.h"

#include "sc_backoff.h"
#include "sc_login.h"

/** A new code and what its login attempt carries. */
typedef struct {
    const char *phone;
    const char *attempt_hash;
    const char *code_hash;
    const char *back;          /* the gate's return address, or NULL */
    const char *user;          /* the username a two-step login proved, or NULL */
    int enrol;                 /* its phone becomes the user's once the code is right */
    const char *origin;        /* smscloud_client_bucket() */
    const apr_array_header_t *hits;  /* the login's rate limits and its SMS's (sc_rate_list()) */
} smscloud_issue_t;

/** What a new code found. */
typedef struct {
    int refused;               /* smscloud_rate_hits' answer for the hits (dbd_rate.h):
                                * over a limit, nothing was stored */
    sc_backoff_counts_t failures;  /* the phone's, as the origin sees them */
} smscloud_issued_t;

/**
 * Make sure the phone has a row, kill its older codes, store the new one
 * with what its attempt carries, and count the hits last, in one round
 * trip (smscloud_code_issue); over a limit, the code is not stored but the
 * hits are counted.
 */
apr_status_t smscloud_db_code_issue(request_rec *r, ap_dbd_t *db, const smscloud_issue_t *in,
                                    smscloud_issued_t *out);

/** Forget a code that could not be sent. */
apr_status_t smscloud_db_code_discard(request_rec *r, ap_dbd_t *db,
                                      const char *attempt_hash);

/** What a login attempt's code check reads. */
typedef struct {
    sc_login_code_t *code;     /* NULL when the attempt has none */
    smscloud_attempt_t attempt;
    sc_backoff_counts_t failures;  /* the code's phone's, as the origin sees them */
} smscloud_check_t;

/**
 * Inside a transaction: lock the attempt's code row (and its phone's)
 * until the transaction ends, and read what the check decides by; origin
 * is smscloud_client_bucket() (see sc_backoff.h). Operators end a wait
 * with `DELETE FROM login_failures WHERE phone = '+E.164'`.
 */
apr_status_t smscloud_db_code_check(request_rec *r, ap_dbd_t *db, const char *attempt_hash,
                                    const char *origin, smscloud_check_t *c);

/** The code without a lock or a transaction: what the attempt's code is
 *  now (for the /verify page and a new code to the same phone). */
apr_status_t smscloud_db_code_find(request_rec *r, ap_dbd_t *db,
                                   const char *attempt_hash, sc_login_code_t **code);

/** A wrong entry, in the check's transaction: one attempt fewer for the
 *  code, one more failure for its phone from origin, and the wait it
 *  imposes (seconds; sc_login_check() decided it) for the operator to see. */
apr_status_t smscloud_db_code_wrong(request_rec *r, ap_dbd_t *db, const char *attempt_hash,
                                    const char *origin, int wait);

/** What the right entry did. */
typedef struct {
    int logged_in;             /* 0: its enrolment lost to another login's */
    int enrolled;              /* 1: it made its phone the two-step user's */
} smscloud_right_t;

/**
 * The right entry, in the check's transaction: the code is used up and
 * its phone's failures from every origin are forgotten; a two-step
 * enrolment makes the phone the user's; then the phone is verified and
 * gets the session whose id has the keyed hash session_hash, with the
 * attempt's username.
 */
apr_status_t smscloud_db_code_right(request_rec *r, ap_dbd_t *db, const char *attempt_hash,
                                    const char *session_hash, const char *csrf,
                                    smscloud_right_t *out);

#endif
