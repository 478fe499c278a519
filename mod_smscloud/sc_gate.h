/* sc_gate.h: the decisions of the gate (AuthType SmsCloud) that need no
 * httpd: which return addresses are local, what a client without a
 * session gets, and which request headers are copies of the identity
 * header.
 */
#ifndef SC_GATE_H
#define SC_GATE_H

#include <apr_pools.h>
#include <apr_errno.h>
#include <apr_tables.h>

/** Longest return address kept with a login attempt; a longer one is
 *  dropped (the login then ends on the default page). */
#define SC_GATE_RETURN_MAX 1024

/** What a request without a session gets (SmsCloudUnAuthAction). */
typedef enum {
    SC_GATE_REDIRECT = 0,      /* 303 to the login page, coming back after */
    SC_GATE_401,               /* 401 with a WWW-Authenticate challenge */
    SC_GATE_403,
    SC_GATE_PASS               /* through, with no identity: the application decides */
} sc_gate_action_e;

/**
 * Whether a return address is a path on this site and nothing else: one
 * '/' then no '/' or '\', only URL characters (RFC 3986 path and query,
 * '%' with two hex digits), no "//" in the path part, and the same still
 * true after each of up to three rounds of percent-decoding (so "%2f",
 * "%5c" and "%0d%0a" tricks fail too).
 * @return 1 if path may be redirected to, 0 otherwise (NULL, empty, longer
 *         than SC_GATE_RETURN_MAX, a scheme, a host, a control character)
 */
int sc_gate_local_path(const char *path);

/**
 * Parse a SmsCloudUnAuthAction word: "redirect", "401", "403", "pass"
 * (case-insensitive).
 * @return APR_SUCCESS, or APR_EINVAL for anything else
 */
apr_status_t sc_gate_action_parse(const char *word, sc_gate_action_e *action);

/**
 * Whether a request comes from a person's browser, which can follow a
 * redirect to the login page and back: GET or HEAD, an Accept header
 * naming text/html or application/xhtml+xml, and no
 * "X-Requested-With: XMLHttpRequest" (a script's call wants a status).
 * Any argument may be NULL (absent).
 */
int sc_gate_is_browser(const char *method, const char *accept,
                       const char *requested_with);

/**
 * What a request without a session gets: browsers are sent to the login
 * page unless the action is "pass"; other clients get the action.
 */
sc_gate_action_e sc_gate_unauth_action(sc_gate_action_e configured, int browser);

/**
 * Whether a header name is acceptable for SmsCloudUserHeader: 1 to 64
 * letters, digits and '-'.
 */
int sc_gate_header_name_ok(const char *name);

/**
 * Whether an incoming header is a copy of the identity header: the same
 * name ignoring ASCII case, with '-' and '_' counted as equal, because
 * CGI, PHP, WSGI and Rack backends read "X_Remote_User" and
 * "X-Remote-User" as one variable.
 */
int sc_gate_header_matches(const char *name, const char *identity_header);

/**
 * The login page's address that brings the browser back to return_path
 * afterwards: login_path + "?return=" + the form-encoded path; just
 * login_path when return_path is not local (sc_gate_local_path).
 */
const char *sc_gate_login_url(apr_pool_t *p, const char *login_path,
                              const char *return_path);

/**
 * The metrics channel of a web login code: "gate" for a login the gate
 * started (a two-step login, or one with a return address to a protected
 * page), "web" for one of the site's own pages.
 */
const char *sc_gate_otp_channel(int two_step, const char *return_path);

/** Whether phone (NULL: the request has none) is one of phones (const
 *  char *): the decision of `Require sms-phone`. */
int sc_gate_phone_listed(const apr_array_header_t *phones, const char *phone);

#endif /* SC_GATE_H */
