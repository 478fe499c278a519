/* test_engine.c: the SMS conversation without httpd or a database: every
 * command and error path against a fake provider. */
#include <stdio.h>
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_engine.h"
#include "sc_log.h"

/* ------------------------------------------------------------------ */
/* a fake provider: folder "" holds Documents/, Photos/ and notes.txt;
 * Photos holds 300 photos; Empty is empty; an account id names a failure
 * every call of it gives */

typedef struct {
    sc_storage_status_e fail;  /* every call answers this unless OK */
    int calls;
    const char *last_link_file;
} fake_t;

static fake_t fake;

/* accounts of a provider other than "fake" are of one not offered here */
static sc_storage_status_e fake_list(void *baton, const sc_account_t *acc,
                                     const char *folder_id, apr_array_header_t **items)
{
    apr_pool_t *p = sc_test_pool;
    apr_array_header_t *a = apr_array_make(p, 8, sizeof(sc_storage_item_t *));
    int i;

    fake.calls++;
    if (strcmp(acc->provider, "fake")) {
        return SC_STORAGE_UNAVAILABLE;
    }
    if (fake.fail != SC_STORAGE_OK) {
        return fake.fail;
    }
    if (!folder_id) {
        APR_ARRAY_PUSH(a, sc_storage_item_t *) = sc_test_item("f_notes", "notes.txt", 0, 1234);
        APR_ARRAY_PUSH(a, sc_storage_item_t *) = sc_test_item("d_photos", "Photos", 1, -1);
        APR_ARRAY_PUSH(a, sc_storage_item_t *) = sc_test_item("d_docs", "Documents", 1, -1);
        APR_ARRAY_PUSH(a, sc_storage_item_t *) = sc_test_item("d_empty", "Empty", 1, -1);
    }
    else if (!strcmp(folder_id, "d_photos")) {
        for (i = 1; i <= 300; i++) {
            APR_ARRAY_PUSH(a, sc_storage_item_t *) =
                sc_test_item(apr_psprintf(p, "img_%04d", i), apr_psprintf(p, "IMG_%04d.jpg", i),
                     0, 100000);
        }
    }
    else if (!strcmp(folder_id, "d_docs")) {
        APR_ARRAY_PUSH(a, sc_storage_item_t *) = sc_test_item("f_cv", "cv.pdf", 0, 2048);
        APR_ARRAY_PUSH(a, sc_storage_item_t *) = sc_test_item("bad\xFF", "bad\xFF.txt", 0, 1);
    }
    else if (strcmp(folder_id, "d_empty")) {
        return SC_STORAGE_NOT_FOUND;
    }
    *items = a;
    return SC_STORAGE_OK;
}

static sc_storage_status_e fake_link(void *baton, const sc_account_t *acc,
                                     const char *file_id, const char **url)
{
    apr_pool_t *p = sc_test_pool;
    const char *account_id = acc->account_id;

    fake.calls++;
    if (fake.fail != SC_STORAGE_OK) {
        return fake.fail;
    }
    fake.last_link_file = apr_pstrdup(p, file_id);
    *url = apr_pstrcat(p, "https://dl.test/", account_id, "/", file_id, NULL);
    return SC_STORAGE_OK;
}


static sc_send_gate_e gate;
static int gate_calls;

static sc_send_gate_e may_send(void *baton)
{
    gate_calls++;
    return gate;
}

/* log lines, to check that failures are told */
static char logged[4096];

static void capture(const char *file, int line, sc_log_level_e level, apr_status_t rv,
                    apr_pool_t *p, const char *msg)
{
    apr_cpystrn(logged + strlen(logged), msg, sizeof(logged) - strlen(logged));
    apr_cpystrn(logged + strlen(logged), "\n", sizeof(logged) - strlen(logged));
}

/* ------------------------------------------------------------------ */
/* a conversation: each message starts from what the one before stored */

static const sc_engine_conf_t conf = {
    "SMS Cloud Test", "https://sms.test/login", "https://sms.test/connect"
};
static const sc_engine_env_t env = { fake_list, fake_link, may_send, NULL };
static apr_array_header_t *accounts;
static sc_engine_state_t stored;
static sc_engine_out_t out;
static int verified;

