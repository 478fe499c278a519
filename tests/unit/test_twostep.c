/* test_twostep.c: providers' answers, usernames, enrolment tokens, the
 * refusal floor. */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_twostep.h"

#define KEY "test-secret"
#define PRE "pre-session-cookie"

START_TEST(answers_fold_like_mod_auth_form)
{
    ck_assert_int_eq(sc_twostep_fold(SC_AUTHN_GRANTED), SC_FIRST_GRANTED);
    ck_assert_int_eq(sc_twostep_fold(SC_AUTHN_DENIED), SC_FIRST_REFUSED);
    ck_assert_int_eq(sc_twostep_fold(SC_AUTHN_ERROR), SC_FIRST_ERROR);
    /* the next provider may know the user */
    ck_assert_int_eq(sc_twostep_fold(SC_AUTHN_USER_NOT_FOUND), SC_FIRST_PENDING);
    ck_assert_int_eq(sc_twostep_fold((sc_authn_e)42), SC_FIRST_ERROR);
    /* nobody knew the user: the same refusal as a wrong password */
    ck_assert_int_eq(sc_twostep_final(SC_FIRST_PENDING), SC_FIRST_REFUSED);
    ck_assert_int_eq(sc_twostep_final(SC_FIRST_GRANTED), SC_FIRST_GRANTED);
    ck_assert_int_eq(sc_twostep_final(SC_FIRST_ERROR), SC_FIRST_ERROR);
}
END_TEST

START_TEST(usernames)
{
    char *longest = apr_pcalloc(sc_test_pool, SC_TWOSTEP_USER_MAX + 2);

    ck_assert(sc_twostep_username_ok("alice"));
    ck_assert(sc_twostep_username_ok("alice@example.org"));
    ck_assert(sc_twostep_username_ok("Ren\xc3\xa9 M"));
    memset(longest, 'a', SC_TWOSTEP_USER_MAX);
    ck_assert(sc_twostep_username_ok(longest));
    longest[SC_TWOSTEP_USER_MAX] = 'a';
    ck_assert(!sc_twostep_username_ok(longest));
    ck_assert(!sc_twostep_username_ok(NULL));
    ck_assert(!sc_twostep_username_ok(""));
    ck_assert(!sc_twostep_username_ok("a:b"));
    ck_assert(!sc_twostep_username_ok("alice\n[error] forged"));
    ck_assert(!sc_twostep_username_ok("a\tb"));
    ck_assert(!sc_twostep_username_ok("a\x7f"));
    /* what the database would refuse is refused before a provider is asked */
    ck_assert(!sc_twostep_username_ok("Ren\xe9"));
    ck_assert(!sc_twostep_username_ok("\xc0\xaf"));
    ck_assert(!sc_twostep_username_ok("a\xed\xa0\x80"));
}
END_TEST

