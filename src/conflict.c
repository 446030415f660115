/* SPDX-License-Identifier: ISC */
/*
 * Endpoint conflicts: which two endpoints the kernel refuses to bind side
 * by side (a wildcard and an address under it on one port, an IPv4 socket
 * and a dual-stack IPv6 wildcard), checked at load so start, reload and
 * -t refuse the same configs; and, for -t, ports another process holds.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "selfcheck.h"
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

	/* A path, a tcpmux name, an RPC port yet to be chosen: no IP clash. */
	if (kind_hidden(a) || kind_hidden(b))
		return 0;
	if (a->sv_proto != b->sv_proto ||
	    a->sv_addr.sin.sin_port != b->sv_addr.sin.sin_port ||
	    (a->sv_conf->sc_reuseport && b->sv_conf->sc_reuseport))
		return 0;
	if (fa != fb)
		return fa == AF_INET ? conflict_mixed(a, b) : conflict_mixed(b,
		    a);
	if (conflict_wildcard(a) || conflict_wildcard(b))
		return 1;
	if (fa == AF_INET)
		return a->sv_addr.sin.sin_addr.s_addr ==
		    b->sv_addr.sin.sin_addr.s_addr;
	return memcmp(&a->sv_addr.sin6.sin6_addr, &b->sv_addr.sin6.sin6_addr,
	    sizeof(struct in6_addr)) == 0;
}

/* Whether B was already reported against A's declaration (copies of one
 * declaration, one per address or family, are one conflict). */
static int
conflict_said(const struct service *a, const struct service *b,
    const struct service *(*said)[2], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (said[i][0]->sv_conf->sc_line == a->sv_conf->sc_line &&
		    said[i][1]->sv_conf->sc_line == b->sv_conf->sc_line &&
		    strcmp(said[i][0]->sv_conf->sc_file, a->sv_conf->sc_file) ==
		    0 && strcmp(said[i][1]->sv_conf->sc_file,
		    b->sv_conf->sc_file) == 0)
			return 1;
	return 0;
}

/* Report the conflict of B with the earlier A as an error of TAB. */
static void
conflict_report(struct svctab *tab, const struct service *a,
    const struct service *b)
{
	char ea[128], eb[128];

	svctab_endpoint(b, eb, sizeof(eb));
	if (svctab_same_endpoint(a, b))
		svctab_error(tab, b->sv_conf->sc_file, b->sv_conf->sc_line,
		    "service %s: endpoint %s/%s already declared by %s at "
		    "%s:%d", b->sv_conf->sc_name, eb, svctab_proto_name(b),
		    a->sv_conf->sc_name, a->sv_conf->sc_file,
		    a->sv_conf->sc_line);
	else
		svctab_error(tab, b->sv_conf->sc_file, b->sv_conf->sc_line,
		    "service %s: endpoint %s/%s overlaps %s/%s of %s at %s:%d; "
		    "the kernel refuses to bind both", b->sv_conf->sc_name, eb,
		    svctab_proto_name(b), svctab_endpoint(a, ea, sizeof(ea)),
		    svctab_proto_name(a), a->sv_conf->sc_name,
		    a->sv_conf->sc_file, a->sv_conf->sc_line);
}

/*
 * Report, as errors of TAB, every pair of enabled endpoints that cannot
 * both be bound: the same endpoint twice, or two the kernel refuses side
 * by side.  Each error names both file:line, once per pair of
 * declarations.
 */
void
conflict_check(struct svctab *tab)
{
	const struct service *(*said)[2] = NULL, *(*more)[2];
	struct service *a, *b;
	size_t n = 0, max = 0;

	TAILQ_FOREACH(b, &tab->st_services, sv_entry) {
		for (a = TAILQ_FIRST(&tab->st_services); a != b &&
		    !b->sv_conf->sc_disabled;
		     a = TAILQ_NEXT(a, sv_entry)) {
			if (a->sv_conf->sc_disabled || (!svctab_same_endpoint(a,
			    b) && !conflict_clash(a, b)) || conflict_said(a, b,
			    said, n))
				continue;
			conflict_report(tab, a, b);
			if (n == max && (more = realloc(said, (max * 2 + 8) *
			    sizeof(*said))) != NULL) {
				said = more;
				max = max * 2 + 8;
			}
			if (n < max) {
				said[n][0] = a;
				said[n++][1] = b;
			}
		}
	}
	free(said);
}

