/*
 * The per-phone conversation state: read under a row lock at the start of
 * a message, written back at its end, in the message's transaction.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_sms.h"

#include "sc_phone.h"

static void damaged(smscloud_sms_ctx_t *c)
{
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, c->r,
                  "SC02020: damaged SMS state of %s; starting from the top",
                  sc_phone_redact(c->r->pool, c->phone));
    sc_sms_state_reset(c->r->pool, c->state);
}

/* Most messages (cd .., pwd, help, ls itself) never look at the last
 * listing, and a long one is thousands of JSON objects: it is decoded
 * when first asked for. */
apr_array_header_t *smscloud_sms_listing(smscloud_sms_ctx_t *c)
{
    sc_sms_state_t *st = c->state;

    if (!st->listing
        && sc_sms_listing_decode(c->r->pool, c->stored_listing, &st->listing) != APR_SUCCESS) {
        damaged(c);
    }
    return st->listing;
}

/* At the top level only accounts can have been listed. A row that says
 * otherwise lost its account (ON DELETE SET NULL when it was removed). */
static int orphaned(smscloud_sms_ctx_t *c)
{
    const apr_array_header_t *listing = smscloud_sms_listing(c);
    int i;

    if (c->state->folders->nelts) {
        return 1;
    }
    for (i = 0; i < listing->nelts; i++) {
        if (APR_ARRAY_IDX(listing, i, sc_sms_entry_t *)->kind != SC_ENTRY_ACCOUNT) {
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
    if (sc_sms_folders_decode(r->pool, row[1], &st->folders) != APR_SUCCESS) {
        damaged(c);
        return APR_SUCCESS;
    }
    st->next_index = row[3] ? atoi(row[3]) : 0;
    st->listing = NULL;
    if (!row[0] || !*row[0]) {
        if (orphaned(c)) {
            sc_sms_state_reset(r->pool, st);
        }
        return APR_SUCCESS;
    }
    st->account_ref = row[0];
    return APR_SUCCESS;
}

apr_status_t smscloud_sms_state_store(smscloud_sms_ctx_t *c)
{
    apr_pool_t *p = c->r->pool;
    const sc_sms_state_t *st = c->state;
    const char *folders = sc_sms_folders_encode(p, st->folders);
    /* never decoded: unchanged */
    const char *listing = st->listing ? sc_sms_listing_encode(p, st->listing) : NULL;

    if (!folders || (st->listing && !listing)) {
        return APR_ENOMEM;
    }
    if (listing && c->stored_listing && !strcmp(listing, c->stored_listing)) {
        listing = NULL;
    }
    return smscloud_sms_state_row_store(c->r, c->db, c->phone,
                                        st->account_ref ? st->account_ref : "",
                                        folders, listing, st->next_index);
}
