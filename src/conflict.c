/* SPDX-License-Identifier: ISC */
/*
 * Endpoint conflicts: which two endpoints the kernel refuses to bind side
 * by side (a wildcard and an address under it on one port, an IPv4 socket
 * and a dual-stack IPv6 wildcard), checked at load so start, reload and
 * -t refuse the same configs; and, for -t, ports another process holds.
 */
#include <arpa/inet.h>
#include <string.h>

#include "superd.h"

static const uint8_t conflict_mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* Whether the address of SV is the wildcard of its family. */
static int
conflict_wildcard(const struct service *sv)
{
	if (sv->sv_addr.ss_family == AF_INET)
		return sv->sv_addr.sin.sin_addr.s_addr == htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&sv->sv_addr.sin6.sin6_addr);
}

/* Whether the IPv4 endpoint V4 and the IPv6 endpoint V6 share an address. */
static int
conflict_mixed(const struct service *v4, const struct service *v6)
{
	const uint8_t *a6 = v6->sv_addr.sin6.sin6_addr.s6_addr;
	uint32_t mapped;

	if (v6->sv_v6only)
		return 0;
	if (conflict_wildcard(v6))
		return 1;
	if (memcmp(a6, conflict_mapped, sizeof(conflict_mapped)) != 0)
		return 0;
	memcpy(&mapped, a6 + 12, sizeof(mapped));
	return mapped == htonl(INADDR_ANY) || conflict_wildcard(v4) ||
	    mapped == v4->sv_addr.sin.sin_addr.s_addr;
}

/*
 * Whether the kernel refuses to bind A and B side by side: one protocol,
 * one port, overlapping addresses, and not both SO_REUSEPORT.  UDP counts
 * as TCP: its sockets are bound without SO_REUSEADDR.
 */
int
conflict_clash(const struct service *a, const struct service *b)
{
	int fa = a->sv_addr.ss_family, fb = b->sv_addr.ss_family;

	if (a->sv_proto != b->sv_proto ||
	    a->sv_addr.sin.sin_port != b->sv_addr.sin.sin_port ||
	    (a->sv_reuseport && b->sv_reuseport))
		return 0;
	if (fa != fb)
		return fa == AF_INET ? conflict_mixed(a, b) : conflict_mixed(b, a);
	if (conflict_wildcard(a) || conflict_wildcard(b))
		return 1;
	if (fa == AF_INET)
		return a->sv_addr.sin.sin_addr.s_addr ==
		    b->sv_addr.sin.sin_addr.s_addr;
	return memcmp(&a->sv_addr.sin6.sin6_addr, &b->sv_addr.sin6.sin6_addr,
	    sizeof(struct in6_addr)) == 0;
}

/*
 * Report, as errors of TAB, every pair of enabled endpoints that cannot
 * both be bound: the same endpoint twice, or two the kernel refuses side
 * by side.  Each error names both file:line.
 */
void
conflict_check(struct svctab *tab)
{
	struct service *a, *b;
	char ea[128], eb[128];

	TAILQ_FOREACH(a, &tab->st_services, sv_entry) {
		if (a->sv_disabled)
			continue;
		for (b = TAILQ_NEXT(a, sv_entry); b != NULL;
		     b = TAILQ_NEXT(b, sv_entry)) {
			if (b->sv_disabled)
				continue;
			svctab_endpoint(b, eb, sizeof(eb));
			if (svctab_same_endpoint(a, b))
				svctab_error(tab, b->sv_file, b->sv_line,
				    "service %s: endpoint %s/%s already "
				    "declared by %s at %s:%d", b->sv_name, eb,
				    svctab_proto_name(b), a->sv_name,
				    a->sv_file, a->sv_line);
			else if (conflict_clash(a, b))
				svctab_error(tab, b->sv_file, b->sv_line,
				    "service %s: endpoint %s/%s overlaps %s/%s "
				    "of %s at %s:%d; the kernel refuses to "
				    "bind both", b->sv_name, eb,
				    svctab_proto_name(b),
				    svctab_endpoint(a, ea, sizeof(ea)),
				    svctab_proto_name(a), a->sv_name,
				    a->sv_file, a->sv_line);
		}
	}
}
