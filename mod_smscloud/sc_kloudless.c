/* sc_kloudless.c - Kloudless API v1 provider (see sc_kloudless.h). */

#include <string.h>
#include <strings.h>

#include <apr_strings.h>
#include <apr_lib.h>
#include <apr_escape.h>
#include <apr_time.h>

#include "sc_kloudless.h"
#include "sc_http.h"
#include "sc_json.h"
#include "sc_form.h"
#include "sc_text.h"

/* ------------------------------------------------------------------------ */
/* text from the provider */

static const char *text_at(apr_pool_t *p, const sc_json_t *j, const char *key)
{
    apr_size_t len = 0;
    const char *s = sc_json_getsn(p, j, &len, key, NULL);

    return s ? sc_text_oneline(p, s, len) : NULL;
}

/* ------------------------------------------------------------------------ */
/* decoders */

static sc_storage_status_e parse_object(apr_pool_t *p, const char *body,
                                        apr_size_t len, sc_json_t **j)
{
    if (sc_json_parse(p, body, len, j) != APR_SUCCESS || !sc_json_is_object(*j)) {
        return SC_STORAGE_BAD_REPLY;
    }
    return SC_STORAGE_OK;
}

static sc_storage_status_e item_from_json(apr_pool_t *p, const sc_json_t *j,
                                          sc_storage_item_t **out)
{
    sc_storage_item_t *it;
    const char *type;
    apr_int64_t size;

    if (!sc_json_is_object(j)) {
        return SC_STORAGE_BAD_REPLY;
    }
    it = apr_pcalloc(p, sizeof(*it));
    it->id = sc_json_gets(p, j, "id", NULL);
    type = sc_json_gets(p, j, "type", NULL);
    if (!it->id || !*it->id || !type) {
        return SC_STORAGE_BAD_REPLY;
    }
    if (strcmp(type, "folder") == 0) {
        it->is_folder = 1;
    }
    else if (strcmp(type, "file") != 0) {
        return SC_STORAGE_BAD_REPLY;
    }
    /* A nameless entry is still usable (by number), so it is not fatal. */
    it->name = text_at(p, j, "name");
    if (!it->name) {
        it->name = "";
    }
    /* v1 sends an integer or null, the 2014 v0 fixtures a string. */
    it->size = (sc_json_geti(j, &size, "size", NULL) && size >= 0) ? size : -1;
    it->mime_type = text_at(p, j, "mime_type");
    *out = it;
    return SC_STORAGE_OK;
}

sc_storage_status_e sc_kloudless_decode_list(apr_pool_t *p, const char *body,
                                             apr_size_t len,
                                             apr_array_header_t *items_out,
                                             apr_int64_t *next_page)
{
    apr_pool_t *scratch;
    sc_json_t *j = NULL, *objects;
    sc_storage_item_t *it;
    apr_size_t i, n;
    apr_int64_t next = 0;
    sc_storage_status_e st = SC_STORAGE_BAD_REPLY;

    *next_page = 0;
    /* The parsed tree of a big page dwarfs the items taken from it, so it
     * lives in a pool of its own that goes as soon as the page is read. */
    if (apr_pool_create(&scratch, p) != APR_SUCCESS) {
        return SC_STORAGE_BAD_REPLY;
    }
    if (parse_object(scratch, body, len, &j) != SC_STORAGE_OK) {
        goto leave;
    }
    objects = sc_json_getj(scratch, j, "objects", NULL);
    if (!sc_json_is_array(objects)) {
        goto leave;
    }
    if (sc_json_has(j, "next_page", NULL)
        && (!sc_json_geti(j, &next, "next_page", NULL) || next < 1)) {
        goto leave;
    }
    n = sc_json_array_len(objects);
    for (i = 0; i < n; i++) {
        if (item_from_json(p, sc_json_array_get(scratch, objects, i), &it) != SC_STORAGE_OK) {
            goto leave;
        }
        APR_ARRAY_PUSH(items_out, sc_storage_item_t *) = it;
    }
    *next_page = next;
    st = SC_STORAGE_OK;

leave:
    apr_pool_destroy(scratch);
    return st;
}

