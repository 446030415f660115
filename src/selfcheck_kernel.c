/* SPDX-License-Identifier: ISC */
/*
 * The kernel's listener table: every listening TCP, SCTP, DCCP and MPTCP
 * socket and every bound, unconnected UDP and UDP-lite socket, IPv4 and
 * IPv6.  netlink sock_diag first (it also tells v6only and the bound
 * device); /proc/net/{tcp,udp,udplite}[6] and /proc/net/sctp/eps when the
 * kernel lacks inet_diag.  An SCTP endpoint bound to several addresses
 * (sctp_bindx) is one entry per address, the same inode in each.  The
 * parsers are pure, for the unit tests.
 *
 * Every family is accounted for in ss_fam: read, not in this kernel (no
 * such socket can exist: /proc/net/protocols does not list it, and then
 * it is not asked for, so that the audit never loads a protocol module),
 * or in the kernel but unreadable (no diag module): its ports are then
 * undecided and the audit says so.  An MPTCP listener listens through a
 * TCP subflow that the TCP table shows with the same inode: the two are
 * one entry, TCP with sk_mptcp.  An IPv6 socket bound to a v4-mapped
 * address (::ffff:0.0.0.0, ::ffff:192.0.2.1) receives IPv4 only: it is
 * read with its IPv4 meaning (sk_mapped says how it was bound).
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "selfcheck.h"

#define SELFCHECK_NLBUF 65536 /* one recv of a dump */
#define SELFCHECK_TCP_LISTEN 10
#define SELFCHECK_TCP_CLOSE 7

/* One socket family the table is read for. */
struct selfcheck_kfam {
	int kf_proto;		/* IPPROTO_* */
	const char *kf_kname;	/* its name in /proc/net/protocols */
	int kf_dgram;		/* unconnected sockets, not listeners */
	int kf_with;		/* audited with TCP (1), UDP (2), both only (3) */
};

/* The families, in ss_fam's order. */
static const struct selfcheck_kfam selfcheck_kfams[SELFCHECK_NFAM] = {
	{ IPPROTO_TCP, "TCP", 0, 1 },
	{ IPPROTO_UDP, "UDP", 1, 2 },
	{ IPPROTO_UDPLITE, "UDP-Lite", 1, 2 },
	{ IPPROTO_SCTP, "SCTP", 0, 3 },
	{ IPPROTO_DCCP, "DCCP", 0, 3 },
	{ IPPROTO_MPTCP, "MPTCP", 0, 1 },
};

/* Whether PROTO's sockets are datagram ones (unconnected: exposed). */
static int
selfcheck_kernel_dgram(int proto)
{
	return proto == IPPROTO_UDP || proto == IPPROTO_UDPLITE;
}

/* An IPv6 bind to a v4-mapped address read as the IPv4 one it means. */
static void
selfcheck_kernel_unmap(struct selfcheck_sock *sk)
{
	struct selfcheck_ip u;

	if (selfcheck_ip_unmap(&sk->sk_ip, &u) == 0)
		return;
	sk->sk_ip = u;
	sk->sk_mapped = 1;
	sk->sk_v6only = 0;	/* the kernel refuses it on a v6only socket */
}

/* Add TMP to SOCKS with its v4-mapped address read as IPv4. */
static int
selfcheck_kernel_put(struct selfcheck_socks *socks,
    const struct selfcheck_sock *tmp)
{
	struct selfcheck_sock *sk;

	if ((sk = selfcheck_socks_add(socks)) == NULL)
		return -1;
	*sk = *tmp;
	selfcheck_kernel_unmap(sk);
	return 0;
}

/*
 * Read one sockaddr_in or sockaddr_in6 of INET_DIAG_LOCALS into IP; -1
 * for any other family (the attribute is then not what we know).
 */
static int
selfcheck_kernel_local(const struct sockaddr_storage *ss,
    struct selfcheck_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->ip_family = ss->ss_family;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		memcpy(ip->ip_addr, &sin->sin_addr, 4);
		return 0;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		memcpy(ip->ip_addr, &sin6->sin6_addr, 16);
		if (selfcheck_ip_linklocal(ip))
			ip->ip_ifindex = sin6->sin6_scope_id;
		return 0;
	}
	return -1;
}

/*
 * An SCTP endpoint bound to several addresses (sctp_bindx): the kernel
 * gives them all in INET_DIAG_LOCALS, one sockaddr_in or sockaddr_in6 in
 * each struct sockaddr_storage slot; the message's own address is only
 * the first.  One entry of SOCKS per address, TMP's fields otherwise.
 */
