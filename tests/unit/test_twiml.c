/* test_twiml.c: the TwiML reply (sc_twiml), read back with apr_xml. */
#include <string.h>

#include <apr_strings.h>
#include <apr_xml.h>

#include "sc_unit.h"
#include "sc_text.h"
#include "sc_twiml.h"

#define DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
#define EMOJI "\xF0\x9F\x98\x80"     /* U+1F600 */

/* Concatenated character data of an element. */
static const char *elem_text(const apr_xml_elem *e)
{
    const apr_text *t;
    const char *s = "";

    for (t = e->first_cdata.first; t; t = t->next) {
        s = apr_pstrcat(sc_test_pool, s, t->text, NULL);
    }
    return s;
}

/* Parse with expat (through apr_xml); NULL if not well-formed. */
static apr_xml_doc *parse_xml(const char *xml)
{
    apr_xml_parser *xp = apr_xml_parser_create(sc_test_pool);
    apr_xml_doc *doc = NULL;

    if (apr_xml_parser_feed(xp, xml, strlen(xml)) != APR_SUCCESS
        || apr_xml_parser_done(xp, &doc) != APR_SUCCESS) {
        return NULL;
    }
    return doc;
}

/* XML parsers turn CR and CRLF into LF; expect that. */
static const char *xml_newlines(const char *s)
{
    char *out = apr_pstrdup(sc_test_pool, s), *d = out;

    for (; *s; s++) {
        if (*s == '\r') {
            *d++ = '\n';
            s += (s[1] == '\n');
        }
        else {
            *d++ = *s;
        }
    }
    *d = '\0';
    return out;
}

START_TEST(parser_catches_bad_xml)
{
    /* Proof that the well-formedness checks below can fail. */
    ck_assert_ptr_null(parse_xml(DECL "<Response>&</Response>"));
    ck_assert_ptr_null(parse_xml(DECL "<Response>a<b</Response>"));
    ck_assert_ptr_null(parse_xml(DECL "<Response>\x01</Response>"));
    ck_assert_ptr_null(parse_xml(DECL "<Response>\xFF</Response>"));
    ck_assert_ptr_nonnull(parse_xml(DECL "<Response>ok</Response>"));
}
END_TEST

START_TEST(twiml_empty)
{
    apr_array_header_t *m = apr_array_make(sc_test_pool, 2,
                                           sizeof(const char *));

    ck_assert_str_eq(sc_twiml(sc_test_pool, NULL), DECL "<Response/>");
    ck_assert_str_eq(sc_twiml(sc_test_pool, m), DECL "<Response/>");
    APR_ARRAY_PUSH(m, const char *) = NULL;
    APR_ARRAY_PUSH(m, const char *) = "";
    APR_ARRAY_PUSH(m, const char *) = "\x01\x02";
    ck_assert_str_eq(sc_twiml(sc_test_pool, m), DECL "<Response/>");
    ck_assert_ptr_nonnull(parse_xml(sc_twiml(sc_test_pool, m)));
}
END_TEST

START_TEST(twiml_plain)
{
    apr_array_header_t *m = apr_array_make(sc_test_pool, 2,
                                           sizeof(const char *));

    APR_ARRAY_PUSH(m, const char *) = "0: folder,Docs";
    ck_assert_str_eq(sc_twiml(sc_test_pool, m),
                     DECL "<Response><Message>0: folder,Docs</Message>"
                     "</Response>");
}
END_TEST

START_TEST(twiml_hostile_names)
{
    static const char *const bodies[] = {
        "1: a&b <c> \"d\" 'e' ]]> <![CDATA[x]]> &amp; <Message>",
        "2: \x01\x02\x03\x04\x05\x06\x07\x08\x0B\x0C\x0E\x0F\x10\x11\x12"
        "\x13\x14\x15\x16\x17\x18\x19\x1A\x1B\x1C\x1D\x1E\x1F\x7F" "ctl",
        "3: tab\tnl\ncr\rcrlf\r\nend",
        "4: bad \xFF\xFE\xC0\xAF\xED\xA0\x80\xE2\x82 bytes",
        "5: emoji " EMOJI " \xF0\x9F\x93\x81 caf\xC3\xA9 \xE2\x80\xAE" "rtl",
        "6: https://x.test/f?a=1&b=2",
        "7: \xEF\xBF\xBE\xEF\xBF\xBF nonchars"
    };
    apr_array_header_t *m = apr_array_make(sc_test_pool, 8,
                                           sizeof(const char *));
    const apr_xml_elem *e;
    const char *xml;
    apr_xml_doc *doc;
    int i, n = (int)(sizeof(bodies) / sizeof(bodies[0]));

    for (i = 0; i < n; i++) {
        APR_ARRAY_PUSH(m, const char *) = bodies[i];
    }
    xml = sc_twiml(sc_test_pool, m);
    ck_assert(sc_test_utf8_valid(xml, strlen(xml)));
    ck_assert_ptr_null(strstr(xml, "]]>"));
    doc = parse_xml(xml);
    ck_assert_msg(doc != NULL, "not well-formed: %s", xml);
    ck_assert_str_eq(doc->root->name, "Response");
    for (i = 0, e = doc->root->first_child; e; e = e->next, i++) {
        const char *want = sc_text_sanitize(sc_test_pool, bodies[i],
                                            strlen(bodies[i]));

        ck_assert_int_lt(i, n);
        ck_assert_str_eq(e->name, "Message");
        ck_assert_ptr_null(e->first_child);
        ck_assert_str_eq(elem_text(e), xml_newlines(want));
    }
    ck_assert_int_eq(i, n);
    /* Spot checks that sanitizing did what the names need. */
    ck_assert_ptr_nonnull(strstr(xml, "<Message>2: ctl</Message>"));
    ck_assert_ptr_nonnull(strstr(xml, "a=1&amp;b=2"));
    ck_assert_ptr_nonnull(strstr(xml, "<Message>7:  nonchars</Message>"));
}
END_TEST

SC_UNIT_SUITE(sc_twiml_suite)

Suite *sc_twiml_suite(void)
{
    Suite *s = suite_create("twiml");
    TCase *tc = sc_tcase("twiml");

    tcase_add_test(tc, parser_catches_bad_xml);
    tcase_add_test(tc, twiml_empty);
    tcase_add_test(tc, twiml_plain);
    tcase_add_test(tc, twiml_hostile_names);
    suite_add_tcase(s, tc);
    return s;
}
