/*
 * One-time login codes: shared by /login (issues them) and /verify
 * (checks them). The database holds only HMAC(secret, "otp:" + attempt +
 * ":" + code), under HMAC(secret, "attempt:" + attempt), where the attempt
 * id lives in the browser's attempt cookie: a code is good only for the
 * login attempt that asked for it.
 */
#ifndef MOD_SMSCLOUD_LOGIN_H
#define MOD_SMSCLOUD_LOGIN_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

typedef struct {
    const char *phone;
    const char *code_hash;
    int used;
    int expired;
    int attempts_left;
} smscloud_code_t;

/** What a login form says to a number it cannot read. */
#define SC_LOGIN_BAD_NUMBER "Please enter your mobile number in international format: " \
                            "a + and the country code first, for example +44 7700 900123."

/**
 * Send a login code to phone, after its rate limits and back-off, and send
 * the browser on to /verify (or show the login page's error): /login's
 * second half, and the two-step login's once the password was right.
 * @param user   the username a password proved (two-step), or NULL
 * @param enrol  1: the phone becomes user's once the code is entered
 * @param typed  what the form showed again on an error (phone or username)
 * @param back   the gate's return address, or NULL
 */
int smscloud_login_start(request_rec *r, ap_dbd_t *db, const char *phone,
                         const char *user, int enrol, const char *typed, const char *back);

/** The stored hash of a code typed for a login attempt. */
const char *smscloud_code_hash(request_rec *r, const char *attempt, const char *code);

/** Make sure the phone has a row, kill its older codes and store the new
 *  one, in one transaction. */
apr_status_t smscloud_db_code_issue(request_rec *r, ap_dbd_t *db, const char *phone,
                                    const char *attempt_hash, const char *code_hash);

/** Forget a code that could not be sent. */
apr_status_t smscloud_db_code_discard(request_rec *r, ap_dbd_t *db,
                                      const char *attempt_hash);

/** Inside a transaction: lock the attempt's code row (and its phone's)
 *  until the transaction ends; *code = NULL when there is none. */
apr_status_t smscloud_db_code_lock(request_rec *r, ap_dbd_t *db,
                                   const char *attempt_hash, smscloud_code_t **code);

/** The same without a lock or a transaction: what the attempt's code
 *  is now (for the /verify page and a new code to the same phone). */
apr_status_t smscloud_db_code_find(request_rec *r, ap_dbd_t *db,
                                   const char *attempt_hash, smscloud_code_t **code);

/** The code this browser's attempt cookie names (*code NULL: none), and
 *  the attempt's hash when attempt_hash is not NULL (NULL: no cookie). */
apr_status_t smscloud_attempt_code(request_rec *r, ap_dbd_t *db, smscloud_code_t **code,
                                   const char **attempt_hash);

/** The state of a code for the log when it is dead ("code expired"), NULL
 *  while it can be checked (sc_otp_code_dead()). */
const char *smscloud_code_dead(const smscloud_code_t *code);

/** A wrong entry: one attempt fewer for the code, one more failure for
 *  the phone from this client's origin (see sc_backoff.h). */
apr_status_t smscloud_db_code_wrong(request_rec *r, ap_dbd_t *db,
                                    const smscloud_code_t *code,
                                    const char *attempt_hash);

/** The right entry: the code is used up, and the phone's failures from
 *  every origin are forgotten. */
apr_status_t smscloud_db_code_use(request_rec *r, ap_dbd_t *db,
                                  const smscloud_code_t *code,
                                  const char *attempt_hash);

/**
 * Seconds this client must still wait before a code for phone is checked
 * or sent (0: none), from the phone's recent wrong codes weighed by
 * origin (sc_backoff.h). Operators end a wait with
 * `DELETE FROM login_failures WHERE phone = '+E.164'`.
 */
apr_status_t smscloud_db_backoff_left(request_rec *r, ap_dbd_t *db,
                                      const char *phone, int *seconds);

#endif