sc_storage_status_e sc_kloudless_decode_account(apr_pool_t *p, const char *body,
                                                apr_size_t len,
                                                sc_kloudless_account_t **account)
{
    sc_json_t *j = NULL;
    sc_kloudless_account_t *a;

    *account = NULL;
    if (parse_object(p, body, len, &j) != SC_STORAGE_OK) {
        return SC_STORAGE_BAD_REPLY;
    }
    a = apr_pcalloc(p, sizeof(*a));
    a->id = sc_json_gets(p, j, "id", NULL);
    a->service = text_at(p, j, "service");
    if (!a->id || !*a->id || !a->service || !*a->service) {
        return SC_STORAGE_BAD_REPLY;
    }
    a->service_name = text_at(p, j, "service_name");
    if (!a->service_name || !*a->service_name) {
        a->service_name = a->service;
    }
    a->name = text_at(p, j, "account");
    if (!a->name) {
        a->name = "";
    }
    *account = a;
    return SC_STORAGE_OK;
}

/* The link goes out by SMS as it is, so it must look like a link: an
 * http(s) URL with nothing in it that could break the message. */
static int plausible_url(const char *url)
{
    const unsigned char *c;

    if (strncasecmp(url, "https://", 8) != 0 && strncasecmp(url, "http://", 7) != 0) {
        return 0;
    }
    for (c = (const unsigned char *)url; *c; c++) {
        if (*c <= 0x20 || *c >= 0x7f) {
            return 0;
        }
    }
    return 1;
}

sc_storage_status_e sc_kloudless_decode_link(apr_pool_t *p, const char *body,
                                             apr_size_t len, const char **url)
{
    sc_json_t *j = NULL;
    const char *u;

    *url = NULL;
    if (parse_object(p, body, len, &j) != SC_STORAGE_OK) {
        return SC_STORAGE_BAD_REPLY;
    }
    u = sc_json_gets(p, j, "url", NULL);
    if (!u || !plausible_url(u)) {
        return SC_STORAGE_BAD_REPLY;
    }
    *url = u;
    return SC_STORAGE_OK;
}

/* ------------------------------------------------------------------------ */
/* talking to Kloudless */

typedef struct {
    const char *method;
    const char *path;          /* below api_base, ids already escaped */
    const char *auth;          /* Authorization header value, or NULL */
    const char *content_type;  /* of body */
    const char *body;
    apr_time_t deadline;       /* when the whole operation must end; 0 = none */
} kl_call_t;

typedef struct {
    int status;
    const char *body;
    apr_size_t len;
} kl_answer_t;

/* One call's timeout, and a whole operation's (deadline_of). */
static long call_timeout_ms(const sc_kloudless_conf_t *k)
{
    return k->timeout_ms > 0 ? k->timeout_ms : SC_HTTP_DEFAULT_TIMEOUT_MS;
}

static sc_storage_status_e kl_perform(const sc_kloudless_conf_t *k, apr_pool_t *p,
                                      const kl_call_t *call, kl_answer_t *ans)
{
    sc_http_request_t req;
    sc_http_response_t *resp = NULL;
    apr_status_t rv;

    memset(&req, 0, sizeof(req));
    req.target = "kloudless";
    req.method = call->method;
    req.url = apr_pstrcat(p, k->api_base, call->path, NULL);
    req.headers = apr_table_make(p, 3);
    if (call->auth) {
        apr_table_setn(req.headers, "Authorization", call->auth);
    }
    apr_table_setn(req.headers, "Accept", "application/json");
    if (call->body) {
        apr_table_setn(req.headers, "Content-Type", call->content_type);
        req.body = call->body;
        req.body_len = strlen(call->body);
    }
    req.connect_timeout_ms = k->connect_timeout_ms;
    req.timeout_ms = call_timeout_ms(k);
    if (call->deadline) {
        apr_interval_time_t left = call->deadline - apr_time_now();

        if (left < apr_time_from_msec(1)) {
            return SC_STORAGE_UNAVAILABLE;
        }
        if (apr_time_as_msec(left) < req.timeout_ms) {
            req.timeout_ms = (long)apr_time_as_msec(left);
        }
    }

    rv = sc_http_perform(p, &req, &resp);
    if (rv == APR_ENOSPC || rv == APR_EINVAL) {
        return SC_STORAGE_BAD_REPLY;
    }
    if (rv != APR_SUCCESS) {
        return SC_STORAGE_UNAVAILABLE;
    }
    ans->status = resp->status;
    ans->body = resp->body;
    ans->len = resp->body_len;
    return SC_STORAGE_OK;
}

