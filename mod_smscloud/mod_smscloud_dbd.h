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
#include "sc_row.h"

/* The schema version this build of the module needs (schema/upgrade/NNN-*.sql:
 * whoever adds a step raises it). A connection to an older database is
 * refused with SC01006 naming schema/upgrade.sh, so every request that
 * needs the database answers 503 until it is run. */
#define SC_SCHEMA_VERSION 16

typedef struct {
    const char *label;
    const char *sql;           /* apr_dbd placeholders: %s only */
} smscloud_stmt_t;

/* Every statement table of the module, smscloud_stmts_<name>[] of one
 * dbd file each, ended by { NULL, NULL }: a new table is one line here. */
#define SMSCLOUD_STMT_TABLES(X) \
    X(core) \
    X(outbound) \
    X(rate) \
    X(accounts) \
    X(sms) \
    X(login) \
    X(session) \
    X(link) \
    X(otp) \
    X(twostep)

#define SMSCLOUD_STMT_TABLE_DECLARE(name) extern const smscloud_stmt_t smscloud_stmts_##name[];
SMSCLOUD_STMT_TABLES(SMSCLOUD_STMT_TABLE_DECLARE)

/*
 * What a keyed hash is of: one purpose per kind of secret, so that a value
 * hashed for one never matches another's, and a misspelt purpose does not
 * compile.
 */
#define SC_HASH_ATTEMPT  "attempt"  /* login_codes.attempt_hash: the attempt cookie */
#define SC_HASH_CODE     "otp"      /* login_codes.code_hash: attempt ":" code */
#define SC_HASH_API_CODE "api-otp"  /* otp_verifications.code_hash: sid ":" code */
#define SC_HASH_SESSION  "session"  /* web_sessions.id_hash: the session cookie */
#define SC_HASH_STATE    "state"    /* oauth_states.state_hash: an OAuth state */
#define SC_HASH_CSRF     "csrf"     /* a form's token before login: the pre-session cookie */
#define SC_HASH_USER     "user"     /* the login-user rate bucket: a username */

/** HMAC(SmsCloudSecret, purpose ":" value) as hex (purpose one of
 *  SC_HASH_*): what we store in place of codes, ids and tokens. */
const char *smscloud_keyed_hash(request_rec *r, const char *purpose, const char *value);

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

/** Run a SELECT (or anything with RETURNING) and return every row as a
 *  sc_row_t * (sc_row.h: read by column name), copied into r->pool. The
 *  string arguments end with NULL. */
apr_status_t smscloud_db_select(request_rec *r, ap_dbd_t *db, const char *label,
                                apr_array_header_t **rows, ...);
/** smscloud_db_select() with the arguments as a va_list. */
apr_status_t smscloud_db_vselect(request_rec *r, ap_dbd_t *db, const char *label,
                                 apr_array_header_t **rows, va_list ap);

/** The same for a statement read for its first row only: *row is NULL
 *  when there is none. */
apr_status_t smscloud_db_row(request_rec *r, ap_dbd_t *db, const char *label,
                             sc_row_t **row, ...);

/** Run a statement without result rows; *nrows gets the affected count
 *  (nrows may be NULL). The string arguments end with NULL. */
apr_status_t smscloud_db_query(request_rec *r, ap_dbd_t *db, const char *label,
                               int *nrows, ...);

/** For a statement of one column: its value in the first row ("" for SQL
 *  NULL, as apr_dbd_pgsql gives it), or NULL when there is no row. */
apr_status_t smscloud_db_value(request_rec *r, ap_dbd_t *db, const char *label,
                               const char **value, ...);

/** Every row of res, copied into p and read to the end (which frees the
 *  result): for a caller that runs a statement of its own (label names
 *  it in the log). */
apr_array_header_t *smscloud_db_rows(apr_pool_t *p, ap_dbd_t *db, apr_dbd_results_t *res,
                                     const char *label);

/** The end of a statement's row function, which reads the row by column
 *  name (sc_row.h): APR_SUCCESS, or APR_EGENERAL with sc_row_fault()
 *  logged (SC01007) when the row lacked a column or one was not of its
 *  type. */
apr_status_t smscloud_row_check(request_rec *r, const sc_row_t *row);

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
