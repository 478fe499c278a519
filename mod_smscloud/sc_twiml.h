/* sc_twiml.h: the TwiML reply to Twilio's incoming-message webhook. */
#ifndef SC_TWIML_H
#define SC_TWIML_H

#include <apr_pools.h>
#include <apr_tables.h>

/**
 * Build a TwiML messaging reply.
 *
 * @param messages  array of const char * message bodies; each is escaped
 *                  with sc_xml_escape. NULL bodies and bodies that are
 *                  empty after sanitizing are skipped (Twilio rejects an
 *                  empty Message).
 * @return <?xml version="1.0" encoding="UTF-8"?><Response><Message>...
 *         </Message>...</Response>, or <Response/> when there is nothing
 *         to send
 */
const char *sc_twiml(apr_pool_t *p, const apr_array_header_t *messages);

#endif /* SC_TWIML_H */
