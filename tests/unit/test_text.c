/* test_text.c: sanitizing, checking, trimming and escaping text, UTF-8
 * helpers and decimal ids (sc_text). */
#include <limits.h>
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_text.h"

#define FFFD "\xEF\xBF\xBD"
#define EMOJI "\xF0\x9F\x98\x80"     /* U+1F600 */

static const char *san(const char *s, apr_size_t len)
{
    return sc_text_sanitize(sc_test_pool, s, len);
}

#define SAN(lit) san((lit), sizeof(lit) - 1)

START_TEST(sanitize_keeps_good_text)
{
    ck_assert_str_eq(SAN("plain ASCII ~!"), "plain ASCII ~!");
    ck_assert_str_eq(SAN("caf\xC3\xA9 \xE2\x82\xAC " EMOJI " " FFFD),
                     "caf\xC3\xA9 \xE2\x82\xAC " EMOJI " " FFFD);
    /* C1 controls and U+10FFFF are legal XML 1.0 characters. */
    ck_assert_str_eq(SAN("\xC2\x85\xF4\x8F\xBF\xBF"),
                     "\xC2\x85\xF4\x8F\xBF\xBF");
    ck_assert_str_eq(san(NULL, 5), "");
    ck_assert_str_eq(san("abc", 0), "");
}
END_TEST

START_TEST(sanitize_drops_controls)
{
    char all[40];
    int c;

    for (c = 0; c < 32; c++) {
        all[c] = (char)c;
    }
    memcpy(all + 32, "x\x7Fy", 3);
    /* Every C0 (NUL included, thanks to the explicit length) goes but
     * tab, LF and CR; DEL goes too. */
    ck_assert_str_eq(san(all, 35), "\t\n\rxy");
    ck_assert_str_eq(SAN("a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c"), "abc");
}
END_TEST

START_TEST(sanitize_replaces_invalid)
{
    /* One U+FFFD per maximal invalid subpart (Unicode 3.9, Table 3-8). */
    ck_assert_str_eq(SAN("a\x80z"), "a" FFFD "z");
    ck_assert_str_eq(SAN("\xC0\xAF"), FFFD FFFD);             /* overlong / */
    ck_assert_str_eq(SAN("\xC1\xBF"), FFFD FFFD);
    ck_assert_str_eq(SAN("\xE0\x80\xAF"), FFFD FFFD FFFD);    /* overlong */
    ck_assert_str_eq(SAN("\xF0\x80\x80\xAF"), FFFD FFFD FFFD FFFD);
    ck_assert_str_eq(SAN("\xED\xA0\x80"), FFFD FFFD FFFD);    /* surrogate */
    ck_assert_str_eq(SAN("\xED\xBF\xBF"), FFFD FFFD FFFD);
    ck_assert_str_eq(SAN("\xF4\x90\x80\x80"), FFFD FFFD FFFD FFFD);
    ck_assert_str_eq(SAN("\xF5\xFE\xFF"), FFFD FFFD FFFD);
    ck_assert_str_eq(SAN("\xE2\x82"), FFFD);                  /* cut short */
    ck_assert_str_eq(SAN("\xE2\x82" "A"), FFFD "A");
    ck_assert_str_eq(SAN("\xF0\x9F\x98"), FFFD);
    ck_assert_str_eq(SAN("\xF0\x9F\x98" EMOJI), FFFD EMOJI);
    /* The length limits the read even inside a sequence. */
    ck_assert_str_eq(san(EMOJI, 2), FFFD);
}
END_TEST

/* Deterministic pseudo-random bytes: failures are reproducible. */
static apr_uint32_t lcg(apr_uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 16;
}

/* One assertion per string: Check reports every assertion's location to
 * the parent process, which is slow per byte over 20000 rounds. */
static int xml_clean(const char *out)
{
    apr_size_t i, n = strlen(out);

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];

        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
            return 0;
        }
    }
    return sc_test_utf8_valid(out, n) && !strstr(out, "\xEF\xBF\xBE")
           && !strstr(out, "\xEF\xBF\xBF");
}

START_TEST(sanitize_random_bytes)
{
    apr_uint32_t state = 20240601;
    char buf[64];
    int round;

    for (round = 0; round < 20000; round++) {
        apr_size_t len = lcg(&state) % sizeof(buf), i;
        const char *once, *twice;

        for (i = 0; i < len; i++) {
            /* Bias toward bytes that start or continue sequences. */
            apr_uint32_t r = lcg(&state);

            buf[i] = (char)((r & 1) ? 0x80 + (r >> 1) % 0x80 : r >> 1);
        }
        once = san(buf, len);
        twice = san(once, strlen(once));
        if (!xml_clean(once) || strcmp(twice, once) != 0) {
            ck_abort_msg("round %d: bad output for %lu input bytes", round,
                         (unsigned long)len);
        }
    }
}
END_TEST

/* What sanitizing would leave alone is clean; anything it would change is
 * not (the refusing twin of sc_text_sanitize and sc_text_oneline). */
