/* SPDX-License-Identifier: ISC */
/*
 * The UDP probe: which UDP ports of each audited local address refuse.
 *
 * The kernel's table stays the authority on what is bound; the probe adds
 * evidence.  An empty datagram to a port nothing is bound to makes the
 * kernel answer ICMP port-unreachable, which comes back to the sender as
 * ECONNREFUSED.  One socket per address, bound to it, with IP_RECVERR /
 * IPV6_RECVERR, sends to every port (sendmmsg): the error queue then holds
 * one ECONNREFUSED per refusing port, with the original destination (and
 * so the port) in msg_name, the same evidence a connected socket per port
 * would get, without a socket and an ephemeral port per port in flight.
 * With CAP_NET_RAW the port-unreachables are read instead from a raw ICMP
 * socket bound to the address (the error quotes our datagram's headers,
 * so its port): the sending socket then has no IP_RECVERR, whose pending
 * error (sk_err) would end every sendmmsg after one datagram, and the
 * sweep sends SELFCHECK_UDP_BATCH datagrams per system call.
 * A port that does not refuse is SCP_OPENFILTERED; one that answers with a
 * datagram is SCP_OPEN.
 *
 * It never sends a datagram to an endpoint superd owns: a port that any
 * socket of superd (or of a child) is bound to on the address, whatever its
 * device, is SCP_SKIPPED.  A wait service would spawn, a builtin answer.
 *
 * The kernel limits ICMP errors (net.ipv4.icmp_msgs_per_sec with a bucket
 * of net.ipv4.icmp_msgs_burst, shared by IPv4 and IPv6, per network
 * namespace), but not for packets that arrive on lo, which is where every
 * datagram to a local address arrives: the sweep starts unpaced.  Silence
 * is only evidence when no error was suppressed meanwhile, so every batch
 * reads the namespace's counters (/proc/net/snmp OutRateLimitGlobal and
 * OutRateLimitHost, /proc/net/snmp6 Icmp6OutRateLimitHost): a batch during
 * which nothing was rate-limited turns its silent ports into
 * SCP_OPENFILTERED; otherwise they are sent again later, and from then on
 * sends are paced to the configured rate, within the deadline (which only
 * counts paced time).  What is still unanswered then is SCP_UNKNOWN, never
 * a finding, and the audit reports it as undecided.  Without the counters
 * (old kernels) a port needs two silent sends at half the rate.
 *
 * Before silence counts, a barrier: a datagram to our own socket, sent
 * after the batch and received, then a second one sent after that: every
 * port-unreachable the batch caused was queued on lo before the second
 * one, so it is in our error queue when the second comes back, however
 * loaded the machine is.  A batch whose barrier does not come back within
 * SELFCHECK_UDP_BARRIER_MS decides nothing; a port gets SELFCHECK_UDP_TRIES
 * such chances.
 *
 * A send that fails (EPERM from an egress rule, ENETUNREACH) fails that
 * port only: it stays SCP_UNKNOWN, counted in pr_udp_nerr with its errno,
 * and the sweep goes on with the other ports and addresses.
 *
 * Declared UDP endpoints are never probed either, whoever holds them now:
 * a datagram could start a wait service once superd binds it.
 *
 * A filter that drops UDP silently makes every port look open|filtered:
 * when more than SELFCHECK_UDP_FILTERED unbound ports of an address are
 * silent and they outnumber the refusing ones, the address is marked
 * filtered and those ports become SCP_UNKNOWN.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "selfcheck.h"

#define SELFCHECK_UDP_BATCH 1024    /* datagrams per sendmmsg (UIO_MAXIOV) */
#define SELFCHECK_UDP_RCVBUF (16 << 20) /* error queue room */
#define SELFCHECK_UDP_TICK_MS 20    /* the kernel refills its bucket so */
#define SELFCHECK_UDP_BARRIER_MS 1000 /* bound on a barrier's round trip */
#define SELFCHECK_UDP_TRIES 3	    /* sends of a port whose batch stalled */
#define SELFCHECK_UDP_FILTERED 64   /* silent unbound ports: filtered */
#define SELFCHECK_UDP_FAILED 0xff   /* ud_tries of a port whose send failed */
/* Never sent to: superd's, declared, or mapped by output NAT (a wait
 * service may be behind). */
