/*
 * The one way mod_smscloud reaches PostgreSQL: connections from mod_dbd's
 * pool (ap_dbd_acquire), our statements prepared on each of them under fixed
 * labels once its schema version is known to be new enough, arguments
 * always bound, never spliced into SQL.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"

#include "sc_metrics.h"
#include "sc_hmac.h"

#include "apr_optional.h"
#include "apr_strings.h"

#include <libpq-fe.h>

static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *dbd_acquire;
static APR_OPTIONAL_FN_TYPE(ap_dbd_open) *dbd_open;
static APR_OPTIONAL_FN_TYPE(ap_dbd_close) *dbd_close;

#define STMT_TABLE(name) smscloud_stmts_##name,
static const smscloud_stmt_t *const stmt_tables[] = {
    SMSCLOUD_STMT_TABLES(STMT_TABLE)
    NULL
};

/* Statements an administrator wrote (SmsCloudUserPhoneQuery) and those of
 * other modules (mod_smscloud.h), gathered as the configuration is read
 * and prepared on every connection with ours, so that one that does not
 * prepare is named in the log (SC01005). The list lives in the
 * configuration pool and goes with it. */
static apr_array_header_t *added_stmts;

static apr_status_t added_stmts_forget(void *unused)
{
    added_stmts = NULL;
    return APR_SUCCESS;
}

void smscloud_dbd_statement_add(apr_pool_t *pconf, const char *label, const char *sql)
{
    smscloud_stmt_t *st;

    if (!added_stmts) {
        added_stmts = apr_array_make(pconf, 2, sizeof(smscloud_stmt_t));
        apr_pool_cleanup_register(pconf, NULL, added_stmts_forget, apr_pool_cleanup_null);
    }
    st = apr_array_push(added_stmts);
    st->label = apr_pstrdup(pconf, label);
    st->sql = apr_pstrdup(pconf, sql);
}

const char *smscloud_dbd_add_statement(apr_pool_t *pconf, const char *sql)
{
    const char *label = apr_psprintf(pconf, "smscloud_admin_%d",
                                     added_stmts ? added_stmts->nelts + 1 : 1);

    smscloud_dbd_statement_add(pconf, label, sql);
    return label;
}

/* Under the secret keyed once as the configuration was checked (every
 * server with a secret is, or httpd does not start): a login takes seven of
 * these, and a one-shot HMAC() would fetch the MAC and its digest and hash
 * the two key blocks again each time (about 22,000 instructions). */
const char *smscloud_keyed_hash(request_rec *r, const char *purpose, const char *value)
{
    const char *data = apr_pstrcat(r->pool, purpose, ":", value, NULL);

    return sc_hmac_key_sha256_hex(r->pool, smscloud_conf(r)->secret_key, data, strlen(data));
}

const char *smscloud_dbd_required(void)
{
    if (!APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire)) {
        return "mod_dbd must be loaded before mod_smscloud "
               "(LoadModule dbd_module ... ahead of smscloud_module)";
    }
    return NULL;
}

void smscloud_dbd_retrieve(void)
{
    dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    dbd_open = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    dbd_close = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
}

/* ------------------------------------------------------------------ */
/* a connection of ours: schema checked, statements prepared           */

/* We prepare our statements ourselves, per connection, rather than through
 * ap_dbd_prepare: mod_dbd refuses the whole connection when one statement
 * does not prepare, so on a database older than this build (a column a
 * statement names is missing) nothing would run, not even a query saying
 * why. So a connection first has its schema version read, and only a
 * database at SC_SCHEMA_VERSION or newer gets the statements.
 *
 * A pooled connection that libpq had to re-establish (PostgreSQL
 * restarted) has lost its server-side statements too. We notice by the
 * backend pid changing, which libpq knows without a round trip, and treat
 * it as a new connection. */
#define BACKEND_PID_KEY "smscloud:backend-pid"

static int backend_pid(ap_dbd_t *db)
{
    if (strcmp(apr_dbd_name(db->driver), "pgsql")) {
        return 0;
    }
    return PQbackendPID(apr_dbd_native_handle(db->driver, db->handle));
}

/* The database's schema version, or -1 when it has none we can read
 * (*why then says what went wrong). */
