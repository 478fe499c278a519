/*
 * The /sms webhook's database side (mod_smscloud_dbd_sms.c): one round
 * trip to load a message and one to store it. What the message does is
 * the core's (sc_engine.h).
 */
#ifndef MOD_SMSCLOUD_DBD_SMS_H
#define MOD_SMSCLOUD_DBD_SMS_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

#include "mod_smscloud_dbd_accounts.h"
#include "sc_engine.h"

/** The phone's lock, held from a load to its store. */
typedef struct smscloud_sms_lock_t smscloud_sms_lock_t;

/** What a message starts from. */
typedef struct {
    const char *replay;            /* not NULL: the sid was handled before,
                                    * answer this again (may be "") */
    int verified;                  /* the phone proved possession */
    apr_array_header_t *accounts;  /* smscloud_account_t *, oldest first */
    sc_engine_state_t state;       /* as stored */
    smscloud_sms_lock_t *lock;     /* NULL once given back */
    int refused;                   /* the charge over its limit (1-based,
                                    * logged), 0: all within */
} smscloud_sms_loaded_t;

/** One round trip: take the phone's lock (waiting at most `wait`), and
 *  read the replay record of sid, the phone and its accounts, and the
 *  state row (created for a verified phone with an account that has
 *  none); and, for a sid not seen before, count the message's `charges`
 *  (sc_rate_hit_t, sc_rate.h; may be empty) up to the first
 *  over its limit. A replayed sid gives the lock back at once and counts
 *  nothing. On failure the lock is given back when the request ends. */
apr_status_t smscloud_sms_load(request_rec *r, ap_dbd_t *db, const char *sid,
                               const char *phone, int idle, apr_interval_time_t wait,
                               const apr_array_header_t *charges,
                               smscloud_sms_loaded_t *in);

/** One round trip: write the state (out NULL leaves it as it was), keep
 *  the reply for sid's replays, and give the lock back. Old replay records
 *  are removed by the background maintenance (smscloud_prune). */
apr_status_t smscloud_sms_store(request_rec *r, ap_dbd_t *db,
                                smscloud_sms_lock_t **lock, const char *sid,
                                const char *phone, const char *reply,
                                const sc_engine_state_t *out);

#endif
