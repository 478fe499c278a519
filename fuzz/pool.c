/* pool.c: every pool allocation of a fuzz input in a malloc block of its own.
 *
 * APR carves allocations out of 8 KB blocks, so to ASan an overflow from one
 * allocation into the next is an ordinary write. The fuzz binaries therefore
 * define apr_palloc themselves: the dynamic linker binds calls from the core,
 * and from libapr and libaprutil, which reach apr_palloc through their PLT
 * (apr_pstrdup, apr_pstrcat, apr_array_push, apr_pool_cleanup_register,
 * apr_pescape_*, apr_pencode_* ... checked with objdump), to this one.
 * apr_pvsprintf is defined too, because APR's writes straight into the
 * pool's block without apr_palloc; apr_pcalloc is a macro over apr_palloc
 * in apr_pools.h, and defined here only for callers of the exported symbol.
 *
 * Inside the watched pools each allocation is malloc'd at its exact size and
 * freed by a cleanup when its pool is cleared or destroyed, so a sub-pool's
 * memory used after it went is a use-after-free too. Every other pool (APR's
 * global one) gets the real apr_palloc, and so does APR whenever it
 * allocates on behalf of this file (busy), which is what keeps the cleanup
 * registration from recursing.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_lib.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "harness.h"

/* apr_pools.h has only the macro */
#undef apr_pcalloc
void *apr_pcalloc(apr_pool_t *p, apr_size_t size);

typedef void *(palloc_fn)(apr_pool_t *p, apr_size_t size);
typedef char *(pvsprintf_fn)(apr_pool_t *p, const char *fmt, va_list ap);

/* The blocks of one watched pool. */
typedef struct {
    apr_pool_t *pool;
    void **blocks;
    apr_size_t n, cap;
} watched_t;

static apr_pool_t *root;
static watched_t *watched;
static apr_size_t nwatched, capwatched;
static int busy;

static void *grow(void *array, apr_size_t *cap, apr_size_t elt)
{
    void *bigger;

    *cap = *cap ? 2 * *cap : 8;
    bigger = realloc(array, *cap * elt);
    if (!bigger) {
        abort();
    }
    return bigger;
}

static void *real(const char *name)
{
    void *fn = dlsym(RTLD_NEXT, name);

    if (!fn) {
        fprintf(stderr, "fuzz pool: no %s in libapr: %s\n", name, dlerror());
        abort();
    }
    return fn;
}

static palloc_fn *real_palloc(void)
{
    static palloc_fn *fn;

    return fn ? fn : (fn = (palloc_fn *)real("apr_palloc"));
}

static int is_watched(apr_pool_t *p)
{
    return root && !busy && p && apr_pool_is_ancestor(root, p);
}

static watched_t *find(apr_pool_t *p)
{
    apr_size_t i;

    for (i = nwatched; i-- > 0;) {
        if (watched[i].pool == p) {
            return &watched[i];
        }
    }
    return NULL;
}

static void release(watched_t *w)
{
    apr_size_t i;

    for (i = 0; i < w->n; i++) {
        free(w->blocks[i]);
    }
    free(w->blocks);
    *w = watched[--nwatched];
}

/* Registered the first time a pool allocates, so it runs after every
 * cleanup registered later (cleanups run last-in first-out), when no one
 * can use the pool's memory any more. */
static apr_status_t release_cleanup(void *data)
{
    watched_t *w = find(data);

    if (w) {
        release(w);
    }
    return APR_SUCCESS;
}

static watched_t *watch(apr_pool_t *p)
{
    watched_t *w = find(p);

    if (w) {
        return w;
    }
    if (nwatched == capwatched) {
        watched = grow(watched, &capwatched, sizeof(*watched));
    }
    w = &watched[nwatched++];
    memset(w, 0, sizeof(*w));
    w->pool = p;
    busy = 1;
    apr_pool_cleanup_register(p, p, release_cleanup, apr_pool_cleanup_null);
    busy = 0;
    return w;
}

void *apr_palloc(apr_pool_t *p, apr_size_t size)
{
    watched_t *w;
    void *mem;

    if (!is_watched(p)) {
        return real_palloc()(p, size);
    }
    w = watch(p);
    mem = malloc(size);
    if (!mem) {
        abort();
    }
    if (w->n == w->cap) {
        w->blocks = grow(w->blocks, &w->cap, sizeof(*w->blocks));
    }
    w->blocks[w->n++] = mem;
    return mem;
}

void *apr_pcalloc(apr_pool_t *p, apr_size_t size)
{
    return memset(apr_palloc(p, size), 0, size);
}

/* apr_vformatter's output buffer, grown with realloc; endpos stays one
 * byte short of the end to leave room for the NUL. */
typedef struct {
    apr_vformatter_buff_t vb;
    char *buf;
    apr_size_t cap;
} fmt_buf_t;

static void fmt_resize(fmt_buf_t *f, apr_size_t used)
{
    f->buf = grow(f->buf, &f->cap, 1);
    f->vb.curpos = f->buf + used;
    f->vb.endpos = f->buf + f->cap - 1;
}

static int fmt_flush(apr_vformatter_buff_t *vb)
{
    fmt_buf_t *f = (fmt_buf_t *)vb;

    fmt_resize(f, (apr_size_t)(vb->curpos - f->buf));
    return 0;
}

char *apr_pvsprintf(apr_pool_t *p, const char *fmt, va_list ap)
{
    static pvsprintf_fn *real_pvsprintf;
    fmt_buf_t f = { { NULL, NULL }, NULL, 0 };
    apr_size_t len;
    char *out;

    if (!is_watched(p)) {
        if (!real_pvsprintf) {
            real_pvsprintf = (pvsprintf_fn *)real("apr_pvsprintf");
        }
        return real_pvsprintf(p, fmt, ap);
    }
    fmt_resize(&f, 0);
    if (apr_vformatter(fmt_flush, &f.vb, fmt, ap) < 0) {
        free(f.buf);
        return NULL;
    }
    len = (apr_size_t)(f.vb.curpos - f.buf);
    out = apr_palloc(p, len + 1);
    memcpy(out, f.buf, len);
    out[len] = '\0';
    free(f.buf);
    return out;
}

void fz_pool_watch(apr_pool_t *p)
{
    root = getenv("FUZZ_PLAIN_POOLS") ? NULL : p;
}

apr_size_t fz_pool_unwatch(void)
{
    apr_size_t left = 0;

    root = NULL;
    while (nwatched) {
        left += watched[nwatched - 1].n;
        release(&watched[nwatched - 1]);
    }
    return left;
}
