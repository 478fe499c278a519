/*
 * SQL of the SMS interface: a message's load and store, one round trip
 * each (the PL/pgSQL functions of schema/upgrade/006-sms-load-store.sql
 * and 015-sms-read-only-load.sql say how a phone's messages are
 * serialised).
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_sms.h"
#include "mod_smscloud_dbd_rate.h"

#include "apr_strings.h"

const smscloud_stmt_t smscloud_stmts_sms[] = {
    /* the load, and what the message counts against rate limits (once
     * the sid is known to be new: a replay counts nothing) */
    { "smscloud_sms_load",
      /* apr_dbd_pgsql reads SQL NULL as "": say NULL apart */
      "SELECT replay IS NOT NULL AS replayed, replay, verified, account_ref, folders, listing, "
      "next_index, expired, acc_id AS id, acc_provider AS provider, "
      "acc_account_id AS account_id, acc_service AS service, "
      "acc_display_name AS display_name, acc_credentials AS credentials, refused "
      "FROM smscloud_sms_load(%s, %s, CAST(%s AS integer), %s, %s, %s, %s)" },
    { "smscloud_sms_store",
      "SELECT smscloud_sms_store(%s, %s, %s, CAST(%s AS boolean), "
      "CAST(NULLIF(%s, '') AS bigint), %s, NULLIF(%s, ''), CAST(%s AS integer))" },
    { "smscloud_sms_unlock",
      "SELECT smscloud_sms_unlock(%s)" },
    { NULL, NULL }
};

/* The rows of smscloud_sms_load (schema steps 015 and 018): the first
 * carries the replay, verified, the phone's state and refused, which are
 * read from it alone; each row an account or none (the columns of
 * smscloud_account_of_row). *refused is the answer of smscloud_rate_hits,
 * 0 when the message counts nothing, -1 for a replay. */
static apr_status_t loaded_from_rows(request_rec *r, const char *phone,
                                     const apr_array_header_t *rows,
                                     smscloud_sms_loaded_t *in, int *refused)
{
    sc_row_t *first = APR_ARRAY_IDX(rows, 0, sc_row_t *);
    apr_status_t rv;
    int i;

    in->replay = sc_row_bool(first, "replayed") ? sc_row_text(first, "replay")
                                                      : NULL;
    in->verified = sc_row_bool(first, "verified");
    in->state.account_ref = sc_row_opt(first, "account_ref");
    in->state.folders = sc_row_text(first, "folders");
    in->state.listing = sc_row_text(first, "listing");
    in->state.next_index = sc_row_int(first, "next_index", 0);
    in->state.expired = sc_row_bool(first, "expired");
    *refused = sc_row_int(first, "refused", -1);
    if ((rv = smscloud_row_check(r, first)) != APR_SUCCESS) {
        return rv;
    }
    in->accounts = apr_array_make(r->pool, rows->nelts, sizeof(smscloud_account_t *));
    /* a phone without accounts has one row, its account columns NULL */
    for (i = 0; i < rows->nelts; i++) {
        sc_row_t *row = APR_ARRAY_IDX(rows, i, sc_row_t *);

        rv = sc_row_opt(row, "id")
             ? smscloud_account_of_row(r, row, phone, apr_array_push(in->accounts))
             : smscloud_row_check(r, row);
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    return APR_SUCCESS;
}

struct smscloud_sms_lock_t {
    request_rec *r;
    ap_dbd_t *db;
    const char *phone;
};

/* A message that fails between its load and its store must not hand a
 * connection that still holds the phone's lock back to mod_dbd's pool.
 * Registered after mod_dbd's own cleanup, so it runs before it. */
static apr_status_t unlock_cleanup(void *data)
{
    smscloud_sms_lock_t *h = data;
    const char *v = NULL;

    smscloud_db_pin(h->r, 0);
    if (smscloud_db_value(h->r, h->db, "smscloud_sms_unlock", &v, h->phone, NULL)
        != APR_SUCCESS) {
        /* a broken connection took the lock with it; on a live one the
         * failed statement has been logged as an error already */
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, h->r,
                      "SC02031: could not give back the lock of a failed message");
    }
    return APR_SUCCESS;
}

/* The database gave the lock back itself. */
static void given_back(smscloud_sms_lock_t **lock)
{
    if (*lock) {
        apr_pool_cleanup_kill((*lock)->r->pool, *lock, unlock_cleanup);
        smscloud_db_pin((*lock)->r, 0);
        *lock = NULL;
    }
}

apr_status_t smscloud_sms_load(request_rec *r, ap_dbd_t *db, const char *sid,
                               const char *phone, int idle, apr_interval_time_t wait,
                               const apr_array_header_t *charges,
                               smscloud_sms_loaded_t *in)
{
    smscloud_sms_lock_t *h = apr_pcalloc(r->pool, sizeof(*h));
    const char *buckets, *windows, *counts;
    apr_array_header_t *rows;
    apr_status_t rv;
    int refused;

    memset(in, 0, sizeof(*in));
    if ((rv = sc_rate_args(r->pool, charges, &buckets, &windows, &counts)) != APR_SUCCESS) {
        return rv;
    }
    h->r = r;
    h->db = db;
    h->phone = phone;
    /* the load can fail after it took the lock (a lock timeout on the
     * state row): from here on, the lock may be held */
    apr_pool_cleanup_register(r->pool, h, unlock_cleanup, apr_pool_cleanup_null);
    in->lock = h;
    rv = smscloud_db_select(r, db, "smscloud_sms_load", &rows, sid, phone,
                            apr_itoa(r->pool, idle),
                            apr_psprintf(r->pool, "%" APR_INT64_T_FMT "ms",
                                         (apr_int64_t)apr_time_as_msec(wait)),
                            buckets, windows, counts, NULL);
    if (rv == APR_SUCCESS && !rows->nelts) {
        rv = APR_EGENERAL;
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    /* the lock is on this connection now: a broken one must not be
     * silently replaced by a new one that does not hold it */
    smscloud_db_pin(r, 1);
    if ((rv = loaded_from_rows(r, phone, rows, in, &refused)) != APR_SUCCESS) {
        return rv;
    }
    if (in->replay) {
        given_back(&in->lock);
        return APR_SUCCESS;
    }
    if (smscloud_rate_answer(r, charges, refused, &in->refused) == SC_RATE_ERROR) {
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

apr_status_t smscloud_sms_store(request_rec *r, ap_dbd_t *db,
                                smscloud_sms_lock_t **lock, const char *sid,
                                const char *phone, const char *reply,
                                const sc_engine_state_t *out)
{
    const char *v = NULL;
    apr_status_t rv;

    rv = smscloud_db_value(r, db, "smscloud_sms_store", &v, sid, phone, reply ? reply : "",
                           out ? "true" : "false",
                           out && out->account_ref ? out->account_ref : "",
                           out ? out->folders : "[]",
                           out && out->listing ? out->listing : "",
                           apr_itoa(r->pool, out ? out->next_index : 0), NULL);
    if (rv == APR_SUCCESS) {
        given_back(lock);
    }
    return rv;
}
