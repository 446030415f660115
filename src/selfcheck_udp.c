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
 * A port that does not refuse is SCP_OPENFILTERED; one that answers with a
 * datagram is SCP_OPEN.
 *
 * It never sends a datagram to an endpoint superd owns: a port that any
 * socket of superd (or of a child) is bound to on the address, whatever its
 * device, is SCP_SKIPPED.  A wait service would spawn, a builtin answer.
 *
 * The kernel limits ICMP errors: net.ipv4.icmp_msgs_per_sec with a bucket
 * of net.ipv4.icmp_msgs_burst, refilled at most every 20 ms, shared by
 * IPv4 and IPv6 and per network namespace.  Silence is only evidence when
 * no error was suppressed meanwhile, so every batch reads the namespace's
 * counters (/proc/net/snmp OutRateLimitGlobal and OutRateLimitHost,
 * /proc/net/snmp6 Icmp6OutRateLimitHost): a batch during which nothing was
 * rate-limited turns its silent ports into SCP_OPENFILTERED; otherwise
 * they are sent again later.  Sends are paced to the configured rate.
 * What is still unanswered at the deadline is SCP_UNKNOWN, never a
 * finding.  Ports bound in the table go first, so the evidence that
 * matters comes before the deadline.  Without the counters (old kernels)
 * a port needs two silent sends at half the rate.
 *
 * A filter that drops UDP silently makes every port look open|filtered:
 * when more than SELFCHECK_UDP_FILTERED unbound ports of an address are
 * silent and they outnumber the refusing ones, the address is marked
 * filtered and those ports become SCP_UNKNOWN.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "selfcheck.h"

#define SELFCHECK_UDP_BATCH 256	    /* datagrams per sendmmsg */
#define SELFCHECK_UDP_RCVBUF (16 << 20) /* error queue room */
#define SELFCHECK_UDP_TICK_MS 20    /* the kernel refills its bucket so */
#define SELFCHECK_UDP_SETTLE_MS 10  /* wait for errors still in flight */
#define SELFCHECK_UDP_FILTERED 64   /* silent unbound ports: filtered */

/* One audited address being swept. */
struct selfcheck_udp {
	struct selfcheck_probed *ud_pr;	/* where the answers go */
	int ud_fd;			/* socket bound to the address */
	uint16_t *ud_todo;		/* ports left, in probe order */
	int ud_ntodo;			/* entries of ud_todo */
	uint8_t *ud_tries;		/* silent sends per port */
};

