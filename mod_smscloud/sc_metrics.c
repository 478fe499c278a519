/* sc_metrics.c - counters and histograms that every httpd child shares.
 *
 * Block layout: a header of HEADER_CELLS 64-bit cells (magic, layout
 * signature, start time, cell count), then each family's series in the
 * order of the table below. A counter series is one cell; a histogram
 * series is one cell per finite bucket (stored cumulative, so a reader
 * never has to add them up), then the count, then the sum in
 * microseconds.
 */
#include <stdio.h>
#include <string.h>

#include <apr_atomic.h>
#include <apr_strings.h>

#include "sc_metrics.h"
#include "sc_text.h"

#define MAGIC        APR_UINT64_C(0x5343204d45545231)   /* "SC METR1" */
#define HEADER_CELLS 4
#define MAX_LABELS   2
#define OTHER        "other"

typedef enum { KIND_COUNTER, KIND_HISTOGRAM } kind_e;

typedef struct {
    const char *name;
    const char *help;
    kind_e kind;
    const char *label[MAX_LABELS];        /* NULL: no such label */
    const char *const *values[MAX_LABELS];
    const double *buckets;                /* histograms: ascending, ended by 0 */
} family_t;

/* Every label also has the value OTHER, after the listed ones. Labels
 * listed as none take their values from the glue (sc_metrics_set_values):
 * the handler label from the handler table, the command label from
 * sc_cmd, the limit label from the rate limits. */
static const char *const code_classes[] = { "2xx", "3xx", "4xx", "5xx", NULL };
static const char *const sms_results[] = { "ok", "unknown_sender", "busy", NULL };
static const char *const endpoints[] = { "sms", NULL };
static const char *const channels[] = { "web", "gate", "api", NULL };
static const char *const targets[] = { "twilio", "kloudless", "webdav", NULL };
static const char *const upstream_statuses[] = {
    "2xx", "3xx", "4xx", "5xx", SC_METRIC_STATUS_TIMEOUT, SC_METRIC_STATUS_ERROR, NULL
};
static const char *const db_kinds[] = { "connect", "statement", NULL };
static const char *const none[] = { NULL };

static const double request_buckets[] = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 0
};
static const double upstream_buckets[] = {
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 0
};
static const double acquire_buckets[] = {
    0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 0
};

/* Indexed by sc_metric_e. Label values are replaceable (set_values). */
static family_t families[SC_METRIC_COUNT] = {
    { "smscloud_http_requests_total", "Requests answered by a mod_smscloud handler.",
      KIND_COUNTER, { "handler", "code" }, { none, code_classes }, NULL },
    { "smscloud_http_request_duration_seconds",
      "Time from reading a request to logging its answer.",
      KIND_HISTOGRAM, { "handler", NULL }, { none, NULL }, request_buckets },
    { "smscloud_sms_messages_total", "Signed SMS webhooks handled, by command and result.",
      KIND_COUNTER, { "command", "result" }, { none, sms_results }, NULL },
    { "smscloud_sms_replies_total", "TwiML replies that carried a message.",
      KIND_COUNTER, { NULL, NULL }, { NULL, NULL }, NULL },
    { "smscloud_sms_replays_refused_total",
      "Webhook deliveries of a MessageSid already handled (answered as before, not run again).",
      KIND_COUNTER, { NULL, NULL }, { NULL, NULL }, NULL },
    { "smscloud_signature_failures_total", "Webhooks refused for a missing or wrong X-Twilio-Signature.",
      KIND_COUNTER, { "endpoint", NULL }, { endpoints, NULL }, NULL },
    { "smscloud_otp_sends_total", "One-time codes sent.",
      KIND_COUNTER, { "channel", NULL }, { channels, NULL }, NULL },
    { "smscloud_otp_checks_total", "One-time codes entered and checked.",
      KIND_COUNTER, { "channel", NULL }, { channels, NULL }, NULL },
    { "smscloud_otp_approvals_total", "One-time codes found right.",
      KIND_COUNTER, { "channel", NULL }, { channels, NULL }, NULL },
    { "smscloud_otp_failures_total", "One-time codes found wrong, used, expired or out of attempts.",
      KIND_COUNTER, { "channel", NULL }, { channels, NULL }, NULL },
    { "smscloud_otp_lockouts_total", "Code checks refused because the phone is locked.",
      KIND_COUNTER, { "channel", NULL }, { channels, NULL }, NULL },
    { "smscloud_rate_limit_refusals_total", "Requests refused by a rate limit.",
      KIND_COUNTER, { "limit", NULL }, { none, NULL }, NULL },
    { "smscloud_upstream_requests_total",
      "HTTP calls to Twilio and storage providers, by HTTP status class or failure.",
      KIND_COUNTER, { "target", "status" }, { targets, upstream_statuses }, NULL },
    { "smscloud_upstream_request_duration_seconds", "Duration of HTTP calls to upstream APIs.",
      KIND_HISTOGRAM, { "target", NULL }, { targets, NULL }, upstream_buckets },
    { "smscloud_db_errors_total",
      "Database failures: no connection from the pool, or a failed statement.",
      KIND_COUNTER, { "kind", NULL }, { db_kinds, NULL }, NULL },
    { "smscloud_db_acquire_duration_seconds", "Time to get a connection from mod_dbd's pool.",
      KIND_HISTOGRAM, { NULL, NULL }, { NULL, NULL }, acquire_buckets },
    { "smscloud_links_served_total", "Download links answered with a 2xx status.",
      KIND_COUNTER, { NULL, NULL }, { NULL, NULL }, NULL },
    { "smscloud_link_sent_bytes_total", "Bytes sent by downloads through links.",
      KIND_COUNTER, { NULL, NULL }, { NULL, NULL }, NULL },
};

