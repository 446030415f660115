/* SPDX-License-Identifier: ISC */
/*
 * Sockets that see traffic without a port: raw IP sockets (a port-knocking
 * backdoor reads every packet of its protocol; /proc/net/raw and raw6,
 * the protocol in the port column) and AF_PACKET sockets (a capture, or a
 * DHCP client; /proc/net/packet, with the ethertype).  They are added to
 * the kernel's table so that their owners are named like every other
 * socket's, and each becomes one finding: `raw-listener` (with its
 * protocol) or `packet-capture`, both WARNING.
 */
#include <sys/socket.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "selfcheck.h"

/* The protocol of finding F as shown: "mptcp" for an MPTCP listener. */
const char *
selfcheck_finding_proto(const struct selfcheck_finding *f)
{
	if (f->fd_proto == IPPROTO_TCP && f->fd_sock != NULL &&
	    f->fd_sock->sk_mptcp)
		return "mptcp";
	return selfcheck_proto_name(f->fd_proto);
}

/* Parse /proc/net/raw or raw6 (FAMILY) into SOCKS, as raw sockets. */
static int
selfcheck_raw_ip(const char *path, int family, struct selfcheck_socks *socks)
{
	size_t first = socks->ss_n, i;
	FILE *fp;
	int rc;

	if ((fp = fopen(path, "re")) == NULL)
		return errno == ENOENT ? 0 : -1;
	/* The same columns as udp: the protocol where the port is. */
	rc = selfcheck_kernel_parse_proc(fp, family, IPPROTO_UDP, socks);
	fclose(fp);
	for (i = first; i < socks->ss_n; i++)
		socks->ss_v[i].sk_proto = IPPROTO_RAW;
	return rc;
}

/* Parse /proc/net/packet into SOCKS, one entry per AF_PACKET socket. */
static int
selfcheck_raw_packet(struct selfcheck_socks *socks)
{
	struct selfcheck_sock *sk;
	char line[256];
	unsigned type, proto, iface, uid;
	unsigned long long inode;
	FILE *fp;

	if ((fp = fopen("/proc/net/packet", "re")) == NULL)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%*x %*d %u %x %u %*d %*u %u %llu", &type, &proto,
		    &iface, &uid, &inode) != 5)
			continue;	/* the header */
		if ((sk = selfcheck_socks_add(socks)) == NULL) {
			fclose(fp);
			return -1;
		}
		sk->sk_proto = SELFCHECK_PROTO_PACKET;
		sk->sk_ip.ip_family = AF_PACKET;
		sk->sk_port = (uint16_t)proto;
		sk->sk_ifindex = iface;
		sk->sk_uid = uid;
		sk->sk_inode = inode;
		sk->sk_v6only = type;	/* SOCK_RAW or SOCK_DGRAM */
	}
	fclose(fp);
	return 0;
}

/* Add the raw IP and AF_PACKET sockets to SOCKS; -1 if unreadable. */
int
selfcheck_raw_read(struct selfcheck_socks *socks)
{
	if (selfcheck_raw_ip("/proc/net/raw", AF_INET, socks) == -1 ||
	    selfcheck_raw_ip("/proc/net/raw6", AF_INET6, socks) == -1 ||
	    selfcheck_raw_packet(socks) == -1)
		return -1;
	return 0;
}

/* Whether SK is one of the sockets this file adds. */
int
selfcheck_raw_is(const struct selfcheck_sock *sk)
{
	return sk->sk_proto == IPPROTO_RAW ||
	    sk->sk_proto == SELFCHECK_PROTO_PACKET;
}

/* One finding per raw IP or AF_PACKET socket of SOCKS into RS. */
int
selfcheck_raw_findings(const struct selfcheck_socks *socks,
    struct selfcheck_result *rs)
{
	struct selfcheck_finding *f;
	size_t i;

	for (i = 0; i < socks->ss_n; i++) {
		const struct selfcheck_sock *sk = &socks->ss_v[i];

		if (!selfcheck_raw_is(sk))
			continue;
		f = selfcheck_finding_add(rs, sk->sk_proto == IPPROTO_RAW ?
		    SCK_RAW : SCK_PACKET, SELFCHECK_WARNING, sk->sk_proto,
		    &sk->sk_ip, sk->sk_port);
		if (f == NULL)
			return -1;
		f->fd_sock = sk;
		f->fd_nholders = 1;
		f->fd_evidence = SCE_TABLE;
	}
	return 0;
}
