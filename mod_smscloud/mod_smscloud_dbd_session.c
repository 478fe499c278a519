/*
 * SQL of web sessions and of the one-time OAuth states bound to them.
 * Idle and absolute lifetimes are checked by PostgreSQL's clock, the same
 * for every httpd host.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_dbd_session.h"

#include "apr_strings.h"

/* RFC 9700 and mod_auth_openidc's OIDCStateTimeout: 300 s. */
#define STATE_LIFETIME "300"

const smscloud_stmt_t smscloud_stmts_session[] = {
    /* look up and bump last_seen in one statement: a session past either
     * limit is not found, and is not revived */
    { "smscloud_session_touch",
      "UPDATE web_sessions SET last_seen = now() WHERE id_hash = %s "
      "AND last_seen > now() - make_interval(secs => CAST(%s AS integer)) "
      "AND created_at > now() - make_interval(secs => CAST(%s AS integer)) "
      "RETURNING phone, csrf_token, username" },
    { "smscloud_session_delete",
      "DELETE FROM web_sessions WHERE id_hash = %s" },
    { "smscloud_sessions_end",
      "DELETE FROM web_sessions WHERE phone = %s" },
    { "smscloud_state_add",
      "INSERT INTO oauth_states (state_hash, session_hash, provider) VALUES (%s, %s, %s)" },
    { "smscloud_state_prune",
      "DELETE FROM oauth_states WHERE session_hash = %s "
      "AND created_at <= now() - interval '" STATE_LIFETIME " seconds'" },
    /* check and consume at once: of two callbacks with one state, only
     * one gets a row back */
    { "smscloud_state_take",
      "UPDATE oauth_states SET used_at = now() WHERE state_hash = %s "
      "AND session_hash = %s AND used_at IS NULL "
      "AND created_at > now() - interval '" STATE_LIFETIME " seconds' "
      "RETURNING provider" },
    { NULL, NULL }
};

static const char *idle_secs(request_rec *r)
{
    return apr_itoa(r->pool, smscloud_conf(r)->session_idle);
}

static const char *max_secs(request_rec *r)
{
    return apr_itoa(r->pool, smscloud_conf(r)->session_max);
}

apr_status_t smscloud_db_session_touch(request_rec *r, ap_dbd_t *db,
                                       const char *id_hash,
                                       smscloud_session_t **s)
{
    smscloud_session_t *session;
    sc_row_t *row;
    apr_status_t rv;

    *s = NULL;
    rv = smscloud_db_row(r, db, "smscloud_session_touch", &row, id_hash,
                         idle_secs(r), max_secs(r), NULL);
    if (rv != APR_SUCCESS || !row) {
        return rv;
    }
    session = apr_pcalloc(r->pool, sizeof(*session));
    session->id_hash = id_hash;
    session->phone = sc_row_text(row, "phone");
    session->csrf = sc_row_text(row, "csrf_token");
    /* NULL unless a two-step login opened it */
    session->user = sc_row_opt(row, "username");
    if ((rv = smscloud_row_check(r, row)) == APR_SUCCESS) {
        *s = session;
    }
    return rv;
}

apr_status_t smscloud_db_session_delete(request_rec *r, ap_dbd_t *db,
                                        const char *id_hash)
{
    return smscloud_db_query(r, db, "smscloud_session_delete", NULL, id_hash, NULL);
}

apr_status_t smscloud_db_state_add(request_rec *r, ap_dbd_t *db,
                                   const char *state_hash,
                                   const char *session_hash,
                                   const char *provider)
{
    apr_status_t rv = smscloud_db_query(r, db, "smscloud_state_prune", NULL,
                                        session_hash, NULL);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    return smscloud_db_query(r, db, "smscloud_state_add", NULL, state_hash,
                             session_hash, provider, NULL);
}

apr_status_t smscloud_db_state_take(request_rec *r, ap_dbd_t *db,
                                    const char *state_hash,
                                    const char *session_hash,
                                    const char **provider)
{
    return smscloud_db_value(r, db, "smscloud_state_take", provider, state_hash,
                             session_hash, NULL);
}

apr_status_t smscloud_sessions_end(request_rec *r, ap_dbd_t *db, const char *phone)
{
    return smscloud_db_query(r, db, "smscloud_sessions_end", NULL, phone, NULL);
}
