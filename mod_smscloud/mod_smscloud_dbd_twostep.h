/*
 * The two-step login in the database (mod_smscloud_dbd_twostep.c): what a
 * login attempt carries besides its code, the phones users enrolled here,
 * and the administrator's SmsCloudUserPhoneQuery.
 */
#ifndef MOD_SMSCLOUD_DBD_TWOSTEP_H
#define MOD_SMSCLOUD_DBD_TWOSTEP_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

/** What a login attempt carries besides its code. */
typedef struct {
    const char *back;          /* the gate's return address, or NULL */
    const char *user;          /* the username a two-step login proved, or NULL */
    int enrol;                 /* its phone becomes the user's once the code is right */
} smscloud_attempt_t;

/** What the login attempt carries (all NULL/0 when there is none). */
apr_status_t smscloud_db_attempt_get(request_rec *r, ap_dbd_t *db,
                                     const char *attempt_hash, smscloud_attempt_t *a);

/** The phone the user enrolled here, or *phone = NULL. */
apr_status_t smscloud_db_user_phone_get(request_rec *r, ap_dbd_t *db, const char *user,
                                        const char **phone);

/** The first column of the administrator's query (label) for user, or
 *  *value = NULL when it gives no row. */
apr_status_t smscloud_db_admin_value(request_rec *r, ap_dbd_t *db, const char *label,
                                     const char *user, const char **value);

#endif
