/* sc_template.c: `{{name}}` / `{{#list}}...{{/list}}` page templates and
 * `{name}` substitution for SMS texts. See sc_template.h. */
#include <string.h>

#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "sc_template.h"
#include "sc_text.h"

typedef enum { NODE_TEXT, NODE_VAR, NODE_SECTION } node_kind_e;

typedef struct {
    node_kind_e kind;
    const char *text;              /* NODE_TEXT: not NUL-terminated */
    apr_size_t len;
    const char *name;              /* NODE_VAR, NODE_SECTION */
    apr_array_header_t *children;  /* NODE_SECTION: node_t */
} node_t;

struct sc_template_t {
    apr_array_header_t *nodes;     /* node_t */
};

struct sc_tvars_t {
    apr_pool_t *pool;
    const sc_tvars_t *parent;
    apr_hash_t *values;            /* name -> const char * */
    apr_hash_t *lists;             /* name -> array of sc_tvars_t * */
};

/* ------------------------------------------------------------------------ */
/* parsing */

typedef struct {
    apr_pool_t *pool;
    const char *start;             /* for line numbers in errors */
    const char **err;
} parser_t;

static apr_status_t parse_error(parser_t *ps, const char *at, const char *what)
{
    int line = 1;
    const char *c;

    for (c = ps->start; c < at; c++) {
        line += (*c == '\n');
    }
    *ps->err = apr_psprintf(ps->pool, "line %d: %s", line, what);
    return APR_EINVAL;
}

static int valid_name(const char *s, apr_size_t len)
{
    apr_size_t i;

    for (i = 0; i < len; i++) {
        if (!apr_isalnum(s[i]) && s[i] != '_' && s[i] != '-') {
            return 0;
        }
    }
    return len > 0;
}

static node_t *add_node(apr_array_header_t *nodes, node_kind_e kind)
{
    node_t *n = apr_array_push(nodes);

    memset(n, 0, sizeof(*n));
    n->kind = kind;
    return n;
}

/* One tag, `{{` already at *pos: a variable, or the opening or closing of
 * a section (which moves *depth and the current node list). */
static apr_status_t parse_tag(parser_t *ps, const char **pos, const char *end,
                              apr_array_header_t **stack, int *depth)
{
    const char *open = *pos, *body = open + 2, *close;
    char sigil = (body < end) ? *body : '\0';
    const char *name;
    node_t *n;

    for (close = body; close + 1 < end && !(close[0] == '}' && close[1] == '}'); close++)
        ;
    if (close + 1 >= end) {
        return parse_error(ps, open, "unclosed {{");
    }
    if (sigil == '#' || sigil == '/') {
        body++;
    }
    if (!valid_name(body, (apr_size_t)(close - body))) {
        return parse_error(ps, open, "bad or empty name in {{...}}");
    }
    name = apr_pstrmemdup(ps->pool, body, (apr_size_t)(close - body));
    *pos = close + 2;
    if (sigil == '/') {
        n = (*depth > 0) ? &APR_ARRAY_IDX(stack[*depth - 1],
                                          stack[*depth - 1]->nelts - 1, node_t) : NULL;
        if (!n || strcmp(n->name, name)) {
            return parse_error(ps, open, apr_psprintf(ps->pool,
                               "{{/%s}} closes no open section", name));
        }
        (*depth)--;
        return APR_SUCCESS;
    }
    n = add_node(stack[*depth], sigil == '#' ? NODE_SECTION : NODE_VAR);
    n->name = name;
    if (sigil == '#') {
        if (*depth + 1 > SC_TEMPLATE_MAX_DEPTH) {
            return parse_error(ps, open, "sections nested too deep");
        }
        n->children = apr_array_make(ps->pool, 8, sizeof(node_t));
        stack[++(*depth)] = n->children;
    }
    return APR_SUCCESS;
}

