/* sc_storage.h - the cloud storage provider interface.
 *
 * The SMS command code talks to storage only through this table of
 * functions and never names a provider. Everything a provider returns is
 * allocated from the pool passed in, and every name it returns has been
 * through sc_text_sanitize() (valid UTF-8, no control characters), so it
 * is safe for an SMS, a page or a JSON state record.
 */
#ifndef SC_STORAGE_H
#define SC_STORAGE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

typedef enum {
    SC_STORAGE_OK = 0,
    SC_STORAGE_NOT_FOUND,      /* no such account, folder or file */
    SC_STORAGE_NOT_FOLDER,     /* listed something that is a file */
    SC_STORAGE_NOT_FILE,       /* asked a link for a folder */
    SC_STORAGE_DENIED,         /* the provider refused our credentials */
    SC_STORAGE_UNAVAILABLE,    /* timeout, no connection, 5xx, rate limited */
    SC_STORAGE_BAD_REPLY       /* an answer we cannot use */
} sc_storage_status_e;

typedef struct {
    const char *id;            /* provider's opaque id */
    const char *name;
    int is_folder;
    apr_int64_t size;          /* bytes; -1 unknown */
    const char *mime_type;     /* NULL when unknown */
} sc_storage_item_t;

typedef struct {
    const char *id;            /* decimal string for Kloudless */
    const char *service;       /* "dropbox" */
    const char *service_name;  /* "Dropbox" */
    const char *name;          /* "alice@example.com" */
} sc_storage_account_t;

typedef struct sc_storage_provider_t sc_storage_provider_t;

struct sc_storage_provider_t {
    const char *name;          /* for logs: "kloudless" */
    void *ctx;                 /* the provider's own configuration */

    /* One connected account. */
    sc_storage_status_e (*describe_account)(const sc_storage_provider_t *sp,
                                            apr_pool_t *p,
                                            const char *account_id,
                                            sc_storage_account_t **account);

    /* Every entry of a folder (folder_id NULL = the root), in provider
     * order; items is an array of sc_storage_item_t *. */
    sc_storage_status_e (*list_folder)(const sc_storage_provider_t *sp,
                                       apr_pool_t *p,
                                       const char *account_id,
                                       const char *folder_id,
                                       apr_array_header_t **items);

    /* One file or folder. */
    sc_storage_status_e (*describe_item)(const sc_storage_provider_t *sp,
                                         apr_pool_t *p,
                                         const char *account_id,
                                         const char *item_id,
                                         sc_storage_item_t **item);

    /* A URL anyone can open to fetch the file, valid for lifetime
     * (0 or less: the provider's default). */
    sc_storage_status_e (*create_link)(const sc_storage_provider_t *sp,
                                       apr_pool_t *p,
                                       const char *account_id,
                                       const char *file_id,
                                       apr_interval_time_t lifetime,
                                       const char **url);
};

/**
 * Plain English for a status, fit for an SMS reply.
 * @return a static string; never NULL
 */
const char *sc_storage_status_text(sc_storage_status_e status);

#endif /* SC_STORAGE_H */