static long schema_version_of(apr_pool_t *p, ap_dbd_t *db, const char **why)
{
    apr_dbd_results_t *res = NULL;
    apr_array_header_t *rows;
    sc_row_t *row;
    long version;
    int rv;

    rv = apr_dbd_select(db->driver, p, db->handle, &res,
                        "SELECT max(version) AS version FROM schema_version", 1);
    if (rv) {
        *why = apr_dbd_error(db->driver, db->handle, rv);
        return -1;
    }
    rows = smscloud_db_rows(p, db, res, "schema_version");
    if (!rows->nelts) {
        *why = "schema_version is empty";
        return -1;
    }
    row = APR_ARRAY_IDX(rows, 0, sc_row_t *);
    /* max() of no rows is NULL */
    version = (long)sc_row_int64(row, "version", -1);
    if (sc_row_fault(row)) {
        *why = sc_row_fault(row);
        return -1;
    }
    *why = "schema_version is empty";
    return version;
}

static int connection_broken(ap_dbd_t *db)
{
    return !strcmp(apr_dbd_name(db->driver), "pgsql")
        && PQstatus(apr_dbd_native_handle(db->driver, db->handle)) != CONNECTION_OK;
}

static apr_status_t check_schema(server_rec *s, apr_pool_t *p, ap_dbd_t *db)
{
    const char *why = NULL;
    long version = schema_version_of(p, db, &why);

    /* a connection cut while it sat in the pool is no schema problem */
    if (version < 0 && connection_broken(db)
        && apr_dbd_check_conn(db->driver, p, db->handle) == APR_SUCCESS) {
        version = schema_version_of(p, db, &why);
    }
    if (version < 0 && connection_broken(db)) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     "SC01001: no database connection (is PostgreSQL up and "
                     "DBDriver/DBDParams set?)");
        return APR_EGENERAL;
    }
    if (version < 0) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     "SC01006: the database has no mod_smscloud schema (%s); "
                     "this module needs version %d: run schema/upgrade.sh",
                     why, SC_SCHEMA_VERSION);
        return APR_EGENERAL;
    }
    if (version < SC_SCHEMA_VERSION) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     "SC01006: the database schema is version %ld, this module "
                     "needs version %d: run schema/upgrade.sh (it keeps the data)",
                     version, SC_SCHEMA_VERSION);
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

static apr_status_t prepare_one(server_rec *s, ap_dbd_t *db, const smscloud_stmt_t *st)
{
    apr_dbd_prepared_t *stmt = NULL;
    int rv = apr_dbd_prepare(db->driver, db->pool, db->handle, st->sql, st->label, &stmt);

    if (rv) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "SC01005: cannot prepare %s: %s",
                     st->label, apr_dbd_error(db->driver, db->handle, rv));
        return APR_EGENERAL;
    }
    apr_hash_set(db->prepared, st->label, APR_HASH_KEY_STRING, stmt);
    return APR_SUCCESS;
}

static apr_status_t prepare_statements(server_rec *s, ap_dbd_t *db)
{
    const smscloud_stmt_t *const *table;
    const smscloud_stmt_t *st;
    int i;

    for (table = stmt_tables; *table; table++) {
        for (st = *table; st->label; st++) {
            if (prepare_one(s, db, st) != APR_SUCCESS) {
                return APR_EGENERAL;
            }
        }
    }
    for (i = 0; added_stmts && i < added_stmts->nelts; i++) {
        if (prepare_one(s, db, &APR_ARRAY_IDX(added_stmts, i, smscloud_stmt_t))
            != APR_SUCCESS) {
            return APR_EGENERAL;
        }
    }
    return APR_SUCCESS;
}

/* Make db one of ours, unless it is already (the usual case: a hash
 * lookup and a libpq field read). */
