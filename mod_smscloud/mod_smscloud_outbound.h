/*
 * Outbound SMS, by the transport SmsCloudSmsTransport names: the Twilio
 * REST API, or the outbox table (nothing leaves the machine). Callers do
 * not know which.
 */
#ifndef MOD_SMSCLOUD_OUTBOUND_H
#define MOD_SMSCLOUD_OUTBOUND_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "sc_twilio.h"

/** Send body to the E.164 number `to`, unless it is outside the allowed
 *  countries or over the sms-prefix/sms-global limits (then res->sent is 0
 *  and res->error_code one of the SC_SMS_REFUSED_* codes). APR_SUCCESS
 *  when the transport gave an answer: res->sent says whether it took the
 *  message, res->reason why not in plain words. Any other status: nothing
 *  was sent (logged). */
apr_status_t smscloud_sms_send(request_rec *r, ap_dbd_t *db, const char *to,
                               const char *body, sc_sms_result_t *res);

/** The number our texts come from, for pages and the simulator:
 *  SmsCloudTwilioFrom when it is a number, NULL when it is a Messaging
 *  Service SID (Twilio then picks the sender). */
const char *smscloud_service_number(request_rec *r);

/** For callers that count an SMS's limits along with their own in one round
 *  trip: append what an SMS to `to` counts against (sc_rate_hit_t)
 *  and return 1; or, for a number outside the allowed countries, append
 *  nothing, refuse it in res and return 0. */
int smscloud_sms_charge(request_rec *r, const char *to, apr_array_header_t *hits,
                        sc_sms_result_t *res);

/** Refuse in res an SMS whose charges were over their limits. */
void smscloud_sms_refuse_busy(request_rec *r, const char *to, sc_sms_result_t *res);

/** smscloud_sms_send() for an SMS whose charges were counted and allowed. */
apr_status_t smscloud_sms_send_charged(request_rec *r, ap_dbd_t *db, const char *to,
                                       const char *body, sc_sms_result_t *res);

#endif
