/* test_cmd.c: the SMS command parser. */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_cmd.h"
#include "sc_text.h"

typedef struct {
    const char *body;
    sc_cmd_kind_e kind;
    int index;
    const char *phone;
    const char *verb;
} cmd_case_t;

static const cmd_case_t cases[] = {
    /* Plain verbs, any case, any whitespace. */
    { "ls", SC_CMD_LS, 0, NULL, "ls" },
    { "  LS \t\r\n", SC_CMD_LS, 0, NULL, "ls" },
    { "Ls", SC_CMD_LS, 0, NULL, "ls" },
    { "pwd", SC_CMD_PWD, 0, NULL, "pwd" },
    { "MORE", SC_CMD_MORE, 0, NULL, "more" },
    { "reset", SC_CMD_RESET, 0, NULL, "reset" },
    { "help", SC_CMD_HELP, 0, NULL, "help" },
    /* Extra arguments. */
    { "ls 3", SC_CMD_BADARG, 0, NULL, "ls" },
    { "pwd x", SC_CMD_BADARG, 0, NULL, "pwd" },
    { "more please", SC_CMD_BADARG, 0, NULL, "more" },
    { "reset now", SC_CMD_BADARG, 0, NULL, "reset" },
    { "help me", SC_CMD_BADARG, 0, NULL, "help" },
    /* cd */
    { "cd 3", SC_CMD_CD, 3, NULL, "cd" },
    { "CD    12  ", SC_CMD_CD, 12, NULL, "cd" },
    { "cd\t1", SC_CMD_CD, 1, NULL, "cd" },
    { "cd 99999", SC_CMD_CD, 99999, NULL, "cd" },
    { "cd 00007", SC_CMD_CD, 7, NULL, "cd" },
    { "cd ..", SC_CMD_CD_UP, 0, NULL, "cd" },
    { " Cd  .. ", SC_CMD_CD_UP, 0, NULL, "cd" },
    { "cd \xE2\x80\xA6", SC_CMD_CD_UP, 0, NULL, "cd" },
    { "cd", SC_CMD_BADARG, 0, NULL, "cd" },
    { "cd x", SC_CMD_CD, 0, NULL, "cd" },
    { "cd 0", SC_CMD_BADARG, 0, NULL, "cd" },
    { "cd 000", SC_CMD_BADARG, 0, NULL, "cd" },
    { "cd 100000", SC_CMD_BADARG, 0, NULL, "cd" },
    { "cd 99999999999999999999999", SC_CMD_BADARG, 0, NULL, "cd" },
    { "cd -1", SC_CMD_CD, 0, NULL, "cd" },
    { "cd +1", SC_CMD_CD, 0, NULL, "cd" },
    { "cd 1.5", SC_CMD_CD, 0, NULL, "cd" },
    { "cd 0x10", SC_CMD_CD, 0, NULL, "cd" },
    { "cd 1 2", SC_CMD_CD, 0, NULL, "cd" },
    { "cd .. 2", SC_CMD_CD, 0, NULL, "cd" },
    { "cd ...", SC_CMD_CD, 0, NULL, "cd" },
    { "cd \xD9\xA1", SC_CMD_CD, 0, NULL, "cd" },   /* Arabic-Indic 1 */
    { "cd2", SC_CMD_UNKNOWN, 0, NULL, "cd2" },
    /* get */
    { "get 2", SC_CMD_GET, 2, NULL, "get" },
    { "GET 42", SC_CMD_GET, 42, NULL, "get" },
    { "get", SC_CMD_BADARG, 0, NULL, "get" },
    { "get 2 3", SC_CMD_GET, 0, NULL, "get" },
    { "get ..", SC_CMD_GET, 0, NULL, "get" },
    /* send */
    { "send 2 +14155550100", SC_CMD_SEND, 2, "+14155550100", "send" },
    { "Send 2 +1 (415) 555-0100 ", SC_CMD_SEND, 2, "+14155550100", "send" },
    { "SEND 3 0044 20 7946 0958", SC_CMD_SEND, 3, "+442079460958", "send" },
    { "send 2", SC_CMD_BADARG, 0, NULL, "send" },
    { "send", SC_CMD_BADARG, 0, NULL, "send" },
    { "send +14155550100", SC_CMD_BADARG, 0, NULL, "send" },
    { "send 2 4155550100", SC_CMD_BADARG, 0, NULL, "send" },
    { "send 2 +1 415 CALL NOW", SC_CMD_BADARG, 0, NULL, "send" },
    { "send 0 +14155550100", SC_CMD_BADARG, 0, NULL, "send" },
    { "send x y", SC_CMD_BADARG, 0, NULL, "send" },
    /* Carrier keywords, whole message only. */
    { "STOP", SC_CMD_OPTOUT, 0, NULL, "stop" },
    { "stop", SC_CMD_OPTOUT, 0, NULL, "stop" },
    { " Stop ", SC_CMD_OPTOUT, 0, NULL, "stop" },
    { "STOPALL", SC_CMD_OPTOUT, 0, NULL, "stopall" },
    { "unsubscribe", SC_CMD_OPTOUT, 0, NULL, "unsubscribe" },
    { "Cancel", SC_CMD_OPTOUT, 0, NULL, "cancel" },
    { "END", SC_CMD_OPTOUT, 0, NULL, "end" },
    { "quit", SC_CMD_OPTOUT, 0, NULL, "quit" },
    { "REVOKE", SC_CMD_OPTOUT, 0, NULL, "revoke" },
    { "OptOut", SC_CMD_OPTOUT, 0, NULL, "optout" },
    { "START", SC_CMD_OPTIN, 0, NULL, "start" },
    { "yes", SC_CMD_OPTIN, 0, NULL, "yes" },
    { "\tUNSTOP\n", SC_CMD_OPTIN, 0, NULL, "unstop" },
    { "HELP", SC_CMD_HELP, 0, NULL, "help" },
    { "info", SC_CMD_HELP, 0, NULL, "info" },
    { "INFO", SC_CMD_HELP, 0, NULL, "info" },
    { "STOP PLEASE", SC_CMD_UNKNOWN, 0, NULL, "STOP" },
    { "stop stop", SC_CMD_UNKNOWN, 0, NULL, "stop" },
    { "yes please", SC_CMD_UNKNOWN, 0, NULL, "yes" },
    { "info x", SC_CMD_UNKNOWN, 0, NULL, "info" },
    { "STOP.", SC_CMD_UNKNOWN, 0, NULL, "STOP." },
    /* Nothing there. */
    { "", SC_CMD_EMPTY, 0, NULL, NULL },
    { "   \t\r\n ", SC_CMD_EMPTY, 0, NULL, NULL },
    /* Unknown verbs. */
    { "hello", SC_CMD_UNKNOWN, 0, NULL, "hello" },
    { "Hello there", SC_CMD_UNKNOWN, 0, NULL, "Hello" },
    { "rm -rf /", SC_CMD_UNKNOWN, 0, NULL, "rm" },
    { "l\x01s", SC_CMD_UNKNOWN, 0, NULL, "ls" },
    { "\xFF\xFEls", SC_CMD_UNKNOWN, 0, NULL, "\xEF\xBF\xBD\xEF\xBF\xBDls" },
    { "abcdefghijklmnopqrstuvwxyz", SC_CMD_UNKNOWN, 0, NULL,
      "abcdefghijklmnopqrs\xE2\x80\xA6" }
};

