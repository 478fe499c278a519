/* sc_form.h: application/x-www-form-urlencoded decoding and encoding.
 *
 * Used for Twilio webhook bodies, /login and /verify forms, query strings
 * and outbound REST bodies. Decoding is strict: a malformed escape or an
 * escaped NUL is an error, never silently passed on.
 */
#ifndef SC_FORM_H
#define SC_FORM_H

#include <apr_pools.h>
#include <apr_tables.h>

/** One decoded name/value pair; both are NUL-terminated pool strings. */
typedef struct {
    const char *name;
    const char *value;
} sc_pair_t;

/**
 * Decode form-encoded data (a POST body or a query string) into pairs.
 *
 * Segments are split on '&', name and value on the first '='; '+' becomes a
 * space and %XX the byte XX. Empty segments are skipped; a segment without
 * '=' gives the value "". Pairs keep input order.
 *
 * @param p          pool for the array and every string
 * @param data       raw bytes, need not be NUL-terminated; NULL means empty
 * @param len        number of bytes in data
 * @param max_pairs  more pairs than this is an error
 * @param pairs      out: array of sc_pair_t (set to NULL on error)
 * @return APR_SUCCESS; APR_BADCH for a malformed escape (%G1, %4), a raw or
 *         decoded NUL byte; APR_ENOSPC for more than max_pairs pairs;
 *         APR_EINVAL if pairs is NULL.
 */
apr_status_t sc_form_parse(apr_pool_t *p, const char *data, apr_size_t len,
                           int max_pairs, apr_array_header_t **pairs);

/**
 * First value for a name (exact, case-sensitive match).
 * @return the value, or NULL when absent or when pairs/name is NULL
 */
const char *sc_form_get(const apr_array_header_t *pairs, const char *name);

/** Append the pair name=value (neither copied) to an array of sc_pair_t. */
void sc_form_add(apr_array_header_t *pairs, const char *name, const char *value);

/**
 * Encode pairs as name=value&name=value with form encoding (space -> '+',
 * other unsafe bytes -> %XX), for outbound REST bodies.
 * A NULL name or value is encoded as empty.
 * @return the encoded string; "" for NULL or empty pairs
 */
const char *sc_form_encode(apr_pool_t *p, const apr_array_header_t *pairs);

/**
 * Whether a request's Content-Type is a form's: application/x-www-form-
 * urlencoded (any case), alone or before parameters.
 */
int sc_form_content_type_ok(const char *content_type);

/**
 * What a request body's announced Content-Length (NULL: none, a chunked
 * body) allows before a byte is read: 0 to read on, 400 for a length that
 * is no number, 413 for one over max.
 */
int sc_form_length_status(const char *content_length, apr_off_t max);

#endif /* SC_FORM_H */