static int
selfcheck_kernel_locals(const struct rtattr *rta,
    struct selfcheck_sock *tmp, struct selfcheck_socks *socks)
{
	const char *slots = RTA_DATA(rta);	/* 4-byte aligned only */
	struct sockaddr_storage one;
	size_t i, n = RTA_PAYLOAD(rta) / sizeof(one);
	int v6only = tmp->sk_v6only;

	if (n == 0 || RTA_PAYLOAD(rta) % sizeof(one) != 0) {
		errno = EPROTO;
		return -1;
	}
	for (i = 0; i < n; i++) {
		memcpy(&one, slots + i * sizeof(one), sizeof(one));
		if (selfcheck_kernel_local(&one, &tmp->sk_ip) == -1) {
			errno = EPROTO;
			return -1;
		}
		if (selfcheck_ip_linklocal(&tmp->sk_ip) &&
		    tmp->sk_ip.ip_ifindex == 0)
			tmp->sk_ip.ip_ifindex = tmp->sk_ifindex;
		tmp->sk_v6only = tmp->sk_ip.ip_family == AF_INET6 ? v6only : 0;
		if (selfcheck_kernel_put(socks, tmp) == -1)
			return -1;
	}
	return 0;
}

/* Copy one inet_diag_msg and its attributes into SOCKS. */
static int
selfcheck_kernel_diag_msg(const struct nlmsghdr *nh, int proto,
    struct selfcheck_socks *socks)
{
	const struct inet_diag_msg *m = NLMSG_DATA(nh);
	const struct rtattr *rta, *locals = NULL;
	struct selfcheck_sock tmp, *sk = &tmp;
	int len;

	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return -1;
	/* A UDP socket with a peer is a client, not an exposure. */
	if (selfcheck_kernel_dgram(proto) && m->id.idiag_dport != 0)
		return 0;
	memset(sk, 0, sizeof(*sk));
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
		else if (rta->rta_type == INET_DIAG_LOCALS &&
		    proto == IPPROTO_SCTP)
			locals = rta;
	if (locals != NULL)
		return selfcheck_kernel_locals(locals, sk, socks);
	return selfcheck_kernel_put(socks, sk);
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
		struct rtattr pa;	/* INET_DIAG_REQ_PROTOCOL */
		uint32_t pv;		/* a protocol above 255 (MPTCP) */
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char *buf;
	ssize_t n;
	int rc = 0;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = offsetof(__typeof__(req), pa);
	req.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = (uint32_t)seq;
	req.r.sdiag_family = (uint8_t)family;
	req.r.sdiag_protocol = (uint8_t)proto;
	req.r.idiag_states = selfcheck_kernel_dgram(proto) ?
	    1U << SELFCHECK_TCP_CLOSE : 1U << SELFCHECK_TCP_LISTEN;
	if (proto > 255) {
		req.r.sdiag_protocol = IPPROTO_TCP;
		req.pa.rta_type = INET_DIAG_REQ_PROTOCOL;
		req.pa.rta_len = RTA_LENGTH(sizeof(req.pv));
		req.pv = (uint32_t)proto;
		req.nh.nlmsg_len = sizeof(req);
	}
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&sa,
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

/* Whether /proc/net/protocols lists NAME: the kernel has the protocol. */
static int
selfcheck_kernel_has(const char *name)
{
	char line[256];
	size_t n = strlen(name);
	FILE *fp;
	int has = 0;

	if ((fp = fopen("/proc/net/protocols", "re")) == NULL)
		return 1;	/* cannot tell: ask sock_diag */
	while (!has && fgets(line, sizeof(line), fp) != NULL)
		has = strncmp(line, name, n) == 0 && line[n] == ' ';
	fclose(fp);
	return has;
}

/*
 * The MPTCP entries from FIRST on made one with the TCP subflow the TCP
 * table shows (the same inode): TCP with sk_mptcp; one without a subflow
 * entry becomes TCP with sk_mptcp itself.
 */
static void
selfcheck_kernel_mptcp(struct selfcheck_socks *socks, size_t first)
{
	size_t i, k, out = first;

	for (i = first; i < socks->ss_n; i++) {
		struct selfcheck_sock *m = &socks->ss_v[i];

		for (k = 0; k < first; k++)
			if (socks->ss_v[k].sk_proto == IPPROTO_TCP &&
			    m->sk_inode != 0 &&
			    socks->ss_v[k].sk_inode == m->sk_inode)
				break;
		if (k < first) {
			socks->ss_v[k].sk_mptcp = 1;
			continue;
		}
		m->sk_proto = IPPROTO_TCP;
		m->sk_mptcp = 1;
		socks->ss_v[out++] = *m;
	}
	socks->ss_n = out;
}

/*
 * Dump family KF (both address families) over FD into SOCKS; its state
 * into FM.  -1 only for TCP and UDP, which /proc/net can read instead.
 */
static int
selfcheck_kernel_family(int fd, const struct selfcheck_kfam *kf, int *seq,
    struct selfcheck_socks *socks, struct selfcheck_family *fm)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	size_t first = socks->ss_n;
	int i, core = kf->kf_proto == IPPROTO_TCP || kf->kf_proto == IPPROTO_UDP;

