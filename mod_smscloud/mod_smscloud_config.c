/*
 * Directives of mod_smscloud. Every value is checked where it is read, so
 * `apachectl -t` names the directive and the bad value; whole-server rules
 * (required secrets) are checked in smscloud_conf_check().
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_gate.h"
#include "mod_smscloud_twostep.h"
#include "mod_smscloud_flowroute.h"
#include "mod_smscloud_otp.h"
#include "mod_smscloud_storage.h"

#include "apr_file_info.h"
#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_uri.h"
#include "sc_crypt.h"
#include "sc_engine.h"
#include "sc_hmac.h"
#include "sc_http.h"
#include "sc_phone.h"

#include "sc_template.h"
#include "sc_text.h"
#include "sc_twilio.h"

/* ------------------------------------------------------------------ */
/* defaults                                                            */

#define DEF_ORGANISATION       "mod_smscloud"
#define DEF_TWILIO_API_BASE    "https://api.twilio.com"
/* the provider offered when SmsCloudProviders is not set: one that works
 * with nothing outside this server (Kloudless, the old default, no longer
 * runs a public service) */
#define DEF_PROVIDER           "local"
#ifndef DEF_TEMPLATE_DIR
#define DEF_TEMPLATE_DIR       "/usr/share/mod_smscloud/htdocs"
#endif
#define DEF_LINK_PATH          "/dl"
#define DEF_LINK_LIFETIME      3600
#define DEF_OTP_LENGTH         6
#define DEF_OTP_LIFETIME       600
#define DEF_OTP_ATTEMPTS       5
#define DEF_OTP_MAX_FAILURES   100
#define DEF_OTP_MESSAGE        "{org}: your login code is {code}. It expires in {minutes} minutes."
#define DEF_SMS_IDLE           3600
#define DEF_SESSION_IDLE       1800
#define DEF_SESSION_MAX        43200
#define DEF_REPLAY_LIFETIME    86400
#define DEF_HTTP_CONNECT_TIMEOUT apr_time_from_msec(SC_HTTP_DEFAULT_CONNECT_TIMEOUT_MS)
#define DEF_HTTP_TIMEOUT         apr_time_from_msec(SC_HTTP_DEFAULT_TIMEOUT_MS)
#define DEF_MAX_BODY           (64 * 1024)
#define DEF_MAX_FORM_BODY      (8 * 1024)
#define MIN_SECRET_LEN         32
#define DEF_MAINTENANCE_INTERVAL 300
/* kept a day past their end, to answer "why was I logged out?" */
#define DEF_RETAIN_EXPIRED     86400
#define DEF_RETAIN_OUTBOX      (7 * 86400)
/* where SmsCloudOtpMessage puts the code (mod_smscloud_login.c) */
#define OTP_CODE_FIELD         "{code}"

static const struct {
    const char *name;
    smscloud_rate_t def;
} rate_table[SC_RATE_COUNT] = {
    [SC_RATE_LOGIN_PHONE]     = { "login-phone",     { 5, 600 } },
    [SC_RATE_LOGIN_PHONE_DAY] = { "login-phone-day", { 10, 86400 } },
    [SC_RATE_LOGIN_IP]        = { "login-ip",        { 20, 3600 } },
    /* Twilio Verify's own bar is 5 sends per verification; a person
     * sharing a few files a day stays well within 10 */
    [SC_RATE_SEND]            = { "send",            { 10, 86400 } },
    [SC_RATE_SMS_PREFIX]      = { "sms-prefix",      { 30, 3600 } },
    [SC_RATE_SMS_GLOBAL]      = { "sms-global",      { 1000, 3600 } },
};
#define DEF_SMS_PREFIX_DIGITS  7       /* +1 NPA NXX: a block of 10,000 */

const char *smscloud_rate_name(smscloud_rate_e which)
{
    return rate_table[which].name;
}

/* ------------------------------------------------------------------ */
/* create / merge                                                      */

void *smscloud_create_server_conf(apr_pool_t *p, server_rec *s)
{
    smscloud_conf_t *c = apr_pcalloc(p, sizeof(*c));
    int i;

    c->sms_transport = SC_UNSET;
    c->provider_settings = apr_table_make(p, 4);
    c->link_lifetime = SC_UNSET;
    c->otp_length = SC_UNSET;
    c->otp_lifetime = SC_UNSET;
    c->login_policy.free_failures = SC_UNSET;
    c->login_policy.max_failures = SC_UNSET;
    c->sms_idle = SC_UNSET;
    c->session_idle = SC_UNSET;
    c->session_max = SC_UNSET;
    c->replay_lifetime = SC_UNSET;
    c->http_connect_timeout = SC_UNSET;
    c->http_timeout = SC_UNSET;
    c->max_body = SC_UNSET;
    c->max_form_body = SC_UNSET;
    c->sms_prefix_digits = SC_UNSET;
    c->maintenance_interval = SC_UNSET;
    c->retain_expired = SC_UNSET;
    c->retain_outbox = SC_UNSET;
    for (i = 0; i < SC_RATE_COUNT; i++) {
        c->rates[i].count = SC_UNSET;
        c->rates[i].window = SC_UNSET;
    }
    return c;
}

#define MERGE_PTR(f) m->f = add->f ? add->f : base->f
#define MERGE_VAL(f) m->f = (add->f != SC_UNSET) ? add->f : base->f

