/* test_json.c - sc_json: parsing limits, typed getters, builders, the writer. */

#include <string.h>
#include <stdlib.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_json.h"

static sc_json_t *parse_ok(const char *text)
{
    sc_json_t *j = NULL;

    ck_assert_int_eq(sc_json_parse(sc_test_pool, text, strlen(text), &j), APR_SUCCESS);
    ck_assert_ptr_nonnull(j);
    return j;
}

static void parse_bad(const char *text, apr_size_t len)
{
    sc_json_t *j = (sc_json_t *)1;

    ck_assert_int_eq(sc_json_parse(sc_test_pool, text, len, &j), APR_EINVAL);
    ck_assert_ptr_null(j);
}

START_TEST(test_parse_malformed)
{
    parse_bad("", 0);
    parse_bad("   \n", 4);
    parse_bad("{", 1);
    parse_bad("{\"a\":}", 6);
    parse_bad("[1,]", 4);
    parse_bad("nan", 3);
    parse_bad("{\"a\":1} x", 9);
    parse_bad("{\"a\":1}{\"b\":2}", 14);
    parse_bad("<html>502 Bad Gateway</html>", 28);
    /* A raw NUL is never valid JSON text. */
    parse_bad("{\"a\":1}\0", 8);
    parse_bad("{\"a\":\"x\0y\"}", 11);
}
END_TEST

START_TEST(test_parse_truncated)
{
    const char *full = "{\"page\":1,\"objects\":[{\"id\":\"a\",\"name\":\"x\"}],\"next_page\":2}";
    apr_size_t n = strlen(full), i;

    ck_assert_ptr_nonnull(parse_ok(full));
    for (i = 1; i < n; i++) {
        sc_json_t *j = NULL;
        ck_assert_msg(sc_json_parse(sc_test_pool, full, i, &j) == APR_EINVAL,
                      "prefix of %u bytes accepted", (unsigned)i);
    }
    parse_bad("tru", 3);
    parse_bad("\"abc", 4);
}
END_TEST

START_TEST(test_parse_len_respected)
{
    /* Only the first len bytes count: the rest of the buffer must not be
     * looked at, whether it would complete or spoil the value. */
    const char *buf = "{\"a\":12}GARBAGE";
    sc_json_t *j = NULL;
    apr_int64_t v = 0;
    char *exact;

    ck_assert_int_eq(sc_json_parse(sc_test_pool, buf, 8, &j), APR_SUCCESS);
    ck_assert(sc_json_geti(j, &v, "a", NULL));
    ck_assert_int_eq(v, 12);
    ck_assert_int_eq(sc_json_parse(sc_test_pool, "12345", 2, &j), APR_SUCCESS);
    ck_assert(sc_json_geti(j, &v, NULL));
    ck_assert_int_eq(v, 12);

    /* An unterminated heap buffer: valgrind/ASan would flag a read past it. */
    exact = malloc(7);
    memcpy(exact, "[1,2,3]", 7);
    ck_assert_int_eq(sc_json_parse(sc_test_pool, exact, 7, &j), APR_SUCCESS);
    ck_assert_int_eq(sc_json_array_len(j), 3);
    ck_assert_int_eq(sc_json_parse(sc_test_pool, exact, 6, &j), APR_EINVAL);
    free(exact);
}
END_TEST

static const char *brackets(int n, char c)
{
    char *s = apr_palloc(sc_test_pool, (apr_size_t)n + 1);

    memset(s, c, (apr_size_t)n);
    s[n] = '\0';
    return s;
}

