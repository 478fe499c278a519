/* sc_webdav.c - the WebDAV storage provider (see sc_webdav.h). */

#include <string.h>

#include <apr_date.h>
#include <apr_escape.h>
#include <apr_strings.h>
#include <apr_uri.h>
#include <apr_xml.h>

#include "sc_form.h"
#include "sc_http.h"
#include "sc_json.h"
#include "sc_log.h"
#include "sc_webdav.h"
#include "sc_text.h"

/* ------------------------------------------------------------------------ */
/* reading a 207 Multi-Status */

static int is_dav(const apr_xml_doc *doc, const apr_xml_elem *e, const char *name)
{
    return e->ns >= 0 && e->ns < doc->namespaces->nelts
        && !strcmp(APR_XML_GET_URI_ITEM(doc->namespaces, e->ns), "DAV:")
        && !strcmp(e->name, name);
}

static const apr_xml_elem *child(const apr_xml_doc *doc, const apr_xml_elem *e,
                                 const char *name)
{
    for (e = e ? e->first_child : NULL; e; e = e->next) {
        if (is_dav(doc, e, name)) {
            return e;
        }
    }
    return NULL;
}

/* The text right inside e (no markup in the properties we read). */
static const char *text_of(apr_pool_t *p, const apr_xml_elem *e)
{
    const apr_text *t;
    char *s = "";

    for (t = e ? e->first_cdata.first : NULL; t; t = t->next) {
        s = apr_pstrcat(p, s, t->text, NULL);
    }
    return s;
}

/* An href as a decoded absolute path: servers send a path or a full URL. */
static const char *href_path(apr_pool_t *p, const char *href)
{
    apr_uri_t uri;
    const char *path = href;

    while (*href == ' ' || *href == '\t' || *href == '\r' || *href == '\n') {
        href++;
    }
    if (!strncasecmp(href, "http://", 7) || !strncasecmp(href, "https://", 8)) {
        if (apr_uri_parse(p, href, &uri) != APR_SUCCESS || !uri.path) {
            return NULL;
        }
        path = uri.path;
    }
    else {
        path = apr_pstrndup(p, href, strcspn(href, " \t\r\n"));
    }
    if (path[0] != '/') {
        return NULL;
    }
    /* a "%2F" would decode into a name that cannot be asked for again:
     * such an entry is left out (NULL) */
    return apr_punescape_url(p, path, "/", NULL, 0);
}

static int same_folder(const char *a, const char *b)
{
    apr_size_t la = strlen(a), lb = strlen(b);

    while (la > 1 && a[la - 1] == '/') {
        la--;
    }
    while (lb > 1 && b[lb - 1] == '/') {
        lb--;
    }
    return la == lb && !strncmp(a, b, la);
}

/* The props of the propstat with a 2xx status (there is one per status). */
static const apr_xml_elem *ok_props(apr_pool_t *p, const apr_xml_doc *doc,
                                    const apr_xml_elem *response)
{
    const apr_xml_elem *e;

    for (e = response->first_child; e; e = e->next) {
        const char *status;

        if (!is_dav(doc, e, "propstat")) {
            continue;
        }
        status = text_of(p, child(doc, e, "status"));
        /* "HTTP/1.1 200 OK" */
        status = strchr(status, ' ');
        if (status && status[1] == '2') {
            return child(doc, e, "prop");
        }
    }
    return NULL;
}

