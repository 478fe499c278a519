/* sc_sms_state.c: the SMS conversation state and its JSON form. */
#include <string.h>

#include <apr_strings.h>

#include "sc_json.h"
#include "sc_sms_state.h"
#include "sc_storage.h"
#include "sc_text.h"

/* Kinds in the stored listing: one letter each, to keep it compact. */
static const char kind_letters[] = { 'a', 'd', 'f' };

sc_sms_state_t *sc_sms_state_new(apr_pool_t *p)
{
    sc_sms_state_t *st = apr_pcalloc(p, sizeof(*st));

    sc_sms_state_reset(p, st);
    return st;
}

void sc_sms_state_reset(apr_pool_t *p, sc_sms_state_t *st)
{
    st->account_ref = NULL;
    st->folders = apr_array_make(p, 4, sizeof(sc_sms_folder_t *));
    st->listing = apr_array_make(p, 4, sizeof(sc_sms_entry_t *));
    st->next_index = 0;
}

/* Both are written, not built as sc_json_t values: a listing of hundreds of
 * entries would be thousands of json-c objects, only to be compared with
 * the stored text and mostly found unchanged. */
const char *sc_sms_folders_encode(apr_pool_t *p, const apr_array_header_t *folders)
{
    sc_json_writer_t *w = sc_json_writer_make(p);
    int i;

    sc_json_write_array(w);
    for (i = 0; folders && i < folders->nelts; i++) {
        const sc_sms_folder_t *f = APR_ARRAY_IDX(folders, i, const sc_sms_folder_t *);

        sc_json_write_object(w);
        sc_json_write_key(w, "id");
        sc_json_write_string(w, sc_storage_id_store(p, f->id));
        sc_json_write_key(w, "name");
        sc_json_write_string(w, f->name);
        sc_json_write_end(w);
    }
    sc_json_write_end(w);
    return sc_json_writer_text(w);
}

/* [kind, id, name] and, for a file of known size, the size. */
const char *sc_sms_listing_encode(apr_pool_t *p, const apr_array_header_t *listing)
{
    sc_json_writer_t *w = sc_json_writer_make(p);
    int i;

    sc_json_write_array(w);
    for (i = 0; listing && i < listing->nelts; i++) {
        const sc_sms_entry_t *e = APR_ARRAY_IDX(listing, i, const sc_sms_entry_t *);
        char kind[2] = { kind_letters[e->kind], '\0' };

        sc_json_write_array(w);
        sc_json_write_string(w, kind);
        sc_json_write_string(w, sc_storage_id_store(p, e->id));
        sc_json_write_string(w, e->name);
        if (e->kind == SC_ENTRY_FILE && e->size >= 0) {
            sc_json_write_int(w, e->size);
        }
        sc_json_write_end(w);
    }
    sc_json_write_end(w);
    return sc_json_writer_text(w);
}

/* The array in json, or NULL when json is not one. */
static sc_json_t *parse_array(apr_pool_t *p, const char *json)
{
    sc_json_t *j = NULL;

    if (!json || sc_json_parse(p, json, strlen(json), &j) != APR_SUCCESS
        || !sc_json_is_array(j)) {
        return NULL;
    }
    return j;
}

/* Builds one element from the JSON value at `o`; NULL when it is not a
 * valid element. */
typedef void *(*element_fn)(apr_pool_t *p, const sc_json_t *o);

/* Every element of a JSON array, or none at all: a damaged row must
 * degrade to the top level, never to half a listing. */
static apr_status_t decode_all(apr_pool_t *p, const char *json, element_fn make,
                               apr_array_header_t **out)
{
    sc_json_t *arr = parse_array(p, json);
    apr_size_t i, n = sc_json_array_len(arr);

    *out = apr_array_make(p, (int)n + 1, sizeof(void *));
    if (!arr) {
        return APR_EINVAL;
    }
    for (i = 0; i < n; i++) {
        sc_json_t *o = sc_json_array_get(p, arr, i);
        void *elt = o ? make(p, o) : NULL;

        if (!elt) {
            apr_array_clear(*out);
            return APR_EINVAL;
        }
        APR_ARRAY_PUSH(*out, void *) = elt;
    }
    return APR_SUCCESS;
}

/* Names are sanitized again because the row could have been written by
 * anything with database access. */
static const char *clean_name(apr_pool_t *p, const char *name)
{
    return name ? sc_text_sanitize(p, name, strlen(name)) : NULL;
}

static void *make_folder(apr_pool_t *p, const sc_json_t *o)
{
    sc_sms_folder_t *f = apr_pcalloc(p, sizeof(*f));

    f->id = sc_storage_id_load(p, sc_json_gets(p, o, "id", NULL));
    f->name = clean_name(p, sc_json_gets(p, o, "name", NULL));
    return f->id && f->name ? f : NULL;
}

apr_status_t sc_sms_folders_decode(apr_pool_t *p, const char *json,
                                   apr_array_header_t **folders)
{
    return decode_all(p, json, make_folder, folders);
}

static int kind_from_letter(const char *s, sc_sms_entry_kind_e *kind)
{
    int k;

    for (k = 0; s && s[0] && !s[1] && k < (int)sizeof(kind_letters); k++) {
        if (s[0] == kind_letters[k]) {
            *kind = (sc_sms_entry_kind_e)k;
            return 1;
        }
    }
    return 0;
}

/* The string at position i of a JSON array. */
static const char *tuple_string(apr_pool_t *p, const sc_json_t *t, apr_size_t i)
{
    sc_json_t *v = sc_json_array_get(p, t, i);

    return v ? sc_json_gets(p, v, NULL) : NULL;
}

static void *make_entry(apr_pool_t *p, const sc_json_t *t)
{
    sc_sms_entry_t *e = apr_pcalloc(p, sizeof(*e));
    apr_size_t n = sc_json_array_len(t);
    sc_json_t *size;

    if ((n != 3 && n != 4) || !kind_from_letter(tuple_string(p, t, 0), &e->kind)) {
        return NULL;
    }
    e->id = sc_storage_id_load(p, tuple_string(p, t, 1));
    e->name = clean_name(p, tuple_string(p, t, 2));
    e->size = -1;
    if (n == 4 && (!(size = sc_json_array_get(p, t, 3))
                   || !sc_json_geti(size, &e->size, NULL) || e->size < 0)) {
        return NULL;
    }
    return e->id && e->name ? e : NULL;
}

apr_status_t sc_sms_listing_decode(apr_pool_t *p, const char *json,
                                   apr_array_header_t **listing)
{
    return decode_all(p, json, make_entry, listing);
}
