/*
 * SQL of phones and connected accounts. Every statement that touches an
 * account names the owning phone, so one phone can never see or change
 * another's.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_accounts.h"

#include "sc_text.h"

/* read by smscloud_account_of_row() */
#define ACCOUNT_COLUMNS "a.id, a.provider, a.account_id, a.service, a.display_name, " \
    "a.phone, a.credentials"

const smscloud_stmt_t smscloud_stmts_accounts[] = {
    { "smscloud_accounts_of",
      "SELECT " ACCOUNT_COLUMNS " FROM accounts a WHERE a.phone = %s ORDER BY a.id" },
    /* one round trip for the question every SMS asks first */
    { "smscloud_verified_accounts_of",
      "SELECT " ACCOUNT_COLUMNS " FROM accounts a JOIN phones p ON p.phone = a.phone "
      "WHERE a.phone = %s AND p.verified_at IS NOT NULL ORDER BY a.id" },
    { "smscloud_account_by_provider_id",
      "SELECT " ACCOUNT_COLUMNS " FROM accounts a "
      "WHERE a.provider = %s AND a.account_id = %s" },
    /* the unique (provider, account_id) key decides a race between phones */
    { "smscloud_account_link",
      "INSERT INTO accounts (phone, provider, account_id, service, display_name, "
      "credentials) VALUES (%s, %s, %s, %s, %s, NULLIF(%s, '')) "
      "ON CONFLICT (provider, account_id) DO NOTHING RETURNING id" },
    /* connected again (a new app password): the phone's own row only */
    { "smscloud_account_relink",
      "UPDATE accounts SET credentials = NULLIF(%s, ''), display_name = %s "
      "WHERE phone = %s AND provider = %s AND account_id = %s" },
    { "smscloud_account_owner",
      "SELECT phone FROM accounts WHERE provider = %s AND account_id = %s" },
    { "smscloud_account_unlink",
      "DELETE FROM accounts WHERE phone = %s AND id = CAST(%s AS bigint)" },
    { NULL, NULL }
};

apr_status_t smscloud_account_of_row(request_rec *r, sc_row_t *row,
                                     const char *phone, smscloud_account_t **account)
{
    smscloud_account_t *a = apr_pcalloc(r->pool, sizeof(*a));

    a->ref = sc_row_text(row, "id");
    a->provider = sc_row_text(row, "provider");
    a->account_id = sc_row_text(row, "account_id");
    a->service = sc_row_text(row, "service");
    a->display_name = sc_row_text(row, "display_name");
    a->phone = phone ? phone : sc_row_text(row, "phone");
    a->credentials = sc_row_text(row, "credentials");
    *account = a;
    return smscloud_row_check(r, row);
}

static apr_status_t account_from_row(request_rec *r, sc_row_t *row,
                                     smscloud_account_t **account)
{
    return smscloud_account_of_row(r, row, NULL, account);
}

static apr_status_t accounts_by(request_rec *r, ap_dbd_t *db, const char *label,
                                const char *phone, apr_array_header_t **accounts)
{
    apr_array_header_t *rows;
    apr_status_t rv;
    int i;

    *accounts = apr_array_make(r->pool, 4, sizeof(smscloud_account_t *));
    rv = smscloud_db_select(r, db, label, &rows, phone, NULL);
    for (i = 0; rv == APR_SUCCESS && i < rows->nelts; i++) {
        rv = account_from_row(r, APR_ARRAY_IDX(rows, i, sc_row_t *),
                              apr_array_push(*accounts));
    }
    return rv;
}

apr_status_t smscloud_accounts_of(request_rec *r, ap_dbd_t *db,
                                  const char *phone, apr_array_header_t **accounts)
{
    return accounts_by(r, db, "smscloud_accounts_of", phone, accounts);
}

apr_status_t smscloud_verified_accounts_of(request_rec *r, ap_dbd_t *db,
                                           const char *phone,
                                           apr_array_header_t **accounts)
{
    return accounts_by(r, db, "smscloud_verified_accounts_of", phone, accounts);
}

apr_status_t smscloud_account_by_provider_id(request_rec *r, ap_dbd_t *db,
                                             const char *provider,
                                             const char *account_id,
                                             smscloud_account_t **account)
{
    sc_row_t *row;
    apr_status_t rv;

    *account = NULL;
    rv = smscloud_db_row(r, db, "smscloud_account_by_provider_id", &row, provider,
                         account_id, NULL);
    if (rv == APR_SUCCESS && row) {
        rv = account_from_row(r, row, account);
    }
    return rv;
}

smscloud_account_link_e smscloud_account_link(request_rec *r, ap_dbd_t *db,
                                              const char *phone,
                                              const smscloud_account_t *a)
{
    const char *id = NULL, *owner = NULL;

    const char *credentials = a->credentials ? a->credentials : "";
    const char *name = a->display_name ? a->display_name : "";

    if (smscloud_db_value(r, db, "smscloud_account_link", &id, phone, a->provider,
                          a->account_id, a->service ? a->service : "", name,
                          credentials, NULL) != APR_SUCCESS) {
        return SC_ACCOUNT_ERROR;
    }
    if (id) {
        return SC_ACCOUNT_ADDED;
    }
    if (smscloud_db_value(r, db, "smscloud_account_owner", &owner, a->provider,
                          a->account_id, NULL) != APR_SUCCESS) {
        return SC_ACCOUNT_ERROR;
    }
    if (!owner || strcmp(owner, phone)) {
        return SC_ACCOUNT_OTHER_PHONE;
    }
    if (smscloud_db_query(r, db, "smscloud_account_relink", NULL, credentials, name,
                          phone, a->provider, a->account_id, NULL) != APR_SUCCESS) {
        return SC_ACCOUNT_ERROR;
    }
    return SC_ACCOUNT_ALREADY_OURS;
}

apr_status_t smscloud_account_unlink(request_rec *r, ap_dbd_t *db,
                                     const char *phone, const char *ref,
                                     int *removed)
{
    *removed = 0;
    if (!sc_decimal_id_ok(ref)) {
        return APR_SUCCESS;
    }
    return smscloud_db_query(r, db, "smscloud_account_unlink", removed, phone, ref, NULL);
}
