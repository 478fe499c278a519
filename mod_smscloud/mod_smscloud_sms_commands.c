/*
 * What each SMS command does to the conversation state, and what it says.
 * Storage is reached only through mod_smscloud_storage.h, by the provider
 * named by the account, so nothing here knows which provider that is.
 *
 * Rules: every mistake gets one line plus a hint, never an error status;
 * a storage failure leaves the state as it was (c->keep_state).
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_sms.h"
#include "mod_smscloud_accounts.h"
#include "mod_smscloud_outbound.h"
#include "mod_smscloud_rate.h"
#include "mod_smscloud_storage.h"

#include "apr_strings.h"

#include "sc_listing.h"
#include "sc_paging.h"
#include "sc_phone.h"
#include "sc_xml.h"

#define HINT_HELP "Send HELP for the commands."
#define HINT_LS   "Send LS to see the numbers."

/* File names in a text to someone else are cut to this many characters,
 * so that the name, the link and the sender always fit one message. */
#define SEND_NAME_MAX 200

static const char help_text[] =
    "LS list, CD n open, CD .. go up, GET n link to a file, "
    "SEND n +15551234567 text a link to someone, PWD where am I, "
    "MORE rest of a list, RESET start over.";

/* ------------------------------------------------------------------ */
/* where we are                                                        */

static const smscloud_account_t *find_account(const smscloud_sms_ctx_t *c,
                                              const char *ref)
{
    int i;

    for (i = 0; ref && i < c->accounts->nelts; i++) {
        const smscloud_account_t *a = APR_ARRAY_IDX(c->accounts, i,
                                                    const smscloud_account_t *);
        if (!strcmp(a->ref, ref)) {
            return a;
        }
    }
    return NULL;
}

static const char *account_label(apr_pool_t *p, const smscloud_account_t *a)
{
    if (a->display_name && *a->display_name) {
        return a->display_name;
    }
    if (a->service && *a->service) {
        return a->service;
    }
    return apr_pstrcat(p, "account ", a->ref, NULL);
}

/* "/Dropbox (alice@example.com)/Documents/Archive" */
static const char *path_text(const smscloud_sms_ctx_t *c)
{
    apr_pool_t *p = c->r->pool;
    const smscloud_account_t *a = find_account(c, c->state->account_ref);
    apr_array_header_t *parts = apr_array_make(p, 8, sizeof(const char *));
    int i;

    if (!c->state->account_ref) {
        return "/";
    }
    APR_ARRAY_PUSH(parts, const char *) = "";
    APR_ARRAY_PUSH(parts, const char *) = a ? account_label(p, a) : "(removed account)";
    for (i = 0; i < c->state->folders->nelts; i++) {
        APR_ARRAY_PUSH(parts, const char *) =
            APR_ARRAY_IDX(c->state->folders, i, sc_sms_folder_t *)->name;
    }
    return apr_array_pstrcat(p, parts, '/');
}

/* After a move the old numbers mean nothing: forget them. */
static const char *moved(smscloud_sms_ctx_t *c)
{
    c->state->listing = apr_array_make(c->r->pool, 1, sizeof(sc_sms_entry_t *));
    c->state->next_index = 0;
    if (!c->state->account_ref) {
        return "Back at the top. Send LS to see your accounts.";
    }
    return apr_pstrcat(c->r->pool, "Now in ", path_text(c), ". Send LS to list it.",
                       NULL);
}

/* The account we are in, or NULL after putting the user back at the top
 * with *reply saying why. */
static const smscloud_account_t *current_account(smscloud_sms_ctx_t *c,
                                                 const char **reply)
{
    const smscloud_account_t *a = find_account(c, c->state->account_ref);

    if (!a) {
        sc_sms_state_reset(c->r->pool, c->state);
        *reply = "That account is no longer connected. Send LS to see your accounts.";
    }
    return a;
}

/* A storage call failed: say so plainly, keep the state as it was. */
static const char *storage_failed(smscloud_sms_ctx_t *c, const smscloud_account_t *a,
                                  sc_storage_status_e s, const char *what)
{
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, c->r,
                  "SC02041: %s on account %s (%s) failed: %s", what, a->ref,
                  a->provider, sc_storage_status_text(s));
    c->keep_state = 1;
    switch (s) {
    case SC_STORAGE_NOT_FOUND:
    case SC_STORAGE_NOT_FOLDER:
        return "That is no longer there. Send CD .. to go up or RESET to start over.";
    case SC_STORAGE_DENIED:
        return "The storage account refused access. Connect it again on the web.";
    default:
        return "Storage is not answering, try again.";
    }
}

/* ------------------------------------------------------------------ */
/* listings                                                            */

static const char *show_page(smscloud_sms_ctx_t *c, int start)
{
    apr_pool_t *p = c->r->pool;
    apr_array_header_t *lines = sc_listing_lines(p, smscloud_sms_listing(c));

    return sc_page_build(p, lines, start, SC_SMS_MAX_CHARS, &c->state->next_index);
}

