/* SPDX-License-Identifier: ISC */
/*
 * The audit's addresses (struct selfcheck_ip): parse, print, compare,
 * classify.  Shared by every selfcheck file; it calls none of them.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "selfcheck.h"

/*
 * Parse an address literal (brackets allowed) into IP; an IPv6 link-local
 * one takes its interface as "%name" or "%index": fe80::1%eth0, [fe80::1%2].
 */
int
selfcheck_ip_parse(const char *s, struct selfcheck_ip *ip)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char buf[INET6_ADDRSTRLEN + 2], name[IF_NAMESIZE + 1], *end;
	const char *pct = strchr(s, '%');
	unsigned long idx = 0;
	size_t n;

	memset(ip, 0, sizeof(*ip));
	if (pct != NULL) {
		n = (size_t)(pct - s);
		if (n >= sizeof(buf))
			return -1;
		memcpy(buf, s, n);
		buf[n] = '\0';
		n = strcspn(++pct, "]");
		if (n == 0 || n >= sizeof(name) ||
		    (pct[n] == ']') != (buf[0] == '[') ||
		    (pct[n] == ']' && pct[n + 1] != '\0'))
			return -1;
		memcpy(name, pct, n);
		name[n] = '\0';
		idx = strtoul(name, &end, 10);
		if (*end != '\0' && (idx = if_nametoindex(name)) == 0)
			return -1;
		s = buf[0] == '[' ? buf + 1 : buf;
	}
	if (svctab_parse_addr(s, 0, &ss, &len) == -1)
		return -1;
	ip->ip_family = ss.ss_family;
	if (ss.ss_family == AF_INET)
		memcpy(ip->ip_addr, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	else
		memcpy(ip->ip_addr, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    16);
	if (pct != NULL) {
		if (!selfcheck_ip_linklocal(ip) || idx == 0 || idx > UINT_MAX)
			return -1;
		ip->ip_ifindex = (unsigned)idx;
	}
	return 0;
}

/* Whether IP is an IPv6 link-local address (fe80::/10). */
int
selfcheck_ip_linklocal(const struct selfcheck_ip *ip)
{
	return ip->ip_family == AF_INET6 && ip->ip_addr[0] == 0xfe &&
	    (ip->ip_addr[1] & 0xc0) == 0x80;
}

/* The text of IP; a scoped link-local one carries "%interface". */
const char *
selfcheck_ip_str(const struct selfcheck_ip *ip, char *buf, size_t len)
{
	char name[IF_NAMESIZE];
	size_t n;

	if (ip->ip_family == AF_PACKET)
		snprintf(buf, len, "*");	/* every address: a capture */
	else if (inet_ntop(ip->ip_family, ip->ip_addr, buf, (socklen_t)len) ==
	    NULL)
		snprintf(buf, len, "?");
	else if (selfcheck_ip_linklocal(ip) && ip->ip_ifindex != 0) {
		n = strlen(buf);
		if (if_indextoname(ip->ip_ifindex, name) != NULL)
			snprintf(buf + n, len - n, "%%%s", name);
		else
			snprintf(buf + n, len - n, "%%%u", ip->ip_ifindex);
	}
	return buf;
}

/* Whether IP is the wildcard of its family. */
int
selfcheck_ip_any(const struct selfcheck_ip *ip)
{
	static const uint8_t zero[16];

	return memcmp(ip->ip_addr, zero, ip->ip_family == AF_INET ? 4 : 16) == 0;
}

/* The IPv4 address inside a v4-mapped IPv6 one: 1 if IP was mapped. */
int
selfcheck_ip_unmap(const struct selfcheck_ip *ip, struct selfcheck_ip *out)
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff };

	*out = *ip;
	if (ip->ip_family != AF_INET6 || memcmp(ip->ip_addr, pfx, 12) != 0)
		return 0;
	memset(out, 0, sizeof(*out));
	out->ip_family = AF_INET;
	memcpy(out->ip_addr, ip->ip_addr + 12, 4);
	return 1;
}

/* Whether IP is a loopback address (127/8, ::1, or mapped 127/8). */
int
selfcheck_ip_loopback(const struct selfcheck_ip *ip)
{
	static const uint8_t one[16] = { [15] = 1 };
	struct selfcheck_ip u;

	selfcheck_ip_unmap(ip, &u);
	if (u.ip_family == AF_INET)
		return u.ip_addr[0] == 127;
	return memcmp(u.ip_addr, one, 16) == 0;
}

/* Whether A and B are the same address. */
int
selfcheck_ip_eq(const struct selfcheck_ip *a, const struct selfcheck_ip *b)
{
	return selfcheck_ip_cmp(a, b) == 0;
}

/* Order addresses: IPv4 first, then by bytes. */
int
selfcheck_ip_cmp(const struct selfcheck_ip *a, const struct selfcheck_ip *b)
{
	int c;

	if (a->ip_family != b->ip_family)
		return a->ip_family == AF_INET ? -1 : 1;
	c = memcmp(a->ip_addr, b->ip_addr, a->ip_family == AF_INET ? 4 : 16);
	/* fe80::1 on two links are two addresses; an unknown scope matches. */
	if (c == 0 && selfcheck_ip_linklocal(a) && a->ip_ifindex != 0 &&
	    b->ip_ifindex != 0 && a->ip_ifindex != b->ip_ifindex)
		c = a->ip_ifindex < b->ip_ifindex ? -1 : 1;
	return c;
}