/* One response: an entry directly inside folder_path, or *is_self. */
static sc_storage_status_e read_response(apr_pool_t *p, const apr_xml_doc *doc,
                                         const apr_xml_elem *response,
                                         const char *folder_path,
                                         sc_storage_item_t **item, int *is_self)
{
    const apr_xml_elem *props = ok_props(p, doc, response), *len;
    const char *path = href_path(p, text_of(p, child(doc, response, "href")));
    apr_size_t n = strlen(folder_path);
    const char *name, *end;
    sc_storage_item_t *it;
    int folder;

    *item = NULL;
    *is_self = 0;
    if (!path) {
        return SC_STORAGE_OK;
    }
    folder = props && child(doc, child(doc, props, "resourcetype"), "collection") != NULL;
    if (same_folder(path, folder_path)) {
        *is_self = folder;
        return SC_STORAGE_OK;
    }
    if (strncmp(path, folder_path, n) || folder_path[n - 1] != '/') {
        return SC_STORAGE_BAD_REPLY;
    }
    name = path + n;
    end = name + strcspn(name, "/");
    /* one level down only: "a/" is the folder a, "a/b" is not ours */
    if (end == name || (*end && end[1])) {
        return SC_STORAGE_BAD_REPLY;
    }
    /* no name that would climb out of the folder when asked for */
    if ((end - name == 1 && name[0] == '.')
        || (end - name == 2 && name[0] == '.' && name[1] == '.')) {
        return SC_STORAGE_BAD_REPLY;
    }
    it = apr_pcalloc(p, sizeof(*it));
    it->is_folder = folder || *end == '/';
    it->id = it->is_folder && !*end ? apr_pstrcat(p, path, "/", NULL) : path;
    it->name = sc_text_oneline(p, name, (apr_size_t)(end - name));
    it->size = -1;
    if (!it->is_folder && (len = child(doc, props, "getcontentlength"))) {
        char *stop;
        apr_int64_t v = apr_strtoi64(text_of(p, len), &stop, 10);

        it->size = (*stop == '\0' && v >= 0) ? v : -1;
    }
    if (!it->is_folder) {
        const char *type = text_of(p, child(doc, props, "getcontenttype"));

        it->mime_type = *type ? sc_text_oneline(p, type, strlen(type)) : NULL;
    }
    *item = it;
    return SC_STORAGE_OK;
}

sc_storage_status_e sc_webdav_parse_listing(apr_pool_t *p, const char *body,
                                            apr_size_t len, const char *folder_path,
                                            int max_items, apr_array_header_t **items,
                                            int *self)
{
    apr_xml_parser *parser;
    apr_xml_doc *doc = NULL;
    const apr_xml_elem *e;
    apr_array_header_t *out;
    int found_self = 0;

    *items = NULL;
    if (self) {
        *self = 0;
    }
    if (!folder_path || folder_path[0] != '/') {
        return SC_STORAGE_BAD_REPLY;
    }
    parser = apr_xml_parser_create(p);
    if (apr_xml_parser_feed(parser, body, len) != APR_SUCCESS
        || apr_xml_parser_done(parser, &doc) != APR_SUCCESS
        || !doc || !doc->root || !is_dav(doc, doc->root, "multistatus")) {
        return SC_STORAGE_BAD_REPLY;
    }
    out = apr_array_make(p, 16, sizeof(sc_storage_item_t *));
    for (e = doc->root->first_child; e; e = e->next) {
        sc_storage_item_t *it;
        int is_self;

        if (!is_dav(doc, e, "response")) {
            continue;
        }
        if (read_response(p, doc, e, folder_path, &it, &is_self) != SC_STORAGE_OK) {
            return SC_STORAGE_BAD_REPLY;
        }
        found_self |= is_self;
        if (!it) {
            continue;
        }
        if (out->nelts >= max_items) {
            return SC_STORAGE_BAD_REPLY;
        }
        APR_ARRAY_PUSH(out, sc_storage_item_t *) = it;
    }
    *items = out;
    if (self) {
        *self = found_self;
    }
    return SC_STORAGE_OK;
}

/* ------------------------------------------------------------------------ */
/* talking to the server */

#define D_ALLOW_HTTP "SmsCloudWebdavAllowHttp"

