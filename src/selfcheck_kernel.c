/* SPDX-License-Identifier: ISC */
/*
 * The kernel's listener table: every listening TCP socket and every bound,
 * unconnected UDP socket, IPv4 and IPv6.  netlink sock_diag first (it also
 * tells v6only and the bound device); /proc/net/{tcp,udp}[6] when the
 * kernel lacks inet_diag.  Both parsers are pure, for the unit tests.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "selfcheck.h"

#define SELFCHECK_NLBUF 65536 /* one recv of a dump */
#define SELFCHECK_TCP_LISTEN 10
#define SELFCHECK_TCP_CLOSE 7

/* Copy one inet_diag_msg and its attributes into SOCKS. */
static int
selfcheck_kernel_diag_msg(const struct nlmsghdr *nh, int proto,
    struct selfcheck_socks *socks)
{
	const struct inet_diag_msg *m = NLMSG_DATA(nh);
	const struct rtattr *rta;
	struct selfcheck_sock *sk;
	int len;

	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return -1;
	/* A UDP socket with a peer is a client, not an exposure. */
	if (proto == IPPROTO_UDP && m->id.idiag_dport != 0)
		return 0;
	if ((sk = selfcheck_socks_add(socks)) == NULL)
		return -1;
	sk->sk_proto = proto;
	sk->sk_ip.ip_family = m->idiag_family;
	memcpy(sk->sk_ip.ip_addr, m->id.idiag_src,
	    m->idiag_family == AF_INET ? 4 : 16);
	sk->sk_port = ntohs(m->id.idiag_sport);
	sk->sk_ifindex = m->id.idiag_if;
	/* A link-local bind's scope is its device. */
	if (selfcheck_ip_linklocal(&sk->sk_ip))
		sk->sk_ip.ip_ifindex = m->id.idiag_if;
	sk->sk_uid = m->idiag_uid;
	sk->sk_inode = m->idiag_inode;
	sk->sk_v6only = m->idiag_family == AF_INET6 ? -1 : 0;
	len = (int)(nh->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
	rta = (const struct rtattr *)(m + 1);
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == INET_DIAG_SKV6ONLY &&
		    RTA_PAYLOAD(rta) >= 1)
			sk->sk_v6only = *(const uint8_t *)RTA_DATA(rta) != 0;
	return 0;
}

/*
 * Parse one recv() worth of a SOCK_DIAG_BY_FAMILY dump for PROTO into
 * SOCKS.  Returns 1 at NLMSG_DONE, 0 when more is to come, -1 on error
 * (errno set from an NLMSG_ERROR).
 */
int
selfcheck_kernel_parse_diag(const void *buf, size_t n, int proto, int seq,
    struct selfcheck_socks *socks)
{
	const struct nlmsghdr *nh = buf;
	int len = (int)n;

	for (; len > 0 && NLMSG_OK(nh, (unsigned)len); nh = NLMSG_NEXT(nh, len)) {
		if (seq != 0 && nh->nlmsg_seq != (uint32_t)seq)
			continue;
		if (nh->nlmsg_type == NLMSG_DONE)
			return 1;
		if (nh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);

			errno = nh->nlmsg_len >= NLMSG_LENGTH(sizeof(e->error)) &&
			    e->error < 0 && e->error > -4096 ? -e->error : EPROTO;
			return -1;
		}
		if (nh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
			continue;
		if (selfcheck_kernel_diag_msg(nh, proto, socks) == -1)
			return -1;
	}
	return 0;
}

/* Dump one (family, protocol) table over the netlink socket FD. */
static int
selfcheck_kernel_dump(int fd, int family, int proto, int seq,
    struct selfcheck_socks *socks)
{
	struct {
		struct nlmsghdr nh;
		struct inet_diag_req_v2 r;
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char *buf;
	ssize_t n;
	int rc = 0;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = (uint32_t)seq;
	req.r.sdiag_family = (uint8_t)family;
	req.r.sdiag_protocol = (uint8_t)proto;
	req.r.idiag_states = proto == IPPROTO_TCP ?
	    1U << SELFCHECK_TCP_LISTEN : 1U << SELFCHECK_TCP_CLOSE;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == -1)
		return -1;
	if ((buf = malloc(SELFCHECK_NLBUF)) == NULL)
		return -1;
	while (rc == 0) {
		n = recv(fd, buf, SELFCHECK_NLBUF, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = -1;
			break;
		}
		rc = selfcheck_kernel_parse_diag(buf, (size_t)n, proto, seq,
		    socks);
	}
	free(buf);
	return rc < 0 ? -1 : 0;
}

/* Fill SOCKS from netlink sock_diag. */
static int
selfcheck_kernel_netlink(struct selfcheck_socks *socks, int tcp, int udp)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	int fd, i, p, seq = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd == -1)
		return -1;
	for (p = 0; p < 2; p++) {
		int proto = p == 0 ? IPPROTO_TCP : IPPROTO_UDP;

		if ((proto == IPPROTO_TCP && !tcp) ||
		    (proto == IPPROTO_UDP && !udp))
			continue;
		for (i = 0; i < 2; i++)
			if (selfcheck_kernel_dump(fd, fams[i], proto, seq++,
			    socks) == -1) {
				int saved = errno;

				close(fd);
				errno = saved;
				return -1;
			}
	}
	close(fd);
	socks->ss_source = "sock_diag";
	return 0;
}

