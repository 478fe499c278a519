/*
 * SQL of the OTP API: API keys and pending verifications.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_otp.h"

#include "apr_strings.h"

#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* what smscloud_otp_row_t holds, in read_row's order */
#define ROW_COLUMNS "sid, phone, channel, " ISO("created_at") ", " ISO("updated_at") ", " \
    "(SELECT string_agg(" ISO("t") ", ',' ORDER BY t) FROM unnest(sent_at) t), " \
    "code_hash, checks_left, cardinality(sent_at), expires_at <= now()"

const smscloud_stmt_t smscloud_stmts_otp[] = {
    { "smscloud_api_key",
      "SELECT secret_sha256, send_limit, check_limit, limit_window, message_template "
      "FROM api_keys WHERE key_id = %s AND revoked_at IS NULL" },
    /* FOR UPDATE: concurrent sends or checks of one verification queue
     * here, so exactly one check can see the code before it is gone */
    { "smscloud_otp_lock",
      "SELECT " ROW_COLUMNS " FROM otp_verifications "
      "WHERE api_key = %s AND service = %s AND lookup = %s FOR UPDATE" },
    { "smscloud_otp_lock_sid",
      "SELECT " ROW_COLUMNS " FROM otp_verifications "
      "WHERE sid = %s AND api_key = %s AND service = %s FOR UPDATE" },
    { "smscloud_otp_insert",
      "INSERT INTO otp_verifications (sid, api_key, service, lookup, phone, code_hash, "
      "checks_left, expires_at) VALUES (%s, %s, %s, %s, %s, %s, CAST(%s AS integer), "
      "now() + make_interval(secs => CAST(%s AS integer))) RETURNING " ROW_COLUMNS },
    /* a new code for the same verification, living from now */
    { "smscloud_otp_resend",
      "UPDATE otp_verifications SET code_hash = %s, sent_at = sent_at || now(), "
      "updated_at = now(), expires_at = now() + make_interval(secs => CAST(%s AS integer)) "
      "WHERE sid = %s RETURNING " ROW_COLUMNS },
    { "smscloud_otp_wrong",
      "UPDATE otp_verifications SET checks_left = checks_left - 1, updated_at = now() "
      "WHERE sid = %s" },
    { "smscloud_otp_delete",
      "DELETE FROM otp_verifications WHERE sid = %s" },
    { "smscloud_otp_prune",
      "DELETE FROM otp_verifications WHERE expires_at < now() - interval '1 day'" },
    { NULL, NULL }
};

static smscloud_otp_row_t *read_row(request_rec *r, apr_array_header_t *rows)
{
    const char **row;
    smscloud_otp_row_t *v;

    if (!rows || rows->nelts == 0) {
        return NULL;
    }
    row = APR_ARRAY_IDX(rows, 0, const char **);
    v = apr_pcalloc(r->pool, sizeof(*v));
    v->sid = row[0];
    v->phone = row[1];
    v->channel = row[2];
    v->created = row[3];
    v->updated = row[4];
    v->sent_at = row[5];
    v->code_hash = row[6];
    v->checks_left = row[7] ? atoi(row[7]) : 0;
    v->sends = row[8] ? atoi(row[8]) : 0;
    /* pgsql renders booleans as "t" / "f" */
    v->expired = row[9] && row[9][0] == 't';
    return v;
}

apr_status_t smscloud_db_api_key(request_rec *r, ap_dbd_t *db, const char *key_id,
                                 smscloud_api_key_t **key)
{
    apr_array_header_t *rows;
    const char **row;
    apr_status_t rv;

    *key = NULL;
    rv = smscloud_db_select(r, db, "smscloud_api_key", &rows, key_id, NULL);
    if (rv != APR_SUCCESS || rows->nelts == 0) {
        return rv;
    }
    row = APR_ARRAY_IDX(rows, 0, const char **);
    *key = apr_pcalloc(r->pool, sizeof(**key));
    (*key)->id = key_id;
    (*key)->secret_hash = row[0];
    (*key)->send_limit = row[1] ? atoi(row[1]) : 0;
    (*key)->check_limit = row[2] ? atoi(row[2]) : 0;
    (*key)->window = row[3] ? atoi(row[3]) : 1;
    /* a NULL column may come back as "" */
    (*key)->message = row[4] && *row[4] ? row[4] : NULL;
    return APR_SUCCESS;
}

apr_status_t smscloud_db_otp_lock(request_rec *r, ap_dbd_t *db, const char *key_id,
                                  const char *service, const char *lookup,
                                  const char *sid, smscloud_otp_row_t **v)
{
    apr_array_header_t *rows = NULL;
    apr_status_t rv;

    if (sid) {
        rv = smscloud_db_select(r, db, "smscloud_otp_lock_sid", &rows, sid, key_id,
                                service, NULL);
    }
    else {
        rv = smscloud_db_select(r, db, "smscloud_otp_lock", &rows, key_id, service,
                                lookup, NULL);
    }
    *v = rv == APR_SUCCESS ? read_row(r, rows) : NULL;
    return rv;
}

apr_status_t smscloud_db_otp_insert(request_rec *r, ap_dbd_t *db, const char *sid,
                                    const char *key_id, const char *service,
                                    const char *lookup, const char *phone,
                                    const char *code_hash, int checks, int lifetime,
                                    smscloud_otp_row_t **v)
{
    apr_array_header_t *rows = NULL;
    apr_status_t rv = smscloud_db_query(r, db, "smscloud_otp_prune", NULL, NULL);

    if (rv == APR_SUCCESS) {
        rv = smscloud_db_select(r, db, "smscloud_otp_insert", &rows, sid, key_id, service,
                                lookup, phone, code_hash, apr_itoa(r->pool, checks),
                                apr_itoa(r->pool, lifetime), NULL);
    }
    *v = rv == APR_SUCCESS ? read_row(r, rows) : NULL;
    return (rv == APR_SUCCESS && !*v) ? APR_EGENERAL : rv;
}

apr_status_t smscloud_db_otp_resend(request_rec *r, ap_dbd_t *db, const char *sid,
                                    const char *code_hash, int lifetime,
                                    smscloud_otp_row_t **v)
{
    apr_array_header_t *rows = NULL;
    apr_status_t rv = smscloud_db_select(r, db, "smscloud_otp_resend", &rows, code_hash,
                                         apr_itoa(r->pool, lifetime), sid, NULL);

    *v = rv == APR_SUCCESS ? read_row(r, rows) : NULL;
    return (rv == APR_SUCCESS && !*v) ? APR_EGENERAL : rv;
}

apr_status_t smscloud_db_otp_wrong(request_rec *r, ap_dbd_t *db, const char *sid)
{
    return smscloud_db_query(r, db, "smscloud_otp_wrong", NULL, sid, NULL);
}

apr_status_t smscloud_db_otp_delete(request_rec *r, ap_dbd_t *db, const char *sid)
{
    return smscloud_db_query(r, db, "smscloud_otp_delete", NULL, sid, NULL);
}