static apr_array_header_t *account_listing(smscloud_sms_ctx_t *c)
{
    apr_pool_t *p = c->r->pool;
    apr_array_header_t *l = apr_array_make(p, c->accounts->nelts + 1,
                                           sizeof(sc_sms_entry_t *));
    int i;

    for (i = 0; i < c->accounts->nelts; i++) {
        const smscloud_account_t *a = APR_ARRAY_IDX(c->accounts, i,
                                                    const smscloud_account_t *);
        sc_sms_entry_t *e = apr_pcalloc(p, sizeof(*e));

        e->id = a->ref;
        e->kind = SC_ENTRY_ACCOUNT;
        e->name = account_label(p, a);
        e->size = -1;
        APR_ARRAY_PUSH(l, sc_sms_entry_t *) = e;
    }
    return l;
}

static const char *cmd_ls(smscloud_sms_ctx_t *c)
{
    sc_sms_state_t *st = c->state;
    const smscloud_account_t *a;
    apr_array_header_t *items;
    sc_storage_status_e s;
    const char *reply = NULL;

    if (!st->account_ref) {
        st->listing = account_listing(c);
        return show_page(c, 0);
    }
    if (!(a = current_account(c, &reply))) {
        return reply;
    }
    s = smscloud_storage_list(c->r, a,
                              st->folders->nelts
                              ? APR_ARRAY_IDX(st->folders, st->folders->nelts - 1,
                                              sc_sms_folder_t *)->id : NULL,
                              &items);
    if (s != SC_STORAGE_OK) {
        return storage_failed(c, a, s, "list");
    }
    st->listing = sc_listing_from_items(c->r->pool, items);
    if (!st->listing->nelts) {
        st->next_index = 0;
        return "This folder is empty. Send CD .. to go up.";
    }
    return show_page(c, 0);
}

static const char *cmd_more(smscloud_sms_ctx_t *c)
{
    const apr_array_header_t *l = smscloud_sms_listing(c);

    if (!l->nelts) {
        return "There is no list to continue. Send LS to list this folder.";
    }
    if (c->state->next_index >= l->nelts) {
        return "That was the whole list. Send LS to see it again.";
    }
    return show_page(c, c->state->next_index);
}

/* Entry `index` of the last listing, or NULL with *reply saying why. */
static const sc_sms_entry_t *pick(smscloud_sms_ctx_t *c, int index, const char **reply)
{
    const apr_array_header_t *l = smscloud_sms_listing(c);

    if (!l->nelts) {
        *reply = "Send LS first, then use the numbers it shows.";
        return NULL;
    }
    if (index < 1 || index > l->nelts) {
        *reply = apr_psprintf(c->r->pool, "There is no %d in the last list (1-%d). "
                              HINT_LS, index, l->nelts);
        return NULL;
    }
    return APR_ARRAY_IDX(l, index - 1, const sc_sms_entry_t *);
}

/* ------------------------------------------------------------------ */
/* moving around                                                       */

static const char *cmd_cd(smscloud_sms_ctx_t *c, int index)
{
    sc_sms_state_t *st = c->state;
    const char *reply = NULL;
    const sc_sms_entry_t *e = pick(c, index, &reply);
    sc_sms_folder_t *f;

    if (!e) {
        return reply;
    }
    if (e->kind == SC_ENTRY_FILE) {
        return apr_psprintf(c->r->pool, "%d is a file, not a folder. "
                            "Send GET %d for a link.", index, index);
    }
    if (e->kind == SC_ENTRY_ACCOUNT) {
        st->account_ref = e->id;
        apr_array_clear(st->folders);
        return current_account(c, &reply) ? moved(c) : reply;
    }
    f = apr_pcalloc(c->r->pool, sizeof(*f));
    f->id = e->id;
    f->name = e->name;
    APR_ARRAY_PUSH(st->folders, sc_sms_folder_t *) = f;
    return moved(c);
}

static const char *cmd_cd_up(smscloud_sms_ctx_t *c)
{
    sc_sms_state_t *st = c->state;

    if (!st->account_ref) {
        return "You are at the top already. Send LS to see your accounts.";
    }
    if (st->folders->nelts) {
        apr_array_pop(st->folders);
    }
    else {
        st->account_ref = NULL;
    }
    return moved(c);
}

static const char *cmd_pwd(smscloud_sms_ctx_t *c)
{
    if (!c->state->account_ref) {
        return "You are at the top, with your accounts. Send LS to list them.";
    }
    return apr_pstrcat(c->r->pool, "You are in ", path_text(c), ".", NULL);
}

static const char *cmd_reset(smscloud_sms_ctx_t *c)
{
    sc_sms_state_reset(c->r->pool, c->state);
    return "OK, back to the top. Send LS to see your accounts.";
}

