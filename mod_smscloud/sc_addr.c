/* sc_addr.c: client addresses and host names (see sc_addr.h). */

#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_uri.h>

#include "sc_addr.h"

/* Literal IPv6 between brackets, or a name/IPv4 without its ":port". */
static char *host_part(apr_pool_t *p, const char *host)
{
    const char *end;

    if (host[0] == '[') {
        end = strchr(host, ']');
        if (!end || (end[1] && (end[1] != ':' || !end[2]
                                || strspn(end + 2, "0123456789") != strlen(end + 2)))) {
            return NULL;
        }
        return apr_pstrndup(p, host + 1, (apr_size_t)(end - host - 1));
    }
    end = strchr(host, ':');
    if (end && strchr(end + 1, ':')) {
        return apr_pstrdup(p, host);           /* bare IPv6 literal */
    }
    if (end && (!end[1] || strspn(end + 1, "0123456789") != strlen(end + 1))) {
        return NULL;
    }
    return end ? apr_pstrndup(p, host, (apr_size_t)(end - host)) : apr_pstrdup(p, host);
}

int sc_host_is_loopback(const char *host)
{
    unsigned char v4[4], v6[16];
    apr_pool_t *p;
    const char *name;
    int yes = 0;

    if (!host || !*host || apr_pool_create(&p, NULL) != APR_SUCCESS) {
        return 0;
    }
    if ((name = host_part(p, host)) != NULL) {
        if (!strcasecmp(name, "localhost")) {
            yes = 1;
        }
        /* inet_pton takes only a dotted quad: no "127.1", no hex, no
         * octal look-alikes */
        else if (inet_pton(AF_INET, name, v4) == 1) {
            yes = v4[0] == 127;
        }
        else if (inet_pton(AF_INET6, name, v6) == 1) {
            yes = IN6_IS_ADDR_LOOPBACK((struct in6_addr *)v6);
        }
    }
    apr_pool_destroy(p);
    return yes;
}

int sc_sockaddr_is_loopback(const apr_sockaddr_t *sa)
{
    if (!sa) {
        return 0;
    }
    if (sa->family == APR_INET) {
        return ((const unsigned char *)&sa->sa.sin.sin_addr)[0] == 127;
    }
#if APR_HAVE_IPV6
    if (sa->family == APR_INET6) {
        return IN6_IS_ADDR_LOOPBACK(&sa->sa.sin6.sin6_addr);
    }
#endif
    return 0;
}

int sc_origin_is_loopback_self(apr_pool_t *p, const char *origin,
                               const char *scheme, const char *host)
{
    apr_uri_t u;

    if (!origin || !scheme || !host || !sc_host_is_loopback(host)
        || apr_uri_parse(p, origin, &u) != APR_SUCCESS
        || !u.scheme || strcasecmp(u.scheme, scheme) || !u.hostinfo
        || u.user || u.password || u.query || u.fragment
        || (u.path && *u.path)) {
        return 0;
    }
    return !strcasecmp(u.hostinfo, host);
}

const char *sc_addr_bucket(apr_pool_t *p, const char *ip)
{
    unsigned char v6[16];
    char text[INET6_ADDRSTRLEN];
    struct in6_addr *a = (struct in6_addr *)v6;

    if (!ip || inet_pton(AF_INET6, ip, v6) != 1) {
        return ip;
    }
    if (IN6_IS_ADDR_V4MAPPED(a)) {
        return inet_ntop(AF_INET, v6 + 12, text, sizeof(text))
               ? apr_pstrdup(p, text) : ip;
    }
    memset(v6 + 8, 0, 8);
    if (!inet_ntop(AF_INET6, v6, text, sizeof(text))) {
        return ip;
    }
    return apr_pstrcat(p, text, "/64", NULL);
}
