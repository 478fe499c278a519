/* fuzz_sms_state.c: the SMS conversation state read back from the
 * database (sc_sms_state.h), and the listing lines made from it
 * (sc_listing.h).
 *
 * Input: a byte that picks folders or listing, then the JSON of the row.
 * Anything with database access could have written the row, so a decoded
 * state must be whole or empty, hold only sanitized names, and survive
 * being written back and read again unchanged. */
#include <stdio.h>
#include <string.h>

#include <apr_strings.h>

#include "harness.h"
#include "sc_listing.h"
#include "sc_sms_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* How to read, write, check and compare the elements of one column. */
typedef struct {
    apr_status_t (*decode)(apr_pool_t *p, const char *json, apr_array_header_t **out);
    const char *(*encode)(apr_pool_t *p, const apr_array_header_t *elts);
    void (*check)(const void *elt);
    int (*same)(const void *a, const void *b);
} column_t;

static void check_record(const char *id, const char *name)
{
    FZ_ASSERT(id && *id);
    FZ_ASSERT(name && fz_text_clean(name, strlen(name), 0));
}

static void check_folder(const void *elt)
{
    const sc_sms_folder_t *f = elt;

    check_record(f->id, f->name);
}

static int same_folder(const void *a, const void *b)
{
    const sc_sms_folder_t *f = a, *g = b;

    return strcmp(f->id, g->id) == 0 && strcmp(f->name, g->name) == 0;
}

static void check_entry(const void *elt)
{
    const sc_sms_entry_t *e = elt;

    check_record(e->id, e->name);
    FZ_ASSERT(e->kind == SC_ENTRY_ACCOUNT || e->kind == SC_ENTRY_FOLDER
              || e->kind == SC_ENTRY_FILE);
}

static int same_entry(const void *a, const void *b)
{
    const sc_sms_entry_t *e = a, *g = b;

    return strcmp(e->id, g->id) == 0 && strcmp(e->name, g->name) == 0
           && e->kind == g->kind && e->size == g->size;
}

static const column_t folders = {
    sc_sms_folders_decode, sc_sms_folders_encode, check_folder, same_folder
};
static const column_t listing = {
    sc_sms_listing_decode, sc_sms_listing_encode, check_entry, same_entry
};

/* Decode, check, write back and read again: the same elements, and the
 * same text the second time. */
static apr_array_header_t *fuzz_column(apr_pool_t *p, const column_t *c,
                                       const char *json)
{
    apr_array_header_t *elts = NULL, *again = NULL;
    const char *enc;
    int i;

    if (c->decode(p, json, &elts) != APR_SUCCESS) {
        FZ_ASSERT(elts && elts->nelts == 0);
        return elts;
    }
    for (i = 0; i < elts->nelts; i++) {
        c->check(APR_ARRAY_IDX(elts, i, const void *));
    }
    enc = c->encode(p, elts);
    FZ_ASSERT(enc && c->decode(p, enc, &again) == APR_SUCCESS);
    FZ_ASSERT(again->nelts == elts->nelts);
    for (i = 0; i < elts->nelts; i++) {
        FZ_ASSERT(c->same(APR_ARRAY_IDX(elts, i, const void *),
                          APR_ARRAY_IDX(again, i, const void *)));
    }
    FZ_ASSERT(strcmp(c->encode(p, again), enc) == 0);
    return elts;
}

/* What `ls` and `more` show: one clean line per entry, numbered from 1. */
static void check_lines(apr_pool_t *p, const apr_array_header_t *entries)
{
    apr_array_header_t *lines = sc_listing_lines(p, entries);
    int i;

    FZ_ASSERT(lines->nelts == entries->nelts);
    for (i = 0; i < lines->nelts; i++) {
        const char *line = APR_ARRAY_IDX(lines, i, const char *);
        char number[16];

        snprintf(number, sizeof(number), "%d ", i + 1);
        FZ_ASSERT(strncmp(line, number, strlen(number)) == 0);
        FZ_ASSERT(fz_text_clean(line, strlen(line), 1));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_begin();
    unsigned pick = fz_take_byte(&data, &size);
    /* a database text column: a C string */
    const char *json = apr_pstrmemdup(p, (const char *)data, size);

    if (pick % 2) {
        check_lines(p, fuzz_column(p, &listing, json));
    }
    else {
        fuzz_column(p, &folders, json);
    }

    fz_end(p);
    return 0;
}
