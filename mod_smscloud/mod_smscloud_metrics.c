/*
 * Metrics in shared memory. The block is anonymous shared memory made by
 * the parent in post_config and inherited by every child it forks. It
 * hangs on the process pool, not pconf, so a graceful restart keeps it and
 * the counters go on counting across generations; a new layout (another
 * build of the module) gets a new block, and the start-time gauge tells
 * Prometheus the counters were reset.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_metrics.h"

#include "apr_shm.h"
#include "apr_strings.h"

#include "sc_cmd.h"

#define SHM_KEY "smscloud-metrics-shm"
#define HANDLER_PREFIX "smscloud-"

/* Other modules' handlers (smscloud_metrics_handler_add), for the
 * configuration being read: pconf's cleanup forgets them, and pre_config
 * adds them again on a restart. */
static apr_array_header_t *added_handlers;

static apr_status_t added_handlers_forget(void *unused)
{
    added_handlers = NULL;
    return APR_SUCCESS;
}

void smscloud_metrics_handler_add(apr_pool_t *pconf, const char *handler)
{
    if (!added_handlers) {
        added_handlers = apr_array_make(pconf, 2, sizeof(const char *));
        apr_pool_cleanup_register(pconf, NULL, added_handlers_forget, apr_pool_cleanup_null);
    }
    APR_ARRAY_PUSH(added_handlers, const char *) = apr_pstrdup(pconf, handler);
}

/* name without HANDLER_PREFIX onto labels, unless it is there already or
 * names no handler of ours. */
static void label_push(apr_array_header_t *labels, const char *name)
{
    const apr_size_t skip = sizeof(HANDLER_PREFIX) - 1;
    int i;

    if (!name || strncmp(name, HANDLER_PREFIX, skip) || !name[skip]) {
        return;
    }
    for (i = 0; i < labels->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(labels, i, const char *), name + skip)) {
            return;
        }
    }
    APR_ARRAY_PUSH(labels, const char *) = name + skip;
}

/* "sms", "login" ...: the values of the handler label, in the handler
 * table's order, then the other modules' ones. */
static const char *const *handler_labels(apr_pool_t *p, const char *const *handlers)
{
    apr_array_header_t *labels = apr_array_make(p, 12, sizeof(const char *));
    int i;

    for (; *handlers; handlers++) {
        label_push(labels, *handlers);
    }
    for (i = 0; added_handlers && i < added_handlers->nelts; i++) {
        label_push(labels, APR_ARRAY_IDX(added_handlers, i, const char *));
    }
    APR_ARRAY_PUSH(labels, const char *) = NULL;
    return (const char *const *)labels->elts;
}

static const char *const *rate_labels(apr_pool_t *p)
{
    const char **names = apr_pcalloc(p, (SC_RATE_COUNT + 1) * sizeof(*names));
    int i;

    for (i = 0; i < SC_RATE_COUNT; i++) {
        names[i] = smscloud_rate_name(i);
    }
    return names;
}

/* The block from an earlier generation when its layout is ours, else a
 * new one. */
static apr_status_t shared_block(server_rec *s, apr_size_t size, void **base)
{
    apr_pool_t *keep = s->process->pool;
    apr_shm_t *shm = NULL;
    apr_status_t rv;

    apr_pool_userdata_get((void **)&shm, SHM_KEY, keep);
    if (shm && sc_metrics_matches(apr_shm_baseaddr_get(shm), apr_shm_size_get(shm))) {
        *base = apr_shm_baseaddr_get(shm);
        return APR_SUCCESS;
    }
    /* an old block stays mapped: children of the old generation may still
     * be counting in it */
    if ((rv = apr_shm_create(&shm, size, NULL, keep)) != APR_SUCCESS) {
        return rv;
    }
    *base = apr_shm_baseaddr_get(shm);
    sc_metrics_format(*base, size, apr_time_now());
    apr_pool_userdata_set(shm, SHM_KEY, apr_pool_cleanup_null, keep);
    return APR_SUCCESS;
}

apr_status_t smscloud_metrics_init(apr_pool_t *pconf, server_rec *s,
                                   const char *const *handlers)
{
    const char *const *labels = handler_labels(pconf, handlers);
    apr_size_t size;
    void *base = NULL;
    apr_status_t rv;

    sc_metrics_set_values(SC_METRIC_HTTP_REQUESTS, 0, labels);
    sc_metrics_set_values(SC_METRIC_HTTP_DURATION, 0, labels);
    sc_metrics_set_values(SC_METRIC_RATE_REFUSALS, 0, rate_labels(pconf));
    sc_metrics_set_values(SC_METRIC_SMS_MESSAGES, 0, sc_cmd_kind_names());
    size = sc_metrics_size();
    if ((rv = shared_block(s, size, &base)) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     "SC11001: cannot create %" APR_SIZE_T_FMT " bytes of shared "
                     "memory for the metrics", size);
        return rv;
    }
    sc_metrics_use(base);
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s,
                 "SC11002: metrics in %" APR_SIZE_T_FMT " bytes of shared memory, "
                 "counting since %" APR_TIME_T_FMT, size,
                 apr_time_sec(sc_metrics_start_time()));
    return APR_SUCCESS;
}

int smscloud_metrics_log(request_rec *r)
{
    const char *handler;

    while (r->next) {
        r = r->next;            /* the answer after internal redirects */
    }
    if (!r->handler || strncmp(r->handler, HANDLER_PREFIX, sizeof(HANDLER_PREFIX) - 1)) {
        return DECLINED;
    }
    handler = r->handler + sizeof(HANDLER_PREFIX) - 1;
    sc_metric_inc(SC_METRIC_HTTP_REQUESTS, handler, sc_metrics_status_class(r->status));
    sc_metric_observe(SC_METRIC_HTTP_DURATION, handler, apr_time_now() - r->request_time);
    if (!strcmp(r->handler, "smscloud-link") && r->status >= 200 && r->status < 300) {
        sc_metric_inc(SC_METRIC_LINKS_SERVED, NULL, NULL);
        sc_metric_add(SC_METRIC_LINK_BYTES, NULL, NULL, (apr_uint64_t)r->bytes_sent);
    }
    return DECLINED;
}

int smscloud_metrics_handler(request_rec *r)
{
    apr_size_t len = 0;
    const char *text;

    if (r->method_number != M_GET) {
        r->allowed = AP_METHOD_BIT << M_GET;
        return HTTP_METHOD_NOT_ALLOWED;
    }
    text = sc_metrics_render(r->pool, &len);
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_set_content_type(r, SC_METRICS_CONTENT_TYPE);
    ap_set_content_length(r, len);
    if (!r->header_only) {
        ap_rwrite(text, len, r);
    }
    return OK;
}