static const char propfind_body[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
    "<d:propfind xmlns:d=\"DAV:\"><d:prop><d:resourcetype/><d:getcontentlength/>"
    "<d:getcontenttype/><d:getlastmodified/></d:prop></d:propfind>";

typedef struct {
    apr_array_header_t *allow_http;  /* host names plain http may reach */
    long connect_timeout_ms;
    long timeout_ms;
} webdav_conf_t;

/* What an account's credentials hold. */
typedef struct {
    const char *origin;        /* "https://dav.example:8443" */
    const char *base;          /* the account's folder path, decoded, ending in "/" */
    const char *user;
    const char *password;
} webdav_login_t;

/* The URL of a decoded absolute path: every segment escaped. */
static const char *url_of(apr_pool_t *p, const webdav_login_t *l, const char *path)
{
    apr_array_header_t *segs = apr_array_make(p, 8, sizeof(const char *));
    char *copy = apr_pstrdup(p, path), *seg, *state = NULL;
    apr_size_t n = strlen(path);

    for (seg = apr_strtok(copy, "/", &state); seg; seg = apr_strtok(NULL, "/", &state)) {
        APR_ARRAY_PUSH(segs, const char *) = apr_pescape_path_segment(p, seg);
    }
    return apr_pstrcat(p, l->origin, "/", apr_array_pstrcat(p, segs, '/'),
                       (segs->nelts && n && path[n - 1] == '/') ? "/" : "", NULL);
}

static sc_storage_status_e status_of(int status)
{
    if (status == 401 || status == 403) {
        return SC_STORAGE_DENIED;
    }
    if (status == 404 || status == 410) {
        return SC_STORAGE_NOT_FOUND;
    }
    if (status == 405) {
        return SC_STORAGE_NOT_FOLDER;
    }
    if (status == 408 || status == 423 || status == 429 || status >= 500) {
        return SC_STORAGE_UNAVAILABLE;
    }
    return SC_STORAGE_BAD_REPLY;
}

/* sc_http has logged a failed exchange or an HTTP error already. */
static sc_storage_status_e propfind(const webdav_conf_t *c, apr_pool_t *p,
                                    const webdav_login_t *l, const char *path,
                                    const char *depth, sc_http_response_t **resp)
{
    sc_http_request_t req;
    apr_status_t rv;

    memset(&req, 0, sizeof(req));
    req.method = "PROPFIND";
    req.url = url_of(p, l, path);
    req.headers = apr_table_make(p, 3);
    apr_table_setn(req.headers, "Depth", depth);
    apr_table_setn(req.headers, "Content-Type", "application/xml; charset=utf-8");
    req.body = propfind_body;
    req.body_len = sizeof(propfind_body) - 1;
    req.user = l->user;
    req.password = l->password;
    req.connect_timeout_ms = c->connect_timeout_ms;
    req.timeout_ms = c->timeout_ms;
    req.max_response = SC_WEBDAV_MAX_RESPONSE;
    req.target = "webdav";
    rv = sc_http_perform(p, &req, resp);
    if (rv != APR_SUCCESS) {
        return rv == APR_ENOSPC ? SC_STORAGE_BAD_REPLY : SC_STORAGE_UNAVAILABLE;
    }
    if ((*resp)->status != 207) {
        return status_of((*resp)->status);
    }
    return SC_STORAGE_OK;
}

/* A 207 that cannot be used: sc_http saw nothing wrong with it. */
static void log_bad_listing(apr_pool_t *p, const webdav_login_t *l)
{
    sc_log_perror(SC_LOG_MARK, SC_LOG_WARNING, 0, p,
                  "SC05201: PROPFIND %s: a 207 that cannot be used (not a "
                  "multistatus, malformed, or more than %d entries)",
                  sc_http_host_of(p, l->origin), SC_WEBDAV_MAX_ITEMS);
}

/* ------------------------------------------------------------------------ */
/* credentials */

static const char *login_to_text(apr_pool_t *p, const webdav_login_t *l)
{
    sc_json_t *j = sc_json_new_object(p);

    if (!j || sc_json_sets(j, "origin", l->origin) || sc_json_sets(j, "base", l->base)
        || sc_json_sets(j, "user", l->user) || sc_json_sets(j, "password", l->password)) {
        return NULL;
    }
    return sc_json_to_string(p, j);
}

static webdav_login_t *login_of(apr_pool_t *p, const sc_storage_account_t *a)
{
    webdav_login_t *l = apr_pcalloc(p, sizeof(*l));
    sc_json_t *j = NULL;

    if (!a->credentials
        || sc_json_parse(p, a->credentials, strlen(a->credentials), &j) != APR_SUCCESS) {
        return NULL;
    }
    l->origin = sc_json_gets(p, j, "origin", NULL);
    l->base = sc_json_gets(p, j, "base", NULL);
    l->user = sc_json_gets(p, j, "user", NULL);
    l->password = sc_json_gets(p, j, "password", NULL);
    if (!l->origin || !l->base || l->base[0] != '/' || !l->user || !l->password) {
        return NULL;
    }
    return l;
}

/* Stored credentials that do not read as a login: the row was not made
 * by this provider's connect. */
static webdav_login_t *login_or_log(apr_pool_t *p, const sc_storage_account_t *a)
{
    webdav_login_t *l = login_of(p, a);

    if (!l) {
        sc_log_perror(SC_LOG_MARK, SC_LOG_ERR, 0, p,
                      "SC05202: the credentials of a WebDAV account are not a login "
                      "(connect it again)");
    }
    return l;
}

/* Whether an id lies inside the account's folder: ids come from the
 * server's own listings, never from a user, but are checked anyway. */
static int in_account(const webdav_login_t *l, const char *id)
{
    return id && !strncmp(id, l->base, strlen(l->base));
}

/* Whether url may be used: https, or http to a host the operator listed. */
static int scheme_allowed(const webdav_conf_t *c, const apr_uri_t *uri)
{
    int i;

    if (!strcasecmp(uri->scheme, "https")) {
        return 1;
    }
    for (i = 0; c->allow_http && i < c->allow_http->nelts; i++) {
        if (!strcasecmp(uri->hostname, APR_ARRAY_IDX(c->allow_http, i, const char *))) {
            return 1;
        }
    }
    return 0;
}

/* The login a connect form describes, or NULL with *problem set. */
static webdav_login_t *login_from_form(const webdav_conf_t *c, apr_pool_t *p,
                                       const apr_array_header_t *form,
                                       const char **problem)
{
    const char *url = sc_form_get(form, "url"), *user = sc_form_get(form, "user");
    const char *password = sc_form_get(form, "password");
    const char *nextcloud = sc_form_get(form, "nextcloud");
    webdav_login_t *l = apr_pcalloc(p, sizeof(*l));
    apr_uri_t uri;
    const char *path;

    if (!url || !*url || !user || !*user || !password || !*password) {
        *problem = "Please fill in the server address, the user name and the password.";
        return NULL;
    }
    if (apr_uri_parse(p, url, &uri) != APR_SUCCESS || !uri.scheme || !uri.hostname
        || !*uri.hostname || (strcasecmp(uri.scheme, "https") && strcasecmp(uri.scheme, "http"))
        || uri.query || uri.fragment || uri.user) {
        *problem = "The server address must be a URL like https://cloud.example.com/.";
        return NULL;
    }
    if (!scheme_allowed(c, &uri)) {
        *problem = "The server address must start with https:// (this site does not "
                   "send passwords unencrypted).";
        return NULL;
    }
    path = uri.path ? apr_punescape_url(p, uri.path, "/", NULL, 0) : "/";
    if (!path || !*path) {
        path = "/";
    }
    if (path[strlen(path) - 1] != '/') {
        path = apr_pstrcat(p, path, "/", NULL);
    }
    /* Nextcloud and ownCloud keep a user's files here */
    if (nextcloud && *nextcloud && !strstr(path, "/remote.php/")) {
        path = apr_pstrcat(p, path, "remote.php/dav/files/", user, "/", NULL);
    }
    l->origin = apr_pstrcat(p, uri.scheme, "://", uri.hostinfo, NULL);
    l->base = path;
    l->user = user;
    l->password = password;
    return l;
}

/* ------------------------------------------------------------------------ */
/* the provider */

static sc_storage_status_e dav_connect(const void *ctx, apr_pool_t *p, const char *phone,
                                       const apr_array_header_t *form,
                                       sc_storage_connected_t **account,
                                       const char **problem)
{
    const webdav_conf_t *c = ctx;
    webdav_login_t *l = login_from_form(c, p, form, problem);
    sc_storage_connected_t *a;
    sc_http_response_t *resp = NULL;
    apr_array_header_t *items;
    const char *name;
    sc_storage_status_e st;
    int self = 0;

    if (!l) {
        return SC_STORAGE_INVALID;
    }
    st = propfind(c, p, l, l->base, "0", &resp);
    if (st == SC_STORAGE_OK
        && (sc_webdav_parse_listing(p, resp->body, resp->body_len, l->base, 1, &items,
                                    &self) != SC_STORAGE_OK || !self)) {
        st = SC_STORAGE_NOT_FOLDER;
    }
    switch (st) {
    case SC_STORAGE_OK:
        break;
    case SC_STORAGE_DENIED:
        *problem = "The server refused that user name and password. For Nextcloud "
                   "and ownCloud, use an app password (Settings, Security).";
        return st;
    case SC_STORAGE_NOT_FOUND:
    case SC_STORAGE_NOT_FOLDER:
        *problem = "There is no WebDAV folder at that address.";
        return st;
    default:
        *problem = "The server did not answer as a WebDAV server. Check the address "
                   "and try again.";
        return st;
    }
    a = apr_pcalloc(p, sizeof(*a));
    a->id = apr_pstrcat(p, l->user, "@", l->origin, l->base, NULL);
    a->service = "webdav";
    name = apr_pstrcat(p, "WebDAV (", l->user, "@", sc_http_host_of(p, l->origin), ")",
                       NULL);
    a->display_name = sc_text_oneline(p, name, strlen(name));
    a->credentials = login_to_text(p, l);
    *account = a;
    return a->credentials ? SC_STORAGE_OK : SC_STORAGE_BAD_REPLY;
}

/* PROPFIND path with depth, its 207 read as at most max entries of folder
 * (logged when it cannot be). */
static sc_storage_status_e propfind_entries(const webdav_conf_t *c, apr_pool_t *p,
                                            const webdav_login_t *l, const char *path,
                                            const char *depth, const char *folder, int max,
                                            apr_array_header_t **items)
{
    sc_http_response_t *resp = NULL;
    sc_storage_status_e st;

    if ((st = propfind(c, p, l, path, depth, &resp)) != SC_STORAGE_OK) {
        return st;
    }
    st = sc_webdav_parse_listing(p, resp->body, resp->body_len, folder, max, items, NULL);
    if (st != SC_STORAGE_OK) {
        log_bad_listing(p, l);
    }
    return st;
}

static sc_storage_status_e dav_list(const void *ctx, apr_pool_t *p,
                                    const sc_storage_account_t *account,
                                    const char *folder_id, apr_array_header_t **items)
{
    webdav_login_t *l = login_or_log(p, account);
    const char *path;

    *items = NULL;
    if (!l) {
        return SC_STORAGE_DENIED;
    }
    path = folder_id ? folder_id : l->base;
    if (!in_account(l, path)) {
        return SC_STORAGE_NOT_FOUND;
    }
    return propfind_entries(ctx, p, l, path, "1", path, SC_WEBDAV_MAX_ITEMS, items);
}

static sc_storage_status_e dav_describe(const void *ctx, apr_pool_t *p,
                                        const sc_storage_account_t *account,
                                        const char *item_id, sc_storage_item_t **item)
{
    webdav_login_t *l = login_or_log(p, account);
    apr_array_header_t *items = NULL;
    char *parent;
    sc_storage_status_e st;

    *item = NULL;
    if (!l) {
        return SC_STORAGE_DENIED;
    }
    if (!in_account(l, item_id) || strlen(item_id) <= strlen(l->base)) {
        return SC_STORAGE_NOT_FOUND;
    }
    /* the item's own entry, read as an entry of its parent (a folder's id
     * ends in '/', which is not where its parent ends) */
    parent = apr_pstrndup(p, item_id, strlen(item_id) - 1);
    *(strrchr(parent, '/') + 1) = '\0';
    st = propfind_entries(ctx, p, l, item_id, "0", parent, 1, &items);
    if (st != SC_STORAGE_OK) {
        return st;
    }
    if (items->nelts != 1) {
        log_bad_listing(p, l);
        return SC_STORAGE_BAD_REPLY;
    }
    *item = APR_ARRAY_IDX(items, 0, sc_storage_item_t *);
    return SC_STORAGE_OK;
}

/* A download on its way from the server to the module's sink. */
typedef struct {
    const sc_storage_sink_t *sink;
    apr_pool_t *p;
    int status;                /* the server's */
    int began;                 /* the sink has the head */
} dav_download_t;

static apr_status_t dav_chunk(void *baton, const sc_http_response_t *head,
                              const char *data, apr_size_t len)
{
    dav_download_t *d = baton;

    if (!d->began) {
        sc_storage_file_t f;
        const char *v;

        d->status = head->status;
        if (head->status != 200 && head->status != 206) {
            return APR_EGENERAL;     /* nothing of an error page is passed on */
        }
        memset(&f, 0, sizeof(f));
        f.status = head->status;
        f.length = -1;
        if ((v = apr_table_get(head->headers, "content-length"))) {
            char *end;
            apr_int64_t n = apr_strtoi64(v, &end, 10);

            f.length = (*end == '\0' && n >= 0) ? n : -1;
        }
        f.content_range = apr_table_get(head->headers, "content-range");
        f.content_type = apr_table_get(head->headers, "content-type");
        f.etag = apr_table_get(head->headers, "etag");
        if ((v = apr_table_get(head->headers, "last-modified"))) {
            f.mtime = apr_date_parse_http(v);
        }
        d->began = 1;
        return d->sink->begin(d->sink->baton, &f) != APR_SUCCESS ? APR_EOF
               : len ? d->sink->data(d->sink->baton, data, len) : APR_SUCCESS;
    }
    return len ? d->sink->data(d->sink->baton, data, len) : APR_SUCCESS;
}

static sc_storage_status_e dav_read(const void *ctx, apr_pool_t *p,
                                    const sc_storage_account_t *account,
                                    const char *file_id, const sc_storage_sink_t *sink)
{
    const webdav_conf_t *c = ctx;
    webdav_login_t *l = login_or_log(p, account);
    dav_download_t d = { sink, p, 0, 0 };
    sc_http_request_t req;
    sc_http_response_t *resp = NULL;
    apr_status_t rv;

    if (!l) {
        return SC_STORAGE_DENIED;
    }
    if (!in_account(l, file_id) || file_id[strlen(file_id) - 1] == '/') {
        return SC_STORAGE_NOT_FOUND;
    }
    memset(&req, 0, sizeof(req));
    req.url = url_of(p, l, file_id);
    req.headers = apr_table_make(p, 2);
    if (sink->range && !strncmp(sink->range, "bytes=", 6)) {
        apr_table_setn(req.headers, "Range", sink->range);
        if (sink->if_range) {
            apr_table_setn(req.headers, "If-Range", sink->if_range);
        }
    }
    req.user = l->user;
    req.password = l->password;
    req.connect_timeout_ms = c->connect_timeout_ms;
    req.timeout_ms = c->timeout_ms;
    req.stall_ms = c->timeout_ms;
    req.target = "webdav";
    req.stream = dav_chunk;
    req.stream_baton = &d;
    rv = sc_http_perform(p, &req, &resp);
    if (rv == APR_SUCCESS || (rv == APR_ECONNABORTED && d.began)) {
        return SC_STORAGE_OK;  /* all of it, or as much as the sink wanted */
    }
    if (!d.began && d.status) {
        return status_of(d.status);
    }
    return SC_STORAGE_UNAVAILABLE;
}

static apr_status_t dav_init(apr_pool_t *pconf, const apr_table_t *settings,
                             const sc_storage_env_t *env, const void **ctx,
                             const char **label, const char **notice, const char **err)
{
    webdav_conf_t *c = apr_pcalloc(pconf, sizeof(*c));
    const char *hosts = apr_table_get(settings, D_ALLOW_HTTP);
    char *copy, *h, *state = NULL;

    c->connect_timeout_ms = env->connect_timeout_ms;
    c->timeout_ms = env->timeout_ms;
    c->allow_http = apr_array_make(pconf, 2, sizeof(const char *));
    copy = apr_pstrdup(pconf, hosts ? hosts : "");
    for (h = apr_strtok(copy, " ", &state); h; h = apr_strtok(NULL, " ", &state)) {
        APR_ARRAY_PUSH(c->allow_http, const char *) = h;
    }
    if (c->allow_http->nelts) {
        *notice = apr_pstrcat(pconf, D_ALLOW_HTTP ": WebDAV passwords go unencrypted "
                              "to ", hosts, NULL);
    }
    *ctx = c;
    return APR_SUCCESS;
}

static const sc_storage_setting_t dav_settings[] = {
    { D_ALLOW_HTTP, SC_SETTING_LIST, "Hosts a WebDAV account may reach over plain "
      "http:// (loopback test servers); https:// otherwise" },
    { NULL, 0, NULL }
};

static const sc_storage_field_t dav_fields[] = {
    { "url", "Server address (https://...)", "url", 0 },
    { "user", "User name", "text", 0 },
    { "password", "Password (an app password for Nextcloud or ownCloud)", "password", 0 },
    { "nextcloud", "This is Nextcloud or ownCloud (the address is the server's)",
      "checkbox", 1 },
    { NULL, NULL, NULL, 0 }
};

const sc_storage_provider_t sc_webdav_provider = {
    .name = "webdav",
    .label = "a WebDAV server (Nextcloud, ownCloud, rclone, NAS)",
    .settings = dav_settings,
    .init = dav_init,
    .connect = SC_CONNECT_FORM,
    .fields = dav_fields,
    .connect_form = dav_connect,
    .list_folder = dav_list,
    .describe_item = dav_describe,
    .read_file = dav_read,
};
