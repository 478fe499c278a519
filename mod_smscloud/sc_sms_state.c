/* sc_sms_state.c: the SMS conversation state and its JSON form. */
#include <string.h>

#include <apr_strings.h>

#include "sc_json.h"
#include "sc_sms_state.h"
#include "sc_xml.h"

static const char *const kind_names[] = { "account", "folder", "file" };

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

/* An object with the members every record has. */
static sc_json_t *record(apr_pool_t *p, const char *id, const char *name)
{
    sc_json_t *o = sc_json_new_object(p);

    if (o && (sc_json_sets(o, "id", id) != APR_SUCCESS
              || sc_json_sets(o, "name", name) != APR_SUCCESS)) {
        return NULL;
    }
    return o;
}

const char *sc_sms_folders_encode(apr_pool_t *p, const apr_array_header_t *folders)
{
    sc_json_t *arr = sc_json_new_array(p);
    int i;

    for (i = 0; arr && folders && i < folders->nelts; i++) {
        const sc_sms_folder_t *f = APR_ARRAY_IDX(folders, i, const sc_sms_folder_t *);
        sc_json_t *o = record(p, f->id, f->name);

        if (!o || sc_json_array_add(arr, o) != APR_SUCCESS) {
            return NULL;
        }
    }
    return sc_json_to_string(p, arr);
}

const char *sc_sms_listing_encode(apr_pool_t *p, const apr_array_header_t *listing)
{
    sc_json_t *arr = sc_json_new_array(p);
    int i;

    for (i = 0; arr && listing && i < listing->nelts; i++) {
        const sc_sms_entry_t *e = APR_ARRAY_IDX(listing, i, const sc_sms_entry_t *);
        sc_json_t *o = record(p, e->id, e->name);

        if (!o || sc_json_sets(o, "kind", kind_names[e->kind]) != APR_SUCCESS
            || sc_json_seti(o, "size", e->size) != APR_SUCCESS
            || sc_json_array_add(arr, o) != APR_SUCCESS) {
            return NULL;
        }
    }
    return sc_json_to_string(p, arr);
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

/* Builds one element from its checked id and name and the rest of its
 * object; NULL when the object is not a valid element. */
typedef void *(*element_fn)(apr_pool_t *p, const sc_json_t *o, const char *id,
                            const char *name);

/* Every element of a JSON array of records, or none at all: a damaged row
 * must degrade to the top level, never to half a listing. Names are
 * sanitized again because the row could have been written by anything
 * with database access. */
static apr_status_t decode_records(apr_pool_t *p, const char *json,
                                   element_fn make, apr_array_header_t **out)
{
    sc_json_t *arr = parse_array(p, json);
    apr_size_t i, n = sc_json_array_len(arr);

    *out = apr_array_make(p, (int)n + 1, sizeof(void *));
    if (!arr) {
        return APR_EINVAL;
    }
    for (i = 0; i < n; i++) {
        sc_json_t *o = sc_json_array_get(p, arr, i);
        const char *id = o ? sc_json_gets(p, o, "id", NULL) : NULL;
        const char *name = o ? sc_json_gets(p, o, "name", NULL) : NULL;
        void *elt;

        if (!id || !*id || !name
            || !(elt = make(p, o, id, sc_text_sanitize(p, name, strlen(name))))) {
            apr_array_clear(*out);
            return APR_EINVAL;
        }
        APR_ARRAY_PUSH(*out, void *) = elt;
    }
    return APR_SUCCESS;
}

static void *make_folder(apr_pool_t *p, const sc_json_t *o, const char *id,
                         const char *name)
{
    sc_sms_folder_t *f = apr_pcalloc(p, sizeof(*f));

    f->id = id;
    f->name = name;
    return f;
}

apr_status_t sc_sms_folders_decode(apr_pool_t *p, const char *json,
                                   apr_array_header_t **folders)
{
    return decode_records(p, json, make_folder, folders);
}

static int kind_from_name(const char *s, sc_sms_entry_kind_e *kind)
{
    int k;

    for (k = 0; s && k < (int)(sizeof(kind_names) / sizeof(kind_names[0])); k++) {
        if (!strcmp(s, kind_names[k])) {
            *kind = (sc_sms_entry_kind_e)k;
            return 1;
        }
    }
    return 0;
}

static void *make_entry(apr_pool_t *p, const sc_json_t *o, const char *id,
                        const char *name)
{
    sc_sms_entry_t *e = apr_pcalloc(p, sizeof(*e));

    if (!kind_from_name(sc_json_gets(p, o, "kind", NULL), &e->kind)) {
        return NULL;
    }
    e->id = id;
    e->name = name;
    if (!sc_json_geti(o, &e->size, "size", NULL)) {
        e->size = -1;
    }
    return e;
}

apr_status_t sc_sms_listing_decode(apr_pool_t *p, const char *json,
                                   apr_array_header_t **listing)
{
    return decode_records(p, json, make_entry, listing);
}
