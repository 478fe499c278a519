/*
 * SQL of one-time login codes.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_login.h"

#include "apr_strings.h"
#include "sc_backoff.h"

#define MEMORY APR_STRINGIFY(SC_BACKOFF_MEMORY_SECS)

/* read by code_of_row() */
#define CODE_SELECT \
    "SELECT c.phone, c.code_hash, c.used_at IS NOT NULL AS used, " \
    "c.expires_at <= now() AS expired, c.attempts_left " \
    "FROM login_codes c JOIN phones p ON p.phone = c.phone " \
    "WHERE c.attempt_hash = %s"

const smscloud_stmt_t smscloud_stmts_login[] = {
    { "smscloud_phone_add",
      "INSERT INTO phones (phone) VALUES (%s) ON CONFLICT (phone) DO NOTHING" },
    /* a new code kills the phone's older ones; long-dead codes of any
     * phone go at the same time */
    { "smscloud_code_kill",
      "DELETE FROM login_codes WHERE phone = %s "
      "OR expires_at < now() - interval '1 day'" },
    { "smscloud_code_insert",
      "INSERT INTO login_codes (attempt_hash, phone, code_hash, expires_at, attempts_left) "
      "VALUES (%s, %s, %s, now() + make_interval(secs => CAST(%s AS integer)), "
      "CAST(%s AS integer))" },
    { "smscloud_code_discard",
      "DELETE FROM login_codes WHERE attempt_hash = %s" },
    /* FOR UPDATE: concurrent checks of one code queue here, so exactly
     * one of them can see it unused */
    { "smscloud_code_lock", CODE_SELECT " FOR UPDATE" },
    /* what /verify shows and a new code is sent to: nothing changes */
    { "smscloud_code_find", CODE_SELECT },
    { "smscloud_code_wrong",
      "UPDATE login_codes SET attempts_left = attempts_left - 1 WHERE attempt_hash = %s" },
    /* a failure a day old starts the count afresh */
    { "smscloud_failure_add",
      "INSERT INTO login_failures (phone, origin, failures) VALUES (%s, %s, 1) "
      "ON CONFLICT (phone, origin) DO UPDATE SET last_failed_at = now(), "
      "failures = CASE WHEN login_failures.last_failed_at < now() - make_interval("
      "secs => CAST(%s AS integer)) THEN 1 ELSE login_failures.failures + 1 END" },
    { "smscloud_failure_lock",
      "UPDATE login_failures SET locked_until = CASE WHEN CAST(%s AS integer) > 0 "
      "THEN now() + make_interval(secs => CAST(%s AS integer)) END "
      "WHERE phone = %s AND origin = %s" },
    { "smscloud_failures_clear",
      "DELETE FROM login_failures WHERE phone = %s "
      "OR last_failed_at < now() - make_interval(secs => CAST(%s AS integer))" },
    /* own failures, everyone else's, seconds since the last one */
    { "smscloud_failures_of",
      "SELECT COALESCE(SUM(failures) FILTER (WHERE origin = %s), 0) AS own, "
      "COALESCE(SUM(failures) FILTER (WHERE origin <> %s), 0) AS others, "
      "COALESCE(CAST(EXTRACT(EPOCH FROM now() - MAX(last_failed_at)) AS bigint), 0) AS since "
      "FROM login_failures WHERE phone = %s "
      "AND last_failed_at >= now() - make_interval(secs => CAST(%s AS integer))" },
    { "smscloud_code_use",
      "UPDATE login_codes SET used_at = now() WHERE attempt_hash = %s AND used_at IS NULL" },
    { NULL, NULL }
};

apr_status_t smscloud_db_code_issue(request_rec *r, ap_dbd_t *db, const char *phone,
                                    const char *attempt_hash, const char *code_hash)
{
    const smscloud_conf_t *conf = smscloud_conf(r);
    apr_status_t rv;

    if ((rv = smscloud_db_begin(r, db)) != APR_SUCCESS) {
        return rv;
    }
    rv = smscloud_db_query(r, db, "smscloud_phone_add", NULL, phone, NULL);
    if (rv == APR_SUCCESS) {
        rv = smscloud_db_query(r, db, "smscloud_code_kill", NULL, phone, NULL);
    }
    if (rv == APR_SUCCESS) {
        rv = smscloud_db_query(r, db, "smscloud_code_insert", NULL, attempt_hash, phone,
                               code_hash, apr_itoa(r->pool, conf->otp_lifetime),
                               apr_itoa(r->pool, conf->otp_attempts), NULL);
    }
    if (smscloud_db_end(r, db, rv == APR_SUCCESS) != APR_SUCCESS) {
        rv = APR_EGENERAL;
    }
    return rv;
}

