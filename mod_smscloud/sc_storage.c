/* sc_storage.c - provider-independent parts of the storage interface. */

#include "sc_storage.h"

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
        return "access to that storage account was refused";
    case SC_STORAGE_UNAVAILABLE:
    case SC_STORAGE_BAD_REPLY:
        /* The user cannot act on the difference: both are worth a retry
         * and the log says which it was. */
        return "storage is not answering, try again";
    }
    return "storage is not answering, try again";
}
