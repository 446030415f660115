/* SPDX-License-Identifier: ISC */
/*
 * The UDP probe of a remote audit (--remote): which UDP ports of another
 * host refuse, with the local probe's evidence (an empty datagram; ICMP
 * port-unreachable read back from the error queue as ECONNREFUSED,
 * selfcheck_icmp_errqueue) but none of its certainty: the target's kernel
 * limits its ICMP errors (Linux: net.ipv4.icmp_msgs_per_sec for all, and
 * net.ipv4.icmp_ratelimit per destination, about one a second) and its
 * counters cannot be read from here, so a silent port may be open, dropped
 * by a firewall, or refused with an error the limit ate.
 *
 * So silence counts only beside an answer.  First every port gets one
 * datagram, unpaced: what refuses is closed.  Then each silent port P is
 * sent again immediately followed by a canary, a port that refused before
 * (a different one for each pair of a batch): when the canary's refusal
 * comes back and P's does not, the limit did not eat P's (it had a token
 * an instant later), and that is one piece of evidence; two make P
 * open|filtered.  When the canary is silent too, the limit is at work: the
 * batch shrinks and the probe waits, paced to what the target lets
 * through, within --udp-deadline.  What is still undecided then stays
 * SCP_UNKNOWN and the report counts it per address (rate limit, deadline
 * reached).  An address that refused nothing has no canary: its silent
 * ports stay unknown, the address filtered.
 *
 * A port the target's firewall rejects (ICMP administratively
 * prohibited, selfcheck_icmp.c) is SCP_PROHIBITED: filtered,
 * reachable by nobody from here.
 *
 * Declared UDP endpoints are never sent a datagram (SCP_SKIPPED): one
 * could start a wait service on the target as well.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "selfcheck.h"

#define SELFCHECK_RUDP_BATCH 128     /* pairs per batch at most */
#define SELFCHECK_RUDP_GRACE_MIN 100 /* ms to wait for answers, at least */
#define SELFCHECK_RUDP_GRACE_MAX 1000 /* and at most */
#define SELFCHECK_RUDP_EVIDENCE 2    /* silent beside an answer: decided */
#define SELFCHECK_RUDP_TRIES 8	     /* pairs per port before giving up */
#define SELFCHECK_RUDP_WAIT_MS 250   /* pause when the target limits */
#define SELFCHECK_RUDP_FILTERED 64   /* silent ports that mean a filter */
#define SELFCHECK_RUDP_FAILED 0xff   /* ru_tries of a port whose send failed */

/* One remote address being swept. */
struct selfcheck_rudp {
	struct selfcheck_probed *ru_pr;	/* where the answers go */
	int ru_fd;			/* our socket */
	uint16_t *ru_todo;		/* undecided ports */
	int ru_ntodo;			/* entries of ru_todo */
	uint16_t *ru_refused;		/* refusals seen per port */
	uint8_t *ru_tries;		/* pairs sent per port */
	uint8_t *ru_evid;		/* silences beside an answer */
	long long ru_first;		/* when the first datagram left, ms */
	int ru_rtt;			/* first answer's delay, ms; -1 none */
	int ru_deadline;		/* paced time allowed, ms */
};

/* Whether SS (a reply's source, an error's destination) is RU's target. */
static int
selfcheck_rudp_mine(const struct selfcheck_rudp *ru,
    const struct sockaddr_storage *ss, int *port)
{
	const struct selfcheck_ip *ip = &ru->ru_pr->pr_ip;

	if (ss->ss_family != ip->ip_family)
		return 0;
	*port = ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)ss)->sin_addr,
		    ip->ip_addr, 4) == 0;
	return memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr,
	    ip->ip_addr, 16) == 0;
}

