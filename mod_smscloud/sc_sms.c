/* sc_sms.c: the /sms webhook's decisions around the conversation. */
#include <string.h>

#include <apr_tables.h>

#include "sc_engine.h"
#include "sc_phone.h"
#include "sc_sms.h"
#include "sc_text.h"
#include "sc_twilio.h"
#include "sc_twiml.h"

int sc_sms_delivery_ok(const char *from, const char *message_sid)
{
    return sc_phone_is_e164(from)
           && (sc_twilio_sid_ok(message_sid, "SM") || sc_twilio_sid_ok(message_sid, "MM"));
}

apr_interval_time_t sc_sms_lock_wait(apr_interval_time_t http_timeout)
{
    apr_interval_time_t left = SC_SMS_TWILIO_BUDGET - 2 * http_timeout;

    return left < SC_SMS_MIN_LOCK_WAIT ? SC_SMS_MIN_LOCK_WAIT : left;
}

void sc_sms_answer(apr_pool_t *p, const char *reply, sc_sms_answer_t *answer)
{
    apr_array_header_t *msgs = apr_array_make(p, 1, sizeof(const char *));
    const char *text;

    answer->busy = !reply;
    if (!reply) {
        reply = SC_SMS_BUSY_REPLY;
    }
    /* sanitize before cutting, so the cut lands on a character boundary;
     * Twilio refuses an empty <Message> */
    text = sc_text_sanitize(p, reply, strlen(reply));
    if (*text) {
        APR_ARRAY_PUSH(msgs, const char *) = sc_utf8_truncate(p, text, SC_SMS_MAX_CHARS);
    }
    answer->messages = msgs->nelts;
    answer->twiml = sc_twiml(p, msgs);
}
