/*
 * Request plumbing shared by every endpoint.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_request.h"

#include "apr_strings.h"
#include "sc_addr.h"
#include "sc_form.h"
#include "sc_twilio_sig.h"

/* Webhooks and forms carry a few dozen fields; more is abuse. */
#define MAX_FORM_PAIRS 256

/* The whole body, refusing it as soon as it grows past max, whether the
 * client announced its length or sent it chunked. */
int smscloud_read_body(request_rec *r, apr_off_t max, char **data, apr_size_t *len)
{
    apr_size_t used = 0;
    char *buf;
    long got;
    int rc;

    if ((rc = sc_form_length_status(apr_table_get(r->headers_in, "Content-Length"), max))) {
        return rc;
    }
    if ((rc = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK)) != OK) {
        return rc;
    }
    buf = apr_palloc(r->pool, (apr_size_t)max + 1);
    if (ap_should_client_block(r)) {
        while ((got = ap_get_client_block(r, buf + used, (apr_size_t)max + 1 - used)) > 0) {
            used += (apr_size_t)got;
            if (used > (apr_size_t)max) {
                return HTTP_REQUEST_ENTITY_TOO_LARGE;
            }
        }
        if (got < 0) {
            return HTTP_BAD_REQUEST;
        }
    }
    buf[used] = '\0';
    *data = buf;
    *len = used;
    return OK;
}

int smscloud_read_form(request_rec *r, apr_off_t max, apr_array_header_t **pairs)
{
    apr_size_t len = 0;
    apr_status_t rv;
    char *data;
    int rc;

    if (r->method_number != M_POST) {
        r->allowed |= AP_METHOD_BIT << M_POST;
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (!sc_form_content_type_ok(apr_table_get(r->headers_in, "Content-Type"))) {
        return HTTP_UNSUPPORTED_MEDIA_TYPE;
    }
    if ((rc = smscloud_read_body(r, max, &data, &len)) != OK) {
        if (rc == HTTP_REQUEST_ENTITY_TOO_LARGE) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          "SC00010: request body over %" APR_OFF_T_FMT
                          " bytes refused", max);
            /* do not keep the connection to read what is left */
            r->connection->keepalive = AP_CONN_CLOSE;
        }
        return rc;
    }
    rv = sc_form_parse(r->pool, data, len, MAX_FORM_PAIRS, pairs);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, rv, r,
                      "SC00011: malformed form body refused");
        return HTTP_BAD_REQUEST;
    }
    return OK;
}

const char *smscloud_public_url(request_rec *r, const char *path)
{
    return apr_pstrcat(r->pool, smscloud_conf(r)->public_url, path, NULL);
}

const char *smscloud_public_request_url(request_rec *r)
{
    return sc_twilio_sig_request_url(r->pool, smscloud_conf(r)->public_url, r->unparsed_uri);
}

const char *smscloud_client_bucket(request_rec *r)
{
    return sc_addr_bucket(r->pool, r->useragent_ip);
}

int smscloud_send_text(request_rec *r, int status, const char *content_type,
                       const char *body)
{
    r->status = status;
    ap_set_content_type(r, content_type);
    ap_set_content_length(r, strlen(body));
    if (!r->header_only) {
        ap_rputs(body, r);
    }
    return OK;
}