#define SELFCHECK_UDP_AVOID (SCPL_OURS | SCPL_DECL | SCPL_OUTNAT)

/* The namespace's ICMP counters. */
struct selfcheck_udp_ctr {
	long long uc_limited;	/* errors suppressed by a rate limit */
	int uc_ok;		/* the counters could be read */
};

/* One audited address being swept. */
struct selfcheck_udp {
	struct selfcheck_probed *ud_pr;	/* where the answers go */
	int ud_fd;			/* socket bound to the address */
	int ud_icmp;			/* raw ICMP socket bound to it, or -1 */
	uint16_t *ud_todo;		/* ports left, in probe order */
	int ud_ntodo;			/* entries of ud_todo */
	uint8_t *ud_tries;		/* silent sends per port */
	uint8_t *ud_plan;		/* the address's plan (SCPL_*) */
	uint16_t ud_sport;		/* our own port: barriers go there */
	struct selfcheck_udp_ctr ud_ctr; /* the counters after the last batch */
	int ud_ctr_set;			/* ud_ctr was read */
	unsigned ud_echo;		/* barriers received */
};

/* What the sweep must know besides its addresses. */
struct selfcheck_udp_ctx {
	const struct selfcheck_socks *cx_socks; /* the kernel's table */
	const struct selfcheck_decl *cx_decls;	/* declared endpoints */
	size_t cx_ndecl;			/* entries of cx_decls */
	const struct selfcheck_fw *cx_fw;	/* the ruleset, or NULL */
	int cx_lo, cx_hi;			/* port range */
};


/* One integer from /proc/sys (DEF when unreadable). */
static long
selfcheck_udp_sysctl(const char *path, long def)
{
	FILE *fp = fopen(path, "re");
	long v;

	if (fp == NULL)
		return def;
	if (fscanf(fp, "%ld", &v) != 1)
		v = def;
	fclose(fp);
	return v;
}

/*
 * Add the fields of PREFIX named in NAMES from a /proc/net/snmp-style
 * file (a header line of names, then a line of values) to *SUM.  Returns
 * how many names were found.
 */
static int
selfcheck_udp_snmp(const char *path, const char *prefix,
    const char *const *names, long long *sum)
{
	char hdr[2048], val[2048], name[256], num[64], *hs, *vs, *h, *v;
	FILE *fp = fopen(path, "re");
	size_t plen = strlen(prefix);
	int found = 0, k;

	if (fp == NULL)
		return 0;
	while (fgets(hdr, sizeof(hdr), fp) != NULL) {
		if (strncmp(hdr, prefix, plen) != 0 || hdr[plen] != ':') {
			/* snmp6: "Name value" lines. */
			if (sscanf(hdr, "%255s %63s", name, num) == 2)
				for (k = 0; names[k] != NULL; k++)
					if (strcmp(name, names[k]) == 0) {
						*sum += strtoll(num, NULL, 10);
						found++;
					}
			continue;
		}
		if (fgets(val, sizeof(val), fp) == NULL)
			break;
		h = strtok_r(hdr + plen + 1, " \n", &hs);
		v = strtok_r(val + plen + 1, " \n", &vs);
		for (; h != NULL && v != NULL; h = strtok_r(NULL, " \n", &hs),
		    v = strtok_r(NULL, " \n", &vs))
			for (k = 0; names[k] != NULL; k++)
				if (strcmp(h, names[k]) == 0) {
					*sum += strtoll(v, NULL, 10);
					found++;
				}
		break;
	}
	fclose(fp);
	return found;
}

