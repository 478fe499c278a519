/*
 * The OTP API in flowroute sms-verification's wire format
 * (mod_smscloud_flowroute.c): the directive that picks its Verify service.
 */
#ifndef MOD_SMSCLOUD_FLOWROUTE_H
#define MOD_SMSCLOUD_FLOWROUTE_H

#include "httpd.h"
#include "http_config.h"

const char *smscloud_flowroute_set_service(cmd_parms *cmd, void *dconf, const char *sid);

#define SC_FLOWROUTE_CMDS \
    AP_INIT_TAKE1("SmsCloudFlowrouteService", smscloud_flowroute_set_service, NULL, \
                  ACCESS_CONF, "The SmsCloudVerifyService whose codes, lifetime, " \
                  "attempts and message the flowroute API here uses")

#endif
