/* fuzz_twostep.c: the two-step login's readings of what a browser sends
 * and an administrator's query answers (sc_twostep.h).
 *
 * Input: two bytes of expiry offset, then lines: username, password,
 * pre-session cookie (the binding), key, enrolment token, the phone query's
 * answer, and the authn providers' answers (one byte each).
 *
 * A username is taken exactly when it is 1 to SC_TWOSTEP_USER_MAX bytes of
 * one-line clean UTF-8 (fz_text_clean, apart from sc_text.c) without ':';
 * the password form exactly when its username is and the password is not
 * empty. An enrolment token is "EXPIRES.MAC" with MAC the hex
 * HMAC-SHA256 of "enrol:EXPIRES:binding:user" (computed here with OpenSSL,
 * apart from sc_hmac.c): a token that is accepted is such a token with
 * EXPIRES still ahead; one the core makes is accepted until its second
 * and refused after it, and for another user, binding or key, or with one
 * byte changed, cut or added. The phone query's answer is absent exactly
 * when empty and otherwise E.164 or refused. Providers' answers add up as
 * mod_auth_form's do: the first that knows the user decides; the refusal
 * wait never exceeds SC_TWOSTEP_REFUSAL_FLOOR and ends exactly at it. */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "harness.h"
#include "sc_phone.h"
#include "sc_twostep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The second the target's clock reads: any fixed value will do. */
#define NOW_SEC 1800000000

static int username_taken(const fz_piece_t *u)
{
    apr_size_t n = strlen(u->s);

    return n >= 1 && n <= SC_TWOSTEP_USER_MAX && !strchr(u->s, ':')
           && fz_text_clean(u->s, n, 1);
}

static const char *mac_hex(apr_pool_t *p, const char *key, const char *data)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0, i;
    char *hex;

    FZ_ASSERT(HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)data,
                   strlen(data), md, &len) != NULL);
    FZ_ASSERT(len == 32);
    hex = apr_palloc(p, 2 * len + 1);
    for (i = 0; i < len; i++) {
        apr_snprintf(hex + 2 * i, 3, "%02x", md[i]);
    }
    return hex;
}

/* What the header says a good token is, read apart from sc_twostep.c. */
static int token_genuine(apr_pool_t *p, const char *key, const char *binding,
                         const char *user, const char *token)
{
    const char *dot = strchr(token, '.');
    const char *secs;

    if (!dot || dot == token) {
        return 0;
    }
    secs = apr_pstrmemdup(p, token, (apr_size_t)(dot - token));
    if (strspn(secs, "0123456789") != strlen(secs)) {
        return 0;
    }
    return !strcmp(dot + 1, mac_hex(p, key, apr_pstrcat(p, "enrol:", secs, ":", binding,
                                                          ":", user, NULL)))
           && apr_atoi64(secs) > NOW_SEC;
}

static void check_username(const fz_piece_t *user, const fz_piece_t *password)
{
    int taken = sc_twostep_username_ok(user->s);

    FZ_ASSERT(taken == username_taken(user));
    FZ_ASSERT(sc_twostep_form_ok(user->s, password->s) == (taken && *password->s));
    FZ_ASSERT(!sc_twostep_username_ok(NULL) && !sc_twostep_form_ok(user->s, NULL));
}

static void check_token_read(apr_pool_t *p, const char *key, const char *binding,
                             const char *user, const char *token)
{
    apr_time_t now = apr_time_from_sec(NOW_SEC);

    if (sc_twostep_enrol_token_ok(p, key, binding, user, token, now)) {
        FZ_ASSERT(token_genuine(p, key, binding, user, token));
    }
}

