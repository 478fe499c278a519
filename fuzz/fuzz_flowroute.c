/* fuzz_flowroute.c: the flowroute sms-verification requests
 * (sc_flowroute_parse_create, sc_flowroute_parse_check, sc_flowroute.h).
 *
 * Input: a byte that picks the request, then a send request's JSON body or
 * a check request's query string, from anyone holding an API key. What is
 * accepted is an auth_id of 1 to SC_FLOWROUTE_AUTH_ID_MAX bytes of valid
 * UTF-8 without a control character, an E.164 recipient and a code of 1 to
 * 10 digits, and it reads the same when sent again in the same shape; what
 * is refused gets the documented 400 body, naming only real fields. */
#include <string.h>

#include <apr_strings.h>

#include "harness.h"
#include "sc_flowroute.h"
#include "sc_form.h"
#include "sc_json.h"
#include "sc_phone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_auth_id(const char *id)
{
    apr_size_t n, i;

    FZ_ASSERT(id);
    n = strlen(id);
    FZ_ASSERT(n >= 1 && n <= SC_FLOWROUTE_AUTH_ID_MAX);
    for (i = 0; i < n; i++) {
        FZ_ASSERT((unsigned char)id[i] >= 0x20 && (unsigned char)id[i] != 0x7f);
    }
    FZ_ASSERT(fz_text_clean(id, n, 1));
}

/* {"message": usage, "reason": "InvalidAPIUsage"[, "errors": {...}]} */
static void check_usage(apr_pool_t *p, const char *error, const char *usage)
{
    static const char *const fields[] = { "auth_id", "recipient", "country_code" };
    sc_json_t *j = NULL, *errors, *named = sc_json_new_object(p);
    const char *text;
    apr_size_t i;

    FZ_ASSERT(error && sc_json_parse(p, error, strlen(error), &j) == APR_SUCCESS);
    FZ_ASSERT(!strcmp(sc_json_gets(p, j, "message", NULL), usage));
    FZ_ASSERT(!strcmp(sc_json_gets(p, j, "reason", NULL), "InvalidAPIUsage"));
    if (!(errors = sc_json_getj(p, j, "errors", NULL))) {
        return;
    }
    FZ_ASSERT(sc_json_is_object(errors));
    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if ((text = sc_json_gets(p, errors, fields[i], NULL)) != NULL) {
            FZ_ASSERT(!strcmp(text, "is invalid") || !strcmp(text, "is missing"));
            FZ_ASSERT(sc_json_sets(named, fields[i], text) == APR_SUCCESS);
        }
    }
    /* a refusal names something, and only those fields (in that order) */
    FZ_ASSERT(strcmp(sc_json_to_string(p, named), "{}") != 0);
    FZ_ASSERT(!strcmp(sc_json_to_string(p, errors), sc_json_to_string(p, named)));
}

static void fuzz_create(apr_pool_t *p, const char *body, apr_size_t len)
{
    const char *id = NULL, *phone = NULL, *error = NULL, *again_id = NULL;
    const char *again_phone = NULL, *text;
    sc_json_t *j;
    apr_status_t rv = sc_flowroute_parse_create(p, body, len, &id, &phone, &error);

    FZ_ASSERT(rv == APR_SUCCESS || rv == APR_EINVAL);
    if (rv != APR_SUCCESS) {
        check_usage(p, error, SC_FLOWROUTE_USAGE_CREATE);
        return;
    }
    check_auth_id(id);
    FZ_ASSERT(sc_phone_is_e164(phone));
    /* the same request in flowroute's own shape: digits without '+' */
    j = sc_json_new_object(p);
    FZ_ASSERT(sc_json_sets(j, "auth_id", id) == APR_SUCCESS);
    FZ_ASSERT(sc_json_sets(j, "recipient", phone + 1) == APR_SUCCESS);
    text = sc_json_to_string(p, j);
    FZ_ASSERT(sc_flowroute_parse_create(p, text, strlen(text), &again_id, &again_phone,
                                        &error) == APR_SUCCESS);
    FZ_ASSERT(!strcmp(again_id, id) && !strcmp(again_phone, phone));
}

static void fuzz_check(apr_pool_t *p, const char *query, apr_size_t len)
{
    const char *id = NULL, *code = NULL, *error = NULL, *again_id = NULL, *again_code = NULL;
    apr_array_header_t *pairs;
    apr_status_t rv;

    /* a query string ends at its first NUL */
    if (strlen(query) != len) {
        return;
    }
    rv = sc_flowroute_parse_check(p, query, &id, &code, &error);
    FZ_ASSERT(rv == APR_SUCCESS || rv == APR_EINVAL);
    if (rv != APR_SUCCESS) {
        check_usage(p, error, SC_FLOWROUTE_USAGE_CHECK);
        return;
    }
    check_auth_id(id);
    FZ_ASSERT(strlen(code) >= 1 && strlen(code) <= 10
              && strspn(code, "0123456789") == strlen(code));
    pairs = apr_array_make(p, 2, sizeof(sc_pair_t));
    sc_form_add(pairs, "code", code);
    sc_form_add(pairs, "auth_id", id);
    FZ_ASSERT(sc_flowroute_parse_check(p, sc_form_encode(p, pairs), &again_id, &again_code,
                                       &error) == APR_SUCCESS);
    FZ_ASSERT(!strcmp(again_id, id) && !strcmp(again_code, code));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_begin();
    unsigned pick = fz_take_byte(&data, &size) % 2;
    /* an exact-size copy, so that ASan sees a read past len; the check
     * request gets a NUL-terminated one, as the query string is */
    const char *in = pick ? apr_pstrmemdup(p, (const char *)data, size)
                          : apr_pmemdup(p, data, size);

    if (pick) {
        fuzz_check(p, in, size);
    }
    else {
        fuzz_create(p, in, size);
    }
    fz_end(p);
    return 0;
}
