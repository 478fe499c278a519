/*
 * SQL of the two-step login: the username a login attempt proved, and the
 * phones users enrolled here.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_twostep.h"

const smscloud_stmt_t smscloud_stmts_twostep[] = {
    { "smscloud_attempt_get",
      "SELECT return_to, username, enrol FROM login_codes WHERE attempt_hash = %s" },
    { "smscloud_user_phone_get",
      "SELECT phone FROM user_phones WHERE username = %s" },
    { NULL, NULL }
};

apr_status_t smscloud_db_attempt_get(request_rec *r, ap_dbd_t *db,
                                     const char *attempt_hash, smscloud_attempt_t *a)
{
    sc_row_t *row;
    apr_status_t rv;

    memset(a, 0, sizeof(*a));
    rv = smscloud_db_row(r, db, "smscloud_attempt_get", &row, attempt_hash, NULL);
    if (rv != APR_SUCCESS || !row) {
        return rv;
    }
    a->back = sc_row_opt(row, "return_to");
    a->user = sc_row_opt(row, "username");
    a->enrol = sc_row_bool(row, "enrol");
    if ((rv = smscloud_row_check(r, row)) != APR_SUCCESS) {
        memset(a, 0, sizeof(*a));
    }
    return rv;
}

apr_status_t smscloud_db_user_phone_get(request_rec *r, ap_dbd_t *db, const char *user,
                                        const char **phone)
{
    return smscloud_db_value(r, db, "smscloud_user_phone_get", phone, user, NULL);
}

apr_status_t smscloud_db_admin_value(request_rec *r, ap_dbd_t *db, const char *label,
                                     const char *user, const char **value)
{
    return smscloud_db_value(r, db, label, value, user, NULL);
}
