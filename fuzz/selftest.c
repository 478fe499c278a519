/* selftest.c: proof that pool.c lets ASan see into pools. Not a fuzz
 * target: `make fuzz-selftest` runs it once per mode (the input names the
 * mode) and expects ASan to report each planted bug, and nothing for
 * "none". The string bugs go through libapr's own apr_pstrdup and
 * apr_psprintf, the ones that only the interposition can reach. */
#include <string.h>

#include <apr_strings.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* volatile: the compiler must not see the overflow and drop the access */
static char peek(const char *s, apr_size_t i)
{
    return ((const volatile char *)s)[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_begin(), *sub;
    const char *mode = apr_pstrmemdup(p, (const char *)data, size);
    char *s, c = 0;

    if (strcmp(mode, "palloc") == 0) {
        s = apr_palloc(p, 10);
        ((volatile char *)s)[10] = 1;
    }
    else if (strcmp(mode, "pstrdup") == 0) {
        c = peek(apr_pstrdup(p, "abc"), 4);
    }
    else if (strcmp(mode, "psprintf") == 0) {
        c = peek(apr_psprintf(p, "%d", 12345), 6);
    }
    else if (strcmp(mode, "subpool") == 0) {
        apr_pool_create(&sub, p);
        s = apr_pstrdup(sub, "gone");
        apr_pool_destroy(sub);
        c = peek(s, 0);
    }
    else {
        s = apr_psprintf(p, "%s-%d", apr_pstrdup(p, "fine"), 1);
        c = peek(s, strlen(s));
    }
    fz_end(p);
    return c;
}