START_TEST(test_parse_depth)
{
    char *deep;
    int d;

    /* SC_JSON_MAX_DEPTH levels are fine, one more is refused, whether the
     * innermost container holds a value or not (json-c counts only the
     * first kind; fuzz_kloudless found "[[...[]...]]" one level deeper). */
    for (d = SC_JSON_MAX_DEPTH - 1; d <= SC_JSON_MAX_DEPTH + 1; d++) {
        static const char *const inner[] = { "1", "", "{}", "{\"a\":[]}" };
        apr_size_t k;

        for (k = 0; k < sizeof(inner) / sizeof(inner[0]); k++) {
            sc_json_t *j = NULL;
            int containers = d + (inner[k][0] == '{') + (strchr(inner[k], '[') != NULL);
            const char *s = apr_pstrcat(sc_test_pool,
                                        brackets(d, '['), inner[k], brackets(d, ']'), NULL);

            ck_assert_msg(sc_json_parse(sc_test_pool, s, strlen(s), &j)
                          == (containers <= SC_JSON_MAX_DEPTH ? APR_SUCCESS : APR_EINVAL),
                          "%d containers around \"%s\"", d, inner[k]);
        }
    }
    /* A hostile answer: 100000 open brackets must fail fast, not crash. */
    deep = apr_palloc(sc_test_pool, 100000);
    memset(deep, '[', 100000);
    parse_bad(deep, 100000);
    memset(deep, '{', 1);
    parse_bad(deep, 100000);
}
END_TEST

START_TEST(test_gets)
{
    sc_json_t *j = parse_ok("{\"s\":\"hello\",\"i\":1234567890,\"neg\":-5,"
                            "\"n\":null,\"b\":true,\"d\":1.5,\"o\":{\"k\":\"v\"},"
                            "\"a\":[1],\"nul\":\"a\\u0000b\",\"u\":\"caf\\u00e9\"}");

    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "s", NULL), "hello");
    /* Kloudless account ids are integers. */
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "i", NULL), "1234567890");
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "neg", NULL), "-5");
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "o", "k", NULL), "v");
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "u", NULL), "caf\xc3\xa9");
    ck_assert_ptr_null(sc_json_gets(sc_test_pool, j, "missing", NULL));
    ck_assert_ptr_null(sc_json_gets(sc_test_pool, j, "n", NULL));
    ck_assert_ptr_null(sc_json_gets(sc_test_pool, j, "b", NULL));
    ck_assert_ptr_null(sc_json_gets(sc_test_pool, j, "d", NULL));
    ck_assert_ptr_null(sc_json_gets(sc_test_pool, j, "o", NULL));
    ck_assert_ptr_null(sc_json_gets(sc_test_pool, j, "a", NULL));
    ck_assert_ptr_null(sc_json_gets(sc_test_pool, j, "s", "deeper", NULL));
    ck_assert_ptr_null(sc_json_gets(sc_test_pool, j, "n", "deeper", NULL));
    ck_assert_ptr_null(sc_json_gets(sc_test_pool, NULL, "s", NULL));
    /* Cut at the NUL it would be another name; refused instead. */
    ck_assert_ptr_null(sc_json_gets(sc_test_pool, j, "nul", NULL));
}
END_TEST

START_TEST(test_getsn)
{
    sc_json_t *j = parse_ok("{\"nul\":\"a\\u0000b\",\"i\":3}");
    apr_size_t len = 0;
    const char *s = sc_json_getsn(sc_test_pool, j, &len, "nul", NULL);

    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(len, 3);
    ck_assert(memcmp(s, "a\0b", 3) == 0);
    ck_assert_ptr_null(sc_json_getsn(sc_test_pool, j, &len, "i", NULL));
    ck_assert_ptr_null(sc_json_getsn(sc_test_pool, j, &len, "x", NULL));
}
END_TEST

START_TEST(test_geti_types)
{
    sc_json_t *j = parse_ok("{\"i\":42,\"s\":\"17\",\"neg\":\"-3\",\"sp\":\" 5\","
                            "\"hex\":\"0x10\",\"tail\":\"12a\",\"empty\":\"\","
                            "\"d\":2.0,\"b\":false,\"n\":null,\"o\":{}}");
    apr_int64_t v = 99;

    ck_assert(sc_json_geti(j, &v, "i", NULL));
    ck_assert_int_eq(v, 42);
    ck_assert(sc_json_geti(j, &v, "s", NULL));
    ck_assert_int_eq(v, 17);
    ck_assert(sc_json_geti(j, &v, "neg", NULL));
    ck_assert_int_eq(v, -3);
    v = 99;
    ck_assert(!sc_json_geti(j, &v, "sp", NULL));
    ck_assert(!sc_json_geti(j, &v, "hex", NULL));
    ck_assert(!sc_json_geti(j, &v, "tail", NULL));
    ck_assert(!sc_json_geti(j, &v, "empty", NULL));
    ck_assert(!sc_json_geti(j, &v, "d", NULL));
    ck_assert(!sc_json_geti(j, &v, "b", NULL));
    ck_assert(!sc_json_geti(j, &v, "n", NULL));
    ck_assert(!sc_json_geti(j, &v, "o", NULL));
    ck_assert(!sc_json_geti(j, &v, "missing", NULL));
    ck_assert_int_eq(v, 99);
}
END_TEST

