/*
 * SQL of the SMS interface: replay records and the per-phone state row.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_sms.h"

#include "apr_strings.h"

/* Replay records pruned per message at most, so pruning never makes one
 * message slow however many have piled up. */
#define PRUNE_BATCH "100"

const smscloud_stmt_t smscloud_stmts_sms[] = {
    /* SET cannot be prepared; set_config(..., true) is SET LOCAL */
    { "smscloud_sms_lock_timeout",
      "SELECT set_config('lock_timeout', %s, true)" },
    /* waits on an uncommitted insert of the same sid, then does nothing */
    { "smscloud_sms_claim",
      "INSERT INTO processed_messages (message_sid, phone) VALUES (%s, %s) "
      "ON CONFLICT (message_sid) DO NOTHING RETURNING message_sid" },
    { "smscloud_sms_replay",
      "SELECT CASE WHEN phone = %s THEN coalesce(reply, '') ELSE '' END "
      "FROM processed_messages WHERE message_sid = %s" },
    { "smscloud_sms_reply_keep",
      "UPDATE processed_messages SET reply = %s WHERE message_sid = %s" },
    /* SKIP LOCKED: two pruning messages never wait on each other */
    { "smscloud_sms_prune",
      "DELETE FROM processed_messages WHERE message_sid IN ("
      "SELECT message_sid FROM processed_messages WHERE processed_at < "
      "now() - make_interval(secs => CAST(%s AS integer)) "
      "ORDER BY processed_at LIMIT " PRUNE_BATCH " FOR UPDATE SKIP LOCKED)" },
    { "smscloud_sms_state_ensure",
      "INSERT INTO sms_state (phone) VALUES (%s) ON CONFLICT (phone) DO NOTHING" },
    /* the row lock serialises messages of one phone across all hosts */
    { "smscloud_sms_state_lock",
      "SELECT account_ref, folders, listing, next_index, "
      "updated_at < now() - make_interval(secs => CAST(%s AS integer)) "
      "FROM sms_state WHERE phone = %s FOR UPDATE" },
    /* listing '' keeps the stored one: most messages leave it as it was,
     * and not writing it again spares PostgreSQL compressing and storing
     * a large value */
    { "smscloud_sms_state_store",
      "UPDATE sms_state SET account_ref = CAST(NULLIF(%s, '') AS bigint), "
      "folders = %s, listing = coalesce(NULLIF(%s, ''), listing), "
      "next_index = CAST(%s AS integer), "
      "version = version + 1, updated_at = now() WHERE phone = %s" },
    { NULL, NULL }
};

apr_status_t smscloud_sms_lock_timeout(request_rec *r, ap_dbd_t *db,
                                       apr_interval_time_t wait)
{
    const char *v = NULL;

    return smscloud_db_value(r, db, "smscloud_sms_lock_timeout", &v,
                             apr_psprintf(r->pool, "%" APR_INT64_T_FMT "ms",
                                          (apr_int64_t)apr_time_as_msec(wait)), NULL);
}

apr_status_t smscloud_sms_claim(request_rec *r, ap_dbd_t *db, const char *sid,
                                const char *phone, int *fresh, const char **reply)
{
    const char *claimed = NULL;
    apr_status_t rv;

    *fresh = 0;
    *reply = "";
    rv = smscloud_db_value(r, db, "smscloud_sms_claim", &claimed, sid, phone, NULL);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (claimed) {
        *fresh = 1;
        return APR_SUCCESS;
    }
    rv = smscloud_db_value(r, db, "smscloud_sms_replay", reply, phone, sid, NULL);
    if (*reply == NULL) {
        *reply = "";
    }
    return rv;
}

apr_status_t smscloud_sms_reply_keep(request_rec *r, ap_dbd_t *db,
                                     const char *sid, const char *reply)
{
    return smscloud_db_query(r, db, "smscloud_sms_reply_keep", NULL, reply, sid, NULL);
}

void smscloud_sms_prune(request_rec *r, ap_dbd_t *db, int lifetime)
{
    int n = 0;

    if (smscloud_db_query(r, db, "smscloud_sms_prune", &n,
                          apr_itoa(r->pool, lifetime), NULL) == APR_SUCCESS && n) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      "SC02030: %d old replay records removed", n);
    }
}

apr_status_t smscloud_sms_state_row_lock(request_rec *r, ap_dbd_t *db,
                                         const char *phone, int idle,
                                         const char ***row)
{
    const char *idle_s = apr_itoa(r->pool, idle);
    apr_array_header_t *rows;
    apr_status_t rv;

    *row = NULL;
    /* the row exists but for a phone's first message: lock first, and
     * create only when there was nothing to lock */
    rv = smscloud_db_select(r, db, "smscloud_sms_state_lock", &rows, idle_s, phone, NULL);
    if (rv == APR_SUCCESS && !rows->nelts
        && (rv = smscloud_db_query(r, db, "smscloud_sms_state_ensure", NULL,
                                   phone, NULL)) == APR_SUCCESS) {
        rv = smscloud_db_select(r, db, "smscloud_sms_state_lock", &rows, idle_s, phone, NULL);
    }
    if (rv == APR_SUCCESS && rows->nelts) {
        *row = APR_ARRAY_IDX(rows, 0, const char **);
    }
    return (rv == APR_SUCCESS && !*row) ? APR_EGENERAL : rv;
}

apr_status_t smscloud_sms_state_row_store(request_rec *r, ap_dbd_t *db,
                                          const char *phone, const char *account_ref,
                                          const char *folders, const char *listing,
                                          int next_index)
{
    return smscloud_db_query(r, db, "smscloud_sms_state_store", NULL, account_ref,
                             folders, listing ? listing : "",
                             apr_itoa(r->pool, next_index), phone, NULL);
}
