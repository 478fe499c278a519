/*
 * mod_smscloud_demo: the phone simulator, a module of its own
 * (mod_smscloud_demo.so) that ./demo, bench/ and the tests load next to
 * mod_smscloud. A production server never loads it.
 *
 *   GET  <loc>/         the page (htdocs/simulator.html, .css, .js)
 *   POST <loc>/sms      phone, body: sent to /sms as a signed Twilio webhook
 *   GET  <loc>/outbox   recent outbox rows as JSON (?after=ID for newer)
 *
 * It signs webhooks with the Twilio auth token, so whoever can use it can
 * text /sms as any phone. Hence: off unless SmsCloudDemo On, a warning at
 * startup, and only for a browser on this machine talking to it directly:
 * the peer must be loopback, the Host localhost or a loopback IP literal
 * (parsed: no DNS rebinding), no proxy headers (a local reverse proxy makes
 * every client loopback), a POST's Origin, when sent, this very origin, and
 * a POST must carry X-SmsCloud-Demo, which a cross-site form cannot add.
 *
 * What it needs of mod_smscloud (the site's settings, its database
 * connections, a handler label in its metrics) comes through the optional functions of mod_smscloud.h;
 * the rest is the core (sc_*.c) and httpd's own API.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_script.h"

#include "apr_encode.h"
#include "apr_strings.h"
#include "apr_xml.h"

#include "mod_smscloud.h"

#include "sc_addr.h"
#include "sc_engine.h"
#include "sc_form.h"
#include "sc_http.h"
#include "sc_json.h"
#include "sc_phone.h"
#include "sc_twilio_sig.h"
#include "sc_text.h"

/* The log calls come before the module record, which is therefore no
 * AP_DECLARE_MODULE (it would say this again). */
APLOG_USE_MODULE(smscloud_demo);

#define DEMO_HANDLER        "smscloud-demo"
#define DEMO_TO_DEFAULT     "+15005550006"
#define DEMO_SID_DEFAULT    "AC00000000000000000000000000000000"
#define DEMO_SMS_TIMEOUT_MS 20000L /* /sms answers within Twilio's 15 s */
#define DEMO_CSP "default-src 'self'; img-src 'self' data:; " \
                 "frame-ancestors 'none'; form-action 'self'"

static const struct {
    const char *name;
    const char *type;
} statics[] = {
    { "simulator.html", "text/html; charset=utf-8" },
    { "simulator.css",  "text/css; charset=utf-8" },
    { "simulator.js",   "text/javascript; charset=utf-8" },
    { NULL, NULL }
};

/* The outbox as the page polls it: newest first, ids above %s only; the
 * same for one recipient, so that a busy outbox (bench/run logs many
 * phones in at once) cannot push its message out of the 50. */
#define OUTBOX_ROWS_AFTER \
    "SELECT id, to_phone, from_sender, body, " \
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') " \
    "FROM outbox WHERE id > CAST(%s AS bigint) "
#define STMT_OUTBOX    "smscloud_demo_outbox"
#define STMT_OUTBOX_TO "smscloud_demo_outbox_to"

static const struct {
    const char *label;
    const char *sql;
} statements[] = {
    { STMT_OUTBOX, OUTBOX_ROWS_AFTER "ORDER BY id DESC LIMIT 50" },
    { STMT_OUTBOX_TO, OUTBOX_ROWS_AFTER "AND to_phone = %s ORDER BY id DESC LIMIT 50" },
};

/* their columns, in the order of the SQL */
enum { COL_ID, COL_TO, COL_FROM, COL_BODY, COL_CREATED };

typedef struct {
    int on;                    /* SmsCloudDemo; -1: unset (off) */
    smscloud_site_t site;      /* where on: mod_smscloud's, from post_config */
} demo_conf_t;

/* mod_smscloud's, looked up once it is loaded */
static APR_OPTIONAL_FN_TYPE(smscloud_site_get) *site_get;
static APR_OPTIONAL_FN_TYPE(smscloud_statement_add) *statement_add;
static APR_OPTIONAL_FN_TYPE(smscloud_rows) *rows_of;
static APR_OPTIONAL_FN_TYPE(smscloud_handler_add) *handler_add;