/* What a non-2xx status means; a 400 means different things per call. */
static sc_storage_status_e http_status(int status, sc_storage_status_e on_400)
{
    if (status == 400) {
        return on_400;
    }
    if (status == 401 || status == 403) {
        return SC_STORAGE_DENIED;
    }
    if (status == 404) {
        return SC_STORAGE_NOT_FOUND;
    }
    if (status == 408 || status == 429 || status >= 500) {
        return SC_STORAGE_UNAVAILABLE;
    }
    return SC_STORAGE_BAD_REPLY;
}

static int is_2xx(int status)
{
    return status >= 200 && status < 300;
}

/* GET or POST with the app's API key; non-2xx answers become statuses. */
static sc_storage_status_e kl_api(const sc_kloudless_conf_t *k, apr_pool_t *p,
                                  kl_call_t *call, sc_storage_status_e on_400,
                                  kl_answer_t *ans)
{
    sc_storage_status_e st;

    call->auth = apr_pstrcat(p, "APIKey ", k->api_key, NULL);
    if ((st = kl_perform(k, p, call, ans)) != SC_STORAGE_OK) {
        return st;
    }
    return is_2xx(ans->status) ? SC_STORAGE_OK : http_status(ans->status, on_400);
}

static const char *seg(apr_pool_t *p, const char *id)
{
    return apr_pescape_path_segment(p, id);
}

static const char *account_path(apr_pool_t *p, const char *account_id)
{
    return apr_pstrcat(p, "/accounts/", seg(p, account_id), NULL);
}

static int nonempty(const char *s)
{
    return s && *s;
}

/* ------------------------------------------------------------------------ */
/* provider functions */

static sc_storage_status_e describe_by(const sc_kloudless_conf_t *k, apr_pool_t *p,
                                       const char *account_id, apr_time_t deadline,
                                       sc_kloudless_account_t **account)
{
    kl_call_t call = { "GET", NULL, NULL, NULL, NULL, deadline };
    kl_answer_t ans;
    sc_storage_status_e st;

    *account = NULL;
    if (!nonempty(account_id)) {
        return SC_STORAGE_NOT_FOUND;
    }
    call.path = account_path(p, account_id);
    if ((st = kl_api(k, p, &call, SC_STORAGE_BAD_REPLY, &ans)) != SC_STORAGE_OK) {
        return st;
    }
    return sc_kloudless_decode_account(p, ans.body, ans.len, account);
}

/* When an operation of several calls must end: one timeout for all. */
static apr_time_t deadline_of(const sc_kloudless_conf_t *k)
{
    return apr_time_now() + apr_time_from_msec(call_timeout_ms(k));
}

static sc_storage_status_e kl_list_folder(const void *ctx, apr_pool_t *p,
                                          const sc_storage_account_t *account,
                                          const char *folder_id,
                                          apr_array_header_t **items)
{
    const sc_kloudless_conf_t *k = ctx;
    const char *account_id = account->id;
    kl_call_t call = { "GET", NULL, NULL, NULL, NULL, 0 };
    kl_answer_t ans;
    apr_pool_t *page_pool;
    apr_array_header_t *list;
    const char *base;
    apr_int64_t page = 1, next = 0;
    int before;
    sc_storage_status_e st;

    *items = NULL;
    if (!nonempty(account_id) || (folder_id && !*folder_id)) {
        return SC_STORAGE_NOT_FOUND;
    }
    base = apr_pstrcat(p, account_path(p, account_id), "/storage/folders/",
                       seg(p, folder_id ? folder_id : "root"), "/contents", NULL);
    list = apr_array_make(p, SC_KLOUDLESS_PAGE_SIZE, sizeof(sc_storage_item_t *));
    /* All pages share one timeout: the SMS reply waiting on this listing
     * has a fixed budget however many pages the folder has. */
    call.deadline = deadline_of(k);
    /* Each page's request and answer are dropped once its items are
     * copied out, so a long folder costs one page of memory, not all. */
    if (apr_pool_create(&page_pool, p) != APR_SUCCESS) {
        return SC_STORAGE_UNAVAILABLE;
    }
    for (;;) {
        apr_pool_clear(page_pool);
        call.path = apr_psprintf(page_pool, "%s?page=%" APR_INT64_T_FMT "&page_size=%d",
                                 base, page, SC_KLOUDLESS_PAGE_SIZE);
        st = kl_api(k, page_pool, &call, SC_STORAGE_NOT_FOLDER, &ans);
        if (st != SC_STORAGE_OK) {
            goto leave;
        }
        before = list->nelts;
        st = sc_kloudless_decode_list(p, ans.body, ans.len, list, &next);
        if (st != SC_STORAGE_OK) {
            goto leave;
        }
        st = SC_STORAGE_BAD_REPLY;
        if (list->nelts > SC_KLOUDLESS_MAX_ITEMS) {
            goto leave;
        }
        if (next == 0) {
            break;
        }
        /* Pages must move forward and carry entries, or a faulty server
         * could keep us asking for ever. */
        if (next <= page || list->nelts == before) {
            goto leave;
        }
        page = next;
    }
    *items = list;
    st = SC_STORAGE_OK;

leave:
    apr_pool_destroy(page_pool);
    return st;
}

