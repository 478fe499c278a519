/*
 * A debug hook for bench/run only, never built into the product: the
 * allocator's own statistics from inside the httpd child that serves the
 * request, so that growing RSS can be told apart into memory in use,
 * memory free but kept by glibc, and mmap'd blocks.
 *
 *   <Location /bench-malloc> SetHandler bench-malloc </Location>
 *   GET /bench-malloc        -> "pid ... in_use ... free ... mmap ... rss ..."
 *   GET /bench-malloc?info   -> the same, then glibc's malloc_info() XML
 *   GET /bench-malloc?trim   -> malloc_trim(0) first: what RSS is freed
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"

static long rss_kib(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");

    if (f == NULL)
        return -1;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void send_malloc_info(request_rec *r)
{
    char *xml = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&xml, &len);

    if (f == NULL)
        return;
    malloc_info(0, f);
    fclose(f);
    ap_rwrite(xml, (int)len, r);
    free(xml);
}

static int bench_malloc_handler(request_rec *r)
{
    struct mallinfo2 mi;
    long rss_before;
    int trimmed = 0;

    if (strcmp(r->handler, "bench-malloc") != 0)
        return DECLINED;
    rss_before = rss_kib();
    if (r->args != NULL && strcmp(r->args, "trim") == 0)
        trimmed = malloc_trim(0);
    mi = mallinfo2();
    ap_set_content_type(r, "text/plain");
    /* arena + hblkhd is what the heap holds from the kernel; of it,
     * uordblks is in use and fordblks free but kept */
    ap_rprintf(r, "pid %ld arenas_kib %lu mmap_kib %lu mmap_blocks %lu "
               "in_use_kib %lu free_kib %lu top_pad_kib %lu "
               "rss_kib %ld rss_after_kib %ld trimmed %d\n",
               (long)getpid(), (unsigned long)(mi.arena / 1024),
               (unsigned long)(mi.hblkhd / 1024), (unsigned long)mi.hblks,
               (unsigned long)(mi.uordblks / 1024),
               (unsigned long)(mi.fordblks / 1024),
               (unsigned long)(mi.keepcost / 1024), rss_before, rss_kib(), trimmed);
    if (r->args != NULL && strcmp(r->args, "info") == 0)
        send_malloc_info(r);
    return OK;
}

static void register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_handler(bench_malloc_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA bench_malloc_module = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, register_hooks,
    AP_MODULE_FLAG_NONE
};
