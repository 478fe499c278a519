/*
 * SQL of phones and connected accounts. Every statement that touches an
 * account names the owning phone, so one phone can never see or change
 * another's.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_accounts.h"

#include "sc_text.h"

const smscloud_stmt_t smscloud_stmts_accounts[] = {
    { "smscloud_phone_mark_verified",
      "INSERT INTO phones (phone, verified_at) VALUES (%s, now()) "
      "ON CONFLICT (phone) DO UPDATE SET verified_at = now(), failed_checks = 0" },
    { "smscloud_accounts_of",
      "SELECT id, provider, account_id, service, display_name, phone, credentials FROM accounts "
      "WHERE phone = %s ORDER BY id" },
    /* one round trip for the question every SMS asks first */
    { "smscloud_verified_accounts_of",
      "SELECT a.id, a.provider, a.account_id, a.service, a.display_name, a.phone, a.credentials "
      "FROM accounts a JOIN phones p ON p.phone = a.phone "
      "WHERE a.phone = %s AND p.verified_at IS NOT NULL ORDER BY a.id" },
    { "smscloud_account_get",
      "SELECT id, provider, account_id, service, display_name, phone, credentials FROM accounts "
      "WHERE phone = %s AND id = CAST(%s AS bigint)" },
    { "smscloud_account_by_provider_id",
      "SELECT id, provider, account_id, service, display_name, phone, credentials FROM accounts "
      "WHERE provider = %s AND account_id = %s" },
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

apr_status_t smscloud_phone_mark_verified(request_rec *r, ap_dbd_t *db,
                                          const char *phone)
{
    return smscloud_db_query(r, db, "smscloud_phone_mark_verified", NULL, phone, NULL);
}

static smscloud_account_t *account_from_row(apr_pool_t *p, const char **row)
{
    smscloud_account_t *a = apr_pcalloc(p, sizeof(*a));

    a->ref = row[0];
    a->provider = row[1];
    a->account_id = row[2];
    a->service = row[3] ? row[3] : "";
    a->display_name = row[4] ? row[4] : "";
    a->phone = row[5];
    a->credentials = row[6];
    return a;
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
        APR_ARRAY_PUSH(*accounts, smscloud_account_t *) =
            account_from_row(r->pool, APR_ARRAY_IDX(rows, i, const char **));
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

apr_status_t smscloud_account_get(request_rec *r, ap_dbd_t *db, const char *phone,
                                  const char *ref, smscloud_account_t **account)
{
    apr_array_header_t *rows;
    apr_status_t rv;

    *account = NULL;
    if (!sc_decimal_id_ok(ref)) {
        return APR_SUCCESS;
    }
    rv = smscloud_db_select(r, db, "smscloud_account_get", &rows, phone, ref, NULL);
    if (rv == APR_SUCCESS && rows->nelts) {
        *account = account_from_row(r->pool, APR_ARRAY_IDX(rows, 0, const char **));
    }
    return rv;
}

apr_status_t smscloud_account_by_provider_id(request_rec *r, ap_dbd_t *db,
                                             const char *provider,
                                             const char *account_id,
                                             smscloud_account_t **account)
{
    apr_array_header_t *rows;
    apr_status_t rv;

    *account = NULL;
    rv = smscloud_db_select(r, db, "smscloud_account_by_provider_id", &rows, provider,
                            account_id, NULL);
    if (rv == APR_SUCCESS && rows->nelts) {
        *account = account_from_row(r->pool, APR_ARRAY_IDX(rows, 0, const char **));
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
