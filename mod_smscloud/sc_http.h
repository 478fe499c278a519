/* sc_http.h - one blocking HTTP exchange for the mod_smscloud core.
 *
 * This is the only interface to libcurl: no other file includes a curl
 * header. Requests are described by a struct so that new options do not
 * grow argument lists; everything returned lives in the caller's pool.
 */
#ifndef SC_HTTP_H
#define SC_HTTP_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_errno.h>

/** The defaults of SmsCloudHttpConnectTimeout and SmsCloudHttpTimeout, and
 *  what a request with connect_timeout_ms or timeout_ms 0 or less gets.
 *  Both are well inside Twilio's 15 s webhook budget, leaving room for the
 *  database and a second upstream call. */
#define SC_HTTP_DEFAULT_CONNECT_TIMEOUT_MS 3000L
#define SC_HTTP_DEFAULT_TIMEOUT_MS 5000L
/** Used when sc_http_request_t.max_response is 0. */
#define SC_HTTP_DEFAULT_MAX_RESPONSE ((apr_size_t)1024 * 1024)
/** Cap on the total size of the response header lines. */
#define SC_HTTP_MAX_HEADER_BYTES ((apr_size_t)64 * 1024)

typedef struct sc_http_response_t sc_http_response_t;

typedef struct {
    const char *method;        /* "GET", "POST", "DELETE", ...; NULL = GET */
    const char *url;           /* http:// or https:// only */
    apr_table_t *headers;      /* extra request headers, may be NULL */
    const char *body;          /* request body, may be NULL */
    apr_size_t body_len;
    const char *user;          /* HTTP Basic credentials when user is set */
    const char *password;
    long connect_timeout_ms;
    long timeout_ms;           /* whole exchange */
    /* A request that must not be made twice (it sends an SMS): on a fresh
     * connection, because libcurl sends a request again when a reused
     * connection closes before any answer, and the server may have acted. */
    int not_repeatable;
    apr_size_t max_response;   /* body cap in bytes */
    const char *target;        /* metrics label ("twilio", "kloudless", ...);
                                * NULL: the call is not counted */

    /* Streaming: when set, the body goes to stream() as it arrives (once
     * with len 0 for an empty one) instead of being collected, so any size
     * costs one buffer; head has the status and headers. A return other
     * than APR_SUCCESS ends the transfer (sc_http_perform then returns
     * APR_ECONNABORTED, and logs it only when head->status is an HTTP
     * error). max_response does not apply. */
    apr_status_t (*stream)(void *baton, const sc_http_response_t *head,
                           const char *data, apr_size_t len);
    void *stream_baton;
    /* With stream: timeout_ms is then no limit on the whole exchange; only
     * this long without a byte is (0 = timeout_ms as usual). */
    long stall_ms;
} sc_http_request_t;

struct sc_http_response_t {
    int status;                /* HTTP status; 0 when no answer came */
    apr_table_t *headers;      /* names in lower case */
    const char *body;          /* NUL-terminated copy of the body */
    apr_size_t body_len;
    const char *error;         /* short text for logs when rv != APR_SUCCESS */
};

/**
 * Initialise libcurl for the process; call once from post_config.
 * @param pconf pool whose cleanup releases libcurl again
 * @return APR_SUCCESS or APR_EGENERAL
 */
apr_status_t sc_http_global_init(apr_pool_t *pconf);

/**
 * Keep one curl handle per thread from now on (child_init); without it,
 * every exchange makes and frees its own.
 * @param pchild pool of the child process
 */
apr_status_t sc_http_child_init(apr_pool_t *pchild);

/**
 * Perform one request. Redirects are not followed and TLS peers are always
 * verified. Any HTTP status counts as success: the caller judges it.
 * @param p    pool for the response; the curl handle is handed back to the
 *             thread before returning (and by a cleanup on p should
 *             anything go wrong). A failure, or an HTTP status of 400 or
 *             more, is logged (SC05001, SC05002: method, host, curl error
 *             text or status) through sc_log.
 * @param req  the request
 * @param resp set on every return except APR_EINVAL/APR_ENOMEM before
 *             the exchange; resp->error explains a failure
 * @return APR_SUCCESS; APR_TIMEUP when a timeout expired; APR_ECONNREFUSED
 *         when no connection could be made (including name resolution);
 *         APR_ENOSPC when the answer exceeds the caps; APR_EINVAL for a bad
 *         request (no URL, CR/LF in a header); APR_EGENERAL otherwise
 */
apr_status_t sc_http_perform(apr_pool_t *p, const sc_http_request_t *req,
                             sc_http_response_t **resp);

/**
 * Where a request goes, for logs: "host" or "host:port", never the path or
 * query (they can carry ids and tokens), nor a user or password.
 * @return "(no host)" for what is not a URL
 */
const char *sc_http_host_of(apr_pool_t *p, const char *url);

#endif /* SC_HTTP_H */