START_TEST(table)
{
    const cmd_case_t *c = &cases[_i];
    sc_cmd_t cmd;

    memset(&cmd, 0x5A, sizeof(cmd));
    sc_cmd_parse(sc_test_pool, c->body, &cmd);
    ck_assert_msg(cmd.kind == c->kind, "\"%s\": kind %d, want %d", c->body,
                  cmd.kind, c->kind);
    ck_assert_int_eq(cmd.index, c->index);
    if (c->phone) {
        ck_assert_str_eq(cmd.phone, c->phone);
    }
    else {
        ck_assert_ptr_null(cmd.phone);
    }
    if (c->verb) {
        ck_assert_str_eq(cmd.verb, c->verb);
    }
    else {
        ck_assert_ptr_null(cmd.verb);
    }
    /* A reason exactly when the arguments were wrong. */
    if (c->kind == SC_CMD_BADARG) {
        ck_assert_ptr_nonnull(cmd.problem);
        ck_assert_uint_gt(strlen(cmd.problem), 10);
    }
    else {
        ck_assert_ptr_null(cmd.problem);
    }
}
END_TEST

/* A name is the rest of the message, spaces and all; digits only are a
 * number. */
START_TEST(names)
{
    sc_cmd_t cmd;

    sc_cmd_parse(sc_test_pool, "cd  My Photos ", &cmd);
    ck_assert_int_eq(cmd.kind, SC_CMD_CD);
    ck_assert_int_eq(cmd.index, 0);
    ck_assert_str_eq(cmd.name, "My Photos");
    sc_cmd_parse(sc_test_pool, "GET notes.txt", &cmd);
    ck_assert_int_eq(cmd.kind, SC_CMD_GET);
    ck_assert_str_eq(cmd.name, "notes.txt");
    sc_cmd_parse(sc_test_pool, "get 2", &cmd);
    ck_assert_ptr_null(cmd.name);
    ck_assert_int_eq(cmd.index, 2);
    sc_cmd_parse(sc_test_pool, "cd bad\xFF", &cmd);
    ck_assert_str_eq(cmd.name, "bad\xEF\xBF\xBD");
    sc_cmd_parse(sc_test_pool, "cd 0", &cmd);
    ck_assert_int_eq(cmd.kind, SC_CMD_BADARG);
}
END_TEST

