/*
 * One-time login codes: shared by /login (issues them) and /verify
 * (checks them). The database holds only HMAC(secret, "otp:" + attempt +
 * ":" + code), under HMAC(secret, "attempt:" + attempt), where the attempt
 * id lives in the browser's attempt cookie: a code is good only for the
 * login attempt that asked for it. Their rows: mod_smscloud_dbd_login.h.
 */
#ifndef MOD_SMSCLOUD_LOGIN_H
#define MOD_SMSCLOUD_LOGIN_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "mod_smscloud_dbd_login.h"

/** What a login form says to a number it cannot read. */
#define SC_LOGIN_BAD_NUMBER "Please enter your mobile number in international format: " \
                            "a + and the country code first, for example +44 7700 900123."

/**
 * Send a login code to phone, after its rate limits and back-off, and send
 * the browser on to /verify (or show the login page's error): /login's
 * second half, and the two-step login's once the password was right.
 * @param user   the username a password proved (two-step), or NULL
 * @param enrol  1: the phone becomes user's once the code is entered
 * @param typed  what the form showed again on an error (phone or username)
 * @param back   the gate's return address, or NULL
 */
int smscloud_login_start(request_rec *r, ap_dbd_t *db, const char *phone,
                         const char *user, int enrol, const char *typed, const char *back);

/** The stored hash of a code typed for a login attempt. */
const char *smscloud_code_hash(request_rec *r, const char *attempt, const char *code);

/** The code this browser's attempt cookie names (*code NULL: none), and
 *  the attempt's hash when attempt_hash is not NULL (NULL: no cookie). */
apr_status_t smscloud_attempt_code(request_rec *r, ap_dbd_t *db, sc_login_code_t **code,
                                   const char **attempt_hash);

#endif
