/*
 * The gate's return address, kept with a login attempt in the database
 * (mod_smscloud_dbd_gate.c); smscloud_db_attempt_get()
 * (mod_smscloud_dbd_twostep.h) reads it back.
 */
#ifndef MOD_SMSCLOUD_DBD_GATE_H
#define MOD_SMSCLOUD_DBD_GATE_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

/** Keep the local path a login attempt returns to. */
apr_status_t smscloud_db_return_set(request_rec *r, ap_dbd_t *db,
                                    const char *attempt_hash, const char *path);

#endif
