/*
 * The module's own download links in the database
 * (mod_smscloud_dbd_link.c): a row per token, under its keyed hash.
 */
#ifndef MOD_SMSCLOUD_DBD_LINK_H
#define MOD_SMSCLOUD_DBD_LINK_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "sc_link.h"

/** Keep a link sc_link_issue() made, under its token's hash.
 *  APR_NOTFOUND when its account is not connected (any more). */
apr_status_t smscloud_link_store(request_rec *r, const sc_link_t *link,
                                 const char *token_hash);

/** What a token stands for: SC_LINK_VALID or SC_LINK_EXPIRED with *link
 *  set; SC_LINK_BAD for a malformed, unknown or ended token, or one whose
 *  account is gone; SC_LINK_UNAVAILABLE when the database fails. */
sc_link_status_e smscloud_link_find(request_rec *r, const char *token, sc_link_t **link);

/** End every link of a phone (logging out everywhere). */
apr_status_t smscloud_links_end(request_rec *r, ap_dbd_t *db, const char *phone);

#endif
