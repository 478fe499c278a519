/* fuzz_cmd.c: the SMS command parser, sc_cmd_parse (sc_cmd.h).
 *
 * Whatever a phone sends, the handler trusts the fields of sc_cmd_t as
 * documented: an index it may look up, a phone it may text, a verb it may
 * echo. Those promises are asserted here, and two that the parser's
 * documentation makes about its input: case and surrounding whitespace do
 * not matter. */
#include <string.h>
#include <strings.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "harness.h"
#include "sc_cmd.h"
#include "sc_phone.h"
#include "sc_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The canonical verbs of each kind, "|"-separated. */
static const char *const verbs[] = {
    [SC_CMD_LS] = "ls", [SC_CMD_CD] = "cd", [SC_CMD_CD_UP] = "cd",
    [SC_CMD_GET] = "get", [SC_CMD_SEND] = "send", [SC_CMD_PWD] = "pwd",
    [SC_CMD_MORE] = "more", [SC_CMD_RESET] = "reset",
    [SC_CMD_HELP] = "help|info",
    [SC_CMD_OPTOUT] = "stop|stopall|unsubscribe|cancel|end|quit|revoke|optout",
    [SC_CMD_OPTIN] = "start|yes|unstop",
    [SC_CMD_BADARG] = "ls|pwd|more|reset|help|cd|get|send",
};

static int one_of(const char *word, const char *list)
{
    apr_size_t n = strlen(word);
    const char *at;

    for (at = list; at; at = strchr(at, '|') ? strchr(at, '|') + 1 : NULL) {
        if (strncmp(at, word, n) == 0 && (at[n] == '|' || at[n] == '\0')) {
            return 1;
        }
    }
    return 0;
}

static int all_space(const char *s)
{
    for (; *s; s++) {
        if (!apr_isspace(*s)) {
            return 0;
        }
    }
    return 1;
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static void check(const char *body, const sc_cmd_t *c)
{
    int by_name = (c->kind == SC_CMD_CD || c->kind == SC_CMD_GET) && c->name;
    int takes_index = (c->kind == SC_CMD_CD || c->kind == SC_CMD_GET
                       || c->kind == SC_CMD_SEND) && !by_name;

    FZ_ASSERT(c->kind >= SC_CMD_EMPTY && c->kind <= SC_CMD_BADARG);
    FZ_ASSERT((c->kind == SC_CMD_EMPTY) == all_space(body));
    FZ_ASSERT((c->verb == NULL) == (c->kind == SC_CMD_EMPTY));
    FZ_ASSERT((c->problem != NULL) == (c->kind == SC_CMD_BADARG));
    FZ_ASSERT(!c->problem || *c->problem);
    if (takes_index) {
        FZ_ASSERT(c->index >= 1 && c->index <= 99999);
    }
    else {
        FZ_ASSERT(c->index == 0);
    }
    /* a name is only ever of CD or GET, and never empty */
    FZ_ASSERT(!c->name || by_name);
    FZ_ASSERT(!c->name || *c->name);
    if (c->kind == SC_CMD_SEND) {
        FZ_ASSERT(sc_phone_is_e164(c->phone));
    }
    else {
        FZ_ASSERT(c->phone == NULL);
    }
    if (c->kind == SC_CMD_UNKNOWN) {
        /* echoed to the user and logged */
        FZ_ASSERT(fz_text_clean(c->verb, strlen(c->verb), 1));
        FZ_ASSERT(sc_utf8_len(c->verb) <= 20);
    }
    else if (c->verb) {
        FZ_ASSERT(one_of(c->verb, verbs[c->kind]));
    }
}

static void check_same(const sc_cmd_t *a, const sc_cmd_t *b, int same_verb, int same_case)
{
    FZ_ASSERT(a->kind == b->kind);
    FZ_ASSERT(a->index == b->index);
    /* a name keeps the case it was sent in */
    FZ_ASSERT(same_case ? same_str(a->name, b->name)
                        : (!a->name) == (!b->name) && (!a->name || !strcasecmp(a->name, b->name)));
    FZ_ASSERT(same_str(a->phone, b->phone));
    FZ_ASSERT(same_str(a->problem, b->problem));
    FZ_ASSERT(!same_verb || same_str(a->verb, b->verb));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_begin();
    const char *body = apr_pstrmemdup(p, (const char *)data, size);
    char *upper = apr_pstrdup(p, body), *u;
    sc_cmd_t cmd, again;

    sc_cmd_parse(p, body, &cmd);
    check(body, &cmd);

    for (u = upper; *u; u++) {
        *u = (char)apr_toupper(*u);
    }
    sc_cmd_parse(p, upper, &again);
    check_same(&cmd, &again, cmd.kind != SC_CMD_UNKNOWN, 0);

    sc_cmd_parse(p, apr_pstrcat(p, " \t\r\n", body, "\n ", NULL), &again);
    check_same(&cmd, &again, 1, 1);

    fz_end(p);
    return 0;
}
