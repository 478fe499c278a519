/* test_gate.c: return addresses, unauthenticated actions, identity
 * header copies. */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_gate.h"

START_TEST(local_paths_accepted)
{
    static const char *const good[] = {
        "/", "/app", "/app/", "/app/index.html", "/cgi?a=1&b=%20x",
        "/app/a%2Fb", "/x?next=http://elsewhere/", "/p/~me/(1);x=y,z:@!$*+'",
        "/a%25b", "/q?x=a//b",
        NULL
    };
    int i;

    for (i = 0; good[i]; i++) {
        ck_assert_msg(sc_gate_local_path(good[i]), "%s refused", good[i]);
    }
}
END_TEST

START_TEST(open_redirects_refused)
{
    static const char *const bad[] = {
        "", "app", "//evil.com", "///evil.com", "/\\evil.com", "\\\\evil.com",
        "https://evil.com", "http:/evil.com", "https:/\\evil.com", "javascript:alert(1)",
        "/%2fevil.com", "/%2Fevil.com", "/%5cevil.com", "/%5Cevil.com",
        "%2f%2fevil.com", "/%252fevil.com", "/%25252fevil.com", "/%2525252fevil.com",
        "/app//evil", "/\t/evil.com", "/ /evil.com", " /app", "/app ",
        "/\r\nSet-Cookie: a=b", "/%0d%0aSet-Cookie:%20a=b", "/%0aX", "/app%00",
        "/%09/evil.com", "/app\x7f", "/app\xc3\xa9", "/a\"b", "/a<b>", "/a#frag",
        "/100%", "/a%zz", "/a%4", "/.\\evil", "/app/%5c%5cevil", "/%252f%252f/%25ev",
        NULL
    };
    char *huge;
    int i;

    for (i = 0; bad[i]; i++) {
        ck_assert_msg(!sc_gate_local_path(bad[i]), "%s accepted", bad[i]);
    }
    ck_assert_int_eq(sc_gate_local_path(NULL), 0);
    huge = apr_palloc(sc_test_pool, SC_GATE_RETURN_MAX + 2);
    huge[0] = '/';
    memset(huge + 1, 'a', SC_GATE_RETURN_MAX);
    huge[SC_GATE_RETURN_MAX + 1] = '\0';
    ck_assert_int_eq(sc_gate_local_path(huge), 0);
    huge[SC_GATE_RETURN_MAX] = '\0';
    ck_assert_int_eq(sc_gate_local_path(huge), 1);
}
END_TEST

START_TEST(actions)
{
    sc_gate_action_e a = SC_GATE_PASS;

    ck_assert_int_eq(sc_gate_action_parse("redirect", &a), APR_SUCCESS);
    ck_assert_int_eq(a, SC_GATE_REDIRECT);
    ck_assert_int_eq(sc_gate_action_parse("401", &a), APR_SUCCESS);
    ck_assert_int_eq(a, SC_GATE_401);
    ck_assert_int_eq(sc_gate_action_parse("403", &a), APR_SUCCESS);
    ck_assert_int_eq(a, SC_GATE_403);
    ck_assert_int_eq(sc_gate_action_parse("PASS", &a), APR_SUCCESS);
    ck_assert_int_eq(a, SC_GATE_PASS);
    ck_assert_int_eq(sc_gate_action_parse("410", &a), APR_EINVAL);
    ck_assert_int_eq(sc_gate_action_parse("", &a), APR_EINVAL);
    ck_assert_int_eq(sc_gate_action_parse(NULL, &a), APR_EINVAL);

    ck_assert_int_eq(sc_gate_unauth_action(SC_GATE_401, 1), SC_GATE_REDIRECT);
    ck_assert_int_eq(sc_gate_unauth_action(SC_GATE_403, 1), SC_GATE_REDIRECT);
    ck_assert_int_eq(sc_gate_unauth_action(SC_GATE_PASS, 1), SC_GATE_PASS);
    ck_assert_int_eq(sc_gate_unauth_action(SC_GATE_401, 0), SC_GATE_401);
    ck_assert_int_eq(sc_gate_unauth_action(SC_GATE_403, 0), SC_GATE_403);
    ck_assert_int_eq(sc_gate_unauth_action(SC_GATE_PASS, 0), SC_GATE_PASS);
    ck_assert_int_eq(sc_gate_unauth_action(SC_GATE_REDIRECT, 0), SC_GATE_REDIRECT);
}
END_TEST

