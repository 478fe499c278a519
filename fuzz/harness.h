/* harness.h: what every libFuzzer target of the core shares.
 *
 * LLVMFuzzerInitialize (harness.c) starts APR once; each input gets a pool
 * of its own from fz_begin(), whose allocations pool.c turns into separate
 * malloc blocks so that ASan sees into them, and fz_end() destroys it.
 */
#ifndef FUZZ_HARNESS_H
#define FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include <apr_pools.h>
#include <apr_tables.h>

/* A broken invariant is a finding, so it must stop the fuzzer like a crash
 * does: libFuzzer saves the input that aborted. */
#define FZ_ASSERT(cond) \
    ((cond) ? (void)0 : fz_fail(__FILE__, __LINE__, #cond))

void fz_fail(const char *file, int line, const char *what)
    __attribute__((noreturn));

/** A fresh pool for one input; every allocation in it is watched by ASan. */
apr_pool_t *fz_begin(void);

/** Destroy the pool of fz_begin() and check that nothing of it is left. */
void fz_end(apr_pool_t *p);

/** One piece of the input: NUL-terminated copy, len bytes before the NUL
 * (len can exceed strlen when the input had NUL bytes). */
typedef struct {
    const char *s;
    apr_size_t len;
} fz_piece_t;

/**
 * Cut data at each sep into at most max pieces (the last one keeps the
 * rest, separators included).
 * @return array of fz_piece_t, never empty: "" gives one empty piece
 */
apr_array_header_t *fz_split(apr_pool_t *p, const uint8_t *data, size_t size,
                             char sep, int max);

/** Piece i of fz_split(), or an empty one when there are fewer. */
fz_piece_t fz_piece(const apr_array_header_t *pieces, int i);

/** Take the first byte of the input as a selector (0 when there is none). */
unsigned fz_take_byte(const uint8_t **data, size_t *size);

/**
 * Whether s[0..len) is valid UTF-8 holding only characters that
 * sc_text_sanitize lets through: no C0 control but tab, LF and CR (and not
 * those either when oneline), no DEL, no U+FFFE or U+FFFF. Written apart
 * from sc_text.c so that a bug there cannot vouch for itself.
 */
int fz_text_clean(const char *s, apr_size_t len, int oneline);

/* pool.c, used by fz_begin/fz_end and the self-test. */

/** From now on every allocation in root or a pool below it is a malloc
 * block of its own, freed when its pool is cleared or destroyed. Does
 * nothing when FUZZ_PLAIN_POOLS is set in the environment. */
void fz_pool_watch(apr_pool_t *root);

/** Stop watching (after root was destroyed).
 * @return how many blocks were still allocated (and are freed now) */
apr_size_t fz_pool_unwatch(void);

#endif /* FUZZ_HARNESS_H */
