/* test_paging.c: sizes and SMS pages. */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_paging.h"
#include "sc_text.h"

#define EMOJI "\xF0\x9F\x98\x80"

static apr_array_header_t *lines_make(void)
{
    return apr_array_make(sc_test_pool, 16, sizeof(const char *));
}

static void lines_add(apr_array_header_t *a, const char *s)
{
    APR_ARRAY_PUSH(a, const char *) = s;
}

static char *repeat(const char *unit, int times)
{
    apr_size_t n = strlen(unit);
    char *s = apr_palloc(sc_test_pool, n * times + 1);
    int i;

    for (i = 0; i < times; i++) {
        memcpy(s + n * i, unit, n);
    }
    s[n * times] = '\0';
    return s;
}

START_TEST(human_size)
{
    apr_pool_t *p = sc_test_pool;

    ck_assert_str_eq(sc_human_size(p, 0), "0 B");
    ck_assert_str_eq(sc_human_size(p, 999), "999 B");
    ck_assert_str_eq(sc_human_size(p, 1023), "1023 B");
    ck_assert_str_eq(sc_human_size(p, 1024), "1.0 KB");
    ck_assert_str_eq(sc_human_size(p, 1229), "1.2 KB");
    ck_assert_str_eq(sc_human_size(p, 2516582), "2.4 MB");
    ck_assert_str_eq(sc_human_size(p, APR_INT64_C(1073741824)), "1.0 GB");
    /* Just under a unit must not print "1024.0 KB". */
    ck_assert_str_eq(sc_human_size(p, 1048575), "1.0 MB");
    ck_assert_str_eq(sc_human_size(p, APR_INT64_C(5) << 40), "5.0 TB");
    ck_assert_str_eq(sc_human_size(p, APR_INT64_MAX), "8.0 EB");
    ck_assert_str_eq(sc_human_size(p, -1), "?");
    ck_assert_str_eq(sc_human_size(p, APR_INT64_MIN), "?");
}
END_TEST

/* Split a page into its lines and the footer count (-1 if no footer). */
static int page_split(const char *page, apr_array_header_t *out)
{
    char *copy = apr_pstrdup(sc_test_pool, page), *line, *last;
    int more = -1;

    for (line = apr_strtok(copy, "\n", &last); line;
         line = apr_strtok(NULL, "\n", &last)) {
        if (strncmp(line, "(reply MORE for ", 16) == 0) {
            ck_assert_int_eq(more, -1);
            more = atoi(line + 16);
            ck_assert_str_eq(strchr(line + 16, ' '), " more)");
        }
        else {
            ck_assert_int_eq(more, -1);     /* footer comes last */
            lines_add(out, line);
        }
    }
    return more;
}

/* Page through everything; each page within max, every line exactly once
 * and in order, footer counts right. Returns the number of pages. */
static int page_all(const apr_array_header_t *lines, apr_size_t max)
{
    apr_array_header_t *seen = lines_make();
    int start = 0, next, pages = 0, i;

    while (start < lines->nelts) {
        const char *page = sc_page_build(sc_test_pool, lines, start, max,
                                         &next);
        int more = page_split(page, seen);

        ck_assert_uint_le(sc_utf8_len(page), max);
        ck_assert_int_gt(next, start);
        ck_assert_int_eq(seen->nelts, next);
        ck_assert_int_eq(more, next < lines->nelts ? lines->nelts - next
                                                   : -1);
        start = next;
        pages++;
    }
    ck_assert_int_eq(seen->nelts, lines->nelts);
    for (i = 0; i < lines->nelts; i++) {
        ck_assert_str_eq(APR_ARRAY_IDX(seen, i, const char *),
                         APR_ARRAY_IDX(lines, i, const char *));
    }
    return pages;
}

START_TEST(listing_500_lines)
{
    apr_array_header_t *lines = lines_make();
    int i, pages;

    for (i = 0; i < 500; i++) {
        lines_add(lines, apr_psprintf(sc_test_pool, "%d: %sfile-%d.txt %s",
                                      i + 1, i % 7 ? "" : EMOJI " ",
                                      i * 37,
                                      sc_human_size(sc_test_pool, i * 999)));
    }
    pages = page_all(lines, 1600);
    ck_assert_int_gt(pages, 5);
    ck_assert_int_lt(pages, 20);
}
END_TEST

