/* sc_webdav.h - the WebDAV storage provider (RFC 4918): Nextcloud, ownCloud,
 * most NAS boxes, Apache mod_dav, `rclone serve webdav`.
 *
 * An account is a server folder URL, a user and an (app) password, checked
 * with one PROPFIND Depth 0 before it is stored and kept only sealed by the
 * module. Folders are listed with PROPFIND Depth 1, parsed with apr_xml
 * (namespace-aware); item ids are the server's absolute paths, decoded.
 * Links are the module's own: files are streamed from the server.
 */
#ifndef SC_WEBDAV_H
#define SC_WEBDAV_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "sc_storage.h"

/** The provider's description, for the registry (sc_storage.c). */
extern const sc_storage_provider_t sc_webdav_provider;

/** Largest PROPFIND answer read, in bytes. */
#define SC_WEBDAV_MAX_RESPONSE ((apr_size_t)4 * 1024 * 1024)
/** Most entries a listed folder may have. */
#define SC_WEBDAV_MAX_ITEMS 5000

/**
 * Decode a 207 Multi-Status answer to PROPFIND Depth 1 of folder_path.
 * @param folder_path the folder's absolute path on the server, decoded
 *                    ("/dav/Docs/"); its own entry is recognised by href
 * @param max_items   more entries than this are refused
 * @param items       receives sc_storage_item_t *, in the answer's order
 *                    (sc_listing_from_items() sorts); ids are decoded
 *                    absolute paths, folders ending in "/"
 * @param self        receives 1 when the folder's own entry was there and is
 *                    a collection (may be NULL)
 * @return SC_STORAGE_OK; SC_STORAGE_BAD_REPLY for malformed XML, no
 *         multistatus, too many entries or an entry outside the folder
 */
sc_storage_status_e sc_webdav_parse_listing(apr_pool_t *p, const char *body,
                                            apr_size_t len, const char *folder_path,
                                            int max_items, apr_array_header_t **items,
                                            int *self);

#endif /* SC_WEBDAV_H */