	if (!core && !selfcheck_kernel_has(kf->kf_kname)) {
		fm->fm_state = SCFM_ABSENT;
		return 0;
	}
	for (i = 0; i < 2; i++)
		if (selfcheck_kernel_dump(fd, fams[i], kf->kf_proto, (*seq)++,
		    socks) == -1) {
			if (core)
				return -1;
			fm->fm_state = SCFM_UNREAD;
			fm->fm_errno = errno;
			socks->ss_n = first;
			return 0;
		}
	fm->fm_state = SCFM_READ;
	if (kf->kf_proto == IPPROTO_MPTCP)
		selfcheck_kernel_mptcp(socks, first);
	return 0;
}

/* Whether family KF is audited when TCP and UDP are as given. */
static int
selfcheck_kernel_wanted(const struct selfcheck_kfam *kf, int tcp, int udp)
{
	if (kf->kf_with == 3)
		return tcp && udp;
	return kf->kf_with == 1 ? tcp : udp;
}

/* Fill SOCKS from netlink sock_diag. */
static int
selfcheck_kernel_netlink(struct selfcheck_socks *socks, int tcp, int udp)
{
	int fd, i, seq = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd == -1)
		return -1;
	/* TCP first: the MPTCP entries are matched against it. */
	for (i = 0; i < SELFCHECK_NFAM; i++) {
		socks->ss_fam[i].fm_proto = selfcheck_kfams[i].kf_proto;
		if (!selfcheck_kernel_wanted(&selfcheck_kfams[i], tcp, udp))
			continue;
		if (selfcheck_kernel_family(fd, &selfcheck_kfams[i], &seq,
		    socks, &socks->ss_fam[i]) == -1) {
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
	if (selfcheck_kernel_dgram(proto) &&
	    (st != SELFCHECK_TCP_CLOSE || rport != 0))
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
	selfcheck_kernel_unmap(sk);
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

/*
 * Add one entry per address of the LADDRS list at S (an SCTP endpoint's
 * addresses, "%pI4 " or "%pI6 " each, a '*' before a primary one) with
 * TMP's other fields; -1 when one is not an address.
 */
static int
selfcheck_kernel_sctp_addrs(char *s, struct selfcheck_sock *tmp,
    struct selfcheck_socks *socks)
{
	char *save = NULL, *w;

	for (w = strtok_r(s, " \t\n", &save); w != NULL;
	    w = strtok_r(NULL, " \t\n", &save)) {
		w += *w == '*';
		memset(&tmp->sk_ip, 0, sizeof(tmp->sk_ip));
		tmp->sk_ip.ip_family = strchr(w, ':') ? AF_INET6 : AF_INET;
		if (inet_pton(tmp->sk_ip.ip_family, w, tmp->sk_ip.ip_addr) != 1)
			return -1;
		/* /proc/net does not say; the diff treats unknown as dual. */
		tmp->sk_v6only = tmp->sk_ip.ip_family == AF_INET6 ? -1 : 0;
		if (selfcheck_kernel_put(socks, tmp) == -1)
			return -1;
	}
	return 0;
}

/*
 * Parse /proc/net/sctp/eps (" ENDPT SOCK STY SST HBKT LPORT UID INODE
 * LADDRS", both address families in one file) into SOCKS: every
 * listening endpoint, one entry per local address.  -1 on a malformed
 * line.
 */
int
selfcheck_kernel_parse_sctp(FILE *fp, struct selfcheck_socks *socks)
{
	struct selfcheck_sock tmp;
	unsigned st, lport, uid;
	unsigned long long inode;
	char *line = NULL;
	size_t cap = 0;
	int first = 1, off, rc = 0;

	/* getline: an endpoint may have many addresses on its line. */
	while (rc == 0 && getline(&line, &cap, fp) != -1) {
		if (first) {	/* the header */
			first = 0;
			continue;
		}
		off = -1;
		if (sscanf(line, " %*s %*s %*d %u %*d %u %u %llu %n", &st,
		    &lport, &uid, &inode, &off) != 4 || off < 0 ||
		    lport > 65535) {
			rc = -1;
			break;
		}
		if (st != SELFCHECK_TCP_LISTEN)
			continue;
		memset(&tmp, 0, sizeof(tmp));
		tmp.sk_proto = IPPROTO_SCTP;
		tmp.sk_port = (uint16_t)lport;
		tmp.sk_uid = uid;
		tmp.sk_inode = inode;
		rc = selfcheck_kernel_sctp_addrs(line + off, &tmp, socks);
	}
	free(line);
	return rc;
}

/*
 * SCTP from /proc/net/sctp/eps into SOCKS and FM (which says the kernel
 * has SCTP); the file exists only once the module is loaded, so reading
 * it loads nothing.
 */
static int
selfcheck_kernel_procfs_sctp(struct selfcheck_socks *socks,
    struct selfcheck_family *fm)
{
	size_t first = socks->ss_n;
	FILE *fp;
	int rc;

	if ((fp = fopen("/proc/net/sctp/eps", "re")) == NULL) {
		fm->fm_errno = errno;
		return 0;
	}
	rc = selfcheck_kernel_parse_sctp(fp, socks);
	fclose(fp);
	if (rc == -1) {
		socks->ss_n = first;
		fm->fm_errno = EPROTO;
		return 0;
	}
	fm->fm_state = SCFM_READ;
	return 0;
}

/*
 * What /proc/net told of each family: TCP, UDP, UDP-lite read; MPTCP
 * listeners seen through their TCP subflows; SCTP read later
 * (selfcheck_kernel_procfs_sctp), DCCP not read.
 */
static void
selfcheck_kernel_procfs_fams(struct selfcheck_socks *socks, int tcp, int udp)
{
	struct selfcheck_family *fm;
	int i, p;

	for (i = 0; i < SELFCHECK_NFAM; i++) {
		fm = &socks->ss_fam[i];
		p = fm->fm_proto = selfcheck_kfams[i].kf_proto;
		fm->fm_errno = 0;
		if (!selfcheck_kernel_wanted(&selfcheck_kfams[i], tcp, udp))
			fm->fm_state = SCFM_SKIPPED;
		else if (p == IPPROTO_TCP || p == IPPROTO_UDP)
			fm->fm_state = SCFM_READ;
		else if (!selfcheck_kernel_has(selfcheck_kfams[i].kf_kname))
			fm->fm_state = SCFM_ABSENT;
		else if (p == IPPROTO_UDPLITE)
			fm->fm_state = SCFM_READ;
		else
			fm->fm_state = p == IPPROTO_MPTCP ? SCFM_ASTCP :
			    SCFM_UNREAD;
	}
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
		{ "/proc/net/udplite", AF_INET, IPPROTO_UDPLITE },
		{ "/proc/net/udplite6", AF_INET6, IPPROTO_UDPLITE },
	};
	size_t i;
	FILE *fp;
	int rc;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if ((files[i].proto == IPPROTO_TCP && !tcp) ||
		    (files[i].proto != IPPROTO_TCP && !udp))
			continue;
		if ((fp = fopen(files[i].path, "re")) == NULL) {
			if ((files[i].family == AF_INET6 ||
			    files[i].proto == IPPROTO_UDPLITE) && errno == ENOENT)
				continue;
			return -1;
		}
		rc = selfcheck_kernel_parse_proc(fp, files[i].family,
		    files[i].proto, socks);
		fclose(fp);
		if (rc == -1)
			return -1;
	}
	selfcheck_kernel_procfs_fams(socks, tcp, udp);
	for (i = 0; i < SELFCHECK_NFAM; i++)
		if (socks->ss_fam[i].fm_proto == IPPROTO_SCTP &&
		    socks->ss_fam[i].fm_state == SCFM_UNREAD)
			selfcheck_kernel_procfs_sctp(socks, &socks->ss_fam[i]);
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
	memset(socks->ss_fam, 0, sizeof(socks->ss_fam));
	if (selfcheck_kernel_procfs(socks, tcp, udp) == 0)
		return 0;
	log_warn("selfcheck: neither sock_diag nor /proc/net readable");
	return -1;
}