void *smscloud_merge_server_conf(apr_pool_t *p, void *basev, void *addv)
{
    const smscloud_conf_t *base = basev, *add = addv;
    smscloud_conf_t *m = apr_pcalloc(p, sizeof(*m));
    int i;

    m->configured = base->configured || add->configured;
    MERGE_PTR(secret);
    MERGE_PTR(public_url);
    MERGE_PTR(organisation);
    MERGE_PTR(twilio_account_sid);
    MERGE_PTR(twilio_auth_token);
    MERGE_PTR(twilio_from);
    MERGE_PTR(twilio_api_base);
    MERGE_VAL(sms_transport);
    MERGE_PTR(provider_names);
    MERGE_PTR(credential_secrets);
    m->provider_settings = apr_table_copy(p, base->provider_settings);
    apr_table_overlap(m->provider_settings, add->provider_settings, APR_OVERLAP_TABLES_SET);
    MERGE_PTR(template_dir);
    MERGE_PTR(link_path);
    MERGE_VAL(link_lifetime);
    MERGE_VAL(otp_length);
    MERGE_VAL(otp_lifetime);
    MERGE_VAL(login_policy.free_failures);
    MERGE_VAL(login_policy.max_failures);
    MERGE_PTR(otp_message);
    MERGE_VAL(sms_idle);
    MERGE_VAL(session_idle);
    MERGE_VAL(session_max);
    MERGE_VAL(replay_lifetime);
    MERGE_VAL(http_connect_timeout);
    MERGE_VAL(http_timeout);
    MERGE_VAL(max_body);
    MERGE_VAL(max_form_body);
    MERGE_PTR(otp_services);
    MERGE_VAL(sms_prefix_digits);
    MERGE_PTR(sms_countries);
    MERGE_VAL(maintenance_interval);
    MERGE_VAL(retain_expired);
    MERGE_VAL(retain_outbox);
    for (i = 0; i < SC_RATE_COUNT; i++) {
        MERGE_VAL(rates[i].count);
        MERGE_VAL(rates[i].window);
    }
    return m;
}

const smscloud_conf_t *smscloud_server_conf(const server_rec *s)
{
    return ap_get_module_config(s->module_config, &smscloud_module);
}

const smscloud_conf_t *smscloud_conf(const request_rec *r)
{
    return smscloud_server_conf(r->server);
}

/* ------------------------------------------------------------------ */
/* directive handlers                                                  */

/* httpd leaves an undefined ${VAR} in the text as it is (with a mere
 * warning), so the value would be refused later for a reason that hides
 * the real one. The name of the first such variable, or NULL. */
static const char *unset_variable(apr_pool_t *p, const char *args)
{
    const char *open = args ? strstr(args, "${") : NULL;
    const char *close = open ? strchr(open + 2, '}') : NULL;

    return close && close > open + 2
           ? apr_pstrmemdup(p, open + 2, (apr_size_t)(close - open - 2)) : NULL;
}

static const char *directive_usable(cmd_parms *cmd)
{
    const char *err = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT);
    const char *var;

    if (err) {
        return err;
    }
    var = unset_variable(cmd->temp_pool,
                         cmd->directive ? cmd->directive->args : NULL);
    if (var) {
        return apr_psprintf(cmd->pool, "%s: environment variable %s is not set "
                            "(httpd takes ${%s} from its environment; on Debian "
                            "export it in /etc/apache2/envvars)",
                            cmd->cmd->name, var, var);
    }
    return NULL;
}

/* Every directive goes through here: it marks the server as one the
 * module serves (its handlers answer; its database connections get our
 * statements, smscloud_dbd_child_init), which needs mod_dbd loaded first
 * (as mod_authn_dbd does). */
static const char *mark_configured(cmd_parms *cmd, smscloud_conf_t **conf)
{
    const char *err = directive_usable(cmd);

    if (err) {
        return err;
    }
    *conf = ap_get_module_config(cmd->server->module_config, &smscloud_module);
    (*conf)->configured = 1;
    if ((err = smscloud_dbd_required())) {
        return apr_psprintf(cmd->pool, "%s: %s", cmd->cmd->name, err);
    }
    return NULL;
}

static const char *bad_value(cmd_parms *cmd, const char *value, const char *want)
{
    return apr_psprintf(cmd->pool, "%s: invalid value '%s' (%s)",
                        cmd->cmd->name, value, want);
}

static const char *set_string(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);

    if (err) {
        return err;
    }
    if (!*arg) {
        return bad_value(cmd, arg, "must not be empty");
    }
    *(const char **)((char *)conf + (apr_size_t)cmd->info) = arg;
    return NULL;
}

/* A value of one of the kinds sc_storage_setting_value() checks (the
 * module's own directories and URLs follow the providers' rules); *out
 * what is kept. */
static const char *check_kind(cmd_parms *cmd, sc_setting_kind_e kind, const char *arg,
                              const char *before, const char **out)
{
    const char *given = arg, *value, *want;

    /* ServerRoot-relative paths are httpd's to resolve */
    if (kind == SC_SETTING_DIR) {
        arg = ap_server_root_relative(cmd->pool, arg);
    }
    if (!(want = sc_storage_setting_value(cmd->pool, kind, arg, before, &value))) {
        *out = value;
        return NULL;
    }
    /* a secret is never echoed back, not even an empty one */
    return kind == SC_SETTING_SECRET ? apr_pstrcat(cmd->pool, cmd->cmd->name, ": ", want, NULL)
                                     : bad_value(cmd, given, want);
}

