/* SPDX-License-Identifier: ISC */
/*
 * The active probe: which TCP ports of each audited local address answer.
 *
 * It must never make superd spawn a service, so it never completes a
 * handshake with a listener.  With CAP_NET_RAW it sends half-open SYNs over
 * a raw socket bound to the audited address, from a source port it holds
 * with a bound, non-listening TCP socket.  A listener answers SYN-ACK; the
 * SYN-ACK arrives at our own kernel, which finds no socket for the 4-tuple
 * (ours is not listening) and answers RST, so the listener's request sock
 * dies and accept() never returns.  tests/e2e/selfcheck_nospawn.sh checks
 * this with a forking listener.  The held source port also rules out the
 * TCP self-connect a connect() sweep suffers on loopback, and the port
 * equal to it is not probed (we know it: it is ours, bound, not listening).
 *
 * Without CAP_NET_RAW the probe falls back to connect(), but only on ports
 * the kernel table does not show as listening on that address: those are
 * expected closed and a connect verifies it (an open one is a listener the
 * table cannot see: a NAT redirect, sk_lookup).  Ports with a listener are
 * SCP_SKIPPED and the kernel table is the authority for them.
 *
 * UDP is probed by selfcheck_udp.c after the TCP sweep (ICMP evidence,
 * never a datagram to a superd socket).
 *
 * Each address is swept by its own thread (one per core).
 */
#include <sys/epoll.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "selfcheck.h"

#define SELFCHECK_BATCH 256	     /* SYNs per sendmmsg */
#define SELFCHECK_RCVBUF (16 << 20) /* raw socket receive buffer */
#define SELFCHECK_WAIT_MS 150	     /* grace for late answers, per round */
#define SELFCHECK_ROUNDS 2	     /* sends per unanswered port */
#define SELFCHECK_CONNECTS 512	     /* connects in flight, fallback mode */
#define SELFCHECK_TH_SYN 0x02
#define SELFCHECK_TH_RST 0x04
#define SELFCHECK_TH_ACK 0x10

/* One address being swept. */
struct selfcheck_sweep {
	struct selfcheck_probed *sw_pr;	 /* where the answers go */
	struct selfcheck_ip sw_src;	 /* our address: the audited one, or
					    the route's towards a remote */
	int sw_fd;			 /* raw socket, or epoll */
	int sw_resv;			 /* TCP socket holding sw_sport */
	uint16_t sw_sport;		 /* our source port */
	uint32_t sw_seq0;		 /* base of the sequence numbers */
	struct sockaddr_storage sw_dst;	 /* the audited address */
	socklen_t sw_dstlen;		 /* length of sw_dst */
	int sw_lo, sw_hi;		 /* port range */
	int sw_pending;			 /* ports without an answer */
	uint8_t *sw_plan;		 /* the address's TCP plan: listed
					    (connect) and NAT-mapped ports */
	int *sw_fds;			 /* connect in flight per port, or -1 */
};

/* What the TCP sweep threads share. */
struct selfcheck_pool {
	struct selfcheck_probe *pl_pb;	 /* results */
	const struct selfcheck_socks *pl_socks; /* kernel table */
	const struct selfcheck_fw *pl_fw; /* the ruleset, or NULL */
	int pl_raw;			 /* raw SYN mode */
};

/* Work handed out to threads by selfcheck_probe_each. */
struct selfcheck_each {
	void (*ea_fn)(void *, size_t);	 /* the work on one index */
	void *ea_arg;			 /* its argument */
	size_t ea_n;			 /* indices 0..ea_n-1 */
	size_t ea_next;			 /* next index to take */
	pthread_mutex_t ea_lock;	 /* guards ea_next */
};

/* Milliseconds on the monotonic clock. */
long long
selfcheck_probe_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Our sequence number for PORT. */
static uint32_t
selfcheck_probe_seq(const struct selfcheck_sweep *sw, int port)
{
	return sw->sw_seq0 ^ ((uint32_t)port * 2654435761U);
}

