/*
 * The module's own download links (tokens: sc_link.h; rows:
 * mod_smscloud_dbd_link.h), and streaming a file from disk, shared by the
 * download links and the phone simulator's static files.
 */
#ifndef MOD_SMSCLOUD_LINK_H
#define MOD_SMSCLOUD_LINK_H

#include "httpd.h"
#include "apr_file_io.h"

/** Send size bytes of fd as the body (a file bucket: no copy in memory,
 *  sendfile where possible). Returns OK or the status to answer. */
int smscloud_send_file(request_rec *r, apr_file_t *fd, apr_off_t size);

#endif
