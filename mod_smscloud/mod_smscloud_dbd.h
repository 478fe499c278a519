/*
 * PostgreSQL through mod_dbd. Each feature keeps its SQL in its own
 * mod_smscloud_dbd_<feature>.c as a smscloud_stmt_t table plus small typed
 * functions; this file's functions are the only way they run it.
 */
#ifndef MOD_SMSCLOUD_DBD_H
#define MOD_SMSCLOUD_DBD_H

#include <stdarg.h>

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

/* The schema version this build of the module needs (schema/upgrade/NNN-*.sql:
 * whoever adds a step raises it). A connection to an older database is
 * refused with SC01006 naming schema/upgrade.sh, so every request that
 * needs the database answers 503 until it is run. */
#define SC_SCHEMA_VERSION 13

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
extern const smscloud_stmt_t smscloud_stmts_gate[];
extern const smscloud_stmt_t smscloud_stmts_link[];
extern const smscloud_stmt_t smscloud_stmts_otp[];
extern const smscloud_stmt_t smscloud_stmts_twostep[];

/** Register a statement under label (config time; apr_dbd placeholders):
 *  it is prepared on every connection with ours. */
void smscloud_dbd_statement_add(apr_pool_t *pconf, const char *label, const char *sql);

/** Register a statement an administrator wrote (config time; apr_dbd
 *  placeholders): it is prepared on every connection with ours. Returns
 *  its label. */
const char *smscloud_dbd_add_statement(apr_pool_t *pconf, const char *sql);

/** NULL when mod_dbd is loaded, else what to tell the administrator
 *  (config time). */
const char *smscloud_dbd_required(void);

/** Fetch mod_dbd's functions once it has registered them. */
void smscloud_dbd_retrieve(void);

/** child_init: check the schema of each configured server's database (and
 *  prepare our statements) as a child starts, so that a database older
 *  than SC_SCHEMA_VERSION is reported (SC01006) before any request. */
void smscloud_dbd_child_init(apr_pool_t *pchild, server_rec *s);

/** A database connection for this request with our statements prepared,
 *  or NULL (logged; answer 503): also when the schema is older than
 *  SC_SCHEMA_VERSION. */
ap_dbd_t *smscloud_db_acquire(request_rec *r);

/** Whether the database answers a prepared statement now; *version (may
 *  be NULL) gets the schema version. Failures are logged. */
int smscloud_db_ready(request_rec *r, const char **version);

/** Run a SELECT (or anything with RETURNING) and return every row as an
 *  array of `const char **` (column values, NULL for SQL NULL), copied into
 *  r->pool. The string arguments end with NULL. */
apr_status_t smscloud_db_select(request_rec *r, ap_dbd_t *db, const char *label,
                                apr_array_header_t **rows, ...);
apr_status_t smscloud_db_vselect(request_rec *r, ap_dbd_t *db, const char *label,
                                 apr_array_header_t **rows, va_list ap);

/** Run a statement without result rows; *nrows gets the affected count
 *  (nrows may be NULL). The string arguments end with NULL. */
apr_status_t smscloud_db_query(request_rec *r, ap_dbd_t *db, const char *label,
                               int *nrows, ...);

/** The first column of the first row, or NULL when there is no row. */
apr_status_t smscloud_db_value(request_rec *r, ap_dbd_t *db, const char *label,
                               const char **value, ...);

/** pinned 1: the connection holds session state (a lock), so a broken
 *  one must fail the statement rather than be replaced by a fresh one;
 *  0: it holds none again. */
void smscloud_db_pin(request_rec *r, int pinned);

/** Transactions: every statement between begin and end runs in one.
 *  Not nested. A request that ends without smscloud_db_end rolls back.
 *  After any failed statement PostgreSQL turns COMMIT into a rollback
 *  without an error: commit only when every statement succeeded. */
apr_status_t smscloud_db_begin(request_rec *r, ap_dbd_t *db);
apr_status_t smscloud_db_end(request_rec *r, ap_dbd_t *db, int commit);

#endif
