/*
 * The OTP API in the database (mod_smscloud_dbd_otp.c): applications' API
 * keys and pending verifications.
 */
#ifndef MOD_SMSCLOUD_DBD_OTP_H
#define MOD_SMSCLOUD_DBD_OTP_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

/** An application's credentials and limits (a row of api_keys). */
typedef struct {
    const char *id;
    const char *secret_hash;
    int send_limit;
    int check_limit;
    int window;
    const char *message;       /* NULL: the service's */
} smscloud_api_key_t;

/** A pending verification (a row of otp_verifications). */
typedef struct {
    const char *sid;
    const char *phone;
    const char *channel;
    const char *created;       /* ISO 8601 UTC */
    const char *updated;
    const char *sent_at;       /* comma-separated ISO 8601 times */
    const char *code_hash;
    int checks_left;
    int sends;
    int expired;
} smscloud_otp_row_t;

/** The live (unrevoked) key key_id, or *key = NULL. */
apr_status_t smscloud_db_api_key(request_rec *r, ap_dbd_t *db, const char *key_id,
                                 smscloud_api_key_t **key);

/** Inside a transaction: lock the verification of (key, service, lookup),
 *  or the one with this sid when sid is not NULL; *v = NULL when none. */
apr_status_t smscloud_db_otp_lock(request_rec *r, ap_dbd_t *db, const char *key_id,
                                  const char *service, const char *lookup,
                                  const char *sid, smscloud_otp_row_t **v);

/** Store a new verification (long-dead ones of any key go first); *v is
 *  its row. */
apr_status_t smscloud_db_otp_insert(request_rec *r, ap_dbd_t *db, const char *sid,
                                    const char *key_id, const char *service,
                                    const char *lookup, const char *phone,
                                    const char *code_hash, int checks, int lifetime,
                                    smscloud_otp_row_t **v);

/** A new code for verification sid, living from now; *v is its row. */
apr_status_t smscloud_db_otp_resend(request_rec *r, ap_dbd_t *db, const char *sid,
                                    const char *code_hash, int lifetime,
                                    smscloud_otp_row_t **v);

/** A wrong code: one check fewer. */
apr_status_t smscloud_db_otp_wrong(request_rec *r, ap_dbd_t *db, const char *sid);

/** The verification is over. */
apr_status_t smscloud_db_otp_delete(request_rec *r, ap_dbd_t *db, const char *sid);

#endif