static apr_status_t connection_ready(server_rec *s, apr_pool_t *p, ap_dbd_t *db)
{
    int *known_pid = apr_hash_get(db->prepared, BACKEND_PID_KEY, APR_HASH_KEY_STRING);
    int pid = backend_pid(db);
    apr_status_t rv;

    if (known_pid && (*known_pid == pid || pid == 0)) {
        return APR_SUCCESS;
    }
    if (known_pid) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s,
                     "SC01004: database connection was re-established; "
                     "preparing statements again");
    }
    if ((rv = check_schema(s, p, db)) != APR_SUCCESS
        || (rv = prepare_statements(s, db)) != APR_SUCCESS) {
        return rv;
    }
    if (!known_pid) {
        known_pid = apr_palloc(db->pool, sizeof(*known_pid));
        apr_hash_set(db->prepared, BACKEND_PID_KEY, APR_HASH_KEY_STRING, known_pid);
    }
    /* read again: the schema check may have had to reconnect */
    *known_pid = backend_pid(db);
    return APR_SUCCESS;
}

ap_dbd_t *smscloud_db_acquire(request_rec *r)
{
    apr_time_t start = apr_time_now();
    ap_dbd_t *db = dbd_acquire ? dbd_acquire(r) : NULL;

    sc_metric_observe(SC_METRIC_DB_ACQUIRE_DURATION, NULL, apr_time_now() - start);
    if (!db) {
        sc_metric_inc(SC_METRIC_DB_ERRORS, "connect", NULL);
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "SC01001: no database connection (is PostgreSQL up and "
                      "DBDriver/DBDParams set?)");
        return NULL;
    }
    if (connection_ready(r->server, r->pool, db) != APR_SUCCESS) {
        return NULL;
    }
    return db;
}

void smscloud_dbd_child_init(apr_pool_t *pchild, server_rec *s)
{
    server_rec *sp;

    if (!dbd_open || !dbd_close) {
        return;
    }
    for (sp = s; sp; sp = sp->next) {
        ap_dbd_t *db;

        if (!smscloud_server_conf(sp)->configured || !(db = dbd_open(pchild, sp))) {
            continue;
        }
        connection_ready(sp, pchild, db);
        dbd_close(sp, db);
    }
}

int smscloud_db_ready(request_rec *r, const char **version)
{
    const char *v = NULL;
    ap_dbd_t *db = smscloud_db_acquire(r);

    if (!db || smscloud_db_value(r, db, "smscloud_schema_version", &v, NULL) != APR_SUCCESS
        || !v) {
        return 0;
    }
    if (version) {
        *version = v;
    }
    return 1;
}

static apr_dbd_prepared_t *statement(request_rec *r, ap_dbd_t *db, const char *label)
{
    apr_dbd_prepared_t *stmt = apr_hash_get(db->prepared, label, APR_HASH_KEY_STRING);

    if (!stmt) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "SC01002: statement %s is not prepared (was the schema "
                      "upgraded? see schema/upgrade.sh)", label);
    }
    return stmt;
}

/* The NULL-terminated string arguments as the array apr_dbd wants. */
static const char **collect_args(apr_pool_t *p, va_list ap, int *nargs)
{
    apr_array_header_t *args = apr_array_make(p, 8, sizeof(const char *));
    const char *arg;

    while ((arg = va_arg(ap, const char *)) != NULL) {
        APR_ARRAY_PUSH(args, const char *) = arg;
    }
    *nargs = args->nelts;
    return (const char **)args->elts;
}

/* Set when a statement's connection was mended but then refused (its
 * schema, logged with the reason): the statement's own error says nothing. */
#define REFUSED_NOTE "smscloud-connection-refused"

static apr_status_t failed(request_rec *r, ap_dbd_t *db, const char *label, int rv)
{
    sc_metric_inc(SC_METRIC_DB_ERRORS, "statement", NULL);
    if (apr_table_get(r->notes, REFUSED_NOTE)) {
        apr_table_unset(r->notes, REFUSED_NOTE);
        return APR_EGENERAL;
    }
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SC01003: %s failed: %s",
                  label, apr_dbd_error(db->driver, db->handle, rv));
    return APR_EGENERAL;
}

/* A pooled connection can die under us (PostgreSQL restarted). Outside a
 * transaction, where nothing is lost, reconnect it, prepare our statements
 * again and let the caller retry once, so the first request after an
 * outage does not fail as well. */
#define IN_TXN_NOTE "smscloud-in-transaction"
#define PINNED_NOTE "smscloud-pinned"

