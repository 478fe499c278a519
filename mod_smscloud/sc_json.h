/* sc_json.h - pool-tied JSON values for the mod_smscloud core.
 *
 * This is the only interface to json-c: no other file includes a json-c
 * header, so the library can be swapped and its reference counting cannot
 * leak into callers. Every sc_json_t holds one reference that a cleanup on
 * the pool it was made in drops, so callers never free anything.
 *
 * Getters take a NULL-terminated path of object keys:
 *     sc_json_gets(p, j, "parent", "id", NULL)
 * An empty path (just NULL) means j itself.
 */
#ifndef SC_JSON_H
#define SC_JSON_H

#include <apr_pools.h>
#include <apr_errno.h>

/** Most containers sc_json_parse() accepts nested in each other; deeper
 * input is APR_EINVAL. */
#define SC_JSON_MAX_DEPTH 32

typedef struct sc_json_t sc_json_t;

/* Lets the compiler catch a key path that lacks its NULL terminator. */
#if defined(__GNUC__) || defined(__clang__)
#define SC_JSON_PATH __attribute__((sentinel))
#else
#define SC_JSON_PATH
#endif

/**
 * Parse exactly len bytes of JSON text (no NUL terminator needed).
 * @param p    pool that owns the result
 * @param data the text; never read beyond data + len
 * @param len  its length
 * @param out  the parsed value
 * @return APR_SUCCESS; APR_EINVAL for malformed, truncated, too deeply
 *         nested or trailing-garbage input, or an embedded NUL byte
 */
apr_status_t sc_json_parse(apr_pool_t *p, const char *data, apr_size_t len,
                           sc_json_t **out);

/**
 * String at a key path, copied into p. An integer is given as its decimal
 * string (Kloudless sends account ids as integers).
 * @return NULL when missing, null, another type, an integer outside the
 *         signed 64-bit range, or a string containing a NUL byte
 */
const char *sc_json_gets(apr_pool_t *p, const sc_json_t *j, ...) SC_JSON_PATH;

/**
 * String at a key path with its length, copied into p; unlike
 * sc_json_gets() a string with embedded NUL bytes (JSON "\u0000") is
 * returned whole, for callers that sanitise the bytes themselves.
 * @param len receives the length in bytes when found
 * @return NULL when missing, null or not a string
 */
const char *sc_json_getsn(apr_pool_t *p, const sc_json_t *j, apr_size_t *len, ...) SC_JSON_PATH;

/**
 * Integer at a key path; a string holding only a decimal integer counts.
 * @param out receives the value when found
 * @return 1 if found and within the signed 64-bit range, else 0
 */
int sc_json_geti(const sc_json_t *j, apr_int64_t *out, ...) SC_JSON_PATH;

/**
 * Sub-value at a key path, holding its own reference tied to p.
 * @return NULL when missing or null
 */
sc_json_t *sc_json_getj(apr_pool_t *p, const sc_json_t *j, ...) SC_JSON_PATH;

/**
 * Whether a key path leads to a value other than null.
 * @return 1 if present and not null, else 0
 */
int sc_json_has(const sc_json_t *j, ...) SC_JSON_PATH;

/** @return 1 if j is a JSON object, else 0 (also for NULL) */
int sc_json_is_object(const sc_json_t *j);

/** @return 1 if j is a JSON array, else 0 (also for NULL) */
int sc_json_is_array(const sc_json_t *j);

/** @return the number of elements of an array, 0 for anything else */
apr_size_t sc_json_array_len(const sc_json_t *j);

/**
 * Element i of an array, holding its own reference tied to p.
 * @return NULL when j is not an array, i is out of range or the element is null
 */
sc_json_t *sc_json_array_get(apr_pool_t *p, const sc_json_t *j, apr_size_t i);

/** @return a new empty object owned by p, or NULL when out of memory */
sc_json_t *sc_json_new_object(apr_pool_t *p);

/** @return a new empty array owned by p, or NULL when out of memory */
sc_json_t *sc_json_new_array(apr_pool_t *p);

/**
 * Set key to a string (NULL value stores a JSON null).
 * @return APR_SUCCESS; APR_EINVAL if j is not an object; APR_ENOMEM
 */
apr_status_t sc_json_sets(sc_json_t *j, const char *key, const char *value);

/** Set key to an integer. @return as sc_json_sets() */
apr_status_t sc_json_seti(sc_json_t *j, const char *key, apr_int64_t value);

/** Set key to a boolean (any non-zero is true). @return as sc_json_sets() */
apr_status_t sc_json_setb(sc_json_t *j, const char *key, int value);

/**
 * Set key to another value (object or array). The value is shared, not
 * copied: later changes to item show in j.
 * @return as sc_json_sets()
 */
apr_status_t sc_json_setj(sc_json_t *j, const char *key, sc_json_t *item);

/**
 * Append a value to an array; the value is shared, not copied.
 * @return APR_SUCCESS; APR_EINVAL if arr is not an array or item is arr
 *         itself; APR_ENOMEM
 */
apr_status_t sc_json_array_add(sc_json_t *arr, sc_json_t *item);

/** Append a string to an array. @return as sc_json_array_add() */
apr_status_t sc_json_array_adds(sc_json_t *arr, const char *value);

/** Append an integer to an array. */
apr_status_t sc_json_array_addi(sc_json_t *arr, apr_int64_t value);

/**
 * Compact JSON text of j, copied into p. Slashes are not escaped.
 * @return the text, or NULL when j is NULL
 */
const char *sc_json_to_string(apr_pool_t *p, const sc_json_t *j);

/* ------------------------------------------------------------------------ */
/* Writing text without building values.
 *
 * A long listing built as values is thousands of json-c objects, each
 * malloc'd and freed again; a writer appends the same text as
 * sc_json_to_string() gives to one buffer in the pool as it goes (json-c
 * still escapes the strings that need it), so it suits output that is only
 * compared or stored. A step that does not fit (a key outside an object, a value
 * without its key, containers nested deeper than SC_JSON_MAX_DEPTH, more
 * than one value at the top) makes the whole text NULL, so callers check
 * once, at the end. */

typedef struct sc_json_writer_t sc_json_writer_t;

/** @return a writer whose text and scratch live in p (never NULL) */
sc_json_writer_t *sc_json_writer_make(apr_pool_t *p);

/** Open an array ([) or an object ({) as the next value. */
void sc_json_write_array(sc_json_writer_t *w);
void sc_json_write_object(sc_json_writer_t *w);

/** Close the innermost open array or object. */
void sc_json_write_end(sc_json_writer_t *w);

/** The key of the next value, inside an object only. */
void sc_json_write_key(sc_json_writer_t *w, const char *key);

/** A string value (JSON null for NULL), as sc_json_sets() would keep it. */
void sc_json_write_string(sc_json_writer_t *w, const char *value);

/** An integer value. */
void sc_json_write_int(sc_json_writer_t *w, apr_int64_t value);

/**
 * @return the text written, in the writer's pool; NULL when a step did not
 *         fit, a container is still open or nothing was written
 */
const char *sc_json_writer_text(sc_json_writer_t *w);

#endif /* SC_JSON_H */