/* Take the answers queued on RU's socket: refusals and replies. */
static void
selfcheck_rudp_drain(struct selfcheck_rudp *ru)
{
	struct sockaddr_storage from[64];
	char ctl[64][128];
	struct mmsghdr mm[64];
	struct iovec iov[64];
	uint8_t b[64][16], *st;
	int i, n, q, port, err;

	for (q = 0; q < 2; q++)
		for (;;) {
			selfcheck_probe_mmsg(mm, iov, 64, b, sizeof(b[0]), from,
			    sizeof(from[0]), ctl, sizeof(ctl[0]));
			n = recvmmsg(ru->ru_fd, mm, 64, MSG_DONTWAIT |
			    (q == 0 ? MSG_ERRQUEUE : 0), NULL);
			if (n <= 0)
				break;
			if (ru->ru_rtt < 0)
				ru->ru_rtt = (int)(selfcheck_probe_ms() -
				    ru->ru_first);
			for (i = 0; i < n; i++) {
				if (!selfcheck_rudp_mine(ru, &from[i], &port))
					continue;
				st = &ru->ru_pr->pr_udp[port];
				if (q == 1 && *st != SCP_SKIPPED)
					*st = SCP_OPEN;
				else if (q == 0 && (err = selfcheck_icmp_errqueue(
				    &mm[i].msg_hdr)) != 0) {
					/* A refusal, or a firewall's. */
					ru->ru_refused[port]++;
					if (*st == SCP_UNKNOWN ||
					    *st == SCP_OPENFILTERED)
						*st = (uint8_t)err;
				}
			}
		}
}

/* Send one empty datagram to each of the N ports PORTS, in order. */
static void
selfcheck_rudp_send(struct selfcheck_rudp *ru, const uint16_t *ports, int n)
{
	struct sockaddr_storage dst[2 * SELFCHECK_RUDP_BATCH];
	struct mmsghdr mm[2 * SELFCHECK_RUDP_BATCH];
	struct iovec iov = { NULL, 0 };
	int sent, done = 0;

	selfcheck_probe_batch(mm, dst, &iov, &ru->ru_pr->pr_ip, ports, n);
	if (ru->ru_first == 0)
		ru->ru_first = selfcheck_probe_ms();
	while (done < n) {
		sent = sendmmsg(ru->ru_fd, mm + done, (unsigned)(n - done), 0);
		if (sent > 0) {
			done += sent;
			continue;
		}
		/* A refusal of an earlier datagram can fail a send once. */
		if (sent == -1 && (errno == ECONNREFUSED || errno == ENOBUFS ||
		    errno == EAGAIN || errno == EINTR)) {
			if (errno != ECONNREFUSED)
				poll(NULL, 0, 1);
			selfcheck_rudp_drain(ru);
			continue;
		}
		/* This port only: it stays unknown, counted with its error. */
		if (ru->ru_tries[ports[done]] != SELFCHECK_RUDP_FAILED) {
			ru->ru_tries[ports[done]] = SELFCHECK_RUDP_FAILED;
			ru->ru_pr->pr_udp_errno = sent == -1 ? errno : EIO;
			ru->ru_pr->pr_udp_nerr++;
		}
		done++;
	}
}

/* How long answers to a batch may take: a few round trips, bounded. */
static int
selfcheck_rudp_grace(const struct selfcheck_rudp *ru)
{
	int g = ru->ru_rtt < 0 ? SELFCHECK_RUDP_GRACE_MAX : 3 * ru->ru_rtt;

	return g < SELFCHECK_RUDP_GRACE_MIN ? SELFCHECK_RUDP_GRACE_MIN :
	    g > SELFCHECK_RUDP_GRACE_MAX ? SELFCHECK_RUDP_GRACE_MAX : g;
}

/* Wait the grace of RU (or until DONE returns true), reading answers. */
static void
selfcheck_rudp_wait(struct selfcheck_rudp *ru,
    int (*done)(const struct selfcheck_rudp *, const void *), const void *arg)
{
	struct pollfd pfd = { ru->ru_fd, POLLIN | POLLERR, 0 };
	long long until = selfcheck_probe_ms() + selfcheck_rudp_grace(ru);

	for (;;) {
		selfcheck_rudp_drain(ru);
		if ((done != NULL && done(ru, arg)) ||
		    selfcheck_probe_ms() >= until)
			return;
		(void)poll(&pfd, 1, 5);
	}
}

