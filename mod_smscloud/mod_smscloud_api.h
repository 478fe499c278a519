/*
 * mod_smscloud.h's optional functions (mod_smscloud_api.c).
 */
#ifndef MOD_SMSCLOUD_API_H
#define MOD_SMSCLOUD_API_H

/** Register them (register_hooks). */
void smscloud_api_register(void);

#endif
