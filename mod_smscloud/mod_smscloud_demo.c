/*
 * smscloud-demo: the phone simulator (SmsCloudDemo On only).
 *
 *   GET  <loc>/         the page (htdocs/simulator.html, .css, .js)
 *   POST <loc>/sms      phone, body: sent to /sms as a signed Twilio webhook
 *   GET  <loc>/outbox   recent outbox rows as JSON (?after=ID for newer)
 *
 * It signs webhooks with the Twilio auth token, so whoever can use it can
 * text /sms as any phone. Hence: off by default, a warning at startup, and
 * only for a browser on this machine talking to it directly: the peer must
 * be loopback, the Host localhost or a loopback IP literal (parsed: no DNS
 * rebinding), no proxy headers (a local reverse proxy makes every client
 * loopback), a POST's Origin, when sent, this very origin, and a POST must
 * carry X-SmsCloud-Demo, which a cross-site form cannot add.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_link.h"
#include "mod_smscloud_outbound.h"
#include "mod_smscloud_request.h"

#include "http_core.h"

#include "apr_encode.h"
#include "apr_strings.h"
#include "apr_xml.h"

#include "sc_addr.h"
#include "sc_engine.h"
#include "sc_form.h"
#include "sc_http.h"
#include "sc_json.h"
#include "sc_phone.h"
#include "sc_twilio_sig.h"
#include "sc_text.h"

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
    if (!smscloud_conf(r)->demo) {
        return HTTP_NOT_FOUND;
    }
    if (!smscloud_client_is_loopback(r) || !sc_host_is_loopback(r->hostname)
        || !origin_allowed(r)
        || apr_table_get(r->headers_in, "X-Forwarded-For")
        || apr_table_get(r->headers_in, "Forwarded")) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "SC08002: phone simulator refused a request that is "
                      "not from a browser on this machine");
        return HTTP_FORBIDDEN;
    }
    return OK;
}

void smscloud_demo_announce(server_rec *s)
{
    server_rec *sp;

    for (sp = s; sp; sp = sp->next) {
        const smscloud_conf_t *c = smscloud_server_conf(sp);

        if (c->configured && c->demo == 1) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, sp,
                         "SC08001: SmsCloudDemo is ON for %s: the phone "
                         "simulator signs SMS webhooks for any loopback "
                         "client. Never enable it on a shared or public server.",
                         c->public_url);
        }
    }
}

/* ------------------------------------------------------------------ */
/* answers                                                             */

static int send_json(request_rec *r, int status, sc_json_t *j)
{
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    return smscloud_send_text(r, status, "application/json",
                              sc_json_to_string(r->pool, j));
}

static int json_error(request_rec *r, int status, const char *why)
{
    sc_json_t *j = sc_json_new_object(r->pool);

    sc_json_sets(j, "error", why);
    return send_json(r, status, j);
}

static int serve_static(request_rec *r, const char *name, const char *type)
{
    const char *path = apr_pstrcat(r->pool, smscloud_conf(r)->template_dir, "/",
                                   name, NULL);
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
    return smscloud_send_file(r, fd, fi.size);
}

/* ------------------------------------------------------------------ */
/* POST sms: what Twilio would send for this phone's message           */

static apr_array_header_t *webhook_params(request_rec *r, const char *from,
                                          const char *body)
{
    const smscloud_conf_t *c = smscloud_conf(r);
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
    sc_form_add(pairs, "AccountSid", c->twilio_account_sid ? c->twilio_account_sid
                                                           : DEMO_SID_DEFAULT);
    sc_form_add(pairs, "From", from);
    sc_form_add(pairs, "To", smscloud_service_number(r) ? smscloud_service_number(r)
                                                        : DEMO_TO_DEFAULT);
    sc_form_add(pairs, "Body", body);
    sc_form_add(pairs, "NumMedia", "0");
    sc_form_add(pairs, "NumSegments", "1");
    sc_form_add(pairs, "ApiVersion", "2010-04-01");
    return pairs;
}

