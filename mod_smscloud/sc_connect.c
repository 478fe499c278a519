/* sc_connect.c: the rules of the /connect page (see sc_connect.h). */
#include <string.h>

#include <apr_strings.h>

#include "sc_connect.h"
#include "sc_form.h"

#define MAX_QUERY_PAIRS 32

sc_connect_route_e sc_connect_route(const char *path_info)
{
    static const char callback[] = SC_CONNECT_CALLBACK_PATH;
    const char *below = callback + sizeof("/connect") - 1;

    if (!path_info || !*path_info) {
        return SC_CONNECT_PAGE;
    }
    return strcmp(path_info, below) ? SC_CONNECT_NOWHERE : SC_CONNECT_CALLBACK;
}

sc_connect_action_e sc_connect_action(const apr_array_header_t *form, const char **name)
{
    const char *action = sc_form_get(form, "action");

    *name = NULL;
    if (action && !strcmp(action, "remove")) {
        *name = sc_form_get(form, "account");
        return SC_CONNECT_REMOVE;
    }
    if (action && !strcmp(action, "add") && (*name = sc_form_get(form, "provider"))) {
        return SC_CONNECT_ADD;
    }
    return SC_CONNECT_BAD;
}

int sc_connect_offer(apr_pool_t *p, const sc_storage_provider_t *provider,
                     const char *label, int connected, const char **button)
{
    *button = NULL;
    if (!sc_storage_offers_another(provider, connected)) {
        return 0;
    }
    *button = apr_pstrcat(p, provider->connect == SC_CONNECT_OAUTH ? "Add " : "Connect ",
                          label, NULL);
    return 1;
}

int sc_connect_failure(apr_pool_t *p, sc_storage_status_e st, const char *problem,
                       int callback, int *status, const char **message)
{
    *status = callback ? 502 : st == SC_STORAGE_DENIED ? 403
              : st == SC_STORAGE_INVALID ? 400 : 502;
    *message = problem ? problem
               : apr_pstrcat(p, "The storage service could not confirm the account: ",
                             sc_storage_status_text(st), NULL);
    /* a typing mistake is the user's to fix, not the operator's */
    return st == SC_STORAGE_INVALID;
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

apr_status_t sc_connect_callback_parse(apr_pool_t *p, const char *query,
                                       sc_connect_callback_t *cb)
{
    apr_array_header_t *pairs = NULL;

    memset(cb, 0, sizeof(*cb));
    if (sc_form_parse(p, query, query ? strlen(query) : 0, MAX_QUERY_PAIRS, &pairs)
        != APR_SUCCESS) {
        return APR_EINVAL;
    }
    cb->state = nonempty(sc_form_get(pairs, "state"));
    cb->code = nonempty(sc_form_get(pairs, "code"));
    cb->refused = sc_form_get(pairs, "error") != NULL;
    return APR_SUCCESS;
}

const char *sc_connect_callback_fault(sc_callback_fault_e fault, int *status)
{
    *status = 400;
    switch (fault) {
    case SC_CALLBACK_BAD_STATE:
        return "This connection request is not valid (any more). Please start again.";
    case SC_CALLBACK_REFUSED:
        *status = 200;
        return "Connecting was cancelled or refused at the storage service.";
    case SC_CALLBACK_INCOMPLETE:
        return "The answer of the storage service was incomplete.";
    default:
        return "The answer of the storage service could not be read.";
    }
}
