/* sc_storage.h - the storage provider interface and its registry.
 *
 * A provider is one file pair sc_<name>.c/.h that fills in one
 * sc_storage_provider_t, plus one line in the registry (sc_storage.c). The
 * module reaches storage only through that description: the directives a
 * provider takes, how an account is connected, how a folder is listed, an
 * item described and a link made. No other code names a provider.
 *
 * Everything a provider returns is allocated from the pool passed in, and
 * every name it returns has been through sc_text_sanitize() (valid UTF-8, no
 * control characters), so it is safe for an SMS, a page or a JSON state
 * record.
 */
#ifndef SC_STORAGE_H
#define SC_STORAGE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>
#include <apr_file_io.h>

typedef enum {
    SC_STORAGE_OK = 0,
    SC_STORAGE_NOT_FOUND,      /* no such account, folder or file */
    SC_STORAGE_NOT_FOLDER,     /* listed something that is a file */
    SC_STORAGE_NOT_FILE,       /* asked a link for a folder */
    SC_STORAGE_DENIED,         /* the provider refused our credentials */
    SC_STORAGE_UNAVAILABLE,    /* timeout, no connection, 5xx, rate limited */
    SC_STORAGE_BAD_REPLY,      /* an answer we cannot use */
    SC_STORAGE_INVALID         /* what the user typed cannot be used (a
                                * connect form; *problem says why) */
} sc_storage_status_e;

typedef struct {
    const char *id;            /* provider's opaque id */
    const char *name;
    int is_folder;
    apr_int64_t size;          /* bytes; -1 unknown */
    const char *mime_type;     /* NULL when unknown */
} sc_storage_item_t;

/* ------------------------------------------------------------------------ */
/* settings: the directives a provider takes */

typedef enum {
    SC_SETTING_STRING = 0,     /* any non-empty text */
    SC_SETTING_SECRET,         /* text never echoed into a log or error */
    SC_SETTING_URL,            /* absolute http(s) URL without query */
    SC_SETTING_DIR,            /* an existing directory (ServerRoot-relative) */
    SC_SETTING_FLAG,           /* On or Off: "on" or "off" */
    SC_SETTING_LIST            /* one or more words, kept space-separated */
} sc_setting_kind_e;

typedef struct {
    const char *directive;     /* "SmsCloudLocalRoot"; NULL ends a table */
    sc_setting_kind_e kind;
    const char *help;          /* one line, for httpd -L and errors */
} sc_storage_setting_t;

/**
 * A directive's value checked for its kind, as httpd reads the
 * configuration (a provider's settings, and the module's own URLs and
 * directories, which follow the same rules).
 * @param arg     the value; for SC_SETTING_DIR already made absolute
 *                (ServerRoot-relative paths are httpd's to resolve)
 * @param before  SC_SETTING_LIST: the words of the directive's earlier
 *                lines, or NULL
 * @param value   out when valid: what the provider gets (a flag as "on" or
 *                "off", a list with the earlier words first)
 * @return NULL when valid, else what the value must be, for the error
 *         ("an existing directory is required")
 */
const char *sc_storage_setting_value(apr_pool_t *p, sc_setting_kind_e kind, const char *arg,
                                     const char *before, const char **value);

/* ------------------------------------------------------------------------ */
/* connecting an account */

typedef enum {
    SC_CONNECT_ASSIGNED = 0,   /* the operator's: one click, nothing asked */
    SC_CONNECT_OAUTH,          /* redirect to the provider, back to the callback */
    SC_CONNECT_FORM            /* a form of named fields the provider checks */
} sc_connect_kind_e;

typedef struct {
    const char *name;          /* form field name; NULL ends a table */
    const char *label;         /* "Server URL" */
    const char *input_type;    /* HTML input type: "url", "text", "password" */
    int optional;              /* may be left empty (a checkbox: "on" when
                                * ticked) */
} sc_storage_field_t;

/* What connecting an account gave: stored by the module with the phone. */
typedef struct {
    const char *id;            /* the provider's account id, unique per provider */
    const char *service;       /* "dropbox" */
    const char *display_name;  /* "Dropbox (alice@example.com)" */
    const char *credentials;   /* opaque, kept encrypted; NULL when none */
} sc_storage_connected_t;

