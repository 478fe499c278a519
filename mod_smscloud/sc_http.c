/* sc_http.c - libcurl behind sc_http_perform() (see sc_http.h). */

#include <string.h>

#include <apr_strings.h>
#include <apr_lib.h>
#include <apr_buckets.h>
#include <apr_thread_proc.h>
#include <apr_uri.h>

#include <curl/curl.h>

#include "sc_http.h"
#include "sc_log.h"
#include "sc_metrics.h"

typedef struct {
    apr_pool_t *p;
    CURL *curl;
    struct curl_slist *hdrs;
    apr_bucket_alloc_t *ba;
    apr_bucket_brigade *bb;
    apr_size_t body_len;
    apr_size_t max_body;
    apr_size_t header_bytes;
    int overflow;              /* a cap was hit: the abort is ours */
    int aborted;               /* the stream callback ended it */
    int streamed;              /* the stream callback has been called */
    const sc_http_request_t *req;
    sc_http_response_t *resp;
    char errbuf[CURL_ERROR_SIZE];
} http_exchange_t;

/* ------------------------------------------------------------------------ */
/* process setup */

static apr_status_t global_cleanup(void *data)
{
    (void)data;
    curl_global_cleanup();
    return APR_SUCCESS;
}

apr_status_t sc_http_global_init(apr_pool_t *pconf)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        return APR_EGENERAL;
    }
    /* curl counts init/cleanup pairs, so a graceful restart that clears
     * pconf and runs post_config again stays balanced. Forked children
     * must not tear down the parent's TLS state: no child cleanup. */
    apr_pool_cleanup_register(pconf, NULL, global_cleanup,
                              apr_pool_cleanup_null);
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* one curl handle per thread, kept between exchanges: it keeps its
 * connections, TLS sessions and DNS answers, so the pages of a listing
 * and the calls of one message do not connect again each time */

static apr_threadkey_t *handle_key;

static void handle_free(void *h)
{
    if (h) {
        curl_easy_cleanup(h);
    }
}

apr_status_t sc_http_child_init(apr_pool_t *pchild)
{
    return apr_threadkey_private_create(&handle_key, handle_free, pchild);
}

/* The thread's handle, reset to curl's defaults, or a new one. */
static CURL *handle_take(void)
{
    void *h = NULL;

    if (handle_key && apr_threadkey_private_get(&h, handle_key) == APR_SUCCESS && h) {
        apr_threadkey_private_set(NULL, handle_key);
        curl_easy_reset(h);
        return h;
    }
    return curl_easy_init();
}

static void handle_give_back(CURL *h)
{
    void *held = NULL;

    if (handle_key && apr_threadkey_private_get(&held, handle_key) == APR_SUCCESS
        && !held && apr_threadkey_private_set(h, handle_key) == APR_SUCCESS) {
        return;
    }
    curl_easy_cleanup(h);
}

/* ------------------------------------------------------------------------ */
/* one exchange */

static apr_status_t exchange_cleanup(void *data)
{
    http_exchange_t *x = data;

    if (x->curl) {
        handle_give_back(x->curl);
        x->curl = NULL;
    }
    if (x->hdrs) {
        curl_slist_free_all(x->hdrs);
        x->hdrs = NULL;
    }
    if (x->bb) {
        apr_brigade_destroy(x->bb);
        x->bb = NULL;
    }
    if (x->ba) {
        /* Frees the heap buckets' memory now rather than with p, which
         * matters when one request pool serves many exchanges. */
        apr_bucket_alloc_destroy(x->ba);
        x->ba = NULL;
    }
    return APR_SUCCESS;
}

