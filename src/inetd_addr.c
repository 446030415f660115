/* SPDX-License-Identifier: ISC */
/*
 * The bind addresses of inetd.conf lines: the "host,host:" list before a
 * service name or on a default-address line, and the endpoints a line
 * binds once its protocol is known.  Host names resolve here, at load
 * time, in the lookup child (lookup.c): the daemon never waits on DNS
 * while it serves.
 *
 * Debian's meaning on Linux (openbsd-inetd since 0.20221205): "tcp" and
 * "udp" without an address listen on IPv4 and on IPv6 (two sockets, the
 * IPv6 one v6-only); tcp4/udp4 IPv4 only; tcp6/udp6 IPv6 only; tcp46/udp46
 * one IPv6 socket that takes IPv4 too.  With an address, its family picks
 * the socket: "127.0.0.1:echo stream tcp" is IPv4 only.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "superd.h"

/* Whether S may be a host name (letters, digits, '-', '.', '_'). */
static int
inetd_addr_hostname(const char *s)
{
	if (*s == '\0' || *s == '-' || *s == '.')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("-._", *s) == NULL)
			return 0;
	return 1;
}

/* Append the address of FAMILY at BYTES to OUT, unless it is there. */
static int
inetd_addr_add(struct inetd_addrs *out, int family, const void *bytes,
    int named, const char *text)
{
	struct inetd_addr *a;
	int i;

	for (i = 0; i < out->ias_n; i++) {
		a = &out->ias_list[i];
		if (a->ia_family == family && (family == 0 ||
		    memcmp(a->ia_addr, bytes, family == AF_INET ? 4 : 16) == 0))
			return 0;
	}
	if (out->ias_n >= INETD_ADDRS_MAX)
		return -1;
	a = &out->ias_list[out->ias_n++];
	memset(a, 0, sizeof(*a));
	a->ia_family = family;
	if (family != 0)
		memcpy(a->ia_addr, bytes, family == AF_INET ? 4 : 16);
	a->ia_named = named;
	snprintf(a->ia_text, sizeof(a->ia_text), "%s", text);
	return 0;
}

/* Resolve host NAME into OUT; -1 with ERR set if it has no address. */
static int
inetd_addr_resolve(const char *name, struct inetd_addrs *out, char *err,
    size_t errlen)
{
	struct lookup_addr *list;
	int i, n, rc;

	if ((rc = lookup_host(name, &list, &n)) != 0) {
		snprintf(err, errlen, "address \"%s\": host name not resolved: "
		    "%s", name, rc == EAI_SYSTEM ? "no answer from the lookup "
		    "process" : gai_strerror(rc));
		return -1;
	}
	for (i = 0; i < n; i++)
		if (inetd_addr_add(out, list[i].la_family, list[i].la_addr, 1,
		    name) == -1) {
			free(list);
			snprintf(err, errlen, "address \"%s\": more than %d "
			    "addresses on one line", name, INETD_ADDRS_MAX);
			return -1;
		}
	free(list);
	return 0;
}

