/*
 * The OTP API for other applications: Twilio Verify v2's wire format
 * (SetHandler smscloud-verify-api), services from SmsCloudVerifyService,
 * per-application keys from the api_keys table.
 */
#ifndef MOD_SMSCLOUD_OTP_H
#define MOD_SMSCLOUD_OTP_H

#include "httpd.h"
#include "http_config.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "mod_smscloud_dbd_otp.h"
#include "mod_smscloud_dbd_rate.h"
#include "sc_otp.h"

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

/* ---- shared by the Verify and flowroute formats (mod_smscloud_otp.c) ---- */

/** Write an answer of either wire format (with its Retry-After). */
int smscloud_otp_reply(request_rec *r, const sc_otp_reply_t *reply);

/** The service of this server with that SID, or NULL. */
const sc_otp_service_t *smscloud_otp_service(request_rec *r, const char *sid);

/** The caller's API key from HTTP Basic: OK (*key set), HTTP_UNAUTHORIZED
 *  (logged, WWW-Authenticate set; the same for an unknown key and a wrong
 *  secret) or HTTP_SERVICE_UNAVAILABLE. */
int smscloud_otp_authenticate(request_rec *r, ap_dbd_t *db, smscloud_api_key_t **key);

/** Count a send against the key's, the client address's and the phone's
 *  limits. */
smscloud_rate_result_e smscloud_otp_send_limits(request_rec *r, ap_dbd_t *db,
                                                const smscloud_api_key_t *key,
                                                const char *phone);

/** Count a check against the key's and the client address's limits. */
smscloud_rate_result_e smscloud_otp_check_limits(request_rec *r, ap_dbd_t *db,
                                                 const smscloud_api_key_t *key);

/** Inside a transaction: a new code for (key, service, lookup), stored as a
 *  keyed hash and texted to phone. replace: a pending one is dropped (its
 *  attempts too) rather than resent. Commit only when *sent is SC_OTP_SENT. */
apr_status_t smscloud_otp_store_and_send(request_rec *r, ap_dbd_t *db,
                                         const smscloud_api_key_t *key,
                                         const sc_otp_service_t *svc, const char *lookup,
                                         const char *phone, const char *name, int replace,
                                         smscloud_otp_row_t **v, sc_otp_sent_e *sent);

/** Count a committed check in the metrics (channel "api"), whichever wire
 *  format asked: rv and result as smscloud_otp_check_locked() left them. */
void smscloud_otp_count_check(apr_status_t rv, sc_otp_check_e result);

/** Inside a transaction: lock the verification (by lookup, or by sid when
 *  sid is not NULL; phone, when given, must match), count the check against
 *  the phone's limit (APR_EAGAIN when over), decide, and write the outcome:
 *  a right or expired code is deleted, a wrong one costs an attempt (the
 *  last one deletes it when last_kills). */
apr_status_t smscloud_otp_check_locked(request_rec *r, ap_dbd_t *db,
                                       const smscloud_api_key_t *key,
                                       const sc_otp_service_t *svc, const char *lookup,
                                       const char *phone, const char *sid, const char *code,
                                       int last_kills, smscloud_otp_row_t **v,
                                       sc_otp_check_e *result);

#endif
