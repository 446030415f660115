/* SPDX-License-Identifier: ISC */
/*
 * The diff: declared endpoints against the kernel's table and the probe.
 * Pure: arrays in, findings out, so every case is a unit test.
 *
 * Model.  Every audited address is concrete (no wildcards).  A socket
 * covers a concrete address when it is bound to it, or to the wildcard of
 * its family, or to [::] without v6only for an IPv4 address.  Of the
 * sockets covering (proto, address, port) the kernel delivers to the most
 * specific ones: an exact bind (3) beats the family's wildcard (2), which
 * beats a dual-stack [::] serving IPv4 (1), and at each level a socket
 * bound to the device beats one that is not (the kernel's compute_score).  Every socket at the top score
 * holds the endpoint: several mean SO_REUSEPORT co-listeners.
 *
 * A socket bound to a device (SO_BINDTODEVICE, sock_diag's idiag_if) only
 * covers the addresses of that device: with a wildcard bind, the device's
 * addresses; an address whose device is unknown (ifindex 0) stays covered.
 * The probe is sent from this host, so it arrives on lo whatever the
 * address: a port the probe finds open is explained by any socket bound to
 * it, device or not (selfcheck_sock_reaches).
 *
 * UDP probe answers: SCP_OPENFILTERED (no ICMP port-unreachable) is
 * reachable evidence for a socket the table shows; on a port no socket
 * explains it is reported like an open TCP port nothing explains.
 */
#include <stdlib.h>
#include <string.h>

#include "selfcheck.h"

/* Per-socket scratch of one diff. */
struct selfcheck_use {
	int us_declared;  /* holds at least one declared endpoint */
	int us_held;	  /* holds at least one audited endpoint */
	int us_extra;	  /* undeclared addresses it holds: 1 loopback, 2 not */
	int us_exposed;	  /* holds a non-loopback address */
	int us_probe;	  /* probe state on the first address it holds */
	struct selfcheck_ip us_first; /* first non-loopback address held */
};

/* The best score any socket of PROTO:PORT reaches for IP. */
static int
selfcheck_diff_top(const struct selfcheck_socks *socks, int proto, int port,
    const struct selfcheck_ip *ip)
{
	int best = 0, s;
	size_t i;

	for (i = 0; i < socks->ss_n; i++) {
		const struct selfcheck_sock *sk = &socks->ss_v[i];

		if (sk->sk_proto != proto || sk->sk_port != port)
			continue;
		s = selfcheck_sock_score(&sk->sk_ip, sk->sk_v6only,
		    sk->sk_ifindex, ip);
		best = s > best ? s : best;
	}
	return best;
}

/* Whether a more specific declaration than D covers IP (it reports IP). */
static int
selfcheck_diff_shadowed(const struct selfcheck_decl *decls, size_t ndecl,
    const struct selfcheck_decl *d, const struct selfcheck_ip *ip)
{
	int mine = selfcheck_sock_score(&d->dc_ip, d->dc_v6only, 0, ip), s;
	size_t i;

	for (i = 0; i < ndecl; i++) {
		const struct selfcheck_decl *o = &decls[i];

		if (o == d || o->dc_proto != d->dc_proto ||
		    o->dc_port != d->dc_port)
			continue;
		s = selfcheck_sock_score(&o->dc_ip, o->dc_v6only, 0, ip);
		if (s > mine || (s == mine && o < d))
			return 1;
	}
	return 0;
}

/* Whether a holder of the socket is superd (or a child of it). */
static int
selfcheck_diff_ours(const struct selfcheck_sock *sk)
{
	int i;

	for (i = 0; i < sk->sk_nowners; i++)
		if (sk->sk_owners[i].ow_superd)
			return 1;
	return 0;
}

/* Judge one declared concrete endpoint; mark the sockets holding it. */
static int
selfcheck_diff_endpoint(const struct selfcheck_decl *d,
    const struct selfcheck_ip *ip, const struct selfcheck_socks *socks,
    const struct selfcheck_probe *pb, struct selfcheck_use *use,
    struct selfcheck_result *rs)
{
	const struct selfcheck_sock *foreign = NULL, *ours = NULL;
	int top = selfcheck_diff_top(socks, d->dc_proto, d->dc_port, ip);
	int probe = selfcheck_probe_state(pb, d->dc_proto, ip, d->dc_port),
	    n = 0;
	struct selfcheck_finding *f;
	size_t i;

