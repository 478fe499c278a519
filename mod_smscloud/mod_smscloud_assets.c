/*
 * The files the pages load from us: their style sheet and icon, read from
 * SmsCloudTemplateDir at startup and served below SC_ASSET_BASE.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_assets.h"
#include "mod_smscloud_page.h"
#include "mod_smscloud_request.h"

typedef enum { ASSET_STYLE = 0, ASSET_ICON, ASSET_COUNT } asset_e;

static const struct {
    const char *path;          /* the URL path the pages name */
    const char *file;          /* in SmsCloudTemplateDir */
    const char *type;
} assets[ASSET_COUNT] = {
    [ASSET_STYLE] = { SC_STYLE_PATH, "style.css", "text/css; charset=utf-8" },
    [ASSET_ICON] = { SC_ICON_PATH, "icon.svg", "image/svg+xml" },
};

typedef struct smscloud_assets_t {
    const char *text[ASSET_COUNT];
} smscloud_assets_t;

apr_status_t smscloud_assets_init(apr_pool_t *pconf, server_rec *s)
{
    server_rec *sp;
    apr_size_t len;
    apr_status_t rv;
    int i;

    for (sp = s; sp; sp = sp->next) {
        smscloud_conf_t *c = ap_get_module_config(sp->module_config, &smscloud_module);
        smscloud_assets_t *a;

        if (!c->configured) {
            continue;
        }
        a = apr_pcalloc(pconf, sizeof(*a));
        for (i = 0; i < ASSET_COUNT; i++) {
            rv = smscloud_page_file_read(pconf, sp, c->template_dir, assets[i].file,
                                         &a->text[i], &len);
            if (rv != APR_SUCCESS) {
                return rv;
            }
        }
        c->assets = a;
    }
    return APR_SUCCESS;
}

int smscloud_asset_handler(request_rec *r)
{
    const smscloud_assets_t *a = smscloud_conf(r)->assets;
    const char *path_info = r->path_info ? r->path_info : "";
    int i;

    for (i = 0; i < ASSET_COUNT
                && strcmp(assets[i].path + sizeof(SC_ASSET_BASE) - 1, path_info); i++)
        ;
    if (i == ASSET_COUNT) {
        return HTTP_NOT_FOUND;
    }
    if (r->method_number != M_GET) {
        r->allowed = AP_METHOD_BIT << M_GET;
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (!a) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    apr_table_setn(r->headers_out, "Cache-Control", "max-age=3600");
    return smscloud_send_text(r, HTTP_OK, assets[i].type, a->text[i]);
}