START_TEST(test_huge_numbers)
{
    sc_json_t *j = parse_ok("{\"max\":9223372036854775807,"
                            "\"over\":9223372036854775808,"
                            "\"u64max\":18446744073709551615,"
                            "\"huge\":123456789012345678901234567890,"
                            "\"min\":-9223372036854775807,"
                            "\"under\":-9223372036854775809,"
                            "\"shuge\":\"99999999999999999999\","
                            "\"exp\":1e400}");
    apr_int64_t v = 0;

    ck_assert(sc_json_geti(j, &v, "max", NULL));
    ck_assert(v == APR_INT64_MAX);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "max", NULL), "9223372036854775807");
    ck_assert(sc_json_geti(j, &v, "min", NULL));
    ck_assert(v == -APR_INT64_MAX);
    /* json-c clamps what does not fit; a clamped id would be a wrong id. */
    ck_assert(!sc_json_geti(j, &v, "over", NULL));
    ck_assert(!sc_json_geti(j, &v, "u64max", NULL));
    ck_assert(!sc_json_geti(j, &v, "huge", NULL));
    ck_assert(!sc_json_geti(j, &v, "under", NULL));
    ck_assert(!sc_json_geti(j, &v, "shuge", NULL));
    ck_assert(!sc_json_geti(j, &v, "exp", NULL));
    ck_assert_ptr_null(sc_json_gets(sc_test_pool, j, "huge", NULL));
    ck_assert_ptr_null(sc_json_gets(sc_test_pool, j, "under", NULL));
    ck_assert_ptr_null(sc_json_gets(sc_test_pool, j, "over", NULL));
    /* As a string it is just a string. */
    ck_assert_str_eq(sc_json_gets(sc_test_pool, j, "shuge", NULL), "99999999999999999999");
}
END_TEST

START_TEST(test_getb_has)
{
    sc_json_t *j = parse_ok("{\"t\":true,\"f\":false,\"s\":\"true\",\"i\":1,\"n\":null}");

    ck_assert(sc_json_has(j, "t", NULL));
    ck_assert(!sc_json_has(j, "n", NULL));
    ck_assert(!sc_json_has(j, "x", NULL));
    ck_assert(sc_json_has(j, NULL));
}
END_TEST

START_TEST(test_arrays_and_sub_objects)
{
    sc_json_t *j = parse_ok("{\"objects\":[{\"id\":\"a\"},null,{\"id\":\"c\"}],\"o\":{\"x\":1}}");
    sc_json_t *arr, *el, *o;
    apr_pool_t *sub;

    arr = sc_json_getj(sc_test_pool, j, "objects", NULL);
    ck_assert(sc_json_is_array(arr));
    ck_assert(!sc_json_is_object(arr));
    ck_assert_uint_eq(sc_json_array_len(arr), 3);
    el = sc_json_array_get(sc_test_pool, arr, 0);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, el, "id", NULL), "a");
    ck_assert_ptr_null(sc_json_array_get(sc_test_pool, arr, 1));
    ck_assert_ptr_null(sc_json_array_get(sc_test_pool, arr, 3));
    ck_assert_ptr_null(sc_json_array_get(sc_test_pool, j, 0));
    ck_assert_uint_eq(sc_json_array_len(j), 0);
    ck_assert_uint_eq(sc_json_array_len(NULL), 0);

    /* A sub-value holds its own reference: it outlives the parent's sc_test_pool. */
    apr_pool_create(&sub, sc_test_pool);
    ck_assert_int_eq(sc_json_parse(sub, "{\"o\":{\"x\":5}}", 13, &j), APR_SUCCESS);
    o = sc_json_getj(sc_test_pool, j, "o", NULL);
    apr_pool_destroy(sub);
    ck_assert(sc_json_is_object(o));
    ck_assert_str_eq(sc_json_gets(sc_test_pool, o, "x", NULL), "5");
    ck_assert_ptr_null(sc_json_getj(sc_test_pool, o, "missing", NULL));
}
END_TEST

