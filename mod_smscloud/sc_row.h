/* sc_row.h: a row of a database result, read by column name and typed.
 *
 * The glue copies each row of a result into one (mod_smscloud_dbd.c,
 * smscloud_db_rows); the function that reads a statement's rows sits next
 * to its SQL and names the columns the SQL gives (with AS where PostgreSQL
 * would make up a name). apr_dbd_pgsql gives SQL NULL as "", never as
 * NULL, so a statement that must tell NULL from "" says so in a column of
 * its own (x IS NOT NULL AS has_x).
 *
 * A column the row does not have, or whose text is not of the type asked
 * for, reads as "" (or dflt, or 0) and marks the row: the reader ends with
 * sc_row_fault() (the glue's smscloud_row_check logs it as SC01007), so a
 * statement and its reader that disagree fail with a clear error instead
 * of reading the wrong column or a half-parsed number.
 */
#ifndef SC_ROW_H
#define SC_ROW_H

#include <apr_pools.h>

typedef struct sc_row_t sc_row_t;

/** A row of statement label's result (label names it in the fault):
 *  ncols columns, their names (not copied: shared by the rows of one
 *  result) and their values ("" for SQL NULL; not copied). */
sc_row_t *sc_row_make(apr_pool_t *p, const char *label, int ncols,
                      const char *const *names, const char *const *values);

/** The text of a column ("" for SQL NULL). */
const char *sc_row_text(sc_row_t *row, const char *col);

/** The same, but NULL for SQL NULL and "". */
const char *sc_row_opt(sc_row_t *row, const char *col);

/** An integer column (decimal, nothing after it); dflt for SQL NULL. */
int sc_row_int(sc_row_t *row, const char *col, int dflt);
apr_int64_t sc_row_int64(sc_row_t *row, const char *col, apr_int64_t dflt);

/** A boolean column (pgsql's "t" or "f"); 0 for SQL NULL. */
int sc_row_bool(sc_row_t *row, const char *col);

/** The row's values in the order of the SQL ("" for SQL NULL), for
 *  mod_smscloud_api.c: other modules read their own statements' rows by
 *  position, next to their SQL. */
const char *const *sc_row_values(const sc_row_t *row);

/** NULL when every column read from row was there and of its type, else
 *  what was wrong first ("smscloud_x: column y is not an integer"). */
const char *sc_row_fault(const sc_row_t *row);

#endif /* SC_ROW_H */
