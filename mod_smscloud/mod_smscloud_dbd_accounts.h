/*
 * Phones and the storage accounts connected to them: shared by the SMS
 * interface (who is texting, which accounts) and the web side (verify,
 * connect, remove).
 */
#ifndef MOD_SMSCLOUD_DBD_ACCOUNTS_H
#define MOD_SMSCLOUD_DBD_ACCOUNTS_H

#include "httpd.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "mod_smscloud_dbd.h"

typedef struct {
    const char *ref;           /* accounts.id, our own key (decimal) */
    const char *provider;      /* a registry name (sc_storage.h) */
    const char *account_id;    /* the provider's id */
    const char *service;       /* "dropbox" */
    const char *display_name;  /* "Dropbox (alice@example.com)" */
    const char *phone;         /* the owner */
    const char *credentials;   /* the provider's opaque value, sealed
                                * (sc_crypt.h), or NULL */
} smscloud_account_t;

typedef enum {
    SC_ACCOUNT_ADDED = 0,
    SC_ACCOUNT_ALREADY_OURS,   /* this phone had it already */
    SC_ACCOUNT_OTHER_PHONE,    /* another phone owns it: nothing changed */
    SC_ACCOUNT_ERROR           /* database failure (logged) */
} smscloud_account_link_e;

/** The account in a row of the columns id, provider, account_id, service,
 *  display_name, credentials and, unless phone is not NULL, phone: for
 *  statements of other files that read accounts along with their own
 *  columns. */
apr_status_t smscloud_account_of_row(request_rec *r, sc_row_t *row,
                                     const char *phone, smscloud_account_t **account);

/** The phone's accounts, oldest first, as smscloud_account_t pointers. */
apr_status_t smscloud_accounts_of(request_rec *r, ap_dbd_t *db,
                                  const char *phone, apr_array_header_t **accounts);

/** The same, but none at all unless the phone has proved possession. */
apr_status_t smscloud_verified_accounts_of(request_rec *r, ap_dbd_t *db,
                                           const char *phone,
                                           apr_array_header_t **accounts);

/** The account a provider knows as account_id, whichever phone has it,
 *  or *account = NULL (for links, which name no phone). */
apr_status_t smscloud_account_by_provider_id(request_rec *r, ap_dbd_t *db,
                                             const char *provider,
                                             const char *account_id,
                                             smscloud_account_t **account);

/** Link a provider account to the phone, unless another phone has it;
 *  connected again by its phone, it takes the new credentials. */
smscloud_account_link_e smscloud_account_link(request_rec *r, ap_dbd_t *db,
                                              const char *phone,
                                              const smscloud_account_t *account);

/** Remove the phone's account `ref`; *removed = 0 when it was not the
 *  phone's (nothing changes then). */
apr_status_t smscloud_account_unlink(request_rec *r, ap_dbd_t *db,
                                     const char *phone, const char *ref,
                                     int *removed);

#endif
