/* sc_cmd.c: parser for the SMS commands a user sends to /sms. */
#include <string.h>
#include <strings.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "sc_cmd.h"
#include "sc_phone.h"
#include "sc_text.h"

#define SC_CMD_MAX_INDEX 99999
#define SC_CMD_VERB_MAX 20
#define SC_ELLIPSIS "\xE2\x80\xA6"   /* what iOS makes of ".." */

/* Carrier keywords (Twilio advanced opt-out); matched only as the whole
 * message, because "stop sending me files" is not an opt-out to Twilio
 * either and we must agree with what the carrier did. */
static const char *const optout_words[] = {
    "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke",
    "optout", NULL
};
static const char *const optin_words[] = { "start", "yes", "unstop", NULL };
static const char *const help_words[] = { "help", "info", NULL };

/* Verbs that take no argument at all. */
typedef struct {
    const char *name;
    sc_cmd_kind_e kind;
} sc_plain_verb_t;

static const sc_plain_verb_t plain_verbs[] = {
    { "ls", SC_CMD_LS },
    { "pwd", SC_CMD_PWD },
    { "more", SC_CMD_MORE },
    { "reset", SC_CMD_RESET },
    { "help", SC_CMD_HELP },
    { NULL, SC_CMD_UNKNOWN }
};

/* Next whitespace-separated word from *cur (advanced past it), or NULL. */
static const char *next_word(apr_pool_t *p, const char **cur)
{
    const char *s = *cur, *e;

    while (apr_isspace(*s)) {
        s++;
    }
    for (e = s; *e && !apr_isspace(*e); e++) {
    }
    *cur = e;
    return e > s ? apr_pstrmemdup(p, s, e - s) : NULL;
}

/* Whatever follows, trimmed; NULL when only whitespace is left. */
static const char *rest_of(apr_pool_t *p, const char *cur)
{
    apr_size_t n;

    cur = sc_text_trim(cur, &n);
    return n ? apr_pstrmemdup(p, cur, n) : NULL;
}

/* The list entry matching w case-insensitively, or NULL. */
static const char *word_in(const char *w, const char *const *list)
{
    for (; *list; list++) {
        if (strcasecmp(w, *list) == 0) {
            return *list;
        }
    }
    return NULL;
}

/* Plain decimal 1..99999: no sign, no spaces, no hex, no overflow. */
static int parse_index(const char *w, int *index)
{
    long v = 0;

    if (!w || !*w) {
        return 0;
    }
    for (; *w; w++) {
        if (!apr_isdigit(*w)) {
            return 0;
        }
        v = v * 10 + (*w - '0');
        if (v > SC_CMD_MAX_INDEX) {
            return 0;
        }
    }
    if (v < 1) {
        return 0;
    }
    *index = (int)v;
    return 1;
}

static void set_badarg(sc_cmd_t *cmd, const char *problem)
{
    cmd->kind = SC_CMD_BADARG;
    cmd->index = 0;
    cmd->phone = NULL;
    cmd->name = NULL;
    cmd->problem = problem;
}

/* A message that is exactly one carrier keyword. */
static int parse_keyword(const char *word, sc_cmd_t *cmd)
{
    const char *hit;

    if ((hit = word_in(word, optout_words)) != NULL) {
        cmd->kind = SC_CMD_OPTOUT;
    }
    else if ((hit = word_in(word, optin_words)) != NULL) {
        cmd->kind = SC_CMD_OPTIN;
    }
    else if ((hit = word_in(word, help_words)) != NULL) {
        cmd->kind = SC_CMD_HELP;
    }
    else {
        return 0;
    }
    cmd->verb = hit;
    return 1;
}

/* Only digits: meant as a number, even when it is not a valid one. */
static int all_digits(const char *w)
{
    for (; w && *w; w++) {
        if (!apr_isdigit(*w)) {
            return 0;
        }
    }
    return w != NULL;
}

/* The argument of cd and get: a number of the last listing, or else the
 * rest of the message as a name (names have spaces). *index stays 0 for a
 * name. Returns 0 when there is neither. */
static int parse_target(apr_pool_t *p, const char *cur, sc_cmd_t *cmd)
{
    const char *start = cur;
    const char *arg = next_word(p, &cur);
    const char *name;

    if (arg && !rest_of(p, cur) && all_digits(arg)) {
        return parse_index(arg, &cmd->index);
    }
    if (!(name = rest_of(p, start))) {
        return 0;
    }
    cmd->name = sc_text_sanitize(p, name, strlen(name));
    return *cmd->name != '\0';
}

