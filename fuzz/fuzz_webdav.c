/* fuzz_webdav.c: the WebDAV provider's reading of a PROPFIND 207
 * Multi-Status (sc_webdav_parse_listing, sc_webdav.h).
 *
 * Input: a byte for max_items, the folder's path up to the first '\n',
 * then the body, as any server (or whoever answers in its place) may send
 * it. What comes out goes into an SMS listing, a state row and the URL of
 * the next request: every entry lies exactly one level inside the folder
 * (no "." or "..", no '/' inside its name), a folder's id and only a
 * folder's ends in '/', names and types are one-line sanitized text, and
 * the cap on entries is exact. */
#include <string.h>

#include <apr_strings.h>

#include "harness.h"
#include "sc_webdav.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
    FZ_ASSERT(s && fz_text_clean(s, strlen(s), 1));
}

/* An entry of folder: folder, one name, a '/' after it for a folder. */
static void check_item(const sc_storage_item_t *it, const char *folder)
{
    apr_size_t n = strlen(folder), len;
    const char *name;

    FZ_ASSERT(it && it->id && !strncmp(it->id, folder, n));
    FZ_ASSERT(folder[n - 1] == '/');
    name = it->id + n;
    len = strcspn(name, "/");
    FZ_ASSERT(len > 0);
    FZ_ASSERT(strcmp(name, ".") && strcmp(name, "..") && strcmp(name, "./")
              && strcmp(name, "../"));
    FZ_ASSERT(it->is_folder == 0 || it->is_folder == 1);
    if (it->is_folder) {
        FZ_ASSERT(name[len] == '/' && name[len + 1] == '\0');
        FZ_ASSERT(it->size == -1 && it->mime_type == NULL);
    }
    else {
        FZ_ASSERT(name[len] == '\0');
        FZ_ASSERT(it->size >= -1);
    }
    check_text(it->name);
    if (it->mime_type) {
        check_text(it->mime_type);
        FZ_ASSERT(*it->mime_type);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_begin();
    int max = (int)fz_take_byte(&data, &size) % 8;
    apr_array_header_t *pieces = fz_split(p, data, size, '\n', 2);
    fz_piece_t folder = fz_piece(pieces, 0), body = fz_piece(pieces, 1);
    apr_array_header_t *items = (void *)1, *again = NULL;
    sc_storage_status_e st;
    int self = 7, i;

    /* a NUL in the path would end it early: not something a caller sends */
    if (strlen(folder.s) != folder.len) {
        fz_end(p);
        return 0;
    }
    st = sc_webdav_parse_listing(p, body.s, body.len, folder.s, max, &items, &self);
    FZ_ASSERT(st == SC_STORAGE_OK || st == SC_STORAGE_BAD_REPLY);
    FZ_ASSERT(self == 0 || self == 1);
    if (st != SC_STORAGE_OK) {
        FZ_ASSERT(items == NULL && self == 0);
        FZ_ASSERT(sc_webdav_parse_listing(p, body.s, body.len, folder.s, max, &again, NULL)
                  == SC_STORAGE_BAD_REPLY);
        fz_end(p);
        return 0;
    }
    FZ_ASSERT(folder.s[0] == '/');
    FZ_ASSERT(items && items->nelts <= max);
    for (i = 0; i < items->nelts; i++) {
        check_item(APR_ARRAY_IDX(items, i, const sc_storage_item_t *), folder.s);
    }
    /* the same answer reads the same again, and the cap is exact */
    FZ_ASSERT(sc_webdav_parse_listing(p, body.s, body.len, folder.s, items->nelts, &again,
                                      NULL) == SC_STORAGE_OK);
    FZ_ASSERT(again->nelts == items->nelts);
    for (i = 0; i < items->nelts; i++) {
        FZ_ASSERT(!strcmp(APR_ARRAY_IDX(again, i, const sc_storage_item_t *)->id,
                          APR_ARRAY_IDX(items, i, const sc_storage_item_t *)->id));
    }
    if (items->nelts) {
        FZ_ASSERT(sc_webdav_parse_listing(p, body.s, body.len, folder.s, items->nelts - 1,
                                          &again, NULL) == SC_STORAGE_BAD_REPLY);
    }
    fz_end(p);
    return 0;
}