	for (i = 0; top > 0 && i < socks->ss_n; i++) {
		const struct selfcheck_sock *sk = &socks->ss_v[i];

		if (sk->sk_proto != d->dc_proto || sk->sk_port != d->dc_port ||
		    selfcheck_sock_score(&sk->sk_ip, sk->sk_v6only,
		    sk->sk_ifindex, ip) != top)
			continue;
		use[i].us_declared = 1;
		n++;
		if (selfcheck_diff_ours(sk))
			ours = ours ? ours : sk;
		else
			foreign = foreign ? foreign : sk;
	}
	if (n == 0)
		f = selfcheck_finding_add(rs, SCK_MISSING, SELFCHECK_CRITICAL,
		    d->dc_proto, ip, d->dc_port);
	else if (foreign != NULL)
		f = selfcheck_finding_add(rs, SCK_FOREIGN, SELFCHECK_CRITICAL,
		    d->dc_proto, ip, d->dc_port);
	else if (d->dc_proto == IPPROTO_TCP &&
	    (probe == SCP_CLOSED || probe == SCP_SILENT))
		f = selfcheck_finding_add(rs, SCK_UNREACHABLE, SELFCHECK_WARNING,
		    d->dc_proto, ip, d->dc_port);
	else
		f = selfcheck_finding_add(rs, SCK_OK, SELFCHECK_OK, d->dc_proto,
		    ip, d->dc_port);
	if (f == NULL)
		return -1;
	f->fd_service = d->dc_name;
	f->fd_sock = foreign != NULL ? foreign : ours;
	f->fd_nholders = n;
	f->fd_probe = probe;
	return 0;
}

/* What each socket holds among the audited addresses, into USE. */
static void
selfcheck_diff_holdings(const struct selfcheck_decl *decls, size_t ndecl,
    const struct selfcheck_socks *socks, const struct selfcheck_ip *addrs,
    size_t naddr, const struct selfcheck_probe *pb, struct selfcheck_use *use)
{
	size_t i, a;

	for (i = 0; i < socks->ss_n; i++) {
		const struct selfcheck_sock *sk = &socks->ss_v[i];
		struct selfcheck_use *u = &use[i];

		u->us_probe = SCP_UNPROBED;
		/* Raw and packet sockets have findings of their own. */
		for (a = 0; !selfcheck_raw_is(sk) && a < naddr; a++) {
			const struct selfcheck_ip *ip = &addrs[a];
			int s = selfcheck_sock_score(&sk->sk_ip, sk->sk_v6only,
			    sk->sk_ifindex, ip), loop = selfcheck_ip_loopback(ip);

			if (s == 0 || s != selfcheck_diff_top(socks,
			    sk->sk_proto, sk->sk_port, ip))
				continue;
			if (!u->us_held || (!loop && !u->us_exposed))
				u->us_probe = selfcheck_probe_state(pb,
				    sk->sk_proto, ip, sk->sk_port);
			u->us_held++;
			if (!loop && !u->us_exposed++)
				u->us_first = *ip;
			if (!selfcheck_sock_declared(decls, ndecl,
			    sk->sk_proto, ip, sk->sk_port) &&
			    u->us_extra < (loop ? 1 : 2))
				u->us_extra = loop ? 1 : 2;
		}
	}
}

/* One finding per socket: undeclared (exposed/local-only) or wider. */
static int
selfcheck_diff_sockets(const struct selfcheck_socks *socks,
    const struct selfcheck_use *use, const struct selfcheck_opts *op,
    struct selfcheck_result *rs)
{
	struct selfcheck_finding *f;
	enum selfcheck_kind kind;
	enum selfcheck_status sev;
	size_t i;

	for (i = 0; i < socks->ss_n; i++) {
		const struct selfcheck_sock *sk = &socks->ss_v[i];
		const struct selfcheck_use *u = &use[i];

		if (!u->us_held || (u->us_declared && !u->us_extra))
			continue;
		if (u->us_declared) {
			kind = SCK_WIDER;
			sev = u->us_extra == 2 ? SELFCHECK_CRITICAL :
			    SELFCHECK_WARNING;
		} else if (u->us_exposed) {
			kind = SCK_EXPOSED;
			sev = SELFCHECK_CRITICAL;
		} else {
			kind = SCK_LOCAL_ONLY;
			sev = op->so_local_drift ? SELFCHECK_WARNING :
			    SELFCHECK_OK;
		}
		f = selfcheck_finding_add(rs, kind, sev, sk->sk_proto, &sk->sk_ip,
		    sk->sk_port);
		if (f == NULL)
			return -1;
		f->fd_sock = sk;
		f->fd_nholders = 1;
		f->fd_probe = u->us_probe;
	}
	return 0;
}

/*
 * Ports the probe found answering that the kernel table cannot explain
 * (NAT to another namespace, sk_lookup, a raw-socket listener): TCP ports
 * that answered SYN-ACK, UDP ports that sent no port-unreachable.
 */
static int
selfcheck_diff_unexplained(const struct selfcheck_socks *socks,
    const struct selfcheck_probe *pb, const struct selfcheck_opts *op,
    struct selfcheck_result *rs)
{
	enum selfcheck_status local = op->so_local_drift ? SELFCHECK_WARNING :
	    SELFCHECK_OK;
	struct selfcheck_finding *f;
	const uint8_t *st;
	size_t a;
	int port, k, loop;

