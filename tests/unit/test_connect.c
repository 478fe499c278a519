/* test_connect.c: the rules of the /connect page. */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_connect.h"
#include "sc_form.h"

START_TEST(routes)
{
    ck_assert_int_eq(sc_connect_route(NULL), SC_CONNECT_PAGE);
    ck_assert_int_eq(sc_connect_route(""), SC_CONNECT_PAGE);
    ck_assert_int_eq(sc_connect_route("/callback"), SC_CONNECT_CALLBACK);
    ck_assert_int_eq(sc_connect_route("/callback/"), SC_CONNECT_NOWHERE);
    ck_assert_int_eq(sc_connect_route("/"), SC_CONNECT_NOWHERE);
    ck_assert_int_eq(sc_connect_route("/other"), SC_CONNECT_NOWHERE);
}
END_TEST

START_TEST(actions)
{
    const char *name = "x";

    ck_assert_int_eq(sc_connect_action(sc_test_form("action=add&provider=local"), &name),
                     SC_CONNECT_ADD);
    ck_assert_str_eq(name, "local");
    ck_assert_int_eq(sc_connect_action(sc_test_form("action=remove&account=12"), &name),
                     SC_CONNECT_REMOVE);
    ck_assert_str_eq(name, "12");
    /* a removal without an account finds nothing (404), it is no bad form */
    ck_assert_int_eq(sc_connect_action(sc_test_form("action=remove"), &name), SC_CONNECT_REMOVE);
    ck_assert_ptr_null(name);
    ck_assert_int_eq(sc_connect_action(sc_test_form("action=add"), &name), SC_CONNECT_BAD);
    ck_assert_ptr_null(name);
    ck_assert_int_eq(sc_connect_action(sc_test_form("action=Add&provider=local"), &name),
                     SC_CONNECT_BAD);
    ck_assert_int_eq(sc_connect_action(sc_test_form("provider=local"), &name), SC_CONNECT_BAD);
    ck_assert_int_eq(sc_connect_action(NULL, &name), SC_CONNECT_BAD);
}
END_TEST

/* An assigned account is the phone's one; the others come in any number. */
START_TEST(offers)
{
    const sc_storage_provider_t assigned = { .name = "local", .connect = SC_CONNECT_ASSIGNED };
    const sc_storage_provider_t oauth = { .name = "kloudless", .connect = SC_CONNECT_OAUTH };
    const sc_storage_provider_t form = { .name = "webdav", .connect = SC_CONNECT_FORM };
    const char *button = "x";

    ck_assert_int_eq(sc_connect_offer(sc_test_pool, &assigned, "Files here", 0, &button), 1);
    ck_assert_str_eq(button, "Connect Files here");
    ck_assert_int_eq(sc_connect_offer(sc_test_pool, &assigned, "Files here", 1, &button), 0);
    ck_assert_ptr_null(button);
    ck_assert_int_eq(sc_connect_offer(sc_test_pool, &oauth, "Cloud", 0, &button), 1);
    ck_assert_str_eq(button, "Add Cloud");
    ck_assert_int_eq(sc_connect_offer(sc_test_pool, &oauth, "Cloud", 3, &button), 1);
    ck_assert_str_eq(button, "Add Cloud");
    ck_assert_int_eq(sc_connect_offer(sc_test_pool, &form, "WebDAV", 0, &button), 1);
    ck_assert_str_eq(button, "Connect WebDAV");
    ck_assert_int_eq(sc_connect_offer(sc_test_pool, &form, "WebDAV", 2, &button), 1);
    ck_assert_str_eq(button, "Connect WebDAV");
}
END_TEST

START_TEST(failures)
{
    const char *message;
    int status = 0;

    ck_assert_int_eq(sc_connect_failure(sc_test_pool, SC_STORAGE_INVALID, "Wrong URL", 0,
                                        &status, &message), 1);
    ck_assert_int_eq(status, 400);
    ck_assert_str_eq(message, "Wrong URL");
    ck_assert_int_eq(sc_connect_failure(sc_test_pool, SC_STORAGE_DENIED, NULL, 0,
                                        &status, &message), 0);
    ck_assert_int_eq(status, 403);
    ck_assert_str_eq(message, apr_pstrcat(sc_test_pool, "The storage service could not "
                                          "confirm the account: ",
                                          sc_storage_status_text(SC_STORAGE_DENIED),
                                          NULL));
    ck_assert_int_eq(sc_connect_failure(sc_test_pool, SC_STORAGE_UNAVAILABLE, NULL, 0,
                                        &status, &message), 0);
    ck_assert_int_eq(status, 502);
    /* a callback's exchange: the service's failure, whatever it says */
    ck_assert_int_eq(sc_connect_failure(sc_test_pool, SC_STORAGE_DENIED, NULL, 1,
                                        &status, &message), 0);
    ck_assert_int_eq(status, 502);
    ck_assert_int_eq(sc_connect_failure(sc_test_pool, SC_STORAGE_INVALID, NULL, 1,
                                        &status, &message), 1);
    ck_assert_int_eq(status, 502);
}
END_TEST

START_TEST(callbacks)
{
    sc_connect_callback_t cb;
    int status = 0;

    ck_assert_int_eq(sc_connect_callback_parse(sc_test_pool, "state=S&code=C", &cb),
                     APR_SUCCESS);
    ck_assert_str_eq(cb.state, "S");
    ck_assert_str_eq(cb.code, "C");
    ck_assert_int_eq(cb.refused, 0);
    ck_assert_int_eq(sc_connect_callback_parse(sc_test_pool, "state=&code=&error=x", &cb),
                     APR_SUCCESS);
    ck_assert_ptr_null(cb.state);
    ck_assert_ptr_null(cb.code);
    ck_assert_int_eq(cb.refused, 1);
    ck_assert_int_eq(sc_connect_callback_parse(sc_test_pool, NULL, &cb), APR_SUCCESS);
    ck_assert_ptr_null(cb.state);
    ck_assert_int_eq(sc_connect_callback_parse(sc_test_pool, "state=%zz", &cb), APR_EINVAL);

    ck_assert_ptr_nonnull(strstr(sc_connect_callback_fault(SC_CALLBACK_UNREADABLE, &status),
                                 "could not be read"));
    ck_assert_int_eq(status, 400);
    ck_assert_ptr_nonnull(strstr(sc_connect_callback_fault(SC_CALLBACK_BAD_STATE, &status),
                                 "not valid (any more)"));
    ck_assert_int_eq(status, 400);
    ck_assert_ptr_nonnull(strstr(sc_connect_callback_fault(SC_CALLBACK_REFUSED, &status),
                                 "cancelled or refused"));
    ck_assert_int_eq(status, 200);
    ck_assert_ptr_nonnull(strstr(sc_connect_callback_fault(SC_CALLBACK_INCOMPLETE, &status),
                                 "incomplete"));
    ck_assert_int_eq(status, 400);
}
END_TEST

SC_UNIT_SUITE(sc_connect_suite)

Suite *sc_connect_suite(void)
{
    Suite *s = suite_create("connect");
    TCase *tc = sc_tcase("connect");

    tcase_add_test(tc, routes);
    tcase_add_test(tc, actions);
    tcase_add_test(tc, offers);
    tcase_add_test(tc, failures);
    tcase_add_test(tc, callbacks);
    suite_add_tcase(s, tc);
    return s;
}
