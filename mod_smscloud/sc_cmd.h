/* sc_cmd.h: parser for the SMS commands a user sends to /sms. */
#ifndef SC_CMD_H
#define SC_CMD_H

#include <apr_pools.h>

/** What a message asks for. */
typedef enum {
    SC_CMD_EMPTY,   /**< nothing but whitespace */
    SC_CMD_LS,      /**< ls: list the current folder */
    SC_CMD_CD,      /**< cd <n> or cd <name>: enter that entry of the listing */
    SC_CMD_CD_UP,   /**< cd ..: go to the parent folder */
    SC_CMD_GET,     /**< get <n> or get <name>: link to that entry */
    SC_CMD_SEND,    /**< send <n> <phone>: text a link to someone else */
    SC_CMD_PWD,     /**< pwd: show the current folder */
    SC_CMD_MORE,    /**< more: next page of the last reply */
    SC_CMD_RESET,   /**< reset: back to the root, forget the listing */
    SC_CMD_HELP,    /**< help, or the carrier keywords HELP / INFO */
    SC_CMD_OPTOUT,  /**< carrier opt-out keyword (STOP and friends) */
    SC_CMD_OPTIN,   /**< carrier opt-in keyword (START, YES, UNSTOP) */
    SC_CMD_UNKNOWN, /**< first word is no known verb */
    SC_CMD_BADARG   /**< known verb, wrong arguments */
} sc_cmd_kind_e;

/** A parsed command. */
typedef struct {
    sc_cmd_kind_e kind;
    int index;           /**< CD, GET, SEND: entry number 1..99999; else 0
                          *   (also for CD and GET by name) */
    const char *name;    /**< CD, GET by name: the name or its beginning as
                          *   sent (sanitized, spaces kept); else NULL */
    const char *phone;   /**< SEND: recipient in E.164; else NULL */
    const char *verb;    /**< canonical lowercase verb for known commands
                          *   ("cd", "stop" ...); for UNKNOWN the word as
                          *   sent, sanitized, at most 20 code points;
                          *   NULL for EMPTY */
    const char *problem; /**< BADARG: a short English reason for the user;
                          *   else NULL */
} sc_cmd_t;

/**
 * Parse an SMS body.
 *
 * Case-insensitive; any amount of whitespace around and between words.
 * Verbs: ls, cd <n>, cd <name>, cd .., get <n>, get <name>,
 * send <n> <phone>, pwd, more, reset, help. An argument of digits only is
 * a number (and must be 1..99999); anything else is a name, which is the
 * rest of the message. The phone of send is the rest of the message and may contain
 * spaces ("send 2 +1 415 555 0100"); it is normalised with
 * sc_phone_normalise. Carrier keywords count only as the whole message:
 * STOP STOPALL UNSUBSCRIBE CANCEL END QUIT REVOKE OPTOUT -> OPTOUT,
 * START YES UNSTOP -> OPTIN, HELP INFO -> HELP. "cd …" (U+2026, which phone
 * keyboards make of "..") is taken as "cd ..".
 *
 * @param body  the message text; NULL is treated as empty
 * @param cmd   out: always fully set
 */
void sc_cmd_parse(apr_pool_t *p, const char *body, sc_cmd_t *cmd);

/** The kind's name ("ls", "cd_up", "unknown" ...), or NULL for none. */
const char *sc_cmd_kind_name(sc_cmd_kind_e kind);

/** Every kind's name, in sc_cmd_kind_e order, ended by NULL. */
const char *const *sc_cmd_kind_names(void);

#endif /* SC_CMD_H */
