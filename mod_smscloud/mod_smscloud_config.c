/*
 * Directives of mod_smscloud. Every value is checked where it is read, so
 * `apachectl -t` names the directive and the bad value; whole-server rules
 * (required secrets) are checked in smscloud_conf_check().
 */
#include "mod_smscloud_private.h"
#include "mod_smscloud_dbd.h"
#include "mod_smscloud_gate.h"
#include "mod_smscloud_otp.h"

#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_uri.h"

/* ------------------------------------------------------------------ */
/* defaults                                                            */

#define DEF_ORGANISATION       "mod_smscloud"
#define DEF_TWILIO_API_BASE    "https://api.twilio.com"
#define DEF_KLOUDLESS_API_BASE "https://api.kloudless.com/v1"
#define DEF_KLOUDLESS_AUTHORIZE "https://api.kloudless.com/v1/oauth/"
#ifndef DEF_TEMPLATE_DIR
#define DEF_TEMPLATE_DIR       "/usr/share/mod_smscloud/htdocs"
#endif
#define DEF_LOCAL_NAME         "Files on this server"
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
/* Both well inside Twilio's 15 s webhook budget, leaving room for the
 * database and a second upstream call. */
#define DEF_HTTP_CONNECT_TIMEOUT apr_time_from_sec(3)
#define DEF_HTTP_TIMEOUT         apr_time_from_sec(5)
#define DEF_MAX_BODY           (64 * 1024)
#define DEF_MAX_FORM_BODY      (8 * 1024)
#define MIN_SECRET_LEN         32

static const struct {
    const char *name;
    smscloud_rate_t def;
} rate_table[SC_RATE_COUNT] = {
    [SC_RATE_LOGIN_PHONE]     = { "login-phone",     { 5, 600 } },
    [SC_RATE_LOGIN_PHONE_DAY] = { "login-phone-day", { 10, 86400 } },
    [SC_RATE_LOGIN_IP]        = { "login-ip",        { 20, 3600 } },
    [SC_RATE_SEND]            = { "send",            { 10, 3600 } },
};

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
    c->providers = SC_UNSET;
    c->link_lifetime = SC_UNSET;
    c->otp_length = SC_UNSET;
    c->otp_lifetime = SC_UNSET;
    c->otp_attempts = SC_UNSET;
    c->otp_max_failures = SC_UNSET;
    c->sms_idle = SC_UNSET;
    c->session_idle = SC_UNSET;
    c->session_max = SC_UNSET;
    c->replay_lifetime = SC_UNSET;
    c->http_connect_timeout = SC_UNSET;
    c->http_timeout = SC_UNSET;
    c->max_body = SC_UNSET;
    c->max_form_body = SC_UNSET;
    c->demo = SC_UNSET;
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
    MERGE_PTR(kloudless_app_id);
    MERGE_PTR(kloudless_api_key);
    MERGE_PTR(kloudless_api_base);
    MERGE_PTR(kloudless_authorize_url);
    MERGE_VAL(providers);
    MERGE_PTR(template_dir);
    MERGE_PTR(local_root);
    MERGE_PTR(local_name);
    MERGE_PTR(link_path);
    MERGE_VAL(link_lifetime);
    MERGE_VAL(otp_length);
    MERGE_VAL(otp_lifetime);
    MERGE_VAL(otp_attempts);
    MERGE_VAL(otp_max_failures);
    MERGE_PTR(otp_message);
    MERGE_VAL(sms_idle);
    MERGE_VAL(session_idle);
    MERGE_VAL(session_max);
    MERGE_VAL(replay_lifetime);
    MERGE_VAL(http_connect_timeout);
    MERGE_VAL(http_timeout);
    MERGE_VAL(max_body);
    MERGE_VAL(max_form_body);
    MERGE_VAL(demo);
    MERGE_PTR(otp_services);
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

/* Every directive goes through here: it marks the server as using the
 * module, which needs mod_dbd loaded first (as mod_authn_dbd does). */
