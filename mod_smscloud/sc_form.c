/* sc_form.c: application/x-www-form-urlencoded decoding and encoding. */
#include <string.h>
#include <strings.h>

#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_escape.h>

#include "sc_form.h"

/* Decode one name or value. s is NUL-terminated (a piece of our private
 * copy), so apr_unescape_url can never read past it when it looks ahead
 * for the two hex digits. Form decoding never grows a string, so one buffer
 * of the input size is enough for a single pass. */
static apr_status_t form_decode(apr_pool_t *p, const char *s,
                                const char **out)
{
    apr_size_t n = strlen(s);
    char *buf = apr_palloc(p, n + 1);
    apr_status_t rv;

    rv = apr_unescape_url(buf, s, APR_ESCAPE_STRING, NULL, NULL, 1, NULL);
    /* APR_EINVAL is a malformed escape, APR_BADCH an escaped NUL: both
     * mean the sender is broken or hostile, so refuse the whole input. */
    if (rv == APR_EINVAL || rv == APR_BADCH) {
        return APR_BADCH;
    }
    /* APR_NOTFOUND only says nothing needed decoding; buf holds a copy. */
    *out = buf;
    return APR_SUCCESS;
}

/* Decode one non-empty segment "name[=value]" and append it. */
static apr_status_t form_add_segment(apr_pool_t *p, char *seg,
                                     apr_array_header_t *arr)
{
    char *eq = strchr(seg, '=');
    const char *value_raw = "";
    sc_pair_t *pair;
    apr_status_t rv;

    if (eq) {
        *eq = '\0';
        value_raw = eq + 1;
    }
    pair = apr_array_push(arr);
    rv = form_decode(p, seg, &pair->name);
    if (rv == APR_SUCCESS) {
        rv = form_decode(p, value_raw, &pair->value);
    }
    return rv;
}

apr_status_t sc_form_parse(apr_pool_t *p, const char *data, apr_size_t len,
                           int max_pairs, apr_array_header_t **pairs)
{
    apr_array_header_t *arr;
    char *copy, *seg, *amp;
    apr_status_t rv;

    if (!pairs) {
        return APR_EINVAL;
    }
    *pairs = NULL;
    if (!data) {
        len = 0;
    }
    /* A raw NUL would silently truncate every C string built from it. */
    if (len && memchr(data, '\0', len)) {
        return APR_BADCH;
    }
    arr = apr_array_make(p, 8, sizeof(sc_pair_t));
    copy = apr_pstrmemdup(p, len ? data : "", len);
    for (seg = copy; seg; seg = amp ? amp + 1 : NULL) {
        amp = strchr(seg, '&');
        if (amp) {
            *amp = '\0';
        }
        if (*seg == '\0') {
            continue;
        }
        /* Checked before decoding so a flood of pairs costs no work. */
        if (arr->nelts >= max_pairs) {
            return APR_ENOSPC;
        }
        rv = form_add_segment(p, seg, arr);
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    *pairs = arr;
    return APR_SUCCESS;
}

const char *sc_form_get(const apr_array_header_t *pairs, const char *name)
{
    const sc_pair_t *elts;
    int i;

    if (!pairs || !name) {
        return NULL;
    }
    elts = (const sc_pair_t *)pairs->elts;
    for (i = 0; i < pairs->nelts; i++) {
        if (elts[i].name && strcmp(elts[i].name, name) == 0) {
            return elts[i].value;
        }
    }
    return NULL;
}

void sc_form_add(apr_array_header_t *pairs, const char *name, const char *value)
{
    sc_pair_t *pair = apr_array_push(pairs);

    pair->name = name;
    pair->value = value;
}

const char *sc_form_encode(apr_pool_t *p, const apr_array_header_t *pairs)
{
    const sc_pair_t *elts;
    apr_array_header_t *parts;
    int i;

    if (!pairs || pairs->nelts == 0) {
        return "";
    }
    elts = (const sc_pair_t *)pairs->elts;
    parts = apr_array_make(p, pairs->nelts, sizeof(const char *));
    for (i = 0; i < pairs->nelts; i++) {
        const char *n = elts[i].name ? elts[i].name : "";
        const char *v = elts[i].value ? elts[i].value : "";

        APR_ARRAY_PUSH(parts, const char *) =
            apr_pstrcat(p, apr_pescape_urlencoded(p, n), "=",
                        apr_pescape_urlencoded(p, v), NULL);
    }
    return apr_array_pstrcat(p, parts, '&');
}

int sc_form_content_type_ok(const char *content_type)
{
    static const char form[] = "application/x-www-form-urlencoded";
    apr_size_t n = sizeof(form) - 1;

    return content_type && !strncasecmp(content_type, form, n)
           && (content_type[n] == '\0' || content_type[n] == ';' || content_type[n] == ' ');
}

int sc_form_length_status(const char *content_length, apr_off_t max)
{
    apr_off_t announced;
    char *end;

    if (!content_length) {
        return 0;
    }
    /* digits and nothing else: apr_strtoff alone takes "12abc" as 12, "abc"
     * as 0 and skips leading blanks and signs */
    if (!apr_isdigit(*content_length)
        || apr_strtoff(&announced, content_length, &end, 10) != APR_SUCCESS || *end) {
        return 400;
    }
    return announced > max ? 413 : 0;
}