/* ------------------------------------------------------------------ */
/* links                                                               */

/* The file `index` names, or NULL with *reply saying why not. */
static const sc_sms_entry_t *pick_file(smscloud_sms_ctx_t *c, int index,
                                       const char **reply)
{
    const sc_sms_entry_t *e = pick(c, index, reply);

    if (e && e->kind != SC_ENTRY_FILE) {
        *reply = apr_psprintf(c->r->pool, "%d is %s, not a file. Send CD %d to open it.",
                              index, e->kind == SC_ENTRY_FOLDER ? "a folder" : "an account",
                              index);
        return NULL;
    }
    return e;
}

/* A link to file e of the current account, or NULL with *reply set. */
static const char *make_link(smscloud_sms_ctx_t *c, const sc_sms_entry_t *e,
                             const char **reply)
{
    const smscloud_account_t *a = current_account(c, reply);
    sc_storage_status_e s;
    const char *url = NULL;

    if (!a) {
        return NULL;
    }
    s = smscloud_storage_link(c->r, a, e->id, &url);
    if (s != SC_STORAGE_OK || !url) {
        *reply = storage_failed(c, a, s == SC_STORAGE_OK ? SC_STORAGE_BAD_REPLY : s,
                                "link");
        return NULL;
    }
    return url;
}

static const char *cmd_get(smscloud_sms_ctx_t *c, int index)
{
    const char *reply = NULL, *url;
    const sc_sms_entry_t *e = pick_file(c, index, &reply);

    if (!e || !(url = make_link(c, e, &reply))) {
        return reply;
    }
    return apr_pstrcat(c->r->pool, e->name, ": ", url, NULL);
}

/* The recipient learns which service wrote and a redacted sender: enough
 * to recognise a friend's number, not enough to harvest it. */
static const char *send_text(smscloud_sms_ctx_t *c, const sc_sms_entry_t *e,
                             const char *url)
{
    apr_pool_t *p = c->r->pool;

    return apr_pstrcat(p, smscloud_conf(c->r)->organisation, ": ",
                       sc_phone_redact(p, c->phone), " sent you a link to ",
                       sc_utf8_truncate(p, e->name, SEND_NAME_MAX), ": ", url, NULL);
}

static const char *cmd_send(smscloud_sms_ctx_t *c, int index, const char *to)
{
    apr_pool_t *p = c->r->pool;
    const char *reply = NULL, *url;
    const sc_sms_entry_t *e = pick_file(c, index, &reply);
    sc_sms_result_t res;

    if (!e) {
        return reply;
    }
    switch (smscloud_rate_hit(c->r, c->db, SC_RATE_SEND, c->phone)) {
    case SC_RATE_LIMITED:
        return "You have sent too many links for now. Try again later.";
    case SC_RATE_ERROR:
        c->db_failed = 1;
        return "";
    case SC_RATE_ALLOWED:
        break;
    }
    if (!(url = make_link(c, e, &reply))) {
        return reply;
    }
    if (smscloud_sms_send(c->r, c->db, to, send_text(c, e, url), &res) != APR_SUCCESS) {
        return apr_psprintf(p, "Could not send to %s: %s.", to,
                            SC_TWILIO_REASON_UNAVAILABLE);
    }
    if (!res.sent) {
        return apr_psprintf(p, "Could not send to %s: %s.", to,
                            res.reason ? res.reason : "the SMS service refused it");
    }
    return apr_psprintf(p, "Sent %s to %s.", e->name, to);
}

/* ------------------------------------------------------------------ */

const char *smscloud_sms_run(smscloud_sms_ctx_t *c, const sc_cmd_t *cmd)
{
    apr_pool_t *p = c->r->pool;

    switch (cmd->kind) {
    case SC_CMD_LS:     return cmd_ls(c);
    case SC_CMD_MORE:   return cmd_more(c);
    case SC_CMD_CD:     return cmd_cd(c, cmd->index);
    case SC_CMD_CD_UP:  return cmd_cd_up(c);
    case SC_CMD_PWD:    return cmd_pwd(c);
    case SC_CMD_RESET:  return cmd_reset(c);
    case SC_CMD_GET:    return cmd_get(c, cmd->index);
    case SC_CMD_SEND:   return cmd_send(c, cmd->index, cmd->phone);
    case SC_CMD_HELP:   return help_text;
    case SC_CMD_OPTOUT: return "";
    case SC_CMD_OPTIN:  return "Welcome back. " HINT_HELP;
    case SC_CMD_EMPTY:  return "Send a command, for example LS. " HINT_HELP;
    case SC_CMD_BADARG:
        return apr_psprintf(p, "Sorry, %s. " HINT_HELP, cmd->problem);
    case SC_CMD_UNKNOWN:
        break;
    }
    return apr_psprintf(p, "Unknown command \"%s\". " HINT_HELP,
                        cmd->verb ? cmd->verb : "");
}