/* POST the signed webhook to our own public /sms URL. */
static apr_status_t post_webhook(request_rec *r, const apr_array_header_t *pairs,
                                 sc_http_response_t **resp)
{
    const smscloud_conf_t *c = smscloud_conf(r);
    const char *url = smscloud_public_url(r, "/sms");
    const char *body = sc_form_encode(r->pool, pairs);
    const char *sig = sc_twilio_sig_compute(r->pool, c->twilio_auth_token, url, pairs);
    sc_http_request_t req = { 0 };

    if (!sig) {
        return APR_EGENERAL;
    }
    req.method = "POST";
    req.url = url;
    req.headers = apr_table_make(r->pool, 2);
    apr_table_setn(req.headers, "Content-Type", "application/x-www-form-urlencoded");
    apr_table_setn(req.headers, "X-Twilio-Signature", sig);
    req.body = body;
    req.body_len = strlen(body);
    req.connect_timeout_ms = (long)apr_time_as_msec(c->http_connect_timeout);
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

static int demo_sms(request_rec *r)
{
    const smscloud_conf_t *c = smscloud_conf(r);
    apr_array_header_t *in = NULL, *pairs;
    const char *phone = NULL, *body;
    sc_http_response_t *resp = NULL;
    sc_json_t *j, *messages;
    int rc = smscloud_read_form(r, c->max_form_body, &in);

    if (rc != OK) {
        return rc;
    }
    if (!apr_table_get(r->headers_in, "X-SmsCloud-Demo")) {
        return HTTP_FORBIDDEN;
    }
    body = sc_form_get(in, "body");
    if (sc_phone_normalise(r->pool, sc_form_get(in, "phone"), &phone) != APR_SUCCESS) {
        return json_error(r, HTTP_BAD_REQUEST, "phone: an international number like +15551234567");
    }
    if (!body || sc_utf8_len(sc_text_sanitize(r->pool, body, strlen(body))) > SC_SMS_MAX_CHARS) {
        return json_error(r, HTTP_BAD_REQUEST,
                          apr_psprintf(r->pool, "body: at most %d characters", SC_SMS_MAX_CHARS));
    }
    if (!(pairs = webhook_params(r, phone, body))
        || post_webhook(r, pairs, &resp) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "SC08004: simulator could not reach %s/sms: %s", c->public_url,
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

    sc_json_sets(o, "id", col[0]);
    sc_json_sets(o, "to", col[1]);
    sc_json_sets(o, "from", col[2]);
    sc_json_sets(o, "body", col[3]);
    sc_json_sets(o, "created", col[4]);
    return o;
}

static int demo_outbox(request_rec *r)
{
    apr_array_header_t *query = NULL, *rows = NULL;
    const char *after, *to;
    sc_json_t *list;
    ap_dbd_t *db;
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
    if (!(db = smscloud_db_acquire(r))
        || smscloud_db_select(r, db, to ? "smscloud_demo_outbox_to" : "smscloud_demo_outbox",
                              &rows, after, to, NULL) != APR_SUCCESS) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    list = sc_json_new_array(r->pool);
    for (i = 0; i < rows->nelts; i++) {
        sc_json_array_add(list, outbox_row(r->pool, APR_ARRAY_IDX(rows, i, const char **)));
    }
    return send_json(r, HTTP_OK, list);
}

/* ------------------------------------------------------------------ */

int smscloud_demo_handler(request_rec *r)
{
    const char *last = strrchr(r->uri, '/');
    int rc = demo_allowed(r), i;

    if (rc != OK) {
        return rc;
    }
    last = last ? last + 1 : r->uri;
    if (!strcmp(last, "sms")) {
        return demo_sms(r);
    }
    if (!strcmp(last, "outbox")) {
        return demo_outbox(r);
    }
    for (i = 0; statics[i].name; i++) {
        if (!strcmp(last, statics[i].name)) {
            return serve_static(r, statics[i].name, statics[i].type);
        }
    }
    if (*last) {
        /* the page's relative URLs need the trailing slash */
        apr_table_setn(r->headers_out, "Location",
                       ap_construct_url(r->pool, apr_pstrcat(r->pool, r->uri, "/", NULL), r));
        return HTTP_MOVED_PERMANENTLY;
    }
    return serve_static(r, statics[0].name, statics[0].type);
}