/*
 * MM[0..N) as empty datagrams (the one empty IOV) to PORTS of IP, their
 * addresses in DST: one batch for sendmmsg, local or remote.
 */
void
selfcheck_probe_batch(struct mmsghdr *mm, struct sockaddr_storage *dst,
    struct iovec *iov, const struct selfcheck_ip *ip, const uint16_t *ports, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		memset(&mm[i], 0, sizeof(mm[i]));
		mm[i].msg_hdr.msg_iov = iov;
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = &dst[i];
		mm[i].msg_hdr.msg_namelen = selfcheck_probe_sockaddr(ip,
		    ports[i], &dst[i]);
	}
}

/* The sockaddr of IP with PORT (and the scope of a link-local address). */
socklen_t
selfcheck_probe_sockaddr(const struct selfcheck_ip *ip, int port,
    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ip->ip_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		memcpy(&sin->sin_addr, ip->ip_addr, 4);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		memcpy(&sin6->sin6_addr, ip->ip_addr, 16);
		if (selfcheck_ip_linklocal(ip))
			sin6->sin6_scope_id = ip->ip_ifindex;
		return sizeof(*sin6);
	}
}

/* The TCP checksum of a 20-byte header from SRC to DST (IPv4). */
static uint16_t
selfcheck_probe_cksum4(const uint8_t *src, const uint8_t *dst,
    const uint8_t *th)
{
	uint32_t sum = 0;
	int i;

	for (i = 0; i < 4; i += 2)
		sum += (uint32_t)(src[i] << 8 | src[i + 1]) +
		    (uint32_t)(dst[i] << 8 | dst[i + 1]);
	sum += IPPROTO_TCP + 20;
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(th[i] << 8 | th[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Build the SYN to PORT into TH (20 bytes). */
static void
selfcheck_probe_syn(const struct selfcheck_sweep *sw, int port, uint8_t *th)
{
	uint32_t seq = htonl(selfcheck_probe_seq(sw, port));
	uint16_t v;

	memset(th, 0, 20);
	v = htons(sw->sw_sport);
	memcpy(th, &v, 2);
	v = htons((uint16_t)port);
	memcpy(th + 2, &v, 2);
	memcpy(th + 4, &seq, 4);
	th[12] = 5 << 4;		/* data offset: 5 words */
	th[13] = SELFCHECK_TH_SYN;
	th[14] = 0xff;			/* window 65535 */
	th[15] = 0xff;
	/* IPv6: the kernel fills the checksum (IPV6_CHECKSUM). */
	if (sw->sw_pr->pr_ip.ip_family == AF_INET) {
		v = htons(selfcheck_probe_cksum4(sw->sw_src.ip_addr,
		    sw->sw_pr->pr_ip.ip_addr, th));
		memcpy(th + 16, &v, 2);
	}
}

/* Take one received segment (TH, LEN bytes of TCP header onward). */
static void
selfcheck_probe_answer(struct selfcheck_sweep *sw, const uint8_t *th,
    size_t len)
{
	uint32_t ack;
	int port, flags;
	uint8_t *st;

	if (len < 20 || (th[2] << 8 | th[3]) != sw->sw_sport)
		return;
	port = th[0] << 8 | th[1];
	flags = th[13];
	memcpy(&ack, th + 8, 4);
	if (port < sw->sw_lo || port > sw->sw_hi ||
	    ntohl(ack) != selfcheck_probe_seq(sw, port) + 1)
		return;
	st = &sw->sw_pr->pr_state[port];
	if (*st != SCP_SILENT)
		return;
	if ((flags & (SELFCHECK_TH_SYN | SELFCHECK_TH_ACK)) ==
	    (SELFCHECK_TH_SYN | SELFCHECK_TH_ACK))
		*st = SCP_OPEN;
	else if (flags & SELFCHECK_TH_RST)
		*st = SCP_CLOSED;
	else
		return;
	sw->sw_pending--;
}

/*
 * Point the N headers MM at N receive buffers of BLEN bytes from BUFS,
 * N names of NLEN bytes from NAMES and, if CTL, N control buffers of CLEN.
 */
void
selfcheck_probe_mmsg(struct mmsghdr *mm, struct iovec *iov, int n,
    void *bufs, size_t blen, void *names, size_t nlen, void *ctl, size_t clen)
{
	int i;

	for (i = 0; i < n; i++) {
		iov[i].iov_base = (char *)bufs + (size_t)i * blen;
		iov[i].iov_len = blen;
		memset(&mm[i], 0, sizeof(mm[i]));
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = (char *)names + (size_t)i * nlen;
		mm[i].msg_hdr.msg_namelen = (socklen_t)nlen;
		if (ctl != NULL) {
			mm[i].msg_hdr.msg_control = (char *)ctl + (size_t)i * clen;
			mm[i].msg_hdr.msg_controllen = clen;
		}
	}
}

/* Read every queued answer without blocking (or up to MS milliseconds). */
static void
selfcheck_probe_drain(struct selfcheck_sweep *sw, int ms)
{
	static __thread uint8_t bufs[64][128];
	struct sockaddr_in6 from[64];
	struct mmsghdr mm[64];
	struct iovec iov[64];
	int i, n, flags = ms > 0 ? 0 : MSG_DONTWAIT;

	selfcheck_probe_mmsg(mm, iov, 64, bufs, sizeof(bufs[0]), from,
	    sizeof(from[0]), NULL, 0);
	if (ms > 0) {
		struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

		setsockopt(sw->sw_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	while (sw->sw_pending > 0 &&
	    (n = recvmmsg(sw->sw_fd, mm, 64, flags | MSG_WAITFORONE,
	    NULL)) > 0) {
		for (i = 0; i < 64; i++)
			mm[i].msg_hdr.msg_namelen = sizeof(from[i]);
		for (i = 0; i < n; i++) {
			uint8_t *b = bufs[i];
			size_t len = mm[i].msg_len, hl = 0;

			/* IPv4 raw sockets see the IP header, IPv6 ones not. */
			if (sw->sw_pr->pr_ip.ip_family == AF_INET) {
				hl = (size_t)(b[0] & 0x0f) * 4;
				if (len < hl || memcmp(b + 12,
				    sw->sw_pr->pr_ip.ip_addr, 4) != 0)
					continue;
			} else if (memcmp(&from[i].sin6_addr,
			    sw->sw_pr->pr_ip.ip_addr, 16) != 0)
				continue;
			selfcheck_probe_answer(sw, b + hl, len - hl);
		}
	}
}

/* Send SYNs to every port of the range still SCP_SILENT, in batches. */
static void
selfcheck_probe_round(struct selfcheck_sweep *sw)
{
	static __thread uint8_t pkts[SELFCHECK_BATCH][20];
	struct mmsghdr mm[SELFCHECK_BATCH];
	struct iovec iov[SELFCHECK_BATCH];
	int port = sw->sw_lo, n, i, sent;

	while (port <= sw->sw_hi) {
		for (n = 0; n < SELFCHECK_BATCH && port <= sw->sw_hi; port++) {
			if (sw->sw_pr->pr_state[port] != SCP_SILENT)
				continue;
			selfcheck_probe_syn(sw, port, pkts[n]);
			iov[n].iov_base = pkts[n];
			iov[n].iov_len = 20;
			memset(&mm[n], 0, sizeof(mm[n]));
			mm[n].msg_hdr.msg_iov = &iov[n];
			mm[n].msg_hdr.msg_iovlen = 1;
			mm[n].msg_hdr.msg_name = &sw->sw_dst;
			mm[n].msg_hdr.msg_namelen = sw->sw_dstlen;
			n++;
		}
		for (i = 0; i < n; i += sent) {
			sent = sendmmsg(sw->sw_fd, mm + i, (unsigned)(n - i), 0);
			if (sent <= 0) {
				if (sent == -1 && errno != ENOBUFS &&
				    errno != EAGAIN && errno != EINTR)
					return;
				selfcheck_probe_drain(sw, 1);
				sent = 0;
			}
		}
		selfcheck_probe_drain(sw, 0);
	}
}

/* Accept only segments to our source port, before they are queued. */
static void
selfcheck_probe_filter(struct selfcheck_sweep *sw)
{
	struct sock_filter v4[] = {
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, sw->sw_sport, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter v6[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, sw->sw_sport, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog;

	if (sw->sw_pr->pr_ip.ip_family == AF_INET) {
		prog.len = sizeof(v4) / sizeof(v4[0]);
		prog.filter = v4;
	} else {
		prog.len = sizeof(v6) / sizeof(v6[0]);
		prog.filter = v6;
	}
	/* Without the filter the sweep is slower, not wrong. */
	(void)setsockopt(sw->sw_fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog));
}

/*
 * Our address towards DST into SRC: DST itself when it is local (the
 * kernel lets a socket bind it), else the source address the kernel's
 * route to DST would use (a remote audit).  -1 (errno) when neither.
 */
int
selfcheck_probe_source(const struct selfcheck_ip *dst, struct selfcheck_ip *src)
{
	struct sockaddr_storage ss;
	socklen_t len = selfcheck_probe_sockaddr(dst, 0, &ss);
	int fd, rc = -1;

	if ((fd = socket(dst->ip_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	*src = *dst;
	if (bind(fd, (struct sockaddr *)&ss, len) == 0)
		rc = 0;
	else if (errno == EADDRNOTAVAIL &&
	    (len = selfcheck_probe_sockaddr(dst, 9, &ss)) > 0 &&
	    connect(fd, (struct sockaddr *)&ss, len) == 0 &&
	    getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET)
			memcpy(src->ip_addr,
			    &((struct sockaddr_in *)&ss)->sin_addr, 4);
		else
			memcpy(src->ip_addr,
			    &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
		rc = 0;
	}
	close(fd);
	return rc;
}

/* Hold a source port on the address with a bound, non-listening socket. */
static int
selfcheck_probe_reserve(struct selfcheck_sweep *sw)
{
	struct sockaddr_storage ss;
	socklen_t len;

	len = selfcheck_probe_sockaddr(&sw->sw_src, 0, &ss);
	sw->sw_resv = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sw->sw_resv == -1 || bind(sw->sw_resv, (struct sockaddr *)&ss,
	    len) == -1 || getsockname(sw->sw_resv, (struct sockaddr *)&ss,
	    &len) == -1)
		return -1;
	sw->sw_sport = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

/* Open the raw socket for SW, bound to the audited address. */
static int
selfcheck_probe_open_raw(struct selfcheck_sweep *sw)
{
	const struct selfcheck_ip *ip = &sw->sw_pr->pr_ip;
	struct sockaddr_storage src;
	socklen_t len;
	int sz = SELFCHECK_RCVBUF, off = 16;

	sw->sw_fd = socket(ip->ip_family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);
	if (sw->sw_fd == -1)
		return -1;
	if (ip->ip_family == AF_INET6 && setsockopt(sw->sw_fd, IPPROTO_IPV6,
	    IPV6_CHECKSUM, &off, sizeof(off)) == -1)
		return -1;
	if (setsockopt(sw->sw_fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz,
	    sizeof(sz)) == -1)
		(void)setsockopt(sw->sw_fd, SOL_SOCKET, SO_RCVBUF, &sz,
		    sizeof(sz));
	len = selfcheck_probe_sockaddr(&sw->sw_src, 0, &src);
	if (bind(sw->sw_fd, (struct sockaddr *)&src, len) == -1)
		return -1;
	/* Raw IPv6 sockets take 0 or their protocol as the "port". */
	sw->sw_dstlen = selfcheck_probe_sockaddr(ip, 0, &sw->sw_dst);
	selfcheck_probe_filter(sw);
	return 0;
}

/*
 * Whether a NAT rule of the ruleset maps TCP PORT of SW's address: a SYN
 * there would reach whatever the rule names (a superd listener, another
 * namespace), not the address, so the ruleset decides the port
 * (selfcheck_fw_apply: forwarded) and the probe leaves it alone.  Locally
 * sent packets meet the output hook's NAT only, but prerouting is avoided
 * as well: it costs the probe nothing the ruleset does not say.
 */
static int
selfcheck_probe_mapped(const struct selfcheck_sweep *sw, int port)
{
	return (sw->sw_plan[port] & (SCPL_OUTNAT | SCPL_PRENAT)) != 0;
}

/* Sweep one address with half-open SYNs. */
static int
selfcheck_probe_sweep_raw(struct selfcheck_sweep *sw)
{
	int round, port;

	if (selfcheck_probe_source(&sw->sw_pr->pr_ip, &sw->sw_src) == -1 ||
	    selfcheck_probe_reserve(sw) == -1 ||
	    selfcheck_probe_open_raw(sw) == -1)
		return -1;
	sw->sw_seq0 = (uint32_t)random() ^ (uint32_t)selfcheck_probe_ms();
	sw->sw_pending = 0;
	for (port = sw->sw_lo; port <= sw->sw_hi; port++) {
		if (port == sw->sw_sport)
			sw->sw_pr->pr_state[port] = SCP_CLOSED;
		else if (selfcheck_probe_mapped(sw, port))
			sw->sw_pr->pr_state[port] = SCP_SKIPPED;
		else {
			sw->sw_pr->pr_state[port] = SCP_SILENT;
			sw->sw_pending++;
		}
	}
	for (round = 0; round < SELFCHECK_ROUNDS && sw->sw_pending > 0;
	     round++) {
		selfcheck_probe_round(sw);
		if (sw->sw_pending > 0)
			selfcheck_probe_drain(sw, SELFCHECK_WAIT_MS);
	}
	return 0;
}

/* Finish the connect to PORT on FD: open, closed or a self-connect. */
static void
selfcheck_probe_connected(struct selfcheck_sweep *sw, int fd, int port)
{
	struct sockaddr_storage me;
	socklen_t len = sizeof(me);
	int err = 0;
	socklen_t elen = sizeof(err);

	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
	if (err == 0) {
		/* Loopback self-connect: our source port was the target. */
		if (getsockname(fd, (struct sockaddr *)&me, &len) == 0 &&
		    ntohs(((struct sockaddr_in *)&me)->sin_port) == port)
			sw->sw_pr->pr_state[port] = SCP_CLOSED;
		else
			sw->sw_pr->pr_state[port] = SCP_OPEN;
	} else
		sw->sw_pr->pr_state[port] = err == ECONNREFUSED ? SCP_CLOSED :
		    SCP_SILENT;
	sw->sw_pending--;
	sw->sw_fds[port] = -1;
	close(fd);
}

/* Start a non-blocking connect to PORT; -1 if no socket could be made. */
static int
selfcheck_probe_connect(struct selfcheck_sweep *sw, int port)
{
	struct linger lg = { 1, 0 };	/* close sends RST, no TIME_WAIT */
	struct sockaddr_storage ss;
	struct epoll_event ev;
	socklen_t len;
	int fd;

	len = selfcheck_probe_sockaddr(&sw->sw_pr->pr_ip, port, &ss);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	sw->sw_pending++;
	if (connect(fd, (struct sockaddr *)&ss, len) == 0 ||
	    errno != EINPROGRESS) {
		selfcheck_probe_connected(sw, fd, port);
		return 0;
	}
	sw->sw_fds[port] = fd;
	ev.events = EPOLLOUT;
	ev.data.u64 = (uint64_t)fd << 32 | (uint64_t)port;
	if (epoll_ctl(sw->sw_fd, EPOLL_CTL_ADD, fd, &ev) == -1) {
		sw->sw_pending--;
		close(fd);
		return -1;
	}
	return 0;
}

/* Sweep one address with connect(), never touching a listed listener. */
static int
selfcheck_probe_sweep_connect(struct selfcheck_sweep *sw)
{
	struct epoll_event evs[64];
	int port = sw->sw_lo, n, i;

	if ((sw->sw_fds = malloc(65536 * sizeof(int))) == NULL ||
	    (sw->sw_fd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return -1;
	memset(sw->sw_fds, 0xff, 65536 * sizeof(int));
	sw->sw_pending = 0;
	while (port <= sw->sw_hi || sw->sw_pending > 0) {
		for (; port <= sw->sw_hi &&
		    sw->sw_pending < SELFCHECK_CONNECTS; port++) {
			if ((sw->sw_plan[port] & SCPL_BOUND) ||
			    selfcheck_probe_mapped(sw, port))
				sw->sw_pr->pr_state[port] = SCP_SKIPPED;
			else if (selfcheck_probe_connect(sw, port) == -1)
				break;
		}
		n = epoll_wait(sw->sw_fd, evs, 64, SELFCHECK_WAIT_MS * 4);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* the rest stay SCP_UNPROBED: no answer */
		for (i = 0; i < n; i++)
			selfcheck_probe_connected(sw, (int)(evs[i].data.u64 >> 32),
			    (int)(evs[i].data.u64 & 0xffff));
	}
	/* Connects still in flight at the deadline got no answer. */
	for (port = sw->sw_lo; port <= sw->sw_hi; port++)
		if (sw->sw_fds[port] != -1) {
			close(sw->sw_fds[port]);
			sw->sw_pr->pr_state[port] = SCP_SILENT;
		}
	return 0;
}

/* Sweep the TCP ports of address I of the pool ARG. */
static void
selfcheck_probe_one(void *arg, size_t i)
{
	struct selfcheck_pool *pl = arg;
	struct selfcheck_sweep sw;

	memset(&sw, 0, sizeof(sw));
	sw.sw_pr = &pl->pl_pb->pb_v[i];
	sw.sw_fd = sw.sw_resv = -1;
	sw.sw_lo = pl->pl_pb->pb_lo;
	sw.sw_hi = pl->pl_pb->pb_hi;
	sw.sw_plan = selfcheck_plan_make(IPPROTO_TCP, &sw.sw_pr->pr_ip,
	    pl->pl_socks, NULL, 0, pl->pl_fw);
	if (sw.sw_plan == NULL || (pl->pl_raw ?
	    selfcheck_probe_sweep_raw(&sw) :
	    selfcheck_probe_sweep_connect(&sw)) == -1) {
		sw.sw_pr->pr_tcp_errno = errno ? errno : EIO;
		log_warn("selfcheck: probe of an address failed");
	}
	if (sw.sw_fd != -1)
		close(sw.sw_fd);
	if (sw.sw_resv != -1)
		close(sw.sw_resv);
	free(sw.sw_fds);
	free(sw.sw_plan);
}

/* Thread body: take indices until none is left. */
static void *
selfcheck_probe_worker(void *arg)
{
	struct selfcheck_each *ea = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&ea->ea_lock);
		i = ea->ea_next++;
		pthread_mutex_unlock(&ea->ea_lock);
		if (i >= ea->ea_n)
			return NULL;
		ea->ea_fn(ea->ea_arg, i);
	}
}

/* Run FN(ARG, i) for every i below N, on up to one thread per core. */
void
selfcheck_probe_each(size_t n, void (*fn)(void *, size_t), void *arg)
{
	struct selfcheck_each ea = { fn, arg, n, 0, PTHREAD_MUTEX_INITIALIZER };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t th[16];
	size_t i, nth;

	nth = ncpu < 1 ? 1 : (size_t)ncpu;
	nth = nth > n ? n : nth;
	nth = nth > 16 ? 16 : nth;
	for (i = 0; i < nth; i++)
		if (pthread_create(&th[i], NULL, selfcheck_probe_worker,
		    &ea) != 0)
			break;
	if (i == 0)
		selfcheck_probe_worker(&ea);
	nth = i;
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&ea.ea_lock);
}

/* Whether this process may open a raw TCP socket. */
static int
selfcheck_probe_can_raw(void)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);

	if (fd == -1)
		return 0;
	close(fd);
	return getenv("SUPERD_SELFCHECK_NORAW") == NULL;
}

/*
 * Make PB ready for the N addresses IPS and the ports of OP (--ports):
 * one answer array per address, nothing probed yet.  -1 out of memory.
 */
int
selfcheck_probe_prepare(struct selfcheck_probe *pb,
    const struct selfcheck_ip *ips, size_t n, const struct selfcheck_opts *op)
{
	size_t i;

	memset(pb, 0, sizeof(*pb));
	pb->pb_lo = op->so_lo;
	pb->pb_hi = op->so_hi;
	pb->pb_mode = pb->pb_udp_mode = "none";
	if ((pb->pb_v = calloc(n ? n : 1, sizeof(*pb->pb_v))) == NULL)
		return -1;
	for (i = 0; i < n; i++, pb->pb_n++) {
		pb->pb_v[i].pr_ip = ips[i];
		if ((pb->pb_v[i].pr_state = calloc(65536, 1)) == NULL)
			return -1;
	}
	return 0;
}

/*
 * The TCP sweep of every address of PB (made by selfcheck_probe_prepare)
 * if OP audits TCP: half-open SYNs when allowed, else connects to
 * unlisted ports only (SOCKS says which are listed); never a port a NAT
 * rule of FW (may be NULL) maps.
 */
void
selfcheck_probe_tcp(struct selfcheck_probe *pb,
    const struct selfcheck_opts *op, const struct selfcheck_socks *socks,
    const struct selfcheck_fw *fw)
{
	struct selfcheck_pool pl;

	if (!op->so_tcp)
		return;
	memset(&pl, 0, sizeof(pl));
	pl.pl_pb = pb;
	pl.pl_socks = socks;
	pl.pl_fw = fw;
	pl.pl_raw = selfcheck_probe_can_raw();
	pb->pb_mode = pl.pl_raw ? "syn" : "connect";
	selfcheck_probe_each(pb->pb_n, selfcheck_probe_one, &pl);
}

/*
 * Probe the ports of OP (--ports) of the N addresses IPS into PB: TCP with
 * half-open SYNs when allowed, else with connects to unlisted ports only;
 * never a port a NAT rule of FW (may be NULL) maps.  OP says which
 * protocols; the caller then runs the UDP probe (selfcheck_udp.c) into
 * the same PB.
 */
int
selfcheck_probe_run(struct selfcheck_probe *pb, const struct selfcheck_ip *ips,
    size_t n, const struct selfcheck_opts *op,
    const struct selfcheck_socks *socks, const struct selfcheck_fw *fw)
{
	if (selfcheck_probe_prepare(pb, ips, n, op) == -1)
		return -1;
	selfcheck_probe_tcp(pb, op, socks, fw);
	return 0;
}

/* Release what selfcheck_probe_run allocated. */
void
selfcheck_probe_free(struct selfcheck_probe *pb)
{
	size_t i;

	for (i = 0; i < pb->pb_n; i++) {
		free(pb->pb_v[i].pr_state);
		free(pb->pb_v[i].pr_udp);
	}
	free(pb->pb_v);
	memset(pb, 0, sizeof(*pb));
}

/* The probe's answer for PROTO IP:PORT, SCP_UNPROBED if not probed. */
int
selfcheck_probe_state(const struct selfcheck_probe *pb, int proto,
    const struct selfcheck_ip *ip, int port)
{
	size_t i;

	/* UDP-lite, SCTP, DCCP: the table only. */
	if (pb == NULL || port < 0 || port > 65535 ||
	    (proto != IPPROTO_TCP && proto != IPPROTO_UDP))
		return SCP_UNPROBED;
	for (i = 0; i < pb->pb_n; i++)
		if (selfcheck_ip_eq(&pb->pb_v[i].pr_ip, ip)) {
			if (proto == IPPROTO_UDP)
				return pb->pb_v[i].pr_udp != NULL ?
				    pb->pb_v[i].pr_udp[port] : SCP_UNPROBED;
			return pb->pb_v[i].pr_state[port];
		}
	return SCP_UNPROBED;
}