/* The body as it comes, for a streaming request. */
static apr_status_t stream_out(http_exchange_t *x, const char *data, apr_size_t len)
{
    long code = 0;

    if (!x->streamed) {
        curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &code);
        x->resp->status = (int)code;
        x->streamed = 1;
    }
    if (x->req->stream(x->req->stream_baton, x->resp, data, len) != APR_SUCCESS) {
        x->aborted = 1;
        return APR_ECONNABORTED;
    }
    return APR_SUCCESS;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *baton)
{
    http_exchange_t *x = baton;
    size_t len = size * nmemb;

    if (x->req->stream) {
        return stream_out(x, data, len) == APR_SUCCESS ? len : 0;
    }
    if (len > x->max_body - x->body_len) {
        x->overflow = 1;
        return 0;     /* any other count makes curl abort the transfer */
    }
    if (apr_brigade_write(x->bb, NULL, NULL, data, len) != APR_SUCCESS) {
        return 0;
    }
    x->body_len += len;
    return len;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *baton)
{
    http_exchange_t *x = baton;
    size_t len = size * nmemb;
    const char *colon, *end, *v;
    char *name, *c;

    if (len > SC_HTTP_MAX_HEADER_BYTES - x->header_bytes) {
        x->overflow = 1;
        return 0;
    }
    x->header_bytes += len;
    /* Each status line starts a new header block (after a 100 Continue,
     * say); only the final block describes the answer. */
    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        apr_table_clear(x->resp->headers);
        return len;
    }
    end = data + len;
    while (end > data && (end[-1] == '\r' || end[-1] == '\n')) {
        end--;
    }
    colon = memchr(data, ':', (size_t)(end - data));
    /* Folded continuation lines and the blank last line carry no name. */
    if (!colon || colon == data || *data == ' ' || *data == '\t') {
        return len;
    }
    name = apr_pstrmemdup(x->p, data, (apr_size_t)(colon - data));
    for (c = name; *c; c++) {
        *c = (char)apr_tolower(*c);
    }
    for (v = colon + 1; v < end && (*v == ' ' || *v == '\t'); v++) {
    }
    while (end > v && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }
    apr_table_addn(x->resp->headers, name,
                   apr_pstrmemdup(x->p, v, (apr_size_t)(end - v)));
    return len;
}

typedef struct {
    http_exchange_t *x;
    int bad;
} header_baton_t;

static int add_header(void *baton, const char *key, const char *value)
{
    header_baton_t *hb = baton;
    struct curl_slist *n;

    /* CR or LF would let a value smuggle in another header. */
    if (strpbrk(key, "\r\n:") || strpbrk(value, "\r\n")) {
        hb->bad = 1;
        return 0;
    }
    n = curl_slist_append(hb->x->hdrs,
                          apr_pstrcat(hb->x->p, key, ": ", value, NULL));
    if (!n) {
        hb->bad = 1;
        return 0;
    }
    hb->x->hdrs = n;
    return 1;
}

static apr_status_t build_headers(http_exchange_t *x, apr_table_t *headers)
{
    header_baton_t hb = { x, 0 };
    struct curl_slist *n;

    if (headers) {
        apr_table_do(add_header, &hb, headers, NULL);
        if (hb.bad) {
            return APR_EINVAL;
        }
    }
    /* Our bodies are small; the extra round trip of 100-continue only
     * costs time and some test servers handle it badly. */
    n = curl_slist_append(x->hdrs, "Expect:");
    if (!n) {
        return APR_ENOMEM;
    }
    x->hdrs = n;
    return APR_SUCCESS;
}

static int method_ok(const char *m)
{
    if (!*m) {
        return 0;
    }
    for (; *m; m++) {
        if (*m < 'A' || *m > 'Z') {
            return 0;
        }
    }
    return 1;
}

#define SETOPT(opt, val) \
    do { \
        if (curl_easy_setopt(x->curl, opt, val) != CURLE_OK) { \
            goto setopt_failed; \
        } \
    } while (0)

