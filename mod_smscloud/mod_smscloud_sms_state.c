/*
 * The per-phone conversation state: read with the phone's lock at the
 * start of a message, written back with the reply at its end.
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

void smscloud_sms_state_load(smscloud_sms_ctx_t *c, const smscloud_sms_loaded_t *in)
{
    apr_pool_t *p = c->r->pool;
    sc_sms_state_t *st = sc_sms_state_new(p);

    c->state = st;
    c->stored_listing = in->listing;
    /* idle too long: the user starts from the top, as the directive says */
    if (in->expired) {
        return;
    }
    if (sc_sms_folders_decode(p, in->folders, &st->folders) != APR_SUCCESS) {
        damaged(c);
        return;
    }
    st->next_index = in->next_index;
    st->listing = NULL;
    if (!in->account_ref) {
        if (orphaned(c)) {
            sc_sms_state_reset(p, st);
        }
        return;
    }
    st->account_ref = in->account_ref;
}

smscloud_sms_stored_t *smscloud_sms_state_out(smscloud_sms_ctx_t *c)
{
    apr_pool_t *p = c->r->pool;
    const sc_sms_state_t *st = c->state;
    smscloud_sms_stored_t *out = apr_pcalloc(p, sizeof(*out));

    out->account_ref = st->account_ref;
    out->folders = sc_sms_folders_encode(p, st->folders);
    /* never decoded: unchanged */
    out->listing = st->listing ? sc_sms_listing_encode(p, st->listing) : NULL;
    out->next_index = st->next_index;
    if (!out->folders || (st->listing && !out->listing)) {
        return NULL;
    }
    if (out->listing && c->stored_listing && !strcmp(out->listing, c->stored_listing)) {
        out->listing = NULL;
    }
    return out;
}