/* Derived from the table by layout(); per process, like the table. */
static struct {
    int ready;
    apr_size_t offset[SC_METRIC_COUNT];     /* first cell of the family */
    apr_size_t nvalues[SC_METRIC_COUNT][MAX_LABELS];
    apr_size_t nbuckets[SC_METRIC_COUNT];
    apr_size_t cells;                      /* header included */
    apr_uint64_t signature;
} lay;

static volatile apr_uint64_t *cells;        /* the block in use, or NULL */

static apr_size_t count_of(const char *const *list)
{
    apr_size_t n = 0;

    while (list && list[n]) {
        n++;
    }
    return n;
}

/* Number of values label i of f takes, OTHER included; 1 without it. */
static apr_size_t values_of(const family_t *f, int i)
{
    return f->label[i] ? count_of(f->values[i]) + 1 : 1;
}

static apr_size_t cells_per_series(sc_metric_e m)
{
    return families[m].kind == KIND_HISTOGRAM ? lay.nbuckets[m] + 2 : 1;
}

static apr_uint64_t fnv(apr_uint64_t h, const char *s)
{
    for (; s && *s; s++) {
        h = (h ^ (unsigned char)*s) * APR_UINT64_C(0x100000001b3);
    }
    return (h ^ 0xff) * APR_UINT64_C(0x100000001b3);
}

static void layout(void)
{
    apr_uint64_t h = APR_UINT64_C(0xcbf29ce484222325);
    apr_size_t next = HEADER_CELLS;
    int m, i;

    if (lay.ready) {
        return;
    }
    for (m = 0; m < SC_METRIC_COUNT; m++) {
        const family_t *f = &families[m];
        const char *const *v;

        h = fnv(h, f->name);
        for (i = 0; i < MAX_LABELS; i++) {
            lay.nvalues[m][i] = values_of(f, i);
            h = fnv(h, f->label[i]);
            for (v = f->label[i] ? f->values[i] : NULL; v && *v; v++) {
                h = fnv(h, *v);
            }
        }
        lay.nbuckets[m] = 0;
        while (f->kind == KIND_HISTOGRAM && f->buckets[lay.nbuckets[m]] > 0) {
            lay.nbuckets[m]++;
        }
        {
            char n[16];
            apr_snprintf(n, sizeof(n), "%" APR_SIZE_T_FMT, lay.nbuckets[m]);
            h = fnv(h, n);
        }
        lay.offset[m] = next;
        next += lay.nvalues[m][0] * lay.nvalues[m][1] * cells_per_series(m);
    }
    lay.cells = next;
    lay.signature = h;
    lay.ready = 1;
}

void sc_metrics_set_values(sc_metric_e m, int label, const char *const *values)
{
    if (m >= 0 && m < SC_METRIC_COUNT && label >= 0 && label < MAX_LABELS
        && families[m].label[label] && values) {
        families[m].values[label] = values;
        lay.ready = 0;
    }
}

apr_size_t sc_metrics_size(void)
{
    layout();
    return lay.cells * sizeof(apr_uint64_t);
}

int sc_metrics_matches(const void *base, apr_size_t size)
{
    const apr_uint64_t *h = base;

    layout();
    return base && size == sc_metrics_size() && h[0] == MAGIC
           && h[1] == lay.signature && h[3] == lay.cells;
}