static void add_account(const char *ref, const char *provider, const char *id,
                        const char *name)
{
    sc_account_t *a = apr_pcalloc(sc_test_pool, sizeof(*a));

    a->ref = ref;
    a->provider = provider;
    a->account_id = id;
    a->service = "dropbox";
    a->display_name = name;
    APR_ARRAY_PUSH(accounts, sc_account_t *) = a;
}

static void setup(void)
{
    sc_test_setup();
    memset(&fake, 0, sizeof(fake));
    memset(&stored, 0, sizeof(stored));
    stored.folders = "[]";
    stored.listing = "[]";
    gate = SC_SEND_ALLOWED;
    gate_calls = 0;
    verified = 1;
    logged[0] = '\0';
    sc_log_set(capture);
    accounts = apr_array_make(sc_test_pool, 2, sizeof(sc_account_t *));
    add_account("7", "fake", "acc7", "Dropbox (alice)");
    add_account("9", "fake", "acc9", "Drive (bob)");
}

static void teardown(void)
{
    sc_log_set(NULL);
    sc_test_teardown();
}

/* Send body; returns the reply and keeps what a store would keep. */
static const char *say(const char *body)
{
    sc_engine_in_t in = { "+15551230000", verified, accounts, stored, body, NULL, 0 };

    ck_assert_int_eq(sc_engine_run(sc_test_pool, &conf, &env, &in, &out), APR_SUCCESS);
    if (out.store) {
        const char *listing = out.state.listing ? out.state.listing : stored.listing;

        stored = out.state;
        stored.listing = listing;
    }
    return out.reply;
}

#define SAYS(body, want) ck_assert_str_eq(say(body), want)

START_TEST(strangers_learn_where_to_sign_up)
{
    const char *signup = "To use SMS Cloud Test by text, sign up at "
                         "https://sms.test/login and connect a storage account.";

    verified = 0;
    SAYS("ls", signup);
    ck_assert_int_eq(out.store, 0);
    SAYS("STOP", "");
    /* signed up, but the accounts are gone: where to connect one */
    verified = 1;
    apr_array_clear(accounts);
    SAYS("cd 1", "No storage account is connected. Connect one at "
                 "https://sms.test/connect and text LS again.");
    ck_assert_int_eq(out.store, 0);
    ck_assert_int_eq(fake.calls, 0);
}
END_TEST

START_TEST(opt_out_says_nothing_and_keeps_state)
{
    SAYS("ls", "1 Dropbox (alice)\n2 Drive (bob)");
    SAYS("stop", "");
    ck_assert_int_eq(out.store, 0);
    ck_assert_ptr_null(out.sms);
    SAYS("START", "Welcome back. Send HELP for the commands.");
}
END_TEST

START_TEST(browse_and_get)
{
    SAYS("ls", "1 Dropbox (alice)\n2 Drive (bob)");
    /* cd answers with the new folder's listing at once */
    SAYS("cd 1", "1 Documents/\n2 Empty/\n3 Photos/\n4 notes.txt (1.2 KB)");
    ck_assert_str_eq(stored.account_ref, "7");
    SAYS("get 4", "notes.txt: https://dl.test/acc7/f_notes");
    ck_assert_ptr_null(out.state.listing);   /* unchanged: not written again */
    /* only read, so not written again, however it was spelled when stored */
    stored.listing = "[ [\"f\", \"f_notes\", \"notes.txt\", 1229] ]";
    SAYS("get 1", "notes.txt: https://dl.test/acc7/f_notes");
    ck_assert_int_eq(out.store, 1);
    ck_assert_ptr_null(out.state.listing);
    SAYS("cd ..", "1 Dropbox (alice)\n2 Drive (bob)");
    SAYS("cd 1", "1 Documents/\n2 Empty/\n3 Photos/\n4 notes.txt (1.2 KB)");
    SAYS("cd 1", "1 bad\xEF\xBF\xBD.txt (1 B)\n2 cv.pdf (2.0 KB)");
    SAYS("pwd", "You are in /Dropbox (alice)/Documents.");
    SAYS("get 1", "bad\xEF\xBF\xBD.txt: https://dl.test/acc7/bad\xFF");
    ck_assert_str_eq(fake.last_link_file, "bad\xFF");
    SAYS("cd 2", "2 is a file, not a folder. Send GET 2 for a link.");
    /* and so does cd .. */
    SAYS("cd ..", "1 Documents/\n2 Empty/\n3 Photos/\n4 notes.txt (1.2 KB)");
    SAYS("cd ..", "1 Dropbox (alice)\n2 Drive (bob)");
    ck_assert_ptr_null(stored.account_ref);
    SAYS("cd ..", "You are at the top already. Send LS to list it.");
    SAYS("pwd", "You are at the top, with your accounts. Send LS to list them.");
    SAYS("cd 2", "1 Documents/\n2 Empty/\n3 Photos/\n4 notes.txt (1.2 KB)");
    ck_assert_str_eq(stored.account_ref, "9");
}
END_TEST