START_TEST(is_clean)
{
    static const struct {
        const char *s;
        apr_size_t len;
        int clean, oneline;
    } cases[] = {
        { "", 0, 1, 1 },
        { "plain ~!", 8, 1, 1 },
        { "caf\xC3\xA9 " EMOJI " " FFFD, 14, 1, 1 },
        { "\xC2\x85\xF4\x8F\xBF\xBF", 6, 1, 1 },          /* C1, U+10FFFF */
        { "a\tb\r\n", 5, 1, 0 },
        { "a\0b", 3, 0, 0 },                              /* NUL within len */
        { "a\x01", 2, 0, 0 },
        { "a\x7F", 2, 0, 0 },
        { "\xEF\xBF\xBE", 3, 0, 0 },                      /* U+FFFE */
        { "a\x80z", 3, 0, 0 },
        { "\xC0\xAF", 2, 0, 0 },                          /* overlong */
        { "\xED\xA0\x80", 3, 0, 0 },                      /* surrogate */
        { "\xF4\x90\x80\x80", 4, 0, 0 },                  /* above U+10FFFF */
        { "\xE2\x82", 2, 0, 0 },                          /* cut */
    };
    apr_size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_msg(sc_text_is_clean(cases[i].s, cases[i].len, 0) == cases[i].clean,
                      "case %d", (int)i);
        ck_assert_msg(sc_text_is_clean(cases[i].s, cases[i].len, 1) == cases[i].oneline,
                      "case %d oneline", (int)i);
        /* the same answer as comparing with what sanitizing gives */
        ck_assert_int_eq(cases[i].clean,
                         strlen(san(cases[i].s, cases[i].len)) == cases[i].len
                         && !memcmp(san(cases[i].s, cases[i].len), cases[i].s, cases[i].len));
    }
    ck_assert_int_eq(sc_text_is_clean(NULL, 0, 0), 0);
}
END_TEST

START_TEST(trim)
{
    static const struct {
        const char *s, *kept;
    } cases[] = {
        { "", "" },
        { "   ", "" },
        { "a", "a" },
        { " \t\r\n a b \v\f", "a b" },
        { "\xC2\xA0x\xC2\xA0", "\xC2\xA0x\xC2\xA0" },    /* only ASCII blanks go */
    };
    apr_size_t i, n = 99;
    const char *t;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        t = sc_text_trim(cases[i].s, &n);
        ck_assert_str_eq(apr_pstrmemdup(sc_test_pool, t, n), cases[i].kept);
        ck_assert_ptr_eq(t, cases[i].s + strspn(cases[i].s, " \t\r\n\v\f"));
    }
    ck_assert_ptr_null(sc_text_trim(NULL, &n));
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(escape)
{
    ck_assert_str_eq(sc_xml_escape(sc_test_pool, "a & b < c > d \" e ' ]]>"),
                     "a &amp; b &lt; c &gt; d &quot; e &#39; ]]&gt;");
    ck_assert_str_eq(sc_xml_escape(sc_test_pool, "&amp;"), "&amp;amp;");
    ck_assert_str_eq(sc_xml_escape(sc_test_pool, "x\x01<\xFF"),
                     "x&lt;" FFFD);
    ck_assert_str_eq(sc_xml_escape(sc_test_pool, "caf\xC3\xA9"),
                     "caf\xC3\xA9");
    ck_assert_str_eq(sc_xml_escape(sc_test_pool, NULL), "");
}
END_TEST

START_TEST(utf8_len)
{
    ck_assert_uint_eq(sc_utf8_len(NULL), 0);
    ck_assert_uint_eq(sc_utf8_len(""), 0);
    ck_assert_uint_eq(sc_utf8_len("abc"), 3);
    ck_assert_uint_eq(sc_utf8_len("caf\xC3\xA9"), 4);
    ck_assert_uint_eq(sc_utf8_len(EMOJI EMOJI "\xE2\x82\xAC"), 3);
}
END_TEST

START_TEST(utf8_truncate)
{
    const char *mixed = "a\xC3\xA9" EMOJI "\xE2\x82\xAC" "bc" EMOJI;
    const char *hello = "hello";
    apr_size_t max;

    ck_assert_ptr_eq(sc_utf8_truncate(sc_test_pool, hello, 5), hello);
    ck_assert_str_eq(sc_utf8_truncate(sc_test_pool, "hello world", 5),
                     "hell\xE2\x80\xA6");
    ck_assert_str_eq(sc_utf8_truncate(sc_test_pool, EMOJI EMOJI EMOJI, 2),
                     EMOJI "\xE2\x80\xA6");
    ck_assert_str_eq(sc_utf8_truncate(sc_test_pool, "ab", 1),
                     "\xE2\x80\xA6");
    ck_assert_str_eq(sc_utf8_truncate(sc_test_pool, "ab", 0), "");
    ck_assert_str_eq(sc_utf8_truncate(sc_test_pool, NULL, 3), "");
    /* Every cut lands on a boundary and respects the limit. */
    for (max = 1; max <= 8; max++) {
        const char *t = sc_utf8_truncate(sc_test_pool, mixed, max);

        ck_assert(sc_test_utf8_valid(t, strlen(t)));
        ck_assert_uint_le(sc_utf8_len(t), max);
        ck_assert_uint_eq(sc_utf8_len(t), max < 7 ? max : 7);
    }
}
END_TEST