void sc_metrics_format(void *base, apr_size_t size, apr_time_t now)
{
    apr_uint64_t *h = base;

    layout();
    memset(base, 0, size);
    h[0] = MAGIC;
    h[1] = lay.signature;
    h[2] = (apr_uint64_t)now;
    h[3] = lay.cells;
}

void sc_metrics_use(void *base)
{
    layout();
    cells = base;
}

apr_time_t sc_metrics_start_time(void)
{
    return cells ? (apr_time_t)cells[2] : 0;
}

/* Position of v in label i's values; OTHER (the last) when not there. */
static apr_size_t value_index(const family_t *f, int i, const char *v)
{
    const char *const *list = f->values[i];
    apr_size_t k;

    if (!f->label[i]) {
        return 0;
    }
    for (k = 0; v && list[k]; k++) {
        if (!strcmp(list[k], v)) {
            return k;
        }
    }
    return count_of(list);
}

/* First cell of series (v1, v2) of m, or NULL without a block. */
static volatile apr_uint64_t *series(sc_metric_e m, const char *v1, const char *v2)
{
    const family_t *f;
    apr_size_t k;

    if (!cells || m < 0 || m >= SC_METRIC_COUNT) {
        return NULL;
    }
    f = &families[m];
    k = value_index(f, 0, v1) * lay.nvalues[m][1] + value_index(f, 1, v2);
    return cells + lay.offset[m] + k * cells_per_series(m);
}

void sc_metric_add(sc_metric_e m, const char *v1, const char *v2, apr_uint64_t n)
{
    volatile apr_uint64_t *c = series(m, v1, v2);

    if (c && families[m].kind == KIND_COUNTER) {
        apr_atomic_add64(c, n);
    }
}

void sc_metric_inc(sc_metric_e m, const char *v1, const char *v2)
{
    sc_metric_add(m, v1, v2, 1);
}

void sc_metric_observe(sc_metric_e m, const char *v1, apr_interval_time_t elapsed)
{
    volatile apr_uint64_t *c = series(m, v1, NULL);
    double seconds;
    apr_size_t b, nb;

    if (!c || families[m].kind != KIND_HISTOGRAM) {
        return;
    }
    if (elapsed < 0) {
        elapsed = 0;
    }
    seconds = (double)elapsed / APR_USEC_PER_SEC;
    nb = lay.nbuckets[m];
    for (b = nb; b > 0 && seconds <= families[m].buckets[b - 1]; b--) {
        apr_atomic_inc64(&c[b - 1]);
    }
    apr_atomic_inc64(&c[nb]);
    apr_atomic_add64(&c[nb + 1], (apr_uint64_t)elapsed);
}

void sc_metric_otp_checked(const char *channel, sc_metric_e outcome)
{
    sc_metric_inc(SC_METRIC_OTP_CHECKS, channel, NULL);
    sc_metric_inc(outcome, channel, NULL);
}

const char *sc_metrics_status_class(int status)
{
    static const char *const classes[] = { "1xx", "2xx", "3xx", "4xx", "5xx" };

    return status >= 100 && status < 600 ? classes[status / 100 - 1] : SC_METRIC_STATUS_ERROR;
}

apr_uint64_t sc_metric_value(sc_metric_e m, const char *v1, const char *v2)
{
    volatile apr_uint64_t *c = series(m, v1, v2);

    return c ? apr_atomic_read64(c) : 0;
}

/* ------------------------------------------------------------------ */
/* rendering                                                           */

/* The text so far, grown by sc_text_append(). */
typedef apr_array_header_t out_t;

