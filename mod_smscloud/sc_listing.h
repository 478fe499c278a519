/* sc_listing.h: what `ls` shows, in which order, with which numbers. */
#ifndef SC_LISTING_H
#define SC_LISTING_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "sc_sms_state.h"

/**
 * Turn a provider's folder contents into listing entries: folders first,
 * then files, each group sorted by name (ASCII case folded, then byte-wise,
 * then by id, so the order never depends on the provider's).
 * @param items  array of sc_storage_item_t *
 * @return array of sc_sms_entry_t *
 */
apr_array_header_t *sc_listing_from_items(apr_pool_t *p,
                                          const apr_array_header_t *items);

/**
 * One line per entry, numbered from 1: "1 Documents/" for a folder,
 * "3 notes.txt (1.2 KB)" for a file, "1 Dropbox (alice@example.com)" for an
 * account. Names are sanitized again, because state rows come back from
 * the database.
 * @return array of const char *, same length as listing
 */
apr_array_header_t *sc_listing_lines(apr_pool_t *p,
                                     const apr_array_header_t *listing);

/** Line i (0-based) of sc_listing_lines(), alone. */
const char *sc_listing_line(apr_pool_t *p, const apr_array_header_t *listing, int i);

/**
 * The page of the listing from entry start, as sc_page_build() makes it of
 * sc_listing_lines(), making only the lines it needs (sc_page_build_lines()):
 * a `more` through hundreds of entries makes one page's worth.
 * @param next  out (may be NULL): the first entry not shown
 */
const char *sc_listing_page(apr_pool_t *p, const apr_array_header_t *listing, int start,
                            apr_size_t max_chars, int *next);

#endif /* SC_LISTING_H */
