/*
 * SQL of the gate: the return address kept with a login attempt (never
 * with the browser, so that a tampered page cannot change it).
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_gate.h"

const smscloud_stmt_t smscloud_stmts_gate[] = {
    { "smscloud_return_set",
      "UPDATE login_codes SET return_to = %s WHERE attempt_hash = %s" },
    { NULL, NULL }
};

apr_status_t smscloud_db_return_set(request_rec *r, ap_dbd_t *db,
                                    const char *attempt_hash, const char *path)
{
    return smscloud_db_query(r, db, "smscloud_return_set", NULL, path, attempt_hash, NULL);
}
