/* sc_twostep.c: the decisions of the two-step login. */
#include <string.h>

#include <apr_strings.h>

#include "sc_hmac.h"
#include "sc_phone.h"
#include "sc_text.h"
#include "sc_twostep.h"

sc_first_e sc_twostep_fold(sc_authn_e answer)
{
    switch (answer) {
    case SC_AUTHN_GRANTED:
        return SC_FIRST_GRANTED;
    case SC_AUTHN_DENIED:
        return SC_FIRST_REFUSED;
    case SC_AUTHN_USER_NOT_FOUND:
        return SC_FIRST_PENDING;
    case SC_AUTHN_ERROR:
    default:
        return SC_FIRST_ERROR;
    }
}

sc_first_e sc_twostep_final(sc_first_e outcome)
{
    return outcome == SC_FIRST_PENDING ? SC_FIRST_REFUSED : outcome;
}

int sc_twostep_username_ok(const char *user)
{
    apr_size_t n = user ? strlen(user) : 0;

    return n >= 1 && n <= SC_TWOSTEP_USER_MAX && !strchr(user, ':')
           && sc_text_is_clean(user, n, 1);
}

static const char *enrol_mac(apr_pool_t *p, const char *key, const char *binding,
                             const char *user, const char *expires)
{
    const char *data = apr_pstrcat(p, "enrol:", expires, ":", binding, ":", user, NULL);

    return sc_hmac_sha256_hex(p, key, strlen(key), data, strlen(data));
}

const char *sc_twostep_enrol_token(apr_pool_t *p, const char *key,
                                   const char *binding, const char *user,
                                   apr_time_t expires)
{
    const char *secs, *mac;

    if (!key || !binding || !user) {
        return NULL;
    }
    secs = apr_psprintf(p, "%" APR_TIME_T_FMT, apr_time_sec(expires));
    mac = enrol_mac(p, key, binding, user, secs);
    return mac ? apr_pstrcat(p, secs, ".", mac, NULL) : NULL;
}

int sc_twostep_enrol_token_ok(apr_pool_t *p, const char *key, const char *binding,
                              const char *user, const char *token, apr_time_t now)
{
    const char *dot, *secs;
    apr_int64_t expires;
    char *end;

    if (!key || !binding || !user || !token || !(dot = strchr(token, '.'))
        || dot == token || dot - token > 20) {
        return 0;
    }
    secs = apr_pstrmemdup(p, token, (apr_size_t)(dot - token));
    if (strspn(secs, "0123456789") != strlen(secs)) {
        return 0;
    }
    expires = apr_strtoi64(secs, &end, 10);
    if (*end || expires <= apr_time_sec(now)) {
        return 0;
    }
    return sc_const_eq(dot + 1, enrol_mac(p, key, binding, user, secs));
}

apr_interval_time_t sc_twostep_refusal_wait(apr_time_t began, apr_time_t now)
{
    /* a clock stepped back counts as no time spent */
    apr_interval_time_t spent = now > began ? now - began : 0;

    return spent >= SC_TWOSTEP_REFUSAL_FLOOR ? 0 : SC_TWOSTEP_REFUSAL_FLOOR - spent;
}

int sc_twostep_form_ok(const char *user, const char *password)
{
    return sc_twostep_username_ok(user) && password && *password;
}

apr_status_t sc_twostep_listed_phone(apr_pool_t *p, const char *value, const char **phone)
{
    *phone = NULL;
    if (!value || !*value) {
        return APR_ENOENT;
    }
    return sc_phone_normalise(p, value, phone) == APR_SUCCESS ? APR_SUCCESS : APR_EINVAL;
}

/* Both forms end with the user's phone: looked up, then what it is. */
static sc_twostep_step_e after_lookup(sc_twostep_done_e lookup, const char *found,
                                      sc_twostep_step_e if_found, sc_twostep_step_e if_none)
{
    switch (lookup) {
    case SC_TWOSTEP_NOT_YET:
        return SC_STEP_FIND_PHONE;
    case SC_TWOSTEP_DONE:
        return found ? if_found : if_none;
    default:
        return SC_STEP_UNAVAILABLE;
    }
}

sc_twostep_step_e sc_twostep_password_next(const sc_twostep_password_t *l)
{
    sc_first_e first = l->first;

    if (!sc_twostep_form_ok(l->user, l->password)) {
        return SC_STEP_REFUSE;
    }
    switch (l->limits) {
    case SC_TWOSTEP_NOT_YET:
        return SC_STEP_COUNT_TRIES;
    case SC_TWOSTEP_LIMITED:
        return SC_STEP_LIMITED;
    case SC_TWOSTEP_FAILED:
        return SC_STEP_UNAVAILABLE;
    case SC_TWOSTEP_DONE:
        break;
    }
    if (first == SC_FIRST_PENDING && l->asked < l->providers) {
        return SC_STEP_ASK_PROVIDER;
    }
    switch (sc_twostep_final(first)) {
    case SC_FIRST_GRANTED:
        break;
    case SC_FIRST_ERROR:
        return SC_STEP_PROVIDER_FAILED;
    default:
        return SC_STEP_REFUSE;
    }
    return after_lookup(l->lookup, l->phone, SC_STEP_SEND_CODE, SC_STEP_ASK_ENROL);
}

sc_twostep_step_e sc_twostep_enrol_next(apr_pool_t *p, const char *key, apr_time_t now,
                                        const sc_twostep_enrol_t *e, const char **phone)
{
    *phone = NULL;
    if (!sc_twostep_username_ok(e->user) || !e->binding
        || !sc_twostep_enrol_token_ok(p, key, e->binding, e->user, e->token, now)) {
        return SC_STEP_LOG_IN_AGAIN;
    }
    if (sc_phone_normalise(p, e->typed, phone) != APR_SUCCESS) {
        *phone = NULL;
        return SC_STEP_BAD_NUMBER;
    }
    return after_lookup(e->lookup, e->known, SC_STEP_HAS_PHONE, SC_STEP_SEND_CODE);
}
