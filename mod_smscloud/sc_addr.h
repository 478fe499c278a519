/* sc_addr.h: client addresses and host names, as security decisions see
 * them. */
#ifndef SC_ADDR_H
#define SC_ADDR_H

#include <apr_network_io.h>
#include <apr_pools.h>

/**
 * Does a Host name (as httpd parsed it, or a Host header with its port)
 * name this machine's loopback interface, whatever DNS says? Only
 * "localhost", an IPv4 literal in 127.0.0.0/8 written as a dotted quad, and
 * the IPv6 literal ::1 (with or without brackets) are: the name is parsed,
 * never prefix-matched, so "127.attacker.example" (DNS rebinding) is not.
 * @return 1 or 0 (also for NULL and "")
 */
int sc_host_is_loopback(const char *host);

/**
 * Is a peer address on the loopback network (127.0.0.0/8, ::1)?
 * @return 1 or 0 (also for NULL)
 */
int sc_sockaddr_is_loopback(const apr_sockaddr_t *sa);

/**
 * Is an Origin header the origin of a request made to scheme://host, host
 * being the Host header (port included when not the default), and is that
 * host loopback? "null", other schemes, paths, user info, another host or
 * port are not.
 * @return 1 or 0 (also for NULL arguments)
 */
int sc_origin_is_loopback_self(apr_pool_t *p, const char *origin,
                               const char *scheme, const char *host);

/**
 * The key under which limits count a client address: an IPv4 address as
 * it is; an IPv6 address as its /64 ("2001:db8:1:2::/64"), since one
 * subscriber is given a whole /64 and can rotate through it; an
 * IPv4-mapped IPv6 address as the IPv4 address. Anything unparsable is
 * returned as it is.
 */
const char *sc_addr_bucket(apr_pool_t *p, const char *ip);

#endif /* SC_ADDR_H */
