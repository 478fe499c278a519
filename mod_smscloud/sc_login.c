/* sc_login.c: the rules of the web login's code check (see sc_login.h). */
#include <string.h>

#include <apr_strings.h>

#include "sc_hmac.h"
#include "sc_login.h"
#include "sc_otp.h"

const char *sc_login_code_clean(apr_pool_t *p, const char *typed)
{
    char *out = apr_pstrdup(p, typed ? typed : ""), *o = out;
    const char *c;

    for (c = out; *c; c++) {
        if (*c != ' ' && *c != '-' && *c != '\t') {
            *o++ = *c;
        }
    }
    *o = '\0';
    return out;
}

const char *sc_login_code_dead(const sc_login_code_t *code)
{
    return sc_otp_code_dead(code != NULL, code && code->used, code && code->expired,
                            code ? code->attempts_left : 0);
}

sc_login_check_e sc_login_check(const sc_backoff_t *policy, const sc_login_code_t *code,
                                const sc_backoff_counts_t *failures, const char *typed_hash,
                                int *wait, const char **why)
{
    *wait = 0;
    if ((*why = sc_login_code_dead(code))) {
        return SC_LOGIN_DEAD;
    }
    *wait = sc_backoff_remaining(policy, failures);
    if (*wait > 0) {
        return SC_LOGIN_WAIT;
    }
    if (!sc_const_eq(typed_hash, code->code_hash)) {
        *wait = sc_backoff_after_wrong(policy, failures);
        return SC_LOGIN_WRONG;
    }
    return SC_LOGIN_RIGHT;
}

const char *sc_login_wait_text(apr_pool_t *p, int seconds)
{
    int minutes = (seconds + 59) / 60;

    if (seconds < 60) {
        return apr_psprintf(p, "%d second%s", seconds, seconds == 1 ? "" : "s");
    }
    if (minutes < 60) {
        return apr_psprintf(p, "%d minute%s", minutes, minutes == 1 ? "" : "s");
    }
    return "1 hour";
}

void sc_login_refusal(apr_pool_t *p, sc_login_check_e result, int attempts_left, int wait,
                      sc_login_refusal_t *out)
{
    memset(out, 0, sizeof(*out));
    out->status = 400;
    switch (result) {
    case SC_LOGIN_WAIT:
        out->status = 429;
        out->form = 1;
        out->error = apr_pstrcat(p, "Too many wrong codes were entered. Please wait ",
                                 sc_login_wait_text(p, wait), ", then try again.", NULL);
        break;
    case SC_LOGIN_WRONG:
        out->left = attempts_left - 1;
        out->form = out->left > 0;
        out->error = out->left > 0
                     ? apr_psprintf(p, "Wrong code. %d %s left.", out->left,
                                    out->left == 1 ? "attempt" : "attempts")
                     : "Wrong code, and no attempts left. Please ask for a new code.";
        break;
    default:
        out->error = SC_LOGIN_DEAD_CODE;
        break;
    }
}

sc_metric_e sc_login_check_outcome(sc_login_check_e result)
{
    return result == SC_LOGIN_RIGHT ? SC_METRIC_OTP_APPROVALS
           : result == SC_LOGIN_WAIT ? SC_METRIC_OTP_LOCKOUTS
           : SC_METRIC_OTP_FAILURES;
}

const char *sc_login_next(const char *back, int two_step)
{
    return back ? back : two_step ? "/" : "/connect";
}

int sc_login_send_failure(apr_pool_t *p, apr_status_t rv, const sc_sms_result_t *res,
                          const char **error)
{
    *error = apr_pstrcat(p, "We could not send a code: ",
                         res->reason ? res->reason : SC_SMS_REASON_UNAVAILABLE, ".", NULL);
    if (sc_sms_refused_recipient(rv, res)) {
        return 400;
    }
    return res->error_code == SC_SMS_REFUSED_BUSY ? 429 : 503;
}
