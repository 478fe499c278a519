/*
 * Request plumbing shared by every endpoint: bounded form bodies, the
 * public URL of a request, client checks.
 */
#ifndef MOD_SMSCLOUD_REQUEST_H
#define MOD_SMSCLOUD_REQUEST_H

#include "httpd.h"
#include "apr_tables.h"

/** Read a request body of at most max bytes (NUL-terminated in r->pool).
 *  Returns OK, 413 (too large) or 400 (unreadable). */
int smscloud_read_body(request_rec *r, apr_off_t max, char **data, apr_size_t *len);

/** Read an application/x-www-form-urlencoded POST body of at most max
 *  bytes and decode it into sc_pair_t pairs. Returns OK, or the HTTP status
 *  to answer: 405 (not POST), 415 (other content type), 413 (too large),
 *  400 (malformed encoding or unreadable body). */
int smscloud_read_form(request_rec *r, apr_off_t max, apr_array_header_t **pairs);

/** The URL of this request as the outside world reached it: the configured
 *  SmsCloudPublicUrl plus the path and query string, never the Host
 *  header. */
const char *smscloud_public_request_url(request_rec *r);

/** The configured public URL plus path (path starts with '/'). */
const char *smscloud_public_url(request_rec *r, const char *path);

/** The client's address as limits count it (sc_addr_bucket(): an IPv6
 *  client by its /64). */
const char *smscloud_client_bucket(request_rec *r);

/** Answer with a body and type (for small, fixed answers). */
int smscloud_send_text(request_rec *r, int status, const char *content_type,
                       const char *body);

#endif
