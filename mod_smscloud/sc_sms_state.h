/* sc_sms_state.h: the per-phone state of an SMS conversation and its JSON
 * form, as kept in the sms_state table.
 *
 * Only ids and names the user has already seen are kept, so the JSON is
 * rebuilt from the provider whenever the user lists a folder again.
 */
#ifndef SC_SMS_STATE_H
#define SC_SMS_STATE_H

#include <apr_pools.h>
#include <apr_tables.h>

/** One level of the folder stack inside an account. */
typedef struct {
    const char *id;
    const char *name;
} sc_sms_folder_t;

typedef enum {
    SC_ENTRY_ACCOUNT = 0,   /* top level: one of the phone's accounts */
    SC_ENTRY_FOLDER,
    SC_ENTRY_FILE
} sc_sms_entry_kind_e;

/** One numbered line of the last listing. */
typedef struct {
    const char *id;         /* provider id; for accounts our accounts.id */
    sc_sms_entry_kind_e kind;
    const char *name;
    apr_int64_t size;       /* bytes; -1 unknown or not a file */
} sc_sms_entry_t;

typedef struct {
    const char *account_ref;     /* accounts.id; NULL at the top level */
    apr_array_header_t *folders; /* sc_sms_folder_t *, outermost first */
    apr_array_header_t *listing; /* sc_sms_entry_t *, numbered from 1 */
    int next_index;              /* first listing entry `more` shows */
} sc_sms_state_t;

/** A state at the top level with nothing listed. */
sc_sms_state_t *sc_sms_state_new(apr_pool_t *p);

/** Back to the top level, nothing listed. */
void sc_sms_state_reset(apr_pool_t *p, sc_sms_state_t *st);

/** The folder stack as JSON: [{"id":..,"name":..}, ...]. Ids are stored
 *  percent-encoded (apr_pescape_path_segment): they are any bytes, the
 *  database takes only UTF-8. */
const char *sc_sms_folders_encode(apr_pool_t *p, const apr_array_header_t *folders);

/** The listing as compact JSON: [["a|d|f", id, name(, size)], ...]
 *  (account, folder, file; a size only for files that have one); ids
 *  encoded as for the folders. */
const char *sc_sms_listing_encode(apr_pool_t *p, const apr_array_header_t *listing);

/**
 * Decode what sc_sms_folders_encode() wrote.
 * @return APR_SUCCESS; APR_EINVAL for anything else (then *folders is an
 *         empty array, so a damaged row degrades to the top level)
 */
apr_status_t sc_sms_folders_decode(apr_pool_t *p, const char *json,
                                   apr_array_header_t **folders);

/** Decode what sc_sms_listing_encode() wrote; errors as above. */
apr_status_t sc_sms_listing_decode(apr_pool_t *p, const char *json,
                                   apr_array_header_t **listing);

#endif /* SC_SMS_STATE_H */