static const demo_conf_t *demo_conf(const server_rec *s)
{
    return ap_get_module_config(s->module_config, &smscloud_demo_module);
}

/* ------------------------------------------------------------------ */
/* who may use it                                                      */

/* A browser sends Origin with every POST; a page of another origin (a
 * rebound name among them) must not drive the simulator. Clients that
 * are not browsers (curl) send none, and cannot be rebound. */
static int origin_allowed(request_rec *r)
{
    const char *origin = apr_table_get(r->headers_in, "Origin");

    return r->method_number != M_POST || !origin
           || sc_origin_is_loopback_self(r->pool, origin, ap_http_scheme(r),
                                         apr_table_get(r->headers_in, "Host"));
}

static int demo_allowed(request_rec *r)
{
    if (demo_conf(r->server)->on != 1) {
        return HTTP_NOT_FOUND;
    }
    if (!sc_sockaddr_is_loopback(r->connection->client_addr)
        || !sc_host_is_loopback(r->hostname) || !origin_allowed(r)
        || apr_table_get(r->headers_in, "X-Forwarded-For")
        || apr_table_get(r->headers_in, "Forwarded")) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "SC08002: phone simulator refused a request that is "
                      "not from a browser on this machine");
        return HTTP_FORBIDDEN;
    }
    return OK;
}

/* ------------------------------------------------------------------ */
/* answers                                                             */

static int send_json(request_rec *r, int status, sc_json_t *j)
{
    const char *text = sc_json_to_string(r->pool, j);

    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    r->status = status;
    ap_set_content_type(r, "application/json");
    ap_set_content_length(r, strlen(text));
    if (!r->header_only) {
        ap_rputs(text, r);
    }
    return OK;
}

static int json_error(request_rec *r, int status, const char *why)
{
    sc_json_t *j = sc_json_new_object(r->pool);

    sc_json_sets(j, "error", why);
    return send_json(r, status, j);
}

static int serve_static(request_rec *r, const smscloud_site_t *site, const char *name,
                        const char *type)
{
    const char *path = apr_pstrcat(r->pool, site->template_dir, "/", name, NULL);
    apr_size_t sent = 0;
    apr_file_t *fd;
    apr_finfo_t fi;
    apr_status_t rv;

    if (r->method_number != M_GET) {
        r->allowed = AP_METHOD_BIT << M_GET;
        return HTTP_METHOD_NOT_ALLOWED;
    }
    rv = apr_file_open(&fd, path, APR_FOPEN_READ | APR_FOPEN_BINARY,
                       APR_OS_DEFAULT, r->pool);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, APR_FINFO_SIZE, fd);
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      "SC08003: cannot read %s (SmsCloudTemplateDir)", path);
        return HTTP_NOT_FOUND;
    }
    ap_set_content_type(r, type);
    ap_set_content_length(r, fi.size);
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    apr_table_setn(r->headers_out, "Content-Security-Policy", DEMO_CSP);
    if (r->header_only) {
        return OK;
    }
    rv = ap_send_fd(fd, r, 0, (apr_size_t)fi.size, &sent);
    return rv == APR_SUCCESS ? OK : AP_FILTER_ERROR;
}

/* ------------------------------------------------------------------ */
/* POST sms: what Twilio would send for this phone's message           */

/* The form's phone and body (httpd's parser, at most max bytes); NULL for
 * a field it lacks. */
static int read_form(request_rec *r, apr_off_t max, const char **phone, const char **body)
{
    apr_array_header_t *pairs = NULL;
    int rc, i;

    *phone = *body = NULL;
    if (r->method_number != M_POST) {
        r->allowed = AP_METHOD_BIT << M_POST;
        return HTTP_METHOD_NOT_ALLOWED;
    }
    /* ap_parse_form_data() reads any other body as an empty form, which
     * would be answered as a missing phone */
    if (!sc_form_content_type_ok(apr_table_get(r->headers_in, "Content-Type"))) {
        return HTTP_UNSUPPORTED_MEDIA_TYPE;
    }
    if ((rc = ap_parse_form_data(r, NULL, &pairs, 8, (apr_size_t)max)) != OK) {
        return rc;
    }
    for (i = 0; pairs && i < pairs->nelts; i++) {
        ap_form_pair_t *pair = &APR_ARRAY_IDX(pairs, i, ap_form_pair_t);
        const char **field = !strcmp(pair->name, "phone") ? phone
                             : !strcmp(pair->name, "body") ? body : NULL;
        char *value = NULL;
        apr_size_t len = 0;

        if (field && apr_brigade_pflatten(pair->value, &value, &len, r->pool)
                     == APR_SUCCESS) {
            *field = apr_pstrmemdup(r->pool, value, len);
        }
    }
    return OK;
}