/* An existing directory, relative paths taken from ServerRoot. */
static const char *check_dir(cmd_parms *cmd, const char *arg, const char **out)
{
    return check_kind(cmd, SC_SETTING_DIR, arg, NULL, out);
}

/* An absolute http(s) URL without query or fragment. */
static const char *check_url(cmd_parms *cmd, const char *arg)
{
    const char *kept;

    return check_kind(cmd, SC_SETTING_URL, arg, NULL, &kept);
}

static const char *set_path(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);

    if (err) {
        return err;
    }
    return check_dir(cmd, arg, (const char **)((char *)conf + (apr_size_t)cmd->info));
}

/* A URL as check_url() wants it; a trailing slash is dropped so that paths
 * can be appended. */
static const char *set_url(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);
    apr_size_t len = strlen(arg);

    if (err || (err = check_url(cmd, arg))) {
        return err;
    }
    if (len > 1 && arg[len - 1] == '/') {
        arg = apr_pstrndup(cmd->pool, arg, len - 1);
    }
    *(const char **)((char *)conf + (apr_size_t)cmd->info) = arg;
    return NULL;
}

/* Twilio signs the exact URL it calls and links are built by appending
 * their paths, so the public URL is an origin: anything after the host
 * and port would be signed against and linked to wrongly. */
static const char *set_public_url(cmd_parms *cmd, void *dconf, const char *arg)
{
    apr_uri_t uri;
    const char *err = set_url(cmd, dconf, arg);

    if (err) {
        return err;
    }
    if (apr_uri_parse(cmd->temp_pool, arg, &uri) != APR_SUCCESS
        || (uri.path && strcmp(uri.path, "/")) || uri.user || uri.password
        || strchr(arg, '?') || strchr(arg, '#')) {
        return bad_value(cmd, arg, "scheme://host[:port] only: no path, query, "
                         "fragment or user; the handlers' paths come from "
                         "their <Location>s");
    }
    return NULL;
}

static const char *parse_int(cmd_parms *cmd, const char *arg, int min, int max,
                             int *out)
{
    char *end;
    apr_int64_t v;

    errno = 0;
    v = apr_strtoi64(arg, &end, 10);
    if (errno || end == arg || *end || v < min || v > max) {
        return bad_value(cmd, arg, apr_psprintf(cmd->pool,
                         "a whole number from %d to %d is required", min, max));
    }
    *out = (int)v;
    return NULL;
}

/* Ranges of the integer directives, by field. */
typedef struct {
    apr_size_t offset;
    int min;
    int max;
} int_range_t;

static const int_range_t r_otp_length = { APR_OFFSETOF(smscloud_conf_t, otp_length), 4, 10 };
static const int_range_t r_otp_lifetime = { APR_OFFSETOF(smscloud_conf_t, otp_lifetime), 10, 86400 };
static const int_range_t r_otp_attempts = { APR_OFFSETOF(smscloud_conf_t, login_policy.free_failures), 1, 20 };
static const int_range_t r_otp_failures = { APR_OFFSETOF(smscloud_conf_t, login_policy.max_failures), 1, 100 };
static const int_range_t r_sms_idle = { APR_OFFSETOF(smscloud_conf_t, sms_idle), 60, 30 * 86400 };
static const int_range_t r_session_idle = { APR_OFFSETOF(smscloud_conf_t, session_idle), 60, 30 * 86400 };
static const int_range_t r_session_max = { APR_OFFSETOF(smscloud_conf_t, session_max), 60, 30 * 86400 };
static const int_range_t r_replay = { APR_OFFSETOF(smscloud_conf_t, replay_lifetime), 60, 30 * 86400 };
static const int_range_t r_prefix_digits = { APR_OFFSETOF(smscloud_conf_t, sms_prefix_digits), 1, 14 };
static const int_range_t r_link_lifetime = { APR_OFFSETOF(smscloud_conf_t, link_lifetime), 10, 7 * 86400 };
static const int_range_t r_maintenance = { APR_OFFSETOF(smscloud_conf_t, maintenance_interval), 0, 86400 };
static const int_range_t r_retain_expired = { APR_OFFSETOF(smscloud_conf_t, retain_expired), 0, 365 * 86400 };
static const int_range_t r_retain_outbox = { APR_OFFSETOF(smscloud_conf_t, retain_outbox), 60, 365 * 86400 };

static const char *set_int(cmd_parms *cmd, void *dconf, const char *arg)
{
    const int_range_t *range = cmd->info;
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);

    if (err) {
        return err;
    }
    return parse_int(cmd, arg, range->min, range->max,
                     (int *)((char *)conf + range->offset));
}

static const char *set_size(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);
    int v;

    if (err) {
        return err;
    }
    if ((err = parse_int(cmd, arg, 1024, 16 * 1024 * 1024, &v))) {
        return err;
    }
    *(apr_off_t *)((char *)conf + (apr_size_t)cmd->info) = v;
    return NULL;
}

