/* test_sms.c: sc_sms, the /sms webhook around the conversation: which
 * deliveries it takes, the lock's budget, the TwiML answer. */
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_engine.h"
#include "sc_sms.h"
#include "sc_text.h"

#define P sc_test_pool
#define DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
#define SID_HEX "0123456789abcdef0123456789abcdef"
#define EURO "\xE2\x82\xAC"          /* three bytes, one character */

START_TEST(deliveries)
{
    ck_assert(sc_sms_delivery_ok("+15550001111", "SM" SID_HEX));
    ck_assert(sc_sms_delivery_ok("+15550001111", "MM" SID_HEX));
    /* not a message's sid */
    ck_assert(!sc_sms_delivery_ok("+15550001111", "AC" SID_HEX));
    ck_assert(!sc_sms_delivery_ok("+15550001111", "SM" SID_HEX "0"));
    ck_assert(!sc_sms_delivery_ok("+15550001111", "SM0123"));
    ck_assert(!sc_sms_delivery_ok("+15550001111", NULL));
    /* not a sender we can answer */
    ck_assert(!sc_sms_delivery_ok("15550001111", "SM" SID_HEX));
    ck_assert(!sc_sms_delivery_ok("alice", "SM" SID_HEX));
    ck_assert(!sc_sms_delivery_ok("", "SM" SID_HEX));
    ck_assert(!sc_sms_delivery_ok(NULL, "SM" SID_HEX));
}
END_TEST

START_TEST(lock_budget)
{
    /* what is left of Twilio's 14 s after two upstream calls */
    ck_assert_int_eq(sc_sms_lock_wait(apr_time_from_sec(5)), apr_time_from_sec(4));
    ck_assert_int_eq(sc_sms_lock_wait(apr_time_from_sec(3)), apr_time_from_sec(8));
    ck_assert_int_eq(sc_sms_lock_wait(apr_time_from_msec(6500)), apr_time_from_sec(1));
    ck_assert_int_eq(sc_sms_lock_wait(0), SC_SMS_TWILIO_BUDGET);
    /* nothing left, or less than the floor: the floor */
    ck_assert_int_eq(sc_sms_lock_wait(apr_time_from_msec(6600)), SC_SMS_MIN_LOCK_WAIT);
    ck_assert_int_eq(sc_sms_lock_wait(apr_time_from_sec(7)), SC_SMS_MIN_LOCK_WAIT);
    ck_assert_int_eq(sc_sms_lock_wait(apr_time_from_sec(60)), SC_SMS_MIN_LOCK_WAIT);
}
END_TEST

START_TEST(answer_a_reply)
{
    sc_sms_answer_t a;

    sc_sms_answer(P, "1 Documents/\n2 notes.txt", &a);
    ck_assert_str_eq(a.twiml, DECL "<Response><Message>1 Documents/\n2 notes.txt"
                              "</Message></Response>");
    ck_assert_int_eq(a.messages, 1);
    ck_assert_int_eq(a.busy, 0);
    sc_sms_answer(P, "a <b> & 'c'", &a);
    ck_assert_str_eq(a.twiml, DECL "<Response><Message>a &lt;b&gt; &amp; &#39;c&#39;"
                              "</Message></Response>");
}
END_TEST

START_TEST(answer_nothing)
{
    sc_sms_answer_t a;

    /* a replay of a message that had no reply, or the engine's "" */
    sc_sms_answer(P, "", &a);
    ck_assert_str_eq(a.twiml, DECL "<Response/>");
    ck_assert_int_eq(a.messages, 0);
    ck_assert_int_eq(a.busy, 0);
    /* a stored reply that sanitizing empties: no empty <Message> */
    sc_sms_answer(P, "\x01\x02\x7f", &a);
    ck_assert_str_eq(a.twiml, DECL "<Response/>");
    ck_assert_int_eq(a.messages, 0);
}
END_TEST

START_TEST(answer_busy)
{
    sc_sms_answer_t a;

    sc_sms_answer(P, NULL, &a);
    ck_assert_str_eq(a.twiml, DECL "<Response><Message>" SC_SMS_BUSY_REPLY
                              "</Message></Response>");
    ck_assert_int_eq(a.messages, 1);
    ck_assert_int_eq(a.busy, 1);
}
END_TEST

/* A stored reply comes back from the database as any bytes: sanitized,
 * then cut to one SMS on a character boundary. */
START_TEST(answer_cut_and_sanitized)
{
    char *longest = apr_palloc(P, SC_SMS_MAX_CHARS * 3 + 1), *o = longest;
    const char *body, *end;
    sc_sms_answer_t a;
    int i;

    for (i = 0; i < SC_SMS_MAX_CHARS + 10; i++) {
        if (i < SC_SMS_MAX_CHARS / 2) {
            memcpy(o, EURO, 3);
            o += 3;
        }
        else {
            *o++ = 'x';
        }
    }
    *o = '\0';
    longest = apr_pstrcat(P, "\x01", longest, NULL);
    sc_sms_answer(P, longest, &a);
    ck_assert_int_eq(a.messages, 1);
    body = a.twiml + strlen(DECL "<Response><Message>");
    end = strstr(body, "</Message></Response>");
    ck_assert_ptr_nonnull(end);
    body = apr_pstrmemdup(P, body, (apr_size_t)(end - body));
    ck_assert_uint_eq(sc_utf8_len(body), SC_SMS_MAX_CHARS);
    ck_assert(sc_test_utf8_valid(body, strlen(body)));
    ck_assert_int_eq(strncmp(body, EURO, 3), 0);
    /* the mark of a cut text */
    ck_assert_str_eq(body + strlen(body) - 3, "\xE2\x80\xA6");
    /* invalid bytes become U+FFFD, never a broken document */
    sc_sms_answer(P, "caf\xC3", &a);
    ck_assert_str_eq(a.twiml, DECL "<Response><Message>caf\xEF\xBF\xBD"
                              "</Message></Response>");
}
END_TEST

SC_UNIT_SUITE(sc_sms_suite)

Suite *sc_sms_suite(void)
{
    Suite *s = suite_create("sms");
    TCase *tc = sc_tcase("sms");

    tcase_add_test(tc, deliveries);
    tcase_add_test(tc, lock_budget);
    tcase_add_test(tc, answer_a_reply);
    tcase_add_test(tc, answer_nothing);
    tcase_add_test(tc, answer_busy);
    tcase_add_test(tc, answer_cut_and_sanitized);
    suite_add_tcase(s, tc);
    return s;
}