static sc_storage_status_e kl_create_link(const void *ctx, apr_pool_t *p,
                                          const sc_storage_account_t *account,
                                          const char *file_id,
                                          apr_interval_time_t lifetime,
                                          const char **url)
{
    const sc_kloudless_conf_t *k = ctx;
    const char *account_id = account->id;
    kl_call_t call = { "POST", NULL, NULL, "application/json", NULL, 0 };
    kl_answer_t ans;
    sc_json_t *j;
    apr_time_exp_t tm;
    apr_size_t n;
    char when[32];
    sc_storage_status_e st;

    *url = NULL;
    if (!nonempty(account_id) || !nonempty(file_id)) {
        return SC_STORAGE_NOT_FOUND;
    }
    j = sc_json_new_object(p);
    if (!j || sc_json_sets(j, "file_id", file_id) != APR_SUCCESS) {
        return SC_STORAGE_BAD_REPLY;
    }
    if (lifetime > 0) {
        if (apr_time_exp_gmt(&tm, apr_time_now() + lifetime) != APR_SUCCESS
            || apr_strftime(when, &n, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) != APR_SUCCESS
            || sc_json_sets(j, "expiration", when) != APR_SUCCESS) {
            return SC_STORAGE_BAD_REPLY;
        }
    }
    call.path = apr_pstrcat(p, account_path(p, account_id), "/storage/links", NULL);
    call.body = sc_json_to_string(p, j);
    if ((st = kl_api(k, p, &call, SC_STORAGE_NOT_FILE, &ans)) != SC_STORAGE_OK) {
        return st;
    }
    return sc_kloudless_decode_link(p, ans.body, ans.len, url);
}

/* ------------------------------------------------------------------------ */
/* setup */

static const char *trim_slashes(apr_pool_t *p, const char *s)
{
    apr_size_t n = strlen(s);

    while (n > 0 && s[n - 1] == '/') {
        n--;
    }
    return apr_pstrmemdup(p, s, n);
}

/* A copy of c with defaults applied, so every call sees usable values. */
static sc_kloudless_conf_t *conf_resolve(apr_pool_t *p, const sc_kloudless_conf_t *c)
{
    sc_kloudless_conf_t *k;

    if (!c || !c->api_base || !*c->api_base || !c->api_key || !*c->api_key) {
        return NULL;
    }
    k = apr_pmemdup(p, c, sizeof(*k));
    k->api_base = trim_slashes(p, c->api_base);
    if (!k->authorize_url) {
        k->authorize_url = SC_KLOUDLESS_DEFAULT_AUTHORIZE;
    }
    return k;
}

const void *sc_kloudless_context(apr_pool_t *pconf, const sc_kloudless_conf_t *c)
{
    return conf_resolve(pconf, c);
}

/* ------------------------------------------------------------------------ */
/* OAuth connect flow */

apr_status_t sc_kloudless_authorize_url(apr_pool_t *p, const char *authorize_base,
                                        const char *app_id,
                                        const char *redirect_uri,
                                        const char *state, const char **url)
{
    apr_array_header_t *pairs;
    const char *sep;
    apr_size_t n;

    *url = NULL;
    if (!nonempty(authorize_base) || !nonempty(app_id) || !nonempty(redirect_uri)
        || !nonempty(state)) {
        return APR_EINVAL;
    }
    pairs = apr_array_make(p, 5, sizeof(sc_pair_t));
    sc_form_add(pairs, "client_id", app_id);
    sc_form_add(pairs, "response_type", "code");
    sc_form_add(pairs, "redirect_uri", redirect_uri);
    sc_form_add(pairs, "scope", "storage");
    sc_form_add(pairs, "state", state);
    n = strlen(authorize_base);
    if (!strchr(authorize_base, '?')) {
        sep = "?";
    }
    else if (authorize_base[n - 1] == '?' || authorize_base[n - 1] == '&') {
        sep = "";
    }
    else {
        sep = "&";
    }
    *url = apr_pstrcat(p, authorize_base, sep, sc_form_encode(p, pairs), NULL);
    return APR_SUCCESS;
}