START_TEST(problems_are_specific)
{
    sc_cmd_t cmd;

    sc_cmd_parse(sc_test_pool, "cd", &cmd);
    ck_assert_ptr_nonnull(strstr(cmd.problem, "cd needs a number or a name"));
    /* no "..." that reads as a cut-off sentence once ". Send HELP" follows */
    ck_assert(cmd.problem[strlen(cmd.problem) - 1] != '.');
    sc_cmd_parse(sc_test_pool, "get", &cmd);
    ck_assert_ptr_nonnull(strstr(cmd.problem, "get needs a number"));
    sc_cmd_parse(sc_test_pool, "ls 3", &cmd);
    ck_assert_str_eq(cmd.problem, "ls takes no arguments");
    sc_cmd_parse(sc_test_pool, "send 2 12", &cmd);
    ck_assert_ptr_nonnull(strstr(cmd.problem, "international"));
}
END_TEST

START_TEST(null_and_huge)
{
    sc_cmd_t cmd;
    apr_size_t n = 100000;
    char *big = apr_palloc(sc_test_pool, n + 1);

    sc_cmd_parse(sc_test_pool, NULL, &cmd);
    ck_assert_int_eq(cmd.kind, SC_CMD_EMPTY);

    memset(big, '\xF0', n);
    big[n] = '\0';
    sc_cmd_parse(sc_test_pool, big, &cmd);
    ck_assert_int_eq(cmd.kind, SC_CMD_UNKNOWN);
    ck_assert(sc_test_utf8_valid(cmd.verb, strlen(cmd.verb)));
    ck_assert_uint_le(sc_utf8_len(cmd.verb), 20);

    memset(big, ' ', n);
    memcpy(big + n / 2, "cd 5", 4);
    sc_cmd_parse(sc_test_pool, big, &cmd);
    ck_assert_int_eq(cmd.kind, SC_CMD_CD);
    ck_assert_int_eq(cmd.index, 5);

    memcpy(big + n / 2, "ls 5", 4);
    big[n - 1] = '7';
    sc_cmd_parse(sc_test_pool, big, &cmd);
    ck_assert_int_eq(cmd.kind, SC_CMD_BADARG);
}
END_TEST

SC_UNIT_SUITE(sc_cmd_suite)

Suite *sc_cmd_suite(void)
{
    Suite *s = suite_create("cmd");
    TCase *tc = sc_tcase("cmd");

    tcase_add_loop_test(tc, table, 0, sizeof(cases) / sizeof(cases[0]));
    tcase_add_test(tc, problems_are_specific);
    tcase_add_test(tc, names);
    tcase_add_test(tc, null_and_huge);
    suite_add_tcase(s, tc);
    return s;
}
