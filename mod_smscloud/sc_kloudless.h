/* sc_kloudless.h - the Kloudless API v1 storage provider and its OAuth
 * connect flow.
 *
 * Legacy: Kloudless no longer runs a public service, so this provider only
 * serves installations with a Kloudless-compatible endpoint of their own
 * (and the tests, against a fake that follows the documented wire format).
 * WebDAV is the provider for storage people use today.
 *
 * Storage calls use the application-wide "Authorization: APIKey <key>", so
 * only account ids are kept per phone. The OAuth access token of the
 * connect flow is used once to learn the account id and then dropped.
 */
#ifndef SC_KLOUDLESS_H
#define SC_KLOUDLESS_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_errno.h>

#include "sc_storage.h"

/** Entries asked for per listing page (Kloudless takes up to 1000). */
#define SC_KLOUDLESS_PAGE_SIZE 500
/** Larger folders are refused as SC_STORAGE_BAD_REPLY. */
#define SC_KLOUDLESS_MAX_ITEMS 5000

/** SmsCloudKloudlessApiBase and SmsCloudKloudlessAuthorizeUrl when not set. */
#define SC_KLOUDLESS_DEFAULT_API_BASE  "https://api.kloudless.com/v1"
#define SC_KLOUDLESS_DEFAULT_AUTHORIZE "https://api.kloudless.com/v1/oauth/"

/** The registry's description of this provider. */
extern const sc_storage_provider_t sc_kloudless_provider;

/* An account object of the API. */
typedef struct {
    const char *id;            /* decimal string */
    const char *service;       /* "dropbox" */
    const char *service_name;  /* "Dropbox" */
    const char *name;          /* "alice@example.com" */
} sc_kloudless_account_t;

typedef struct {
    const char *api_base;      /* "https://api.kloudless.com/v1" */
    const char *authorize_url; /* the OAuth authorize page */
    const char *api_key;
    const char *app_id;
    long connect_timeout_ms;   /* 0 = sc_http default */
    long timeout_ms;           /* per call, a listing's pages together; 0 = sc_http default */
} sc_kloudless_conf_t;

/**
 * The provider context for a configuration (what init builds from the
 * directives).
 * @param pconf pool that holds a copy of c (with defaults applied)
 * @param c     the configuration; api_base and api_key are required
 * @return the context, or NULL when api_base or api_key is missing
 */
const void *sc_kloudless_context(apr_pool_t *pconf, const sc_kloudless_conf_t *c);

/**
 * Decode an account object (GET /accounts/{id}). The integer id becomes a
 * decimal string; text is sanitised.
 * @return SC_STORAGE_OK, or SC_STORAGE_BAD_REPLY when the JSON is malformed
 *         or id or service is missing
 */
sc_storage_status_e sc_kloudless_decode_account(apr_pool_t *p, const char *body,
                                                apr_size_t len,
                                                sc_kloudless_account_t **account);

/**
 * Decode one page of a folder listing. Each entry is a file or folder
 * object: a size that is an integer or a numeric string is kept; null,
 * missing or anything else gives -1.
 * @param items_out  array of sc_storage_item_t * the page's entries are
 *                   appended to (some may have been appended on failure)
 * @param next_page  the page to ask for next, 0 when this was the last
 *                   (next_page null or absent)
 * @return SC_STORAGE_OK, or SC_STORAGE_BAD_REPLY when the JSON is malformed,
 *         "objects" is not an array, an entry is bad (no id, or a type
 *         neither "file" nor "folder") or next_page is neither null nor a
 *         positive integer
 */
sc_storage_status_e sc_kloudless_decode_list(apr_pool_t *p, const char *body,
                                             apr_size_t len,
                                             apr_array_header_t *items_out,
                                             apr_int64_t *next_page);

/**
 * Decode a link object (POST /accounts/{id}/storage/links).
 * @param url receives the link's "url"
 * @return SC_STORAGE_OK, or SC_STORAGE_BAD_REPLY when the JSON is malformed
 *         or url is missing, not http(s) or contains blanks or controls
 */
sc_storage_status_e sc_kloudless_decode_link(apr_pool_t *p, const char *body,
                                             apr_size_t len, const char **url);

/**
 * The URL to send a browser to for connecting an account (scope
 * "storage", response_type "code"); every query value is form-encoded.
 * @param authorize_base "https://api.kloudless.com/v1/oauth/"; may carry a
 *                       query already
 * @param url            receives the URL
 * @return APR_SUCCESS, or APR_EINVAL when an argument is missing or empty
 */
apr_status_t sc_kloudless_authorize_url(apr_pool_t *p, const char *authorize_base,
                                        const char *app_id,
                                        const char *redirect_uri,
                                        const char *state, const char **url);

#endif /* SC_KLOUDLESS_H */