/* Parse the hex address of a /proc/net line (the kernel prints u32 words). */
static int
selfcheck_kernel_hexaddr(const char *s, int family, uint8_t *out)
{
	int words = family == AF_INET ? 1 : 4, i;
	char w[9];

	if (strlen(s) != (size_t)words * 8)
		return -1;
	for (i = 0; i < words; i++) {
		uint32_t v;
		char *end;

		memcpy(w, s + i * 8, 8);
		w[8] = '\0';
		v = (uint32_t)strtoul(w, &end, 16);
		if (*end != '\0')
			return -1;
		memcpy(out + i * 4, &v, 4);
	}
	return 0;
}

/* Parse one /proc/net line into SK; 1 taken, 0 skipped, -1 malformed. */
static int
selfcheck_kernel_proc_line(const char *line, int family, int proto,
    struct selfcheck_sock *sk)
{
	char local[40], remote[40];
	unsigned lport, rport, st, uid;
	unsigned long long inode;

	if (sscanf(line, " %*d: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x "
	    "%*x:%*x %*x:%*x %*x %u %*d %llu", local, &lport, remote, &rport,
	    &st, &uid, &inode) != 7)
		return -1;
	if (proto == IPPROTO_TCP && st != SELFCHECK_TCP_LISTEN)
		return 0;
	if (proto == IPPROTO_UDP && (st != SELFCHECK_TCP_CLOSE || rport != 0))
		return 0;
	memset(sk, 0, sizeof(*sk));
	if (selfcheck_kernel_hexaddr(local, family, sk->sk_ip.ip_addr) == -1)
		return -1;
	sk->sk_ip.ip_family = family;
	sk->sk_proto = proto;
	sk->sk_port = (uint16_t)lport;
	sk->sk_uid = uid;
	sk->sk_inode = inode;
	/* /proc/net does not say; the diff treats unknown as dual-stack. */
	sk->sk_v6only = family == AF_INET6 ? -1 : 0;
	return 1;
}

/*
 * Parse a /proc/net/{tcp,tcp6,udp,udp6} file of FAMILY and PROTO into
 * SOCKS: TCP in LISTEN, UDP unconnected.  -1 on a malformed line.
 */
int
selfcheck_kernel_parse_proc(FILE *fp, int family, int proto,
    struct selfcheck_socks *socks)
{
	struct selfcheck_sock tmp, *sk;
	char line[512];
	int first = 1, rc;

	while (fgets(line, sizeof(line), fp) != NULL) {
		if (first) {	/* the header */
			first = 0;
			continue;
		}
		if ((rc = selfcheck_kernel_proc_line(line, family, proto,
		    &tmp)) == -1)
			return -1;
		if (rc == 0)
			continue;
		if ((sk = selfcheck_socks_add(socks)) == NULL)
			return -1;
		*sk = tmp;
	}
	return 0;
}

/* Fill SOCKS from /proc/net; a missing tcp6/udp6 (no IPv6) is not an error. */
static int
selfcheck_kernel_procfs(struct selfcheck_socks *socks, int tcp, int udp)
{
	static const struct {
		const char *path;
		int family, proto;
	} files[] = {
		{ "/proc/net/tcp", AF_INET, IPPROTO_TCP },
		{ "/proc/net/tcp6", AF_INET6, IPPROTO_TCP },
		{ "/proc/net/udp", AF_INET, IPPROTO_UDP },
		{ "/proc/net/udp6", AF_INET6, IPPROTO_UDP },
	};
	size_t i;
	FILE *fp;
	int rc;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if ((files[i].proto == IPPROTO_TCP && !tcp) ||
		    (files[i].proto == IPPROTO_UDP && !udp))
			continue;
		if ((fp = fopen(files[i].path, "re")) == NULL) {
			if (files[i].family == AF_INET6 && errno == ENOENT)
				continue;
			return -1;
		}
		rc = selfcheck_kernel_parse_proc(fp, files[i].family,
		    files[i].proto, socks);
		fclose(fp);
		if (rc == -1)
			return -1;
	}
	socks->ss_source = "/proc/net";
	return 0;
}

/* The kernel's table into SOCKS: sock_diag, else /proc/net; -1 if neither. */
int
selfcheck_kernel_read(struct selfcheck_socks *socks, int tcp, int udp)
{
	if (getenv("SUPERD_SELFCHECK_PROCFS") == NULL &&
	    selfcheck_kernel_netlink(socks, tcp, udp) == 0)
		return 0;
	log_debug("selfcheck: sock_diag unavailable, reading /proc/net");
	socks->ss_n = 0;
	if (selfcheck_kernel_procfs(socks, tcp, udp) == 0)
		return 0;
	log_warn("selfcheck: neither sock_diag nor /proc/net readable");
	return -1;
}
