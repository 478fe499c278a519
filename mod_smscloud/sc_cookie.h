/* sc_cookie.h: the module's cookies, as the rules for them stand: which
 * name they go by, which values are ours, when one is to be trusted, and
 * the Set-Cookie line. No httpd here.
 */
#ifndef SC_COOKIE_H
#define SC_COOKIE_H

#include <apr_pools.h>
#include <apr_tables.h>

/** Longest value we ever issue (base64url of our token bytes is less);
 *  anything longer was not issued by us. */
#define SC_COOKIE_VALUE_MAX 64

/** Cookies are Secure when the request or the public site (public_url) is
 *  https. */
int sc_cookie_secure(const char *request_scheme, const char *public_url);

/** The name a cookie goes by: "__Host-" + base when secure (which also
 *  forbids Domain and any other Path), else base. */
const char *sc_cookie_name(apr_pool_t *p, const char *base, int secure);

/** Whether a value is one we could have issued: 1 to SC_COOKIE_VALUE_MAX
 *  base64url characters. */
int sc_cookie_value_ok(const char *value);

/**
 * The value of cookie name in a request's Cookie headers, or NULL when it
 * is missing, not one of ours, or sent more than once (a sibling domain
 * planted one: neither is trusted).
 */
const char *sc_cookie_get(apr_pool_t *p, const apr_table_t *headers, const char *name);

/**
 * A Set-Cookie value: name=value; Path=/; HttpOnly; SameSite=Lax, then
 * Max-Age when max_age >= 0 (0 removes it) and Secure when secure.
 */
const char *sc_cookie_set_line(apr_pool_t *p, const char *name, const char *value,
                               int max_age, int secure);

#endif /* SC_COOKIE_H */