/* The ports of RU still undecided, in ru_todo; 0 when none is left. */
static int
selfcheck_rudp_left(struct selfcheck_rudp *ru)
{
	int i, k = 0;

	for (i = 0; i < ru->ru_ntodo; i++) {
		uint16_t p = ru->ru_todo[i];

		if (ru->ru_pr->pr_udp[p] == SCP_UNKNOWN &&
		    ru->ru_tries[p] < SELFCHECK_RUDP_TRIES)
			ru->ru_todo[k++] = p;
	}
	return ru->ru_ntodo = k;
}

/* What a batch of pairs must remember to judge its answers. */
struct selfcheck_rudp_batch {
	uint16_t rb_pkt[2 * SELFCHECK_RUDP_BATCH]; /* P0 C0 P1 C1 ... */
	uint16_t rb_seen[SELFCHECK_RUDP_BATCH];	 /* refusals of Ci before */
	int rb_n;				 /* pairs */
};

/* Whether every canary of the batch ARG answered. */
static int
selfcheck_rudp_canaries(const struct selfcheck_rudp *ru, const void *arg)
{
	const struct selfcheck_rudp_batch *rb = arg;
	int i;

	for (i = 0; i < rb->rb_n; i++)
		if (ru->ru_refused[rb->rb_pkt[2 * i + 1]] == rb->rb_seen[i])
			return 0;
	return 1;
}

/*
 * One batch of up to MAX pairs (silent port, canary) from the CANARIES
 * (NCANARY, used round-robin from *NEXT).  Returns how many canaries were
 * silent: the target's limit ate answers.
 */
static int
selfcheck_rudp_pairs(struct selfcheck_rudp *ru, const uint16_t *canaries,
    int ncanary, int *next, int max)
{
	struct selfcheck_rudp_batch rb;
	uint8_t *st = ru->ru_pr->pr_udp;
	int i, limited = 0;

	rb.rb_n = ru->ru_ntodo < max ? ru->ru_ntodo : max;
	rb.rb_n = rb.rb_n < ncanary ? rb.rb_n : ncanary;
	for (i = 0; i < rb.rb_n; i++) {
		rb.rb_pkt[2 * i] = ru->ru_todo[i];
		rb.rb_pkt[2 * i + 1] = canaries[(*next)++ % ncanary];
		rb.rb_seen[i] = ru->ru_refused[rb.rb_pkt[2 * i + 1]];
		ru->ru_tries[ru->ru_todo[i]]++;
	}
	selfcheck_rudp_send(ru, rb.rb_pkt, 2 * rb.rb_n);
	selfcheck_rudp_wait(ru, selfcheck_rudp_canaries, &rb);
	for (i = 0; i < rb.rb_n; i++) {
		uint16_t p = rb.rb_pkt[2 * i];

		if (ru->ru_refused[rb.rb_pkt[2 * i + 1]] == rb.rb_seen[i])
			limited++;	/* the canary's answer was eaten */
		else if (st[p] == SCP_UNKNOWN &&
		    ru->ru_tries[p] != SELFCHECK_RUDP_FAILED &&
		    ++ru->ru_evid[p] >= SELFCHECK_RUDP_EVIDENCE)
			st[p] = SCP_OPENFILTERED;
	}
	/* The pairs sent go to the back of the list. */
	memmove(ru->ru_todo, ru->ru_todo + rb.rb_n, (size_t)(ru->ru_ntodo -
	    rb.rb_n) * sizeof(*ru->ru_todo));
	for (i = 0; i < rb.rb_n; i++)
		ru->ru_todo[ru->ru_ntodo - rb.rb_n + i] = rb.rb_pkt[2 * i];
	return limited;
}

/*
 * Decide the silent ports of RU with canaries, growing the batch while
 * the target answers and shrinking it (with a pause) when it limits;
 * paced time counts against the deadline.
 */