/*
 * The kernel socket SK as an endpoint AS with the empty configuration AC,
 * to compare with conflict_clash.
 */
static void
conflict_from_sock(const struct selfcheck_sock *sk, struct service *as,
    struct service_conf *ac)
{
	memset(as, 0, sizeof(*as));
	memset(ac, 0, sizeof(*ac));
	as->sv_conf = ac;
	as->sv_proto = sk->sk_proto;
	as->sv_v6only = sk->sk_v6only == 1;
	if (sk->sk_ip.ip_family == AF_INET) {
		as->sv_addr.sin.sin_family = AF_INET;
		memcpy(&as->sv_addr.sin.sin_addr, sk->sk_ip.ip_addr, 4);
	} else {
		as->sv_addr.sin6.sin6_family = AF_INET6;
		memcpy(&as->sv_addr.sin6.sin6_addr, sk->sk_ip.ip_addr, 16);
	}
	as->sv_addr.sin.sin_port = htons(sk->sk_port);
}

/* Warn that SK, held by no superd, takes the endpoint of SV. */
static void
conflict_warn_holder(const struct service *sv, const struct selfcheck_sock *sk)
{
	char ep[128], held[128], who[160];
	struct service_conf ac;
	struct service as;
	size_t n = 0;
	int i;

	conflict_from_sock(sk, &as, &ac);
	who[0] = '\0';
	for (i = 0; i < sk->sk_nowners && n < sizeof(who); i++)
		n += (size_t)snprintf(who + n, sizeof(who) - n, "%s%ld (%s)",
		    i > 0 ? ", " : "", (long)sk->sk_owners[i].ow_pid,
		    sk->sk_owners[i].ow_comm);
	log_warnx("%s:%d: service %s: endpoint %s/%s is held by %s/%s of %s %s: start or reload would fail to bind it",
	    sv->sv_conf->sc_file, sv->sv_conf->sc_line, sv->sv_conf->sc_name,
	    svctab_endpoint(sv, ep, sizeof(ep)), svctab_proto_name(sv),
	    svctab_endpoint(&as, held, sizeof(held)), svctab_proto_name(&as),
	    sk->sk_nowners > 1 ? "pids" : "pid", sk->sk_nowners > 0 ? who :
	    "unknown (not readable)");
}

/*
 * For -t: read the kernel's table of listeners (as the audit does) and
 * warn, naming the holder's pid and command, about every enabled endpoint
 * of TAB that a process other than superd holds.  Binds nothing.  The
 * number of warnings, or -1 when the table cannot be read (said).
 */
int
conflict_holders(const struct svctab *tab)
{
	struct selfcheck_socks socks;
	const struct service *sv;
	struct service_conf ac;
	struct service as;
	struct selfcheck_self self;
	size_t i;
	int n = 0, k;

	memset(&socks, 0, sizeof(socks));
	if (selfcheck_kernel_read(&socks, 1, 1) == -1) {
		log_warnx("reason=\"cannot read the kernel's listener table: "
		    "ports held by other processes not checked\"");
		return -1;
	}
	(void)selfcheck_owner_fill(&socks, selfcheck_owner_self(&self) == 0 ?
	    &self : NULL);
	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		for (i = 0; !sv->sv_conf->sc_disabled && i < socks.ss_n; i++) {
			const struct selfcheck_sock *sk = &socks.ss_v[i];

			conflict_from_sock(sk, &as, &ac);
			for (k = 0; k < sk->sk_nowners; k++)
				if (sk->sk_owners[k].ow_superd)
					break;
			if ((sk->sk_nowners == 0 || k == sk->sk_nowners) &&
			    (svctab_same_endpoint(sv, &as) ||
			    conflict_clash(sv, &as))) {
				conflict_warn_holder(sv, sk);
				n++;
			}
		}
	}
	selfcheck_socks_free(&socks);
	return n;
}
