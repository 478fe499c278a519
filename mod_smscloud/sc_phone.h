/* sc_phone.h: E.164 phone numbers. */
#ifndef SC_PHONE_H
#define SC_PHONE_H

#include <apr_pools.h>
#include <apr_errno.h>

/**
 * Test for strict E.164: '+', a non-zero digit, then 7 to 14 more digits
 * (8 to 15 digits in all), nothing else.
 * @return 1 if s matches, 0 otherwise (including NULL)
 */
int sc_phone_is_e164(const char *s);

/**
 * Turn what a person typed into E.164.
 *
 * Surrounding whitespace is trimmed. The number must start with '+' or "00"
 * (international); after the first digit, spaces, dots, dashes and one
 * level of parentheses may separate digits. "(0)" trunk-prefix notation is
 * refused because dropping or keeping the 0 would both be guesses.
 *
 * @param in    the input; NULL is invalid
 * @param e164  out: "+" and the digits
 * @return APR_SUCCESS, or APR_EINVAL for letters, a missing +/00 prefix,
 *         a country code starting with 0, too few or too many digits, or
 *         misplaced separators
 */
apr_status_t sc_phone_normalise(apr_pool_t *p, const char *in,
                                const char **e164);

/**
 * Redact a number for logs: '+', the first 3 and last 2 digits, one '*'
 * per hidden digit ("+14158675309" -> "+141******09").
 * @return the redacted form; "(invalid)" when e164 is not E.164 (so that
 *         nothing typed by a user is logged), "(null)" for NULL
 */
const char *sc_phone_redact(apr_pool_t *p, const char *e164);

#endif /* SC_PHONE_H */