/* Step 3: the authorization code for an access token. */
static sc_storage_status_e token_for_code(const sc_kloudless_conf_t *k, apr_pool_t *p,
                                          const char *code, const char *redirect_uri,
                                          apr_time_t deadline, const char **token)
{
    kl_call_t call = { "POST", "/oauth/token", NULL,
                       "application/x-www-form-urlencoded", NULL, deadline };
    apr_array_header_t *pairs = apr_array_make(p, 5, sizeof(sc_pair_t));
    kl_answer_t ans;
    sc_json_t *j = NULL;
    sc_storage_status_e st;

    sc_form_add(pairs, "grant_type", "authorization_code");
    sc_form_add(pairs, "code", code);
    sc_form_add(pairs, "redirect_uri", redirect_uri);
    sc_form_add(pairs, "client_id", k->app_id);
    sc_form_add(pairs, "client_secret", k->api_key);
    /* The client authenticates in the form (client_secret), as the
     * Kloudless SDKs do, so no Authorization header goes with it. */
    call.body = sc_form_encode(p, pairs);
    if ((st = kl_perform(k, p, &call, &ans)) != SC_STORAGE_OK) {
        return st;
    }
    if (!is_2xx(ans.status)) {
        /* invalid_grant and invalid_client come as 400 (RFC 6749 5.2). */
        return ans.status == 400 ? SC_STORAGE_DENIED
                                 : http_status(ans.status, SC_STORAGE_DENIED);
    }
    if (parse_object(p, ans.body, ans.len, &j) != SC_STORAGE_OK) {
        return SC_STORAGE_BAD_REPLY;
    }
    *token = sc_json_gets(p, j, "access_token", NULL);
    return nonempty(*token) ? SC_STORAGE_OK : SC_STORAGE_BAD_REPLY;
}

/**
 * Finish the connect flow: trade the authorization code for a token
 * (POST {api_base}/oauth/token), check the token was issued to our app
 * (GET {api_base}/oauth/token), and describe the account it belongs to
 * (GET {api_base}/accounts/{id}), all three within one timeout_ms. The
 * token itself is neither returned nor kept.
 * @param account_id receives the account id as a decimal string
 * @param account    receives what the provider says about that account
 * @return SC_STORAGE_OK; SC_STORAGE_DENIED when the code is refused or the
 *         token belongs to another app; SC_STORAGE_UNAVAILABLE (also when
 *         the time is up); SC_STORAGE_BAD_REPLY
 */
static sc_storage_status_e exchange_code(const sc_kloudless_conf_t *c,
                                         apr_pool_t *p, const char *code,
                                         const char *redirect_uri,
                                         const char **account_id,
                                         sc_kloudless_account_t **account)
{
    const sc_kloudless_conf_t *k = conf_resolve(p, c);
    kl_call_t call = { "GET", "/oauth/token", NULL, NULL, NULL, 0 };
    kl_answer_t ans;
    sc_json_t *j = NULL;
    const char *token = NULL, *client_id, *aid;
    sc_storage_status_e st;

    *account_id = NULL;
    *account = NULL;
    if (!k || !nonempty(k->app_id) || !nonempty(code) || !nonempty(redirect_uri)) {
        return SC_STORAGE_DENIED;
    }
    /* Three calls, one timeout: the browser waits on all of them, and a
     * slow provider must not make that three timeouts long. */
    call.deadline = deadline_of(k);
    if ((st = token_for_code(k, p, code, redirect_uri, call.deadline,
                             &token)) != SC_STORAGE_OK) {
        return st;
    }
    /* Step 4: a token minted for another app must not connect anything. */
    call.auth = apr_pstrcat(p, "Bearer ", token, NULL);
    if ((st = kl_perform(k, p, &call, &ans)) != SC_STORAGE_OK) {
        return st;
    }
    if (!is_2xx(ans.status)) {
        return http_status(ans.status, SC_STORAGE_DENIED);
    }
    if (parse_object(p, ans.body, ans.len, &j) != SC_STORAGE_OK) {
        return SC_STORAGE_BAD_REPLY;
    }
    client_id = sc_json_gets(p, j, "client_id", NULL);
    if (!client_id || strcmp(client_id, k->app_id) != 0) {
        return SC_STORAGE_DENIED;
    }
    aid = sc_json_gets(p, j, "account_id", NULL);
    if (!sc_decimal_id_ok(aid)) {
        return SC_STORAGE_BAD_REPLY;
    }
    if ((st = describe_by(k, p, aid, call.deadline, account)) != SC_STORAGE_OK) {
        return st;
    }
    *account_id = aid;
    return SC_STORAGE_OK;
}

