/*
 * SQL of the OTP API: API keys and pending verifications.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_otp.h"

#include "apr_strings.h"

#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* what smscloud_otp_row_t holds, read by verification_of_rows() */
#define ROW_COLUMNS "sid, phone, channel, " ISO("created_at") " AS created, " \
    ISO("updated_at") " AS updated, " \
    "(SELECT string_agg(" ISO("t") ", ',' ORDER BY t) FROM unnest(sent_at) t) AS sent, " \
    "code_hash, checks_left, cardinality(sent_at) AS sends, expires_at <= now() AS expired"

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

/* The first row of a statement that reads ROW_COLUMNS, or *v = NULL when
 * there is none. */
static apr_status_t verification_of_rows(request_rec *r, apr_status_t rv,
                                         apr_array_header_t *rows, smscloud_otp_row_t **v)
{
    sc_row_t *row;
    smscloud_otp_row_t *out;

    *v = NULL;
    if (rv != APR_SUCCESS || rows->nelts == 0) {
        return rv;
    }
    row = APR_ARRAY_IDX(rows, 0, sc_row_t *);
    out = apr_pcalloc(r->pool, sizeof(*out));
    out->sid = sc_row_text(row, "sid");
    out->phone = sc_row_text(row, "phone");
    out->channel = sc_row_text(row, "channel");
    out->created = sc_row_text(row, "created");
    out->updated = sc_row_text(row, "updated");
    out->sent_at = sc_row_text(row, "sent");
    out->code_hash = sc_row_text(row, "code_hash");
    out->checks_left = sc_row_int(row, "checks_left", 0);
    out->sends = sc_row_int(row, "sends", 0);
    out->expired = sc_row_bool(row, "expired");
    if ((rv = smscloud_row_check(r, row)) == APR_SUCCESS) {
        *v = out;
    }
    return rv;
}

apr_status_t smscloud_db_api_key(request_rec *r, ap_dbd_t *db, const char *key_id,
                                 smscloud_api_key_t **key)
{
    smscloud_api_key_t *k;
    sc_row_t *row;
    apr_status_t rv;

    *key = NULL;
    rv = smscloud_db_row(r, db, "smscloud_api_key", &row, key_id, NULL);
    if (rv != APR_SUCCESS || !row) {
        return rv;
    }
    k = apr_pcalloc(r->pool, sizeof(*k));
    k->id = key_id;
    k->secret_hash = sc_row_text(row, "secret_sha256");
    k->send_limit = sc_row_int(row, "send_limit", 0);
    k->check_limit = sc_row_int(row, "check_limit", 0);
    k->window = sc_row_int(row, "limit_window", 1);
    k->message = sc_row_opt(row, "message_template");
    if ((rv = smscloud_row_check(r, row)) == APR_SUCCESS) {
        *key = k;
    }
    return rv;
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
    return verification_of_rows(r, rv, rows, v);
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
    rv = verification_of_rows(r, rv, rows, v);
    return (rv == APR_SUCCESS && !*v) ? APR_EGENERAL : rv;
}

apr_status_t smscloud_db_otp_resend(request_rec *r, ap_dbd_t *db, const char *sid,
                                    const char *code_hash, int lifetime,
                                    smscloud_otp_row_t **v)
{
    apr_array_header_t *rows = NULL;
    apr_status_t rv = smscloud_db_select(r, db, "smscloud_otp_resend", &rows, code_hash,
                                         apr_itoa(r->pool, lifetime), sid, NULL);

    rv = verification_of_rows(r, rv, rows, v);
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