/* Seconds, or with a unit as httpd's own timeouts take them ("500ms"). */
static const char *set_timeout(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    apr_interval_time_t t;
    const char *err = mark_configured(cmd, &conf);

    if (err) {
        return err;
    }
    if (ap_timeout_parameter_parse(arg, &t, "s") != APR_SUCCESS
        || t < apr_time_from_msec(100) || t > apr_time_from_sec(60)) {
        return bad_value(cmd, arg, "a time from 100ms to 60 seconds is required");
    }
    *(apr_interval_time_t *)((char *)conf + (apr_size_t)cmd->info) = t;
    return NULL;
}

static const char *set_secret(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);

    if (err) {
        return err;
    }
    if (strlen(arg) < MIN_SECRET_LEN) {
        /* Do not echo a secret into the error log. */
        return apr_psprintf(cmd->pool, "%s: must be at least %d characters "
                            "(e.g. `openssl rand -hex 32`)", cmd->cmd->name,
                            MIN_SECRET_LEN);
    }
    conf->secret = arg;
    return NULL;
}

/* The first key seals credentials, every key opens them: a new key goes
 * first, the old one after it until every account was connected again. */
static const char *set_credential_key(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);

    if (err) {
        return err;
    }
    if (strlen(arg) < SC_CRYPT_MIN_SECRET) {
        /* Do not echo a secret into the error log. */
        return apr_psprintf(cmd->pool, "%s: every key must be at least %d characters "
                            "(e.g. `openssl rand -hex 32`)", cmd->cmd->name,
                            SC_CRYPT_MIN_SECRET);
    }
    if (!conf->credential_secrets) {
        conf->credential_secrets = apr_array_make(cmd->pool, 2, sizeof(const char *));
    }
    APR_ARRAY_PUSH(conf->credential_secrets, const char *) = arg;
    return NULL;
}

static const char *set_twilio_from(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);

    if (err) {
        return err;
    }
    if (!sc_phone_is_e164(arg) && !sc_twilio_sid_ok(arg, "MG")) {
        return bad_value(cmd, arg, "an E.164 number like +15557654321 "
                         "or a Messaging Service SID MG...");
    }
    conf->twilio_from = arg;
    return NULL;
}

static const char *set_account_sid(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);

    if (err) {
        return err;
    }
    if (!sc_twilio_sid_ok(arg, "AC")) {
        return bad_value(cmd, arg, "AC followed by 32 lowercase hex digits");
    }
    conf->twilio_account_sid = arg;
    return NULL;
}

static const char *set_transport(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);

    if (err) {
        return err;
    }
    if (!strcasecmp(arg, "twilio")) {
        conf->sms_transport = SC_TRANSPORT_TWILIO;
    }
    else if (!strcasecmp(arg, "outbox")) {
        conf->sms_transport = SC_TRANSPORT_OUTBOX;
    }
    else {
        return bad_value(cmd, arg, "twilio or outbox");
    }
    return NULL;
}

/* The registry's names, for an error message: "local, kloudless". */
static const char *provider_choice(apr_pool_t *p)
{
    apr_array_header_t *names = apr_array_make(p, 4, sizeof(const char *));
    const sc_storage_provider_t *sp;
    int i;

    for (i = 0; (sp = sc_storage_nth(i)); i++) {
        APR_ARRAY_PUSH(names, const char *) = sp->name;
    }
    return apr_array_pstrcat(p, names, ',');
}

static const char *set_providers(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const sc_storage_provider_t *sp;
    const char *err = mark_configured(cmd, &conf);
    int i;

    if (err) {
        return err;
    }
    if (!(sp = sc_storage_find(arg))) {
        return bad_value(cmd, arg, apr_pstrcat(cmd->pool, "one of ",
                                               provider_choice(cmd->pool), NULL));
    }
    if (!conf->provider_names) {
        conf->provider_names = apr_array_make(cmd->pool, 2, sizeof(const char *));
    }
    for (i = 0; i < conf->provider_names->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(conf->provider_names, i, const char *), sp->name)) {
            return NULL;
        }
    }
    APR_ARRAY_PUSH(conf->provider_names, const char *) = sp->name;
    return NULL;
}

/* A directive of a storage provider (cmd->info: its sc_storage_setting_t):
 * checked for its kind here, handed to the provider's init as text. */
static const char *set_provider_setting(cmd_parms *cmd, void *dconf, const char *arg)
{
    const sc_storage_setting_t *setting = cmd->info;
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);

    if (err) {
        return err;
    }
    if ((err = check_kind(cmd, setting->kind, arg,
                          apr_table_get(conf->provider_settings, setting->directive), &arg))) {
        return err;
    }
    apr_table_setn(conf->provider_settings, setting->directive, arg);
    return NULL;
}

static const char *set_link_path(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);

    if (err) {
        return err;
    }
    if (arg[0] != '/' || strpbrk(arg, "?#%") || strstr(arg, "..")) {
        return bad_value(cmd, arg, "a URL path starting with /");
    }
    conf->link_path = arg;
    return NULL;
}

/* A login text without the code would send people a useless SMS. */
static const char *set_otp_message(cmd_parms *cmd, void *dconf, const char *arg)
{
    const char *err = set_string(cmd, dconf, arg);

    if (err) {
        return err;
    }
    if (!strstr(arg, OTP_CODE_FIELD)) {
        return bad_value(cmd, arg, "it must contain " OTP_CODE_FIELD
                         ", where the login code goes");
    }
    return NULL;
}