static const char *touch(cmd_parms *cmd, smscloud_conf_t **conf)
{
    const char *err = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT);

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
    const char *err = touch(cmd, &conf);

    if (err) {
        return err;
    }
    if (!*arg) {
        return bad_value(cmd, arg, "must not be empty");
    }
    *(const char **)((char *)conf + (apr_size_t)cmd->info) = arg;
    return NULL;
}

/* An existing directory, relative paths taken from ServerRoot. */
static const char *set_path(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    apr_finfo_t finfo;
    const char *path;
    const char *err = touch(cmd, &conf);

    if (err) {
        return err;
    }
    path = ap_server_root_relative(cmd->pool, arg);
    if (!path || apr_stat(&finfo, path, APR_FINFO_TYPE, cmd->pool) != APR_SUCCESS
        || finfo.filetype != APR_DIR) {
        return bad_value(cmd, arg, "an existing directory is required");
    }
    *(const char **)((char *)conf + (apr_size_t)cmd->info) = path;
    return NULL;
}

/* An absolute http(s) URL without query or fragment; a trailing slash is
 * dropped so that paths can be appended. */
static const char *set_url(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    apr_uri_t uri;
    const char *err = touch(cmd, &conf);
    apr_size_t len = strlen(arg);

    if (err) {
        return err;
    }
    if (apr_uri_parse(cmd->pool, arg, &uri) != APR_SUCCESS
        || !uri.scheme || !uri.hostname || !*uri.hostname
        || (strcasecmp(uri.scheme, "http") && strcasecmp(uri.scheme, "https"))
        || uri.query || uri.fragment) {
        return bad_value(cmd, arg, "an absolute http:// or https:// URL "
                         "without query string is required");
    }
    if (len > 1 && arg[len - 1] == '/' && cmd->info
        != (void *)APR_OFFSETOF(smscloud_conf_t, kloudless_authorize_url)) {
        arg = apr_pstrndup(cmd->pool, arg, len - 1);
    }
    *(const char **)((char *)conf + (apr_size_t)cmd->info) = arg;
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
static const int_range_t r_otp_attempts = { APR_OFFSETOF(smscloud_conf_t, otp_attempts), 1, 20 };
static const int_range_t r_otp_failures = { APR_OFFSETOF(smscloud_conf_t, otp_max_failures), 1, 100 };
static const int_range_t r_sms_idle = { APR_OFFSETOF(smscloud_conf_t, sms_idle), 60, 30 * 86400 };
static const int_range_t r_session_idle = { APR_OFFSETOF(smscloud_conf_t, session_idle), 60, 30 * 86400 };
static const int_range_t r_session_max = { APR_OFFSETOF(smscloud_conf_t, session_max), 60, 30 * 86400 };
static const int_range_t r_replay = { APR_OFFSETOF(smscloud_conf_t, replay_lifetime), 60, 30 * 86400 };
static const int_range_t r_link_lifetime = { APR_OFFSETOF(smscloud_conf_t, link_lifetime), 10, 7 * 86400 };

static const char *set_int(cmd_parms *cmd, void *dconf, const char *arg)
{
    const int_range_t *range = cmd->info;
    smscloud_conf_t *conf;
    const char *err = touch(cmd, &conf);

    if (err) {
        return err;
    }
    return parse_int(cmd, arg, range->min, range->max,
                     (int *)((char *)conf + range->offset));
}

static const char *set_size(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = touch(cmd, &conf);
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
    const char *err = touch(cmd, &conf);

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
    const char *err = touch(cmd, &conf);

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

static const char *set_twilio_from(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = touch(cmd, &conf);
    const char *p = arg;

    if (err) {
        return err;
    }
    if (arg[0] == '+') {
        for (p = arg + 1; apr_isdigit(*p); p++)
            ;
        if (*p || p - arg < 9 || p - arg > 16 || arg[1] == '0') {
            return bad_value(cmd, arg, "an E.164 number like +15557654321 "
                             "or a Messaging Service SID MG...");
        }
    }
    else if (strncmp(arg, "MG", 2) || strlen(arg) != 34) {
        return bad_value(cmd, arg, "an E.164 number like +15557654321 "
                         "or a Messaging Service SID MG...");
    }
    conf->twilio_from = arg;
    return NULL;
}

static const char *set_account_sid(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = touch(cmd, &conf);
    const char *p;

    if (err) {
        return err;
    }
    for (p = arg + 2; apr_isxdigit(*p); p++)
        ;
    if (strncmp(arg, "AC", 2) || *p || p - arg != 34) {
        return bad_value(cmd, arg, "AC followed by 32 hex digits");
    }
    conf->twilio_account_sid = arg;
    return NULL;
}

static const char *set_transport(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = touch(cmd, &conf);

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

static const char *set_providers(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = touch(cmd, &conf);

    if (err) {
        return err;
    }
    if (conf->providers == SC_UNSET) {
        conf->providers = 0;
    }
    if (!strcasecmp(arg, "kloudless")) {
        conf->providers |= SC_PROVIDER_KLOUDLESS;
    }
    else if (!strcasecmp(arg, "local")) {
        conf->providers |= SC_PROVIDER_LOCAL;
    }
    else {
        return bad_value(cmd, arg, "kloudless or local");
    }
    return NULL;
}

static const char *set_link_path(cmd_parms *cmd, void *dconf, const char *arg)
{
    smscloud_conf_t *conf;
    const char *err = touch(cmd, &conf);

    if (err) {
        return err;
    }
    if (arg[0] != '/' || strpbrk(arg, "?#%") || strstr(arg, "..")) {
        return bad_value(cmd, arg, "a URL path starting with /");
    }
    conf->link_path = arg;
    return NULL;
}

static const char *set_rate(cmd_parms *cmd, void *dconf, const char *name,
                            const char *count, const char *window)
{
    smscloud_conf_t *conf;
    const char *err = touch(cmd, &conf);
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
        return bad_value(cmd, name, "login-phone, login-phone-day, login-ip or send");
    }
    if ((err = parse_int(cmd, count, 1, 1000000, &conf->rates[i].count))
        || (err = parse_int(cmd, window, 1, 30 * 86400, &conf->rates[i].window))) {
        return err;
    }
    return NULL;
}

static const char *set_demo(cmd_parms *cmd, void *dconf, int flag)
{
    smscloud_conf_t *conf;
    const char *err = touch(cmd, &conf);

    if (err) {
        return err;
    }
    conf->demo = flag;
    return NULL;
}

#define OFF(f) (void *)APR_OFFSETOF(smscloud_conf_t, f)

const command_rec smscloud_cmds[] = {
    AP_INIT_TAKE1("SmsCloudSecret", set_secret, NULL, RSRC_CONF,
        "Server key (32+ characters) for code, session and link hashes"),
    AP_INIT_TAKE1("SmsCloudPublicUrl", set_url, OFF(public_url), RSRC_CONF,
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
    AP_INIT_TAKE1("SmsCloudKloudlessAppId", set_string, OFF(kloudless_app_id), RSRC_CONF,
        "Kloudless application id"),
    AP_INIT_TAKE1("SmsCloudKloudlessApiKey", set_string, OFF(kloudless_api_key), RSRC_CONF,
        "Kloudless API key"),
    AP_INIT_TAKE1("SmsCloudKloudlessApiBase", set_url, OFF(kloudless_api_base), RSRC_CONF,
        "Base URL of the Kloudless API, version included"),
    AP_INIT_TAKE1("SmsCloudKloudlessAuthorizeUrl", set_url, OFF(kloudless_authorize_url), RSRC_CONF,
        "Kloudless OAuth authorize URL"),
    AP_INIT_ITERATE("SmsCloudProviders", set_providers, NULL, RSRC_CONF,
        "Storage providers offered: kloudless, local"),
    AP_INIT_TAKE1("SmsCloudTemplateDir", set_path, OFF(template_dir), RSRC_CONF,
        "Directory of the page templates (the project's htdocs/)"),
    AP_INIT_TAKE1("SmsCloudLocalRoot", set_path, OFF(local_root), RSRC_CONF,
        "Directory served by the local storage provider"),
    AP_INIT_TAKE1("SmsCloudLocalName", set_string, OFF(local_name), RSRC_CONF,
        "Name of the local storage account"),
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
    AP_INIT_TAKE1("SmsCloudOtpMessage", set_string, OFF(otp_message), RSRC_CONF,
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
    AP_INIT_FLAG("SmsCloudDemo", set_demo, NULL, RSRC_CONF,
        "Enable the loopback-only phone simulator"),
    SC_GATE_CMDS,
    SC_OTP_CMDS,
    { NULL }
};

/* ------------------------------------------------------------------ */
/* defaults and whole-server checks                                    */

#define DEFAULT_PTR(f, v) if (!c->f) c->f = (v)
#define DEFAULT_VAL(f, v) if (c->f == SC_UNSET) c->f = (v)

static void apply_defaults(smscloud_conf_t *c)
{
    int i;

    DEFAULT_PTR(organisation, DEF_ORGANISATION);
    DEFAULT_PTR(twilio_api_base, DEF_TWILIO_API_BASE);
    DEFAULT_VAL(sms_transport, SC_TRANSPORT_TWILIO);
    DEFAULT_PTR(kloudless_api_base, DEF_KLOUDLESS_API_BASE);
    DEFAULT_PTR(kloudless_authorize_url, DEF_KLOUDLESS_AUTHORIZE);
    DEFAULT_VAL(providers, SC_PROVIDER_KLOUDLESS);
    DEFAULT_PTR(template_dir, DEF_TEMPLATE_DIR);
    DEFAULT_PTR(local_name, DEF_LOCAL_NAME);
    DEFAULT_PTR(link_path, DEF_LINK_PATH);
    DEFAULT_VAL(link_lifetime, DEF_LINK_LIFETIME);
    DEFAULT_VAL(otp_length, DEF_OTP_LENGTH);
    DEFAULT_VAL(otp_lifetime, DEF_OTP_LIFETIME);
    DEFAULT_VAL(otp_attempts, DEF_OTP_ATTEMPTS);
    DEFAULT_VAL(otp_max_failures, DEF_OTP_MAX_FAILURES);
    DEFAULT_PTR(otp_message, DEF_OTP_MESSAGE);
    DEFAULT_VAL(sms_idle, DEF_SMS_IDLE);
    DEFAULT_VAL(session_idle, DEF_SESSION_IDLE);
    DEFAULT_VAL(session_max, DEF_SESSION_MAX);
    DEFAULT_VAL(replay_lifetime, DEF_REPLAY_LIFETIME);
    DEFAULT_VAL(http_connect_timeout, DEF_HTTP_CONNECT_TIMEOUT);
    DEFAULT_VAL(http_timeout, DEF_HTTP_TIMEOUT);
    DEFAULT_VAL(max_body, DEF_MAX_BODY);
    DEFAULT_VAL(max_form_body, DEF_MAX_FORM_BODY);
    DEFAULT_VAL(demo, 0);
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

static int check_server(server_rec *s, smscloud_conf_t *c)
{
    apply_defaults(c);
    if (!c->secret) {
        return missing(s, "SmsCloudSecret", "for codes, sessions and links");
    }
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
    if (c->providers & SC_PROVIDER_KLOUDLESS) {
        if (!c->kloudless_app_id) {
            return missing(s, "SmsCloudKloudlessAppId", "with the kloudless provider");
        }
        if (!c->kloudless_api_key) {
            return missing(s, "SmsCloudKloudlessApiKey", "with the kloudless provider");
        }
    }
    if ((c->providers & SC_PROVIDER_LOCAL) && !c->local_root) {
        return missing(s, "SmsCloudLocalRoot", "with the local provider");
    }
    if (c->session_idle > c->session_max) {
        return missing(s, "SmsCloudSessionIdle <= SmsCloudSessionMax", "");
    }
    return OK;
}

int smscloud_conf_check(apr_pool_t *pconf, server_rec *s)
{
    server_rec *sp;
    int rv;

    for (sp = s; sp; sp = sp->next) {
        smscloud_conf_t *c = ap_get_module_config(sp->module_config, &smscloud_module);

        if (c->configured && (rv = check_server(sp, c)) != OK) {
            return rv;
        }
    }
    return OK;
}
