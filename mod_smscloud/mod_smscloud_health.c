/*
 * smscloud-health: a load balancer's probe. It answers 200 only when a
 * pooled database connection runs a prepared statement, so it proves the
 * whole path from httpd through mod_dbd to the schema.
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"

int smscloud_health_handler(request_rec *r)
{
    const char *version = NULL;

    if (r->method_number != M_GET) {
        r->allowed = AP_METHOD_BIT << M_GET;
        return HTTP_METHOD_NOT_ALLOWED;
    }
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    if (!smscloud_db_ready(r, &version)) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    ap_set_content_type(r, "text/plain; charset=utf-8");
    if (!r->header_only) {
        ap_rprintf(r, "ok schema %s\n", version);
    }
    return OK;
}
