/* sc_local.c - the `local` storage provider (see sc_local.h). */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <apr_file_info.h>
#include <apr_portable.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <apr_time.h>

#include "sc_local.h"
#include "sc_phone.h"
#include "sc_text.h"

#define STAT_WANTED (APR_FINFO_TYPE | APR_FINFO_SIZE | APR_FINFO_MTIME \
                     | APR_FINFO_INODE | APR_FINFO_DEV)

static const sc_local_conf_t *conf_of(const void *ctx)
{
    return ctx;
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

sc_storage_status_e sc_local_resolve(const void *ctx, apr_pool_t *p, const char *id,
                                     const char **path, apr_finfo_t *finfo)
{
    const sc_local_conf_t *c = conf_of(ctx);
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
/* a phone's own tree */

const char *sc_local_folder_name(apr_pool_t *p, const char *phone)
{
    return sc_phone_is_e164(phone) ? apr_pstrdup(p, phone + 1) : NULL;
}

#define SKELETON_DEPTH 8

/* Copy what is visible of tree from into the new folder to: files and
 * folders, no dotfiles, no symlinks, not deeper than SKELETON_DEPTH. */
static void copy_tree(apr_pool_t *p, const char *from, const char *to, int depth)
{
    apr_dir_t *dir;
    apr_finfo_t fi;

    if (depth > SKELETON_DEPTH || apr_dir_open(&dir, from, p) != APR_SUCCESS) {
        return;
    }
    apr_status_t rv;

    while ((rv = apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE | APR_FINFO_LINK, dir))
           == APR_SUCCESS || rv == APR_INCOMPLETE) {
        const char *src, *dst;

        if (!fi.name || fi.name[0] == '.') {
            continue;
        }
        src = apr_pstrcat(p, from, "/", fi.name, NULL);
        dst = apr_pstrcat(p, to, "/", fi.name, NULL);
        if (fi.filetype == APR_DIR
            && apr_dir_make(dst, APR_FPROT_OS_DEFAULT, p) == APR_SUCCESS) {
            copy_tree(p, src, dst, depth + 1);
        }
        else if (fi.filetype == APR_REG) {
            apr_file_copy(src, dst, APR_FPROT_FILE_SOURCE_PERMS, p);
        }
    }
    apr_dir_close(dir);
}

/* The tree account a sees, as a configuration whose root is that tree:
 * the root itself when shared, else the phone's folder, made (and seeded)
 * when missing. NULL when the account names no phone or the folder cannot
 * be had. */
static const sc_local_conf_t *tree_of(const void *ctx, apr_pool_t *p, const char *phone)
{
    const sc_local_conf_t *c = conf_of(ctx);
    sc_local_conf_t *t;
    const char *name, *path;
    apr_status_t rv;

    if (c->shared) {
        return c;
    }
    if (!(name = sc_local_folder_name(p, phone))) {
        return NULL;
    }
    path = apr_pstrcat(p, c->root, "/", name, NULL);
    rv = apr_dir_make(path, APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_UEXECUTE, p);
    if (rv == APR_SUCCESS && c->skeleton) {
        copy_tree(p, c->skeleton, path, 0);
    }
    else if (rv != APR_SUCCESS && !APR_STATUS_IS_EEXIST(rv)) {
        return NULL;
    }
    t = apr_pmemdup(p, c, sizeof(*c));
    /* a symlink in its place must not lead elsewhere */
    t->root = real_path(p, path);
    if (!t->root || !inside_root(c->root, t->root) || strcmp(t->root, path)) {
        return NULL;
    }
    return t;
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

static sc_storage_status_e local_describe_item(const void *all, apr_pool_t *p,
                                               const sc_storage_account_t *account,
                                               const char *item_id,
                                               sc_storage_item_t **item)
{
    const void *ctx = tree_of(all, p, account->phone);
    apr_finfo_t fi;
    sc_storage_status_e st = ctx ? sc_local_resolve(ctx, p, item_id, NULL, &fi)
                                 : SC_STORAGE_UNAVAILABLE;

    if (st == SC_STORAGE_OK) {
        *item = make_item(p, conf_of(ctx), item_id ? item_id : "", &fi);
    }
    return st;
}

/* Entry `name` of folder (open as dir_fd), or NULL when it is hidden or
 * not servable; `type` is readdir()'s (APR_UNKFILE when it gave none). The
 * folder lies inside the root and name is one visible component, so a
 * plain entry needs no realpath(): a folder nothing more (its size is never
 * shown), a file one fstatat() in the open folder for its size (APR stats
 * only a whole path, which the kernel would walk again for every entry).
 * Only a symlink pays sc_local_resolve()'s realpath(), a readlink() per
 * path component. */
static sc_storage_item_t *listed_item(const void *ctx, apr_pool_t *p, const char *folder,
                                      int dir_fd, const char *name, apr_filetype_e type)
{
    const char *id = join_id(p, folder, name);
    apr_finfo_t fi;
    struct stat st;

    if (!sc_local_id_ok(id)) {
        return NULL;
    }
    if (type == APR_DIR) {
        fi.filetype = APR_DIR;
    }
    else if (type != APR_REG && type != APR_LNK && type != APR_UNKFILE) {
        return NULL;
    }
    else if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        return NULL;
    }
    else if (S_ISLNK(st.st_mode)) {
        if (sc_local_resolve(ctx, p, id, NULL, &fi) != SC_STORAGE_OK) {
            return NULL;
        }
    }
    else {
        fi.filetype = S_ISREG(st.st_mode) ? APR_REG : S_ISDIR(st.st_mode) ? APR_DIR : APR_UNKFILE;
        fi.size = st.st_size;
    }
    if (fi.filetype != APR_REG && fi.filetype != APR_DIR) {
        return NULL;
    }
    return make_item(p, conf_of(ctx), id, &fi);
}

static sc_storage_status_e read_folder(const void *ctx, apr_pool_t *p, const char *folder,
                                       const char *path,
                                       apr_array_header_t *items)
{
    const sc_local_conf_t *c = conf_of(ctx);
    sc_storage_status_e st = SC_STORAGE_OK;
    apr_os_dir_t *os_dir = NULL;
    apr_dir_t *dir;
    apr_finfo_t fi;
    apr_status_t rv;
    int dir_fd;

    rv = apr_dir_open(&dir, path, p);
    if (rv != APR_SUCCESS) {
        return APR_STATUS_IS_EACCES(rv) ? SC_STORAGE_DENIED : SC_STORAGE_UNAVAILABLE;
    }
    if (apr_os_dir_get(&os_dir, dir) != APR_SUCCESS || !os_dir
        || (dir_fd = dirfd(os_dir)) < 0) {
        apr_dir_close(dir);
        return SC_STORAGE_UNAVAILABLE;
    }
    /* the type comes from readdir()'s d_type; APR stats (lstat) only an
     * entry of a file system that leaves it out */
    while ((rv = apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, dir)) == APR_SUCCESS
           || rv == APR_INCOMPLETE) {
        sc_storage_item_t *it = fi.name
            ? listed_item(ctx, p, folder, dir_fd, fi.name,
                          (fi.valid & APR_FINFO_TYPE) ? fi.filetype : APR_UNKFILE)
            : NULL;

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

static sc_storage_status_e local_list_folder(const void *all, apr_pool_t *p,
                                             const sc_storage_account_t *account,
                                             const char *folder_id,
                                             apr_array_header_t **items)
{
    const void *ctx = tree_of(all, p, account->phone);
    apr_array_header_t *out = apr_array_make(p, 16, sizeof(sc_storage_item_t *));
    const char *path;
    apr_finfo_t fi;
    sc_storage_status_e st;

    if (!ctx) {
        return SC_STORAGE_UNAVAILABLE;
    }
    folder_id = folder_id ? folder_id : "";
    st = sc_local_resolve(ctx, p, folder_id, &path, &fi);
    if (st != SC_STORAGE_OK) {
        return st;
    }
    if (fi.filetype != APR_DIR) {
        return SC_STORAGE_NOT_FOLDER;
    }
    st = read_folder(ctx, p, folder_id, path, out);
    if (st != SC_STORAGE_OK) {
        return st;
    }
    *items = out;
    return SC_STORAGE_OK;
}

/* The file, opened: the module sends it itself. What was opened must be
 * what was checked, or a file swapped for a symlink in between would be
 * served. */
static sc_storage_status_e local_read_file(const void *all, apr_pool_t *p,
                                           const sc_storage_account_t *account,
                                           const char *file_id,
                                           const sc_storage_sink_t *sink)
{
    const void *ctx = tree_of(all, p, account->phone);
    sc_storage_file_t f;
    apr_finfo_t before;
    apr_status_t rv;

    memset(&f, 0, sizeof(f));
    if (!ctx || sc_local_resolve(ctx, p, file_id, &f.path, &before) != SC_STORAGE_OK
        || before.filetype != APR_REG) {
        return SC_STORAGE_NOT_FOUND;
    }
    rv = apr_file_open(&f.file, f.path, APR_FOPEN_READ | APR_FOPEN_BINARY
                       | APR_FOPEN_SENDFILE_ENABLED, APR_OS_DEFAULT, p);
    if (rv != APR_SUCCESS) {
        return APR_STATUS_IS_EACCES(rv) ? SC_STORAGE_DENIED : SC_STORAGE_NOT_FOUND;
    }
    rv = apr_file_info_get(&f.finfo, APR_FINFO_NORM, f.file);
    if (rv != APR_SUCCESS || f.finfo.filetype != APR_REG
        || f.finfo.inode != before.inode || f.finfo.device != before.device) {
        apr_file_close(f.file);
        return SC_STORAGE_NOT_FOUND;
    }
    f.status = 200;
    f.length = f.finfo.size;
    f.mtime = f.finfo.mtime;
    return sink->begin(sink->baton, &f) == APR_SUCCESS ? SC_STORAGE_OK
                                                       : SC_STORAGE_UNAVAILABLE;
}

/* The phone's own folder (or the shared root) is its account; the phone is
 * its id. The folder is made now, so the first `ls` finds it. */
static sc_storage_status_e local_assign(const void *ctx, apr_pool_t *p, const char *phone,
                                        sc_storage_connected_t **account)
{
    const sc_local_conf_t *c = conf_of(ctx);
    sc_storage_connected_t *a = apr_pcalloc(p, sizeof(*a));

    if (!tree_of(ctx, p, phone)) {
        return SC_STORAGE_UNAVAILABLE;
    }
    a->id = apr_pstrdup(p, phone);
    a->service = "local";
    a->display_name = sc_text_oneline(p, c->name, strlen(c->name));
    *account = a;
    return SC_STORAGE_OK;
}

const void *sc_local_context(apr_pool_t *pconf, const sc_local_conf_t *c)
{
    sc_local_conf_t *copy;
    apr_finfo_t fi;

    if (!c || !c->root || !c->name) {
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
    return copy;
}

#define D_ROOT     "SmsCloudLocalRoot"
#define D_NAME     "SmsCloudLocalName"
#define D_SHARED   "SmsCloudLocalShared"
#define D_SKELETON "SmsCloudLocalSkeleton"

static apr_status_t local_init(apr_pool_t *pconf, const apr_table_t *settings,
                               const sc_storage_env_t *env, const void **ctx,
                               const char **label, const char **notice, const char **err)
{
    const char *shared = apr_table_get(settings, D_SHARED);
    sc_local_conf_t c = { apr_table_get(settings, D_ROOT),
                          apr_table_get(settings, D_NAME), 0,
                          shared && !strcmp(shared, "on"),
                          apr_table_get(settings, D_SKELETON) };

    if (!c.name) {
        c.name = SC_LOCAL_DEFAULT_NAME;
    }
    if (!c.root) {
        *err = D_ROOT " is required with the local provider";
        return APR_EINVAL;
    }
    if (!(*ctx = sc_local_context(pconf, &c))) {
        *err = apr_pstrcat(pconf, D_ROOT " ", c.root, " is not a usable directory", NULL);
        return APR_EINVAL;
    }
    *label = conf_of(*ctx)->name;
    *notice = NULL;
    if (c.shared) {
        *notice = apr_pstrcat(pconf, D_SHARED " On: every phone that connects \"", c.name,
                              "\" sees, changes and shares the same files under ",
                              conf_of(*ctx)->root, NULL);
    }
    return APR_SUCCESS;
}

static const sc_storage_setting_t local_settings[] = {
    { D_ROOT, SC_SETTING_DIR, "Directory served by the local storage provider" },
    { D_NAME, SC_SETTING_STRING, "Name of the local storage account" },
    { D_SHARED, SC_SETTING_FLAG, "On: one tree for every phone instead of a folder each "
      "(every phone sees the others' files)" },
    { D_SKELETON, SC_SETTING_DIR, "Directory copied into each phone's new folder" },
    { NULL, 0, NULL }
};

const sc_storage_provider_t sc_local_provider = {
    .name = "local",
    .label = SC_LOCAL_DEFAULT_NAME,
    .settings = local_settings,
    .init = local_init,
    .connect = SC_CONNECT_ASSIGNED,
    .assign = local_assign,
    .list_folder = local_list_folder,
    .describe_item = local_describe_item,
    .read_file = local_read_file,
};
