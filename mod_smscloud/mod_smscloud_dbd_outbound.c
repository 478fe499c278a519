/*
 * SQL of the outbox transport: a text kept in a table rather than sent.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_outbound.h"

const smscloud_stmt_t smscloud_stmts_outbound[] = {
    { "smscloud_outbox_add",
      "INSERT INTO outbox (to_phone, from_sender, body) VALUES (%s, %s, %s)" },
    { NULL, NULL }
};

apr_status_t smscloud_outbox_add(request_rec *r, ap_dbd_t *db, const char *to,
                                 const char *from, const char *body)
{
    return smscloud_db_query(r, db, "smscloud_outbox_add", NULL, to, from, body, NULL);
}
