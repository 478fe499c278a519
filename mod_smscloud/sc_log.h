/* sc_log.h: how the core logs. The core knows no error log: the glue
 * installs a callback at startup that forwards to httpd's (the md_log
 * pattern). Without one, nothing is logged (unit tests install their own).
 */
#ifndef SC_LOG_H
#define SC_LOG_H

#include <apr_errno.h>
#include <apr_pools.h>

/* The same numbers as httpd's APLOG_* levels. */
typedef enum {
    SC_LOG_ERR = 3,
    SC_LOG_WARNING = 4,
    SC_LOG_NOTICE = 5,
    SC_LOG_INFO = 6,
    SC_LOG_DEBUG = 7
} sc_log_level_e;

#define SC_LOG_MARK __FILE__, __LINE__

/** Receives each line, already formatted; p is the pool of the work that
 *  logs (the glue finds its request through it). */
typedef void sc_log_print_fn(const char *file, int line, sc_log_level_e level,
                             apr_status_t rv, apr_pool_t *p, const char *msg);

/** Install the callback (NULL: log nothing). */
void sc_log_set(sc_log_print_fn *print);

/** Log one line through the callback. Messages start with their tag
 *  ("SC05001: ...") and never carry a secret, code or full phone number. */
void sc_log_perror(const char *file, int line, sc_log_level_e level, apr_status_t rv,
                   apr_pool_t *p, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif /* SC_LOG_H */
