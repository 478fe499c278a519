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
    const char *outcome;           /* metrics: NULL (ran), "unknown_sender", "replay" */
} smscloud_sms_ctx_t;

/* --- load and store (mod_smscloud_dbd_sms.c) ----------------------- */

/** The phone's lock, held from a load to its store. */
typedef struct smscloud_sms_lock_t smscloud_sms_lock_t;

/** What a message starts from. */
typedef struct {
    const char *replay;            /* not NULL: the sid was handled before,
                                    * answer this again (may be "") */
    int verified;                  /* the phone proved possession */
    apr_array_header_t *accounts;  /* smscloud_account_t *, oldest first */
    const char *account_ref;       /* the state row; NULL at the top */
    const char *folders, *listing; /* as stored */
    int next_index;
    int expired;                   /* idle longer than SmsCloudSmsIdle */
    smscloud_sms_lock_t *lock;     /* NULL once given back */
} smscloud_sms_loaded_t;

/** What a message leaves. */
typedef struct {
    const char *account_ref;       /* NULL at the top */
    const char *folders;
    const char *listing;           /* NULL keeps the stored one */
    int next_index;
} smscloud_sms_stored_t;

/** One round trip: take the phone's lock (waiting at most `wait`), and
 *  read the replay record of sid, the phone and its accounts, and the
 *  state row (created for a verified phone that has none). A replayed sid
 *  gives the lock back at once. On failure the lock is given back when
 *  the request ends. */
apr_status_t smscloud_sms_load(request_rec *r, ap_dbd_t *db, const char *sid,
                               const char *phone, int idle, apr_interval_time_t wait,
                               smscloud_sms_loaded_t *in);

/** One round trip: write the state (out NULL leaves it as it was), keep
 *  the reply for sid's replays, and give the lock back. prune_after > 0
 *  also forgets a batch of replay records older than that (seconds). */
apr_status_t smscloud_sms_store(request_rec *r, ap_dbd_t *db,
                                smscloud_sms_lock_t **lock, const char *sid,
                                const char *phone, const char *reply,
                                const smscloud_sms_stored_t *out, int prune_after);

/* --- state (mod_smscloud_sms_state.c) ------------------------------- */

/** The phone's state from what was loaded; an idle or damaged one comes
 *  back as the top level. */
void smscloud_sms_state_load(smscloud_sms_ctx_t *c, const smscloud_sms_loaded_t *in);

/** The last listing of c->state, decoded from the row when first asked
 *  for (c->state->listing is NULL until then, or until a command sets a
 *  new one); a damaged one puts the user back at the top. */
apr_array_header_t *smscloud_sms_listing(smscloud_sms_ctx_t *c);

/** c->state as it is to be stored; NULL when it cannot be encoded. */
smscloud_sms_stored_t *smscloud_sms_state_out(smscloud_sms_ctx_t *c);

/* --- commands (mod_smscloud_sms_commands.c) ------------------------- */

/** Run one command against c->state; returns the reply ("" for none). */
const char *smscloud_sms_run(smscloud_sms_ctx_t *c, const sc_cmd_t *cmd);

#endif
