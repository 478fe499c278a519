/*
 * Cookies, web sessions and CSRF tokens.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_page.h"
#include "mod_smscloud_request.h"
#include "mod_smscloud_session.h"

#include "apr_strings.h"
#include "sc_cookie.h"
#include "sc_form.h"
#include "sc_random.h"
#include "sc_hmac.h"

static const char *cookie_name(request_rec *r, const char *base, int *secure)
{
    *secure = sc_cookie_secure(ap_http_scheme(r), smscloud_conf(r)->public_url);
    return sc_cookie_name(r->pool, base, *secure);
}

const char *smscloud_cookie_get(request_rec *r, const char *base)
{
    int secure;

    return sc_cookie_get(r->pool, r->headers_in, cookie_name(r, base, &secure));
}

void smscloud_cookie_set(request_rec *r, const char *base, const char *value,
                         int max_age)
{
    int secure;
    const char *name = cookie_name(r, base, &secure);

    /* err_headers_out: the cookie must go out with redirects and error
     * pages too. */
    apr_table_addn(r->err_headers_out, "Set-Cookie",
                   sc_cookie_set_line(r->pool, name, value, max_age, secure));
}

const char *smscloud_csrf_pre_token(request_rec *r)
{
    const char *pre = smscloud_cookie_get(r, SC_COOKIE_PRE);

    if (!pre) {
        if (sc_random_token(r->pool, SC_TOKEN_BYTES, &pre) != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          "SC03010: no random bytes for a pre-session");
            return NULL;
        }
        smscloud_cookie_set(r, SC_COOKIE_PRE, pre, -1);
    }
    return smscloud_keyed_hash(r, SC_HASH_CSRF, pre);
}

int smscloud_csrf_pre_ok(request_rec *r, const apr_array_header_t *form)
{
    const char *pre = smscloud_cookie_get(r, SC_COOKIE_PRE);
    int ok = pre && sc_const_eq(sc_form_get(form, "csrf"),
                                smscloud_keyed_hash(r, SC_HASH_CSRF, pre));

    if (!ok) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "SC03011: form refused: CSRF token missing or wrong");
    }
    return ok;
}

int smscloud_read_pre_form(request_rec *r, apr_array_header_t **form)
{
    int rc = smscloud_read_form(r, smscloud_conf(r)->max_form_body, form);

    if (rc == OK && !smscloud_csrf_pre_ok(r, *form)) {
        return HTTP_FORBIDDEN;
    }
    return rc;
}

sc_tvars_t *smscloud_pre_form_vars(request_rec *r, const char *error)
{
    const char *csrf = smscloud_csrf_pre_token(r);
    sc_tvars_t *v;

    if (!csrf) {
        return NULL;
    }
    v = smscloud_page_vars(r);
    sc_tvars_set(v, "csrf", csrf);
    if (error) {
        sc_tvars_set(sc_tvars_add(v, "error"), "text", error);
    }
    return v;
}

int smscloud_csrf_session_ok(const smscloud_session_t *s,
                             const apr_array_header_t *form)
{
    return s && sc_const_eq(sc_form_get(form, "csrf"), s->csrf);
}

apr_status_t smscloud_session_get(request_rec *r, ap_dbd_t *db,
                                  smscloud_session_t **s)
{
    const char *id = smscloud_cookie_get(r, SC_COOKIE_SESSION);

    *s = NULL;
    if (!id) {
        return APR_SUCCESS;
    }
    return smscloud_db_session_touch(r, db, smscloud_keyed_hash(r, SC_HASH_SESSION, id), s);
}

apr_status_t smscloud_session_new(request_rec *r, const char **id, const char **id_hash,
                                  const char **csrf)
{
    if (sc_random_token(r->pool, SC_TOKEN_BYTES, id) != APR_SUCCESS
        || sc_random_token(r->pool, SC_TOKEN_BYTES, csrf) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "SC03012: no random bytes for a session");
        return APR_EGENERAL;
    }
    *id_hash = smscloud_keyed_hash(r, SC_HASH_SESSION, *id);
    return APR_SUCCESS;
}

void smscloud_session_issue(request_rec *r, const char *id)
{
    /* No Max-Age: the server enforces idle and absolute limits, and the
     * cookie goes when the browser closes. */
    smscloud_cookie_set(r, SC_COOKIE_SESSION, id, -1);
}

apr_status_t smscloud_session_end(request_rec *r, ap_dbd_t *db,
                                  const smscloud_session_t *s)
{
    smscloud_cookie_set(r, SC_COOKIE_SESSION, "", 0);
    return smscloud_db_session_delete(r, db, s->id_hash);
}
