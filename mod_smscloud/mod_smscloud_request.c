/*
 * Request plumbing shared by every endpoint.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_request.h"

#include "apr_strings.h"
#include "apr_uri.h"
#include "sc_addr.h"
#include "sc_form.h"

/* Webhooks and forms carry a few dozen fields; more is abuse. */
#define MAX_FORM_PAIRS 256

static int is_form_content_type(const request_rec *r)
{
    const char *ct = apr_table_get(r->headers_in, "Content-Type");
    apr_size_t n = sizeof("application/x-www-form-urlencoded") - 1;

    return ct && !strncasecmp(ct, "application/x-www-form-urlencoded", n)
           && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* The whole body, refusing it as soon as it grows past max, whether the
 * client announced its length or sent it chunked. */
int smscloud_read_body(request_rec *r, apr_off_t max, char **data, apr_size_t *len)
{
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    apr_size_t used = 0;
    char *buf;
    long got;
    int rc;

    if (cl) {
        apr_off_t announced;
        if (apr_strtoff(&announced, cl, NULL, 10) != APR_SUCCESS || announced < 0) {
            return HTTP_BAD_REQUEST;
        }
        if (announced > max) {
            return HTTP_REQUEST_ENTITY_TOO_LARGE;
        }
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
    if (!is_form_content_type(r)) {
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

/* Path and query exactly as the client sent them (still percent-encoded,
 * "//" and "/./" kept), which is what Twilio signed. r->parsed_uri will
 * not do: httpd normalises its path in place (merging slashes, removing
 * dot segments, decoding unreserved characters) before handlers run. The
 * request target is split again and only its path and query are used, so
 * that an absolute-form target cannot smuggle in another host. An
 * origin-form target is split by hand: apr_uri_parse would take "//sms"
 * for a host. */
const char *smscloud_public_request_url(request_rec *r)
{
    const char *target = r->unparsed_uri, *path = NULL, *query = NULL;
    apr_uri_t raw;

    if (target && target[0] == '/') {
        apr_size_t n = strcspn(target, "?#");

        path = apr_pstrndup(r->pool, target, n);
        if (target[n] == '?') {
            query = apr_pstrndup(r->pool, target + n + 1, strcspn(target + n + 1, "#"));
        }
    }
    else if (target && apr_uri_parse(r->pool, target, &raw) == APR_SUCCESS) {
        path = raw.path;
        query = raw.query;
    }
    if (!path || !*path) {
        path = "/";
    }
    if (query) {
        return apr_pstrcat(r->pool, smscloud_conf(r)->public_url, path, "?", query, NULL);
    }
    return smscloud_public_url(r, path);
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