static void put(out_t *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(out_t *o, const char *fmt, ...)
{
    va_list ap;
    const char *line;

    va_start(ap, fmt);
    line = apr_pvsprintf(o->pool, fmt, ap);
    va_end(ap);
    /* the output of a few hundred counters is far from the bound */
    (void)sc_text_append(o, line, strlen(line));
}

/* Label values come from the code or the configuration, never from a
 * request; escaping them anyway keeps the output valid whatever they are. */
static const char *escaped(apr_pool_t *p, const char *v)
{
    char *e, *d;

    if (!strpbrk(v, "\\\"\n")) {
        return v;
    }
    e = d = apr_palloc(p, 2 * strlen(v) + 1);
    for (; *v; v++) {
        if (*v == '\\' || *v == '"' || *v == '\n') {
            *d++ = '\\';
        }
        *d++ = *v == '\n' ? 'n' : *v;
    }
    *d = '\0';
    return e;
}

static const char *value_name(const family_t *f, int i, apr_size_t k)
{
    return k < count_of(f->values[i]) ? f->values[i][k] : OTHER;
}

/* `l1="a",l2="b"` for series k of family m (empty without labels). */
static const char *labels_of(apr_pool_t *p, sc_metric_e m, apr_size_t k)
{
    const family_t *f = &families[m];
    apr_size_t n1 = lay.nvalues[m][1];
    const char *s = "";

    if (f->label[0]) {
        s = apr_psprintf(p, "%s=\"%s\"", f->label[0],
                         escaped(p, value_name(f, 0, k / n1)));
    }
    if (f->label[1]) {
        s = apr_psprintf(p, "%s,%s=\"%s\"", s, f->label[1],
                         escaped(p, value_name(f, 1, k % n1)));
    }
    return s;
}

static void render_counter(out_t *o, sc_metric_e m, const char *labels,
                           volatile apr_uint64_t *c)
{
    put(o, "%s%s%s%s %" APR_UINT64_T_FMT "\n", families[m].name,
        *labels ? "{" : "", labels, *labels ? "}" : "", apr_atomic_read64(c));
}

/* libc's %g, not APR's: APR writes 0.025 as ".025", and the le label must
 * read as Prometheus' own clients write it. */
static const char *bound(char *buf, apr_size_t size, double v)
{
    snprintf(buf, size, "%g", v);
    return buf;
}

static const char *seconds_of(char *buf, apr_size_t size, apr_uint64_t usec)
{
    snprintf(buf, size, "%.6f", (double)usec / APR_USEC_PER_SEC);
    return buf;
}

static void render_histogram(out_t *o, sc_metric_e m, const char *labels,
                             volatile apr_uint64_t *c)
{
    const family_t *f = &families[m];
    apr_size_t b, nb = lay.nbuckets[m];
    const char *sep = *labels ? "," : "";
    const char *open = *labels ? "{" : "", *close = *labels ? "}" : "";
    char num[32];
    /* the count first: buckets read after it may only be larger */
    apr_uint64_t count = apr_atomic_read64(&c[nb]);
    apr_uint64_t sum = apr_atomic_read64(&c[nb + 1]);

    for (b = 0; b < nb; b++) {
        apr_uint64_t in = apr_atomic_read64(&c[b]);
        put(o, "%s_bucket{%s%sle=\"%s\"} %" APR_UINT64_T_FMT "\n", f->name, labels, sep,
            bound(num, sizeof(num), f->buckets[b]), in > count ? count : in);
    }
    put(o, "%s_bucket{%s%sle=\"+Inf\"} %" APR_UINT64_T_FMT "\n", f->name, labels, sep, count);
    put(o, "%s_sum%s%s%s %s\n", f->name, open, labels, close,
        seconds_of(num, sizeof(num), sum));
    put(o, "%s_count%s%s%s %" APR_UINT64_T_FMT "\n", f->name, open, labels, close, count);
}

static void render_family(out_t *o, sc_metric_e m)
{
    const family_t *f = &families[m];
    apr_size_t k, n = lay.nvalues[m][0] * lay.nvalues[m][1];

    put(o, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help, f->name,
        f->kind == KIND_HISTOGRAM ? "histogram" : "counter");
    for (k = 0; k < n; k++) {
        volatile apr_uint64_t *c = cells + lay.offset[m] + k * cells_per_series(m);
        const char *labels = labels_of(o->pool, m, k);
        if (f->kind == KIND_HISTOGRAM) {
            render_histogram(o, m, labels, c);
        }
        else {
            render_counter(o, m, labels, c);
        }
    }
}

const char *sc_metrics_render(apr_pool_t *p, apr_size_t *len)
{
    out_t *o = apr_array_make(p, 16384, 1);
    int m;

    if (cells) {
        put(o, "# HELP smscloud_metrics_start_time_seconds When these counters "
                "started from zero (Unix time).\n"
                "# TYPE smscloud_metrics_start_time_seconds gauge\n"
                "smscloud_metrics_start_time_seconds %" APR_UINT64_T_FMT "\n",
            (apr_uint64_t)apr_time_sec(sc_metrics_start_time()));
        for (m = 0; m < SC_METRIC_COUNT; m++) {
            render_family(o, m);
        }
    }
    if (len) {
        *len = (apr_size_t)o->nelts;
    }
    return sc_text_string(o);
}
