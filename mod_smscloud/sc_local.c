/* sc_local.c - the `local` storage provider (see sc_local.h). */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <apr_file_info.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <apr_time.h>

#include "sc_local.h"
#include "sc_link.h"
#include "sc_xml.h"

#define STAT_WANTED (APR_FINFO_TYPE | APR_FINFO_SIZE | APR_FINFO_MTIME \
                     | APR_FINFO_INODE | APR_FINFO_DEV)

static const sc_local_conf_t *conf_of(const sc_storage_provider_t *sp)
{
    return sp->ctx;
}

/* ------------------------------------------------------------------------ */
/* ids and paths */

/* One path component of an id: not empty, not hidden (which also covers
 * "." and ".."). */
static int component_ok(const char *s, apr_size_t n)
{
    return n > 0 && s[0] != '.';
}

int sc_local_id_ok(const char *id)
{
    const char *at;
    apr_size_t n;

    if (!id || strlen(id) > SC_LOCAL_MAX_ID || strchr(id, '\\')) {
        return 0;
    }
    if (!*id) {
        return 1;
    }
    for (at = id;; at += n + 1) {
        n = strcspn(at, "/");
        if (!component_ok(at, n)) {
            return 0;
        }
        if (!at[n]) {
            return 1;
        }
    }
}

/* realpath() into the pool; NULL when the path does not resolve. */
static const char *real_path(apr_pool_t *p, const char *path)
{
    char *r = realpath(path, NULL);
    const char *copy;

    if (!r) {
        return NULL;
    }
    copy = apr_pstrdup(p, r);
    free(r);
    return copy;
}

/* Whether real (symlink-free) lies inside root and reaches nothing hidden
 * on the way, e.g. through a symlink to a dot-directory of the root. */
static int inside_root(const char *root, const char *real)
{
    apr_size_t n = strlen(root);
    const char *rest;

    if (strcmp(root, "/") == 0) {
        rest = real + 1;
    }
    else if (strncmp(real, root, n) == 0 && (real[n] == '\0' || real[n] == '/')) {
        rest = real[n] ? real + n + 1 : "";
    }
    else {
        return 0;
    }
    return sc_local_id_ok(rest);
}

static const char *join_id(apr_pool_t *p, const char *folder, const char *name)
{
    return (folder && *folder) ? apr_pstrcat(p, folder, "/", name, NULL)
                               : apr_pstrdup(p, name);
}

static const char *base_name(const char *id)
{
    const char *slash = strrchr(id, '/');

    return slash ? slash + 1 : id;
}

sc_storage_status_e sc_local_resolve(const sc_storage_provider_t *sp,
                                     apr_pool_t *p, const char *id,
                                     const char **path, apr_finfo_t *finfo)
{
    const sc_local_conf_t *c = conf_of(sp);
    apr_finfo_t fi;
    const char *real;

    if (!id) {
        id = "";
    }
    if (!sc_local_id_ok(id)) {
        return SC_STORAGE_NOT_FOUND;
    }
    real = real_path(p, *id ? apr_pstrcat(p, c->root, "/", id, NULL) : c->root);
    if (!real || !inside_root(c->root, real)
        || apr_stat(&fi, real, STAT_WANTED, p) != APR_SUCCESS
        || (fi.filetype != APR_REG && fi.filetype != APR_DIR)) {
        return SC_STORAGE_NOT_FOUND;
    }
    if (path) {
        *path = real;
    }
    if (finfo) {
        *finfo = fi;
    }
    return SC_STORAGE_OK;
}

/* ------------------------------------------------------------------------ */
/* the provider */

static sc_storage_item_t *make_item(apr_pool_t *p, const sc_local_conf_t *c,
                                    const char *id, const apr_finfo_t *fi)
{
    sc_storage_item_t *it = apr_pcalloc(p, sizeof(*it));
    const char *name = *id ? base_name(id) : c->name;

    it->id = apr_pstrdup(p, id);
    it->name = sc_text_oneline(p, name, strlen(name));
    it->is_folder = fi->filetype == APR_DIR;
    it->size = it->is_folder ? -1 : (apr_int64_t)fi->size;
    it->mime_type = NULL;
    return it;
}

static sc_storage_status_e local_describe_account(const sc_storage_provider_t *sp,
                                                  apr_pool_t *p,
                                                  const char *account_id,
                                                  sc_storage_account_t **account)
{
    const sc_local_conf_t *c = conf_of(sp);
    sc_storage_account_t *a = apr_pcalloc(p, sizeof(*a));

    a->id = apr_pstrdup(p, account_id ? account_id : "");
    a->service = "local";
    a->service_name = sc_text_oneline(p, c->name, strlen(c->name));
    a->name = a->service_name;
    *account = a;
    return SC_STORAGE_OK;
}

static sc_storage_status_e local_describe_item(const sc_storage_provider_t *sp,
                                               apr_pool_t *p,
                                               const char *account_id,
                                               const char *item_id,
                                               sc_storage_item_t **item)
{
    apr_finfo_t fi;
    sc_storage_status_e st = sc_local_resolve(sp, p, item_id, NULL, &fi);

    if (st == SC_STORAGE_OK) {
        *item = make_item(p, conf_of(sp), item_id ? item_id : "", &fi);
    }
    return st;
}

/* Folders first, then by name byte-wise: directory order is arbitrary, and
 * the numbers a listing gives must not change between two `ls`. */
static int item_order(const void *a, const void *b)
{
    const sc_storage_item_t *x = *(sc_storage_item_t *const *)a;
    const sc_storage_item_t *y = *(sc_storage_item_t *const *)b;

    if (x->is_folder != y->is_folder) {
        return y->is_folder - x->is_folder;
    }
    return strcmp(base_name(x->id), base_name(y->id));
}

