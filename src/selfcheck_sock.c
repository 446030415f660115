/* SPDX-License-Identifier: ISC */
/*
 * The audit's socket lists (struct selfcheck_socks) and reachability: how
 * specifically a bind covers a concrete address (the kernel's
 * compute_score, see selfcheck_diff.c), whether a socket or a declaration
 * covers an endpoint.  Shared by the kernel reader, the probes, the diff
 * and the firewall verdicts; it calls none of them.  The names of the
 * protocols are here too, below every part that prints them.
 */
#include <stdlib.h>
#include <string.h>

#include "selfcheck.h"

/* The name of a finding's or a socket's protocol. */
const char *
selfcheck_proto_name(int proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_UDPLITE:
		return "udplite";
	case IPPROTO_SCTP:
		return "sctp";
	case IPPROTO_DCCP:
		return "dccp";
	case IPPROTO_MPTCP:
		return "mptcp";
	case IPPROTO_RAW:
		return "raw";
	case SELFCHECK_PROTO_PACKET:
		return "packet";
	default:
		return "?";
	}
}

/* A new zeroed entry at the end of SOCKS, NULL when out of memory. */
struct selfcheck_sock *
selfcheck_socks_add(struct selfcheck_socks *socks)
{
	struct selfcheck_sock *v;

	if (socks->ss_n == socks->ss_max) {
		size_t nmax = socks->ss_max ? socks->ss_max * 2 : 64;

		if ((v = realloc(socks->ss_v, nmax * sizeof(*v))) == NULL)
			return NULL;
		socks->ss_v = v;
		socks->ss_max = nmax;
	}
	v = &socks->ss_v[socks->ss_n++];
	memset(v, 0, sizeof(*v));
	return v;
}

/* Release the table. */
void
selfcheck_socks_free(struct selfcheck_socks *socks)
{
	free(socks->ss_v);
	memset(socks, 0, sizeof(*socks));
}

/*
 * How specifically a bind of (FAMILY/ADDR, V6ONLY) on device DEV (0 for
 * none) covers concrete IP.  A v4-mapped bind (a declaration of
 * ::ffff:0.0.0.0) is the IPv4 one it means.
 */
int
selfcheck_sock_score(const struct selfcheck_ip *bind, int v6only,
    unsigned dev, const struct selfcheck_ip *ip)
{
	struct selfcheck_ip u;

	int s = 0;

	if (dev != 0 && ip->ip_ifindex != 0 && dev != ip->ip_ifindex)
		return 0;
	if (selfcheck_ip_unmap(bind, &u) == 1) {
		bind = &u;
		v6only = 0;
	}
	if (!selfcheck_ip_any(bind))
		s = selfcheck_ip_eq(bind, ip) ? 3 : 0;
	else if (bind->ip_family == ip->ip_family)
		s = 2;
	/* v6only unknown (/proc/net): Linux's default, dual-stack. */
	else if (bind->ip_family == AF_INET6 && v6only != 1)
		s = 1;
	/* Of two equal binds the kernel prefers the one bound to a device. */
	return s == 0 ? 0 : s * 2 + (dev != 0);
}

/* Whether socket SK receives traffic for concrete address IP. */
int
selfcheck_sock_covers(const struct selfcheck_sock *sk,
    const struct selfcheck_ip *ip)
{
	return selfcheck_sock_score(&sk->sk_ip, sk->sk_v6only, sk->sk_ifindex,
	    ip) > 0;
}

/* Whether socket SK is bound to IP, whatever device it is bound to. */
int
selfcheck_sock_reaches(const struct selfcheck_sock *sk,
    const struct selfcheck_ip *ip)
{
	return selfcheck_sock_score(&sk->sk_ip, sk->sk_v6only, 0, ip) > 0;
}

/* Whether any socket of PROTO:PORT is bound to IP, devices aside. */
int
selfcheck_socks_reach(const struct selfcheck_socks *socks, int proto,
    int port, const struct selfcheck_ip *ip)
{
	size_t i;

	for (i = 0; i < socks->ss_n; i++)
		if (socks->ss_v[i].sk_proto == proto &&
		    socks->ss_v[i].sk_port == port &&
		    selfcheck_sock_reaches(&socks->ss_v[i], ip))
			return 1;
	return 0;
}

/* Whether any declaration covers PROTO IP:PORT. */
int
selfcheck_sock_declared(const struct selfcheck_decl *decls, size_t ndecl,
    int proto, const struct selfcheck_ip *ip, int port)
{
	size_t i;

	for (i = 0; i < ndecl; i++)
		if (decls[i].dc_proto == proto && decls[i].dc_port == port &&
		    selfcheck_sock_score(&decls[i].dc_ip, decls[i].dc_v6only,
		    0, ip) > 0)
			return 1;
	return 0;
}