/* The words of a family's state, as the reports spell them. */
static const char *
selfcheck_kernel_state_name(int state)
{
	static const char *const names[] = {
		[SCFM_SKIPPED] = "not audited",
		[SCFM_READ] = "read",
		[SCFM_ABSENT] = "not in this kernel",
		[SCFM_UNREAD] = "unreadable",
		[SCFM_ASTCP] = "read as tcp",
	};

	return state >= 0 && state <= SCFM_ASTCP ? names[state] : "?";
}

/* Why family FM could not be read, or NULL when it was. */
static const char *
selfcheck_kernel_why(const struct selfcheck_family *fm)
{
	switch (fm->fm_state) {
	case SCFM_ABSENT:
		return "not in this kernel: no such socket can exist";
	case SCFM_UNREAD:
		return fm->fm_errno ? strerror(fm->fm_errno) :
		    "/proc/net has no table of it";
	case SCFM_ASTCP:
		return "/proc/net has no table of it: its listeners are "
		    "seen through their TCP subflows";
	default:
		return NULL;
	}
}

/*
 * One undecided entry in RS per family of SOCKS that the kernel has but
 * whose table could not be read: none of its ports is decided.
 */
int
selfcheck_kernel_undecided(const struct selfcheck_socks *socks,
    struct selfcheck_result *rs)
{
	struct selfcheck_ip every;
	int i;

