/*
 * smscloud-link: serves the signed download links of providers without a
 * link API of their own. The token is the whole authorisation: unknown,
 * ended or mistyped -> 403, expired -> 410 (pages of our own), account or file gone -> 404. The provider hands over the
 * file: one on this server goes out as a file bucket, so httpd streams it
 * (sendfile where it can) and its byterange and conditional filters answer
 * Range and If-* headers; one on another server is streamed through as it
 * arrives, with the downloader's Range passed on and that server's
 * status, type, length and validators passed back.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd_accounts.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_link.h"
#include "mod_smscloud_link.h"
#include "mod_smscloud_page.h"
#include "mod_smscloud_storage.h"

#include "apr_strings.h"
#include "util_filter.h"

#include "sc_link.h"

/* mod_mime (or whatever type_checker is loaded) names the type from the
 * file name, as it would for a static file; without one we say nothing
 * more than octet-stream. */
static const char *content_type_of(request_rec *r, const char *path)
{
    request_rec *rr = ap_sub_req_lookup_file(path, r, NULL);
    const char *type = NULL;

    if (rr->status == HTTP_OK && rr->content_type) {
        type = apr_pstrdup(r->pool, rr->content_type);
    }
    ap_destroy_sub_req(rr);
    return type ? type : "application/octet-stream";
}

/* What every download says besides the file's own headers. */
static void set_safety_headers(request_rec *r, const char *file_id)
{
    apr_table_setn(r->headers_out, "Content-Disposition",
                   sc_link_disposition(r->pool, sc_link_file_name(file_id)));
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    /* An .html or .svg opened in place anyway (attachment is only advice)
     * must not run script on our origin. */
    apr_table_setn(r->headers_out, "Content-Security-Policy", "sandbox");
    /* A link is a bearer credential: no shared cache may keep the file. */
    apr_table_setn(r->headers_out, "Cache-Control", "private");
    apr_table_setn(r->headers_out, "Referrer-Policy", "no-referrer");
}

static void set_download_headers(request_rec *r, const char *path,
                                 const char *file_id, const apr_finfo_t *finfo)
{
    r->finfo = *finfo;
    ap_set_content_type(r, content_type_of(r, path));
    ap_set_content_length(r, finfo->size);
    ap_update_mtime(r, finfo->mtime);
    ap_set_last_modified(r);
    ap_set_etag(r);
    ap_set_accept_ranges(r);
    set_safety_headers(r, file_id);
}

/* A streamed file comes with the headers of the server that holds it:
 * its status (206 for a range it answered), type, length, range and
 * validators; the byterange filter stays out of a 206's way. */
static void set_stream_headers(request_rec *r, const char *file_id,
                               const sc_storage_file_t *f)
{
    r->status = sc_link_stream_status(f->status, f->content_range);
    ap_set_content_type(r, f->content_type ? apr_pstrdup(r->pool, f->content_type)
                                           : "application/octet-stream");
    if (f->length >= 0) {
        ap_set_content_length(r, f->length);
    }
    if (r->status == HTTP_PARTIAL_CONTENT) {
        apr_table_set(r->headers_out, "Content-Range", f->content_range);
    }
    if (f->etag) {
        apr_table_set(r->headers_out, "ETag", f->etag);
    }
    if (f->mtime) {
        ap_update_mtime(r, f->mtime);
        ap_set_last_modified(r);
    }
    ap_set_accept_ranges(r);
    set_safety_headers(r, file_id);
}

int smscloud_send_file(request_rec *r, apr_file_t *fd, apr_off_t size)
{
    apr_bucket_brigade *bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);

    apr_brigade_insert_file(bb, fd, 0, size, r->pool);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(r->connection->bucket_alloc));
    return ap_pass_brigade_fchk(r, bb, "SC07005: sending a linked file failed");
}

/* What the provider's file becomes: the handler's answer in rc. */
typedef struct {
    request_rec *r;
    const char *file_id;
    int rc;
    int streaming;             /* headers of a streamed file are out */
    int enough;                /* we ended the stream: answered, or the
                                * downloader went away */
} download_t;