/* 10 emoji = 10 code points (40 bytes). k lines + footer for 200 - k:
 * 11k - 1 + len("\n(reply MORE for 57 more)") = 1597 at k = 143; at
 * k = 144 it is 1608. Counting bytes would stop near k = 38. */
START_TEST(emoji_count_as_code_points)
{
    apr_array_header_t *lines = lines_make();
    const char *page;
    int i, next = -1;

    for (i = 0; i < 200; i++) {
        lines_add(lines, repeat(EMOJI, 10));
    }
    page = sc_page_build(sc_test_pool, lines, 0, 1600, &next);
    ck_assert_int_eq(next, 143);
    ck_assert_uint_eq(sc_utf8_len(page), 1597);
    ck_assert(sc_test_utf8_valid(page, strlen(page)));
    page_all(lines, 1600);
}
END_TEST

START_TEST(long_line_cut)
{
    apr_array_header_t *lines = lines_make();
    const char *page;
    int next = -1;

    lines_add(lines, repeat("x", 2000));
    lines_add(lines, "b");
    /* 1600 - len("\n(reply MORE for 1 more)") = 1576 chars of line. */
    page = sc_page_build(sc_test_pool, lines, 0, 1600, &next);
    ck_assert_int_eq(next, 1);
    ck_assert_uint_eq(sc_utf8_len(page), 1600);
    ck_assert_str_eq(page, apr_pstrcat(sc_test_pool, repeat("x", 1575),
                                       "\xE2\x80\xA6",
                                       "\n(reply MORE for 1 more)", NULL));
    page = sc_page_build(sc_test_pool, lines, 1, 1600, &next);
    ck_assert_str_eq(page, "b");
    ck_assert_int_eq(next, 2);

    /* The only line left: no footer, cut to the limit. */
    lines->nelts = 1;
    page = sc_page_build(sc_test_pool, lines, 0, 1600, &next);
    ck_assert_str_eq(page, apr_pstrcat(sc_test_pool, repeat("x", 1599),
                                       "\xE2\x80\xA6", NULL));
    ck_assert_int_eq(next, 1);
}
END_TEST

START_TEST(exact_fits)
{
    apr_array_header_t *lines = lines_make();
    const char *page;
    int next = -1;

    lines_add(lines, repeat("a", 799));
    lines_add(lines, repeat("b", 800));
    page = sc_page_build(sc_test_pool, lines, 0, 1600, &next);
    ck_assert_uint_eq(strlen(page), 1600);
    ck_assert_int_eq(next, 2);
    ck_assert_ptr_null(strstr(page, "MORE"));

    /* The last page needs no footer, so it may fit where "one line +
     * footer" would not: 1580 + 1 + 10 = 1591 <= 1592 < 1580 + 24. */
    apr_array_clear(lines);
    lines_add(lines, repeat("a", 1580));
    lines_add(lines, repeat("b", 10));
    page = sc_page_build(sc_test_pool, lines, 0, 1592, &next);
    ck_assert_int_eq(next, 2);
    ck_assert_uint_eq(strlen(page), 1591);
}
END_TEST

START_TEST(edges)
{
    apr_array_header_t *lines = lines_make();
    const char *page;
    int next = -1, i;

    ck_assert_str_eq(sc_page_build(sc_test_pool, NULL, 0, 1600, &next), "");
    ck_assert_int_eq(next, 0);
    ck_assert_str_eq(sc_page_build(sc_test_pool, lines, 0, 1600, &next), "");
    ck_assert_int_eq(next, 0);
    lines_add(lines, "one");
    lines_add(lines, NULL);
    lines_add(lines, "three");
    ck_assert_str_eq(sc_page_build(sc_test_pool, lines, 3, 1600, &next), "");
    ck_assert_int_eq(next, 3);
    ck_assert_str_eq(sc_page_build(sc_test_pool, lines, 99, 1600, &next), "");
    ck_assert_int_eq(next, 3);
    ck_assert_str_eq(sc_page_build(sc_test_pool, lines, -5, 1600, &next),
                     "one\n\nthree");
    ck_assert_int_eq(next, 3);
    ck_assert_str_eq(sc_page_build(sc_test_pool, lines, 1, 1600, NULL),
                     "\nthree");

    /* Too small even for the footer: still progress, never over max. */
    apr_array_clear(lines);
    for (i = 0; i < 5; i++) {
        lines_add(lines, "abcdefghijklmnopqrstuvwxyz");
    }
    page = sc_page_build(sc_test_pool, lines, 0, 10, &next);
    ck_assert_str_eq(page, "abcdefghi\xE2\x80\xA6");
    ck_assert_int_eq(next, 1);
    page = sc_page_build(sc_test_pool, lines, 0, 0, &next);
    ck_assert_str_eq(page, "");
    ck_assert_int_eq(next, 1);
    /* Room for footer plus one character. */
    page = sc_page_build(sc_test_pool, lines, 0, 25, &next);
    ck_assert_str_eq(page, "\xE2\x80\xA6\n(reply MORE for 4 more)");
}
END_TEST