void smscloud_db_pin(request_rec *r, int pinned)
{
    if (pinned) {
        apr_table_setn(r->notes, PINNED_NOTE, "1");
    }
    else {
        apr_table_unset(r->notes, PINNED_NOTE);
    }
}

static int reconnected(request_rec *r, ap_dbd_t *db)
{
    if (apr_table_get(r->notes, IN_TXN_NOTE) || apr_table_get(r->notes, PINNED_NOTE)
        || !connection_broken(db)
        || apr_dbd_check_conn(db->driver, r->pool, db->handle) != APR_SUCCESS) {
        return 0;
    }
    if (connection_ready(r->server, r->pool, db) != APR_SUCCESS) {
        /* logged already, with the reason */
        apr_table_setn(r->notes, REFUSED_NOTE, "1");
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* rows, read by column name                                           */

apr_array_header_t *smscloud_db_rows(apr_pool_t *p, ap_dbd_t *db, apr_dbd_results_t *res,
                                     const char *label)
{
    apr_array_header_t *rows = apr_array_make(p, 4, sizeof(sc_row_t *));
    int ncols = apr_dbd_num_cols(db->driver, res);
    const char **names = apr_pcalloc(p, (ncols + 1) * sizeof(*names));
    apr_dbd_row_t *row = NULL;
    int i;

    /* the names before the rows: reading the last row frees the result */
    for (i = 0; i < ncols; i++) {
        const char *name = apr_dbd_get_name(db->driver, res, i);
        names[i] = name ? apr_pstrdup(p, name) : "";
    }
    /* read every row: stopping early would leak the result set */
    while (apr_dbd_get_row(db->driver, p, res, &row, -1) == 0) {
        const char **values = apr_pcalloc(p, (ncols + 1) * sizeof(*values));

        for (i = 0; i < ncols; i++) {
            const char *v = apr_dbd_get_entry(db->driver, row, i);
            values[i] = apr_pstrdup(p, v ? v : "");
        }
        APR_ARRAY_PUSH(rows, sc_row_t *) = sc_row_make(p, label, ncols, names, values);
    }
    return rows;
}

apr_status_t smscloud_row_check(request_rec *r, const sc_row_t *row)
{
    const char *fault = sc_row_fault(row);

    if (fault) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SC01007: %s", fault);
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

apr_status_t smscloud_db_vselect(request_rec *r, ap_dbd_t *db, const char *label,
                                 apr_array_header_t **rows, va_list ap)
{
    apr_dbd_prepared_t *stmt = statement(r, db, label);
    apr_dbd_results_t *res = NULL;
    const char **args;
    int nargs, rv;

    *rows = apr_array_make(r->pool, 1, sizeof(sc_row_t *));
    if (!stmt) {
        return APR_EGENERAL;
    }
    args = collect_args(r->pool, ap, &nargs);
    /* random access: only then does pgsql report errors from pselect */
    rv = apr_dbd_pselect(db->driver, r->pool, db->handle, &res, stmt, 1, nargs, args);
    if (rv && reconnected(r, db) && (stmt = statement(r, db, label))) {
        rv = apr_dbd_pselect(db->driver, r->pool, db->handle, &res, stmt, 1, nargs, args);
    }
    if (rv) {
        return failed(r, db, label, rv);
    }
    *rows = smscloud_db_rows(r->pool, db, res, label);
    return APR_SUCCESS;
}

apr_status_t smscloud_db_select(request_rec *r, ap_dbd_t *db, const char *label,
                                apr_array_header_t **rows, ...)
{
    apr_status_t rv;
    va_list ap;

    va_start(ap, rows);
    rv = smscloud_db_vselect(r, db, label, rows, ap);
    va_end(ap);
    return rv;
}

apr_status_t smscloud_db_row(request_rec *r, ap_dbd_t *db, const char *label,
                             sc_row_t **row, ...)
{
    apr_array_header_t *rows;
    apr_status_t rv;
    va_list ap;

    va_start(ap, row);
    rv = smscloud_db_vselect(r, db, label, &rows, ap);
    va_end(ap);
    *row = (rv == APR_SUCCESS && rows->nelts) ? APR_ARRAY_IDX(rows, 0, sc_row_t *)
                                              : NULL;
    return rv;
}

apr_status_t smscloud_db_value(request_rec *r, ap_dbd_t *db, const char *label,
                               const char **value, ...)
{
    apr_array_header_t *rows;
    apr_status_t rv;
    va_list ap;

    va_start(ap, value);
    rv = smscloud_db_vselect(r, db, label, &rows, ap);
    va_end(ap);
    *value = (rv == APR_SUCCESS && rows->nelts)
             ? sc_row_values(APR_ARRAY_IDX(rows, 0, sc_row_t *))[0] : NULL;
    return rv;
}

apr_status_t smscloud_db_query(request_rec *r, ap_dbd_t *db, const char *label,
                               int *nrows, ...)
{
    apr_dbd_prepared_t *stmt = statement(r, db, label);
    const char **args;
    int nargs, affected = 0, rv;
    va_list ap;

    if (nrows) {
        *nrows = 0;
    }
    if (!stmt) {
        return APR_EGENERAL;
    }
    va_start(ap, nrows);
    args = collect_args(r->pool, ap, &nargs);
    va_end(ap);
    rv = apr_dbd_pquery(db->driver, r->pool, db->handle, &affected, stmt, nargs, args);
    if (rv && reconnected(r, db) && (stmt = statement(r, db, label))) {
        rv = apr_dbd_pquery(db->driver, r->pool, db->handle, &affected, stmt, nargs, args);
    }
    if (rv) {
        return failed(r, db, label, rv);
    }
    if (nrows) {
        *nrows = affected;
    }
    return APR_SUCCESS;
}

/* Transactions are plain BEGIN/COMMIT/ROLLBACK rather than apr_dbd's
 * transaction API: apr_dbd_pgsql dereferences a NULL transaction when BEGIN
 * fails on a dead connection, which would crash the child. */
static apr_status_t run_plain(request_rec *r, ap_dbd_t *db, const char *sql)
{
    int nrows = 0;
    int rv = apr_dbd_query(db->driver, db->handle, &nrows, sql);

    if (rv) {
        return failed(r, db, sql, rv);
    }
    return APR_SUCCESS;
}

/* A request that ends inside a transaction (an early return on some error
 * path) must not hand an open transaction back to mod_dbd's pool. This runs
 * before mod_dbd's own cleanup, which was registered earlier. */
static apr_status_t rollback_cleanup(void *data)
{
    ap_dbd_t *db = data;
    int nrows = 0;

    apr_dbd_query(db->driver, db->handle, &nrows, "ROLLBACK");
    return APR_SUCCESS;
}

apr_status_t smscloud_db_begin(request_rec *r, ap_dbd_t *db)
{
    apr_status_t rv;
    int nrows = 0, err;

    if (apr_table_get(r->notes, IN_TXN_NOTE)) {
        return APR_EGENERAL;
    }
    /* like a statement: a dead pooled connection mended on the way is
     * no error, so only the outcome of the retry is logged */
    err = apr_dbd_query(db->driver, db->handle, &nrows, "BEGIN");
    if (err && reconnected(r, db)) {
        err = apr_dbd_query(db->driver, db->handle, &nrows, "BEGIN");
    }
    rv = err ? failed(r, db, "BEGIN", err) : APR_SUCCESS;
    if (rv == APR_SUCCESS) {
        apr_table_setn(r->notes, IN_TXN_NOTE, "1");
        apr_pool_cleanup_register(r->pool, db, rollback_cleanup, apr_pool_cleanup_null);
    }
    return rv;
}

apr_status_t smscloud_db_end(request_rec *r, ap_dbd_t *db, int commit)
{
    if (!apr_table_get(r->notes, IN_TXN_NOTE)) {
        return APR_EGENERAL;
    }
    apr_pool_cleanup_kill(r->pool, db, rollback_cleanup);
    apr_table_unset(r->notes, IN_TXN_NOTE);
    return run_plain(r, db, commit ? "COMMIT" : "ROLLBACK");
}

/* ------------------------------------------------------------------ */
/* statements that belong to no single feature                         */

const smscloud_stmt_t smscloud_stmts_core[] = {
    { "smscloud_schema_version",
      "SELECT max(version) FROM schema_version" },
    { NULL, NULL }
};
