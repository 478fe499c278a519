/*
 * PostgreSQL through mod_dbd. Each feature keeps its SQL in its own
 * mod_smscloud_dbd_<feature>.c as a smscloud_stmt_t table plus small typed
 * functions; this file's functions are the only way they run it.
 */
#ifndef MOD_SMSCLOUD_DBD_H
#define MOD_SMSCLOUD_DBD_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

typedef struct {
    const char *label;
    const char *sql;           /* apr_dbd placeholders: %s only */
} smscloud_stmt_t;

/* Statement tables, each ended by { NULL, NULL }. */
extern const smscloud_stmt_t smscloud_stmts_core[];
extern const smscloud_stmt_t smscloud_stmts_outbound[];
extern const smscloud_stmt_t smscloud_stmts_rate[];
extern const smscloud_stmt_t smscloud_stmts_accounts[];
extern const smscloud_stmt_t smscloud_stmts_sms[];
extern const smscloud_stmt_t smscloud_stmts_login[];
extern const smscloud_stmt_t smscloud_stmts_session[];
extern const smscloud_stmt_t smscloud_stmts_demo[];

/** Register every statement with mod_dbd for server s (config time).
 *  Returns NULL, or why it cannot (mod_dbd not loaded). */
const char *smscloud_dbd_prepare_all(server_rec *s);

/** Fetch ap_dbd_acquire once mod_dbd has registered it. */
void smscloud_dbd_retrieve(void);

/** A database connection for this request, or NULL (logged; answer 503). */
ap_dbd_t *smscloud_db_acquire(request_rec *r);

/** Whether the database answers a prepared statement now; *version (may
 *  be NULL) gets the schema version. Failures are logged. */
int smscloud_db_ready(request_rec *r, const char **version);

/** Run a SELECT (or anything with RETURNING) and return every row as an
 *  array of `const char **` (column values, NULL for SQL NULL), copied into
 *  r->pool. The string arguments end with NULL. */
apr_status_t smscloud_db_select(request_rec *r, ap_dbd_t *db, const char *label,
                                apr_array_header_t **rows, ...);

/** Run a statement without result rows; *nrows gets the affected count
 *  (nrows may be NULL). The string arguments end with NULL. */
apr_status_t smscloud_db_query(request_rec *r, ap_dbd_t *db, const char *label,
                               int *nrows, ...);

/** The first column of the first row, or NULL when there is no row. */
apr_status_t smscloud_db_value(request_rec *r, ap_dbd_t *db, const char *label,
                               const char **value, ...);

/** Transactions: every statement between begin and end runs in one.
 *  Not nested. A request that ends without smscloud_db_end rolls back.
 *  After any failed statement PostgreSQL turns COMMIT into a rollback
 *  without an error: commit only when every statement succeeded. */
apr_status_t smscloud_db_begin(request_rec *r, ap_dbd_t *db);
apr_status_t smscloud_db_end(request_rec *r, ap_dbd_t *db, int commit);

#endif