apr_status_t sc_template_parse(apr_pool_t *p, const char *text, apr_size_t len,
                               sc_template_t **tpl, const char **err)
{
    apr_array_header_t *stack[SC_TEMPLATE_MAX_DEPTH + 1];
    const char *copy = text ? apr_pstrmemdup(p, text, len) : "";
    const char *pos = copy, *end = copy + (text ? len : 0), *tag;
    parser_t ps = { p, copy, err };
    sc_template_t *t = apr_pcalloc(p, sizeof(*t));
    int depth = 0;
    apr_status_t rv;

    *tpl = NULL;
    *err = NULL;
    t->nodes = apr_array_make(p, 16, sizeof(node_t));
    stack[0] = t->nodes;
    while (pos < end) {
        for (tag = pos; tag + 1 < end && !(tag[0] == '{' && tag[1] == '{'); tag++)
            ;
        if (tag + 1 >= end) {
            tag = end;
        }
        if (tag > pos) {
            node_t *n = add_node(stack[depth], NODE_TEXT);
            n->text = pos;
            n->len = (apr_size_t)(tag - pos);
        }
        pos = tag;
        if (pos < end && (rv = parse_tag(&ps, &pos, end, stack, &depth)) != APR_SUCCESS) {
            return rv;
        }
    }
    if (depth > 0) {
        return parse_error(&ps, end, "a {{#section}} is never closed");
    }
    *tpl = t;
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* variables */

sc_tvars_t *sc_tvars_make(apr_pool_t *p)
{
    sc_tvars_t *v = apr_pcalloc(p, sizeof(*v));

    v->pool = p;
    v->values = apr_hash_make(p);
    v->lists = apr_hash_make(p);
    return v;
}

void sc_tvars_set(sc_tvars_t *v, const char *name, const char *value)
{
    apr_hash_set(v->values, name, APR_HASH_KEY_STRING, value ? value : "");
}

sc_tvars_t *sc_tvars_add(sc_tvars_t *v, const char *section)
{
    apr_array_header_t *list = apr_hash_get(v->lists, section, APR_HASH_KEY_STRING);
    sc_tvars_t *item = sc_tvars_make(v->pool);

    if (!list) {
        list = apr_array_make(v->pool, 4, sizeof(sc_tvars_t *));
        apr_hash_set(v->lists, section, APR_HASH_KEY_STRING, list);
    }
    item->parent = v;
    APR_ARRAY_PUSH(list, sc_tvars_t *) = item;
    return item;
}

static const void *lookup(const sc_tvars_t *v, int lists, const char *name)
{
    for (; v; v = v->parent) {
        const void *found = apr_hash_get(lists ? v->lists : v->values, name,
                                         APR_HASH_KEY_STRING);
        if (found) {
            return found;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* rendering */

static void render_nodes(apr_pool_t *p, const apr_array_header_t *nodes,
                         const sc_tvars_t *v, apr_array_header_t *out)
{
    int i, k;

    for (i = 0; i < nodes->nelts; i++) {
        const node_t *n = &APR_ARRAY_IDX(nodes, i, node_t);
        const apr_array_header_t *list;

        switch (n->kind) {
        case NODE_TEXT:
            APR_ARRAY_PUSH(out, const char *) = apr_pstrmemdup(p, n->text, n->len);
            break;
        case NODE_VAR:
            APR_ARRAY_PUSH(out, const char *) = sc_xml_escape(p, lookup(v, 0, n->name));
            break;
        case NODE_SECTION:
            list = lookup(v, 1, n->name);
            for (k = 0; list && k < list->nelts; k++) {
                render_nodes(p, n->children, APR_ARRAY_IDX(list, k, sc_tvars_t *), out);
            }
            break;
        }
    }
}

const char *sc_template_render(apr_pool_t *p, const sc_template_t *tpl,
                               const sc_tvars_t *v)
{
    apr_array_header_t *out = apr_array_make(p, 64, sizeof(const char *));

    if (tpl) {
        render_nodes(p, tpl->nodes, v, out);
    }
    return apr_array_pstrcat(p, out, '\0');
}

/* ------------------------------------------------------------------------ */
/* SMS texts */

const char *sc_braces_subst(apr_pool_t *p, const char *fmt, int n,
                            const char *const *names,
                            const char *const *values)
{
    apr_array_header_t *out = apr_array_make(p, 16, sizeof(const char *));
    const char *pos = fmt, *open, *close;
    int i;

    if (!fmt) {
        return "";
    }
    while ((open = strchr(pos, '{')) != NULL && (close = strchr(open + 1, '}')) != NULL) {
        apr_size_t len = (apr_size_t)(close - open - 1);

        for (i = 0; i < n; i++) {
            if (strlen(names[i]) == len && !strncmp(open + 1, names[i], len)) {
                break;
            }
        }
        if (i == n) {
            /* not ours: keep the brace, and look again just after it */
            APR_ARRAY_PUSH(out, const char *) =
                apr_pstrmemdup(p, pos, (apr_size_t)(open + 1 - pos));
            pos = open + 1;
            continue;
        }
        APR_ARRAY_PUSH(out, const char *) = apr_pstrmemdup(p, pos, (apr_size_t)(open - pos));
        APR_ARRAY_PUSH(out, const char *) = values[i] ? values[i] : "";
        pos = close + 1;
    }
    APR_ARRAY_PUSH(out, const char *) = pos;
    return apr_array_pstrcat(p, out, '\0');
}
