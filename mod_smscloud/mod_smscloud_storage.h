/*
 * Which storage provider serves an account: the SMS and web code ask by
 * the provider name stored with the account, never name one themselves.
 */
#ifndef MOD_SMSCLOUD_STORAGE_H
#define MOD_SMSCLOUD_STORAGE_H

#include "httpd.h"
#include "sc_storage.h"

/** Build the providers every configured server offers (post_config). */
apr_status_t smscloud_storage_init(apr_pool_t *pconf, server_rec *s);

/** The provider called `name` ("kloudless", "local") for this request's
 *  server, or NULL when it is not enabled there. */
const sc_storage_provider_t *smscloud_storage_provider(const request_rec *r,
                                                       const char *name);

#endif
