/* sc_unit.h: the Check suites for the mod_smscloud core. */
#ifndef SC_UNIT_H
#define SC_UNIT_H

#include <check.h>
#include <apr_pools.h>
#include <apr_tables.h>

#include "sc_sms_state.h"
#include "sc_storage.h"

/** Pool for the running test; made by sc_test_setup, destroyed after. */
extern apr_pool_t *sc_test_pool;

/** Checked fixture: create sc_test_pool. */
void sc_test_setup(void);

/** Checked fixture: destroy sc_test_pool. */
void sc_test_teardown(void);

/** A TCase with the pool fixture already added. */
TCase *sc_tcase(const char *name);

/** The pairs of an application/x-www-form-urlencoded body (at most 32),
 * failing the test when it does not parse. */
apr_array_header_t *sc_test_form(const char *text);

/** A listing item of a provider, in sc_test_pool. */
sc_storage_item_t *sc_test_item(const char *id, const char *name, int is_folder,
                                apr_int64_t size);

/** An entry of an SMS listing, in sc_test_pool. */
sc_sms_entry_t *sc_test_entry(const char *id, sc_sms_entry_kind_e kind, const char *name,
                              apr_int64_t size);

/** 1 if s[0..len) is strictly valid UTF-8 (independent of sc_text.c). */
int sc_test_utf8_valid(const char *s, apr_size_t len);

/** Add a suite to the run (main.c runs them in the order they came). */
void sc_unit_register(Suite *(*make)(void));

/** Before a test file's suite function: declares it and registers it
 *  before main() runs, so that a new test file is one line in Makefile.am
 *  and nothing else. */
#define SC_UNIT_SUITE(make) \
    Suite *make(void); \
    static void register_##make(void) __attribute__((constructor)); \
    static void register_##make(void) { sc_unit_register(make); }

#endif /* SC_UNIT_H */
