/*
 * The two-step login: `SmsCloudAuthProvider NAME...` in the Location of
 * the login page makes it ask for a username and a password first, checked
 * by any httpd authn provider (file, dbd, ldap...), and then texts the code
 * to that user's phone: the first column of SmsCloudUserPhoneQuery, else the
 * phone the user enrolled here (table user_phones). A user with neither
 * enrols one, once: the first code sent to it and entered proves it.
 */
#ifndef MOD_SMSCLOUD_TWOSTEP_H
#define MOD_SMSCLOUD_TWOSTEP_H

#include "httpd.h"
#include "http_config.h"
#include "apr_tables.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "mod_smscloud_dbd_twostep.h"

/** Password tries per username per hour, counted before the password is
 *  checked (with login-ip, the cap on guessing one user's password). */
#define SC_TWOSTEP_USER_TRIES 20
#define SC_TWOSTEP_USER_WINDOW 3600

const char *smscloud_twostep_set_provider(cmd_parms *cmd, void *dconf, const char *name);
const char *smscloud_twostep_set_phone_query(cmd_parms *cmd, void *dconf, const char *sql);

/* The per-directory directives, for smscloud_cmds[]. */
#define SC_TWOSTEP_CMDS \
    AP_INIT_ITERATE("SmsCloudAuthProvider", smscloud_twostep_set_provider, NULL, \
                    OR_AUTHCFG, "authn providers (file, dbd, ldap...) that check the " \
                    "password before a code is sent: the login page here then asks " \
                    "for a username and a password"), \
    AP_INIT_TAKE1("SmsCloudUserPhoneQuery", smscloud_twostep_set_phone_query, NULL, \
                  ACCESS_CONF, "SQL giving a user's phone (E.164) for the username " \
                  "(%s), for SmsCloudAuthProvider; users it gives none enrol one")

/** Whether the login page of r asks for a password first. */
int smscloud_twostep_active(request_rec *r);

/** POST of the two-step login page: the password form, or the enrolment
 *  form of a user without a phone. */
int smscloud_twostep_post(request_rec *r, const apr_array_header_t *form);

/** The two-step login page: the password form (username typed, may be
 *  NULL), with error when not NULL. */
int smscloud_twostep_show(request_rec *r, int status, const char *error,
                          const char *username, const char *back);

#endif