apr_status_t smscloud_db_code_discard(request_rec *r, ap_dbd_t *db,
                                      const char *attempt_hash)
{
    return smscloud_db_query(r, db, "smscloud_code_discard", NULL, attempt_hash, NULL);
}

/* A CODE_SELECT statement's row, or *code = NULL when there is none. */
static apr_status_t code_of_row(request_rec *r, ap_dbd_t *db, const char *statement,
                                const char *attempt_hash, smscloud_code_t **code)
{
    sc_row_t *row;
    smscloud_code_t *c;
    apr_status_t rv;

    *code = NULL;
    rv = smscloud_db_row(r, db, statement, &row, attempt_hash, NULL);
    if (rv != APR_SUCCESS || !row) {
        return rv;
    }
    c = apr_pcalloc(r->pool, sizeof(*c));
    c->phone = sc_row_text(row, "phone");
    c->code_hash = sc_row_text(row, "code_hash");
    c->used = sc_row_bool(row, "used");
    c->expired = sc_row_bool(row, "expired");
    c->attempts_left = sc_row_int(row, "attempts_left", 0);
    if ((rv = smscloud_row_check(r, row)) == APR_SUCCESS) {
        *code = c;
    }
    return rv;
}

apr_status_t smscloud_db_code_lock(request_rec *r, ap_dbd_t *db,
                                   const char *attempt_hash, smscloud_code_t **code)
{
    return code_of_row(r, db, "smscloud_code_lock", attempt_hash, code);
}

apr_status_t smscloud_db_code_find(request_rec *r, ap_dbd_t *db,
                                   const char *attempt_hash, smscloud_code_t **code)
{
    return code_of_row(r, db, "smscloud_code_find", attempt_hash, code);
}

apr_status_t smscloud_db_code_wrong(request_rec *r, ap_dbd_t *db,
                                    const smscloud_code_t *code,
                                    const char *attempt_hash, const char *origin)
{
    const char *secs;
    apr_status_t rv = smscloud_db_query(r, db, "smscloud_code_wrong", NULL,
                                        attempt_hash, NULL);
    int wait;

    if (rv != APR_SUCCESS
        || (rv = smscloud_db_query(r, db, "smscloud_failure_add", NULL, code->phone,
                                   origin, MEMORY, NULL)) != APR_SUCCESS
        || (rv = smscloud_db_backoff_left(r, db, code->phone, origin, &wait))
           != APR_SUCCESS) {
        return rv;
    }
    secs = apr_itoa(r->pool, wait);
    return smscloud_db_query(r, db, "smscloud_failure_lock", NULL, secs, secs,
                             code->phone, origin, NULL);
}

apr_status_t smscloud_db_code_use(request_rec *r, ap_dbd_t *db,
                                  const smscloud_code_t *code,
                                  const char *attempt_hash)
{
    int n = 0;
    apr_status_t rv = smscloud_db_query(r, db, "smscloud_code_use", &n,
                                        attempt_hash, NULL);

    /* the row is locked by us, so it must still have been unused */
    if (rv == APR_SUCCESS && n != 1) {
        return APR_EGENERAL;
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    return smscloud_db_query(r, db, "smscloud_failures_clear", NULL, code->phone,
                             MEMORY, NULL);
}

apr_status_t smscloud_db_backoff_left(request_rec *r, ap_dbd_t *db, const char *phone,
                                      const char *origin, int *seconds)
{
    const smscloud_conf_t *conf = smscloud_conf(r);
    const sc_backoff_t policy = { conf->otp_attempts, conf->otp_max_failures };
    sc_row_t *row;
    int own, others;
    long since;
    apr_status_t rv;

    *seconds = 0;
    rv = smscloud_db_row(r, db, "smscloud_failures_of", &row, origin, origin,
                         phone, MEMORY, NULL);
    if (rv != APR_SUCCESS || !row) {
        return rv;
    }
    own = sc_row_int(row, "own", 0);
    others = sc_row_int(row, "others", 0);
    since = (long)sc_row_int64(row, "since", 0);
    if ((rv = smscloud_row_check(r, row)) != APR_SUCCESS) {
        return rv;
    }
    *seconds = sc_backoff_remaining(&policy, own, others, since);
    return APR_SUCCESS;
}
