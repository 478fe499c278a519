/* sc_row.c: a row of a database result, read by column name (sc_row.h). */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <apr_strings.h>

#include "sc_row.h"

struct sc_row_t {
    const char *label;         /* the statement, for sc_row_fault */
    int ncols;
    const char *const *names;
    const char *const *values;
    const char *fault;         /* the first thing wrong, or NULL */
    apr_pool_t *pool;
};

sc_row_t *sc_row_make(apr_pool_t *p, const char *label, int ncols,
                      const char *const *names, const char *const *values)
{
    sc_row_t *row = apr_pcalloc(p, sizeof(*row));

    row->label = label;
    row->ncols = ncols;
    row->names = names;
    row->values = values;
    row->pool = p;
    return row;
}

static void row_fault(sc_row_t *row, const char *col, const char *what)
{
    if (!row->fault) {
        row->fault = apr_psprintf(row->pool, "%s: column %s %s", row->label, col, what);
    }
}

/* NULL (the row marked) when the row has no column col */
static const char *column(sc_row_t *row, const char *col)
{
    int i;

    for (i = 0; i < row->ncols; i++) {
        if (!strcmp(row->names[i], col)) {
            return row->values[i];
        }
    }
    row_fault(row, col, "is missing");
    return NULL;
}

const char *sc_row_text(sc_row_t *row, const char *col)
{
    const char *v = column(row, col);

    return v ? v : "";
}

const char *sc_row_opt(sc_row_t *row, const char *col)
{
    const char *v = column(row, col);

    return v && *v ? v : NULL;
}

apr_int64_t sc_row_int64(sc_row_t *row, const char *col, apr_int64_t dflt)
{
    const char *v = column(row, col);
    apr_int64_t n;
    char *end;

    if (!v || !*v) {
        return dflt;
    }
    errno = 0;
    n = apr_strtoi64(v, &end, 10);
    if (errno || *end) {
        row_fault(row, col, "is not an integer");
        return dflt;
    }
    return n;
}

int sc_row_int(sc_row_t *row, const char *col, int dflt)
{
    apr_int64_t n = sc_row_int64(row, col, dflt);

    if (n < INT_MIN || n > INT_MAX) {
        row_fault(row, col, "is out of range");
        return dflt;
    }
    return (int)n;
}

int sc_row_bool(sc_row_t *row, const char *col)
{
    const char *v = column(row, col);

    if (v && *v && strcmp(v, "t") && strcmp(v, "f")) {
        row_fault(row, col, "is not a boolean");
    }
    return v && !strcmp(v, "t");
}

const char *const *sc_row_values(const sc_row_t *row)
{
    return row->values;
}

const char *sc_row_fault(const sc_row_t *row)
{
    return row->fault;
}
