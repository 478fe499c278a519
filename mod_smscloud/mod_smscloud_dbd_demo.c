/*
 * The phone simulator's view of the outbox (SmsCloudDemo only).
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"

#define OUTBOX_ROWS_AFTER \
    "SELECT id, to_phone, from_sender, body, " \
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') " \
    "FROM outbox WHERE id > CAST(%s AS bigint) "

const smscloud_stmt_t smscloud_stmts_demo[] = {
    /* newest first; ids above %s only, so the page can poll cheaply */
    { "smscloud_demo_outbox",
      OUTBOX_ROWS_AFTER "ORDER BY id DESC LIMIT 50" },
    /* the same for one recipient: a busy outbox (bench/run logs many
     * phones in at once) must not push its message out of the 50 */
    { "smscloud_demo_outbox_to",
      OUTBOX_ROWS_AFTER "AND to_phone = %s ORDER BY id DESC LIMIT 50" },
    { NULL, NULL }
};