	memset(&every, 0, sizeof(every));
	for (i = 0; i < SELFCHECK_NFAM; i++)
		if (socks->ss_fam[i].fm_state == SCFM_UNREAD &&
		    selfcheck_undecided_add(rs, socks->ss_fam[i].fm_proto,
		    &every, 65535, SCU_TABLE, socks->ss_fam[i].fm_errno) == -1)
			return -1;
	return 0;
}

/*
 * The report's line on the families: "TABLE sock_diag: read tcp udp ...;
 * not read: sctp (why), ..." (every family not audited left out).
 */
void
selfcheck_kernel_text(FILE *fp, const struct selfcheck_socks *socks)
{
	const struct selfcheck_family *fm;
	int i, n = 0;

	fprintf(fp, "TABLE %s: read", socks->ss_source ? socks->ss_source :
	    "-");
	for (i = 0; i < SELFCHECK_NFAM; i++)
		if (socks->ss_fam[i].fm_state == SCFM_READ)
			fprintf(fp, " %s", selfcheck_proto_name(
			    socks->ss_fam[i].fm_proto));
	for (i = 0; i < SELFCHECK_NFAM; i++) {
		fm = &socks->ss_fam[i];
		if (selfcheck_kernel_why(fm) == NULL)
			continue;
		fprintf(fp, "%s%s (%s)", n++ ? ", " : "; could not read ",
		    selfcheck_proto_name(fm->fm_proto),
		    selfcheck_kernel_why(fm));
	}
	fputc('\n', fp);
}

/*
 * The JSON object of the families: { "tcp": { "state": "read",
 * "reason": null }, "sctp": { "state": "not in this kernel", "reason":
 * "..." }, ... }.
 */
json_t *
selfcheck_kernel_json(const struct selfcheck_socks *socks)
{
	const struct selfcheck_family *fm;
	json_t *o = json_object();
	const char *why;
	int i;

	for (i = 0; i < SELFCHECK_NFAM; i++) {
		fm = &socks->ss_fam[i];
		if (fm->fm_proto == 0)
			continue;
		why = selfcheck_kernel_why(fm);
		json_object_set_new(o, selfcheck_proto_name(fm->fm_proto),
		    json_pack("{s:s,s:o}", "state",
		    selfcheck_kernel_state_name(fm->fm_state), "reason",
		    why ? json_string(why) : json_null()));
	}
	return o;
}

/* superd_selfcheck_family_read{proto,state}: 1 read, 0 not. */
void
selfcheck_kernel_prom(FILE *fp, const struct selfcheck_socks *socks)
{
	const struct selfcheck_family *fm;
	int i;

	fputs("# HELP superd_selfcheck_family_read Whether the audit read the "
	    "kernel's table of a socket family (state says why not).\n"
	    "# TYPE superd_selfcheck_family_read gauge\n", fp);
	for (i = 0; i < SELFCHECK_NFAM; i++) {
		fm = &socks->ss_fam[i];
		if (fm->fm_proto == 0 || fm->fm_state == SCFM_SKIPPED)
			continue;
		fprintf(fp, "superd_selfcheck_family_read{proto=\"%s\","
		    "state=\"%s\"} %d\n", selfcheck_proto_name(fm->fm_proto),
		    selfcheck_kernel_state_name(fm->fm_state),
		    fm->fm_state == SCFM_READ);
	}
}
