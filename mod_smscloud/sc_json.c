/* sc_json.c - json-c behind a pool-tied handle (see sc_json.h). */

#include <stdarg.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>

#include <apr_strings.h>
#include <apr_tables.h>

#include <json-c/json.h>

#include "sc_json.h"
#include "sc_text.h"

/* The text sc_json_to_string() and the writer give: compact, and "/" as
 * itself (ids and URLs are full of them). */
#define TEXT_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

struct sc_json_t
{
    json_object *o;
};

/* ------------------------------------------------------------------------ */
/* lifetime */

static apr_status_t json_drop(void *data)
{
    sc_json_t *j = data;

    if (j->o) {
        json_object_put(j->o);
        j->o = NULL;
    }
    return APR_SUCCESS;
}

/* Takes over one reference to o; the cleanup is registered before anything
 * else can fail so the reference cannot leak. */
static sc_json_t *json_wrap(apr_pool_t *p, json_object *o)
{
    sc_json_t *j = apr_pcalloc(p, sizeof(*j));

    j->o = o;
    apr_pool_cleanup_register(p, j, json_drop, apr_pool_cleanup_null);
    return j;
}

/* ------------------------------------------------------------------------ */
/* parsing */

static int only_space(const char *s, apr_size_t len)
{
    apr_size_t i;

    for (i = 0; i < len; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') {
            return 0;
        }
    }
    return 1;
}

/* Containers nested in o, o included. json-c's own limit counts a value
 * inside the innermost container as a level but an empty container as
 * none, so "[[...[]...]]" passes it one level deeper than "[[...[1]...]]";
 * this count holds both to SC_JSON_MAX_DEPTH. json-c's limit bounds the
 * recursion. */
static int nesting(json_object *o)
{
    int deepest = 0, d;
    size_t i, n;

    if (json_object_is_type(o, json_type_array)) {
        n = json_object_array_length(o);
        for (i = 0; i < n; i++) {
            d = nesting(json_object_array_get_idx(o, i));
            deepest = d > deepest ? d : deepest;
        }
        return deepest + 1;
    }
    if (json_object_is_type(o, json_type_object)) {
        json_object_object_foreach(o, key, val) {
            (void)key;
            d = nesting(val);
            deepest = d > deepest ? d : deepest;
        }
        return deepest + 1;
    }
    return 0;
}

