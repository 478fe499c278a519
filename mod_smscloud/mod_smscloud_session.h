/*
 * Cookies, web sessions and CSRF tokens of the web side.
 *
 * Before login a browser holds a random pre-session cookie and its forms
 * carry HMAC(secret, "csrf:" + cookie). After login it holds a session
 * cookie; the database keeps only HMAC(secret, "session:" + id), with the
 * phone, a CSRF token for the forms and the idle/absolute timestamps.
 */
#ifndef MOD_SMSCLOUD_SESSION_H
#define MOD_SMSCLOUD_SESSION_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "apr_tables.h"
#include "mod_smscloud_dbd_session.h"
#include "sc_template.h"

/* Cookie names; "__Host-" goes in front when cookies are Secure. */
#define SC_COOKIE_SESSION "smscloud_session"
#define SC_COOKIE_PRE     "smscloud_pre"
#define SC_COOKIE_ATTEMPT "smscloud_attempt"

/** Random bytes in session ids, login attempts, pre-sessions, states. */
#define SC_TOKEN_BYTES 32

/** Our cookie `base` (name without prefix), or NULL when absent, sent
 *  twice, or not a token we could have issued. */
const char *smscloud_cookie_get(request_rec *r, const char *base);

/** Set cookie `base` (HttpOnly, SameSite=Lax, Path=/, Secure and
 *  "__Host-" over TLS or with an https public URL). max_age < 0: until the
 *  browser closes; 0: delete it. */
void smscloud_cookie_set(request_rec *r, const char *base, const char *value,
                         int max_age);

/** The hidden form token before login; sets the pre-session cookie when
 *  the browser has none. NULL only when the CSPRNG fails. */
const char *smscloud_csrf_pre_token(request_rec *r);

/** 1 when the form's csrf field matches the pre-session cookie. */
int smscloud_csrf_pre_ok(request_rec *r, const apr_array_header_t *form);

/** Read a form posted before login (smscloud_read_form's statuses) and
 *  check its CSRF token (403). */
int smscloud_read_pre_form(request_rec *r, apr_array_header_t **form);

/** Page variables of a form shown before login: csrf, and an "error"
 *  section with `text` when error is not NULL. NULL when the CSPRNG fails. */
sc_tvars_t *smscloud_pre_form_vars(request_rec *r, const char *error);

/** 1 when the form's csrf field is the session's token. */
int smscloud_csrf_session_ok(const smscloud_session_t *s,
                             const apr_array_header_t *form);

/** The live session of this request, last_seen bumped; *s = NULL when the
 *  cookie is missing, unknown, idle too long or too old. */
apr_status_t smscloud_session_get(request_rec *r, ap_dbd_t *db,
                                  smscloud_session_t **s);

/** A new session's id (*id, the cookie value for smscloud_session_issue()
 *  once it is stored), the keyed hash it is stored under and the token of
 *  its forms: for smscloud_db_code_right() (mod_smscloud_dbd_login.h). */
apr_status_t smscloud_session_new(request_rec *r, const char **id, const char **id_hash,
                                  const char **csrf);

/** Hand the new session's cookie to the browser. */
void smscloud_session_issue(request_rec *r, const char *id);

/** End a session server-side and expire its cookie. */
apr_status_t smscloud_session_end(request_rec *r, ap_dbd_t *db,
                                  const smscloud_session_t *s);

#endif