/* Entry `name` of folder (whose real path is `path`), or NULL when it is
 * hidden or not servable. A plain file or folder there is inside the root
 * already: path is, and name is one visible component. So one lstat()
 * does, and only a symlink costs sc_local_resolve()'s realpath(), which
 * is a readlink() per path component (a 300-entry `ls` spent most of its
 * time there). */
static sc_storage_item_t *listed_item(const sc_storage_provider_t *sp,
                                      apr_pool_t *p, const char *folder,
                                      const char *path, const char *name)
{
    const char *id = join_id(p, folder, name);
    apr_finfo_t fi;

    if (!sc_local_id_ok(id)
        || apr_stat(&fi, apr_pstrcat(p, path, "/", name, NULL),
                    STAT_WANTED | APR_FINFO_LINK, p) != APR_SUCCESS) {
        return NULL;
    }
    if (fi.filetype == APR_LNK && sc_local_resolve(sp, p, id, NULL, &fi) != SC_STORAGE_OK) {
        return NULL;
    }
    if (fi.filetype != APR_REG && fi.filetype != APR_DIR) {
        return NULL;
    }
    return make_item(p, conf_of(sp), id, &fi);
}

static sc_storage_status_e read_folder(const sc_storage_provider_t *sp,
                                       apr_pool_t *p, const char *folder,
                                       const char *path,
                                       apr_array_header_t *items)
{
    const sc_local_conf_t *c = conf_of(sp);
    sc_storage_status_e st = SC_STORAGE_OK;
    apr_dir_t *dir;
    apr_finfo_t fi;
    apr_status_t rv;

    rv = apr_dir_open(&dir, path, p);
    if (rv != APR_SUCCESS) {
        return APR_STATUS_IS_EACCES(rv) ? SC_STORAGE_DENIED : SC_STORAGE_UNAVAILABLE;
    }
    while ((rv = apr_dir_read(&fi, APR_FINFO_NAME, dir)) == APR_SUCCESS
           || rv == APR_INCOMPLETE) {
        sc_storage_item_t *it = fi.name ? listed_item(sp, p, folder, path, fi.name) : NULL;

        if (!it) {
            continue;
        }
        if (items->nelts >= c->max_items) {
            st = SC_STORAGE_BAD_REPLY;
            break;
        }
        APR_ARRAY_PUSH(items, sc_storage_item_t *) = it;
    }
    apr_dir_close(dir);
    return st;
}

static sc_storage_status_e local_list_folder(const sc_storage_provider_t *sp,
                                             apr_pool_t *p,
                                             const char *account_id,
                                             const char *folder_id,
                                             apr_array_header_t **items)
{
    apr_array_header_t *out = apr_array_make(p, 16, sizeof(sc_storage_item_t *));
    const char *path;
    apr_finfo_t fi;
    sc_storage_status_e st;

    folder_id = folder_id ? folder_id : "";
    st = sc_local_resolve(sp, p, folder_id, &path, &fi);
    if (st != SC_STORAGE_OK) {
        return st;
    }
    if (fi.filetype != APR_DIR) {
        return SC_STORAGE_NOT_FOLDER;
    }
    st = read_folder(sp, p, folder_id, path, out);
    if (st != SC_STORAGE_OK) {
        return st;
    }
    qsort(out->elts, (size_t)out->nelts, sizeof(sc_storage_item_t *), item_order);
    *items = out;
    return SC_STORAGE_OK;
}

static sc_storage_status_e local_create_link(const sc_storage_provider_t *sp,
                                             apr_pool_t *p,
                                             const char *account_id,
                                             const char *file_id,
                                             apr_interval_time_t lifetime,
                                             const char **url)
{
    const sc_local_conf_t *c = conf_of(sp);
    sc_link_t link;
    const char *token;
    apr_finfo_t fi;
    sc_storage_status_e st = sc_local_resolve(sp, p, file_id, NULL, &fi);

    if (st != SC_STORAGE_OK) {
        return st;
    }
    if (fi.filetype != APR_REG) {
        return SC_STORAGE_NOT_FILE;
    }
    link.provider = sp->name;
    link.account_id = account_id ? account_id : "";
    link.file_id = file_id;
    link.expires = apr_time_sec(apr_time_now())
                   + (lifetime > 0 ? apr_time_sec(lifetime) : c->link_lifetime);
    if (sc_link_sign(p, c->link_key, &link, &token) != APR_SUCCESS) {
        return SC_STORAGE_UNAVAILABLE;
    }
    *url = sc_link_url(p, c->link_base, token, base_name(file_id));
    return SC_STORAGE_OK;
}

const sc_storage_provider_t *sc_local_provider(apr_pool_t *pconf,
                                               const sc_local_conf_t *c)
{
    sc_storage_provider_t *sp;
    sc_local_conf_t *copy;
    apr_finfo_t fi;

    if (!c || !c->root || !c->name || !c->link_key || !c->link_base
        || c->link_lifetime <= 0) {
        return NULL;
    }
    copy = apr_pmemdup(pconf, c, sizeof(*c));
    copy->root = real_path(pconf, c->root);
    if (!copy->root || apr_stat(&fi, copy->root, APR_FINFO_TYPE, pconf) != APR_SUCCESS
        || fi.filetype != APR_DIR) {
        return NULL;
    }
    if (copy->max_items <= 0) {
        copy->max_items = SC_LOCAL_DEFAULT_MAX_ITEMS;
    }
    sp = apr_pcalloc(pconf, sizeof(*sp));
    sp->name = "local";
    sp->ctx = copy;
    sp->describe_account = local_describe_account;
    sp->list_folder = local_list_folder;
    sp->describe_item = local_describe_item;
    sp->create_link = local_create_link;
    return sp;
}