static apr_status_t set_options(http_exchange_t *x, const sc_http_request_t *req)
{
    const char *method = req->method ? req->method : "GET";
    long connect_ms = req->connect_timeout_ms > 0
                      ? req->connect_timeout_ms : SC_HTTP_DEFAULT_CONNECT_TIMEOUT_MS;
    long total_ms = req->timeout_ms > 0 ? req->timeout_ms : SC_HTTP_DEFAULT_TIMEOUT_MS;

    if (!method_ok(method)) {
        return APR_EINVAL;
    }
    SETOPT(CURLOPT_ERRORBUFFER, x->errbuf);
    SETOPT(CURLOPT_URL, req->url);
    /* Threaded MPMs: curl must never use alarm()/SIGALRM for timeouts. */
    SETOPT(CURLOPT_NOSIGNAL, 1L);
    SETOPT(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    if (req->stream && req->stall_ms > 0) {
        /* a download takes as long as it takes, unless it stalls */
        SETOPT(CURLOPT_TIMEOUT_MS, 0L);
        SETOPT(CURLOPT_LOW_SPEED_LIMIT, 1L);
        SETOPT(CURLOPT_LOW_SPEED_TIME, req->stall_ms < 1000 ? 1L : req->stall_ms / 1000);
    }
    else {
        SETOPT(CURLOPT_TIMEOUT_MS, total_ms);
    }
#if LIBCURL_VERSION_NUM >= 0x075500
    SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
    SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    SETOPT(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    SETOPT(CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    /* A redirect from an API is a fault, and following one would resend
     * credentials to wherever it points. */
    SETOPT(CURLOPT_FOLLOWLOCATION, 0L);
    SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
    SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
    SETOPT(CURLOPT_USERAGENT, "mod_smscloud");
    SETOPT(CURLOPT_FRESH_CONNECT, req->not_repeatable ? 1L : 0L);
    if (!req->stream) {
        SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max_body);
    }
    SETOPT(CURLOPT_WRITEFUNCTION, on_body);
    SETOPT(CURLOPT_WRITEDATA, x);
    SETOPT(CURLOPT_HEADERFUNCTION, on_header);
    SETOPT(CURLOPT_HEADERDATA, x);
    SETOPT(CURLOPT_HTTPHEADER, x->hdrs);
    if (req->user) {
        SETOPT(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        SETOPT(CURLOPT_USERNAME, req->user);
        SETOPT(CURLOPT_PASSWORD, req->password ? req->password : "");
    }

    if (strcmp(method, "GET") == 0 && !req->body) {
        SETOPT(CURLOPT_HTTPGET, 1L);
    }
    else {
        if (strcmp(method, "POST") != 0) {
            SETOPT(CURLOPT_CUSTOMREQUEST, method);
        }
        if (req->body || strcmp(method, "POST") == 0) {
            /* POSTFIELDS does not copy: the body lives in the caller's
             * pool for the whole exchange. */
            SETOPT(CURLOPT_POSTFIELDSIZE_LARGE,
                   (curl_off_t)(req->body ? req->body_len : 0));
            SETOPT(CURLOPT_POSTFIELDS, req->body ? req->body : "");
        }
    }
    return APR_SUCCESS;

setopt_failed:
    return APR_EGENERAL;
}

#undef SETOPT

static apr_status_t curl_status(http_exchange_t *x, CURLcode rc)
{
    switch (rc) {
    case CURLE_OK:
        return APR_SUCCESS;
    case CURLE_OPERATION_TIMEDOUT:
        return APR_TIMEUP;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return APR_ECONNREFUSED;
    case CURLE_FILESIZE_EXCEEDED:
        return APR_ENOSPC;
    case CURLE_WRITE_ERROR:
        return x->overflow ? APR_ENOSPC : x->aborted ? APR_ECONNABORTED : APR_EGENERAL;
    default:
        return APR_EGENERAL;
    }
}

/* Every call that reached the network, by target and outcome. */
static void count_call(const sc_http_request_t *req, apr_status_t rv, int status,
                       apr_time_t start)
{
    const char *outcome = rv == APR_TIMEUP ? SC_METRIC_STATUS_TIMEOUT
                        : rv != APR_SUCCESS ? SC_METRIC_STATUS_ERROR
                        : sc_metrics_status_class(status);

    if (req->target) {
        sc_metric_inc(SC_METRIC_UPSTREAM_REQUESTS, req->target, outcome);
        sc_metric_observe(SC_METRIC_UPSTREAM_DURATION, req->target, apr_time_now() - start);
    }
}

static const char *body_text(http_exchange_t *x, apr_size_t *len)
{
    char *buf = apr_palloc(x->p, x->body_len + 1);
    apr_size_t n = x->body_len;

    if (x->body_len > 0 && apr_brigade_flatten(x->bb, buf, &n) != APR_SUCCESS) {
        n = 0;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

const char *sc_http_host_of(apr_pool_t *p, const char *url)
{
    apr_uri_t uri;

    if (apr_uri_parse(p, url, &uri) != APR_SUCCESS || !uri.hostname) {
        return "(no host)";
    }
    return uri.port_str ? apr_pstrcat(p, uri.hostname, ":", uri.port_str, NULL)
                        : uri.hostname;
}

/* Upstream trouble is logged here once, with what only this layer knows:
 * the curl error text, or the HTTP status of a refusal. */
static void log_outcome(apr_pool_t *p, const sc_http_request_t *req, apr_status_t rv,
                        const sc_http_response_t *resp)
{
    const char *method = req->method ? req->method : "GET";

    if (rv != APR_SUCCESS) {
        sc_log_perror(SC_LOG_MARK, SC_LOG_WARNING, rv, p,
                      "SC05001: %s %s failed: %s", method, sc_http_host_of(p, req->url),
                      resp->error ? resp->error : "unknown error");
    }
    else if (resp->status >= 400) {
        sc_log_perror(SC_LOG_MARK, resp->status >= 500 ? SC_LOG_WARNING : SC_LOG_INFO, 0, p,
                      "SC05002: %s %s answered HTTP %d", method, sc_http_host_of(p, req->url),
                      resp->status);
    }
}

apr_status_t sc_http_perform(apr_pool_t *p, const sc_http_request_t *req,
                             sc_http_response_t **presp)
{
    http_exchange_t *x;
    sc_http_response_t *resp;
    apr_status_t rv;
    CURLcode rc;
    long code = 0;
    apr_time_t start;

    *presp = NULL;
    if (!req || !req->url || (req->body_len > 0 && !req->body)) {
        return APR_EINVAL;
    }
    resp = apr_pcalloc(p, sizeof(*resp));
    resp->headers = apr_table_make(p, 8);
    resp->body = "";
    *presp = resp;

    x = apr_pcalloc(p, sizeof(*x));
    x->p = p;
    x->req = req;
    x->resp = resp;
    x->max_body = req->max_response ? req->max_response : SC_HTTP_DEFAULT_MAX_RESPONSE;
    x->ba = apr_bucket_alloc_create(p);
    x->bb = apr_brigade_create(p, x->ba);
    /* Registered before curl allocates anything, so no exit path can leak
     * the handle or the header list; and after the brigade, so that at
     * pool destruction it runs first (cleanups run last-in first-out) and
     * destroys the brigade and allocator before their own cleanups would. */
    apr_pool_cleanup_register(p, x, exchange_cleanup, apr_pool_cleanup_null);
    x->curl = handle_take();
    if (!x->curl) {
        rv = APR_ENOMEM;
        resp->error = "cannot create a curl handle";
        goto leave;
    }
    if ((rv = build_headers(x, req->headers)) != APR_SUCCESS) {
        resp->error = "invalid request header";
        goto leave;
    }
    if ((rv = set_options(x, req)) != APR_SUCCESS) {
        resp->error = (rv == APR_EINVAL) ? "invalid request method"
                                         : "cannot set a curl option";
        goto leave;
    }

    start = apr_time_now();
    rc = curl_easy_perform(x->curl);
    rv = curl_status(x, rc);
    if (rv == APR_SUCCESS && req->stream && !x->streamed
        && stream_out(x, "", 0) != APR_SUCCESS) {
        rv = APR_ECONNABORTED;
    }
    if (rv == APR_SUCCESS) {
        curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &code);
    }
    count_call(req, rv, (int)code, start);
    if (rv != APR_SUCCESS) {
        if (rv == APR_ENOSPC) {
            resp->error = apr_psprintf(p, "response larger than %" APR_SIZE_T_FMT
                                       " bytes", x->max_body);
        }
        else {
            resp->error = apr_pstrdup(p, x->errbuf[0] ? x->errbuf
                                                       : curl_easy_strerror(rc));
        }
        goto leave;
    }
    resp->status = (int)code;
    resp->body = body_text(x, &resp->body_len);

leave:
    /* Hand curl back now; the pool may serve many more exchanges. */
    apr_pool_cleanup_run(p, x, exchange_cleanup);
    /* a stream its caller ended failed only if the server refused */
    log_outcome(p, req, rv == APR_ECONNABORTED && x->aborted ? APR_SUCCESS : rv, resp);
    return rv;
}
