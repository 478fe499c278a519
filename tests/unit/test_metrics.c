/* test_metrics.c - sc_metrics: shared counters and their text format. */

#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_metrics.h"

#define P sc_test_pool

static void *block;

static void with_block(void)
{
    apr_size_t size;

    sc_test_setup();
    size = sc_metrics_size();
    block = malloc(size);
    sc_metrics_format(block, size, apr_time_from_sec(1700000000));
    sc_metrics_use(block);
}

static void without_block(void)
{
    sc_metrics_use(NULL);
    free(block);
    block = NULL;
    sc_test_teardown();
}

/* The line of the output that starts with prefix (a series name with
 * its labels), or NULL. */
static const char *line_of(const char *text, const char *prefix)
{
    const char *at = text;
    apr_size_t n = strlen(prefix);

    while (at && *at) {
        if (!strncmp(at, prefix, n) && at[n] == ' ') {
            const char *end = strchr(at, '\n');
            return apr_pstrmemdup(P, at, end ? (apr_size_t)(end - at) : strlen(at));
        }
        at = strchr(at, '\n');
        at = at ? at + 1 : NULL;
    }
    return NULL;
}

START_TEST(counts_by_label)
{
    const char *text;

    sc_metric_inc(SC_METRIC_OTP_SENDS, "web", NULL);
    sc_metric_inc(SC_METRIC_OTP_SENDS, "web", NULL);
    sc_metric_inc(SC_METRIC_OTP_SENDS, "api", NULL);
    ck_assert_uint_eq(sc_metric_value(SC_METRIC_OTP_SENDS, "web", NULL), 2);
    ck_assert_uint_eq(sc_metric_value(SC_METRIC_OTP_SENDS, "api", NULL), 1);
    ck_assert_uint_eq(sc_metric_value(SC_METRIC_OTP_SENDS, "gate", NULL), 0);
    text = sc_metrics_render(P, NULL);
    ck_assert_str_eq(line_of(text, "smscloud_otp_sends_total{channel=\"web\"}"),
                     "smscloud_otp_sends_total{channel=\"web\"} 2");
    ck_assert_ptr_nonnull(strstr(text, "# TYPE smscloud_otp_sends_total counter\n"));
    ck_assert_ptr_nonnull(strstr(text, "smscloud_metrics_start_time_seconds 1700000000\n"));
}
END_TEST

START_TEST(unknown_values_are_other)
{
    const char *text;

    /* whatever a caller passes, only listed values become labels */
    sc_metric_inc(SC_METRIC_OTP_CHECKS, "+15551234567", NULL);
    sc_metric_inc(SC_METRIC_OTP_CHECKS, NULL, NULL);
    ck_assert_uint_eq(sc_metric_value(SC_METRIC_OTP_CHECKS, "other", NULL), 2);
    text = sc_metrics_render(P, NULL);
    ck_assert_ptr_null(strstr(text, "5551234567"));
    ck_assert_str_eq(line_of(text, "smscloud_otp_checks_total{channel=\"other\"}"),
                     "smscloud_otp_checks_total{channel=\"other\"} 2");
}
END_TEST

START_TEST(two_labels)
{
    const char *text;

    sc_metric_inc(SC_METRIC_UPSTREAM_REQUESTS, "twilio", "2xx");
    sc_metric_inc(SC_METRIC_UPSTREAM_REQUESTS, "kloudless", SC_METRIC_STATUS_TIMEOUT);
    ck_assert_uint_eq(sc_metric_value(SC_METRIC_UPSTREAM_REQUESTS, "twilio", "2xx"), 1);
    ck_assert_uint_eq(sc_metric_value(SC_METRIC_UPSTREAM_REQUESTS, "twilio", "timeout"), 0);
    text = sc_metrics_render(P, NULL);
    ck_assert_str_eq(line_of(text, "smscloud_upstream_requests_total"
                                   "{target=\"kloudless\",status=\"timeout\"}"),
                     "smscloud_upstream_requests_total"
                     "{target=\"kloudless\",status=\"timeout\"} 1");
}
END_TEST