static apr_array_header_t *webhook_params(request_rec *r, const smscloud_site_t *site,
                                          const char *from, const char *body)
{
    apr_array_header_t *pairs = apr_array_make(r->pool, 10, sizeof(sc_pair_t));
    unsigned char raw[16];
    const char *sid;

    if (apr_generate_random_bytes(raw, sizeof(raw)) != APR_SUCCESS) {
        return NULL;
    }
    sid = apr_pstrcat(r->pool, "SM", apr_pencode_base16(r->pool, (const char *)raw,
                      sizeof(raw), APR_ENCODE_LOWER, NULL), NULL);
    sc_form_add(pairs, "MessageSid", sid);
    sc_form_add(pairs, "SmsMessageSid", sid);
    sc_form_add(pairs, "SmsSid", sid);
    sc_form_add(pairs, "AccountSid", site->twilio_account_sid ? site->twilio_account_sid
                                                            : DEMO_SID_DEFAULT);
    sc_form_add(pairs, "From", from);
    sc_form_add(pairs, "To", site->service_number ? site->service_number : DEMO_TO_DEFAULT);
    sc_form_add(pairs, "Body", body);
    sc_form_add(pairs, "NumMedia", "0");
    sc_form_add(pairs, "NumSegments", "1");
    sc_form_add(pairs, "ApiVersion", "2010-04-01");
    return pairs;
}

/* POST the signed webhook to the site's public /sms URL. */
static apr_status_t post_webhook(request_rec *r, const smscloud_site_t *site,
                                 const apr_array_header_t *pairs,
                                 sc_http_response_t **resp)
{
    const char *body = sc_form_encode(r->pool, pairs);
    const char *sig = sc_twilio_sig_compute(r->pool, site->twilio_auth_token,
                                            site->sms_url, pairs);
    sc_http_request_t req = { 0 };

    if (!sig) {
        return APR_EGENERAL;
    }
    req.method = "POST";
    req.url = site->sms_url;
    req.headers = apr_table_make(r->pool, 2);
    apr_table_setn(req.headers, "Content-Type", "application/x-www-form-urlencoded");
    apr_table_setn(req.headers, "X-Twilio-Signature", sig);
    req.body = body;
    req.body_len = strlen(body);
    req.connect_timeout_ms = (long)apr_time_as_msec(site->connect_timeout);
    req.timeout_ms = DEMO_SMS_TIMEOUT_MS;
    return sc_http_perform(r->pool, &req, resp);
}

/* Text of one <Message>: its own text, or that of a <Body> child. */
static const char *message_text(apr_pool_t *p, const apr_xml_elem *msg)
{
    const apr_xml_elem *e = msg;
    const char *text = NULL;
    apr_size_t size = 0;

    if (msg->first_child && !strcmp(msg->first_child->name, "Body")) {
        e = msg->first_child;
    }
    /* The parser keeps text decoded and to_text copies it as is. */
    apr_xml_to_text(p, e, APR_XML_X2T_INNER, NULL, NULL, &text, &size);
    return text ? text : "";
}

/* The reply's messages, in order; NULL when it is not TwiML. */
static sc_json_t *twiml_messages(apr_pool_t *p, const char *xml, apr_size_t len)
{
    apr_xml_parser *parser = apr_xml_parser_create(p);
    sc_json_t *out = sc_json_new_array(p);
    const apr_xml_elem *e;
    apr_xml_doc *doc = NULL;

    if (apr_xml_parser_feed(parser, xml, len) != APR_SUCCESS
        || apr_xml_parser_done(parser, &doc) != APR_SUCCESS
        || !doc || !doc->root || strcmp(doc->root->name, "Response")) {
        return NULL;
    }
    for (e = doc->root->first_child; e; e = e->next) {
        if (!strcmp(e->name, "Message")) {
            sc_json_array_adds(out, message_text(p, e));
        }
    }
    return out;
}

