/* sc_twilio_sig.h: X-Twilio-Signature computation and validation.
 *
 * Algorithm (Twilio webhooks security): base64(HMAC-SHA1(auth token,
 * URL + for each name in sorted order, for each distinct value in sorted
 * order, name + value)). The URL must be the public URL configured in
 * Twilio, never one rebuilt from the Host header.
 */
#ifndef SC_TWILIO_SIG_H
#define SC_TWILIO_SIG_H

#include <apr_pools.h>
#include <apr_tables.h>

/**
 * Build the string that Twilio signs.
 *
 * @param p      pool
 * @param url    the URL exactly as configured (query string untouched);
 *               NULL is taken as ""
 * @param pairs  decoded POST parameters (sc_pair_t), may be NULL or empty
 *               (GET requests and JSON bodies sign the URL alone)
 * @return url, then for each name sorted byte-wise (strcmp), each distinct
 *         value sorted byte-wise, name immediately followed by value
 */
const char *sc_twilio_sig_base(apr_pool_t *p, const char *url,
                               const apr_array_header_t *pairs);

/**
 * Compute the X-Twilio-Signature value for a URL and parameters.
 *
 * @param auth_token  the account's Auth Token, used as-is as the HMAC key
 * @return base64 of the HMAC-SHA1 digest (28 characters), or NULL when
 *         auth_token is NULL or empty or HMAC fails
 */
const char *sc_twilio_sig_compute(apr_pool_t *p, const char *auth_token,
                                  const char *url,
                                  const apr_array_header_t *pairs);

/**
 * Check an X-Twilio-Signature header in constant time.
 *
 * Accepted: the signature of url as given, of url with its scheme's default
 * port (:443 for https, :80 for http) removed, or of url with that default
 * port added when it has none. A non-default port is never removed.
 *
 * @param header  the received X-Twilio-Signature value
 * @return 1 if valid; 0 otherwise, and always 0 for a NULL or empty header,
 *         auth_token or url
 */
int sc_twilio_sig_valid(apr_pool_t *p, const char *auth_token,
                        const char *url, const apr_array_header_t *pairs,
                        const char *header);

/**
 * The URL a request to us was signed with: public_url (SmsCloudPublicURL)
 * and the path and query of the request target exactly as the client sent
 * them (still percent-encoded, "//" and "/./" kept), since httpd
 * normalises its parsed path before handlers run. An absolute-form target
 * gives only its path and query, so that it cannot smuggle in another
 * host; an origin-form one is split by hand, because apr_uri_parse would
 * take "//sms" for a host. No path (or no target) is "/".
 */
const char *sc_twilio_sig_request_url(apr_pool_t *p, const char *public_url,
                                      const char *target);

#endif /* SC_TWILIO_SIG_H */
