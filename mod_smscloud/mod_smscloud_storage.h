/*
 * The storage providers a server offers, built from the registry
 * (sc_storage.h) and the directives at startup, and the only way the rest
 * of the glue reaches storage: by the provider name stored with an account,
 * never by naming a provider itself.
 */
#ifndef MOD_SMSCLOUD_STORAGE_H
#define MOD_SMSCLOUD_STORAGE_H

#include "httpd.h"
#include "sc_storage.h"
#include "mod_smscloud_dbd_accounts.h"

/* A provider as one server offers it (sc_storage_start()). */
typedef sc_storage_offered_t smscloud_provider_t;

/** Build the providers server s offers (check_config, so that `apachectl
 *  -t` sees a bad setting); logs and returns !APR_SUCCESS when one cannot
 *  work. */
apr_status_t smscloud_storage_init(apr_pool_t *pconf, server_rec *s,
                                   smscloud_conf_t *c);

/** The provider called `name` for this request's server, or NULL when it
 *  is not offered there. */
const smscloud_provider_t *smscloud_storage_provider(const request_rec *r,
                                                     const char *name);

/** Every provider this request's server offers, as smscloud_provider_t *. */
const apr_array_header_t *smscloud_storage_providers(const request_rec *r);

/** Seal the credentials a provider gave for a new account, bound to its
 *  phone and account (logged on failure). */
apr_status_t smscloud_storage_seal(request_rec *r, const char *phone, const char *provider,
                                   const char *account_id, const char *credentials,
                                   const char **sealed);

/** The entries of a folder of account a (folder_id NULL: its root). */
sc_storage_status_e smscloud_storage_list(request_rec *r, const smscloud_account_t *a,
                                          const char *folder_id,
                                          apr_array_header_t **items);

/** A link to file_id of account a, valid for SmsCloudLinkLifetime: the
 *  provider's own, or one the module signs and serves itself. */
sc_storage_status_e smscloud_storage_link(request_rec *r, const smscloud_account_t *a,
                                          const char *file_id, const char **url);

/** Hand file_id of account a to sink (the module's signed links). */
sc_storage_status_e smscloud_storage_read(request_rec *r, const smscloud_account_t *a,
                                          const char *file_id,
                                          const sc_storage_sink_t *sink);

#endif
