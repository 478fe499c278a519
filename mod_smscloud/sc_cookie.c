/* sc_cookie.c: the module's cookies (see sc_cookie.h). */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "sc_cookie.h"

int sc_cookie_secure(const char *request_scheme, const char *public_url)
{
    return (request_scheme && !strcmp(request_scheme, "https"))
           || (public_url && !strncasecmp(public_url, "https:", 6));
}

const char *sc_cookie_name(apr_pool_t *p, const char *base, int secure)
{
    return secure ? apr_pstrcat(p, "__Host-", base, NULL) : base;
}

int sc_cookie_value_ok(const char *value)
{
    apr_size_t n = value ? strlen(value) : 0;

    return n > 0 && n <= SC_COOKIE_VALUE_MAX
        && strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                         "0123456789-_") == n;
}

typedef struct {
    apr_pool_t *p;
    const char *name;
    const char *value;
    int seen;
} search_t;

static int find_in_header(void *ctx, const char *key, const char *header)
{
    search_t *cs = ctx;
    char *copy = apr_pstrdup(cs->p, header), *last, *pair;
    apr_size_t n = strlen(cs->name);

    for (pair = apr_strtok(copy, ";", &last); pair; pair = apr_strtok(NULL, ";", &last)) {
        while (*pair == ' ' || *pair == '\t') {
            pair++;
        }
        if (!strncmp(pair, cs->name, n) && pair[n] == '=') {
            cs->seen++;
            cs->value = pair + n + 1;
        }
    }
    return 1;
}

const char *sc_cookie_get(apr_pool_t *p, const apr_table_t *headers, const char *name)
{
    search_t cs = { p, name, NULL, 0 };

    if (!headers || !name) {
        return NULL;
    }
    apr_table_do(find_in_header, &cs, headers, "Cookie", NULL);
    if (cs.seen != 1 || !sc_cookie_value_ok(cs.value)) {
        return NULL;
    }
    return cs.value;
}

const char *sc_cookie_set_line(apr_pool_t *p, const char *name, const char *value,
                               int max_age, int secure)
{
    const char *age = max_age >= 0 ? apr_psprintf(p, "; Max-Age=%d", max_age) : "";

    return apr_pstrcat(p, name, "=", value, "; Path=/; HttpOnly; SameSite=Lax", age,
                       secure ? "; Secure" : "", NULL);
}