static int demo_sms(request_rec *r, const smscloud_site_t *site)
{
    const char *phone = NULL, *typed, *body;
    sc_http_response_t *resp = NULL;
    apr_array_header_t *pairs;
    sc_json_t *j, *messages;
    int rc = read_form(r, site->max_form_body, &typed, &body);

    if (rc != OK) {
        return rc;
    }
    if (!apr_table_get(r->headers_in, "X-SmsCloud-Demo")) {
        return HTTP_FORBIDDEN;
    }
    if (sc_phone_normalise(r->pool, typed, &phone) != APR_SUCCESS) {
        return json_error(r, HTTP_BAD_REQUEST, "phone: an international number like +15551234567");
    }
    if (!body || sc_utf8_len(sc_text_sanitize(r->pool, body, strlen(body))) > SC_SMS_MAX_CHARS) {
        return json_error(r, HTTP_BAD_REQUEST,
                          apr_psprintf(r->pool, "body: at most %d characters", SC_SMS_MAX_CHARS));
    }
    if (!(pairs = webhook_params(r, site, phone, body))
        || post_webhook(r, site, pairs, &resp) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "SC08004: simulator could not reach %s: %s", site->sms_url,
                      resp && resp->error ? resp->error : "no answer");
        return json_error(r, HTTP_BAD_GATEWAY, "no answer from /sms (see the error log)");
    }
    j = sc_json_new_object(r->pool);
    messages = twiml_messages(r->pool, resp->body, resp->body_len);
    sc_json_seti(j, "status", resp->status);
    sc_json_sets(j, "from", phone);
    if (messages) {
        sc_json_setj(j, "messages", messages);
    }
    sc_json_sets(j, "twiml", sc_text_sanitize(r->pool, resp->body, resp->body_len));
    return send_json(r, HTTP_OK, j);
}

/* ------------------------------------------------------------------ */
/* GET outbox                                                          */

static sc_json_t *outbox_row(apr_pool_t *p, const char **col)
{
    sc_json_t *o = sc_json_new_object(p);

    sc_json_sets(o, "id", col[COL_ID]);
    sc_json_sets(o, "to", col[COL_TO]);
    sc_json_sets(o, "from", col[COL_FROM]);
    sc_json_sets(o, "body", col[COL_BODY]);
    sc_json_sets(o, "created", col[COL_CREATED]);
    return o;
}