static const char *set_rate(cmd_parms *cmd, void *dconf, const char *name,
                            const char *count, const char *window)
{
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);
    int i;

    if (err) {
        return err;
    }
    for (i = 0; i < SC_RATE_COUNT; i++) {
        if (!strcasecmp(name, rate_table[i].name)) {
            break;
        }
    }
    if (i == SC_RATE_COUNT) {
        return bad_value(cmd, name, "login-phone, login-phone-day, login-ip, send, "
                         "sms-prefix or sms-global");
    }
    if ((err = parse_int(cmd, count, 1, 1000000, &conf->rates[i].count))
        || (err = parse_int(cmd, window, 1, 30 * 86400, &conf->rates[i].window))) {
        return err;
    }
    return NULL;
}

static const char *set_country(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = mark_configured(cmd, &conf);

    if (err) {
        return err;
    }
    if (!sc_phone_is_country_prefix(arg)) {
        return bad_value(cmd, arg, "a country calling code: + and 1 to 4 digits, "
                         "such as +1 or +44");
    }
    if (!conf->sms_countries) {
        conf->sms_countries = apr_array_make(cmd->pool, 4, sizeof(const char *));
    }
    APR_ARRAY_PUSH(conf->sms_countries, const char *) = arg;
    return NULL;
}

#define OFF(f) (void *)APR_OFFSETOF(smscloud_conf_t, f)

static const command_rec module_cmds[] = {
    AP_INIT_TAKE1("SmsCloudSecret", set_secret, NULL, RSRC_CONF,
        "Server key (32+ characters) for code, session and link hashes"),
    AP_INIT_TAKE1("SmsCloudPublicUrl", set_public_url, OFF(public_url), RSRC_CONF,
        "Public base URL of this site, as Twilio and browsers reach it"),
    AP_INIT_TAKE1("SmsCloudOrganisation", set_string, OFF(organisation), RSRC_CONF,
        "Name shown on pages and in SMS texts"),
    AP_INIT_TAKE1("SmsCloudTwilioAccountSid", set_account_sid, NULL, RSRC_CONF,
        "Twilio Account SID (AC...)"),
    AP_INIT_TAKE1("SmsCloudTwilioAuthToken", set_string, OFF(twilio_auth_token), RSRC_CONF,
        "Twilio Auth Token: verifies webhooks and authenticates REST calls"),
    AP_INIT_TAKE1("SmsCloudTwilioFrom", set_twilio_from, NULL, RSRC_CONF,
        "Sender of outbound SMS: an E.164 number or a Messaging Service SID"),
    AP_INIT_TAKE1("SmsCloudTwilioApiBase", set_url, OFF(twilio_api_base), RSRC_CONF,
        "Base URL of the Twilio REST API"),
    AP_INIT_TAKE1("SmsCloudSmsTransport", set_transport, NULL, RSRC_CONF,
        "How outbound SMS leave: twilio or outbox"),
    AP_INIT_ITERATE("SmsCloudProviders", set_providers, NULL, RSRC_CONF,
        "Storage providers offered (names from the provider registry)"),
    AP_INIT_ITERATE("SmsCloudCredentialKey", set_credential_key, NULL, RSRC_CONF,
        "Keys (32+ characters) for the stored credentials of storage accounts: "
        "the first seals, all open"),
    AP_INIT_TAKE1("SmsCloudTemplateDir", set_path, OFF(template_dir), RSRC_CONF,
        "Directory of the page templates (the project's htdocs/)"),
    AP_INIT_TAKE1("SmsCloudLinkPath", set_link_path, NULL, RSRC_CONF,
        "URL path under which signed download links are served"),
    AP_INIT_TAKE1("SmsCloudLinkLifetime", set_int, (void *)&r_link_lifetime, RSRC_CONF,
        "Seconds a download link stays valid"),
    AP_INIT_TAKE1("SmsCloudOtpLength", set_int, (void *)&r_otp_length, RSRC_CONF,
        "Digits in a login code (4-10)"),
    AP_INIT_TAKE1("SmsCloudOtpLifetime", set_int, (void *)&r_otp_lifetime, RSRC_CONF,
        "Seconds a login code stays valid"),
    AP_INIT_TAKE1("SmsCloudOtpAttempts", set_int, (void *)&r_otp_attempts, RSRC_CONF,
        "Wrong entries before a login code is dead"),
    AP_INIT_TAKE1("SmsCloudOtpMaxFailures", set_int, (void *)&r_otp_failures, RSRC_CONF,
        "Wrong codes, across codes, from which the wait after wrong codes is longest"),
    AP_INIT_TAKE1("SmsCloudOtpMessage", set_otp_message, OFF(otp_message), RSRC_CONF,
        "Login SMS text; {code}, {org} and {minutes} are replaced"),
    AP_INIT_TAKE1("SmsCloudSmsIdle", set_int, (void *)&r_sms_idle, RSRC_CONF,
        "Seconds of silence after which an SMS conversation starts over"),
    AP_INIT_TAKE1("SmsCloudSessionIdle", set_int, (void *)&r_session_idle, RSRC_CONF,
        "Seconds of inactivity that end a web session"),
    AP_INIT_TAKE1("SmsCloudSessionMax", set_int, (void *)&r_session_max, RSRC_CONF,
        "Seconds after login that end a web session in any case"),
    AP_INIT_TAKE1("SmsCloudReplayLifetime", set_int, (void *)&r_replay, RSRC_CONF,
        "Seconds a handled MessageSid is remembered"),
    AP_INIT_TAKE1("SmsCloudHttpConnectTimeout", set_timeout, OFF(http_connect_timeout), RSRC_CONF,
        "Connect timeout of calls to Twilio and storage APIs"),
    AP_INIT_TAKE1("SmsCloudHttpTimeout", set_timeout, OFF(http_timeout), RSRC_CONF,
        "Total timeout of one call to Twilio or a storage API"),
    AP_INIT_TAKE1("SmsCloudMaxBody", set_size, OFF(max_body), RSRC_CONF,
        "Largest webhook request body in bytes"),
    AP_INIT_TAKE1("SmsCloudMaxFormBody", set_size, OFF(max_form_body), RSRC_CONF,
        "Largest web form body in bytes"),
    AP_INIT_TAKE3("SmsCloudRateLimit", set_rate, NULL, RSRC_CONF,
        "Rate limit: name, events, window in seconds"),
    AP_INIT_TAKE1("SmsCloudSmsPrefixDigits", set_int, (void *)&r_prefix_digits, RSRC_CONF,
        "Digits of a number that the sms-prefix limit counts by"),
    AP_INIT_ITERATE("SmsCloudSmsCountries", set_country, NULL, RSRC_CONF,
        "Country calling codes SMS may go to (+1 +44 ...); default: all"),
    SC_GATE_CMDS,
    SC_TWOSTEP_CMDS,
    SC_OTP_CMDS,
    SC_FLOWROUTE_CMDS,
    AP_INIT_TAKE1("SmsCloudMaintenanceInterval", set_int, (void *)&r_maintenance, RSRC_CONF,
        "Seconds between background removals of expired rows (0: not on this host)"),
    AP_INIT_TAKE1("SmsCloudRetainExpired", set_int, (void *)&r_retain_expired, RSRC_CONF,
        "Seconds ended sessions, login codes and OAuth states are kept"),
    AP_INIT_TAKE1("SmsCloudRetainOutbox", set_int, (void *)&r_retain_outbox, RSRC_CONF,
        "Seconds outbox messages are kept"),
    { NULL }
};