static void
selfcheck_rudp_confirm(struct selfcheck_rudp *ru)
{
	uint16_t *can;
	int port, ncan = 0, next = 0, batch = SELFCHECK_RUDP_BATCH;
	long long paced = -1;

	if ((can = malloc(65536 * sizeof(*can))) == NULL)
		return;
	/* A firewall's rejection is an answer the limit let through too. */
	for (port = 1; port <= 65535; port++)
		if (ru->ru_pr->pr_udp[port] == SCP_CLOSED ||
		    ru->ru_pr->pr_udp[port] == SCP_PROHIBITED)
			can[ncan++] = (uint16_t)port;
	while (ncan > 0 && selfcheck_rudp_left(ru) > 0) {
		if (paced >= 0 && selfcheck_probe_ms() - paced >= ru->ru_deadline)
			break;
		if (selfcheck_rudp_pairs(ru, can, ncan, &next, batch) == 0) {
			batch = batch * 2 > SELFCHECK_RUDP_BATCH ?
			    SELFCHECK_RUDP_BATCH : batch * 2;
			continue;
		}
		ru->ru_pr->pr_udp_paced = 1;
		if (paced < 0)
			paced = selfcheck_probe_ms();
		batch = batch / 2 > 0 ? batch / 2 : 1;
		(void)poll(NULL, 0, SELFCHECK_RUDP_WAIT_MS);
	}
	free(can);
}

/*
 * Mark an address as filtered when it refused nothing at all, or when
 * more of its ports stayed silent beside an answer than refused (a filter
 * that drops most of them): its silent ports are unknown then.  Ports the
 * limit left undecided are no evidence of a filter.
 */
static void
selfcheck_rudp_filtered(struct selfcheck_probe *pb, struct selfcheck_probed *pr)
{
	int port, silent = 0, closed = 0, unknown = 0;

	for (port = pb->pb_lo; port <= pb->pb_hi; port++) {
		closed += pr->pr_udp[port] == SCP_CLOSED ||
		    pr->pr_udp[port] == SCP_PROHIBITED;
		silent += pr->pr_udp[port] == SCP_OPENFILTERED;
		unknown += pr->pr_udp[port] == SCP_UNKNOWN;
	}
	if (!(closed == 0 && unknown > 0) &&
	    (silent <= SELFCHECK_RUDP_FILTERED || silent <= closed))
		return;
	pr->pr_udp_filtered = 1;
	for (port = pb->pb_lo; port <= pb->pb_hi; port++)
		if (pr->pr_udp[port] == SCP_OPENFILTERED)
			pr->pr_udp[port] = SCP_UNKNOWN;
}

/* Open RU's socket, from the route's address towards the target. */
static int
selfcheck_rudp_socket(struct selfcheck_rudp *ru)
{
	struct selfcheck_ip src;
	struct sockaddr_storage ss;
	socklen_t len;
	int on = 1, sz = 16 << 20;

	if (selfcheck_probe_source(&ru->ru_pr->pr_ip, &src) == -1)
		return -1;
	ru->ru_fd = socket(src.ip_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (ru->ru_fd == -1 || (src.ip_family == AF_INET ?
	    setsockopt(ru->ru_fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on)) :
	    setsockopt(ru->ru_fd, IPPROTO_IPV6, IPV6_RECVERR, &on,
	    sizeof(on))) == -1)
		return -1;
	/* Room for the refusals of a whole pass between two drains. */
	if (setsockopt(ru->ru_fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz,
	    sizeof(sz)) == -1)
		(void)setsockopt(ru->ru_fd, SOL_SOCKET, SO_RCVBUF, &sz,
		    sizeof(sz));
	len = selfcheck_probe_sockaddr(&src, 0, &ss);
	return bind(ru->ru_fd, (struct sockaddr *)&ss, len);
}

