/* sc_engine.h: the SMS conversation as a function of its inputs.
 *
 * In: the phone, its accounts, its stored state, the message text, the
 * storage providers and the clock. Out: the state to store, the reply,
 * and the texts to send to others. No httpd and no database here: the
 * /sms glue loads the inputs, runs the engine, carries out the effects
 * and stores the outcome.
 *
 * Rules: every mistake gets one line plus a hint, never an error status;
 * a storage failure leaves the state as it was.
 */
#ifndef SC_ENGINE_H
#define SC_ENGINE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

#include "sc_cmd.h"
#include "sc_sms_state.h"
#include "sc_storage.h"

/* Twilio refuses longer message bodies (error 21617). */
#define SC_SMS_MAX_CHARS 1600

/** One storage account connected to a phone. */
typedef struct {
    const char *ref;           /* accounts.id, our own key (decimal) */
    const char *provider;      /* "kloudless", "local" */
    const char *account_id;    /* the provider's id */
    const char *service;       /* "dropbox" */
    const char *display_name;  /* "Dropbox (alice@example.com)" */
    const void *handle;        /* the caller's own account, for sc_engine_env_t */
} sc_account_t;

/** The state as it is stored (sc_sms_state.h gives the JSON forms). */
typedef struct {
    const char *account_ref;   /* NULL at the top */
    const char *folders;
    const char *listing;       /* out: NULL when unchanged */
    int next_index;
    int expired;               /* in: idle too long, start from the top */
} sc_engine_state_t;

typedef enum {
    SC_SEND_ALLOWED = 0,
    SC_SEND_LIMITED,
    SC_SEND_ERROR              /* could not tell: answer "busy" */
} sc_send_gate_e;

/** What the engine asks of its caller while it runs: storage through the
 *  provider registry (sc_storage.h) by the account's provider, and the
 *  send limit. */
typedef struct {
    /** The entries of folder_id (NULL: the root) of account a. */
    sc_storage_status_e (*list)(void *baton, const sc_account_t *a,
                                const char *folder_id, apr_array_header_t **items);
    /** A link anyone can open to file_id of account a. */
    sc_storage_status_e (*link)(void *baton, const sc_account_t *a,
                                const char *file_id, const char **url);
    /** May this phone text one more link to someone else now? Counts it. */
    sc_send_gate_e (*may_send)(void *baton);
    void *baton;
} sc_engine_env_t;

/** Fixed for a server. */
typedef struct {
    const char *organisation;  /* names the service in texts to others */
    const char *signup_url;    /* where a stranger signs up */
    const char *connect_url;   /* where a phone connects an account */
} sc_engine_conf_t;

typedef struct {
    const char *phone;                   /* the sender, E.164 */
    int verified;                        /* proved possession of it */
    const apr_array_header_t *accounts;  /* sc_account_t *, oldest first */
    sc_engine_state_t state;             /* as stored */
    const char *body;                    /* the message text */
    const sc_cmd_t *cmd;                 /* or, when not NULL, its command as
                                          * sc_cmd_parse() made it */
    apr_time_t now;
} sc_engine_in_t;

/** A text to someone else (SEND). */
typedef struct {
    const char *to;            /* E.164 */
    const char *body;
    const char *file_name;     /* for the sender's confirmation */
} sc_engine_sms_t;

typedef struct {
    const char *reply;         /* "" for none */
    int store;                 /* 1: store `state`; 0: leave it as it was */
    sc_engine_state_t state;
    sc_engine_sms_t *sms;      /* NULL, or a text to send; then word the
                                * reply with sc_engine_sms_reply() */
    int failed;                /* the caller's service failed: answer "busy" */
    const char *outcome;       /* for metrics: NULL, or "unknown_sender" */
} sc_engine_out_t;

/**
 * Run one message.
 * @param p    pool for everything in *out
 * @return APR_SUCCESS; APR_ENOMEM when the state cannot be encoded
 */
apr_status_t sc_engine_run(apr_pool_t *p, const sc_engine_conf_t *conf,
                           const sc_engine_env_t *env, const sc_engine_in_t *in,
                           sc_engine_out_t *out);

/**
 * The sender's reply once sms was handed over (sent 1), or not (sent 0,
 * reason in plain words, NULL when unknown).
 */
const char *sc_engine_sms_reply(apr_pool_t *p, const sc_engine_sms_t *sms, int sent,
                                const char *reason);

#endif /* SC_ENGINE_H */
