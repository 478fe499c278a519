/* sc_log.c: how the core logs (see sc_log.h). */
#include <stdarg.h>

#include <apr_strings.h>

#include "sc_log.h"

static sc_log_print_fn *log_print;

void sc_log_set(sc_log_print_fn *print)
{
    log_print = print;
}

void sc_log_perror(const char *file, int line, sc_log_level_e level, apr_status_t rv,
                   apr_pool_t *p, const char *fmt, ...)
{
    va_list ap;
    const char *msg;

    if (!log_print) {
        return;
    }
    va_start(ap, fmt);
    msg = apr_pvsprintf(p, fmt, ap);
    va_end(ap);
    log_print(file, line, level, rv, p, msg);
}
