/* sc_unit.h: the Check suites for the mod_smscloud core. */
#ifndef SC_UNIT_H
#define SC_UNIT_H

#include <check.h>
#include <apr_pools.h>
#include <apr_tables.h>

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

/** 1 if s[0..len) is strictly valid UTF-8 (independent of sc_xml.c). */
int sc_test_utf8_valid(const char *s, apr_size_t len);

Suite *sc_form_suite(void);
Suite *sc_sig_suite(void);
Suite *sc_xml_suite(void);
Suite *sc_phone_suite(void);
Suite *sc_random_suite(void);
Suite *sc_cmd_suite(void);
Suite *sc_paging_suite(void);
Suite *sc_json_suite(void);
Suite *sc_kloudless_suite(void);
Suite *sc_twilio_suite(void);
Suite *sc_sms_state_suite(void);
Suite *sc_engine_suite(void);
Suite *sc_template_suite(void);
Suite *sc_link_suite(void);
Suite *sc_local_suite(void);
Suite *sc_gate_suite(void);
Suite *sc_addr_suite(void);
Suite *sc_otp_suite(void);
Suite *sc_verify_suite(void);
Suite *sc_connect_suite(void);
Suite *sc_login_suite(void);
Suite *sc_cookie_suite(void);
Suite *sc_metrics_suite(void);
Suite *sc_flowroute_suite(void);
Suite *sc_crypt_suite(void);
Suite *sc_webdav_suite(void);
Suite *sc_twostep_suite(void);

#endif /* SC_UNIT_H */