/* Sweep remote address I of the array ARG: one pass, then the pairs. */
static void
selfcheck_rudp_one(void *arg, size_t i)
{
	struct selfcheck_rudp *ru = &((struct selfcheck_rudp *)arg)[i];
	int k, n;

	if (selfcheck_rudp_socket(ru) == -1) {
		ru->ru_pr->pr_udp_errno = errno ? errno : EIO;
		return;
	}
	for (k = 0; k < ru->ru_ntodo; k += n) {
		n = ru->ru_ntodo - k < 2 * SELFCHECK_RUDP_BATCH ?
		    ru->ru_ntodo - k : 2 * SELFCHECK_RUDP_BATCH;
		selfcheck_rudp_send(ru, ru->ru_todo + k, n);
		selfcheck_rudp_drain(ru);
	}
	selfcheck_rudp_wait(ru, NULL, NULL);
	selfcheck_rudp_confirm(ru);
}

/* Set up RU for the probed address PR: its ports, declared ones skipped. */
static int
selfcheck_rudp_init(struct selfcheck_rudp *ru, struct selfcheck_probe *pb,
    struct selfcheck_probed *pr, const struct selfcheck_decl *decls,
    size_t ndecl)
{
	int port;

	memset(ru, 0, sizeof(*ru));
	ru->ru_pr = pr;
	ru->ru_fd = -1;
	ru->ru_rtt = -1;
	ru->ru_deadline = pb->pb_udp_deadline;
	if ((pr->pr_udp = calloc(65536, 1)) == NULL ||
	    (ru->ru_todo = malloc(65536 * sizeof(*ru->ru_todo))) == NULL ||
	    (ru->ru_refused = calloc(65536, sizeof(*ru->ru_refused))) == NULL ||
	    (ru->ru_tries = calloc(65536, 1)) == NULL ||
	    (ru->ru_evid = calloc(65536, 1)) == NULL)
		return -1;
	for (port = pb->pb_lo; port <= pb->pb_hi; port++)
		if (selfcheck_sock_declared(decls, ndecl, IPPROTO_UDP,
		    &pr->pr_ip, port))
			pr->pr_udp[port] = SCP_SKIPPED;
		else {
			pr->pr_udp[port] = SCP_UNKNOWN;
			ru->ru_todo[ru->ru_ntodo++] = (uint16_t)port;
		}
	return 0;
}

/*
 * Probe the UDP ports of PB's range on every (remote) address of PB, each
 * on a thread of its own, pacing to what the target answers within
 * DEADLINE ms of paced time; never a port DECLS (NDECL) declares.  -1
 * only when out of memory.
 */
int
selfcheck_remote_udp_run(struct selfcheck_probe *pb, int deadline,
    const struct selfcheck_decl *decls, size_t ndecl)
{
	long long start = selfcheck_probe_ms();
	struct selfcheck_rudp *rv;
	size_t i;
	int rc = 0, port;

	pb->pb_udp_mode = "icmp";
	pb->pb_udp_deadline = deadline;
	if ((rv = calloc(pb->pb_n + 1, sizeof(*rv))) == NULL)
		return -1;
	for (i = 0; rc == 0 && i < pb->pb_n; i++)
		rc = selfcheck_rudp_init(&rv[i], pb, &pb->pb_v[i], decls, ndecl);
	if (rc == 0)
		selfcheck_probe_each(pb->pb_n, selfcheck_rudp_one, rv);
	pb->pb_udp_complete = rc == 0;
	for (i = 0; i < pb->pb_n; i++) {
		if (rc == 0)
			selfcheck_rudp_filtered(pb, &pb->pb_v[i]);
		pb->pb_udp_paced |= pb->pb_v[i].pr_udp_paced;
		for (port = pb->pb_lo; pb->pb_v[i].pr_udp != NULL &&
		    port <= pb->pb_hi; port++)
			if (pb->pb_v[i].pr_udp[port] == SCP_UNKNOWN)
				pb->pb_udp_complete = 0;
		if (rv[i].ru_fd != -1)
			close(rv[i].ru_fd);
		free(rv[i].ru_todo);
		free(rv[i].ru_refused);
		free(rv[i].ru_tries);
		free(rv[i].ru_evid);
	}
	free(rv);
	pb->pb_udp_ms = (int)(selfcheck_probe_ms() - start);
	return rc;
}
