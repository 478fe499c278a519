/*
 * The OTP API for other applications: Twilio Verify v2's wire format
 * (SetHandler smscloud-verify-api), services from SmsCloudVerifyService,
 * per-application keys from the api_keys table.
 */
#ifndef MOD_SMSCLOUD_OTP_H
#define MOD_SMSCLOUD_OTP_H

#include "httpd.h"
#include "http_config.h"
#include "mod_dbd.h"

/* Checks of codes allowed per phone and per client address in an hour,
 * whatever the key (NIST 800-63B 5.2.2: at most 100 failures per
 * account). Sends count against the web login's SmsCloudRateLimit
 * login_phone, login_phone_day and login_ip. */
#define SC_OTP_CHECKS_PER_PHONE 100
#define SC_OTP_CHECKS_PER_IP    1000
#define SC_OTP_CHECK_WINDOW     3600

const char *smscloud_otp_set_service(cmd_parms *cmd, void *dconf, int argc,
                                     char *const argv[]);

#define SC_OTP_CMDS \
    AP_INIT_TAKE_ARGV("SmsCloudVerifyService", smscloud_otp_set_service, NULL, RSRC_CONF, \
                      "A Verify service of the OTP API: SID (VA + 32 hex), friendly " \
                      "name, then length= lifetime= attempts= sends= message=")

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

/* SQL (mod_smscloud_dbd_otp.c). */
apr_status_t smscloud_db_api_key(request_rec *r, ap_dbd_t *db, const char *key_id,
                                 smscloud_api_key_t **key);
/** Inside a transaction: lock the verification of (key, service, lookup),
 *  or the one with this sid when sid is not NULL; *v = NULL when none. */
apr_status_t smscloud_db_otp_lock(request_rec *r, ap_dbd_t *db, const char *key_id,
                                  const char *service, const char *lookup,
                                  const char *sid, smscloud_otp_row_t **v);
apr_status_t smscloud_db_otp_insert(request_rec *r, ap_dbd_t *db, const char *sid,
                                    const char *key_id, const char *service,
                                    const char *lookup, const char *phone,
                                    const char *code_hash, int checks, int lifetime,
                                    smscloud_otp_row_t **v);
apr_status_t smscloud_db_otp_resend(request_rec *r, ap_dbd_t *db, const char *sid,
                                    const char *code_hash, int lifetime,
                                    smscloud_otp_row_t **v);
apr_status_t smscloud_db_otp_wrong(request_rec *r, ap_dbd_t *db, const char *sid);
apr_status_t smscloud_db_otp_delete(request_rec *r, ap_dbd_t *db, const char *sid);

#endif