apr_status_t sc_json_parse(apr_pool_t *p, const char *data, apr_size_t len,
                           sc_json_t **out)
{
    struct json_tokener *tok = NULL;
    json_object *o = NULL;
    apr_status_t rv = APR_EINVAL;
    size_t end;

    *out = NULL;
    /* json-c takes an int length. A NUL byte cannot occur in valid JSON
     * text, and json-c would treat it as the end of input. */
    if (!data || len == 0 || len > INT_MAX || memchr(data, '\0', len)) {
        goto leave;
    }
    /* json-c counts the innermost value as a level too. */
    tok = json_tokener_new_ex(SC_JSON_MAX_DEPTH + 1);
    if (!tok) {
        rv = APR_ENOMEM;
        goto leave;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    o = json_tokener_parse_ex(tok, data, (int)len);
    if (!o && json_tokener_get_error(tok) == json_tokener_continue) {
        /* A bare number may still be growing; a NUL byte tells the
         * tokener the input is complete, and anything unfinished
         * (a truncated object) now fails. */
        o = json_tokener_parse_ex(tok, "", 1);
        if (!o) {
            goto leave;
        }
        end = len;
    }
    else {
        if (!o || json_tokener_get_error(tok) != json_tokener_success) {
            goto leave;
        }
        end = json_tokener_get_parse_end(tok);
    }
    if (end > len || !only_space(data + end, len - end)
        || nesting(o) > SC_JSON_MAX_DEPTH) {
        goto leave;
    }
    *out = json_wrap(p, o);
    o = NULL;
    rv = APR_SUCCESS;

leave:
    if (o) {
        json_object_put(o);
    }
    if (tok) {
        json_tokener_free(tok);
    }
    return rv;
}

/* ------------------------------------------------------------------------ */
/* reading */

static json_object *walk(const sc_json_t *j, va_list ap)
{
    json_object *cur;
    const char *key;

    if (!j) {
        return NULL;
    }
    cur = j->o;
    while ((key = va_arg(ap, const char *)) != NULL) {
        if (!cur || !json_object_is_type(cur, json_type_object)
            || !json_object_object_get_ex(cur, key, &cur)) {
            return NULL;
        }
    }
    return cur;
}

/* json-c saturates out-of-range integers to INT64_MIN or UINT64_MAX
 * instead of failing, so both bounds are refused: a clamped value would
 * silently name the wrong account or size. */
static int int_value(json_object *o, apr_int64_t *out)
{
    int64_t v;

    if (!o || !json_object_is_type(o, json_type_int)) {
        return 0;
    }
    v = json_object_get_int64(o);
    if (v == INT64_MIN) {
        return 0;
    }
    if (v == INT64_MAX && json_object_get_uint64(o) != (uint64_t)INT64_MAX) {
        return 0;
    }
    *out = (apr_int64_t)v;
    return 1;
}

/* A decimal integer and nothing else: no blanks, no sign other than a
 * leading '-', no hex, no exponent. */
static int numeric_string(const char *s, apr_int64_t *out)
{
    const char *d = (*s == '-') ? s + 1 : s;
    char *end = NULL;
    apr_int64_t v;

    if (*d < '0' || *d > '9') {
        return 0;
    }
    errno = 0;
    v = apr_strtoi64(s, &end, 10);
    if (errno != 0 || !end || *end != '\0') {
        return 0;
    }
    *out = v;
    return 1;
}

/* The string value of o when it has no embedded NUL (a string cut at a NUL
 * would be a different name or id than the server meant). */
static const char *plain_string(json_object *o)
{
    const char *s;
    int len;

    if (!o || !json_object_is_type(o, json_type_string)) {
        return NULL;
    }
    s = json_object_get_string(o);
    len = json_object_get_string_len(o);
    if (!s || len < 0 || strlen(s) != (size_t)len) {
        return NULL;
    }
    return s;
}

const char *sc_json_gets(apr_pool_t *p, const sc_json_t *j, ...)
{
    json_object *o;
    const char *s;
    apr_int64_t v;
    va_list ap;

    va_start(ap, j);
    o = walk(j, ap);
    va_end(ap);
    if ((s = plain_string(o)) != NULL) {
        return apr_pstrdup(p, s);
    }
    if (int_value(o, &v)) {
        return apr_psprintf(p, "%" APR_INT64_T_FMT, v);
    }
    return NULL;
}

const char *sc_json_getsn(apr_pool_t *p, const sc_json_t *j, apr_size_t *len, ...)
{
    json_object *o;
    int n;
    va_list ap;

    va_start(ap, len);
    o = walk(j, ap);
    va_end(ap);
    if (!o || !json_object_is_type(o, json_type_string)
        || (n = json_object_get_string_len(o)) < 0) {
        return NULL;
    }
    *len = (apr_size_t)n;
    return apr_pstrmemdup(p, json_object_get_string(o), (apr_size_t)n);
}

int sc_json_geti(const sc_json_t *j, apr_int64_t *out, ...)
{
    json_object *o;
    const char *s;
    va_list ap;

    va_start(ap, out);
    o = walk(j, ap);
    va_end(ap);
    if (int_value(o, out)) {
        return 1;
    }
    if ((s = plain_string(o)) != NULL) {
        return numeric_string(s, out);
    }
    return 0;
}

sc_json_t *sc_json_getj(apr_pool_t *p, const sc_json_t *j, ...)
{
    json_object *o;
    va_list ap;

    va_start(ap, j);
    o = walk(j, ap);
    va_end(ap);
    if (!o) {
        return NULL;
    }
    return json_wrap(p, json_object_get(o));
}

int sc_json_has(const sc_json_t *j, ...)
{
    json_object *o;
    va_list ap;

    va_start(ap, j);
    o = walk(j, ap);
    va_end(ap);
    return o != NULL;
}

int sc_json_is_object(const sc_json_t *j)
{
    return j && j->o && json_object_is_type(j->o, json_type_object);
}

int sc_json_is_array(const sc_json_t *j)
{
    return j && j->o && json_object_is_type(j->o, json_type_array);
}

apr_size_t sc_json_array_len(const sc_json_t *j)
{
    if (!sc_json_is_array(j)) {
        return 0;
    }
    return json_object_array_length(j->o);
}

sc_json_t *sc_json_array_get(apr_pool_t *p, const sc_json_t *j, apr_size_t i)
{
    json_object *o;

    if (i >= sc_json_array_len(j)) {
        return NULL;
    }
    o = json_object_array_get_idx(j->o, i);
    if (!o) {
        return NULL;
    }
    return json_wrap(p, json_object_get(o));
}

/* ------------------------------------------------------------------------ */
/* building */

sc_json_t *sc_json_new_object(apr_pool_t *p)
{
    json_object *o = json_object_new_object();

    return o ? json_wrap(p, o) : NULL;
}

sc_json_t *sc_json_new_array(apr_pool_t *p)
{
    json_object *o = json_object_new_array();

    return o ? json_wrap(p, o) : NULL;
}

/* Consumes the reference to val whatever happens. */
static apr_status_t set_value(sc_json_t *j, const char *key, json_object *val)
{
    if (!sc_json_is_object(j) || !key) {
        json_object_put(val);
        return APR_EINVAL;
    }
    if (json_object_object_add(j->o, key, val) != 0) {
        json_object_put(val);
        return APR_ENOMEM;
    }
    return APR_SUCCESS;
}

apr_status_t sc_json_sets(sc_json_t *j, const char *key, const char *value)
{
    json_object *val = NULL;

    if (value && !(val = json_object_new_string(value))) {
        return APR_ENOMEM;
    }
    return set_value(j, key, val);
}

apr_status_t sc_json_seti(sc_json_t *j, const char *key, apr_int64_t value)
{
    json_object *val = json_object_new_int64((int64_t)value);

    return val ? set_value(j, key, val) : APR_ENOMEM;
}

apr_status_t sc_json_setb(sc_json_t *j, const char *key, int value)
{
    json_object *val = json_object_new_boolean(value ? 1 : 0);

    return val ? set_value(j, key, val) : APR_ENOMEM;
}

apr_status_t sc_json_setj(sc_json_t *j, const char *key, sc_json_t *item)
{
    if (!item || item == j || !item->o) {
        return APR_EINVAL;
    }
    /* The container takes its own reference; item's pool keeps the other. */
    return set_value(j, key, json_object_get(item->o));
}

/* Consumes the reference to val whatever happens. */
static apr_status_t append_value(sc_json_t *arr, json_object *val)
{
    if (!sc_json_is_array(arr)) {
        json_object_put(val);
        return APR_EINVAL;
    }
    if (json_object_array_add(arr->o, val) != 0) {
        json_object_put(val);
        return APR_ENOMEM;
    }
    return APR_SUCCESS;
}

apr_status_t sc_json_array_add(sc_json_t *arr, sc_json_t *item)
{
    if (!item || item == arr || !item->o) {
        return APR_EINVAL;
    }
    return append_value(arr, json_object_get(item->o));
}

apr_status_t sc_json_array_adds(sc_json_t *arr, const char *value)
{
    json_object *val = NULL;

    if (value && !(val = json_object_new_string(value))) {
        return APR_ENOMEM;
    }
    return append_value(arr, val);
}

apr_status_t sc_json_array_addi(sc_json_t *arr, apr_int64_t value)
{
    json_object *val = json_object_new_int64((int64_t)value);

    return val ? append_value(arr, val) : APR_ENOMEM;
}

const char *sc_json_to_string(apr_pool_t *p, const sc_json_t *j)
{
    const char *s;

    if (!j) {
        return NULL;
    }
    /* The text lives in a buffer inside the json-c object until its next
     * change, so it is copied out at once. */
    s = json_object_to_json_string_ext(j->o, TEXT_FLAGS);
    return s ? apr_pstrdup(p, s) : NULL;
}

/* ------------------------------------------------------------------------ */
/* writing without a tree */

/* The text grows in the writer's pool (sc_text_append), not in a json-c
 * printbuf, which grows by realloc(). */
#define WRITER_FIRST_SIZE 512

struct sc_json_writer_t
{
    apr_pool_t *p;
    apr_array_header_t *text;       /* bytes, no NUL */
    json_object *escaper;           /* one string value, reused for each string */
    char closer[SC_JSON_MAX_DEPTH]; /* ']' or '}' of each open container */
    int has_values[SC_JSON_MAX_DEPTH];
    int depth;
    int key_written;                /* the next value is that key's */
    int top_written;                /* the one value at the top is there */
    int failed;
};

static apr_status_t escaper_drop(void *data)
{
    json_object_put(data);
    return APR_SUCCESS;
}

sc_json_writer_t *sc_json_writer_make(apr_pool_t *p)
{
    sc_json_writer_t *w = apr_pcalloc(p, sizeof(*w));

    w->p = p;
    w->text = apr_array_make(p, WRITER_FIRST_SIZE, 1);
    return w;
}

static void put_bytes(sc_json_writer_t *w, const char *bytes, size_t len)
{
    if (w->failed || sc_text_append(w->text, bytes, len) != APR_SUCCESS) {
        w->failed = 1;
    }
}

static void put(sc_json_writer_t *w, const char *text)
{
    put_bytes(w, text, strlen(text));
}

/* The length of s up to its first byte JSON text cannot hold as itself
 * (RFC 8259, section 7: the quotation mark, the reverse solidus, the
 * controls below U+0020), or its end. A loop, not strcspn(): with that many
 * bytes to look for, glibc's strcspn() builds a table of 256 on every call,
 * which costs more than the name it looks at. */
static apr_size_t plain_prefix(const char *s)
{
    const unsigned char *c = (const unsigned char *)s;

    while (*c >= 0x20 && *c != '"' && *c != '\\') {
        c++;
    }
    return (apr_size_t)(c - (const unsigned char *)s);
}

/* s as json-c writes a string: quoted and escaped. Most names and every
 * stored id hold nothing to escape, and json-c then writes them as they
 * are: they are copied so, without its per-character pass (the unit tests
 * hold the two ways to the same text). */
static void put_escaped(sc_json_writer_t *w, const char *s)
{
    apr_size_t plain = plain_prefix(s);
    const char *text;
    size_t len;

    if (!s[plain]) {
        put_bytes(w, "\"", 1);
        put_bytes(w, s, plain);
        put_bytes(w, "\"", 1);
        return;
    }
    if (!w->escaper) {
        if (!(w->escaper = json_object_new_string(""))) {
            w->failed = 1;
        }
        else {
            apr_pool_cleanup_register(w->p, w->escaper, escaper_drop,
                                      apr_pool_cleanup_null);
        }
    }
    if (w->failed || !json_object_set_string(w->escaper, s)
        || !(text = json_object_to_json_string_length(w->escaper, TEXT_FLAGS, &len))) {
        w->failed = 1;
        return;
    }
    put_bytes(w, text, len);
}

/* The comma or key a value needs before it; 0 when it does not fit there. */
static int value_place(sc_json_writer_t *w)
{
    int in_object = w->depth && w->closer[w->depth - 1] == '}';

    if (w->failed || in_object != w->key_written
        || (!w->depth && w->top_written)) {
        w->failed = 1;
        return 0;
    }
    if (w->depth && !in_object && w->has_values[w->depth - 1]) {
        put(w, ",");
    }
    if (w->depth) {
        w->has_values[w->depth - 1] = 1;
    }
    else {
        w->top_written = 1;
    }
    w->key_written = 0;
    return 1;
}

static void open_container(sc_json_writer_t *w, const char *opener, char closer)
{
    if (!value_place(w)) {
        return;
    }
    if (w->depth == SC_JSON_MAX_DEPTH) {
        w->failed = 1;
        return;
    }
    put(w, opener);
    w->closer[w->depth] = closer;
    w->has_values[w->depth] = 0;
    w->depth++;
}

void sc_json_write_array(sc_json_writer_t *w)
{
    open_container(w, "[", ']');
}

void sc_json_write_object(sc_json_writer_t *w)
{
    open_container(w, "{", '}');
}

void sc_json_write_end(sc_json_writer_t *w)
{
    if (w->failed || !w->depth || w->key_written) {
        w->failed = 1;
        return;
    }
    w->depth--;
    put_bytes(w, &w->closer[w->depth], 1);
}

void sc_json_write_key(sc_json_writer_t *w, const char *key)
{
    if (w->failed || !key || !w->depth || w->closer[w->depth - 1] != '}'
        || w->key_written) {
        w->failed = 1;
        return;
    }
    if (w->has_values[w->depth - 1]) {
        put(w, ",");
    }
    put_escaped(w, key);
    put(w, ":");
    w->key_written = 1;
}

void sc_json_write_string(sc_json_writer_t *w, const char *value)
{
    if (value_place(w)) {
        if (value) {
            put_escaped(w, value);
        }
        else {
            put(w, "null");
        }
    }
}

void sc_json_write_int(sc_json_writer_t *w, apr_int64_t value)
{
    if (value_place(w)) {
        char digits[32];

        apr_snprintf(digits, sizeof(digits), "%" APR_INT64_T_FMT, value);
        put(w, digits);
    }
}

const char *sc_json_writer_text(sc_json_writer_t *w)
{
    if (w->failed || w->depth || !w->top_written) {
        return NULL;
    }
    return sc_text_string(w->text);
}