/* A name, or the beginning of one, does what its number does. */
START_TEST(by_name)
{
    say("ls");
    SAYS("cd 1", "1 Documents/\n2 Empty/\n3 Photos/\n4 notes.txt (1.2 KB)");
    SAYS("get notes.txt", "notes.txt: https://dl.test/acc7/f_notes");
    SAYS("get NOTES", "notes.txt: https://dl.test/acc7/f_notes");
    SAYS("cd doc", "1 bad\xEF\xBF\xBD.txt (1 B)\n2 cv.pdf (2.0 KB)");
    SAYS("get cv", "cv.pdf: https://dl.test/acc7/f_cv");
    SAYS("get bad\xEF\xBF\xBD.txt", "bad\xEF\xBF\xBD.txt: https://dl.test/acc7/bad\xFF");
    SAYS("cd cv.pdf", "2 is a file, not a folder. Send GET 2 for a link.");
    SAYS("get zz", "Nothing here is called \"zz\". Send LS to see the numbers.");
    say("cd ..");
    SAYS("cd e", "This folder is empty. Send CD .. to go up.");
    say("cd ..");
    /* no file begins so, a folder does: say what it is */
    SAYS("get p", "3 is a folder, not a file. Send CD 3 to open it.");
    SAYS("get Photos", "3 is a folder, not a file. Send CD 3 to open it.");
    say("cd ..");
    SAYS("cd dr", "Several fit \"dr\":\n1 Dropbox (alice)\n2 Drive (bob)\nSend the number.");
    SAYS("cd drop", "1 Documents/\n2 Empty/\n3 Photos/\n4 notes.txt (1.2 KB)");
    /* without a listing, a name lists the folder first */
    stored.listing = "[]";
    SAYS("get notes", "notes.txt: https://dl.test/acc7/f_notes");
}
END_TEST

/* With one account only, the top is that account's root. */
START_TEST(one_account)
{
    apr_array_pop(accounts);
    SAYS("ls", "1 Documents/\n2 Empty/\n3 Photos/\n4 notes.txt (1.2 KB)");
    SAYS("cd 1", "1 bad\xEF\xBF\xBD.txt (1 B)\n2 cv.pdf (2.0 KB)");
    SAYS("get 2", "cv.pdf: https://dl.test/acc7/f_cv");
    SAYS("cd ..", "1 Documents/\n2 Empty/\n3 Photos/\n4 notes.txt (1.2 KB)");
    SAYS("cd ..", "You are at the top already. Send LS to list it.");
    SAYS("pwd", "You are in /Dropbox (alice).");
    SAYS("reset", "OK, back to the top. Send LS to list it.");
    ck_assert_str_eq(stored.account_ref, "7");
    /* a stored listing of accounts from before means nothing now */
    stored.account_ref = NULL;
    stored.listing = "[[\"a\",\"7\",\"Dropbox (alice)\"]]";
    SAYS("get 1", "Send LS first, then use the numbers it shows.");
    SAYS("cd Documents", "1 bad\xEF\xBF\xBD.txt (1 B)\n2 cv.pdf (2.0 KB)");
}
END_TEST

