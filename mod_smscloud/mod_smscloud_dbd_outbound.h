/*
 * The outbox table, where SmsCloudSmsTransport outbox puts the texts it
 * sends (mod_smscloud_dbd_outbound.c).
 */
#ifndef MOD_SMSCLOUD_DBD_OUTBOUND_H
#define MOD_SMSCLOUD_DBD_OUTBOUND_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

/** Keep a text to `to` from `from` in the outbox. */
apr_status_t smscloud_outbox_add(request_rec *r, ap_dbd_t *db, const char *to,
                                 const char *from, const char *body);

#endif
