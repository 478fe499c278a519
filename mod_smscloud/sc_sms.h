/* sc_sms.h: what the /sms webhook decides around the conversation
 * (sc_engine.h): which delivery it takes, how long a message waits for
 * its phone's lock, and the TwiML it answers. No httpd here.
 */
#ifndef SC_SMS_H
#define SC_SMS_H

#include <apr_pools.h>
#include <apr_time.h>

/** Twilio waits 15 s for the reply, then shows the user nothing. */
#define SC_SMS_TWILIO_BUDGET apr_time_from_sec(14)

/** However short the budget, a message waits this long for its lock. */
#define SC_SMS_MIN_LOCK_WAIT apr_time_from_sec(1)

/** The answer to a message that could not be handled: it keeps nothing,
 *  so Twilio's retry (or the sender's) is handled in full. */
#define SC_SMS_BUSY_REPLY "The service is busy, try again in a minute."

/**
 * Whether a signed delivery names a sender and a message we can take:
 * From in E.164 and MessageSid an SMS (SM...) or MMS (MM...) sid.
 */
int sc_sms_delivery_ok(const char *from, const char *message_sid);

/**
 * How long a message waits for its phone's lock. Another message of the
 * same phone holds it for as long as its storage and Twilio calls take;
 * waiting longer than what is left of SC_SMS_TWILIO_BUDGET after our own
 * two upstream calls (each up to http_timeout) would lose the reply, so
 * past it the message gives up and is answered SC_SMS_BUSY_REPLY.
 * @return at least SC_SMS_MIN_LOCK_WAIT
 */
apr_interval_time_t sc_sms_lock_wait(apr_interval_time_t http_timeout);

/** The webhook's answer. */
typedef struct {
    const char *twiml;         /* the body, text/xml; charset=utf-8 */
    int messages;              /* <Message>s in it: 0 or 1 */
    int busy;                  /* it is SC_SMS_BUSY_REPLY */
} sc_sms_answer_t;

/**
 * The answer to a delivery.
 * @param reply  what the sender is told: the engine's reply or a replay's
 *               ("" for none); NULL when the message was not handled (no
 *               database, the lock not had within sc_sms_lock_wait(), a
 *               failed load or store): SC_SMS_BUSY_REPLY then. A reply is
 *               sanitized (stored replies come back from the database)
 *               and then cut to SC_SMS_MAX_CHARS on a character boundary.
 */
void sc_sms_answer(apr_pool_t *p, const char *reply, sc_sms_answer_t *answer);

#endif /* SC_SMS_H */
