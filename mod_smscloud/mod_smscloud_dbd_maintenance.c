/*
 * SQL of the background maintenance: the lifetimes it runs with, and one
 * batch of removals (schema/upgrade/007-maintenance.sql holds the logic,
 * shared with `smscloud-admin prune`). No request here: the connection
 * is the maintenance task's own (ap_dbd_open), so the statements are
 * prepared on it when first needed.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_maintenance.h"

#include "apr_strings.h"

#include <libpq-fe.h>

static const smscloud_stmt_t maintenance_stmts[] = {
    { "smscloud_prune_settings",
      "SELECT smscloud_prune_settings(CAST(%s AS integer), CAST(%s AS integer), "
      "CAST(%s AS integer), CAST(%s AS integer), CAST(%s AS integer), "
      "CAST(%s AS integer), CAST(%s AS integer))" },
    { "smscloud_prune",
      "SELECT what, removed FROM smscloud_prune(CAST(%s AS integer))" },
    { NULL, NULL }
};

#define PID_KEY "smscloud:maintenance-backend-pid"

/* A connection that libpq re-established has lost what was prepared on
 * it: forget our statements when the backend changed. */
static void forget_if_reconnected(ap_dbd_t *db)
{
    int pid = PQbackendPID(apr_dbd_native_handle(db->driver, db->handle));
    int *known = apr_hash_get(db->prepared, PID_KEY, APR_HASH_KEY_STRING);
    const smscloud_stmt_t *st;

    if (!known) {
        known = apr_palloc(db->pool, sizeof(*known));
        *known = pid;
        apr_hash_set(db->prepared, PID_KEY, APR_HASH_KEY_STRING, known);
    }
    if (*known != pid) {
        for (st = maintenance_stmts; st->label; st++) {
            apr_hash_set(db->prepared, st->label, APR_HASH_KEY_STRING, NULL);
        }
        *known = pid;
    }
}

static apr_dbd_prepared_t *statement(server_rec *s, ap_dbd_t *db, int which)
{
    const smscloud_stmt_t *st = &maintenance_stmts[which];
    apr_dbd_prepared_t *stmt;
    int rv;

    forget_if_reconnected(db);
    stmt = apr_hash_get(db->prepared, st->label, APR_HASH_KEY_STRING);
    if (stmt) {
        return stmt;
    }
    rv = apr_dbd_prepare(db->driver, db->pool, db->handle, st->sql, st->label, &stmt);
    if (rv) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     "SC00052: maintenance: cannot prepare %s (is the schema "
                     "upgraded? schema/upgrade.sh): %s", st->label,
                     apr_dbd_error(db->driver, db->handle, rv));
        return NULL;
    }
    apr_hash_set(db->prepared, st->label, APR_HASH_KEY_STRING, stmt);
    return stmt;
}

/* Run statement `which`; *rows (may be NULL) gets its rows. */
static apr_status_t run(server_rec *s, apr_pool_t *p, ap_dbd_t *db, int which,
                        int nargs, const char **args, apr_array_header_t **rows)
{
    apr_dbd_prepared_t *stmt = statement(s, db, which);
    apr_dbd_results_t *res = NULL;
    apr_array_header_t *all;
    int rv;

    if (!stmt) {
        return APR_EGENERAL;
    }
    rv = apr_dbd_pselect(db->driver, p, db->handle, &res, stmt, 1, nargs, args);
    if (rv) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "SC00054: maintenance: %s failed: %s",
                     maintenance_stmts[which].label,
                     apr_dbd_error(db->driver, db->handle, rv));
        return APR_EGENERAL;
    }
    all = smscloud_db_rows(p, db, res, maintenance_stmts[which].label);
    if (rows) {
        *rows = all;
    }
    return APR_SUCCESS;
}

apr_status_t smscloud_db_prune_settings(server_rec *s, apr_pool_t *p, ap_dbd_t *db,
                                        const smscloud_prune_settings_t *set)
{
    const char *args[] = {
        apr_itoa(p, set->session_idle), apr_itoa(p, set->session_max),
        apr_itoa(p, set->replay_lifetime), apr_itoa(p, set->rate_window),
        apr_itoa(p, set->retain_expired), apr_itoa(p, set->retain_outbox),
        apr_itoa(p, set->failure_memory),
    };

    return run(s, p, db, 0, 7, args, NULL);
}

apr_status_t smscloud_db_prune_batch(server_rec *s, apr_pool_t *p, ap_dbd_t *db,
                                     int batch, smscloud_prune_result_t *out)
{
    apr_array_header_t *rows = NULL;
    const char *args[] = { apr_itoa(p, batch) };
    apr_status_t rv = run(s, p, db, 1, 1, args, &rows);
    int i;

    out->busy = 0;
    out->removed = 0;
    out->detail = "";
    for (i = 0; rv == APR_SUCCESS && i < rows->nelts; i++) {
        sc_row_t *row = APR_ARRAY_IDX(rows, i, sc_row_t *);
        const char *what = sc_row_text(row, "what");
        int n = sc_row_int(row, "removed", 0);

        if (sc_row_fault(row)) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "SC00054: maintenance: %s",
                         sc_row_fault(row));
            return APR_EGENERAL;
        }
        if (!strcmp(what, "busy")) {
            out->busy = 1;
        }
        else if (n > 0) {
            out->removed += n;
            out->detail = apr_psprintf(p, "%s%s%s %d", out->detail,
                                       *out->detail ? ", " : "", what, n);
        }
    }
    return rv;
}
