/*
 * Page templates and the headers of every web answer.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_page.h"
#include "mod_smscloud_request.h"

#include "apr_file_io.h"
#include "apr_strings.h"
#include "apr_uri.h"

/* Templates are small; anything bigger is the wrong file. */
#define MAX_TEMPLATE_SIZE (64 * 1024)

typedef struct smscloud_pages_t {
    const sc_template_t *pages[SC_PAGE_COUNT];
} smscloud_pages_t;

static const char *const page_files[SC_PAGE_COUNT] = {
    [SC_PAGE_LOGIN] = "login.html",
    [SC_PAGE_VERIFY] = "verify.html",
    [SC_PAGE_CONNECT] = "connect.html",
    [SC_PAGE_MESSAGE] = "message.html",
};

apr_status_t smscloud_page_file_read(apr_pool_t *p, server_rec *s, const char *dir,
                                    const char *name, const char **text,
                                    apr_size_t *len)
{
    const char *path = NULL;
    apr_finfo_t finfo;
    apr_file_t *f;
    char *buf;
    apr_status_t rv;

    rv = apr_filepath_merge((char **)&path, dir, name, APR_FILEPATH_NOTRELATIVE, p);
    if (rv == APR_SUCCESS) {
        rv = apr_stat(&finfo, path, APR_FINFO_SIZE | APR_FINFO_TYPE, p);
    }
    if (rv == APR_SUCCESS && (finfo.filetype != APR_REG || finfo.size > MAX_TEMPLATE_SIZE)) {
        rv = APR_EINVAL;
    }
    if (rv == APR_SUCCESS
        && (rv = apr_file_open(&f, path, APR_FOPEN_READ, APR_OS_DEFAULT, p)) == APR_SUCCESS) {
        buf = apr_palloc(p, (apr_size_t)finfo.size + 1);
        rv = apr_file_read_full(f, buf, (apr_size_t)finfo.size, len);
        apr_file_close(f);
        buf[*len] = '\0';
        *text = buf;
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, rv, s,
                     "SC03001: cannot read the page template %s/%s (a regular "
                     "file of at most %d bytes; see SmsCloudTemplateDir)",
                     dir, name, MAX_TEMPLATE_SIZE);
    }
    return rv;
}

static apr_status_t load_pages(apr_pool_t *pconf, server_rec *s, const char *dir,
                               smscloud_pages_t *pages)
{
    const char *text, *err;
    sc_template_t *tpl;
    apr_size_t len;
    apr_status_t rv;
    int i;

    for (i = 0; i < SC_PAGE_COUNT; i++) {
        if ((rv = smscloud_page_file_read(pconf, s, dir, page_files[i], &text, &len))
            != APR_SUCCESS) {
            return rv;
        }
        if ((rv = sc_template_parse(pconf, text, len, &tpl, &err)) != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s,
                         "SC03002: page template %s/%s: %s", dir, page_files[i], err);
            return rv;
        }
        pages->pages[i] = tpl;
    }
    return APR_SUCCESS;
}

apr_status_t smscloud_pages_init(apr_pool_t *pconf, server_rec *s)
{
    server_rec *sp;
    apr_status_t rv;

    for (sp = s; sp; sp = sp->next) {
        smscloud_conf_t *c = ap_get_module_config(sp->module_config, &smscloud_module);
        smscloud_pages_t *pages;

        if (!c->configured) {
            continue;
        }
        pages = apr_pcalloc(pconf, sizeof(*pages));
        if ((rv = load_pages(pconf, sp, c->template_dir, pages)) != APR_SUCCESS) {
            return rv;
        }
        c->pages = pages;
    }
    return APR_SUCCESS;
}

#define CSP_BEFORE_FORM_ACTION "default-src 'none'; style-src 'self'; img-src 'self'; " \
                               "form-action 'self'"
#define CSP_AFTER_FORM_ACTION  "; frame-ancestors 'none'; base-uri 'none'"

void smscloud_page_headers(request_rec *r)
{
    apr_table_t *h = r->err_headers_out;

    /* once per answer: a page may have widened its CSP since */
    if (apr_table_get(h, "Content-Security-Policy")) {
        return;
    }
    apr_table_setn(h, "Cache-Control", "no-store");
    apr_table_setn(h, "Content-Security-Policy",
                   CSP_BEFORE_FORM_ACTION CSP_AFTER_FORM_ACTION);
    apr_table_setn(h, "X-Content-Type-Options", "nosniff");
    apr_table_setn(h, "Referrer-Policy", "no-referrer");
    apr_table_setn(h, "X-Frame-Options", "DENY");
    /* browsers heed it only over TLS, which is where the public site is
     * when its URL says so (even if TLS ends before httpd) */
    if (!strncasecmp(smscloud_conf(r)->public_url, "https://", 8)) {
        apr_table_setn(h, "Strict-Transport-Security", "max-age=31536000");
    }
}

void smscloud_page_allow_form_target(request_rec *r, const char *url)
{
    apr_uri_t uri;

    if (!url || apr_uri_parse(r->pool, url, &uri) != APR_SUCCESS || !uri.scheme
        || !uri.hostinfo) {
        return;
    }
    apr_table_setn(r->err_headers_out, "Content-Security-Policy",
                   apr_pstrcat(r->pool, CSP_BEFORE_FORM_ACTION " ", uri.scheme, "://",
                               uri.hostinfo, CSP_AFTER_FORM_ACTION, NULL));
}

sc_tvars_t *smscloud_page_vars(request_rec *r)
{
    sc_tvars_t *v = sc_tvars_make(r->pool);

    sc_tvars_set(v, "org", smscloud_conf(r)->organisation);
    sc_tvars_set(v, "style", SC_STYLE_PATH);
    sc_tvars_set(v, "icon", SC_ICON_PATH);
    return v;
}

int smscloud_page_send(request_rec *r, int status, smscloud_page_e page,
                       sc_tvars_t *v)
{
    const smscloud_pages_t *pages = smscloud_conf(r)->pages;

    smscloud_page_headers(r);
    if (!pages) {
        /* post_config refuses to start without them; be safe anyway */
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return smscloud_send_text(r, status, "text/html; charset=utf-8",
                              sc_template_render(r->pool, pages->pages[page], v));
}

int smscloud_page_message(request_rec *r, int status, const char *title,
                          const char *message, const char *href,
                          const char *link_text)
{
    sc_tvars_t *v = smscloud_page_vars(r);

    sc_tvars_set(v, "title", title);
    sc_tvars_set(v, "message", message);
    if (href) {
        sc_tvars_t *link = sc_tvars_add(v, "link");
        sc_tvars_set(link, "href", href);
        sc_tvars_set(link, "text", link_text);
    }
    return smscloud_page_send(r, status, SC_PAGE_MESSAGE, v);
}

int smscloud_page_unavailable(request_rec *r)
{
    return smscloud_page_message(r, HTTP_SERVICE_UNAVAILABLE, "Please try again",
                                 "The service is not available just now. Please "
                                 "try again in a minute.", NULL, NULL);
}

int smscloud_page_redirect(request_rec *r, const char *path)
{
    smscloud_page_headers(r);
    /* A path of ours, relative to this host: the browser stays where it
     * is, whatever Host header or public URL is in play. */
    apr_table_setn(r->headers_out, "Location", path);
    return HTTP_SEE_OTHER;
}