START_TEST(test_build_roundtrip)
{
    sc_json_t *o = sc_json_new_object(sc_test_pool);
    sc_json_t *a = sc_json_new_array(sc_test_pool);
    sc_json_t *item = sc_json_new_object(sc_test_pool);
    sc_json_t *back = NULL;
    const char *text;
    apr_int64_t v = 0;

    ck_assert_int_eq(sc_json_sets(o, "pwd", "fold/\"x\"\n\xc3\xa9"), APR_SUCCESS);
    ck_assert_int_eq(sc_json_seti(o, "page", 3), APR_SUCCESS);
    ck_assert_int_eq(sc_json_seti(o, "big", APR_INT64_MAX), APR_SUCCESS);
    ck_assert_int_eq(sc_json_setb(o, "authed", 1), APR_SUCCESS);
    ck_assert_int_eq(sc_json_sets(o, "gone", NULL), APR_SUCCESS);
    ck_assert_int_eq(sc_json_sets(item, "id", "file_1"), APR_SUCCESS);
    ck_assert_int_eq(sc_json_array_add(a, item), APR_SUCCESS);
    ck_assert_int_eq(sc_json_array_adds(a, "plain"), APR_SUCCESS);
    ck_assert_int_eq(sc_json_setj(o, "choices", a), APR_SUCCESS);

    /* Wrong container types and self-references are refused. */
    ck_assert_int_eq(sc_json_sets(a, "k", "v"), APR_EINVAL);
    ck_assert_int_eq(sc_json_array_add(o, item), APR_EINVAL);
    ck_assert_int_eq(sc_json_array_add(a, a), APR_EINVAL);
    ck_assert_int_eq(sc_json_setj(o, "self", o), APR_EINVAL);
    ck_assert_int_eq(sc_json_sets(NULL, "k", "v"), APR_EINVAL);

    text = sc_json_to_string(sc_test_pool, o);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_null(strchr(text, '\n'));     /* compact, newline escaped */
    ck_assert_ptr_nonnull(strstr(text, "\"pwd\":\"fold/\\\"x\\\"\\n\xc3\xa9\""));
    ck_assert_ptr_nonnull(strstr(text, "\"gone\":null"));

    ck_assert_int_eq(sc_json_parse(sc_test_pool, text, strlen(text), &back), APR_SUCCESS);
    ck_assert_str_eq(sc_json_gets(sc_test_pool, back, "pwd", NULL), "fold/\"x\"\n\xc3\xa9");
    ck_assert(sc_json_geti(back, &v, "page", NULL));
    ck_assert_int_eq(v, 3);
    ck_assert(sc_json_geti(back, &v, "big", NULL));
    ck_assert(v == APR_INT64_MAX);
    ck_assert_str_eq(sc_json_to_string(sc_test_pool, sc_json_getj(sc_test_pool, back, "authed",
                                                                  NULL)), "true");
    ck_assert_str_eq(sc_json_gets(sc_test_pool, sc_json_array_get(sc_test_pool,
                     sc_json_getj(sc_test_pool, back, "choices", NULL), 0), "id", NULL), "file_1");
    ck_assert_ptr_null(sc_json_to_string(sc_test_pool, NULL));
}
END_TEST

START_TEST(test_pool_cleanup_order)
{
    /* Objects shared between containers made in different pools must
     * survive whichever sc_test_pool goes first. */
    apr_pool_t *a, *b;
    sc_json_t *arr, *item;

    apr_pool_create(&a, sc_test_pool);
    apr_pool_create(&b, sc_test_pool);
    arr = sc_json_new_array(a);
    item = sc_json_new_object(b);
    ck_assert_int_eq(sc_json_sets(item, "k", "v"), APR_SUCCESS);
    ck_assert_int_eq(sc_json_array_add(arr, item), APR_SUCCESS);
    apr_pool_destroy(b);
    ck_assert_str_eq(sc_json_to_string(sc_test_pool, arr), "[{\"k\":\"v\"}]");
    apr_pool_destroy(a);
}
END_TEST