START_TEST(histogram_cumulative)
{
    const char *text;

    sc_metric_observe(SC_METRIC_UPSTREAM_DURATION, "twilio", 30000);     /* 0.03 s */
    sc_metric_observe(SC_METRIC_UPSTREAM_DURATION, "twilio", 2000000);   /* 2 s */
    sc_metric_observe(SC_METRIC_UPSTREAM_DURATION, "twilio", 60000000);  /* 60 s */
    text = sc_metrics_render(P, NULL);
    ck_assert_str_eq(line_of(text, "smscloud_upstream_request_duration_seconds_bucket"
                                   "{target=\"twilio\",le=\"0.025\"}"),
                     "smscloud_upstream_request_duration_seconds_bucket"
                     "{target=\"twilio\",le=\"0.025\"} 0");
    ck_assert_str_eq(line_of(text, "smscloud_upstream_request_duration_seconds_bucket"
                                   "{target=\"twilio\",le=\"0.05\"}"),
                     "smscloud_upstream_request_duration_seconds_bucket"
                     "{target=\"twilio\",le=\"0.05\"} 1");
    ck_assert_str_eq(line_of(text, "smscloud_upstream_request_duration_seconds_bucket"
                                   "{target=\"twilio\",le=\"2.5\"}"),
                     "smscloud_upstream_request_duration_seconds_bucket"
                     "{target=\"twilio\",le=\"2.5\"} 2");
    ck_assert_str_eq(line_of(text, "smscloud_upstream_request_duration_seconds_bucket"
                                   "{target=\"twilio\",le=\"+Inf\"}"),
                     "smscloud_upstream_request_duration_seconds_bucket"
                     "{target=\"twilio\",le=\"+Inf\"} 3");
    ck_assert_str_eq(line_of(text, "smscloud_upstream_request_duration_seconds_sum"
                                   "{target=\"twilio\"}"),
                     "smscloud_upstream_request_duration_seconds_sum"
                     "{target=\"twilio\"} 62.030000");
    ck_assert_str_eq(line_of(text, "smscloud_db_acquire_duration_seconds_count"),
                     "smscloud_db_acquire_duration_seconds_count 0");
}
END_TEST

START_TEST(values_replaced_change_layout)
{
    static const char *const limits[] = { "login-phone", "send", NULL };
    apr_size_t before = sc_metrics_size();
    void *other;
    const char *text;

    ck_assert(sc_metrics_matches(block, before));
    sc_metrics_set_values(SC_METRIC_RATE_REFUSALS, 0, limits);
    ck_assert(!sc_metrics_matches(block, before));
    other = calloc(1, sc_metrics_size());
    sc_metrics_format(other, sc_metrics_size(), 0);
    sc_metrics_use(other);
    sc_metric_inc(SC_METRIC_RATE_REFUSALS, "send", NULL);
    text = sc_metrics_render(P, NULL);
    ck_assert_str_eq(line_of(text, "smscloud_rate_limit_refusals_total{limit=\"send\"}"),
                     "smscloud_rate_limit_refusals_total{limit=\"send\"} 1");
    sc_metrics_use(block);
    free(other);
}
END_TEST

START_TEST(no_block_no_op)
{
    sc_metrics_use(NULL);
    sc_metric_inc(SC_METRIC_SMS_REPLIES, NULL, NULL);
    sc_metric_observe(SC_METRIC_DB_ACQUIRE_DURATION, NULL, 5);
    ck_assert_uint_eq(sc_metric_value(SC_METRIC_SMS_REPLIES, NULL, NULL), 0);
    ck_assert_str_eq(sc_metrics_render(P, NULL), "");
    sc_metrics_use(block);
}
END_TEST

START_TEST(matches_only_own_layout)
{
    apr_size_t size = sc_metrics_size();
    char *copy = malloc(size);

    memcpy(copy, block, size);
    ck_assert(sc_metrics_matches(copy, size));
    ck_assert(!sc_metrics_matches(copy, size - 8));
    copy[0] ^= 1;
    ck_assert(!sc_metrics_matches(copy, size));
    ck_assert(!sc_metrics_matches(NULL, size));
    free(copy);
}
END_TEST

SC_UNIT_SUITE(sc_metrics_suite)

Suite *sc_metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("metrics");

    tcase_add_checked_fixture(tc, with_block, without_block);
    tcase_add_test(tc, counts_by_label);
    tcase_add_test(tc, unknown_values_are_other);
    tcase_add_test(tc, two_labels);
    tcase_add_test(tc, histogram_cumulative);
    tcase_add_test(tc, values_replaced_change_layout);
    tcase_add_test(tc, no_block_no_op);
    tcase_add_test(tc, matches_only_own_layout);
    suite_add_tcase(s, tc);
    return s;
}