/* Lines made on demand, counted. */
typedef struct {
    const apr_array_header_t *lines;
    int made;
    int last;
} counted_t;

static const char *counted_line(apr_pool_t *p, const void *baton, int i)
{
    counted_t *c = (counted_t *)baton;

    (void)p;
    c->made++;
    c->last = i;
    return APR_ARRAY_IDX(c->lines, i, const char *);
}

/* Code points of lines[from..to) joined with '\n'. */
static apr_size_t joined_len(const apr_array_header_t *lines, int from, int to)
{
    apr_size_t n = 0;
    int i;

    for (i = from; i < to; i++) {
        n += sc_utf8_len(APR_ARRAY_IDX(lines, i, const char *)) + (i > from ? 1 : 0);
    }
    return n;
}

/* Every page the lazy build makes is sc_page_build's, and it makes the
 * lines shown and those after them only up to the one that passed the
 * limit, each once. */
START_TEST(lines_made_on_demand)
{
    static const apr_size_t sizes[] = { 1600, 160, 40, 12, 1 };
    apr_array_header_t *lines = lines_make();
    counted_t c = { lines, 0, -1 };
    int i, k;

    for (i = 0; i < 300; i++) {
        lines_add(lines, i % 11 ? apr_psprintf(sc_test_pool, "%d report-%03d.txt (9 B)",
                                               i + 1, i)
                                : repeat(EMOJI, i % 50));
    }
    lines_add(lines, NULL);
    for (k = 0; k < (int)(sizeof(sizes) / sizeof(sizes[0])); k++) {
        int start = 0, next, lazy_next;

        while (start <= lines->nelts) {
            const char *page = sc_page_build(sc_test_pool, lines, start, sizes[k], &next);

            c.made = 0;
            c.last = -1;
            ck_assert_str_eq(sc_page_build_lines(sc_test_pool, counted_line, &c, lines->nelts,
                                                 start, sizes[k], &lazy_next), page);
            ck_assert_int_eq(lazy_next, next);
            if (start < lines->nelts) {
                ck_assert_int_ge(c.made, next - start);
                ck_assert_int_eq(c.last, start + c.made - 1);
                ck_assert_uint_le(joined_len(lines, start, start + c.made - 1), sizes[k]);
            }
            else {
                ck_assert_int_eq(c.made, 0);
            }
            if (next == start) {
                break;
            }
            start = next;
        }
    }
    /* nothing to page */
    ck_assert_str_eq(sc_page_build_lines(sc_test_pool, counted_line, &c, 0, 0, 1600, &i), "");
    ck_assert_int_eq(i, 0);
}
END_TEST

SC_UNIT_SUITE(sc_paging_suite)

Suite *sc_paging_suite(void)
{
    Suite *s = suite_create("paging");
    TCase *tc = sc_tcase("paging");

    tcase_add_test(tc, human_size);
    tcase_add_test(tc, listing_500_lines);
    tcase_add_test(tc, emoji_count_as_code_points);
    tcase_add_test(tc, long_line_cut);
    tcase_add_test(tc, exact_fits);
    tcase_add_test(tc, edges);
    tcase_add_test(tc, lines_made_on_demand);
    suite_add_tcase(s, tc);
    return s;
}
