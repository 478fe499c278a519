/*
 * Shared by every httpd-side (glue) file of mod_smscloud. Core files
 * (sc_*.c) never include this: they know nothing of httpd.
 */
#ifndef MOD_SMSCLOUD_PRIVATE_H
#define MOD_SMSCLOUD_PRIVATE_H

/* No config.h here: httpd's ap_config_auto.h defines the same PACKAGE_*
 * names, and the glue needs nothing configure finds. */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include "mod_smscloud_config.h"

APLOG_USE_MODULE(smscloud);
extern module AP_MODULE_DECLARE_DATA smscloud_module;

/* One function per SetHandler name; see mod_smscloud.c. */
typedef int smscloud_handler_fn(request_rec *r);

/* Every SetHandler name and its function: mod_smscloud.c's table and the
 * prototypes are made from this list, so a new handler is one line here. */
#define SMSCLOUD_HANDLERS(X) \
    X("smscloud-sms",           smscloud_sms_handler) \
    X("smscloud-login",         smscloud_login_handler) \
    X("smscloud-verify",        smscloud_verify_handler) \
    X("smscloud-connect",       smscloud_connect_handler) \
    X("smscloud-logout",        smscloud_logout_handler) \
    X("smscloud-health",        smscloud_health_handler) \
    X("smscloud-link",          smscloud_link_handler) \
    X("smscloud-verify-api",    smscloud_verify_api_handler) \
    X("smscloud-metrics",       smscloud_metrics_handler) \
    X("smscloud-flowroute-api", smscloud_flowroute_api_handler)

#define SMSCLOUD_HANDLER_DECLARE(name, fn) smscloud_handler_fn fn;
SMSCLOUD_HANDLERS(SMSCLOUD_HANDLER_DECLARE)

smscloud_handler_fn smscloud_asset_handler;     /* below /login */

#endif