START_TEST(paging)
{
    const char *page;
    int n;
    const char *first;

    say("cd 1");        /* no listing yet */
    SAYS("cd 1", "Send LS first, then use the numbers it shows.");
    say("ls");
    say("cd 1");
    page = say("cd 3");
    ck_assert(strlen(page) <= SC_SMS_MAX_CHARS);
    ck_assert(strncmp(page, "1 IMG_0001.jpg (97.7 KB)\n", 25) == 0);
    ck_assert_ptr_nonnull(strstr(page, "(reply MORE for "));
    n = stored.next_index;
    ck_assert(n > 10 && n < 300);
    page = say("more");
    ck_assert_int_gt(stored.next_index, n);
    ck_assert_ptr_null(out.state.listing);   /* read, not changed */
    first = apr_psprintf(sc_test_pool, "%d IMG_%04d.jpg ", n + 1, n + 1);
    ck_assert(strncmp(page, first, strlen(first)) == 0);
    while (stored.next_index < 300) {
        say("more");
    }
    SAYS("more", "That was the whole list. Send LS to see it again.");
    SAYS("get 300", "IMG_0300.jpg: https://dl.test/acc7/img_0300");
    SAYS("get 301", "There is no 301 in the last list (1-300). Send LS to see the numbers.");
    SAYS("cd 2", "2 is a file, not a folder. Send GET 2 for a link.");
    say("cd ..");
    SAYS("more", "That was the whole list. Send LS to see it again.");
    SAYS("get 1", "1 is a folder, not a file. Send CD 1 to open it.");
    SAYS("cd 2", "This folder is empty. Send CD .. to go up.");
    SAYS("more", "There is no list to continue. Send LS to list this folder.");
}
END_TEST

START_TEST(send_a_link)
{
    say("ls");
    say("cd 1");
    SAYS("send 4 +15559876543", "");
    ck_assert_ptr_nonnull(out.sms);
    ck_assert_str_eq(out.sms->to, "+15559876543");
    ck_assert_str_eq(out.sms->body, "SMS Cloud Test: +155******00 sent you a link to "
                                    "notes.txt: https://dl.test/acc7/f_notes");
    ck_assert_str_eq(sc_engine_sms_reply(sc_test_pool, out.sms, 1, NULL),
                     "Sent notes.txt to +15559876543.");
    ck_assert_str_eq(sc_engine_sms_reply(sc_test_pool, out.sms, 0, "blocked"),
                     "Could not send to +15559876543: blocked.");
    ck_assert_str_eq(sc_engine_sms_reply(sc_test_pool, out.sms, 0, NULL),
                     "Could not send to +15559876543: the SMS service refused it.");
    ck_assert_int_eq(gate_calls, 1);
    SAYS("send 1 +15559876543", "1 is a folder, not a file. Send CD 1 to open it.");
    ck_assert_int_eq(gate_calls, 1);   /* a mistake costs no send */
    gate = SC_SEND_LIMITED;
    SAYS("send 4 +15559876543", "You have sent too many links for now. Try again later.");
    ck_assert_ptr_null(out.sms);
    gate = SC_SEND_ERROR;
    say("send 4 +15559876543");
    ck_assert_int_eq(out.failed, 1);
    ck_assert_int_eq(out.store, 0);
}
END_TEST

