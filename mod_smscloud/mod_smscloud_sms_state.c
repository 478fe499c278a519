/*
 * The per-phone conversation state: read under a row lock at the start of
 * a message, written back at its end, in the message's transaction.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_sms.h"

#include "sc_phone.h"

/* At the top level only accounts can have been listed. A row that says
 * otherwise lost its account (ON DELETE SET NULL when it was removed). */
static int orphaned(const sc_sms_state_t *st)
{
    int i;

    if (st->folders->nelts) {
        return 1;
    }
    for (i = 0; i < st->listing->nelts; i++) {
        if (APR_ARRAY_IDX(st->listing, i, sc_sms_entry_t *)->kind != SC_ENTRY_ACCOUNT) {
            return 1;
        }
    }
    return 0;
}

apr_status_t smscloud_sms_state_load(smscloud_sms_ctx_t *c)
{
    request_rec *r = c->r;
    sc_sms_state_t *st = sc_sms_state_new(r->pool);
    const char **row;
    apr_status_t rv;

    rv = smscloud_sms_state_row_lock(r, c->db, c->phone, smscloud_conf(r)->sms_idle, &row);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    c->state = st;
    c->stored_listing = row[2];
    /* idle too long: the user starts from the top, as the directive says */
    if (row[4] && row[4][0] == 't') {
        return APR_SUCCESS;
    }
    if (sc_sms_folders_decode(r->pool, row[1], &st->folders) != APR_SUCCESS
        || sc_sms_listing_decode(r->pool, row[2], &st->listing) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "SC02020: damaged SMS state of %s; starting from the top",
                      sc_phone_redact(r->pool, c->phone));
        sc_sms_state_reset(r->pool, st);
        return APR_SUCCESS;
    }
    st->next_index = row[3] ? atoi(row[3]) : 0;
    if ((!row[0] || !*row[0]) && orphaned(st)) {
        sc_sms_state_reset(r->pool, st);
        return APR_SUCCESS;
    }
    st->account_ref = (row[0] && *row[0]) ? row[0] : NULL;
    return APR_SUCCESS;
}

apr_status_t smscloud_sms_state_store(smscloud_sms_ctx_t *c)
{
    apr_pool_t *p = c->r->pool;
    const sc_sms_state_t *st = c->state;
    const char *folders = sc_sms_folders_encode(p, st->folders);
    const char *listing = sc_sms_listing_encode(p, st->listing);

    if (!folders || !listing) {
        return APR_ENOMEM;
    }
    if (c->stored_listing && !strcmp(listing, c->stored_listing)) {
        listing = NULL;
    }
    return smscloud_sms_state_row_store(c->r, c->db, c->phone,
                                        st->account_ref ? st->account_ref : "",
                                        folders, listing, st->next_index);
}
