/*
 * SQL of the module's own download links: a row per token (under its
 * keyed hash), tied to the account it reads from, so that removing the
 * account ends its links (ON DELETE CASCADE, and the join at download
 * time), and to the phone, so that logging out everywhere ends them too.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_link.h"
#include "sc_storage.h"

#include "apr_strings.h"

const smscloud_stmt_t smscloud_stmts_link[] = {
    { "smscloud_link_add",
      "INSERT INTO links (id_hash, account_ref, phone, file_id, expires_at) "
      "SELECT %s, a.id, a.phone, %s, to_timestamp(CAST(%s AS bigint)) "
      "FROM accounts a WHERE a.provider = %s AND a.account_id = %s" },
    /* read by smscloud_link_find() */
    { "smscloud_link_get",
      "SELECT a.provider, a.account_id, l.file_id, "
      "CAST(extract(epoch FROM l.expires_at) AS bigint) AS expires, "
      "l.expires_at <= now() AS expired "
      "FROM links l JOIN accounts a ON a.id = l.account_ref WHERE l.id_hash = %s" },
    { "smscloud_links_end",
      "DELETE FROM links WHERE phone = %s" },
    { NULL, NULL }
};

apr_status_t smscloud_link_store(request_rec *r, const sc_link_t *link,
                                 const char *token_hash)
{
    ap_dbd_t *db = smscloud_db_acquire(r);
    int n = 0;
    apr_status_t rv;

    if (!db) {
        return APR_EGENERAL;
    }
    rv = smscloud_db_query(r, db, "smscloud_link_add", &n, token_hash,
                           sc_storage_id_store(r->pool, link->file_id),
                           apr_psprintf(r->pool, "%" APR_INT64_T_FMT, link->expires),
                           link->provider, link->account_id, NULL);
    /* no account row: it was removed while we looked at its file */
    return (rv == APR_SUCCESS && n != 1) ? APR_NOTFOUND : rv;
}

sc_link_status_e smscloud_link_find(request_rec *r, const char *token, sc_link_t **link)
{
    const char *key = smscloud_conf(r)->link_key;
    sc_row_t *row;
    sc_link_t *l;
    ap_dbd_t *db;
    int expired;

    *link = NULL;
    /* a malformed token costs no database round trip */
    if (!sc_link_token_ok(token)) {
        return SC_LINK_BAD;
    }
    if (!(db = smscloud_db_acquire(r))
        || smscloud_db_row(r, db, "smscloud_link_get", &row,
                           sc_link_token_hash(r->pool, key, token), NULL) != APR_SUCCESS) {
        return SC_LINK_UNAVAILABLE;
    }
    if (!row) {
        return SC_LINK_BAD;
    }
    l = apr_pcalloc(r->pool, sizeof(*l));
    l->provider = sc_row_text(row, "provider");
    l->account_id = sc_row_text(row, "account_id");
    l->file_id = sc_storage_id_load(r->pool, sc_row_text(row, "file_id"));
    l->expires = sc_row_int64(row, "expires", 0);
    expired = sc_row_bool(row, "expired");
    if (smscloud_row_check(r, row) != APR_SUCCESS) {
        return SC_LINK_UNAVAILABLE;
    }
    *link = l;
    if (!l->file_id) {
        return SC_LINK_BAD;
    }
    return expired ? SC_LINK_EXPIRED : SC_LINK_VALID;
}

apr_status_t smscloud_links_end(request_rec *r, ap_dbd_t *db, const char *phone)
{
    return smscloud_db_query(r, db, "smscloud_links_end", NULL, phone, NULL);
}