START_TEST(enrol_tokens)
{
    apr_time_t now = apr_time_from_sec(1800000000);
    const char *t = sc_twostep_enrol_token(sc_test_pool, KEY, PRE, "alice",
                                           now + apr_time_from_sec(600));

    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(apr_pstrndup(sc_test_pool, t, 11), "1800000600.");
    ck_assert_int_eq(strlen(t), 11 + 64);
    ck_assert(sc_twostep_enrol_token_ok(sc_test_pool, KEY, PRE, "alice", t, now));
    ck_assert(sc_twostep_enrol_token_ok(sc_test_pool, KEY, PRE, "alice", t,
                                        now + apr_time_from_sec(599)));
    /* expired, another user, another browser, another key */
    ck_assert(!sc_twostep_enrol_token_ok(sc_test_pool, KEY, PRE, "alice", t,
                                         now + apr_time_from_sec(600)));
    ck_assert(!sc_twostep_enrol_token_ok(sc_test_pool, KEY, PRE, "bob", t, now));
    ck_assert(!sc_twostep_enrol_token_ok(sc_test_pool, KEY, "other", "alice", t, now));
    ck_assert(!sc_twostep_enrol_token_ok(sc_test_pool, "other", PRE, "alice", t, now));
    /* a later expiry with the old MAC, and malformed ones */
    ck_assert(!sc_twostep_enrol_token_ok(sc_test_pool, KEY, PRE, "alice",
                                         apr_pstrcat(sc_test_pool, "1900000600",
                                                     t + 10, NULL), now));
    ck_assert(!sc_twostep_enrol_token_ok(sc_test_pool, KEY, PRE, "alice", "", now));
    ck_assert(!sc_twostep_enrol_token_ok(sc_test_pool, KEY, PRE, "alice", ".", now));
    ck_assert(!sc_twostep_enrol_token_ok(sc_test_pool, KEY, PRE, "alice", t + 10, now));
    ck_assert(!sc_twostep_enrol_token_ok(sc_test_pool, KEY, PRE, "alice",
                                         apr_pstrcat(sc_test_pool, "-", t, NULL), now));
    ck_assert(!sc_twostep_enrol_token_ok(sc_test_pool, KEY, PRE, "alice",
                                         "99999999999999999999999.00", now));
    ck_assert(!sc_twostep_enrol_token_ok(sc_test_pool, KEY, PRE, "alice", NULL, now));
    ck_assert(!sc_twostep_enrol_token_ok(sc_test_pool, KEY, NULL, "alice", t, now));
    ck_assert_ptr_null(sc_twostep_enrol_token(sc_test_pool, KEY, NULL, "alice", now));
}
END_TEST

START_TEST(refusal_floor)
{
    apr_time_t began = apr_time_from_sec(1000);

    ck_assert_int_eq(sc_twostep_refusal_wait(began, began), SC_TWOSTEP_REFUSAL_FLOOR);
    ck_assert_int_eq(sc_twostep_refusal_wait(began, began + apr_time_from_msec(100)),
                     SC_TWOSTEP_REFUSAL_FLOOR - apr_time_from_msec(100));
    ck_assert_int_eq(sc_twostep_refusal_wait(began, began + SC_TWOSTEP_REFUSAL_FLOOR), 0);
    ck_assert_int_eq(sc_twostep_refusal_wait(began, began + apr_time_from_sec(5)), 0);
    ck_assert_int_eq(sc_twostep_refusal_wait(began, began - apr_time_from_sec(5)),
                     SC_TWOSTEP_REFUSAL_FLOOR);
}
END_TEST

START_TEST(password_forms)
{
    ck_assert_int_eq(sc_twostep_form_ok("alice", "secret"), 1);
    ck_assert_int_eq(sc_twostep_form_ok("alice", ""), 0);
    ck_assert_int_eq(sc_twostep_form_ok("alice", NULL), 0);
    ck_assert_int_eq(sc_twostep_form_ok("", "secret"), 0);
    ck_assert_int_eq(sc_twostep_form_ok("al:ice", "secret"), 0);
    ck_assert_int_eq(sc_twostep_form_ok(NULL, "secret"), 0);
}
END_TEST

START_TEST(listed_phones)
{
    const char *phone = "x";

    ck_assert_int_eq(sc_twostep_listed_phone(sc_test_pool, "+15550001111", &phone),
                     APR_SUCCESS);
    ck_assert_str_eq(phone, "+15550001111");
    ck_assert_int_eq(sc_twostep_listed_phone(sc_test_pool, "+1 (555) 000-1111", &phone),
                     APR_SUCCESS);
    ck_assert_str_eq(phone, "+15550001111");
    ck_assert_int_eq(sc_twostep_listed_phone(sc_test_pool, "", &phone), APR_ENOENT);
    ck_assert_ptr_null(phone);
    ck_assert_int_eq(sc_twostep_listed_phone(sc_test_pool, NULL, &phone), APR_ENOENT);
    ck_assert_int_eq(sc_twostep_listed_phone(sc_test_pool, "call me", &phone), APR_EINVAL);
    ck_assert_ptr_null(phone);
}
END_TEST

