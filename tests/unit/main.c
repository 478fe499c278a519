/* main.c: run every unit suite of the mod_smscloud core. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>

#include "sc_unit.h"
#include "sc_form.h"

apr_pool_t *sc_test_pool;

void sc_test_setup(void)
{
    ck_assert_int_eq(apr_pool_create(&sc_test_pool, NULL), APR_SUCCESS);
}

void sc_test_teardown(void)
{
    apr_pool_destroy(sc_test_pool);
    sc_test_pool = NULL;
}

TCase *sc_tcase(const char *name)
{
    TCase *tc = tcase_create(name);

    tcase_add_checked_fixture(tc, sc_test_setup, sc_test_teardown);
    return tc;
}

apr_array_header_t *sc_test_form(const char *text)
{
    apr_array_header_t *pairs = NULL;

    ck_assert_int_eq(sc_form_parse(sc_test_pool, text, strlen(text), 32, &pairs),
                     APR_SUCCESS);
    return pairs;
}

sc_storage_item_t *sc_test_item(const char *id, const char *name, int is_folder,
                                apr_int64_t size)
{
    sc_storage_item_t *it = apr_pcalloc(sc_test_pool, sizeof(*it));

    it->id = id;
    it->name = name;
    it->is_folder = is_folder;
    it->size = size;
    return it;
}

sc_sms_entry_t *sc_test_entry(const char *id, sc_sms_entry_kind_e kind, const char *name,
                              apr_int64_t size)
{
    sc_sms_entry_t *e = apr_pcalloc(sc_test_pool, sizeof(*e));

    e->id = id;
    e->kind = kind;
    e->name = name;
    e->size = size;
    return e;
}

/* Written from RFC 3629 table 3 separately from sc_text.c, so that a bug
 * there cannot hide itself in the tests. */
int sc_test_utf8_valid(const char *str, apr_size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    apr_size_t i = 0;

    while (i < len) {
        unsigned char c = s[i];
        apr_size_t need, k;
        unsigned int cp, min;

        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            need = 1, cp = c & 0x1F, min = 0x80;
        }
        else if ((c & 0xF0) == 0xE0) {
            need = 2, cp = c & 0x0F, min = 0x800;
        }
        else if ((c & 0xF8) == 0xF0) {
            need = 3, cp = c & 0x07, min = 0x10000;
        }
        else {
            return 0;
        }
        if (i + need >= len) {
            return 0;
        }
        for (k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
        i += need + 1;
    }
    return 1;
}

/* Filled by SC_UNIT_SUITE before main() runs. */
#define MAX_SUITES 64
static Suite *(*suites[MAX_SUITES])(void);
static int nsuites;

void sc_unit_register(Suite *(*make)(void))
{
    if (nsuites == MAX_SUITES) {
        fprintf(stderr, "sc_unit: more than %d suites: raise MAX_SUITES\n", MAX_SUITES);
        exit(EXIT_FAILURE);
    }
    suites[nsuites++] = make;
}

int main(void)
{
    SRunner *sr;
    int failed, i;

    if (apr_initialize() != APR_SUCCESS) {
        return EXIT_FAILURE;
    }
    sr = srunner_create(NULL);
    for (i = 0; i < nsuites; i++) {
        srunner_add_suite(sr, suites[i]());
    }
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
