/* sc_connect.h: the rules of the /connect page, where a logged-in phone
 * adds and removes its storage accounts: which request is which, what a
 * failed connect answers, and the checks of an OAuth callback's query.
 * The providers themselves are sc_storage's; no httpd here.
 */
#ifndef SC_CONNECT_H
#define SC_CONNECT_H

#include <apr_pools.h>
#include <apr_errno.h>
#include <apr_tables.h>

#include "sc_storage.h"

/** Where an OAuth provider sends the user back (below the public URL). */
#define SC_CONNECT_CALLBACK_PATH "/connect/callback"

typedef enum {
    SC_CONNECT_NOWHERE = 0,    /* below /connect, but no page of ours: 404 */
    SC_CONNECT_PAGE,           /* /connect: GET lists, POST adds or removes */
    SC_CONNECT_CALLBACK        /* /connect/callback: the end of an OAuth flow */
} sc_connect_route_e;

/** Which part of /connect a request's path info (NULL or "") asks for. */
sc_connect_route_e sc_connect_route(const char *path_info);

typedef enum {
    SC_CONNECT_BAD = 0,        /* neither: 400 */
    SC_CONNECT_ADD,            /* action=add, *name = provider (its name, unchecked) */
    SC_CONNECT_REMOVE          /* action=remove, *name = account ref (or NULL) */
} sc_connect_action_e;

/** What a /connect form (its CSRF token checked) asks for. */
sc_connect_action_e sc_connect_action(const apr_array_header_t *form, const char **name);

/**
 * One provider's part of the page, for a phone that has `connected` of
 * its accounts: whether it offers another (sc_storage_offers_another():
 * an operator-assigned account is the phone's one, any number of the
 * others), and the words of its button.
 * @param label   what pages call the provider
 * @param button  out when offered: "Add LABEL" for an OAuth flow (the
 *                service asks who), "Connect LABEL" for a form or an
 *                assigned account; NULL when not
 * @return 1 when offered; 0 when its one account is connected (the page
 *         says so instead)
 */
int sc_connect_offer(apr_pool_t *p, const sc_storage_provider_t *provider,
                     const char *label, int connected, const char **button);

/**
 * The answer to a connect the provider refused.
 * @param problem  the provider's own words for the user, or NULL
 * @param callback 1 for an OAuth callback's code exchange: nothing the user
 *                 typed was in it, so any failure is the service's (502)
 * @param status   out: 403 (refused credentials), 400 (what the user typed
 *                 cannot be used) or 502 (the service failed)
 * @param message  out: what the page says
 * @return 1 when it is the user's to fix (logged as information, not as a
 *         warning to the operator)
 */
int sc_connect_failure(apr_pool_t *p, sc_storage_status_e st, const char *problem,
                       int callback, int *status, const char **message);

/** An OAuth callback's query. */
typedef struct {
    const char *state;         /* NULL when missing or empty */
    const char *code;          /* NULL when missing or empty */
    int refused;               /* an error= came back: cancelled or refused */
} sc_connect_callback_t;

/** Read a callback's query string; APR_EINVAL when it cannot be read
 *  (answer SC_CALLBACK_UNREADABLE). */
apr_status_t sc_connect_callback_parse(apr_pool_t *p, const char *query,
                                       sc_connect_callback_t *cb);

typedef enum {
    SC_CALLBACK_UNREADABLE = 0, /* 400 */
    SC_CALLBACK_BAD_STATE,      /* 400: missing, used, expired or another session's */
    SC_CALLBACK_REFUSED,        /* 200: cancelled or refused at the service */
    SC_CALLBACK_INCOMPLETE      /* 400: no code, or not an OAuth provider */
} sc_callback_fault_e;

/** What the page says of a failed callback; *status its HTTP status. */
const char *sc_connect_callback_fault(sc_callback_fault_e fault, int *status);

#endif /* SC_CONNECT_H */
