/* sc_twiml.c: the TwiML messaging reply. */
#include <apr_strings.h>

#include "sc_text.h"
#include "sc_twiml.h"

#define SC_XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

const char *sc_twiml(apr_pool_t *p, const apr_array_header_t *messages)
{
    apr_array_header_t *parts;
    int i;

    parts = apr_array_make(p, 8, sizeof(const char *));
    APR_ARRAY_PUSH(parts, const char *) = SC_XML_DECL "<Response>";
    for (i = 0; messages && i < messages->nelts; i++) {
        const char *body = APR_ARRAY_IDX(messages, i, const char *);
        const char *esc = sc_xml_escape(p, body);

        /* Twilio refuses an empty <Message>; sanitizing may empty one. */
        if (*esc == '\0') {
            continue;
        }
        APR_ARRAY_PUSH(parts, const char *) = "<Message>";
        APR_ARRAY_PUSH(parts, const char *) = esc;
        APR_ARRAY_PUSH(parts, const char *) = "</Message>";
    }
    if (parts->nelts == 1) {
        return SC_XML_DECL "<Response/>";
    }
    APR_ARRAY_PUSH(parts, const char *) = "</Response>";
    return apr_array_pstrcat(p, parts, 0);
}
