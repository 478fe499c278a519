/* sc_engine.c: the SMS conversation as a function of its inputs (see
 * sc_engine.h). Storage is reached only through the provider an account
 * names, so nothing here knows which provider that is. */
#include <string.h>
#include <strings.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "sc_engine.h"
#include "sc_listing.h"
#include "sc_log.h"
#include "sc_paging.h"
#include "sc_phone.h"
#include "sc_text.h"

#define HINT_HELP "Send HELP for the commands."
#define HINT_LS   "Send LS to see the numbers."

/* File names in a text to someone else are cut to this many characters,
 * so that the name, the link and the sender always fit one message. */
#define SEND_NAME_MAX 200

static const char help_text[] =
    "LS list, CD n or CD name open, CD .. go up, GET n or GET name link to a file, "
    "SEND n +15551234567 text a link to someone, PWD where am I, "
    "MORE rest of a list, RESET start over.";

/* Names shown when a name fits several entries. */
#define AMBIGUOUS_SHOWN 5

/* One message being handled. */
typedef struct {
    apr_pool_t *p;
    const sc_engine_conf_t *conf;
    const sc_engine_env_t *env;
    const sc_engine_in_t *in;
    sc_sms_state_t *state;
    const apr_array_header_t *loaded_listing; /* the stored one, once decoded */
    int keep_state;            /* 1: leave the stored state as it was */
    int failed;                /* 1: the caller's service failed */
    sc_engine_sms_t *sms;
} engine_t;

/* ------------------------------------------------------------------ */
/* the state                                                           */

static void damaged(engine_t *e)
{
    sc_log_perror(SC_LOG_MARK, SC_LOG_WARNING, 0, e->p,
                  "SC02020: damaged SMS state of %s; starting from the top",
                  sc_phone_redact(e->p, e->in->phone));
    sc_sms_state_reset(e->p, e->state);
}

/* Most messages (cd .., pwd, help, ls itself) never look at the last
 * listing, and a long one is thousands of JSON objects: it is decoded
 * when first asked for. */
static apr_array_header_t *last_listing(engine_t *e)
{
    sc_sms_state_t *st = e->state;

    if (!st->listing) {
        if (sc_sms_listing_decode(e->p, e->in->state.listing, &st->listing) == APR_SUCCESS) {
            e->loaded_listing = st->listing;
        }
        else {
            damaged(e);
        }
    }
    return st->listing;
}

/* At the top level only accounts can have been listed. A row that says
 * otherwise lost its account (ON DELETE SET NULL when it was removed). */
static int orphaned(engine_t *e)
{
    const apr_array_header_t *listing = last_listing(e);
    int i;

    if (e->state->folders->nelts) {
        return 1;
    }
    for (i = 0; i < listing->nelts; i++) {
        if (APR_ARRAY_IDX(listing, i, sc_sms_entry_t *)->kind != SC_ENTRY_ACCOUNT) {
            return 1;
        }
    }
    return 0;
}

/* An idle, damaged or orphaned state comes back as the top level. */
static void state_load(engine_t *e)
{
    const sc_engine_state_t *in = &e->in->state;
    sc_sms_state_t *st = sc_sms_state_new(e->p);

    e->state = st;
    /* idle too long: the user starts from the top, as the directive says */
    if (in->expired) {
        return;
    }
    if (sc_sms_folders_decode(e->p, in->folders, &st->folders) != APR_SUCCESS) {
        damaged(e);
        return;
    }
    st->next_index = in->next_index;
    st->listing = NULL;
    if (in->account_ref) {
        st->account_ref = in->account_ref;
    }
    else if (orphaned(e)) {
        sc_sms_state_reset(e->p, st);
    }
}

/* With one account only, there is nothing to choose at the top: the top
 * is that account's root, and a listing of accounts means nothing. */
static void one_account_at_top(engine_t *e)
{
    sc_sms_state_t *st = e->state;
    const apr_array_header_t *l;

    if (e->in->accounts->nelts != 1 || st->account_ref) {
        return;
    }
    st->account_ref = APR_ARRAY_IDX(e->in->accounts, 0, const sc_account_t *)->ref;
    apr_array_clear(st->folders);
    l = last_listing(e);
    if (l->nelts && APR_ARRAY_IDX(l, 0, const sc_sms_entry_t *)->kind == SC_ENTRY_ACCOUNT) {
        st->listing = apr_array_make(e->p, 1, sizeof(sc_sms_entry_t *));
        st->next_index = 0;
    }
}