START_TEST(decimal_id)
{
    ck_assert_int_eq(sc_decimal_id_ok("1"), 1);
    ck_assert_int_eq(sc_decimal_id_ok("000000000000000042"), 1);
    ck_assert_int_eq(sc_decimal_id_ok("123456789012345678"), 1);
    ck_assert_int_eq(sc_decimal_id_ok("1234567890123456789"), 0);
    ck_assert_int_eq(sc_decimal_id_ok(""), 0);
    ck_assert_int_eq(sc_decimal_id_ok(NULL), 0);
    ck_assert_int_eq(sc_decimal_id_ok("-1"), 0);
    ck_assert_int_eq(sc_decimal_id_ok("+1"), 0);
    ck_assert_int_eq(sc_decimal_id_ok(" 1"), 0);
    ck_assert_int_eq(sc_decimal_id_ok("1\n"), 0);
    ck_assert_int_eq(sc_decimal_id_ok("1 OR 1=1"), 0);
    ck_assert_int_eq(sc_decimal_id_ok("\xd9\xa1"), 0);   /* ARABIC-INDIC ONE */
}
END_TEST

/* sc_text_oneline() is sc_text_sanitize() with tab, CR and LF as spaces,
 * for every byte alone, inside text and after a cut sequence. */
/* Text grown in the pool: many doublings, embedded NULs kept, the string
 * taken twice alike, and a length past the bound refused untouched. */
START_TEST(append)
{
    apr_array_header_t *t = apr_array_make(sc_test_pool, 1, 1);
    apr_array_header_t huge = { .pool = sc_test_pool, .elt_size = 1,
                                .nelts = INT_MAX / 2 - 4, .nalloc = INT_MAX / 2 - 4 };
    int i;

    ck_assert_str_eq(sc_text_string(t), "");
    for (i = 0; i < 1000; i++) {
        ck_assert_int_eq(sc_text_append(t, "abc", 3), APR_SUCCESS);
    }
    ck_assert_int_eq(sc_text_append(t, "\0z", 2), APR_SUCCESS);
    ck_assert_int_eq(t->nelts, 3002);
    ck_assert_uint_eq(strlen(sc_text_string(t)), 3000);
    ck_assert_int_eq(memcmp(sc_text_string(t) + 2997, "abc\0z", 6), 0);
    ck_assert_int_eq(t->nelts, 3002);
    ck_assert_int_eq(sc_text_append(t, "", 0), APR_SUCCESS);
    ck_assert_int_eq(sc_text_append(&huge, "12345", 5), APR_ENOSPC);
    ck_assert_int_eq(huge.nelts, INT_MAX / 2 - 4);
}
END_TEST

START_TEST(oneline_is_sanitize_on_one_line)
{
    static const char *const texts[] = {
        "", "plain", "a\tb\r\nc", "\n", "caf\xC3\xA9\n", "\xE2\x82\n", "\x01\x7F\x0B",
        "\xF0\x9F\x98\x80\t", "\xEF\xBF\xBE\r",
    };
    apr_size_t i;
    int c;

    for (i = 0; i < sizeof(texts) / sizeof(texts[0]) + 255; i++) {
        char byte[4] = { 'x', 0, 'y', '\0' };
        const char *s = i < sizeof(texts) / sizeof(texts[0]) ? texts[i] : byte;
        apr_size_t len = s == byte ? 3 : strlen(s);
        char *want;

        byte[1] = (char)(i - sizeof(texts) / sizeof(texts[0]) + 1);
        want = apr_pstrdup(sc_test_pool, sc_text_sanitize(sc_test_pool, s, len));
        for (c = 0; want[c]; c++) {
            if (want[c] == '\t' || want[c] == '\r' || want[c] == '\n') {
                want[c] = ' ';
            }
        }
        ck_assert_msg(!strcmp(sc_text_oneline(sc_test_pool, s, len), want), "case %d", (int)i);
    }
    ck_assert_str_eq(sc_text_oneline(sc_test_pool, NULL, 0), "");
}
END_TEST

SC_UNIT_SUITE(sc_text_suite)

Suite *sc_text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = sc_tcase("text");

    tcase_add_test(tc, sanitize_keeps_good_text);
    tcase_add_test(tc, sanitize_drops_controls);
    tcase_add_test(tc, sanitize_replaces_invalid);
    tcase_add_test(tc, sanitize_random_bytes);
    tcase_add_test(tc, is_clean);
    tcase_add_test(tc, trim);
    tcase_add_test(tc, escape);
    tcase_add_test(tc, utf8_len);
    tcase_add_test(tc, utf8_truncate);
    tcase_add_test(tc, decimal_id);
    tcase_add_test(tc, oneline_is_sanitize_on_one_line);
    tcase_add_test(tc, append);
    suite_add_tcase(s, tc);
    return s;
}
