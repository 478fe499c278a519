/* fuzz_gate.c: return addresses of the gate (sc_gate.h).
 *
 * An accepted address is redirected to: it must be a path on this site
 * under every reading a browser, a proxy or an application might make of
 * it, checked here apart from sc_gate.c. The login URL built from any
 * input must be our login path, with nothing unescaped after it. */
#include <stdlib.h>
#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "harness.h"
#include "sc_gate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One round of %XX decoding; a malformed escape stays as it is. */
static char *decoded(apr_pool_t *p, const char *s)
{
    char *out = apr_pstrdup(p, s), *o = out;

    for (; *s; s++) {
        if (s[0] == '%' && apr_isxdigit(s[1]) && apr_isxdigit(s[2])) {
            char hex[3] = { s[1], s[2], 0 };

            *o++ = (char)strtol(hex, NULL, 16);
            s += 2;
        }
        else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* What a browser would take for another host or a scheme. */
static int looks_foreign(const char *s)
{
    const char *q = strchr(s, '?');
    apr_size_t path = q ? (apr_size_t)(q - s) : strlen(s), i;

    if (s[0] != '/' || s[1] == '/' || s[1] == '\\') {
        return 1;
    }
    for (i = 0; s[i]; i++) {
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\') {
            return 1;
        }
        if (i < path && i && s[i] == '/' && s[i - 1] == '/') {
            return 1;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_begin();
    const char *in = apr_pstrmemdup(p, (const char *)data, size), *url;
    int round;

    if (strlen(in) == size && sc_gate_local_path(in)) {
        const char *layer = in;

        FZ_ASSERT(size <= SC_GATE_RETURN_MAX);
        for (round = 0; round < 3; round++) {
            FZ_ASSERT(!looks_foreign(layer));
            layer = decoded(p, layer);
        }
    }
    url = sc_gate_login_url(p, "/login", in);
    FZ_ASSERT(!strncmp(url, "/login", 6));
    FZ_ASSERT(url[6] == '\0' || !strncmp(url + 6, "?return=", 8));
    FZ_ASSERT(strspn(url, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                          "0123456789-._~%/?=+*") == strlen(url));
    fz_end(p);
    return 0;
}
