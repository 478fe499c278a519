/*
 * Web sessions and the one-time OAuth states bound to them, in the
 * database (mod_smscloud_dbd_session.c): only keyed hashes of their ids.
 */
#ifndef MOD_SMSCLOUD_DBD_SESSION_H
#define MOD_SMSCLOUD_DBD_SESSION_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

typedef struct {
    const char *id_hash;       /* the key of web_sessions */
    const char *phone;
    const char *user;          /* the username a two-step login proved, or NULL */
    const char *csrf;          /* what its forms must send back */
} smscloud_session_t;

/** The live session id_hash names, last_seen bumped; *s = NULL when it
 *  is unknown, idle too long or too old. */
apr_status_t smscloud_db_session_touch(request_rec *r, ap_dbd_t *db,
                                       const char *id_hash,
                                       smscloud_session_t **s);
/** End one session. */
apr_status_t smscloud_db_session_delete(request_rec *r, ap_dbd_t *db,
                                        const char *id_hash);

/** Remember a one-time OAuth state bound to a session. */
apr_status_t smscloud_db_state_add(request_rec *r, ap_dbd_t *db,
                                   const char *state_hash,
                                   const char *session_hash,
                                   const char *provider);

/** Use a state up: *provider is set only when it existed, was unused,
 *  unexpired and bound to session_hash; it can never be used again. */
apr_status_t smscloud_db_state_take(request_rec *r, ap_dbd_t *db,
                                    const char *state_hash,
                                    const char *session_hash,
                                    const char **provider);

/** End every web session of a phone (logging out everywhere). */
apr_status_t smscloud_sessions_end(request_rec *r, ap_dbd_t *db, const char *phone);

#endif