/* ------------------------------------------------------------------------ */
/* the provider description */

#define D_APP_ID    "SmsCloudKloudlessAppId"
#define D_API_KEY   "SmsCloudKloudlessApiKey"
#define D_API_BASE  "SmsCloudKloudlessApiBase"
#define D_AUTHORIZE "SmsCloudKloudlessAuthorizeUrl"

static apr_status_t kl_init(apr_pool_t *pconf, const apr_table_t *settings,
                            const sc_storage_env_t *env, const void **ctx,
                            const char **label, const char **notice, const char **err)
{
    sc_kloudless_conf_t c;

    memset(&c, 0, sizeof(c));
    c.app_id = apr_table_get(settings, D_APP_ID);
    c.api_key = apr_table_get(settings, D_API_KEY);
    c.api_base = apr_table_get(settings, D_API_BASE);
    c.authorize_url = apr_table_get(settings, D_AUTHORIZE);
    c.connect_timeout_ms = env->connect_timeout_ms;
    c.timeout_ms = env->timeout_ms;
    if (!c.api_base) {
        c.api_base = SC_KLOUDLESS_DEFAULT_API_BASE;
    }
    if (!c.app_id) {
        *err = D_APP_ID " is required with the kloudless provider";
        return APR_EINVAL;
    }
    if (!c.api_key) {
        *err = D_API_KEY " is required with the kloudless provider";
        return APR_EINVAL;
    }
    *ctx = sc_kloudless_context(pconf, &c);
    return *ctx ? APR_SUCCESS : APR_EINVAL;
}

static apr_status_t kl_authorize(const void *ctx, apr_pool_t *p, const char *redirect_uri,
                                 const char *state, const char **url)
{
    const sc_kloudless_conf_t *k = ctx;

    return sc_kloudless_authorize_url(p, k->authorize_url, k->app_id, redirect_uri,
                                      state, url);
}

static const char *kl_authorize_site(const void *ctx)
{
    return ((const sc_kloudless_conf_t *)ctx)->authorize_url;
}

/* The provider says who the account is; that is what is stored. */
static sc_storage_status_e kl_exchange(const void *ctx, apr_pool_t *p, const char *code,
                                       const char *redirect_uri,
                                       sc_storage_connected_t **account)
{
    sc_kloudless_account_t *acc = NULL;
    sc_storage_connected_t *a = apr_pcalloc(p, sizeof(*a));
    sc_storage_status_e st;

    st = exchange_code(ctx, p, code, redirect_uri, &a->id, &acc);
    if (st != SC_STORAGE_OK) {
        return st;
    }
    a->service = acc->service;
    a->display_name = apr_pstrcat(p, acc->service_name ? acc->service_name : acc->service,
                                  " (", acc->name ? acc->name : "", ")", NULL);
    *account = a;
    return SC_STORAGE_OK;
}

static const sc_storage_setting_t kl_settings[] = {
    { D_APP_ID, SC_SETTING_STRING, "Kloudless application id" },
    { D_API_KEY, SC_SETTING_SECRET, "Kloudless API key" },
    { D_API_BASE, SC_SETTING_URL, "Base URL of the Kloudless API, version included" },
    { D_AUTHORIZE, SC_SETTING_URL, "Kloudless OAuth authorize URL" },
    { NULL, 0, NULL }
};

const sc_storage_provider_t sc_kloudless_provider = {
    .name = "kloudless",
    .label = "a cloud storage account (Kloudless, legacy)",
    .settings = kl_settings,
    .init = kl_init,
    .connect = SC_CONNECT_OAUTH,
    .authorize_url = kl_authorize,
    .authorize_site = kl_authorize_site,
    .exchange_code = kl_exchange,
    .list_folder = kl_list_folder,
    .create_link = kl_create_link,
};
