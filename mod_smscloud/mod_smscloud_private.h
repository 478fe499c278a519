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

smscloud_handler_fn smscloud_health_handler;
smscloud_handler_fn smscloud_sms_handler;
smscloud_handler_fn smscloud_login_handler;
smscloud_handler_fn smscloud_asset_handler;     /* below /login */
smscloud_handler_fn smscloud_verify_handler;
smscloud_handler_fn smscloud_logout_handler;
smscloud_handler_fn smscloud_connect_handler;
smscloud_handler_fn smscloud_link_handler;
smscloud_handler_fn smscloud_verify_api_handler;
smscloud_handler_fn smscloud_metrics_handler;
smscloud_handler_fn smscloud_flowroute_api_handler;

#endif
