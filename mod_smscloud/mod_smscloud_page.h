/*
 * Pages of the web side: templates from SmsCloudTemplateDir, parsed at
 * startup, rendered with every value escaped, and sent with the security
 * headers every page carries.
 */
#ifndef MOD_SMSCLOUD_PAGE_H
#define MOD_SMSCLOUD_PAGE_H

#include "httpd.h"
#include "sc_template.h"

typedef enum {
    SC_PAGE_LOGIN = 0,
    SC_PAGE_VERIFY,
    SC_PAGE_CONNECT,
    SC_PAGE_MESSAGE,           /* title, message, an optional link back */
    SC_PAGE_COUNT
} smscloud_page_e;

/** Where the pages' style sheet (style-src 'self' forbids inline styles)
 *  and icon (so that no page makes the browser ask the site for a
 *  /favicon.ico it may not have) are served: below /login, the one page
 *  every site routes, by the asset handler (mod_smscloud_assets.c). */
#define SC_ASSET_BASE "/login"
#define SC_STYLE_PATH SC_ASSET_BASE "/style.css"
#define SC_ICON_PATH SC_ASSET_BASE "/icon.svg"

/** Read a file of SmsCloudTemplateDir at startup into p (a regular file
 *  of at most 64 KiB; anything else is logged and refused). */
apr_status_t smscloud_page_file_read(apr_pool_t *p, server_rec *s, const char *dir,
                                    const char *name, const char **text,
                                    apr_size_t *len);

/** Read and parse every template for every configured server
 *  (post_config). A missing or broken template stops httpd (logged). */
apr_status_t smscloud_pages_init(apr_pool_t *pconf, server_rec *s);

/** no-store, CSP, nosniff, no-referrer: on every answer, errors too. */
void smscloud_page_headers(request_rec *r);

/** Let this page's forms lead to url's origin as well: browsers apply
 *  form-action to the redirects that follow a form, and the connect
 *  form's redirect goes to the storage provider's authorize page. */
void smscloud_page_allow_form_target(request_rec *r, const char *url);

/** Variables with what every page shows (the organisation). */
sc_tvars_t *smscloud_page_vars(request_rec *r);

/** Render a page and answer with it. Returns OK. */
int smscloud_page_send(request_rec *r, int status, smscloud_page_e page,
                       sc_tvars_t *v);

/** A message page: a title, a sentence and a link to one of our own paths
 *  (href NULL: no link). Returns OK. */
int smscloud_page_message(request_rec *r, int status, const char *title,
                          const char *message, const char *href,
                          const char *link_text);

/** 503 with a "try again" page (database or upstream down; logged by
 *  the caller). */
int smscloud_page_unavailable(request_rec *r);

/** 303 to one of our own paths ("/verify"); never a target taken from the
 *  request. */
int smscloud_page_redirect(request_rec *r, const char *path);

#endif