/* Room for the providers' directives: more than the registry holds today
 * with a margin; smscloud_conf_check() refuses to start if it is short. */
#define MAX_PROVIDER_SETTINGS 48
#define N_MODULE_CMDS (sizeof(module_cmds) / sizeof(module_cmds[0]) - 1)

command_rec smscloud_cmds[N_MODULE_CMDS + MAX_PROVIDER_SETTINGS + 1];
static int provider_settings_dropped;

/* httpd takes a module's directives from its module record when
 * LoadModule adds it, before any hook of ours can run; so the providers'
 * own directives (each provider lists them in its description) join the
 * table as the module is loaded. */
__attribute__((constructor))
static void smscloud_cmds_build(void)
{
    const sc_storage_provider_t *sp;
    const sc_storage_setting_t *st;
    apr_size_t n = N_MODULE_CMDS;
    int i;

    memcpy(smscloud_cmds, module_cmds, sizeof(module_cmds));
    for (i = 0; (sp = sc_storage_nth(i)); i++) {
        for (st = sp->settings; st && st->directive; st++) {
            command_rec *cmd = &smscloud_cmds[n];

            if (n >= N_MODULE_CMDS + MAX_PROVIDER_SETTINGS) {
                provider_settings_dropped++;
                continue;
            }
            cmd->name = st->directive;
            cmd->AP_TAKE1 = set_provider_setting;
            cmd->cmd_data = (void *)st;
            cmd->req_override = RSRC_CONF;
            cmd->args_how = st->kind == SC_SETTING_LIST ? ITERATE : TAKE1;
            cmd->errmsg = st->help;
            n++;
        }
    }
    memset(&smscloud_cmds[n], 0, sizeof(smscloud_cmds[n]));
}

/* ------------------------------------------------------------------ */
/* defaults and whole-server checks                                    */

#define DEFAULT_PTR(f, v) if (!c->f) c->f = (v)
#define DEFAULT_VAL(f, v) if (c->f == SC_UNSET) c->f = (v)