/* Read how many ICMP errors the namespace suppressed so far. */
static void
selfcheck_udp_counters(struct selfcheck_udp_ctr *c)
{
	static const char *const v4[] = { "OutRateLimitGlobal",
		"OutRateLimitHost", NULL };
	static const char *const v6[] = { "Icmp6OutRateLimitHost", NULL };

	c->uc_limited = 0;
	c->uc_ok = selfcheck_udp_snmp("/proc/net/snmp", "Icmp", v4,
	    &c->uc_limited) == 2;
	(void)selfcheck_udp_snmp("/proc/net/snmp6", "", v6, &c->uc_limited);
}

/* Give FD a receive buffer of SELFCHECK_UDP_RCVBUF (or what is allowed). */
static void
selfcheck_udp_rcvbuf(int fd)
{
	int sz = SELFCHECK_UDP_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
}

/*
 * A raw ICMP socket bound to the address of UD that lets only
 * destination-unreachable errors in, or -1 (no CAP_NET_RAW).  It reads
 * the port-unreachables of the sweep, so the sending socket needs no
 * IP_RECVERR, whose pending error would end every sendmmsg after one
 * datagram.
 */
static int
selfcheck_udp_icmp(const struct selfcheck_ip *ip)
{
	struct sockaddr_storage ss;
	struct icmp6_filter f6;
	uint32_t f4 = ~(1U << ICMP_DEST_UNREACH);
	socklen_t len = selfcheck_probe_sockaddr(ip, 0, &ss);
	int fd, rc;

	if (getenv("SUPERD_SELFCHECK_NORAW") != NULL)
		return -1;
	fd = socket(ip->ip_family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    ip->ip_family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (fd == -1)
		return -1;
	ICMP6_FILTER_SETBLOCKALL(&f6);
	ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f6);
	rc = ip->ip_family == AF_INET ?
	    setsockopt(fd, SOL_RAW, ICMP_FILTER, &f4, sizeof(f4)) :
	    setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f6, sizeof(f6));
	if (rc == -1 || bind(fd, (struct sockaddr *)&ss, len) == -1) {
		close(fd);
		return -1;
	}
	selfcheck_udp_rcvbuf(fd);
	return fd;
}

