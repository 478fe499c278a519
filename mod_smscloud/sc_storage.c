/* sc_storage.c - the provider registry and the provider-independent parts
 * of the storage interface. */

#include <string.h>

#include "apr_escape.h"

#include "sc_storage.h"
#include "sc_kloudless.h"
#include "sc_local.h"
#include "sc_webdav.h"

/* Every provider the module knows, one line each. */
static const sc_storage_provider_t *const registry[] = {
    &sc_local_provider,
    &sc_kloudless_provider,
    &sc_webdav_provider,
    NULL
};

const sc_storage_provider_t *sc_storage_find(const char *name)
{
    int i;

    for (i = 0; name && registry[i]; i++) {
        if (!strcmp(registry[i]->name, name)) {
            return registry[i];
        }
    }
    return NULL;
}

const sc_storage_provider_t *sc_storage_nth(int i)
{
    if (i < 0 || i >= (int)(sizeof(registry) / sizeof(registry[0])) - 1) {
        return NULL;
    }
    return registry[i];
}

int sc_storage_offers_another(const sc_storage_provider_t *provider, int connected)
{
    return provider->connect != SC_CONNECT_ASSIGNED || connected == 0;
}

const char *sc_storage_status_text(sc_storage_status_e status)
{
    switch (status) {
    case SC_STORAGE_OK:
        return "OK";
    case SC_STORAGE_NOT_FOUND:
        return "that is no longer there";
    case SC_STORAGE_NOT_FOLDER:
        return "that is a file, not a folder";
    case SC_STORAGE_NOT_FILE:
        return "that is a folder, not a file";
    case SC_STORAGE_DENIED:
        return "the storage account refused access";
    case SC_STORAGE_INVALID:
        return "those details cannot be used";
    case SC_STORAGE_UNAVAILABLE:
    case SC_STORAGE_BAD_REPLY:
        /* The user cannot act on the difference: both are worth a retry
         * and the log says which it was. */
        return "storage is not answering, try again";
    }
    return "storage is not answering, try again";
}

const char *sc_storage_id_store(apr_pool_t *p, const char *id)
{
    return apr_pescape_path_segment(p, id);
}

const char *sc_storage_id_load(apr_pool_t *p, const char *stored)
{
    if (!stored || !*stored || strstr(stored, "%00")) {
        return NULL;
    }
    return apr_punescape_url(p, stored, NULL, NULL, 0);
}
