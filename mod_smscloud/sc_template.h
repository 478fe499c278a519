/* sc_template.h: the page templates of the web side, and brace
 * substitution for SMS texts.
 *
 * Template syntax: `{{name}}` is replaced by the value of name, always
 * through sc_xml_escape(), so no value can inject markup. `{{#name}}` ...
 * `{{/name}}` is a section: repeated once per item of the list `name`
 * (inside it, names are looked up in the item first, then outside), and
 * left out when the list is empty or absent, which also makes it an "if".
 * Names are [A-Za-z0-9_-]+. Templates are parsed once, at startup, so a
 * broken one stops httpd instead of failing a request.
 */
#ifndef SC_TEMPLATE_H
#define SC_TEMPLATE_H

#include <apr_pools.h>
#include <apr_errno.h>

typedef struct sc_template_t sc_template_t;
typedef struct sc_tvars_t sc_tvars_t;

/** Sections may nest this deep. */
#define SC_TEMPLATE_MAX_DEPTH 8

/**
 * Parse a template.
 * @param p     pool for the parsed form (it refers into a copy of text)
 * @param text  the template, need not be NUL-terminated
 * @param len   its length
 * @param tpl   out: the template, NULL on error
 * @param err   out: on error, what and where ("line 3: unclosed {{")
 * @return APR_SUCCESS, or APR_EINVAL for an unclosed or empty tag, a bad
 *         name, a section closed with another name or never closed, or
 *         sections nested deeper than SC_TEMPLATE_MAX_DEPTH
 */
apr_status_t sc_template_parse(apr_pool_t *p, const char *text, apr_size_t len,
                               sc_template_t **tpl, const char **err);

/** Empty variables in pool p (names are not copied: use pool strings). */
sc_tvars_t *sc_tvars_make(apr_pool_t *p);

/** Set name to value (NULL renders as ""). */
void sc_tvars_set(sc_tvars_t *v, const char *name, const char *value);

/**
 * Append an item to the list `section` and return its variables, which
 * fall back on v for names they do not set.
 */
sc_tvars_t *sc_tvars_add(sc_tvars_t *v, const char *section);

/**
 * Render; names without a value render as "" (a page must never fail on
 * a missing optional value).
 * @return the page, a new string in p
 */
const char *sc_template_render(apr_pool_t *p, const sc_template_t *tpl,
                               const sc_tvars_t *v);

/**
 * Replace `{name}` in a plain-text format (the SMS text of a login code)
 * by values; unknown `{...}` and lone braces stay as they are. Nothing is
 * escaped: the result is not markup.
 * @param names, values  n names and their values (NULL values give "")
 * @return a new string in p; "" for a NULL fmt
 */
const char *sc_braces_subst(apr_pool_t *p, const char *fmt, int n,
                            const char *const *names,
                            const char *const *values);

#endif /* SC_TEMPLATE_H */
