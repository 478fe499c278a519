/*
 * SQL of one-time login codes: the functions of schema step 016, one
 * round trip each.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_login.h"

#include "apr_strings.h"
#include "sc_rate.h"

#define MEMORY APR_STRINGIFY(SC_BACKOFF_MEMORY_SECS)

const smscloud_stmt_t smscloud_stmts_login[] = {
    { "smscloud_code_issue",
      "SELECT refused, own, others, since FROM smscloud_code_issue(%s, %s, %s, "
      "CAST(%s AS integer), CAST(%s AS integer), %s, %s, CAST(%s AS boolean), %s, "
      "CAST(%s AS integer), %s, %s, %s)" },
    { "smscloud_code_discard",
      "DELETE FROM login_codes WHERE attempt_hash = %s" },
    /* FOR UPDATE inside: concurrent checks of one code queue there, so
     * exactly one of them can see it unused */
    { "smscloud_code_check",
      "SELECT phone, code_hash, used, expired, attempts_left, return_to, username, enrol, "
      "own, others, since FROM smscloud_code_check(%s, %s, CAST(%s AS integer))" },
    /* what /verify shows and a new code is sent to: nothing changes */
    { "smscloud_code_find",
      "SELECT c.phone, c.code_hash, c.used_at IS NOT NULL AS used, "
      "c.expires_at <= now() AS expired, c.attempts_left "
      "FROM login_codes c JOIN phones p ON p.phone = c.phone "
      "WHERE c.attempt_hash = %s" },
    { "smscloud_code_wrong",
      "SELECT smscloud_code_wrong(%s, %s, CAST(%s AS integer), CAST(%s AS integer))" },
    { "smscloud_code_right",
      "SELECT logged_in, enrolled FROM smscloud_code_right(%s, CAST(%s AS integer), %s, %s, "
      "CAST(%s AS integer), CAST(%s AS integer))" },
    { NULL, NULL }
};

/* The backoff columns of smscloud_code_issue and smscloud_code_check. */
static void failures_of_row(sc_row_t *row, sc_backoff_counts_t *f)
{
    f->own = sc_row_int(row, "own", 0);
    f->others = sc_row_int(row, "others", 0);
    f->since = (long)sc_row_int64(row, "since", 0);
}

apr_status_t smscloud_db_code_issue(request_rec *r, ap_dbd_t *db, const smscloud_issue_t *in,
                                    smscloud_issued_t *out)
{
    const smscloud_conf_t *conf = smscloud_conf(r);
    const char *buckets, *windows, *counts;
    sc_row_t *row = NULL;
    apr_status_t rv;

    memset(out, 0, sizeof(*out));
    out->refused = -1;
    if ((rv = sc_rate_args(r->pool, in->hits, &buckets, &windows, &counts)) != APR_SUCCESS
        || (rv = smscloud_db_row(r, db, "smscloud_code_issue", &row, in->phone,
                                 in->attempt_hash, in->code_hash,
                                 apr_itoa(r->pool, conf->otp_lifetime),
                                 apr_itoa(r->pool, conf->login_policy.free_failures),
                                 in->back ? in->back : "", in->user ? in->user : "",
                                 in->enrol ? "true" : "false", in->origin, MEMORY,
                                 buckets, windows, counts, NULL)) != APR_SUCCESS) {
        return rv;
    }
    if (!row) {
        return APR_EGENERAL;
    }
    out->refused = sc_row_int(row, "refused", -1);
    failures_of_row(row, &out->failures);
    return smscloud_row_check(r, row);
}

apr_status_t smscloud_db_code_discard(request_rec *r, ap_dbd_t *db,
                                      const char *attempt_hash)
{
    return smscloud_db_query(r, db, "smscloud_code_discard", NULL, attempt_hash, NULL);
}

/* The code columns of smscloud_code_check and smscloud_code_find. */
static sc_login_code_t *code_of_row(request_rec *r, sc_row_t *row)
{
    sc_login_code_t *c = apr_pcalloc(r->pool, sizeof(*c));

    c->phone = sc_row_text(row, "phone");
    c->code_hash = sc_row_text(row, "code_hash");
    c->used = sc_row_bool(row, "used");
    c->expired = sc_row_bool(row, "expired");
    c->attempts_left = sc_row_int(row, "attempts_left", 0);
    return c;
}

apr_status_t smscloud_db_code_check(request_rec *r, ap_dbd_t *db, const char *attempt_hash,
                                    const char *origin, smscloud_check_t *c)
{
    sc_login_code_t *code;
    sc_row_t *row;
    apr_status_t rv;

    memset(c, 0, sizeof(*c));
    rv = smscloud_db_row(r, db, "smscloud_code_check", &row, attempt_hash, origin, MEMORY,
                         NULL);
    if (rv != APR_SUCCESS || !row) {
        return rv;
    }
    code = code_of_row(r, row);
    c->attempt.back = sc_row_opt(row, "return_to");
    c->attempt.user = sc_row_opt(row, "username");
    c->attempt.enrol = sc_row_bool(row, "enrol");
    failures_of_row(row, &c->failures);
    if ((rv = smscloud_row_check(r, row)) != APR_SUCCESS) {
        memset(c, 0, sizeof(*c));
        return rv;
    }
    c->code = code;
    return APR_SUCCESS;
}

apr_status_t smscloud_db_code_find(request_rec *r, ap_dbd_t *db,
                                   const char *attempt_hash, sc_login_code_t **code)
{
    sc_login_code_t *c;
    sc_row_t *row;
    apr_status_t rv;

    *code = NULL;
    rv = smscloud_db_row(r, db, "smscloud_code_find", &row, attempt_hash, NULL);
    if (rv != APR_SUCCESS || !row) {
        return rv;
    }
    c = code_of_row(r, row);
    if ((rv = smscloud_row_check(r, row)) == APR_SUCCESS) {
        *code = c;
    }
    return rv;
}

apr_status_t smscloud_db_code_wrong(request_rec *r, ap_dbd_t *db, const char *attempt_hash,
                                    const char *origin, int wait)
{
    return smscloud_db_query(r, db, "smscloud_code_wrong", NULL, attempt_hash, origin,
                             MEMORY, apr_itoa(r->pool, wait), NULL);
}

apr_status_t smscloud_db_code_right(request_rec *r, ap_dbd_t *db, const char *attempt_hash,
                                    const char *session_hash, const char *csrf,
                                    smscloud_right_t *out)
{
    const smscloud_conf_t *conf = smscloud_conf(r);
    sc_row_t *row;
    apr_status_t rv;

    memset(out, 0, sizeof(*out));
    rv = smscloud_db_row(r, db, "smscloud_code_right", &row, attempt_hash, MEMORY,
                         session_hash, csrf, apr_itoa(r->pool, conf->session_idle),
                         apr_itoa(r->pool, conf->session_max), NULL);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (!row) {
        return APR_EGENERAL;
    }
    out->logged_in = sc_row_bool(row, "logged_in");
    out->enrolled = sc_row_bool(row, "enrolled");
    if ((rv = smscloud_row_check(r, row)) != APR_SUCCESS) {
        memset(out, 0, sizeof(*out));
    }
    return rv;
}
