/*
 * One-time login codes and the failures of wrong ones, in the database
 * (mod_smscloud_dbd_login.c): a code only as its keyed hash, under the
 * keyed hash of the login attempt that asked for it.
 */
#ifndef MOD_SMSCLOUD_DBD_LOGIN_H
#define MOD_SMSCLOUD_DBD_LOGIN_H

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

/** A wrong entry: one attempt fewer for the code, one more failure for
 *  the phone from the client's origin (smscloud_client_bucket(); see
 *  sc_backoff.h). */
apr_status_t smscloud_db_code_wrong(request_rec *r, ap_dbd_t *db,
                                    const smscloud_code_t *code,
                                    const char *attempt_hash, const char *origin);

/** The right entry: the code is used up, and the phone's failures from
 *  every origin are forgotten. */
apr_status_t smscloud_db_code_use(request_rec *r, ap_dbd_t *db,
                                  const smscloud_code_t *code,
                                  const char *attempt_hash);

/**
 * Seconds the client at origin (smscloud_client_bucket()) must still wait
 * before a code for phone is checked or sent (0: none), from the phone's
 * recent wrong codes weighed by origin (sc_backoff.h). Operators end a
 * wait with `DELETE FROM login_failures WHERE phone = '+E.164'`.
 */
apr_status_t smscloud_db_backoff_left(request_rec *r, ap_dbd_t *db, const char *phone,
                                      const char *origin, int *seconds);

#endif
