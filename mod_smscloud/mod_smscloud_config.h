/*
 * Server configuration of mod_smscloud: one smscloud_conf_t per server_rec.
 * Unset values are -1 or NULL until the merge; smscloud_conf_check() (run in
 * the check_config hook, so `apachectl -t` sees it) applies the defaults and
 * refuses incomplete configurations.
 */
#ifndef MOD_SMSCLOUD_CONFIG_H
#define MOD_SMSCLOUD_CONFIG_H

#include "httpd.h"
#include "http_config.h"
#include "apr_hash.h"

#include "sc_backoff.h"

#define SC_UNSET (-1)

typedef enum {
    SC_TRANSPORT_TWILIO = 0,
    SC_TRANSPORT_OUTBOX = 1
} smscloud_transport_e;

typedef enum {
    SC_RATE_LOGIN_PHONE = 0,   /* codes sent to one phone, short window */
    SC_RATE_LOGIN_PHONE_DAY,   /* codes sent to one phone, per day */
    SC_RATE_LOGIN_IP,          /* codes requested from one client address */
    SC_RATE_SEND,              /* `send` links texted by one phone */
    SC_RATE_SMS_PREFIX,        /* SMS to one number prefix (SMS pumping) */
    SC_RATE_SMS_GLOBAL,        /* every SMS this service sends */
    SC_RATE_COUNT
} smscloud_rate_e;

typedef struct {
    int count;                 /* events allowed per window */
    int window;                /* seconds */
} smscloud_rate_t;

typedef struct {
    int configured;            /* some SmsCloud directive applies here */

    const char *secret;
    const char *public_url;
    const char *organisation;

    const char *twilio_account_sid;
    const char *twilio_auth_token;
    const char *twilio_from;
    const char *twilio_api_base;
    int sms_transport;

    apr_array_header_t *provider_names;  /* SmsCloudProviders, registry names */
    apr_table_t *provider_settings;      /* directive -> value, of every provider */
    apr_array_header_t *credential_secrets; /* SmsCloudCredentialKey: [0] seals */

    const char *template_dir;

    const char *link_path;
    int link_lifetime;

    int otp_length;
    int otp_lifetime;
    /* SmsCloudOtpAttempts and SmsCloudOtpMaxFailures, as sc_backoff uses them */
    sc_backoff_t login_policy;
    const char *otp_message;

    int sms_idle;
    int session_idle;
    int session_max;
    int replay_lifetime;

    apr_interval_time_t http_connect_timeout;
    apr_interval_time_t http_timeout;
    apr_off_t max_body;
    apr_off_t max_form_body;

    smscloud_rate_t rates[SC_RATE_COUNT];
    int sms_prefix_digits;     /* what sms-prefix counts by */
    apr_array_header_t *sms_countries;  /* allowed "+CC" prefixes; NULL: all */

    apr_hash_t *otp_services;  /* service SID -> sc_otp_service_t (SmsCloudVerifyService) */
    int maintenance_interval;  /* seconds between passes, 0: none here */
    int retain_expired;        /* seconds dead sessions/codes/states stay */
    int retain_outbox;         /* seconds outbox rows stay */

    /* built at startup from the values above; read-only afterwards */
    apr_array_header_t *providers;       /* smscloud_provider_t *, offered here */
    const struct sc_crypt_keys_t *credential_keys;  /* NULL without the directive */
    const struct smscloud_pages_t *pages;     /* parsed templates */
    const struct smscloud_assets_t *assets;   /* style sheet and icon */
    const char *link_key;      /* sc_link_key(secret) */
    const struct sc_hmac_key_t *secret_key;  /* secret, keyed once for smscloud_keyed_hash */
} smscloud_conf_t;

/* The module's directives followed by those of every registered storage
 * provider (filled in as the module is loaded). */
extern command_rec smscloud_cmds[];

void *smscloud_create_server_conf(apr_pool_t *p, server_rec *s);
void *smscloud_merge_server_conf(apr_pool_t *p, void *basev, void *addv);

/** Apply defaults and validate every configured server; logs and returns
 *  !OK when one cannot work. */
int smscloud_conf_check(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s);

/** The configuration of the server handling r. */
const smscloud_conf_t *smscloud_conf(const request_rec *r);
const smscloud_conf_t *smscloud_server_conf(const server_rec *s);

/** Name of a rate limit as written in SmsCloudRateLimit. */
const char *smscloud_rate_name(smscloud_rate_e which);

#endif