static void apply_defaults(apr_pool_t *p, smscloud_conf_t *c)
{
    int i;

    if (!c->provider_names) {
        c->provider_names = apr_array_make(p, 1, sizeof(const char *));
        APR_ARRAY_PUSH(c->provider_names, const char *) = DEF_PROVIDER;
    }
    DEFAULT_PTR(organisation, DEF_ORGANISATION);
    DEFAULT_PTR(twilio_api_base, DEF_TWILIO_API_BASE);
    DEFAULT_VAL(sms_transport, SC_TRANSPORT_TWILIO);
    DEFAULT_PTR(template_dir, DEF_TEMPLATE_DIR);
    DEFAULT_PTR(link_path, DEF_LINK_PATH);
    DEFAULT_VAL(link_lifetime, DEF_LINK_LIFETIME);
    DEFAULT_VAL(otp_length, DEF_OTP_LENGTH);
    DEFAULT_VAL(otp_lifetime, DEF_OTP_LIFETIME);
    DEFAULT_VAL(login_policy.free_failures, DEF_OTP_ATTEMPTS);
    DEFAULT_VAL(login_policy.max_failures, DEF_OTP_MAX_FAILURES);
    DEFAULT_PTR(otp_message, DEF_OTP_MESSAGE);
    DEFAULT_VAL(sms_idle, DEF_SMS_IDLE);
    DEFAULT_VAL(session_idle, DEF_SESSION_IDLE);
    DEFAULT_VAL(session_max, DEF_SESSION_MAX);
    DEFAULT_VAL(replay_lifetime, DEF_REPLAY_LIFETIME);
    DEFAULT_VAL(http_connect_timeout, DEF_HTTP_CONNECT_TIMEOUT);
    DEFAULT_VAL(http_timeout, DEF_HTTP_TIMEOUT);
    DEFAULT_VAL(max_body, DEF_MAX_BODY);
    DEFAULT_VAL(max_form_body, DEF_MAX_FORM_BODY);
    DEFAULT_VAL(sms_prefix_digits, DEF_SMS_PREFIX_DIGITS);
    DEFAULT_VAL(maintenance_interval, DEF_MAINTENANCE_INTERVAL);
    DEFAULT_VAL(retain_expired, DEF_RETAIN_EXPIRED);
    DEFAULT_VAL(retain_outbox, DEF_RETAIN_OUTBOX);
    for (i = 0; i < SC_RATE_COUNT; i++) {
        DEFAULT_VAL(rates[i].count, rate_table[i].def.count);
        DEFAULT_VAL(rates[i].window, rate_table[i].def.window);
    }
}

static int missing(server_rec *s, const char *directive, const char *why)
{
    ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s,
                 "SC00001: mod_smscloud: %s is required %s (server %s:%u)",
                 directive, why, s->server_hostname ? s->server_hostname : "?",
                 s->port);
    return HTTP_INTERNAL_SERVER_ERROR;
}

static int refuse(server_rec *s, const char *directive, const char *value,
                  const char *why)
{
    ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s,
                 "SC00030: mod_smscloud: %s %s: %s (server %s:%u)",
                 directive, value, why,
                 s->server_hostname ? s->server_hostname : "?", s->port);
    return HTTP_INTERNAL_SERVER_ERROR;
}

/* The templates are read by the parent at startup: the directory must be
 * there now, or the start (not -t) would be the first to notice. */
static int check_template_dir(server_rec *s, const smscloud_conf_t *c,
                              apr_pool_t *ptemp)
{
    apr_dir_t *dir;
    apr_status_t rv = apr_dir_open(&dir, c->template_dir, ptemp);
    char buf[120];

    if (rv != APR_SUCCESS) {
        return refuse(s, "SmsCloudTemplateDir", c->template_dir,
                      apr_pstrcat(ptemp, "cannot open the page template "
                                  "directory (", apr_strerror(rv, buf, sizeof(buf)),
                                  "); make install and the package put the "
                                  "templates in " DEF_TEMPLATE_DIR, NULL));
    }
    apr_dir_close(dir);
    return OK;
}

/* The longest login text: org, a code of full length and the minutes. */
static int check_otp_text(server_rec *s, const smscloud_conf_t *c, apr_pool_t *ptemp)
{
    const char *names[] = { "org", "code", "minutes" };
    const char *values[] = {
        c->organisation, apr_pstrndup(ptemp, "9999999999", (apr_size_t)c->otp_length),
        apr_itoa(ptemp, (c->otp_lifetime + 59) / 60)
    };
    const char *text = sc_braces_subst(ptemp, c->otp_message, 3, names, values);

    if (sc_utf8_len(text) > SC_SMS_MAX_CHARS) {
        return refuse(s, "SmsCloudOtpMessage", "(with SmsCloudOrganisation)",
                      apr_psprintf(ptemp, "the login SMS would be %" APR_SIZE_T_FMT
                                   " characters; Twilio takes at most %d",
                                   sc_utf8_len(text), SC_SMS_MAX_CHARS));
    }
    return OK;
}

/* ------------------------------------------------------------------ */
/* SmsCloudLinkPath against the <Location>s of the configuration       */

/* A SetHandler smscloud-* inside a plain <Location>, and its server. */
typedef struct {
    const ap_directive_t *vhost;   /* its <VirtualHost>, NULL: main server */
    const char *path;              /* the <Location> path, trailing / cut */
    const char *handler;
    const ap_directive_t *where;
} route_t;

static int is_section(const ap_directive_t *d, const char *name)
{
    return !strcasecmp(d->directive, name);
}

/* Walks the whole tree, <IfModule>/<IfDefine> branches included whether
 * they apply or not: a route found there is only a likely one, so what
 * this finds missing stays a warning unless another path is served. */