/* The writer gives the text the builders would, byte for byte: a stored
 * listing written either way compares equal. */
START_TEST(test_writer_same_text)
{
    static const char *const names[] = {
        "plain", "", "fold/\"x\"\n\xc3\xa9", "back\\slash", "tab\tbell\x07", "\x1f end",
        "a longer name than the ones before it, to grow the escaper", "x"
    };
    sc_json_t *arr = sc_json_new_array(sc_test_pool);
    sc_json_writer_t *w = sc_json_writer_make(sc_test_pool);
    apr_size_t i;

    sc_json_write_array(w);
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        sc_json_t *o = sc_json_new_object(sc_test_pool);
        sc_json_t *t = sc_json_new_array(sc_test_pool);

        ck_assert_int_eq(sc_json_sets(o, names[i], names[i]), APR_SUCCESS);
        ck_assert_int_eq(sc_json_seti(o, "n", (apr_int64_t)i - 3), APR_SUCCESS);
        ck_assert_int_eq(sc_json_sets(o, "gone", NULL), APR_SUCCESS);
        ck_assert_int_eq(sc_json_array_adds(t, names[i]), APR_SUCCESS);
        ck_assert_int_eq(sc_json_array_addi(t, i ? APR_INT64_MAX : APR_INT64_MIN), APR_SUCCESS);
        ck_assert_int_eq(sc_json_setj(o, "t", t), APR_SUCCESS);
        ck_assert_int_eq(sc_json_array_add(arr, o), APR_SUCCESS);

        sc_json_write_object(w);
        sc_json_write_key(w, names[i]);
        sc_json_write_string(w, names[i]);
        sc_json_write_key(w, "n");
        sc_json_write_int(w, (apr_int64_t)i - 3);
        sc_json_write_key(w, "gone");
        sc_json_write_string(w, NULL);
        sc_json_write_key(w, "t");
        sc_json_write_array(w);
        sc_json_write_string(w, names[i]);
        sc_json_write_int(w, i ? APR_INT64_MAX : APR_INT64_MIN);
        sc_json_write_end(w);
        sc_json_write_end(w);
    }
    ck_assert_int_eq(sc_json_array_add(arr, sc_json_new_array(sc_test_pool)), APR_SUCCESS);
    ck_assert_int_eq(sc_json_array_add(arr, sc_json_new_object(sc_test_pool)), APR_SUCCESS);
    sc_json_write_array(w);
    sc_json_write_end(w);
    sc_json_write_object(w);
    sc_json_write_end(w);
    sc_json_write_end(w);
    ck_assert_str_eq(sc_json_writer_text(w), sc_json_to_string(sc_test_pool, arr));
}
END_TEST

/* The text outgrows the writer's first buffer many times over, once by a
 * single string longer than all that came before it. */
START_TEST(test_writer_long_text)
{
    sc_json_t *arr = sc_json_new_array(sc_test_pool);
    sc_json_writer_t *w = sc_json_writer_make(sc_test_pool);
    char *huge = apr_palloc(sc_test_pool, 5001);
    int i;

    memset(huge, 'h', 5000);
    huge[5000] = '\0';
    sc_json_write_array(w);
    for (i = 0; i < 700; i++) {
        const char *name = i == 350 ? huge : apr_psprintf(sc_test_pool, "%0*d", i % 40 + 1, i);

        ck_assert_int_eq(sc_json_array_adds(arr, name), APR_SUCCESS);
        sc_json_write_string(w, name);
    }
    sc_json_write_end(w);
    ck_assert_str_eq(sc_json_writer_text(w), sc_json_to_string(sc_test_pool, arr));
    ck_assert_uint_gt(strlen(sc_json_writer_text(w)), 20000);
}
END_TEST

/* Every byte, alone and inside a string: the writer copies what needs no
 * escaping itself and hands the rest to json-c, to the same text. */
