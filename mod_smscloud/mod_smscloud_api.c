/*
 * The optional functions of mod_smscloud.h: what other modules (the phone
 * simulator) may use of this one.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud.h"
#include "mod_smscloud_api.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_metrics.h"

#include "apr_strings.h"
#include "sc_phone.h"

static apr_status_t smscloud_site_get(apr_pool_t *p, server_rec *s, smscloud_site_t *site)
{
    const smscloud_conf_t *c = smscloud_server_conf(s);

    if (!c->configured) {
        return APR_ENOENT;
    }
    site->sms_url = apr_pstrcat(p, c->public_url, "/sms", NULL);
    site->twilio_auth_token = c->twilio_auth_token;
    site->twilio_account_sid = c->twilio_account_sid;
    site->service_number = sc_phone_is_e164(c->twilio_from) ? c->twilio_from : NULL;
    site->template_dir = c->template_dir;
    site->max_form_body = c->max_form_body;
    site->connect_timeout = c->http_connect_timeout;
    return APR_SUCCESS;
}

static apr_status_t smscloud_rows(request_rec *r, const char *label, apr_array_header_t **out, ...)
{
    ap_dbd_t *db = smscloud_db_acquire(r);
    apr_array_header_t *rows;
    apr_status_t rv;
    va_list ap;
    int i;

    if (!db) {
        *out = apr_array_make(r->pool, 1, sizeof(const char **));
        return APR_EGENERAL;
    }
    va_start(ap, out);
    rv = smscloud_db_vselect(r, db, label, &rows, ap);
    va_end(ap);
    *out = apr_array_make(r->pool, rows->nelts, sizeof(const char **));
    for (i = 0; rv == APR_SUCCESS && i < rows->nelts; i++) {
        APR_ARRAY_PUSH(*out, const char *const *) =
            sc_row_values(APR_ARRAY_IDX(rows, i, sc_row_t *));
    }
    return rv;
}

static void smscloud_statement_add(apr_pool_t *pconf, const char *label, const char *sql)
{
    smscloud_dbd_statement_add(pconf, label, sql);
}

static void smscloud_handler_add(apr_pool_t *pconf, const char *handler)
{
    smscloud_metrics_handler_add(pconf, handler);
}

void smscloud_api_register(void)
{
    APR_REGISTER_OPTIONAL_FN(smscloud_handler_add);
    APR_REGISTER_OPTIONAL_FN(smscloud_site_get);
    APR_REGISTER_OPTIONAL_FN(smscloud_statement_add);
    APR_REGISTER_OPTIONAL_FN(smscloud_rows);
}
