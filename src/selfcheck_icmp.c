/* SPDX-License-Identifier: ISC */
/*
 * The ICMP errors the probes read.  A UDP socket's error queue: a
 * port-unreachable (SCP_CLOSED) for the local and the remote probe.
 * ICMP "administratively prohibited" in the remote audit (--remote): a
 * firewall on the target (nft `reject with icmp type admin-prohibited`,
 * iptables `REJECT --reject-with icmp-admin-prohibited`) answers a probe
 * of a port it rejects with ICMP destination unreachable, code 13
 * (communication administratively prohibited), 10 (host prohibited) or 9
 * (network prohibited); ICMPv6 type 1 code 1 (administratively
 * prohibited), 5 (source address failed policy) or 6 (reject route).
 * Such a port is filtered (nmap: "filtered", admin-prohibited): nobody
 * reaches it from where the probe came from.  Its state is
 * SCP_PROHIBITED, for TCP and UDP.
 *
 * The UDP probe reads the error from its socket's error queue
 * (selfcheck_icmp_errqueue).  The TCP probe sends from a raw socket,
 * whose errors reach no socket: a raw ICMP socket per address family,
 * opened before the SYN sweep and read after it, sees them
 * (selfcheck_icmp_open, selfcheck_icmp_tcp).
 */
#include <sys/socket.h>
#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "selfcheck.h"

#define SELFCHECK_ICMP_RCVBUF (8 << 20) /* room for a sweep's errors */

/* Whether ICMP (FAMILY) type TYPE code CODE says a firewall rejected. */
int
selfcheck_icmp_prohibited(int family, int type, int code)
{
	if (family == AF_INET)
		return type == ICMP_DEST_UNREACH && (code == ICMP_NET_ANO ||
		    code == ICMP_HOST_ANO || code == ICMP_PKT_FILTERED);
	return type == ICMP6_DST_UNREACH && (code == ICMP6_DST_UNREACH_ADMIN ||
	    code == 5 || code == 6);	/* policy failed, reject route */
}

/*
 * What the message MH of a UDP socket's error queue says: SCP_CLOSED for
 * a port-unreachable, SCP_PROHIBITED for a firewall's rejection, 0 for
 * anything else.
 */
int
selfcheck_icmp_errqueue(struct msghdr *mh)
{
	struct sock_extended_err ee;
	struct cmsghdr *cm;
	int st = 0;

	for (cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm)) {
		if (!((cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_RECVERR) ||
		    (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_RECVERR)))
			continue;
		memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
		if (ee.ee_origin != SO_EE_ORIGIN_ICMP &&
		    ee.ee_origin != SO_EE_ORIGIN_ICMP6)
			continue;
		if (ee.ee_errno == ECONNREFUSED)
			st = SCP_CLOSED;
		else if (selfcheck_icmp_prohibited(ee.ee_origin ==
		    SO_EE_ORIGIN_ICMP ? AF_INET : AF_INET6, ee.ee_type,
		    ee.ee_code))
			st = SCP_PROHIBITED;
	}
	return st;
}

/*
 * Whether the ICMP error B (LEN bytes as a raw ICMP socket of FAMILY
 * reads it: IPv4 with its IP header, ICMPv6 without) is a firewall's
 * rejection of a PROTO packet to DST; its destination port into *PORT.
 * Pure, for the unit tests.
 */
int
selfcheck_icmp_quoted(const uint8_t *b, size_t len, int family, int proto,
    const struct selfcheck_ip *dst, int *port)
{
	size_t hl, ihl;

	if (dst->ip_family != family)
		return 0;
	if (family == AF_INET) {
		/* IP, ICMP 3/x, the packet's IP header, its first 8 bytes. */
		if (len < 20 || (hl = (size_t)(b[0] & 0x0f) * 4) < 20 ||
		    hl + 8 + 20 > len ||
		    !selfcheck_icmp_prohibited(AF_INET, b[hl], b[hl + 1]))
			return 0;
		b += hl + 8;
		len -= hl + 8;
		ihl = (size_t)(b[0] & 0x0f) * 4;
		if (ihl < 20 || len < ihl + 4 || b[9] != proto ||
		    memcmp(b + 16, dst->ip_addr, 4) != 0)
			return 0;
	} else {
		/* ICMPv6 1/x, the packet's IPv6 header, its first bytes. */
		if (len < 8 + 40 + 4 ||
		    !selfcheck_icmp_prohibited(AF_INET6, b[0], b[1]) ||
		    b[8 + 6] != proto || memcmp(b + 8 + 24, dst->ip_addr,
		    16) != 0)
			return 0;
		b += 8;
		ihl = 40;
	}
	*port = b[ihl + 2] << 8 | b[ihl + 3];
	return 1;
}

/*
 * A raw ICMP socket of FAMILY that lets only destination-unreachable
 * errors through, with room for a sweep's; -1 when it cannot be had.
 */
int
selfcheck_icmp_open(int family)
{
	struct icmp6_filter f6;
	uint32_t f4 = ~(1U << ICMP_DEST_UNREACH);
	int fd, sz = SELFCHECK_ICMP_RCVBUF;

	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (fd == -1)
		return -1;
	ICMP6_FILTER_SETBLOCKALL(&f6);
	ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f6);
	if ((family == AF_INET ?
	    setsockopt(fd, SOL_RAW, ICMP_FILTER, &f4, sizeof(f4)) :
	    setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f6,
	    sizeof(f6))) == -1) {
		close(fd);
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return fd;
}

/*
 * Read the errors queued on FD (a raw ICMP socket of FAMILY): every TCP
 * port of PB's addresses that a firewall rejected and the sweep left
 * silent (or filtered) becomes SCP_PROHIBITED.
 */
void
selfcheck_icmp_tcp(int fd, int family, struct selfcheck_probe *pb)
{
	struct sockaddr_storage from[64];
	struct mmsghdr mm[64];
	struct iovec iov[64];
	uint8_t b[64][256], *st;
	size_t k;
	int i, n, port;

	for (;;) {
		selfcheck_probe_mmsg(mm, iov, 64, b, sizeof(b[0]), from,
		    sizeof(from[0]), NULL, 0);
		if ((n = recvmmsg(fd, mm, 64, MSG_DONTWAIT, NULL)) <= 0)
			return;
		for (i = 0; i < n; i++)
			for (k = 0; k < pb->pb_n; k++) {
				if (!selfcheck_icmp_quoted(b[i], mm[i].msg_len,
				    family, IPPROTO_TCP, &pb->pb_v[k].pr_ip,
				    &port) || port < pb->pb_lo ||
				    port > pb->pb_hi)
					continue;
				st = &pb->pb_v[k].pr_state[port];
				if (*st == SCP_SILENT || *st == SCP_FILTERED)
					*st = SCP_PROHIBITED;
			}
	}
}