/* A connected account, as the module hands it back to its provider. */
typedef struct {
    const char *phone;         /* the owner, E.164 */
    const char *id;            /* sc_storage_connected_t.id */
    const char *credentials;   /* sc_storage_connected_t.credentials or NULL */
} sc_storage_account_t;

/* ------------------------------------------------------------------------ */
/* reading a file for the module's own signed link */

/* What the provider says about the file it opened. */
typedef struct {
    apr_file_t *file;          /* a file on this server (the module sends it
                                * with sendfile and answers Range itself);
                                * NULL when the provider streams */
    apr_finfo_t finfo;         /* with file: its stat */
    const char *path;          /* with file: its real path (for mod_mime) */
    int status;                /* when streaming: 200 or 206 */
    apr_off_t length;          /* when streaming: bytes that follow, -1 unknown */
    const char *content_range; /* with 206 */
    const char *content_type;  /* NULL when unknown */
    const char *etag;          /* NULL when unknown */
    apr_time_t mtime;          /* 0 when unknown */
} sc_storage_file_t;

/* Where the bytes go: begin() once before any data, then data() per
 * chunk; either returning non-APR_SUCCESS ends the transfer, which the
 * provider then reports as SC_STORAGE_OK (the sink knows why). */
typedef struct {
    const char *range;         /* the downloader's Range header, or NULL */
    const char *if_range;      /* its If-Range, or NULL */
    apr_status_t (*begin)(void *baton, const sc_storage_file_t *file);
    apr_status_t (*data)(void *baton, const char *buf, apr_size_t len);
    void *baton;
} sc_storage_sink_t;

/* ------------------------------------------------------------------------ */
/* the description */

/* What the module hands every provider besides its settings. */
typedef struct {
    long connect_timeout_ms;   /* SmsCloudHttpConnectTimeout */
    long timeout_ms;           /* SmsCloudHttpTimeout */
} sc_storage_env_t;

typedef struct sc_storage_provider_t sc_storage_provider_t;

struct sc_storage_provider_t {
    const char *name;          /* "local": SmsCloudProviders, accounts.provider */
    const char *label;         /* "Files on this server", unless init says otherwise */
    const sc_storage_setting_t *settings;   /* its directives, or NULL */

    /**
     * Build the provider's context from its settings.
     * @param settings directive name -> value, for the directives it set
     * @param ctx      receives the context every other call gets
     * @param label    receives the name pages show (may stay as is)
     * @param notice   receives a line the module logs as a warning at
     *                 startup (a risky setting), or stays NULL
     * @param err      receives, on failure, what to tell the administrator
     *                 (naming the directive)
     * @return APR_SUCCESS, or an error with *err set
     */
    apr_status_t (*init)(apr_pool_t *pconf, const apr_table_t *settings,
                         const sc_storage_env_t *env, const void **ctx,
                         const char **label, const char **notice, const char **err);

    sc_connect_kind_e connect;
    const sc_storage_field_t *fields;       /* SC_CONNECT_FORM: the form */

    /** SC_CONNECT_ASSIGNED: the account the operator gives this phone. */
    sc_storage_status_e (*assign)(const void *ctx, apr_pool_t *p, const char *phone,
                                  sc_storage_connected_t **account);

    /** SC_CONNECT_OAUTH: where to send the browser, carrying state. */
    apr_status_t (*authorize_url)(const void *ctx, apr_pool_t *p,
                                  const char *redirect_uri, const char *state,
                                  const char **url);
    /** SC_CONNECT_OAUTH: the site authorize_url leads to (the connect page
     *  may post there). */
    const char *(*authorize_site)(const void *ctx);
    /** SC_CONNECT_OAUTH: the callback's code for an account. */
    sc_storage_status_e (*exchange_code)(const void *ctx, apr_pool_t *p,
                                         const char *code, const char *redirect_uri,
                                         sc_storage_connected_t **account);

    /** SC_CONNECT_FORM: check the fields (an array of sc_pair_t) with the
     *  provider and describe the account; *problem says what to fix. */
    sc_storage_status_e (*connect_form)(const void *ctx, apr_pool_t *p,
                                        const char *phone,
                                        const apr_array_header_t *form,
                                        sc_storage_connected_t **account,
                                        const char **problem);

