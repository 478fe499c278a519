/* sc_local.h - the `local` storage provider: one directory tree on this
 * server is one account.
 *
 * Item ids are paths relative to the root ("" is the root itself), and
 * nothing outside the root is ever reached: ids with an absolute path, a
 * "." or ".." component, any hidden (dot) component, a backslash, an empty
 * component or too many bytes are refused before the file system is asked,
 * and what is left is resolved with realpath() and refused unless it lies
 * inside the real root (so a symlink pointing outside is refused too).
 * Dotfiles are neither listed nor served. Links are the module's own
 * signed links; read_file hands the module the opened file, which httpd
 * sends itself (sendfile, Range, conditional requests).
 *
 * Each phone has a folder of its own below the root, named by the digits of
 * its number ("+15551234567" -> "15551234567"), made when the phone
 * connects (and when first listed, for accounts older than that), with a
 * copy of the SmsCloudLocalSkeleton tree in it if one is set. Only with
 * SmsCloudLocalShared On is the root itself every phone's account.
 */
#ifndef SC_LOCAL_H
#define SC_LOCAL_H

#include <apr_pools.h>
#include <apr_errno.h>
#include <apr_file_info.h>

#include "sc_storage.h"

/** Longest item id in bytes. */
#define SC_LOCAL_MAX_ID 1024
/** Used when sc_local_conf_t.max_items is 0 or less. */
#define SC_LOCAL_DEFAULT_MAX_ITEMS 5000
/** SmsCloudLocalName when not set. */
#define SC_LOCAL_DEFAULT_NAME "Files on this server"

/** The registry's description of this provider. */
extern const sc_storage_provider_t sc_local_provider;

typedef struct {
    const char *root;          /* SmsCloudLocalRoot, an existing directory */
    const char *name;          /* SmsCloudLocalName */
    int max_items;             /* larger folders are refused as BAD_REPLY */
    int shared;                /* SmsCloudLocalShared: the root is everyone's */
    const char *skeleton;      /* SmsCloudLocalSkeleton: copied into new folders */
} sc_local_conf_t;

/**
 * The folder name of a phone's private tree: the digits of an E.164 number.
 * @return the name, or NULL when phone is not "+" and 8 to 15 digits
 */
const char *sc_local_folder_name(apr_pool_t *p, const char *phone);

/**
 * The provider context for a configuration (what init builds from the
 * directives).
 * @param pconf pool for a copy of c, with the root resolved by realpath()
 * @return the context, or NULL when a field is missing or the root is not
 *         a directory
 */
const void *sc_local_context(apr_pool_t *pconf, const sc_local_conf_t *c);

/**
 * Whether an item id is acceptable at all (see the rules above).
 * @return 1 if acceptable, 0 otherwise (also for NULL)
 */
int sc_local_id_ok(const char *id);

/**
 * Where an item id lives on disk.
 * @param ctx    from sc_local_context()
 * @param path   receives the real path (no symlinks) inside the root
 * @param finfo  receives its stat (type, size, mtime, inode); may be NULL
 * @return SC_STORAGE_OK; SC_STORAGE_NOT_FOUND for a refused id, a missing
 *         item, anything outside the root and anything that is neither a
 *         regular file nor a directory
 */
sc_storage_status_e sc_local_resolve(const void *ctx, apr_pool_t *p, const char *id,
                                     const char **path, apr_finfo_t *finfo);

#endif /* SC_LOCAL_H */