START_TEST(browsers)
{
    const char *html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    ck_assert_int_eq(sc_gate_is_browser("GET", html, NULL), 1);
    ck_assert_int_eq(sc_gate_is_browser("HEAD", "Application/XHTML+XML", NULL), 1);
    ck_assert_int_eq(sc_gate_is_browser("GET", "TEXT/HTML", "somethingelse"), 1);
    ck_assert_int_eq(sc_gate_is_browser("GET", html, "XMLHttpRequest"), 0);
    ck_assert_int_eq(sc_gate_is_browser("GET", html, "xmlhttprequest"), 0);
    ck_assert_int_eq(sc_gate_is_browser("POST", html, NULL), 0);
    ck_assert_int_eq(sc_gate_is_browser("GET", "*/*", NULL), 0);
    ck_assert_int_eq(sc_gate_is_browser("GET", "application/json", NULL), 0);
    ck_assert_int_eq(sc_gate_is_browser("GET", NULL, NULL), 0);
    ck_assert_int_eq(sc_gate_is_browser(NULL, html, NULL), 0);
}
END_TEST

START_TEST(headers)
{
    ck_assert_int_eq(sc_gate_header_name_ok("X-Remote-User"), 1);
    ck_assert_int_eq(sc_gate_header_name_ok("Phone1"), 1);
    ck_assert_int_eq(sc_gate_header_name_ok(""), 0);
    ck_assert_int_eq(sc_gate_header_name_ok(NULL), 0);
    ck_assert_int_eq(sc_gate_header_name_ok("X_Remote_User"), 0);
    ck_assert_int_eq(sc_gate_header_name_ok("X-Remote User"), 0);
    ck_assert_int_eq(sc_gate_header_name_ok("X:a"), 0);

    ck_assert_int_eq(sc_gate_header_matches("X-Remote-User", "X-Remote-User"), 1);
    ck_assert_int_eq(sc_gate_header_matches("x-remote-user", "X-Remote-User"), 1);
    ck_assert_int_eq(sc_gate_header_matches("X_Remote_User", "X-Remote-User"), 1);
    ck_assert_int_eq(sc_gate_header_matches("x_REMOTE-user", "X-Remote-User"), 1);
    ck_assert_int_eq(sc_gate_header_matches("X-Remote-Users", "X-Remote-User"), 0);
    ck_assert_int_eq(sc_gate_header_matches("X-Remote-Use", "X-Remote-User"), 0);
    ck_assert_int_eq(sc_gate_header_matches("XRemoteUser", "X-Remote-User"), 0);
    ck_assert_int_eq(sc_gate_header_matches(NULL, "X-Remote-User"), 0);
}
END_TEST

START_TEST(login_urls)
{
    ck_assert_str_eq(sc_gate_login_url(sc_test_pool, "/login", "/app/x?a=1&b=2"),
                     "/login?return=%2fapp%2fx%3fa%3d1%26b%3d2");
    ck_assert_str_eq(sc_gate_login_url(sc_test_pool, "/login", "//evil.com"), "/login");
    ck_assert_str_eq(sc_gate_login_url(sc_test_pool, "/login", NULL), "/login");
}
END_TEST

START_TEST(otp_channels)
{
    ck_assert_str_eq(sc_gate_otp_channel(0, NULL), "web");
    ck_assert_str_eq(sc_gate_otp_channel(0, ""), "web");
    ck_assert_str_eq(sc_gate_otp_channel(0, "/app/"), "gate");
    ck_assert_str_eq(sc_gate_otp_channel(1, NULL), "gate");
}
END_TEST

START_TEST(phones_listed)
{
    apr_array_header_t *phones = apr_array_make(sc_test_pool, 2, sizeof(const char *));

    APR_ARRAY_PUSH(phones, const char *) = "+15550001111";
    APR_ARRAY_PUSH(phones, const char *) = "+447700900123";
    ck_assert_int_eq(sc_gate_phone_listed(phones, "+15550001111"), 1);
    ck_assert_int_eq(sc_gate_phone_listed(phones, "+447700900123"), 1);
    ck_assert_int_eq(sc_gate_phone_listed(phones, "+1555000111"), 0);
    ck_assert_int_eq(sc_gate_phone_listed(phones, "+155500011112"), 0);
    ck_assert_int_eq(sc_gate_phone_listed(phones, ""), 0);
    ck_assert_int_eq(sc_gate_phone_listed(phones, NULL), 0);
    ck_assert_int_eq(sc_gate_phone_listed(NULL, "+15550001111"), 0);
}
END_TEST

SC_UNIT_SUITE(sc_gate_suite)

Suite *sc_gate_suite(void)
{
    Suite *s = suite_create("gate");
    TCase *tc = sc_tcase("gate");

    tcase_add_test(tc, local_paths_accepted);
    tcase_add_test(tc, open_redirects_refused);
    tcase_add_test(tc, actions);
    tcase_add_test(tc, browsers);
    tcase_add_test(tc, headers);
    tcase_add_test(tc, login_urls);
    tcase_add_test(tc, otp_channels);
    tcase_add_test(tc, phones_listed);
    suite_add_tcase(s, tc);
    return s;
}
