/*
 * What mod_smscloud offers other modules, as optional functions
 * (apr_optional.h): the phone simulator, mod_smscloud_demo.so, uses these
 * and nothing else of it. Look them up with APR_RETRIEVE_OPTIONAL_FN once
 * the modules are loaded (pre_config or later); NULL means mod_smscloud is
 * not loaded.
 */
#ifndef MOD_SMSCLOUD_H
#define MOD_SMSCLOUD_H

#include "httpd.h"
#include "apr_optional.h"
#include "apr_tables.h"

/** The settings of a mod_smscloud site that a client of its webhook
 *  needs. */
typedef struct {
    const char *sms_url;           /* its public /sms URL, which Twilio signs */
    const char *twilio_auth_token; /* the key of those signatures */
    const char *twilio_account_sid;  /* NULL: not configured */
    const char *service_number;    /* the E.164 sender; NULL: a Messaging Service */
    const char *template_dir;      /* SmsCloudTemplateDir */
    apr_off_t max_form_body;       /* SmsCloudMaxFormBody */
    apr_interval_time_t connect_timeout;  /* SmsCloudHttpConnectTimeout */
} smscloud_site_t;

/** Fill in *site for server s (its configuration as checked at startup,
 *  so from post_config on), anything made for it in p. APR_ENOENT when
 *  mod_smscloud is not configured there. */
APR_DECLARE_OPTIONAL_FN(apr_status_t, smscloud_site_get,
                        (apr_pool_t *p, server_rec *s, smscloud_site_t *site));

/** Have a statement prepared, under label, on every database connection
 *  mod_smscloud makes (apr_dbd placeholders; call it while the
 *  configuration is read, from pre_config on: it lives in pconf). */
APR_DECLARE_OPTIONAL_FN(void, smscloud_statement_add,
                        (apr_pool_t *pconf, const char *label, const char *sql));

/** Run statement label with the const char * arguments that follow (ended
 *  by NULL) on a connection of r: *rows holds a const char ** per row, its
 *  columns in the order of the SQL ("" for SQL NULL, as apr_dbd_pgsql
 *  gives it: never NULL). Failures are logged. */
APR_DECLARE_OPTIONAL_FN(apr_status_t, smscloud_rows,
                        (request_rec *r, const char *label,
                         apr_array_header_t **rows, ...));

/** Count the requests of another module's handler, SetHandler
 *  "smscloud-NAME", in mod_smscloud's metrics under handler="NAME" as its
 *  own handlers are (unlisted, they count as "other"). Call it from
 *  pre_config on (it lives in pconf). */
APR_DECLARE_OPTIONAL_FN(void, smscloud_handler_add,
                        (apr_pool_t *pconf, const char *handler));

#endif
