/*
 * The pages' style sheet and icon (mod_smscloud_assets.c).
 */
#ifndef MOD_SMSCLOUD_ASSETS_H
#define MOD_SMSCLOUD_ASSETS_H

#include "httpd.h"

/** Read every configured server's style sheet and icon from its
 *  SmsCloudTemplateDir (check_config); a missing one stops httpd (logged). */
apr_status_t smscloud_assets_init(apr_pool_t *pconf, server_rec *s);

#endif
