/* test_template.c: page templates and SMS brace substitution. */
#include <string.h>

#include "sc_unit.h"
#include "sc_template.h"

static const sc_template_t *parse_ok(const char *text)
{
    sc_template_t *t = NULL;
    const char *err = NULL;

    ck_assert_int_eq(sc_template_parse(sc_test_pool, text, strlen(text), &t, &err),
                     APR_SUCCESS);
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_null(err);
    return t;
}

static const char *parse_err(const char *text)
{
    sc_template_t *t = (sc_template_t *)1;
    const char *err = NULL;

    ck_assert_int_eq(sc_template_parse(sc_test_pool, text, strlen(text), &t, &err),
                     APR_EINVAL);
    ck_assert_ptr_null(t);
    ck_assert_ptr_nonnull(err);
    return err;
}

START_TEST(plain_text_unchanged)
{
    sc_tvars_t *v = sc_tvars_make(sc_test_pool);

    ck_assert_str_eq(sc_template_render(sc_test_pool, parse_ok(""), v), "");
    ck_assert_str_eq(sc_template_render(sc_test_pool,
                     parse_ok("<p>a { b } c}} {x</p>"), v), "<p>a { b } c}} {x</p>");
}
END_TEST

START_TEST(values_are_escaped)
{
    sc_tvars_t *v = sc_tvars_make(sc_test_pool);

    sc_tvars_set(v, "name", "<script>alert('x')</script> & \"q\"");
    sc_tvars_set(v, "n2", "ok");
    ck_assert_str_eq(sc_template_render(sc_test_pool,
                     parse_ok("<b title=\"{{name}}\">{{n2}}</b>"), v),
                     "<b title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
                     "&amp; &quot;q&quot;\">ok</b>");
}
END_TEST

START_TEST(missing_value_is_empty)
{
    sc_tvars_t *v = sc_tvars_make(sc_test_pool);

    sc_tvars_set(v, "null", NULL);
    ck_assert_str_eq(sc_template_render(sc_test_pool,
                     parse_ok("[{{nope}}][{{null}}]"), v), "[][]");
}
END_TEST

START_TEST(sections_repeat_and_hide)
{
    const sc_template_t *t =
        parse_ok("<ul>{{#items}}<li>{{name}}@{{org}}</li>{{/items}}</ul>"
                 "{{#error}}<p>{{error_text}}</p>{{/error}}");
    sc_tvars_t *v = sc_tvars_make(sc_test_pool);

    sc_tvars_set(v, "org", "O&O");
    ck_assert_str_eq(sc_template_render(sc_test_pool, t, v), "<ul></ul>");
    sc_tvars_set(sc_tvars_add(v, "items"), "name", "a");
    sc_tvars_set(sc_tvars_add(v, "items"), "name", "<b>");
    ck_assert_str_eq(sc_template_render(sc_test_pool, t, v),
                     "<ul><li>a@O&amp;O</li><li>&lt;b&gt;@O&amp;O</li></ul>");
    /* a one-item list with no values of its own is an "if" */
    sc_tvars_add(v, "error");
    sc_tvars_set(v, "error_text", "bad");
    ck_assert_str_eq(sc_template_render(sc_test_pool, t, v),
                     "<ul><li>a@O&amp;O</li><li>&lt;b&gt;@O&amp;O</li></ul><p>bad</p>");
}
END_TEST

START_TEST(nested_sections)
{
    const sc_template_t *t = parse_ok("{{#a}}({{x}}{{#b}}[{{y}}{{x}}]{{/b}}){{/a}}");
    sc_tvars_t *v = sc_tvars_make(sc_test_pool);
    sc_tvars_t *a1 = sc_tvars_add(v, "a");

    sc_tvars_set(a1, "x", "1");
    sc_tvars_set(sc_tvars_add(a1, "b"), "y", "p");
    sc_tvars_set(sc_tvars_add(a1, "b"), "y", "q");
    sc_tvars_set(sc_tvars_add(v, "a"), "x", "2");
    ck_assert_str_eq(sc_template_render(sc_test_pool, t, v), "(1[p1][q1])(2)");
}
END_TEST

START_TEST(syntax_errors)
{
    ck_assert_str_eq(parse_err("ab\n{{name"), "line 2: unclosed {{");
    ck_assert_str_eq(parse_err("{{}}"), "line 1: bad or empty name in {{...}}");
    parse_err("{{na me}}");
    parse_err("{{<b>}}");
    parse_err("{{#}}");
    parse_err("{{/a}}");
    parse_err("{{#a}}x");
    parse_err("{{#a}}{{#b}}{{/a}}{{/b}}");
    parse_err("{{#1}}{{#2}}{{#3}}{{#4}}{{#5}}{{#6}}{{#7}}{{#8}}{{#9}}"
              "{{/9}}{{/8}}{{/7}}{{/6}}{{/5}}{{/4}}{{/3}}{{/2}}{{/1}}");
    parse_ok("{{#1}}{{#2}}{{#3}}{{#4}}{{#5}}{{#6}}{{#7}}{{#8}}"
             "{{/8}}{{/7}}{{/6}}{{/5}}{{/4}}{{/3}}{{/2}}{{/1}}");
}
END_TEST

START_TEST(length_not_nul)
{
    sc_template_t *t = NULL;
    const char *err = NULL;
    sc_tvars_t *v = sc_tvars_make(sc_test_pool);

    sc_tvars_set(v, "a", "A");
    /* only the first 5 bytes count: the rest would be an unclosed tag */
    ck_assert_int_eq(sc_template_parse(sc_test_pool, "{{a}}{{b", 5, &t, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(sc_template_render(sc_test_pool, t, v), "A");
}
END_TEST

START_TEST(braces_subst)
{
    static const char *const names[] = { "org", "code", "minutes" };
    static const char *const values[] = { "Acme", "012345", "10" };

    ck_assert_str_eq(sc_braces_subst(sc_test_pool,
                     "{org}: your login code is {code}. It expires in {minutes} minutes.",
                     3, names, values),
                     "Acme: your login code is 012345. It expires in 10 minutes.");
    ck_assert_str_eq(sc_braces_subst(sc_test_pool, "{x} {{code}} {co{code} }{", 3,
                     names, values), "{x} {012345} {co012345 }{");
    ck_assert_str_eq(sc_braces_subst(sc_test_pool, "{code}{code}", 3, names, values),
                     "012345012345");
    ck_assert_str_eq(sc_braces_subst(sc_test_pool, NULL, 3, names, values), "");
}
END_TEST

SC_UNIT_SUITE(sc_template_suite)

Suite *sc_template_suite(void)
{
    Suite *s = suite_create("template");
    TCase *tc = sc_tcase("template");

    tcase_add_test(tc, plain_text_unchanged);
    tcase_add_test(tc, values_are_escaped);
    tcase_add_test(tc, missing_value_is_empty);
    tcase_add_test(tc, sections_repeat_and_hide);
    tcase_add_test(tc, nested_sections);
    tcase_add_test(tc, syntax_errors);
    tcase_add_test(tc, length_not_nul);
    tcase_add_test(tc, braces_subst);
    suite_add_tcase(s, tc);
    return s;
}