static void collect_routes(apr_pool_t *p, const ap_directive_t *d,
                           const ap_directive_t *vhost, const char *location,
                           apr_array_header_t *routes)
{
    for (; d; d = d->next) {
        const char *args = d->args ? d->args : "";

        if (is_section(d, "<VirtualHost")) {
            collect_routes(p, d->first_child, d, NULL, routes);
        }
        else if (is_section(d, "<Location")) {
            char *path = ap_getword_conf(p, &args);
            apr_size_t len = strlen(path);

            if (len && path[len - 1] == '>') {
                path[--len] = '\0';
            }
            while (len > 1 && path[len - 1] == '/') {
                path[--len] = '\0';
            }
            collect_routes(p, d->first_child, vhost,
                           strcmp(path, "~") ? path : NULL, routes);
        }
        else if (!strncasecmp(d->directive, "<If", 3)) {
            collect_routes(p, d->first_child, vhost, location, routes);
        }
        else if (d->first_child) {
            collect_routes(p, d->first_child, vhost, NULL, routes);
        }
        else if (location && !strcasecmp(d->directive, "SetHandler")) {
            const char *handler = ap_getword_conf(p, &args);

            if (!strncmp(handler, "smscloud-", 9)) {
                route_t *rt = apr_array_push(routes);
                rt->vhost = vhost;
                rt->path = location;
                rt->handler = handler;
                rt->where = d;
            }
        }
    }
}

static int route_of_server(const route_t *rt, const server_rec *s)
{
    return !rt->vhost
           || (s->is_virtual && s->defn_name && rt->vhost->filename
               && !strcmp(s->defn_name, rt->vhost->filename)
               && s->defn_line_number == (unsigned)rt->vhost->line_num);
}

/* <Location L> serves P and everything below it (a plain prefix). */
static int location_covers(const char *location, const char *path)
{
    apr_size_t n = strlen(location);

    return !strcmp(location, "/")
           || (!strncmp(path, location, n) && (path[n] == '\0' || path[n] == '/'));
}

static int check_link_path(server_rec *s, const smscloud_conf_t *c,
                           const apr_array_header_t *routes, apr_pool_t *ptemp)
{
    const route_t *elsewhere = NULL;
    int serves_routes = 0, i;

    for (i = 0; i < routes->nelts; i++) {
        const route_t *rt = &APR_ARRAY_IDX(routes, i, route_t);

        if (!route_of_server(rt, s)) {
            continue;
        }
        serves_routes = 1;
        if (strcmp(rt->handler, "smscloud-link")) {
            continue;
        }
        if (location_covers(rt->path, c->link_path)) {
            return OK;
        }
        elsewhere = rt;
    }
    if (elsewhere) {
        return refuse(s, "SmsCloudLinkPath", c->link_path,
                      apr_psprintf(ptemp, "links would point where no handler "
                                   "serves them: SetHandler smscloud-link is in "
                                   "<Location %s> (%s:%d); make the two agree",
                                   elsewhere->path, elsewhere->where->filename,
                                   elsewhere->where->line_num));
    }
    if (serves_routes) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_WARNING, 0, s,
                     "SC00031: mod_smscloud: SmsCloudLinkPath %s: no <Location> "
                     "of server %s:%u sets SetHandler smscloud-link, so its "
                     "download links answer 404 unless something else sets that "
                     "handler", c->link_path,
                     s->server_hostname ? s->server_hostname : "?", s->port);
    }
    return OK;
}

static int check_server(apr_pool_t *pconf, server_rec *s, smscloud_conf_t *c)
{
    sc_hmac_key_t *secret_key;

    apply_defaults(pconf, c);
    if (!c->secret) {
        return missing(s, "SmsCloudSecret", "for codes, sessions and links");
    }
    if (sc_hmac_key_make(pconf, c->secret, strlen(c->secret), &secret_key) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s,
                     "SC00032: mod_smscloud: no HMAC-SHA256 from OpenSSL for SmsCloudSecret");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    c->secret_key = secret_key;
    if (!c->public_url) {
        return missing(s, "SmsCloudPublicUrl", "to verify Twilio signatures and build links");
    }
    if (!c->twilio_auth_token) {
        return missing(s, "SmsCloudTwilioAuthToken", "to verify incoming SMS webhooks");
    }
    if (c->sms_transport == SC_TRANSPORT_TWILIO) {
        if (!c->twilio_account_sid) {
            return missing(s, "SmsCloudTwilioAccountSid", "with SmsCloudSmsTransport twilio");
        }
        if (!c->twilio_from) {
            return missing(s, "SmsCloudTwilioFrom", "with SmsCloudSmsTransport twilio");
        }
    }
    if (c->session_idle > c->session_max) {
        return missing(s, "SmsCloudSessionIdle <= SmsCloudSessionMax", "");
    }
    if (smscloud_storage_init(pconf, s, c) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return OK;
}

int smscloud_conf_check(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s)
{
    apr_array_header_t *routes = apr_array_make(ptemp, 16, sizeof(route_t));
    server_rec *sp;
    int rv;

    if (provider_settings_dropped) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s,
                     "SC00005: mod_smscloud: %d storage provider directives do not "
                     "fit MAX_PROVIDER_SETTINGS", provider_settings_dropped);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    collect_routes(ptemp, ap_conftree, NULL, NULL, routes);
    for (sp = s; sp; sp = sp->next) {
        smscloud_conf_t *c = ap_get_module_config(sp->module_config, &smscloud_module);

        if (!c->configured) {
            continue;
        }
        if ((rv = check_server(pconf, sp, c)) != OK
            || (rv = check_template_dir(sp, c, ptemp)) != OK
            || (rv = check_otp_text(sp, c, ptemp)) != OK
            || (rv = check_link_path(sp, c, routes, ptemp)) != OK) {
            return rv;
        }
    }
    return OK;
}
