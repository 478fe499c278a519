/*
 * The gate: `AuthType SmsCloud` in front of any Location or Directory,
 * `Require sms-phone +E164 ...`, and the return address a login attempt
 * brings the browser back to.
 */
#ifndef MOD_SMSCLOUD_GATE_H
#define MOD_SMSCLOUD_GATE_H

#include "httpd.h"
#include "http_config.h"
#include "mod_dbd.h"

#define SC_AUTH_TYPE "SmsCloud"

/** The identity header a proxied backend gets unless SmsCloudUserHeader
 *  names another. */
#define SC_GATE_DEFAULT_HEADER "X-Remote-User"

/** Per-directory configuration; unset values are SC_UNSET or NULL until
 *  the merge. */
typedef struct {
    int unauth_action;         /* sc_gate_action_e */
    const char *user_header;
    const char *otp_service;   /* SmsCloudFlowrouteService: a Verify service SID */
    apr_array_header_t *auth_providers;  /* SmsCloudAuthProvider: smscloud_authn_t */
    const char *phone_query;   /* SmsCloudUserPhoneQuery: its statement's label */
} smscloud_dir_conf_t;

void *smscloud_create_dir_conf(apr_pool_t *p, char *dir);
void *smscloud_merge_dir_conf(apr_pool_t *p, void *basev, void *addv);

const char *smscloud_gate_set_unauth_action(cmd_parms *cmd, void *dconf, const char *arg);
const char *smscloud_gate_set_user_header(cmd_parms *cmd, void *dconf, const char *arg);

/* The per-directory directives, for smscloud_cmds[]. */
#define SC_GATE_CMDS \
    AP_INIT_TAKE1("SmsCloudUnAuthAction", smscloud_gate_set_unauth_action, NULL, \
                  OR_AUTHCFG, "what a client without a session gets under AuthType " \
                  "SmsCloud when it is not a browser: redirect, 401 (default), 403 or " \
                  "pass"), \
    AP_INIT_TAKE1("SmsCloudUserHeader", smscloud_gate_set_user_header, NULL, \
                  OR_AUTHCFG, "request header that carries the identity to a " \
                  "proxied backend (default " SC_GATE_DEFAULT_HEADER "); incoming " \
                  "copies are always removed")

/** Hooks and the sms-phone authz provider. */
void smscloud_gate_register_hooks(apr_pool_t *p);

/** The return address a browser asked for (a form field or query value),
 *  or NULL when it is missing or not a local path (logged). */
const char *smscloud_gate_return(request_rec *r, const char *asked);

/** The return address from a query string's `return` field, or NULL. */
const char *smscloud_gate_return_in_query(request_rec *r);

#endif