START_TEST(storage_failures_keep_the_state)
{
    static const struct {
        sc_storage_status_e s;
        const char *reply;
    } cases[] = {
        { SC_STORAGE_NOT_FOUND,
          "That is no longer there. Send CD .. to go up or RESET to start over." },
        { SC_STORAGE_DENIED,
          "The storage account refused access. Connect it again at https://sms.test/connect." },
        { SC_STORAGE_UNAVAILABLE, "Storage is not answering, try again." },
        { SC_STORAGE_BAD_REPLY, "Storage is not answering, try again." },
    };
    size_t i;

    say("ls");
    say("cd 1");
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fake.fail = cases[i].s;
        SAYS("ls", cases[i].reply);
        ck_assert_int_eq(out.store, 0);
        SAYS("get 4", cases[i].reply);
        ck_assert_int_eq(out.store, 0);
        /* a cd whose folder cannot be listed does not move */
        SAYS("cd 1", cases[i].reply);
        ck_assert_int_eq(out.store, 0);
    }
    ck_assert_ptr_nonnull(strstr(logged, "SC02041: list on account 7 (fake) failed"));
    fake.fail = SC_STORAGE_OK;
    SAYS("get 4", "notes.txt: https://dl.test/acc7/f_notes");
}
END_TEST

START_TEST(provider_not_enabled)
{
    add_account("11", "gone", "acc11", "Old (x)");
    say("ls");
    SAYS("cd 3", "Storage is not answering, try again.");
    ck_assert_ptr_nonnull(strstr(logged, "SC02041: list on account 11 (gone) failed"));
}
END_TEST

START_TEST(removed_account)
{
    say("ls");
    say("cd 1");
    APR_ARRAY_IDX(accounts, 0, sc_account_t *)->ref = "8";   /* 7 is gone */
    SAYS("pwd", "You are in /(removed account).");
    SAYS("ls", "That account is no longer connected. Send LS to see your accounts.");
    ck_assert_ptr_null(stored.account_ref);
    SAYS("ls", "1 Dropbox (alice)\n2 Drive (bob)");
}
END_TEST

START_TEST(idle_damaged_and_orphaned_states_start_at_the_top)
{
    say("ls");
    say("cd 1");
    stored.expired = 1;
    SAYS("pwd", "You are at the top, with your accounts. Send LS to list them.");
    say("ls");
    say("cd 1");
    stored.folders = "not json";
    SAYS("pwd", "You are at the top, with your accounts. Send LS to list them.");
    ck_assert_ptr_nonnull(strstr(logged, "SC02020: damaged SMS state of +155******00"));
    /* the account went (ON DELETE SET NULL) but the listing is a folder's */
    stored.account_ref = NULL;
    stored.folders = "[]";
    stored.listing = "[[\"f\",\"x\",\"x.txt\",1]]";
    SAYS("get 1", "Send LS first, then use the numbers it shows.");
    stored.listing = "[[\"f\",\"x\",";
    SAYS("get 1", "Send LS first, then use the numbers it shows.");
}
END_TEST

START_TEST(the_small_commands)
{
    SAYS("help", "LS list, CD n or CD name open, CD .. go up, GET n or GET name link to a file, "
                 "SEND n +15551234567 text a link to someone, PWD where am I, "
                 "MORE rest of a list, RESET start over.");
    SAYS("", "Send a command, for example LS. Send HELP for the commands.");
    SAYS("dance", "Unknown command \"dance\". Send HELP for the commands.");
    SAYS("cd", "Sorry, cd needs a number or a name from the list (CD .. goes up). "
               "Send HELP for the commands.");
    say("ls");
    say("cd 1");
    SAYS("reset", "OK, back to the top. Send LS to list it.");
    ck_assert_ptr_null(stored.account_ref);
}
END_TEST

SC_UNIT_SUITE(sc_engine_suite)

Suite *sc_engine_suite(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, strangers_learn_where_to_sign_up);
    tcase_add_test(tc, opt_out_says_nothing_and_keeps_state);
    tcase_add_test(tc, browse_and_get);
    tcase_add_test(tc, by_name);
    tcase_add_test(tc, one_account);
    tcase_add_test(tc, paging);
    tcase_add_test(tc, send_a_link);
    tcase_add_test(tc, storage_failures_keep_the_state);
    tcase_add_test(tc, provider_not_enabled);
    tcase_add_test(tc, removed_account);
    tcase_add_test(tc, idle_damaged_and_orphaned_states_start_at_the_top);
    tcase_add_test(tc, the_small_commands);
    suite_add_tcase(s, tc);
    return s;
}
