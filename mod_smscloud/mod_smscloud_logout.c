/*
 * smscloud-logout: end this browser's session, or with "everywhere" every
 * session and download link of its phone.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_link.h"
#include "mod_smscloud_dbd_session.h"
#include "mod_smscloud_gate.h"
#include "mod_smscloud_page.h"
#include "mod_smscloud_request.h"
#include "mod_smscloud_session.h"

#include "sc_form.h"
#include "sc_phone.h"

int smscloud_logout_handler(request_rec *r)
{
    apr_array_header_t *form;
    smscloud_session_t *s = NULL;
    const char *back;
    ap_dbd_t *db;
    int rc;

    if (r->path_info && *r->path_info) {
        return HTTP_NOT_FOUND;
    }
    smscloud_page_headers(r);
    /* POST only: a GET (an <img> on another site) must not log anyone out;
     * a person who typed the address is shown the way */
    if (r->method_number == M_GET) {
        return smscloud_page_message(r, HTTP_OK, "Log out",
                                     "To log out, use the Log out button on your "
                                     "account page.", "/connect", "Your account page");
    }
    if ((rc = smscloud_read_form(r, smscloud_conf(r)->max_form_body, &form)) != OK) {
        return rc;
    }
    /* an application behind the gate sends its users back to itself */
    back = smscloud_gate_return(r, sc_form_get(form, "return"));
    if (!back) {
        back = "/login";
    }
    if (!(db = smscloud_db_acquire(r)) || smscloud_session_get(r, db, &s) != APR_SUCCESS) {
        return smscloud_page_unavailable(r);
    }
    if (!s) {
        /* nothing to end on our side; drop a stale cookie all the same */
        smscloud_cookie_set(r, SC_COOKIE_SESSION, "", 0);
        return smscloud_page_redirect(r, back);
    }
    if (!smscloud_csrf_session_ok(s, form)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "SC03040: logout refused: CSRF token missing or wrong");
        return HTTP_FORBIDDEN;
    }
    if (smscloud_session_end(r, db, s) != APR_SUCCESS) {
        return smscloud_page_unavailable(r);
    }
    /* everywhere: every browser, and every download link the phone made */
    if (sc_form_get(form, "everywhere")
        && (smscloud_sessions_end(r, db, s->phone) != APR_SUCCESS
            || smscloud_links_end(r, db, s->phone) != APR_SUCCESS)) {
        return smscloud_page_unavailable(r);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "SC03041: %s logged out%s",
                  sc_phone_redact(r->pool, s->phone),
                  sc_form_get(form, "everywhere") ? " everywhere (links ended too)" : "");
    return smscloud_page_redirect(r, back);
}