static void check_token_made(apr_pool_t *p, const char *key, const char *binding,
                             const char *user, apr_time_t expires)
{
    apr_time_t now = apr_time_from_sec(NOW_SEC);
    const char *t = sc_twostep_enrol_token(p, key, binding, user, expires), *dot;
    int alive = apr_time_sec(expires) > NOW_SEC;
    char *changed;
    apr_size_t n, i;

    FZ_ASSERT(t && (dot = strchr(t, '.')) && strlen(dot + 1) == 64);
    FZ_ASSERT(strspn(dot + 1, "0123456789abcdef") == 64);
    FZ_ASSERT(sc_twostep_enrol_token_ok(p, key, binding, user, t, now) == alive);
    if (alive) {
        FZ_ASSERT(token_genuine(p, key, binding, user, t));
    }
    FZ_ASSERT(!sc_twostep_enrol_token_ok(p, key, binding, user, t,
                                         apr_time_from_sec(apr_time_sec(expires))));
    if (!alive) {
        return;
    }
    FZ_ASSERT(!sc_twostep_enrol_token_ok(p, key, binding, apr_pstrcat(p, user, "x", NULL),
                                         t, now));
    FZ_ASSERT(!sc_twostep_enrol_token_ok(p, key, apr_pstrcat(p, binding, "x", NULL), user,
                                         t, now));
    FZ_ASSERT(!sc_twostep_enrol_token_ok(p, apr_pstrcat(p, key, "x", NULL), binding, user,
                                         t, now));
    n = strlen(t);
    FZ_ASSERT(!sc_twostep_enrol_token_ok(p, key, binding, user,
                                         apr_pstrmemdup(p, t, n - 1), now));
    FZ_ASSERT(!sc_twostep_enrol_token_ok(p, key, binding, user,
                                         apr_pstrcat(p, t, "0", NULL), now));
    /* one byte changed anywhere: the expiry, the dot or the MAC */
    i = (apr_size_t)expires % n;
    changed = apr_pstrdup(p, t);
    changed[i] = changed[i] == '1' ? '2' : '1';
    FZ_ASSERT(!sc_twostep_enrol_token_ok(p, key, binding, user, changed, now));
}

static void check_listed_phone(apr_pool_t *p, const char *value)
{
    const char *phone = "unset", *again = NULL;
    apr_status_t rv = sc_twostep_listed_phone(p, value, &phone);

    if (!*value) {
        FZ_ASSERT(rv == APR_ENOENT && phone == NULL);
    }
    else if (rv == APR_SUCCESS) {
        FZ_ASSERT(sc_phone_is_e164(phone));
        FZ_ASSERT(sc_twostep_listed_phone(p, phone, &again) == APR_SUCCESS);
        FZ_ASSERT(!strcmp(again, phone));
    }
    else {
        FZ_ASSERT(rv == APR_EINVAL && phone == NULL);
    }
}

/* mod_auth_form: providers in order until one knows the user. */
static void check_fold(const fz_piece_t *answers)
{
    sc_first_e outcome = SC_FIRST_PENDING, want = SC_FIRST_REFUSED;
    apr_size_t i;

    for (i = 0; i < answers->len; i++) {
        sc_authn_e a = (sc_authn_e)((unsigned char)answers->s[i] % 5);

        if (a == SC_AUTHN_USER_NOT_FOUND) {
            continue;
        }
        want = a == SC_AUTHN_GRANTED ? SC_FIRST_GRANTED
               : a == SC_AUTHN_DENIED ? SC_FIRST_REFUSED : SC_FIRST_ERROR;
        break;
    }
    for (i = 0; i < answers->len && outcome == SC_FIRST_PENDING; i++) {
        outcome = sc_twostep_fold((sc_authn_e)((unsigned char)answers->s[i] % 5));
    }
    FZ_ASSERT(sc_twostep_final(outcome) == want);
}

static void check_wait(apr_time_t began, apr_interval_time_t spent)
{
    apr_interval_time_t wait = sc_twostep_refusal_wait(began, began + spent);

    FZ_ASSERT(wait >= 0 && wait <= SC_TWOSTEP_REFUSAL_FLOOR);
    if (spent >= SC_TWOSTEP_REFUSAL_FLOOR) {
        FZ_ASSERT(wait == 0);
    }
    else if (spent >= 0) {
        FZ_ASSERT(spent + wait == SC_TWOSTEP_REFUSAL_FLOOR);
    }
    else {
        FZ_ASSERT(wait == SC_TWOSTEP_REFUSAL_FLOOR);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_begin();
    unsigned hi = fz_take_byte(&data, &size), lo = fz_take_byte(&data, &size);
    /* -2000 s to about +63,500 s around now, at a byte-chosen microsecond */
    apr_interval_time_t offset = apr_time_from_sec((apr_interval_time_t)((hi << 8) | lo)
                                                   - 2000) + (apr_interval_time_t)lo * 997;
    apr_array_header_t *lines = fz_split(p, data, size, '\n', 7);
    fz_piece_t user = fz_piece(lines, 0), password = fz_piece(lines, 1);
    fz_piece_t binding = fz_piece(lines, 2), key = fz_piece(lines, 3);
    fz_piece_t token = fz_piece(lines, 4), value = fz_piece(lines, 5);
    fz_piece_t answers = fz_piece(lines, 6);

    check_username(&user, &password);
    check_token_read(p, key.s, binding.s, user.s, token.s);
    check_token_made(p, key.s, binding.s, user.s, apr_time_from_sec(NOW_SEC) + offset);
    check_listed_phone(p, value.s);
    check_fold(&answers);
    check_wait(apr_time_from_sec(NOW_SEC), offset / 64);
    fz_end(p);
    return 0;
}