/* The password form step by step, as the glue walks it. */
START_TEST(password_order)
{
    sc_twostep_password_t l = { "alice", "secret", SC_TWOSTEP_NOT_YET, 2, 0,
                                SC_FIRST_PENDING, SC_TWOSTEP_NOT_YET, NULL };

    /* the limits first, before any provider sees the password */
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_COUNT_TRIES);
    l.limits = SC_TWOSTEP_DONE;
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_ASK_PROVIDER);
    /* the first provider does not know alice: ask the next */
    l.asked = 1;
    l.first = sc_twostep_fold(SC_AUTHN_USER_NOT_FOUND);
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_ASK_PROVIDER);
    l.asked = 2;
    l.first = sc_twostep_fold(SC_AUTHN_GRANTED);
    /* a right password: only now the phone */
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_FIND_PHONE);
    l.lookup = SC_TWOSTEP_DONE;
    l.phone = "+15550001111";
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_SEND_CODE);
    l.phone = NULL;
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_ASK_ENROL);
    l.lookup = SC_TWOSTEP_FAILED;
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_UNAVAILABLE);
}
END_TEST

/* The first factor is done with the first provider that knows the user. */
START_TEST(password_first_factor)
{
    sc_twostep_password_t l = { "alice", "secret", SC_TWOSTEP_DONE, 3, 1,
                                SC_FIRST_PENDING, SC_TWOSTEP_NOT_YET, NULL };

    l.first = sc_twostep_fold(SC_AUTHN_DENIED);
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_REFUSE);
    l.first = sc_twostep_fold(SC_AUTHN_ERROR);
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_PROVIDER_FAILED);
    l.first = sc_twostep_fold(SC_AUTHN_GRANTED);
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_FIND_PHONE);
    /* nobody knew the user: the same refusal as a wrong password */
    l.first = SC_FIRST_PENDING;
    l.asked = 3;
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_REFUSE);
    l.providers = 0;
    l.asked = 0;
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_REFUSE);
}
END_TEST

START_TEST(password_refused_early)
{
    sc_twostep_password_t l = { "alice", "", SC_TWOSTEP_NOT_YET, 1, 0,
                                SC_FIRST_PENDING, SC_TWOSTEP_NOT_YET, NULL };

    /* a form not worth a look counts no try and asks nobody */
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_REFUSE);
    l.password = NULL;
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_REFUSE);
    l.password = "secret";
    l.user = "al:ice";
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_REFUSE);
    l.user = NULL;
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_REFUSE);
    l.user = "alice";
    l.limits = SC_TWOSTEP_LIMITED;
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_LIMITED);
    l.limits = SC_TWOSTEP_FAILED;
    ck_assert_int_eq(sc_twostep_password_next(&l), SC_STEP_UNAVAILABLE);
}
END_TEST