START_TEST(test_writer_every_byte)
{
    int c;

    for (c = 1; c < 256; c++) {
        char alone[2] = { (char)c, '\0' };
        const char *inside = apr_psprintf(sc_test_pool, "a%cb/", c);
        sc_json_t *arr = sc_json_new_array(sc_test_pool);
        sc_json_writer_t *w = sc_json_writer_make(sc_test_pool);

        ck_assert_int_eq(sc_json_array_adds(arr, alone), APR_SUCCESS);
        ck_assert_int_eq(sc_json_array_adds(arr, inside), APR_SUCCESS);
        sc_json_write_array(w);
        sc_json_write_string(w, alone);
        sc_json_write_string(w, inside);
        sc_json_write_end(w);
        ck_assert_msg(!strcmp(sc_json_writer_text(w), sc_json_to_string(sc_test_pool, arr)),
                      "byte %d: %s", c, sc_json_writer_text(w));
    }
}
END_TEST

/* depth empty arrays, each inside the one before */
static const char *nested_arrays(int depth)
{
    sc_json_writer_t *w = sc_json_writer_make(sc_test_pool);
    int i;

    for (i = 0; i < depth; i++) {
        sc_json_write_array(w);
    }
    for (i = 0; i < depth; i++) {
        sc_json_write_end(w);
    }
    return sc_json_writer_text(w);
}

/* A writer driven by steps: [ and { open, ] closes, k is the key "k", 0 a
 * NULL key, s the string "v", i the integer 1. */
static const char *written(const char *steps)
{
    sc_json_writer_t *w = sc_json_writer_make(sc_test_pool);

    for (; *steps; steps++) {
        switch (*steps) {
        case '[': sc_json_write_array(w); break;
        case '{': sc_json_write_object(w); break;
        case ']': sc_json_write_end(w); break;
        case 'k': sc_json_write_key(w, "k"); break;
        case '0': sc_json_write_key(w, NULL); break;
        case 's': sc_json_write_string(w, "v"); break;
        case 'i': sc_json_write_int(w, 1); break;
        default: ck_abort_msg("unknown writer step '%c'", *steps);
        }
    }
    return sc_json_writer_text(w);
}

/* A writer that was used wrongly gives no text at all, never half of one. */
START_TEST(test_writer_misuse)
{
    static const struct {
        const char *steps;
        const char *why;
    } wrong[] = {
        { "",     "nothing written" },
        { "si",   "a second value at the top" },
        { "[k]",  "a key in an array" },
        { "{s]",  "a value without its key" },
        { "{kk]", "two keys in a row" },
        { "{k]",  "a key without its value" },
        { "{0]",  "a NULL key" },
        { "[",    "left open" },
        { "[]]",  "nothing open" },
    };
    size_t i;

    ck_assert_str_eq(written("s"), "\"v\"");
    ck_assert_str_eq(written("{ki]"), "{\"k\":1}");
    for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
        ck_assert_msg(written(wrong[i].steps) == NULL, "%s (%s) gave text", wrong[i].why,
                      wrong[i].steps);
    }
    ck_assert_ptr_nonnull(nested_arrays(SC_JSON_MAX_DEPTH));
    ck_assert_ptr_null(nested_arrays(SC_JSON_MAX_DEPTH + 1));
}
END_TEST

/* Also in sc_unit.h; repeated so this file stands alone. */
SC_UNIT_SUITE(sc_json_suite)

Suite *sc_json_suite(void)
{
    Suite *s = suite_create("sc_json");
    TCase *tc = sc_tcase("json");

    tcase_add_test(tc, test_parse_malformed);
    tcase_add_test(tc, test_parse_truncated);
    tcase_add_test(tc, test_parse_len_respected);
    tcase_add_test(tc, test_parse_depth);
    tcase_add_test(tc, test_gets);
    tcase_add_test(tc, test_getsn);
    tcase_add_test(tc, test_geti_types);
    tcase_add_test(tc, test_huge_numbers);
    tcase_add_test(tc, test_getb_has);
    tcase_add_test(tc, test_arrays_and_sub_objects);
    tcase_add_test(tc, test_build_roundtrip);
    tcase_add_test(tc, test_pool_cleanup_order);
    tcase_add_test(tc, test_writer_same_text);
    tcase_add_test(tc, test_writer_long_text);
    tcase_add_test(tc, test_writer_every_byte);
    tcase_add_test(tc, test_writer_misuse);
    suite_add_tcase(s, tc);
    return s;
}