/* Open the sockets of UD, bound to its address; -1 (errno) on failure. */
static int
selfcheck_udp_socket(struct selfcheck_udp *ud)
{
	const struct selfcheck_ip *ip = &ud->ud_pr->pr_ip;
	struct sockaddr_storage ss;
	socklen_t len;
	int on = 1;

	ud->ud_fd = socket(ip->ip_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (ud->ud_fd == -1)
		return -1;
	if ((ud->ud_icmp = selfcheck_udp_icmp(ip)) == -1 && (ip->ip_family == AF_INET ?
	    setsockopt(ud->ud_fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on)) :
	    setsockopt(ud->ud_fd, IPPROTO_IPV6, IPV6_RECVERR, &on,
	    sizeof(on))))
		return -1;
	selfcheck_udp_rcvbuf(ud->ud_fd);
	len = selfcheck_probe_sockaddr(ip, 0, &ss);
	if (bind(ud->ud_fd, (struct sockaddr *)&ss, len) == -1 ||
	    getsockname(ud->ud_fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	ud->ud_sport = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

/*
 * Open the socket of UD and list its ports: bound ones first, then the
 * rest; superd's and declared ones never.  When the socket cannot be
 * opened its ports stay SCP_UNKNOWN, pr_udp_errno says why, and -1.
 */
static int
selfcheck_udp_open(struct selfcheck_udp *ud, const struct selfcheck_udp_ctx *cx)
{
	struct selfcheck_probed *pr = ud->ud_pr;
	int port, pass, rc;

	if ((ud->ud_todo = malloc(65536 * sizeof(*ud->ud_todo))) == NULL ||
	    (ud->ud_tries = calloc(65536, 1)) == NULL ||
	    (ud->ud_plan = selfcheck_plan_make(IPPROTO_UDP, &pr->pr_ip,
	    cx->cx_socks, cx->cx_decls, cx->cx_ndecl, cx->cx_fw)) == NULL)
		return -1;
	if ((rc = selfcheck_udp_socket(ud)) == -1) {
		pr->pr_udp_errno = errno;
		ud->ud_sport = 0;
	}
	for (pass = 0; pass < 2; pass++)
		for (port = cx->cx_lo; port <= cx->cx_hi; port++) {
			if (port == ud->ud_sport) {
				/* Ours: bound by us, so nobody else's. */
				pr->pr_udp[port] = SCP_CLOSED;
				continue;
			}
			if (ud->ud_plan[port] & SELFCHECK_UDP_AVOID) {
				pr->pr_udp[port] = SCP_SKIPPED;
				continue;
			}
			if ((ud->ud_plan[port] & SCPL_BOUND) == (pass == 0 ?
			    SCPL_BOUND : 0)) {
				pr->pr_udp[port] = SCP_UNKNOWN;
				ud->ud_todo[ud->ud_ntodo++] = (uint16_t)port;
			}
		}
	if (rc == -1)
		ud->ud_ntodo = 0;
	return rc;
}

/* Whether the address of SS (a reply or an error's destination) is UD's. */
static int
selfcheck_udp_mine(const struct selfcheck_udp *ud,
    const struct sockaddr_storage *ss, int *port)
{
	const struct selfcheck_ip *ip = &ud->ud_pr->pr_ip;

	if (ss->ss_family == AF_INET && ip->ip_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

		*port = ntohs(sin->sin_port);
		return memcmp(&sin->sin_addr, ip->ip_addr, 4) == 0;
	}
	if (ss->ss_family == AF_INET6 && ip->ip_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		*port = ntohs(s6->sin6_port);
		return memcmp(&s6->sin6_addr, ip->ip_addr, 16) == 0;
	}
	return 0;
}

/* Whether the message MH of the error queue is an ICMP port-unreachable. */
int
selfcheck_udp_refused(struct msghdr *mh)
{
	return selfcheck_icmp_errqueue(mh) == SCP_CLOSED;
}

/*
 * Take one received message to PORT into UD: Q 0 the error queue, 1 a
 * datagram (a reply, or one of our barriers).
 */
static void
selfcheck_udp_take(struct selfcheck_udp *ud, int q, int port,
    struct msghdr *mh)
{
	uint8_t *st = &ud->ud_pr->pr_udp[port];

	if (q == 1 && port == ud->ud_sport) {
		ud->ud_echo++;
		return;
	}
	if (*st != SCP_UNKNOWN && *st != SCP_OPENFILTERED)
		return;
	if (q == 1)	/* a reply: something is open */
		*st = SCP_OPEN;
	else if (selfcheck_udp_refused(mh))
		*st = SCP_CLOSED;
}

/*
 * The port of our datagram that the ICMP error B (LEN bytes, as the raw
 * socket of UD reads it: IPv4 with its header, ICMPv6 without) refused,
 * or -1 when B is anything else.
 */
static int
selfcheck_udp_icmp_port(const struct selfcheck_udp *ud, const uint8_t *b,
    size_t len)
{
	const struct selfcheck_ip *ip = &ud->ud_pr->pr_ip;
	size_t hl, ihl;

	if (ip->ip_family == AF_INET) {
		/* IP, ICMP 3/3, the datagram's IP header, its UDP header. */
		if (len < 20 || (hl = (size_t)(b[0] & 0x0f) * 4) + 28 > len ||
		    b[hl] != ICMP_DEST_UNREACH || b[hl + 1] != ICMP_PORT_UNREACH)
			return -1;
		b += hl + 8;
		len -= hl + 8;
		ihl = (size_t)(b[0] & 0x0f) * 4;
		if (ihl < 20 || len < ihl + 4 || b[9] != IPPROTO_UDP ||
		    memcmp(b + 16, ip->ip_addr, 4) != 0)
			return -1;
	} else {
		/* ICMPv6 1/4, the datagram's IPv6 header, its UDP header. */
		if (len < 8 + 40 + 4 || b[0] != ICMP6_DST_UNREACH ||
		    b[1] != ICMP6_DST_UNREACH_NOPORT || b[8 + 6] != IPPROTO_UDP ||
		    memcmp(b + 8 + 24, ip->ip_addr, 16) != 0)
			return -1;
		b += 8;
		ihl = 40;
	}
	if ((b[ihl] << 8 | b[ihl + 1]) != ud->ud_sport)
		return -1;
	return b[ihl + 2] << 8 | b[ihl + 3];
}

/* Read every port-unreachable queued on the raw ICMP socket of UD. */
static void
selfcheck_udp_drain_icmp(struct selfcheck_udp *ud)
{
	struct sockaddr_storage from[64];
	struct mmsghdr mm[64];
	struct iovec iov[64];
	uint8_t b[64][160];
	int i, n, port;

	for (;;) {
		selfcheck_probe_mmsg(mm, iov, 64, b, sizeof(b[0]), from,
		    sizeof(from[0]), NULL, 0);
		if ((n = recvmmsg(ud->ud_icmp, mm, 64, MSG_DONTWAIT,
		    NULL)) <= 0)
			return;
		for (i = 0; i < n; i++) {
			port = selfcheck_udp_icmp_port(ud, b[i], mm[i].msg_len);
			if (port >= 0 && (ud->ud_pr->pr_udp[port] == SCP_UNKNOWN ||
			    ud->ud_pr->pr_udp[port] == SCP_OPENFILTERED))
				ud->ud_pr->pr_udp[port] = SCP_CLOSED;
		}
	}
}

/* Read every queued error and datagram of UD. */
static void
selfcheck_udp_drain(struct selfcheck_udp *ud)
{
	struct sockaddr_storage from[64];
	char ctl[64][128];
	struct mmsghdr mm[64];
	struct iovec iov[64];
	uint8_t b[64][16];
	int i, n, q, port;

	if (ud->ud_icmp != -1)
		selfcheck_udp_drain_icmp(ud);
	for (q = ud->ud_icmp != -1; q < 2; q++)
		for (;;) {
			selfcheck_probe_mmsg(mm, iov, 64, b, sizeof(b[0]), from,
			    sizeof(from[0]), ctl, sizeof(ctl[0]));
			n = recvmmsg(ud->ud_fd, mm, 64, MSG_DONTWAIT |
			    (q == 0 ? MSG_ERRQUEUE : 0), NULL);
			if (n <= 0)
				break;
			for (i = 0; i < n; i++)
				if (selfcheck_udp_mine(ud, &from[i], &port))
					selfcheck_udp_take(ud, q, port,
					    &mm[i].msg_hdr);
		}
}

/* Count the failed send of PORT of UD (errno ERR): it stays unknown. */
static void
selfcheck_udp_failed(struct selfcheck_udp *ud, int port, int err)
{
	if (ud->ud_tries[port] == SELFCHECK_UDP_FAILED)
		return;
	ud->ud_tries[port] = SELFCHECK_UDP_FAILED;
	ud->ud_pr->pr_udp_errno = err;
	ud->ud_pr->pr_udp_nerr++;
}

/*
 * Send one empty datagram to each of the N ports PORTS of UD.  A port
 * whose send fails is counted as failed and skipped.
 */
static void
selfcheck_udp_send(struct selfcheck_udp *ud, const uint16_t *ports, int n)
{
	struct sockaddr_storage dst[SELFCHECK_UDP_BATCH];
	struct mmsghdr mm[SELFCHECK_UDP_BATCH];
	struct iovec iov = { NULL, 0 };
	int sent, done = 0;

	selfcheck_probe_batch(mm, dst, &iov, &ud->ud_pr->pr_ip, ports, n);
	while (done < n) {
		sent = sendmmsg(ud->ud_fd, mm + done, (unsigned)(n - done), 0);
		if (sent > 0) {
			done += sent;
			continue;
		}
		/* A refusal of an earlier datagram can fail a send. */
		if (sent == -1 && (errno == ECONNREFUSED || errno == ENOBUFS ||
		    errno == EAGAIN || errno == EINTR)) {
			if (errno != ECONNREFUSED)
				poll(NULL, 0, 1);
			selfcheck_udp_drain(ud);
			continue;
		}
		selfcheck_udp_failed(ud, ports[done++], sent == -1 ? errno :
		    EIO);
	}
}

/*
 * The barrier after a batch of UD: two datagrams to ourselves, the second
 * sent once the first is back.  0 when both came back (every answer to
 * the batch is queued), -1 when one did not within the bound.
 */
static int
selfcheck_udp_barrier(struct selfcheck_udp *ud)
{
	struct sockaddr_storage self;
	socklen_t len = selfcheck_probe_sockaddr(&ud->ud_pr->pr_ip,
	    ud->ud_sport, &self);
	struct pollfd pfd = { ud->ud_fd, POLLIN, 0 };
	long long until = selfcheck_probe_ms() + SELFCHECK_UDP_BARRIER_MS;
	unsigned want;
	int k;

	for (k = 0; k < 2; k++) {
		want = ud->ud_echo + 1;
		/* A pending refusal fails a send once (sk_err): again. */
		while (sendto(ud->ud_fd, "", 0, 0, (struct sockaddr *)&self,
		    len) == -1)
			if ((errno != ECONNREFUSED && errno != EINTR &&
			    errno != ENOBUFS && errno != EAGAIN) ||
			    selfcheck_probe_ms() >= until)
				return -1;
		for (;;) {
			selfcheck_udp_drain(ud);
			if (ud->ud_echo >= want)
				break;
			if (selfcheck_probe_ms() >= until)
				return -1;
			(void)poll(&pfd, 1, 1);
		}
	}
	return 0;
}

/*
 * One batch of up to MAX ports of UD: send, barrier, and decide the silent
 * ones if the counters say no error was suppressed.  Without counters a
 * port needs two silent sends.  Returns whether the kernel limited.
 */
static int
selfcheck_udp_batch(struct selfcheck_udp *ud, int max)
{
	struct selfcheck_udp_ctr c0, c1;
	uint16_t ports[SELFCHECK_UDP_BATCH];
	uint8_t *st = ud->ud_pr->pr_udp, *tries = ud->ud_tries;
	int n, i, k, fence, limited;

	n = ud->ud_ntodo < max ? ud->ud_ntodo : max;
	n = n > SELFCHECK_UDP_BATCH ? SELFCHECK_UDP_BATCH : n;
	memcpy(ports, ud->ud_todo, (size_t)n * sizeof(*ports));
	/*
	 * The reading after the last batch stands for the one before this
	 * one: a limit met in between (by another address's sweep) counts
	 * against this batch, which only sends its ports again.
	 */
	if (ud->ud_ctr_set)
		c0 = ud->ud_ctr;
	else
		selfcheck_udp_counters(&c0);
	selfcheck_udp_send(ud, ports, n);
	fence = selfcheck_udp_barrier(ud) == 0;
	selfcheck_udp_counters(&c1);
	ud->ud_ctr = c1;
	ud->ud_ctr_set = 1;
	limited = c0.uc_ok && c1.uc_ok && c1.uc_limited != c0.uc_limited;
	for (i = 0, k = 0; i < n; i++) {
		if (st[ports[i]] != SCP_UNKNOWN ||
		    tries[ports[i]] == SELFCHECK_UDP_FAILED)
			continue;
		tries[ports[i]]++;
		if (fence && (c0.uc_ok && c1.uc_ok ? !limited :
		    tries[ports[i]] >= 2))
			st[ports[i]] = SCP_OPENFILTERED;
		else if (limited || tries[ports[i]] < SELFCHECK_UDP_TRIES)
			ports[k++] = ports[i];	/* undecided: again later */
	}
	memmove(ud->ud_todo, ud->ud_todo + n,
	    (size_t)(ud->ud_ntodo - n) * sizeof(*ud->ud_todo));
	ud->ud_ntodo -= n;
	memcpy(ud->ud_todo + ud->ud_ntodo, ports, (size_t)k * sizeof(*ports));
	ud->ud_ntodo += k;
	return limited;
}

/* Mark an address of UD whose unbound ports are mostly silent as filtered. */
static void
selfcheck_udp_filtered(struct selfcheck_udp *ud,
    const struct selfcheck_udp_ctx *cx)
{
	struct selfcheck_probed *pr = ud->ud_pr;
	int port, silent = 0, closed = 0;

	for (port = cx->cx_lo; port <= cx->cx_hi; port++) {
		if (pr->pr_udp[port] == SCP_CLOSED)
			closed++;
		else if (pr->pr_udp[port] == SCP_OPENFILTERED &&
		    !(ud->ud_plan[port] & SCPL_BOUND))
			silent++;
	}
	if (silent <= SELFCHECK_UDP_FILTERED || silent <= closed)
		return;
	pr->pr_udp_filtered = 1;
	for (port = cx->cx_lo; port <= cx->cx_hi; port++)
		if (pr->pr_udp[port] == SCP_OPENFILTERED &&
		    !(ud->ud_plan[port] & SCPL_BOUND))
			pr->pr_udp[port] = SCP_UNKNOWN;
}

/*
 * The unpaced sweep of address I of UV, on a thread of its own, until
 * every port is decided or the kernel limits an ICMP error: the rest is
 * for the paced sweep.
 */
static void
selfcheck_udp_fast(void *arg, size_t i)
{
	struct selfcheck_udp *ud = &((struct selfcheck_udp *)arg)[i];

	while (ud->ud_ntodo > 0)
		if (selfcheck_udp_batch(ud, SELFCHECK_UDP_BATCH)) {
			ud->ud_pr->pr_udp_paced = 1;
			break;
		}
}

/*
 * The paced sweep of the addresses UV (N) of PB: at the kernel's ICMP
 * rate, round-robin, until every port is decided or DEADLINE ms passed.
 * NOCTR: the counters cannot be read, so go at half the rate.
 */
static void
selfcheck_udp_paced(struct selfcheck_udp *uv, size_t n, int deadline,
    int noctr)
{
	long long now, start = selfcheck_probe_ms(), last = start;
	long rate, burst;
	double tokens = 0.0;
	size_t i, left, cur = 0;
	int step;

	rate = selfcheck_udp_sysctl("/proc/sys/net/ipv4/icmp_msgs_per_sec",
	    1000) / (noctr ? 2 : 1);
	burst = selfcheck_udp_sysctl("/proc/sys/net/ipv4/icmp_msgs_burst", 50);
	rate = rate < 1 ? 1 : rate;
	burst = burst < 1 ? 1 : burst;
	for (;;) {
		for (i = 0, left = 0; i < n; i++)
			left += uv[i].ud_ntodo > 0;
		now = selfcheck_probe_ms();
		if (left == 0 || now - start >= deadline)
			break;
		if (now - last >= SELFCHECK_UDP_TICK_MS) {
			tokens += (double)rate * (double)(now - last) / 1000.0;
			tokens = tokens > burst ? (double)burst : tokens;
			last = now;
		}
		if (tokens < 1.0) {
			poll(NULL, 0, (int)(last + SELFCHECK_UDP_TICK_MS - now));
			continue;
		}
		/* Round-robin over the addresses, one batch each. */
		while (uv[cur % n].ud_ntodo == 0)
			cur++;
		step = tokens > SELFCHECK_UDP_BATCH ? SELFCHECK_UDP_BATCH :
		    (int)tokens;
		uv[cur % n].ud_pr->pr_udp_paced = 1;
		if (selfcheck_udp_batch(&uv[cur % n], step))
			tokens = 0;	/* the kernel's bucket is empty */
		else
			tokens -= step;
		cur++;
	}
}

/*
 * Sweep the addresses UV (N) of PB: unpaced, one thread per address,
 * until the kernel limits an ICMP error (never, for lo-arriving traffic
 * on a kernel that exempts it), then paced within DEADLINE ms.
 */
static void
selfcheck_udp_sweep(struct selfcheck_probe *pb, struct selfcheck_udp *uv,
    size_t n, int deadline)
{
	struct selfcheck_udp_ctr ctr;
	size_t i;

	selfcheck_udp_counters(&ctr);
	/* Without the counters silence is weaker evidence: paced at once. */
	if (ctr.uc_ok)
		selfcheck_probe_each(n, selfcheck_udp_fast, uv);
	for (i = 0; i < n; i++)
		if (uv[i].ud_ntodo > 0)
			pb->pb_udp_paced = 1;
	if (pb->pb_udp_paced)
		selfcheck_udp_paced(uv, n, deadline, !ctr.uc_ok);
}

/* Whether every port of PB's range got an answer on every address. */
static int
selfcheck_udp_complete(const struct selfcheck_probe *pb)
{
	size_t i;
	int port;

	for (i = 0; i < pb->pb_n; i++)
		for (port = pb->pb_lo; port <= pb->pb_hi; port++)
			if (pb->pb_v[i].pr_udp[port] == SCP_UNKNOWN)
				return 0;
	return 1;
}

/*
 * Probe the UDP ports of every address of PB (its range), pacing only
 * where the kernel limits and then within DEADLINE milliseconds, never
 * touching a socket of superd (SOCKS says which), a declared endpoint
 * (DECLS, NDECL) or a port an output-hook NAT rule of FW maps.  -1 only
 * when out of memory.
 */
int
selfcheck_udp_run(struct selfcheck_probe *pb, int deadline,
    const struct selfcheck_socks *socks, const struct selfcheck_decl *decls,
    size_t ndecl, const struct selfcheck_fw *fw)
{
	struct selfcheck_udp_ctx cx = { socks, decls, ndecl, fw, pb->pb_lo,
		pb->pb_hi };
	long long start = selfcheck_probe_ms();
	struct selfcheck_udp *uv;
	size_t i;
	int rc = 0;

	pb->pb_udp_mode = "icmp";
	pb->pb_udp_deadline = deadline;
	if ((uv = calloc(pb->pb_n + 1, sizeof(*uv))) == NULL)
		return -1;
	for (i = 0; rc == 0 && i < pb->pb_n; i++) {
		uv[i].ud_pr = &pb->pb_v[i];
		uv[i].ud_fd = uv[i].ud_icmp = -1;
		if ((pb->pb_v[i].pr_udp = calloc(65536, 1)) == NULL)
			rc = -1;
		else if (selfcheck_udp_open(&uv[i], &cx) == -1 &&
		    pb->pb_v[i].pr_udp_errno == 0)
			rc = -1;
	}
	if (rc == 0)
		selfcheck_udp_sweep(pb, uv, pb->pb_n, deadline);
	for (i = 0; rc == 0 && i < pb->pb_n; i++)
		selfcheck_udp_filtered(&uv[i], &cx);
	pb->pb_udp_ms = (int)(selfcheck_probe_ms() - start);
	pb->pb_udp_complete = rc == 0 && selfcheck_udp_complete(pb);
	for (i = 0; i < pb->pb_n; i++) {
		if (uv[i].ud_fd != -1)
			close(uv[i].ud_fd);
		if (uv[i].ud_icmp != -1)
			close(uv[i].ud_icmp);
		free(uv[i].ud_todo);
		free(uv[i].ud_tries);
		free(uv[i].ud_plan);
	}
	free(uv);
	return rc;
}