    /** Every entry of a folder (folder_id NULL = the root), in any order
     *  (the listing, sc_listing_from_items(), sorts them for the user);
     *  items is an array of sc_storage_item_t *. */
    sc_storage_status_e (*list_folder)(const void *ctx, apr_pool_t *p,
                                       const sc_storage_account_t *account,
                                       const char *folder_id,
                                       apr_array_header_t **items);

    /** One file or folder, for the module's own signed links (a provider
     *  with read_file); NULL for a provider with create_link. */
    sc_storage_status_e (*describe_item)(const void *ctx, apr_pool_t *p,
                                         const sc_storage_account_t *account,
                                         const char *item_id,
                                         sc_storage_item_t **item);

    /** The provider's own link API: a URL anyone can open, valid for
     *  lifetime. NULL: the module signs a link of its own and serves it
     *  through read_file. */
    sc_storage_status_e (*create_link)(const void *ctx, apr_pool_t *p,
                                       const sc_storage_account_t *account,
                                       const char *file_id,
                                       apr_interval_time_t lifetime,
                                       const char **url);

    /** For the module's signed links: open a file and hand it to sink,
     *  with sink->range passed on when the provider streams. */
    sc_storage_status_e (*read_file)(const void *ctx, apr_pool_t *p,
                                     const sc_storage_account_t *account,
                                     const char *file_id,
                                     const sc_storage_sink_t *sink);
};

/**
 * The provider called name in the registry.
 * @return the description, or NULL for an unknown name (also NULL)
 */
const sc_storage_provider_t *sc_storage_find(const char *name);

/**
 * The registry, for walking: the i-th provider, or NULL past the last.
 */
const sc_storage_provider_t *sc_storage_nth(int i);

/** A provider as a server offers it. */
typedef struct {
    const sc_storage_provider_t *desc;
    const void *ctx;           /* from desc->init */
    const char *label;         /* what pages call it */
    const char *notice;        /* a risky setting to warn of at startup, or NULL */
} sc_storage_offered_t;

/**
 * Start one provider from its settings, as a server's configuration is
 * checked (a setting that cannot work stops httpd then, `apachectl -t`
 * included). A provider whose accounts have passwords (SC_CONNECT_FORM)
 * starts only when they can be sealed.
 * @param settings        directive -> value, for the directives set
 * @param credential_key  SmsCloudCredentialKey is set
 * @param offered         out on success
 * @param err             out on failure: what to tell the administrator,
 *                        naming the directive
 * @return APR_SUCCESS, or APR_EINVAL with *err set
 */
apr_status_t sc_storage_start_one(apr_pool_t *pconf, const sc_storage_provider_t *desc,
                                  const apr_table_t *settings, const sc_storage_env_t *env,
                                  int credential_key, sc_storage_offered_t **offered,
                                  const char **err);

/**
 * Start the providers called names (SmsCloudProviders), in that order, as
 * sc_storage_start_one() does.
 * @param offered  out: sc_storage_offered_t *, each provider started (on
 *                 failure those before the one that failed)
 * @return APR_SUCCESS, or APR_EINVAL with *err set (an unknown name too)
 */
apr_status_t sc_storage_start(apr_pool_t *pconf, const apr_array_header_t *names,
                              const apr_table_t *settings, const sc_storage_env_t *env,
                              int credential_key, apr_array_header_t **offered,
                              const char **err);

/**
 * Whether the connect page offers a phone with `connected` accounts of
 * this provider another one. An operator-assigned account is the phone's
 * own and there is only one, so once it is connected the page says so
 * instead of showing a button that can do nothing; OAuth and form
 * providers connect as many accounts as the phone likes.
 */
int sc_storage_offers_another(const sc_storage_provider_t *provider, int connected);

/**
 * Plain English for a status, fit for an SMS reply.
 * @return a static string; never NULL
 */
const char *sc_storage_status_text(sc_storage_status_e status);

/** A provider's id as text a database (UTF-8 only) takes: ids are any
 *  bytes (a local file name need not be UTF-8), so they are stored
 *  percent-encoded (apr_pescape_path_segment). */
const char *sc_storage_id_store(apr_pool_t *p, const char *id);

/** The id sc_storage_id_store() made of it; NULL for what it cannot have
 *  written: empty, a bad escape, or an escaped NUL (which would cut the id
 *  short and name something else). */
const char *sc_storage_id_load(apr_pool_t *p, const char *stored);

#endif /* SC_STORAGE_H */
