/* sc_twilio.h - sending one SMS through the Twilio REST API.
 *
 * Failures come back as a plain-English reason fit for an SMS reply or a
 * web page; nothing returned here ever contains the auth token.
 */
#ifndef SC_TWILIO_H
#define SC_TWILIO_H

#include <apr_pools.h>
#include <apr_errno.h>

typedef struct {
    const char *api_base;      /* "https://api.twilio.com", no trailing path */
    const char *account_sid;   /* "AC..." */
    const char *auth_token;
    const char *from;          /* "+E164" sender, or "MG..." messaging service */
    long connect_timeout_ms;   /* 0 = sc_http default */
    long timeout_ms;           /* 0 = sc_http default */
} sc_twilio_conf_t;

typedef struct {
    int sent;                  /* 1 when Twilio accepted the message */
    int error_code;            /* Twilio error code, else the HTTP status; 0 if none */
    const char *reason;        /* plain English for the user; NULL when sent */
    const char *sid;           /* "SM..." when sent and Twilio named it */
} sc_sms_result_t;

/* The module's own refusals of a send, in Twilio's numbering. */
#define SC_SMS_REFUSED_COUNTRY 21408   /* outside SmsCloudSmsCountries */
#define SC_SMS_REFUSED_BUSY    20429   /* sms-prefix or sms-global limit */

/** Whether a send failed because of the message or its recipient (Twilio's
 *  21xxx: invalid number, opted out, ...), something the person asking can
 *  fix, rather than because of us or Twilio. rv: what the send returned. */
int sc_sms_refused_recipient(apr_status_t rv, const sc_sms_result_t *res);

/** Reason given when the SMS service (whichever transport) could not be
 *  reached or did not answer. */
#define SC_SMS_REASON_UNAVAILABLE "the SMS service is not answering, try again"

/**
 * Send one SMS.
 * @param p    pool for the request and the result strings
 * @param c    account, sender and timeouts
 * @param to   recipient in E.164
 * @param body message text (Twilio takes up to 1600 characters)
 * @param res  always filled: res->sent says whether the message went out
 * @return APR_SUCCESS when Twilio answered (whether it accepted or refused
 *         the message); the sc_http_perform() error when it did not answer;
 *         APR_EINVAL when c, to or body is missing
 */
apr_status_t sc_twilio_send(apr_pool_t *p, const sc_twilio_conf_t *c,
                            const char *to, const char *body,
                            sc_sms_result_t *res);

/**
 * Turn a refusal from Twilio into a result. Reads the flat error object
 * {"code":21211,"message":...} and the RFC 9457 problem form (also with a
 * "code" member); a body that is not JSON, or has no usable code, gives the
 * HTTP status as the code.
 * @param p           pool for res->reason
 * @param http_status the answer's status
 * @param body        the answer's body (may be NULL)
 * @param len         its length
 * @param res         set to sent = 0, error_code and reason
 */
void sc_twilio_decode_error(apr_pool_t *p, int http_status, const char *body,
                            apr_size_t len, sc_sms_result_t *res);

/** Hex digits after a SID's two-letter prefix. */
#define SC_TWILIO_SID_HEX 32

/**
 * Whether s is a Twilio SID of one kind: prefix, two capitals ("AC" an
 * account, "MG" a messaging service, "SM"/"MM" a message, "VA"/"VE" a
 * Verify service/verification), then SC_TWILIO_SID_HEX lowercase hex
 * digits, as Twilio issues them and as sc_otp_new_sid() makes them.
 * @return 1 or 0 (also for NULL)
 */
int sc_twilio_sid_ok(const char *s, const char *prefix);

#endif /* SC_TWILIO_H */