	for (a = 0; pb != NULL && a < pb->pb_n; a++) {
		const struct selfcheck_probed *pr = &pb->pb_v[a];

		loop = selfcheck_ip_loopback(&pr->pr_ip);
		for (k = 0; k < 2; k++) {
			int proto = k ? IPPROTO_UDP : IPPROTO_TCP;
			int want = k ? SCP_OPENFILTERED : SCP_OPEN;

			st = k ? pr->pr_udp : pr->pr_state;
			for (port = pb->pb_lo; st != NULL && port <= pb->pb_hi;
			    port++) {
				if (st[port] != want ||
				    selfcheck_socks_reach(socks, proto, port,
				    &pr->pr_ip))
					continue;
				f = selfcheck_finding_add(rs, loop ? SCK_LOCAL_ONLY :
				    SCK_EXPOSED, loop ? local : SELFCHECK_CRITICAL,
				    proto, &pr->pr_ip, port);
				if (f == NULL)
					return -1;
				f->fd_probe = want;
			}
		}
	}
	return 0;
}

/* What supports finding F: the kernel table, the probe, or both. */
static int
selfcheck_diff_evidence(const struct selfcheck_finding *f)
{
	int ev = 0;

	switch (f->fd_kind) {
	case SCK_MISSING:
	case SCK_UNREACHABLE:
		ev = SCE_TABLE;
		if (f->fd_probe == SCP_CLOSED)
			ev |= SCE_PROBE;
		break;
	default:
		if (f->fd_sock != NULL)
			ev = SCE_TABLE;
		if (f->fd_probe == SCP_OPEN || f->fd_probe == SCP_OPENFILTERED)
			ev |= SCE_PROBE;
		break;
	}
	return ev;
}

/*
 * Diff the NDECL declared endpoints against the kernel table SOCKS on the
 * NADDR audited concrete addresses, with the probe PB (may be NULL), into
 * RS.  Declarations and sockets of a protocol OP excludes must have been
 * left out by the caller.
 */
int
selfcheck_diff(const struct selfcheck_decl *decls, size_t ndecl,
    const struct selfcheck_socks *socks, const struct selfcheck_ip *addrs,
    size_t naddr, const struct selfcheck_probe *pb,
    const struct selfcheck_opts *op, struct selfcheck_result *rs)
{
	struct selfcheck_use *use;
	size_t d, a;
	int rc = 0;

	memset(rs, 0, sizeof(*rs));
	if ((use = calloc(socks->ss_n + 1, sizeof(*use))) == NULL)
		return -1;
	for (d = 0; d < ndecl && rc == 0; d++)
		for (a = 0; a < naddr && rc == 0; a++) {
			if (selfcheck_sock_score(&decls[d].dc_ip,
			    decls[d].dc_v6only, 0, &addrs[a]) == 0 ||
			    selfcheck_diff_shadowed(decls, ndecl, &decls[d],
			    &addrs[a]))
				continue;
			rc = selfcheck_diff_endpoint(&decls[d], &addrs[a],
			    socks, pb, use, rs);
		}
	if (rc == 0) {
		selfcheck_diff_holdings(decls, ndecl, socks, addrs, naddr, pb,
		    use);
		rc = selfcheck_diff_sockets(socks, use, op, rs);
	}
	if (rc == 0)
		rc = selfcheck_diff_unexplained(socks, pb, op, rs);
	if (rc == 0)
		rc = selfcheck_undecided(pb, op, rs);
	free(use);
	for (a = 0; rc == 0 && a < rs->rs_n; a++)
		rs->rs_v[a].fd_evidence = selfcheck_diff_evidence(&rs->rs_v[a]);
	if (rc == 0 && rs->rs_n > 1)
		qsort(rs->rs_v, rs->rs_n, sizeof(*rs->rs_v), selfcheck_finding_cmp);
	return rc;
}

/* Release the findings. */
void
selfcheck_result_free(struct selfcheck_result *rs)
{
	free(rs->rs_v);
	free(rs->rs_undec);
	memset(rs, 0, sizeof(*rs));
}

/* The name of a finding kind, as the report and the JSON spell it. */
const char *
selfcheck_kind_name(enum selfcheck_kind k)
{
	static const char *const names[SCK_COUNT] = {
		[SCK_OK] = "ok",
		[SCK_MISSING] = "missing",
		[SCK_FOREIGN] = "foreign",
		[SCK_UNREACHABLE] = "unreachable",
		[SCK_EXPOSED] = "exposed",
		[SCK_LOCAL_ONLY] = "local-only",
		[SCK_WIDER] = "wider",
		[SCK_FORWARDED] = "forwarded",
		[SCK_UNDECIDED] = "undecided",
		[SCK_RAW] = "raw-listener",
		[SCK_PACKET] = "packet-capture",
	};

	return (unsigned)k < SCK_COUNT ? names[k] : "?";
}