static apr_status_t download_begin(void *baton, const sc_storage_file_t *f)
{
    download_t *d = baton;
    request_rec *r = d->r;

    if (f->file) {
        set_download_headers(r, f->path, d->file_id, &f->finfo);
        if ((d->rc = ap_meets_conditions(r)) != OK || r->header_only) {
            return APR_SUCCESS;
        }
        d->rc = smscloud_send_file(r, f->file, f->finfo.size);
        return APR_SUCCESS;
    }
    set_stream_headers(r, d->file_id, f);
    d->streaming = 1;
    d->rc = ap_meets_conditions(r);
    if (d->rc != OK || r->header_only) {
        d->enough = 1;
        return APR_EOF;
    }
    return APR_SUCCESS;
}

/* A streamed chunk: ap_rwrite passes it on in small buffers, so a file of
 * any size costs a few of them. */
static apr_status_t download_data(void *baton, const char *buf, apr_size_t len)
{
    download_t *d = baton;

    if (ap_rwrite(buf, (int)len, d->r) < 0) {
        d->enough = 1;
        return APR_ECONNABORTED;
    }
    return APR_SUCCESS;
}

/* The holder of a streamed file failed half-way: the status is out, so
 * the downloader learns it from a connection closed short of the length
 * (or a chunked body without its end). */
static int download_broke(request_rec *r, const smscloud_account_t *a,
                          sc_storage_status_e st)
{
    conn_rec *c = r->connection;
    apr_bucket_brigade *bb = apr_brigade_create(r->pool, c->bucket_alloc);

    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                  "SC07006: linked file of account %s (%s) broke off: %s",
                  a->ref, a->provider, sc_storage_status_text(st));
    c->keepalive = AP_CONN_CLOSE;
    APR_BRIGADE_INSERT_TAIL(bb, ap_bucket_error_create(HTTP_BAD_GATEWAY, NULL, r->pool,
                                                       c->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(c->bucket_alloc));
    ap_pass_brigade(r->output_filters, bb);
    return OK;
}

/* Serve link's file; the handler's answer. */
static int serve(request_rec *r, const sc_link_t *link)
{
    download_t d = { r, link->file_id, HTTP_NOT_FOUND, 0, 0 };
    sc_storage_sink_t sink = { .begin = download_begin, .data = download_data, .baton = &d };
    smscloud_account_t *a = NULL;
    sc_storage_status_e st;
    ap_dbd_t *db;
    int status, log;

    sink.range = apr_table_get(r->headers_in, "Range");
    sink.if_range = apr_table_get(r->headers_in, "If-Range");
    if (!(db = smscloud_db_acquire(r))
        || smscloud_account_by_provider_id(r, db, link->provider, link->account_id,
                                           &a) != APR_SUCCESS) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    if (!a) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "SC07003: link to a %s account that is no longer connected",
                      link->provider);
        return HTTP_NOT_FOUND;
    }
    st = smscloud_storage_read(r, a, link->file_id, &sink);
    if (d.streaming) {
        return st == SC_STORAGE_OK || d.enough ? d.rc : download_broke(r, a, st);
    }
    if ((status = sc_link_read_status(st, &log)) == 0) {
        return d.rc;
    }
    if (log) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "SC07004: linked file of account %s (%s) unavailable: %s",
                      a->ref, a->provider, sc_storage_status_text(st));
    }
    return status;
}

int smscloud_link_handler(request_rec *r)
{
    const smscloud_conf_t *c = smscloud_conf(r);
    const char *token;
    sc_link_t *link = NULL;

    if (r->method_number != M_GET) {
        r->allowed = AP_METHOD_BIT << M_GET;
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (!(token = sc_link_token_from_uri(r->pool, c->link_path, r->uri))) {
        return HTTP_NOT_FOUND;
    }
    switch (smscloud_link_find(r, token, &link)) {
    case SC_LINK_VALID:
        break;
    case SC_LINK_EXPIRED:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "SC07002: expired link refused");
        return smscloud_page_message(r, HTTP_GONE, "This link has expired",
                                     "Download links work for a while only. Text GET "
                                     "and the file's number again for a new link.",
                                     NULL, NULL);
    case SC_LINK_UNAVAILABLE:
        return smscloud_page_unavailable(r);
    default:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "SC07001: unknown, mistyped or ended link refused");
        return smscloud_page_message(r, HTTP_FORBIDDEN, "This link does not work",
                                     "It may be mistyped, or its account was removed. "
                                     "Text GET and the file's number again for a new link.",
                                     NULL, NULL);
    }
    return serve(r, link);
}