static int demo_outbox(request_rec *r)
{
    apr_array_header_t *query = NULL, *rows = NULL;
    const char *after, *to;
    sc_json_t *list;
    int i;

    if (r->method_number != M_GET) {
        r->allowed = AP_METHOD_BIT << M_GET;
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (r->args && sc_form_parse(r->pool, r->args, strlen(r->args), 8, &query) != APR_SUCCESS) {
        return HTTP_BAD_REQUEST;
    }
    after = query ? sc_form_get(query, "after") : NULL;
    if (!sc_decimal_id_ok(after)) {
        after = "0";
    }
    to = query ? sc_form_get(query, "to") : NULL;
    if (to && !sc_phone_is_e164(to)) {
        return json_error(r, HTTP_BAD_REQUEST, "to: not an E.164 number");
    }
    if (rows_of(r, to ? STMT_OUTBOX_TO : STMT_OUTBOX, &rows, after, to, NULL)
        != APR_SUCCESS) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    list = sc_json_new_array(r->pool);
    for (i = 0; i < rows->nelts; i++) {
        sc_json_array_add(list, outbox_row(r->pool, APR_ARRAY_IDX(rows, i, const char **)));
    }
    return send_json(r, HTTP_OK, list);
}

/* ------------------------------------------------------------------ */

static int demo_handler(request_rec *r)
{
    const char *last = strrchr(r->uri, '/');
    const smscloud_site_t *site = &demo_conf(r->server)->site;
    int rc, i;

    if (!r->handler || strcmp(r->handler, DEMO_HANDLER)) {
        return DECLINED;
    }
    if ((rc = demo_allowed(r)) != OK) {
        return rc;
    }
    last = last ? last + 1 : r->uri;
    if (!strcmp(last, "sms")) {
        return demo_sms(r, site);
    }
    if (!strcmp(last, "outbox")) {
        return demo_outbox(r);
    }
    for (i = 0; statics[i].name; i++) {
        if (!strcmp(last, statics[i].name)) {
            return serve_static(r, site, statics[i].name, statics[i].type);
        }
    }
    if (*last) {
        /* the page's relative URLs need the trailing slash */
        apr_table_setn(r->headers_out, "Location",
                       ap_construct_url(r->pool, apr_pstrcat(r->pool, r->uri, "/", NULL), r));
        return HTTP_MOVED_PERMANENTLY;
    }
    return serve_static(r, site, statics[0].name, statics[0].type);
}

/* ------------------------------------------------------------------ */
/* configuration                                                       */

static void *create_server_conf(apr_pool_t *p, server_rec *s)
{
    demo_conf_t *c = apr_pcalloc(p, sizeof(*c));

    c->on = -1;
    return c;
}

static void *merge_server_conf(apr_pool_t *p, void *basev, void *addv)
{
    const demo_conf_t *base = basev, *add = addv;
    demo_conf_t *c = apr_pcalloc(p, sizeof(*c));

    c->on = add->on != -1 ? add->on : base->on;
    return c;
}

static const char *set_demo(cmd_parms *cmd, void *dconf, int flag)
{
    demo_conf_t *c = ap_get_module_config(cmd->server->module_config,
                                          &smscloud_demo_module);

    c->on = flag;
    return NULL;
}

static const command_rec demo_cmds[] = {
    AP_INIT_FLAG("SmsCloudDemo", set_demo, NULL, RSRC_CONF,
        "Enable the loopback-only phone simulator (never on a shared or public server)"),
    { NULL }
};

static int demo_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    size_t i;

    site_get = APR_RETRIEVE_OPTIONAL_FN(smscloud_site_get);
    statement_add = APR_RETRIEVE_OPTIONAL_FN(smscloud_statement_add);
    rows_of = APR_RETRIEVE_OPTIONAL_FN(smscloud_rows);
    handler_add = APR_RETRIEVE_OPTIONAL_FN(smscloud_handler_add);
    if (!site_get || !statement_add || !rows_of || !handler_add) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, NULL,
                     "SC08005: mod_smscloud_demo needs mod_smscloud: "
                     "LoadModule smscloud_module too");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    for (i = 0; i < sizeof(statements) / sizeof(statements[0]); i++) {
        statement_add(pconf, statements[i].label, statements[i].sql);
    }
    handler_add(pconf, DEMO_HANDLER);
    return OK;
}

/* Where the simulator is on, mod_smscloud must serve the site it texts,
 * whose settings are kept for the requests; and every such server says so
 * loudly. */
static int demo_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                            server_rec *s)
{
    server_rec *sp;

    for (sp = s; sp; sp = sp->next) {
        demo_conf_t *c = ap_get_module_config(sp->module_config, &smscloud_demo_module);

        if (c->on != 1) {
            continue;
        }
        if (site_get(pconf, sp, &c->site) != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, sp,
                         "SC08006: SmsCloudDemo On, but mod_smscloud is not "
                         "configured for this server");
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, sp,
                     "SC08001: SmsCloudDemo is ON for %s: the phone simulator "
                     "signs SMS webhooks for any loopback client. Never enable "
                     "it on a shared or public server.", c->site.sms_url);
    }
    return OK;
}

static void demo_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(demo_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    /* after mod_smscloud has checked and completed its configuration */
    ap_hook_post_config(demo_post_config, NULL, NULL, APR_HOOK_LAST);
    ap_hook_handler(demo_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA smscloud_demo_module = {
    STANDARD20_MODULE_STUFF,
    NULL,
    NULL,
    create_server_conf,
    merge_server_conf,
    demo_cmds,
    demo_register_hooks,
    AP_MODULE_FLAG_NONE
};
