/* sc_phone.h: E.164 phone numbers. */
#ifndef SC_PHONE_H
#define SC_PHONE_H

#include <apr_pools.h>
#include <apr_errno.h>
#include <apr_tables.h>

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
 * Whether s is a country calling code: 1 to 3 digits, the first not 0,
 * with an optional '+' in front ("44", "+1", "358").
 */
int sc_phone_country_code_ok(const char *s);

/**
 * A national number and its country calling code (the Authy registration
 * shape: country_code "44", phone "07700 900123") as E.164, the same as
 * sc_phone_normalise() gives for the full form "+44 7700 900123".
 *
 * The national number takes the separators sc_phone_normalise allows. One
 * trunk prefix in front of it is dropped: a '0' (except for Italy, San
 * Marino and the Vatican, whose numbers keep it), or for +1 a leading '1'
 * of an 11-digit number. A national number given in full international
 * form ('+' or "00") must carry the same country code.
 *
 * @return APR_SUCCESS; APR_EINVAL for a bad country code; APR_EBADF for a
 *         bad national number (so that each field gets its own error)
 */
apr_status_t sc_phone_from_national(apr_pool_t *p, const char *country_code,
                                    const char *national, const char **e164);

/**
 * Redact a number for logs: '+', the first 3 and last 2 digits, one '*'
 * per hidden digit ("+14158675309" -> "+141******09").
 * @return the redacted form; "(invalid)" when e164 is not E.164 (so that
 *         nothing typed by a user is logged), "(null)" for NULL
 */
const char *sc_phone_redact(apr_pool_t *p, const char *e164);

/**
 * The first `digits` digits of an E.164 number, with its '+': the block of
 * numbers that SMS-pumping fraud walks through ("+1555123" for 7 digits).
 * A shorter number is returned whole.
 */
const char *sc_phone_prefix(apr_pool_t *p, const char *e164, int digits);

/**
 * Test for a country-code prefix as an operator writes it: '+', a non-zero
 * digit, and at most 3 more digits ("+1", "+44", "+1876").
 */
int sc_phone_is_country_prefix(const char *s);

/**
 * Is the number in one of the countries allowed (prefixes of
 * sc_phone_is_country_prefix() form, as const char *)? An empty or NULL
 * list allows every number.
 */
int sc_phone_in_countries(const char *e164, const apr_array_header_t *allowed);

#endif /* SC_PHONE_H */