/* The namespace's ICMP counters. */
struct selfcheck_udp_ctr {
	long long uc_limited;	/* errors suppressed by a rate limit */
	int uc_ok;		/* the counters could be read */
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

/* Whether a socket of superd is bound to IP:PORT (devices aside). */
static int
selfcheck_udp_superd(const struct selfcheck_socks *socks,
    const struct selfcheck_ip *ip, int port, int *bound)
{
	int ours = 0, i;
	size_t s;

	*bound = 0;
	for (s = 0; s < socks->ss_n; s++) {
		const struct selfcheck_sock *sk = &socks->ss_v[s];

		if (sk->sk_proto != IPPROTO_UDP || sk->sk_port != port ||
		    !selfcheck_sock_reaches(sk, ip))
			continue;
		*bound = 1;
		for (i = 0; i < sk->sk_nowners; i++)
			ours |= sk->sk_owners[i].ow_superd;
	}
	return ours;
}

/* Open the socket of UD and list its ports; -1 if it cannot be bound. */
static int
selfcheck_udp_open(struct selfcheck_udp *ud, int lo, int hi,
    const struct selfcheck_socks *socks)
{
	const struct selfcheck_ip *ip = &ud->ud_pr->pr_ip;
	struct sockaddr_storage ss;
	socklen_t len;
	int on = 1, sz = SELFCHECK_UDP_RCVBUF, port, bound, pass, sport;

	ud->ud_fd = socket(ip->ip_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (ud->ud_fd == -1)
		return -1;
	if (ip->ip_family == AF_INET ?
	    setsockopt(ud->ud_fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on)) :
	    setsockopt(ud->ud_fd, IPPROTO_IPV6, IPV6_RECVERR, &on,
	    sizeof(on)))
		return -1;
	if (setsockopt(ud->ud_fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz,
	    sizeof(sz)) == -1)
		(void)setsockopt(ud->ud_fd, SOL_SOCKET, SO_RCVBUF, &sz,
		    sizeof(sz));
	len = selfcheck_probe_sockaddr(ip, 0, &ss);
	if (bind(ud->ud_fd, (struct sockaddr *)&ss, len) == -1 ||
	    getsockname(ud->ud_fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	sport = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if ((ud->ud_todo = malloc(65536 * sizeof(*ud->ud_todo))) == NULL ||
	    (ud->ud_tries = calloc(65536, 1)) == NULL)
		return -1;
	/* Bound ports first, then the rest; superd's never. */
	for (pass = 0; pass < 2; pass++)
		for (port = lo; port <= hi; port++) {
			if (port == sport) {
				/* Ours: bound by us, so nobody else's. */
				ud->ud_pr->pr_udp[port] = SCP_CLOSED;
				continue;
			}
			if (selfcheck_udp_superd(socks, ip, port, &bound)) {
				ud->ud_pr->pr_udp[port] = SCP_SKIPPED;
				continue;
			}
			if (bound == (pass == 0)) {
				ud->ud_pr->pr_udp[port] = SCP_UNKNOWN;
				ud->ud_todo[ud->ud_ntodo++] = (uint16_t)port;
			}
		}
	return 0;
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

/* Read every queued error and reply of UD; returns how many counted. */
static int
selfcheck_udp_drain(struct selfcheck_udp *ud)
{
	struct sockaddr_storage from[64];
	char ctl[64][128];
	struct mmsghdr mm[64];
	struct iovec iov[64];
	uint8_t b[64][16];
	int i, n, q, port, got = 0;

	for (q = 0; q < 2; q++)
		for (;;) {
			selfcheck_probe_mmsg(mm, iov, 64, b, sizeof(b[0]), from,
			    sizeof(from[0]), ctl, sizeof(ctl[0]));
			n = recvmmsg(ud->ud_fd, mm, 64, MSG_DONTWAIT |
			    (q == 0 ? MSG_ERRQUEUE : 0), NULL);
			if (n <= 0)
				break;
			for (i = 0; i < n; i++) {
				struct msghdr *mh = &mm[i].msg_hdr;
				struct cmsghdr *cm;
				int refused = 0;

				if (!selfcheck_udp_mine(ud, &from[i], &port))
					continue;
				for (cm = CMSG_FIRSTHDR(mh); q == 0 &&
				    cm != NULL; cm = CMSG_NXTHDR(mh, cm)) {
					struct sock_extended_err ee;

					if (!((cm->cmsg_level == IPPROTO_IP &&
					    cm->cmsg_type == IP_RECVERR) ||
					    (cm->cmsg_level == IPPROTO_IPV6 &&
					    cm->cmsg_type == IPV6_RECVERR)))
						continue;
					memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
					refused = ee.ee_errno == ECONNREFUSED &&
					    (ee.ee_origin == SO_EE_ORIGIN_ICMP ||
					    ee.ee_origin == SO_EE_ORIGIN_ICMP6);
				}
				if (ud->ud_pr->pr_udp[port] != SCP_UNKNOWN &&
				    ud->ud_pr->pr_udp[port] != SCP_OPENFILTERED)
					continue;
				if (q == 1)	/* a reply: something is open */
					ud->ud_pr->pr_udp[port] = SCP_OPEN;
				else if (refused)
					ud->ud_pr->pr_udp[port] = SCP_CLOSED;
				else
					continue;
				got++;
			}
		}
	return got;
}

/* Send one empty datagram to each of the N ports PORTS of UD. */
static int
selfcheck_udp_send(struct selfcheck_udp *ud, const uint16_t *ports, int n)
{
	struct sockaddr_storage dst[SELFCHECK_UDP_BATCH];
	struct mmsghdr mm[SELFCHECK_UDP_BATCH];
	struct iovec iov = { NULL, 0 };
	socklen_t len = 0;
	int i, sent, done = 0;

	for (i = 0; i < n; i++) {
		len = selfcheck_probe_sockaddr(&ud->ud_pr->pr_ip, ports[i],
		    &dst[i]);
		memset(&mm[i], 0, sizeof(mm[i]));
		mm[i].msg_hdr.msg_iov = &iov;
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = &dst[i];
		mm[i].msg_hdr.msg_namelen = len;
	}
	while (done < n) {
		sent = sendmmsg(ud->ud_fd, mm + done, (unsigned)(n - done), 0);
		if (sent > 0) {
			done += sent;
			continue;
		}
		/* A refusal of an earlier datagram can fail a send. */
		if (sent == -1 && (errno == ECONNREFUSED || errno == ENOBUFS ||
		    errno == EAGAIN || errno == EINTR)) {
			selfcheck_udp_drain(ud);
			if (errno == ECONNREFUSED)
				continue;
			poll(NULL, 0, 1);
			continue;
		}
		return -1;
	}
	return 0;
}

/*
 * One batch of up to MAX ports of UD: send, collect, and decide the
 * silent ones if the counters say no error was suppressed.  NOCTR: no
 * counters, a port needs two silent sends.
 */
static int
selfcheck_udp_batch(struct selfcheck_udp *ud, int max)
{
	struct selfcheck_udp_ctr c0, c1;
	uint16_t ports[SELFCHECK_UDP_BATCH];
	uint8_t *st = ud->ud_pr->pr_udp;
	int n, i, k, quiet;

	n = ud->ud_ntodo < max ? ud->ud_ntodo : max;
	n = n > SELFCHECK_UDP_BATCH ? SELFCHECK_UDP_BATCH : n;
	memcpy(ports, ud->ud_todo, (size_t)n * sizeof(*ports));
	selfcheck_udp_counters(&c0);
	if (selfcheck_udp_send(ud, ports, n) == -1)
		return -1;
	selfcheck_udp_drain(ud);
	for (i = 0, quiet = 0; i < n; i++)
		quiet += st[ports[i]] == SCP_UNKNOWN;
	if (quiet > 0) {
		/* Loopback errors are queued before sendmmsg returns, mostly. */
		poll(NULL, 0, quiet == n ? SELFCHECK_UDP_SETTLE_MS : 1);
		selfcheck_udp_drain(ud);
	}
	selfcheck_udp_counters(&c1);
	for (i = 0; i < n; i++) {
		if (st[ports[i]] != SCP_UNKNOWN)
			continue;
		ud->ud_tries[ports[i]]++;
		if (c0.uc_ok && c1.uc_ok ? c1.uc_limited == c0.uc_limited :
		    ud->ud_tries[ports[i]] >= 2)
			st[ports[i]] = SCP_OPENFILTERED;
	}
	/* Keep the undecided ones, in order, at the end of the list. */
	for (i = 0, k = 0; i < n; i++)
		if (st[ports[i]] == SCP_UNKNOWN)
			ports[k++] = ports[i];
	memmove(ud->ud_todo, ud->ud_todo + n,
	    (size_t)(ud->ud_ntodo - n) * sizeof(*ud->ud_todo));
	ud->ud_ntodo -= n;
	memcpy(ud->ud_todo + ud->ud_ntodo, ports, (size_t)k * sizeof(*ports));
	ud->ud_ntodo += k;
	return c0.uc_ok && c1.uc_ok && c1.uc_limited != c0.uc_limited;
}

/* Mark an address whose unbound ports are mostly silent as filtered. */
static void
selfcheck_udp_filtered(struct selfcheck_probed *pr, int lo, int hi,
    const struct selfcheck_socks *socks)
{
	int port, silent = 0, closed = 0, bound;

	for (port = lo; port <= hi; port++) {
		if (pr->pr_udp[port] == SCP_CLOSED)
			closed++;
		else if (pr->pr_udp[port] == SCP_OPENFILTERED &&
		    (selfcheck_udp_superd(socks, &pr->pr_ip, port, &bound),
		    !bound))
			silent++;
	}
	if (silent <= SELFCHECK_UDP_FILTERED || silent <= closed)
		return;
	pr->pr_udp_filtered = 1;
	for (port = lo; port <= hi; port++)
		if (pr->pr_udp[port] == SCP_OPENFILTERED &&
		    (selfcheck_udp_superd(socks, &pr->pr_ip, port, &bound),
		    !bound))
			pr->pr_udp[port] = SCP_UNKNOWN;
}

/*
 * Probe the UDP ports of every address of PB (its range) within DEADLINE
 * milliseconds, never touching a socket of superd (SOCKS says which).
 */
int
selfcheck_udp_run(struct selfcheck_probe *pb, int deadline,
    const struct selfcheck_socks *socks)
{
	struct selfcheck_udp *uv;
	struct selfcheck_udp_ctr ctr;
	long long start = selfcheck_probe_ms(), now, last;
	long rate, burst;
	double tokens;
	size_t i, left;
	int limited, step, rc = 0, cur = 0;

	pb->pb_udp_mode = "icmp";
	pb->pb_udp_deadline = deadline;
	if ((uv = calloc(pb->pb_n + 1, sizeof(*uv))) == NULL)
		return -1;
	for (i = 0; i < pb->pb_n; i++) {
		uv[i].ud_pr = &pb->pb_v[i];
		uv[i].ud_fd = -1;
		if ((pb->pb_v[i].pr_udp = calloc(65536, 1)) == NULL) {
			rc = -1;
			goto out;
		}
		if (selfcheck_udp_open(&uv[i], pb->pb_lo, pb->pb_hi, socks) ==
		    -1) {
			log_warn("selfcheck: UDP probe of an address failed");
			uv[i].ud_ntodo = 0;
		}
	}
	selfcheck_udp_counters(&ctr);
	rate = selfcheck_udp_sysctl("/proc/sys/net/ipv4/icmp_msgs_per_sec",
	    1000);
	burst = selfcheck_udp_sysctl("/proc/sys/net/ipv4/icmp_msgs_burst", 50);
	if (!ctr.uc_ok)
		rate /= 2;	/* silence is weaker evidence: go slower */
	rate = rate < 1 ? 1 : rate;
	burst = burst < 1 ? 1 : burst;
	tokens = (double)burst;
	last = start;
	for (;;) {
		for (i = 0, left = 0; i < pb->pb_n; i++)
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
		while (uv[cur % pb->pb_n].ud_ntodo == 0)
			cur++;
		step = tokens > SELFCHECK_UDP_BATCH ? SELFCHECK_UDP_BATCH :
		    (int)tokens;
		limited = selfcheck_udp_batch(&uv[cur % pb->pb_n], step);
		cur++;
		if (limited == -1) {
			log_warn("selfcheck: UDP probe send failed");
			break;
		}
		tokens -= step;
		if (limited)
			tokens = 0;	/* the kernel's bucket is empty */
	}
	pb->pb_udp_ms = (int)(selfcheck_probe_ms() - start);
	pb->pb_udp_complete = 1;
	for (i = 0; i < pb->pb_n; i++) {
		if (uv[i].ud_ntodo > 0 || uv[i].ud_fd == -1)
			pb->pb_udp_complete = 0;
		selfcheck_udp_filtered(&pb->pb_v[i], pb->pb_lo, pb->pb_hi,
		    socks);
	}
out:
	for (i = 0; i < pb->pb_n; i++) {
		if (uv[i].ud_fd != -1)
			close(uv[i].ud_fd);
		free(uv[i].ud_todo);
		free(uv[i].ud_tries);
	}
	free(uv);
	return rc;
}
