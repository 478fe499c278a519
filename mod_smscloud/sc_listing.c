/* sc_listing.c: what `ls` shows, in which order, with which numbers. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "sc_listing.h"
#include "sc_paging.h"
#include "sc_storage.h"
#include "sc_text.h"

static int entry_cmp(const void *a, const void *b)
{
    const sc_sms_entry_t *x = *(const sc_sms_entry_t *const *)a;
    const sc_sms_entry_t *y = *(const sc_sms_entry_t *const *)b;
    int c;

    if (x->kind != y->kind) {
        return x->kind == SC_ENTRY_FOLDER ? -1 : 1;
    }
    if ((c = strcasecmp(x->name, y->name)) != 0) {
        return c;
    }
    if ((c = strcmp(x->name, y->name)) != 0) {
        return c;
    }
    return strcmp(x->id, y->id);
}

apr_array_header_t *sc_listing_from_items(apr_pool_t *p,
                                          const apr_array_header_t *items)
{
    int i, n = items ? items->nelts : 0;
    apr_array_header_t *out = apr_array_make(p, n + 1, sizeof(sc_sms_entry_t *));

    for (i = 0; i < n; i++) {
        const sc_storage_item_t *it = APR_ARRAY_IDX(items, i, const sc_storage_item_t *);
        sc_sms_entry_t *e = apr_pcalloc(p, sizeof(*e));

        /* an item without an id cannot be opened or linked: leave it out */
        if (!it || !it->id || !*it->id) {
            continue;
        }
        e->id = it->id;
        /* a provider may hand back raw bytes (a local file name need not
         * be UTF-8): the name is shown, stored and sorted as text */
        e->name = it->name ? sc_text_sanitize(p, it->name, strlen(it->name)) : "";
        e->kind = it->is_folder ? SC_ENTRY_FOLDER : SC_ENTRY_FILE;
        e->size = it->is_folder ? -1 : it->size;
        APR_ARRAY_PUSH(out, sc_sms_entry_t *) = e;
    }
    qsort(out->elts, out->nelts, sizeof(sc_sms_entry_t *), entry_cmp);
    return out;
}

/* A name on one line: a newline inside it would look like another entry. */
static const char *one_line_name(apr_pool_t *p, const char *raw)
{
    const char *name = sc_text_oneline(p, raw, strlen(raw));

    return *name ? name : "(no name)";
}

static const char *entry_line(apr_pool_t *p, int number, const sc_sms_entry_t *e)
{
    const char *name = one_line_name(p, e->name);

    switch (e->kind) {
    case SC_ENTRY_FOLDER:
        return apr_psprintf(p, "%d %s/", number, name);
    case SC_ENTRY_FILE:
        if (e->size >= 0) {
            return apr_psprintf(p, "%d %s (%s)", number, name,
                                sc_human_size(p, e->size));
        }
        break;
    case SC_ENTRY_ACCOUNT:
        break;
    }
    return apr_psprintf(p, "%d %s", number, name);
}

const char *sc_listing_line(apr_pool_t *p, const apr_array_header_t *listing, int i)
{
    return entry_line(p, i + 1, APR_ARRAY_IDX(listing, i, const sc_sms_entry_t *));
}

apr_array_header_t *sc_listing_lines(apr_pool_t *p,
                                     const apr_array_header_t *listing)
{
    int i, n = listing ? listing->nelts : 0;
    apr_array_header_t *lines = apr_array_make(p, n + 1, sizeof(const char *));

    for (i = 0; i < n; i++) {
        APR_ARRAY_PUSH(lines, const char *) = sc_listing_line(p, listing, i);
    }
    return lines;
}

static const char *page_line(apr_pool_t *p, const void *listing, int i)
{
    return sc_listing_line(p, listing, i);
}

const char *sc_listing_page(apr_pool_t *p, const apr_array_header_t *listing, int start,
                            apr_size_t max_chars, int *next)
{
    return sc_page_build_lines(p, page_line, listing, listing ? listing->nelts : 0, start,
                               max_chars, next);
}
