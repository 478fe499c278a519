/*
 * The /sms command interface, shared by its files: the handler
 * (mod_smscloud_sms.c), the commands (mod_smscloud_sms_commands.c), the
 * state row (mod_smscloud_sms_state.c) and its SQL (mod_smscloud_dbd_sms.c).
 */
#ifndef MOD_SMSCLOUD_SMS_H
#define MOD_SMSCLOUD_SMS_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

#include "sc_cmd.h"
#include "sc_sms_state.h"

/* Twilio refuses longer message bodies (error 21617). */
#define SC_SMS_MAX_CHARS 1600

/* One message being handled, inside its transaction. */
typedef struct {
    request_rec *r;
    ap_dbd_t *db;
    const char *phone;             /* the sender, E.164 */
    apr_array_header_t *accounts;  /* smscloud_account_t *, the sender's */
    sc_sms_state_t *state;
    const char *stored_listing;    /* the listing JSON as read from the row */
    int keep_state;                /* 1: leave the stored state as it was */
    int db_failed;                 /* 1: roll back, answer "busy" */
} smscloud_sms_ctx_t;

/* --- replay records (mod_smscloud_dbd_sms.c) ------------------------- */

/** Wait at most this long for a row lock in the current transaction. */
apr_status_t smscloud_sms_lock_timeout(request_rec *r, ap_dbd_t *db,
                                       apr_interval_time_t wait);

/** Record MessageSid sid as being handled. *fresh = 0 when it was handled
 *  before; *reply is then what was answered ("" for nothing, also when
 *  the earlier delivery came from another phone). A concurrent delivery
 *  of the same sid waits here until the first one commits. */
apr_status_t smscloud_sms_claim(request_rec *r, ap_dbd_t *db, const char *sid,
                                const char *phone, int *fresh, const char **reply);

/** Keep the reply given to sid, for its replays. */
apr_status_t smscloud_sms_reply_keep(request_rec *r, ap_dbd_t *db,
                                     const char *sid, const char *reply);

/** Forget a bounded batch of replay records older than the lifetime. */
void smscloud_sms_prune(request_rec *r, ap_dbd_t *db, int lifetime);

/** Create the phone's state row if needed and lock it until the
 *  transaction ends; *row gets account_ref, folders, listing, next_index,
 *  expired ("t"/"f"). */
apr_status_t smscloud_sms_state_row_lock(request_rec *r, ap_dbd_t *db,
                                         const char *phone, int idle,
                                         const char ***row);

/** Write the state row (account_ref "" for the top level; listing NULL
 *  leaves the stored one as it is). */
apr_status_t smscloud_sms_state_row_store(request_rec *r, ap_dbd_t *db,
                                          const char *phone, const char *account_ref,
                                          const char *folders, const char *listing,
                                          int next_index);

/* --- state (mod_smscloud_sms_state.c) ------------------------------- */

/** Lock and read the phone's state; an idle, damaged or missing one comes
 *  back as the top level. */
apr_status_t smscloud_sms_state_load(smscloud_sms_ctx_t *c);

/** The last listing of c->state, decoded from the row when first asked
 *  for (c->state->listing is NULL until then, or until a command sets a
 *  new one); a damaged one puts the user back at the top. */
apr_array_header_t *smscloud_sms_listing(smscloud_sms_ctx_t *c);

/** Write c->state back. */
apr_status_t smscloud_sms_state_store(smscloud_sms_ctx_t *c);

/* --- commands (mod_smscloud_sms_commands.c) ------------------------- */

/** Run one command against c->state; returns the reply ("" for none). */
const char *smscloud_sms_run(smscloud_sms_ctx_t *c, const sc_cmd_t *cmd);

#endif