/* Where CD .. can go no further. */
static int at_top(const engine_t *e)
{
    return !e->state->account_ref
           || (e->in->accounts->nelts == 1 && !e->state->folders->nelts);
}

static apr_status_t state_out(engine_t *e, sc_engine_state_t *out)
{
    const sc_sms_state_t *st = e->state;
    /* never decoded, or decoded and only read (MORE, CD or GET by number):
     * unchanged; nothing changes a listing's entries in place */
    int listing_new = st->listing && st->listing != e->loaded_listing;

    out->account_ref = st->account_ref;
    out->folders = sc_sms_folders_encode(e->p, st->folders);
    out->listing = listing_new ? sc_sms_listing_encode(e->p, st->listing) : NULL;
    out->next_index = st->next_index;
    out->expired = 0;
    if (!out->folders || (listing_new && !out->listing)) {
        return APR_ENOMEM;
    }
    if (out->listing && e->in->state.listing && !strcmp(out->listing, e->in->state.listing)) {
        out->listing = NULL;
    }
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* where we are                                                        */

static const sc_account_t *find_account(const engine_t *e, const char *ref)
{
    const apr_array_header_t *accounts = e->in->accounts;
    int i;

    for (i = 0; ref && i < accounts->nelts; i++) {
        const sc_account_t *a = APR_ARRAY_IDX(accounts, i, const sc_account_t *);

        if (!strcmp(a->ref, ref)) {
            return a;
        }
    }
    return NULL;
}

static const char *account_label(apr_pool_t *p, const sc_account_t *a)
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
static const char *path_text(const engine_t *e)
{
    const sc_account_t *a = find_account(e, e->state->account_ref);
    apr_array_header_t *parts = apr_array_make(e->p, 8, sizeof(const char *));
    int i;

    if (!e->state->account_ref) {
        return "/";
    }
    APR_ARRAY_PUSH(parts, const char *) = "";
    APR_ARRAY_PUSH(parts, const char *) = a ? account_label(e->p, a) : "(removed account)";
    for (i = 0; i < e->state->folders->nelts; i++) {
        APR_ARRAY_PUSH(parts, const char *) =
            APR_ARRAY_IDX(e->state->folders, i, sc_sms_folder_t *)->name;
    }
    return apr_array_pstrcat(e->p, parts, '/');
}


/* The account we are in, or NULL after putting the user back at the top
 * with *reply saying why. */
static const sc_account_t *current_account(engine_t *e, const char **reply)
{
    const sc_account_t *a = find_account(e, e->state->account_ref);

    if (!a) {
        sc_sms_state_reset(e->p, e->state);
        one_account_at_top(e);
        *reply = "That account is no longer connected. Send LS to see your accounts.";
    }
    return a;
}

/* A storage call failed: say so plainly (sc_storage_status_text() as a
 * sentence, and what to do), keep the state as it was. */
static const char *storage_failed(engine_t *e, const sc_account_t *a,
                                  sc_storage_status_e s, const char *what)
{
    const char *hint = "";
    char *text;

    sc_log_perror(SC_LOG_MARK, SC_LOG_WARNING, 0, e->p,
                  "SC02041: %s on account %s (%s) failed: %s", what, a->ref,
                  a->provider, sc_storage_status_text(s));
    e->keep_state = 1;
    switch (s) {
    case SC_STORAGE_NOT_FOUND:
    case SC_STORAGE_NOT_FOLDER:
        /* a folder of the listing that is a file now is gone all the same */
        s = SC_STORAGE_NOT_FOUND;
        hint = " Send CD .. to go up or RESET to start over.";
        break;
    case SC_STORAGE_DENIED:
        hint = apr_pstrcat(e->p, " Connect it again at ", e->conf->connect_url, ".", NULL);
        break;
    default:
        /* nothing the user can fix: worth a retry */
        s = SC_STORAGE_UNAVAILABLE;
        break;
    }
    text = apr_pstrcat(e->p, sc_storage_status_text(s), ".", hint, NULL);
    text[0] = (char)apr_toupper(text[0]);
    return text;
}

/* ------------------------------------------------------------------ */
/* listings                                                            */

static const char *show_page(engine_t *e, int start)
{
    return sc_listing_page(e->p, last_listing(e), start, SC_SMS_MAX_CHARS,
                           &e->state->next_index);
}

static apr_array_header_t *account_listing(engine_t *e)
{
    const apr_array_header_t *accounts = e->in->accounts;
    apr_array_header_t *l = apr_array_make(e->p, accounts->nelts + 1,
                                           sizeof(sc_sms_entry_t *));
    int i;

    for (i = 0; i < accounts->nelts; i++) {
        const sc_account_t *a = APR_ARRAY_IDX(accounts, i, const sc_account_t *);
        sc_sms_entry_t *en = apr_pcalloc(e->p, sizeof(*en));

        en->id = a->ref;
        en->kind = SC_ENTRY_ACCOUNT;
        en->name = account_label(e->p, a);
        en->size = -1;
        APR_ARRAY_PUSH(l, sc_sms_entry_t *) = en;
    }
    return l;
}

/* Make the current folder's contents the listing. NULL on success, else
 * the reply that says why not. */
static const char *list_here(engine_t *e)
{
    sc_sms_state_t *st = e->state;
    const sc_account_t *a;
    apr_array_header_t *items = NULL;
    sc_storage_status_e s;
    const char *reply = NULL;

    st->next_index = 0;
    if (!st->account_ref) {
        st->listing = account_listing(e);
        return NULL;
    }
    if (!(a = current_account(e, &reply))) {
        return reply;
    }
    s = e->env->list(e->env->baton, a,
                     st->folders->nelts
                     ? APR_ARRAY_IDX(st->folders, st->folders->nelts - 1,
                                     sc_sms_folder_t *)->id : NULL,
                     &items);
    if (s != SC_STORAGE_OK) {
        return storage_failed(e, a, s, "list");
    }
    st->listing = sc_listing_from_items(e->p, items);
    return NULL;
}

/* What LS answers, and CD after a move: the first page. */
static const char *cmd_ls(engine_t *e)
{
    const char *reply = list_here(e);

    if (reply) {
        return reply;
    }
    if (!e->state->listing->nelts) {
        return "This folder is empty. Send CD .. to go up.";
    }
    return show_page(e, 0);
}

static const char *cmd_more(engine_t *e)
{
    const apr_array_header_t *l = last_listing(e);

    if (!l->nelts) {
        return "There is no list to continue. Send LS to list this folder.";
    }
    if (e->state->next_index >= l->nelts) {
        return "That was the whole list. Send LS to see it again.";
    }
    return show_page(e, e->state->next_index);
}

/* Entry `index` of the last listing, or NULL with *reply saying why. */
static const sc_sms_entry_t *pick(engine_t *e, int index, const char **reply)
{
    const apr_array_header_t *l = last_listing(e);

    if (!l->nelts) {
        *reply = "Send LS first, then use the numbers it shows.";
        return NULL;
    }
    if (index < 1 || index > l->nelts) {
        *reply = apr_psprintf(e->p, "There is no %d in the last list (1-%d). " HINT_LS,
                              index, l->nelts);
        return NULL;
    }
    return APR_ARRAY_IDX(l, index - 1, const sc_sms_entry_t *);
}

/* The number of the entry `name` means: the one of that name, else the
 * one of that name in any case, else the one it begins, among the entries
 * of the wanted kind (files, or not files); 0 with *reply saying why when
 * there is no such one entry. */
static int number_of(engine_t *e, const char *name, int want_file, const char **reply)
{
    const apr_array_header_t *l = last_listing(e);
    apr_size_t len = strlen(name);
    apr_array_header_t *fits = apr_array_make(e->p, 4, sizeof(int));
    int i, pass, other = 0;

    for (pass = 0; pass < 3 && !fits->nelts; pass++) {
        for (i = 0; i < l->nelts; i++) {
            const sc_sms_entry_t *en = APR_ARRAY_IDX(l, i, const sc_sms_entry_t *);
            int fit = pass == 0 ? !strcmp(en->name, name)
                    : pass == 1 ? !strcasecmp(en->name, name)
                    : !strncasecmp(en->name, name, len);

            if (fit && (en->kind == SC_ENTRY_FILE) == want_file) {
                APR_ARRAY_PUSH(fits, int) = i + 1;
            }
            else if (fit && !other) {
                other = i + 1;
            }
        }
    }
    if (fits->nelts == 1) {
        return APR_ARRAY_IDX(fits, 0, int);
    }
    if (fits->nelts > 1) {
        apr_array_header_t *shown = apr_array_make(e->p, AMBIGUOUS_SHOWN, sizeof(char *));
        for (i = 0; i < fits->nelts && i < AMBIGUOUS_SHOWN; i++) {
            APR_ARRAY_PUSH(shown, const char *) =
                sc_listing_line(e->p, l, APR_ARRAY_IDX(fits, i, int) - 1);
        }
        *reply = apr_psprintf(e->p, "Several fit \"%s\":\n%s\nSend the number.", name,
                              apr_array_pstrcat(e->p, shown, '\n'));
        return 0;
    }
    if (other) {
        /* the number's own answer says what it is instead */
        return other;
    }
    *reply = apr_psprintf(e->p, "Nothing here is called \"%s\". " HINT_LS, name);
    return 0;
}

/* The number a CD or GET names; 0 with *reply set when it names none. A
 * name needs no listing first: the current folder is listed for it. */
static int target_of(engine_t *e, const sc_cmd_t *cmd, int want_file, const char **reply)
{
    if (!cmd->name) {
        return cmd->index;
    }
    if (!last_listing(e)->nelts && (*reply = list_here(e)) != NULL) {
        return 0;
    }
    return number_of(e, cmd->name, want_file, reply);
}

/* ------------------------------------------------------------------ */
/* moving around                                                       */

static const char *cmd_cd(engine_t *e, const sc_cmd_t *cmd)
{
    sc_sms_state_t *st = e->state;
    const char *reply = NULL;
    int index = target_of(e, cmd, 0, &reply);
    const sc_sms_entry_t *en = index ? pick(e, index, &reply) : NULL;
    sc_sms_folder_t *f;

    if (!en) {
        return reply;
    }
    if (en->kind == SC_ENTRY_FILE) {
        return apr_psprintf(e->p, "%d is a file, not a folder. Send GET %d for a link.",
                            index, index);
    }
    if (en->kind == SC_ENTRY_ACCOUNT) {
        st->account_ref = en->id;
        apr_array_clear(st->folders);
        return current_account(e, &reply) ? cmd_ls(e) : reply;
    }
    f = apr_pcalloc(e->p, sizeof(*f));
    f->id = en->id;
    f->name = en->name;
    APR_ARRAY_PUSH(st->folders, sc_sms_folder_t *) = f;
    /* the new folder's numbers at once, which saves an LS */
    return cmd_ls(e);
}

static const char *cmd_cd_up(engine_t *e)
{
    sc_sms_state_t *st = e->state;

    if (at_top(e)) {
        return "You are at the top already. Send LS to list it.";
    }
    if (st->folders->nelts) {
        apr_array_pop(st->folders);
    }
    else {
        st->account_ref = NULL;
    }
    return cmd_ls(e);
}

static const char *cmd_pwd(engine_t *e)
{
    if (!e->state->account_ref) {
        return "You are at the top, with your accounts. Send LS to list them.";
    }
    return apr_pstrcat(e->p, "You are in ", path_text(e), ".", NULL);
}

static const char *cmd_reset(engine_t *e)
{
    sc_sms_state_reset(e->p, e->state);
    one_account_at_top(e);
    return "OK, back to the top. Send LS to list it.";
}

/* ------------------------------------------------------------------ */
/* links                                                               */

/* The file `index` names, or NULL with *reply saying why not. */
static const sc_sms_entry_t *pick_file(engine_t *e, int index, const char **reply)
{
    const sc_sms_entry_t *en = pick(e, index, reply);

    if (en && en->kind != SC_ENTRY_FILE) {
        *reply = apr_psprintf(e->p, "%d is %s, not a file. Send CD %d to open it.", index,
                              en->kind == SC_ENTRY_FOLDER ? "a folder" : "an account",
                              index);
        return NULL;
    }
    return en;
}

/* A link to file en of the current account, or NULL with *reply set. */
static const char *make_link(engine_t *e, const sc_sms_entry_t *en, const char **reply)
{
    const sc_account_t *a = current_account(e, reply);
    sc_storage_status_e s;
    const char *url = NULL;

    if (!a) {
        return NULL;
    }
    s = e->env->link(e->env->baton, a, en->id, &url);
    if (s != SC_STORAGE_OK || !url) {
        *reply = storage_failed(e, a, s == SC_STORAGE_OK ? SC_STORAGE_BAD_REPLY : s, "link");
        return NULL;
    }
    return url;
}

static const char *cmd_get(engine_t *e, const sc_cmd_t *cmd)
{
    const char *reply = NULL, *url;
    int index = target_of(e, cmd, 1, &reply);
    const sc_sms_entry_t *en = index ? pick_file(e, index, &reply) : NULL;

    if (!en || !(url = make_link(e, en, &reply))) {
        return reply;
    }
    return apr_pstrcat(e->p, en->name, ": ", url, NULL);
}

/* The recipient learns which service wrote and a redacted sender: enough
 * to recognise a friend's number, not enough to harvest it. */
static const char *send_text(engine_t *e, const sc_sms_entry_t *en, const char *url)
{
    return apr_pstrcat(e->p, e->conf->organisation, ": ",
                       sc_phone_redact(e->p, e->in->phone), " sent you a link to ",
                       sc_utf8_truncate(e->p, en->name, SEND_NAME_MAX), ": ", url, NULL);
}

static const char *cmd_send(engine_t *e, int index, const char *to)
{
    const char *reply = NULL, *url;
    const sc_sms_entry_t *en = pick_file(e, index, &reply);

    if (!en) {
        return reply;
    }
    switch (e->env->may_send(e->env->baton)) {
    case SC_SEND_LIMITED:
        return "You have sent too many links for now. Try again later.";
    case SC_SEND_ERROR:
        e->failed = 1;
        return "";
    case SC_SEND_ALLOWED:
        break;
    }
    if (!(url = make_link(e, en, &reply))) {
        return reply;
    }
    e->sms = apr_pcalloc(e->p, sizeof(*e->sms));
    e->sms->to = to;
    e->sms->body = send_text(e, en, url);
    e->sms->file_name = en->name;
    return "";
}

const char *sc_engine_sms_reply(apr_pool_t *p, const sc_engine_sms_t *sms, int sent,
                                const char *reason)
{
    if (!sent) {
        return apr_psprintf(p, "Could not send to %s: %s.", sms->to,
                            reason ? reason : "the SMS service refused it");
    }
    return apr_psprintf(p, "Sent %s to %s.", sms->file_name, sms->to);
}

/* ------------------------------------------------------------------ */

static const char *run_command(engine_t *e, const sc_cmd_t *cmd)
{
    switch (cmd->kind) {
    case SC_CMD_LS:     return cmd_ls(e);
    case SC_CMD_MORE:   return cmd_more(e);
    case SC_CMD_CD:     return cmd_cd(e, cmd);
    case SC_CMD_CD_UP:  return cmd_cd_up(e);
    case SC_CMD_PWD:    return cmd_pwd(e);
    case SC_CMD_RESET:  return cmd_reset(e);
    case SC_CMD_GET:    return cmd_get(e, cmd);
    case SC_CMD_SEND:   return cmd_send(e, cmd->index, cmd->phone);
    case SC_CMD_HELP:   return help_text;
    case SC_CMD_OPTOUT: return "";
    case SC_CMD_OPTIN:  return "Welcome back. " HINT_HELP;
    case SC_CMD_EMPTY:  return "Send a command, for example LS. " HINT_HELP;
    case SC_CMD_BADARG:
        return apr_psprintf(e->p, "Sorry, %s. " HINT_HELP, cmd->problem);
    case SC_CMD_UNKNOWN:
        break;
    }
    return apr_psprintf(e->p, "Unknown command \"%s\". " HINT_HELP,
                        cmd->verb ? cmd->verb : "");
}

/* Whoever is not a verified phone with an account learns only where to
 * sign up, whatever they sent. */
static const char *signup_reply(engine_t *e)
{
    return apr_pstrcat(e->p, "To use ", e->conf->organisation, " by text, sign up at ",
                       e->conf->signup_url, " and connect a storage account.", NULL);
}

apr_status_t sc_engine_run(apr_pool_t *p, const sc_engine_conf_t *conf,
                           const sc_engine_env_t *env, const sc_engine_in_t *in,
                           sc_engine_out_t *out)
{
    engine_t e = { p, conf, env, in, NULL, NULL, 0, 0, NULL };
    sc_cmd_t cmd;

    memset(out, 0, sizeof(*out));
    if (in->cmd) {
        cmd = *in->cmd;
    }
    else {
        sc_cmd_parse(p, in->body, &cmd);
    }
    /* the carrier has opted the phone out; nothing we send would arrive */
    if (cmd.kind == SC_CMD_OPTOUT) {
        out->reply = "";
        return APR_SUCCESS;
    }
    if (!in->verified) {
        out->outcome = "unknown_sender";
        out->reply = signup_reply(&e);
        return APR_SUCCESS;
    }
    /* signed up, but every account is gone: connect one, not sign up */
    if (!in->accounts || !in->accounts->nelts) {
        out->outcome = "unknown_sender";
        out->reply = apr_pstrcat(p, "No storage account is connected. Connect one at ",
                                 conf->connect_url, " and text LS again.", NULL);
        return APR_SUCCESS;
    }
    state_load(&e);
    one_account_at_top(&e);
    out->reply = run_command(&e, &cmd);
    out->sms = e.sms;
    out->failed = e.failed;
    if (e.failed || e.keep_state) {
        return APR_SUCCESS;
    }
    out->store = 1;
    return state_out(&e, &out->state);
}