/* One item of an address list: "*", a literal, [IPv6] or a host name. */
static int
inetd_addr_item(const char *item, struct inetd_addrs *out, char *err,
    size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	const void *bytes;

	if (strcmp(item, "*") == 0)
		return inetd_addr_add(out, 0, NULL, 0, item) == -1 ? -1 : 0;
	if (strlen(item) >= INETD_ADDR_TEXT) {
		snprintf(err, errlen, "address \"%.*s...\" is too long",
		    INETD_ADDR_TEXT, item);
		return -1;
	}
	if (svctab_parse_addr(item, 0, &ss, &len) == 0) {
		bytes = ss.ss_family == AF_INET ?
		    (const void *)&((struct sockaddr_in *)&ss)->sin_addr :
		    (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr;
		if (inetd_addr_add(out, ss.ss_family, bytes, 0, item) == 0)
			return 0;
		snprintf(err, errlen, "more than %d addresses on one line",
		    INETD_ADDRS_MAX);
		return -1;
	}
	if (!inetd_addr_hostname(item)) {
		snprintf(err, errlen, "address \"%s\" is not an IPv4 address, "
		    "an [IPv6] address or a host name", item);
		return -1;
	}
	return inetd_addr_resolve(item, out, err, errlen);
}

/*
 * The comma-separated address list TEXT into OUT ("*" alone: the
 * wildcard); 0, or -1 with the reason in ERR.
 */
int
inetd_addr_parse(const char *text, struct inetd_addrs *out, char *err,
    size_t errlen)
{
	char buf[1024], *cp, *item;

	memset(out, 0, sizeof(*out));
	if (strlen(text) >= sizeof(buf)) {
		snprintf(err, errlen, "address list longer than %zu bytes",
		    sizeof(buf) - 1);
		return -1;
	}
	strcpy(buf, text);
	for (cp = buf; (item = strsep(&cp, ",")) != NULL;) {
		if (*item == '\0') {
			snprintf(err, errlen, "address list \"%s\" has an "
			    "empty entry", text);
			return -1;
		}
		if (inetd_addr_item(item, out, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/* Append an endpoint to OUT unless it is there; -1 when OUT is full. */
static int
inetd_addr_push(struct inetd_endpoints *out, int family, const void *bytes,
    int v6only)
{
	struct inetd_endpoint *e;
	static const uint8_t any[16];
	int i;

	if (bytes == NULL)
		bytes = any;
	for (i = 0; i < out->ie_n; i++) {
		e = &out->ie_list[i];
		if (e->ie_family == family && memcmp(e->ie_addr, bytes,
		    family == AF_INET ? 4 : 16) == 0)
			return 0;
	}
	if (out->ie_n >= INETD_ADDRS_MAX)
		return -1;
	e = &out->ie_list[out->ie_n++];
	memset(e, 0, sizeof(*e));
	e->ie_family = family;
	memcpy(e->ie_addr, bytes, family == AF_INET ? 4 : 16);
	e->ie_v6only = family == AF_INET6 ? v6only : 0;
	return 0;
}

/* The sockets of the wildcard for protocol family FAMILY (0: both). */
static int
inetd_addr_wildcard(struct inetd_endpoints *out, int family, int v6only)
{
	if ((family == 0 || family == AF_INET) &&
	    inetd_addr_push(out, AF_INET, NULL, 0) == -1)
		return -1;
	if ((family == 0 || family == AF_INET6) && inetd_addr_push(out,
	    AF_INET6, NULL, family == 0 ? 1 : v6only) == -1)
		return -1;
	return 0;
}

/* Whether protocol FAMILY (0: both) takes address A. */
static int
inetd_addr_fits(const struct inetd_addr *a, int family)
{
	if (family == 0 || a->ia_family == family)
		return 1;
	/* tcp46 binds a host name's IPv4 addresses as IPv4 sockets. */
	return a->ia_named && family == AF_INET6;
}

/* Why address A gives no socket for protocol PROTO of FAMILY, into ERR. */
static void
inetd_addr_unfit(const struct inetd_addr *a, const char *proto, int family,
    const char *from, char *err, size_t errlen)
{
	if (a->ia_named)
		snprintf(err, errlen, "address \"%s\"%s has no %s address "
		    "(protocol %s)", a->ia_text, from,
		    family == AF_INET ? "IPv4" : "IPv6", proto);
	else
		snprintf(err, errlen, "address %s%s is %s but protocol %s "
		    "needs an %s address (use %s)", a->ia_text, from,
		    a->ia_family == AF_INET ? "IPv4" : "IPv6", proto,
		    family == AF_INET ? "IPv4" : "IPv6",
		    a->ia_family == AF_INET ? "tcp/udp or tcp4/udp4" :
		    "tcp/udp, tcp6/udp6 or tcp46/udp46");
}

/*
 * The endpoints that ADDRS (no entry: the wildcard) give for a protocol
 * PROTO of FAMILY (AF_INET, AF_INET6, or 0 for IPv4 and IPv6) and V6ONLY
 * into OUT.  An entry of ADDRS that gives no socket is an error, unless
 * FROM is not empty (a default-address list serves lines of either
 * family) and another entry gives one.  -1 with the reason in ERR.
 */
int
inetd_addr_endpoints(const struct inetd_addrs *addrs, const char *proto,
    int family, int v6only, const char *from, struct inetd_endpoints *out,
    char *err, size_t errlen)
{
	const struct inetd_addr *a, *unfit = NULL;
	int i, j, before;

	memset(out, 0, sizeof(*out));
	if (addrs->ias_n == 0)
		return inetd_addr_wildcard(out, family, v6only) == -1 ? -1 : 0;
	for (i = 0; i < addrs->ias_n; i = j) {
		a = &addrs->ias_list[i];
		before = out->ie_n;
		/* The addresses of one host name are together. */
		for (j = i; j < addrs->ias_n && (j == i || (a->ia_named &&
		    strcmp(addrs->ias_list[j].ia_text, a->ia_text) == 0)); j++) {
			const struct inetd_addr *b = &addrs->ias_list[j];

			if (b->ia_family == 0) {
				if (inetd_addr_wildcard(out, family, v6only) ==
				    -1)
					goto full;
			} else if (inetd_addr_fits(b, family) &&
			    inetd_addr_push(out, b->ia_family, b->ia_addr,
			    family == 0 ? 1 : v6only) == -1)
				goto full;
		}
		if (out->ie_n == before && a->ia_family != 0 && unfit == NULL)
			unfit = a;
	}
	if (unfit != NULL && (*from == '\0' || out->ie_n == 0)) {
		inetd_addr_unfit(unfit, proto, family, from, err, errlen);
		return -1;
	}
	return 0;
full:
	snprintf(err, errlen, "more than %d endpoints on one line",
	    INETD_ADDRS_MAX);
	return -1;
}

/* Bind SV to endpoint E, port PORT. */
void
inetd_addr_set(struct service *sv, const struct inetd_endpoint *e, int port)
{
	memset(&sv->sv_addr, 0, sizeof(sv->sv_addr));
	sv->sv_addr.ss_family = (sa_family_t)e->ie_family;
	if (e->ie_family == AF_INET) {
		memcpy(&sv->sv_addr.sin.sin_addr, e->ie_addr, 4);
		sv->sv_addr.sin.sin_port = htons((uint16_t)port);
		sv->sv_addrlen = sizeof(struct sockaddr_in);
	} else {
		memcpy(&sv->sv_addr.sin6.sin6_addr, e->ie_addr, 16);
		sv->sv_addr.sin6.sin6_port = htons((uint16_t)port);
		sv->sv_addrlen = sizeof(struct sockaddr_in6);
	}
	sv->sv_v6only = e->ie_v6only;
}