static void parse_cd(apr_pool_t *p, const char *cur, sc_cmd_t *cmd)
{
    const char *probe = cur;
    const char *arg = next_word(p, &probe);

    if (arg && !rest_of(p, probe)
        && (strcmp(arg, "..") == 0 || strcmp(arg, SC_ELLIPSIS) == 0)) {
        cmd->kind = SC_CMD_CD_UP;
    }
    else if (parse_target(p, cur, cmd)) {
        cmd->kind = SC_CMD_CD;
    }
    else {
        set_badarg(cmd, "cd needs a number or a name from the list (CD .. goes up)");
    }
}

static void parse_get(apr_pool_t *p, const char *cur, sc_cmd_t *cmd)
{
    if (parse_target(p, cur, cmd)) {
        cmd->kind = SC_CMD_GET;
    }
    else {
        set_badarg(cmd, "get needs a number or a name from the list");
    }
}

/* The phone is the rest of the message, so "send 2 +1 415 555 0100" with
 * the spaces a phone's contact card puts in works. */
static void parse_send(apr_pool_t *p, const char *cur, sc_cmd_t *cmd)
{
    const char *arg = next_word(p, &cur);
    const char *phone = rest_of(p, cur);

    if (!parse_index(arg, &cmd->index)) {
        set_badarg(cmd, "send needs a number from the last listing, "
                   "then a phone number");
    }
    else if (!phone) {
        set_badarg(cmd, "send needs a phone number after the file number");
    }
    else if (sc_phone_normalise(p, phone, &cmd->phone) != APR_SUCCESS) {
        set_badarg(cmd, "send needs a phone number in international format, "
                   "like +14155550100");
    }
    else {
        cmd->kind = SC_CMD_SEND;
    }
}

/* Verbs that take no argument. Returns 0 if verb is none of them. */
static int parse_plain(apr_pool_t *p, const char *verb, const char *cur,
                       sc_cmd_t *cmd)
{
    const sc_plain_verb_t *v;

    for (v = plain_verbs; v->name; v++) {
        if (strcasecmp(verb, v->name) == 0) {
            break;
        }
    }
    if (!v->name) {
        return 0;
    }
    cmd->verb = v->name;
    if (rest_of(p, cur)) {
        set_badarg(cmd, apr_pstrcat(p, v->name, " takes no arguments",
                                    NULL));
    }
    else {
        cmd->kind = v->kind;
    }
    return 1;
}

static void parse_unknown(apr_pool_t *p, const char *word, sc_cmd_t *cmd)
{
    cmd->kind = SC_CMD_UNKNOWN;
    /* The word is echoed back to the user and maybe logged: make it valid
     * UTF-8 without control characters and keep it short. */
    cmd->verb = sc_utf8_truncate(p, sc_text_sanitize(p, word, strlen(word)),
                                 SC_CMD_VERB_MAX);
}

void sc_cmd_parse(apr_pool_t *p, const char *body, sc_cmd_t *cmd)
{
    const char *cur = body ? body : "";
    const char *verb;

    memset(cmd, 0, sizeof(*cmd));
    cmd->kind = SC_CMD_EMPTY;
    verb = next_word(p, &cur);
    if (!verb) {
        return;
    }
    if (!rest_of(p, cur) && parse_keyword(verb, cmd)) {
        return;
    }
    if (parse_plain(p, verb, cur, cmd)) {
        return;
    }
    if (strcasecmp(verb, "cd") == 0) {
        cmd->verb = "cd";
        parse_cd(p, cur, cmd);
    }
    else if (strcasecmp(verb, "get") == 0) {
        cmd->verb = "get";
        parse_get(p, cur, cmd);
    }
    else if (strcasecmp(verb, "send") == 0) {
        cmd->verb = "send";
        parse_send(p, cur, cmd);
    }
    else {
        parse_unknown(p, verb, cmd);
    }
}

/* In sc_cmd_kind_e order: names for logs and metric labels. */
static const char *const kind_names[] = {
    "empty", "ls", "cd", "cd_up", "get", "send", "pwd", "more", "reset",
    "help", "optout", "optin", "unknown", "badarg", NULL
};

const char *sc_cmd_kind_name(sc_cmd_kind_e kind)
{
    return kind >= SC_CMD_EMPTY && kind <= SC_CMD_BADARG ? kind_names[kind] : NULL;
}

const char *const *sc_cmd_kind_names(void)
{
    return kind_names;
}