START_TEST(enrol_order)
{
    apr_time_t now = apr_time_from_sec(1800000000);
    const char *token = sc_twostep_enrol_token(sc_test_pool, KEY, PRE, "alice",
                                               now + apr_time_from_sec(600));
    sc_twostep_enrol_t e = { "alice", token, "+1 555 000 1111", PRE,
                             SC_TWOSTEP_NOT_YET, NULL };
    const char *phone = "x";

    ck_assert_int_eq(sc_twostep_enrol_next(sc_test_pool, KEY, now, &e, &phone),
                     SC_STEP_FIND_PHONE);
    ck_assert_str_eq(phone, "+15550001111");
    e.lookup = SC_TWOSTEP_DONE;
    ck_assert_int_eq(sc_twostep_enrol_next(sc_test_pool, KEY, now, &e, &phone),
                     SC_STEP_SEND_CODE);
    ck_assert_str_eq(phone, "+15550001111");
    /* one phone per user: a second enrolment is refused */
    e.known = "+15550002222";
    ck_assert_int_eq(sc_twostep_enrol_next(sc_test_pool, KEY, now, &e, &phone),
                     SC_STEP_HAS_PHONE);
    e.lookup = SC_TWOSTEP_FAILED;
    ck_assert_int_eq(sc_twostep_enrol_next(sc_test_pool, KEY, now, &e, &phone),
                     SC_STEP_UNAVAILABLE);
    /* a typed number that is none, asked again before any lookup */
    e.lookup = SC_TWOSTEP_NOT_YET;
    e.typed = "call me";
    ck_assert_int_eq(sc_twostep_enrol_next(sc_test_pool, KEY, now, &e, &phone),
                     SC_STEP_BAD_NUMBER);
    ck_assert_ptr_null(phone);
    e.typed = NULL;
    ck_assert_int_eq(sc_twostep_enrol_next(sc_test_pool, KEY, now, &e, &phone),
                     SC_STEP_BAD_NUMBER);
}
END_TEST

/* Without a token of this user, browser and key, alive: log in again. */
START_TEST(enrol_unproved)
{
    apr_time_t now = apr_time_from_sec(1800000000);
    const char *token = sc_twostep_enrol_token(sc_test_pool, KEY, PRE, "alice",
                                               now + apr_time_from_sec(600));
    sc_twostep_enrol_t e = { "alice", token, "+15550001111", PRE,
                             SC_TWOSTEP_NOT_YET, NULL };
    const char *phone = "x";

    ck_assert_int_eq(sc_twostep_enrol_next(sc_test_pool, KEY, now + apr_time_from_sec(600),
                                           &e, &phone), SC_STEP_LOG_IN_AGAIN);
    ck_assert_ptr_null(phone);
    ck_assert_int_eq(sc_twostep_enrol_next(sc_test_pool, "other", now, &e, &phone),
                     SC_STEP_LOG_IN_AGAIN);
    e.binding = NULL;
    ck_assert_int_eq(sc_twostep_enrol_next(sc_test_pool, KEY, now, &e, &phone),
                     SC_STEP_LOG_IN_AGAIN);
    e.binding = "another browser";
    ck_assert_int_eq(sc_twostep_enrol_next(sc_test_pool, KEY, now, &e, &phone),
                     SC_STEP_LOG_IN_AGAIN);
    e.binding = PRE;
    e.user = "bob";
    ck_assert_int_eq(sc_twostep_enrol_next(sc_test_pool, KEY, now, &e, &phone),
                     SC_STEP_LOG_IN_AGAIN);
    e.user = "al:ice";
    ck_assert_int_eq(sc_twostep_enrol_next(sc_test_pool, KEY, now, &e, &phone),
                     SC_STEP_LOG_IN_AGAIN);
    e.user = "alice";
    e.token = NULL;
    ck_assert_int_eq(sc_twostep_enrol_next(sc_test_pool, KEY, now, &e, &phone),
                     SC_STEP_LOG_IN_AGAIN);
}
END_TEST

SC_UNIT_SUITE(sc_twostep_suite)

Suite *sc_twostep_suite(void)
{
    Suite *s = suite_create("twostep");
    TCase *tc = sc_tcase("twostep");

    tcase_add_test(tc, answers_fold_like_mod_auth_form);
    tcase_add_test(tc, usernames);
    tcase_add_test(tc, enrol_tokens);
    tcase_add_test(tc, refusal_floor);
    tcase_add_test(tc, password_forms);
    tcase_add_test(tc, listed_phones);
    tcase_add_test(tc, password_order);
    tcase_add_test(tc, password_first_factor);
    tcase_add_test(tc, password_refused_early);
    tcase_add_test(tc, enrol_order);
    tcase_add_test(tc, enrol_unproved);
    suite_add_tcase(s, tc);
    return s;
}
