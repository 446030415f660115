/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the SCTP table readers.  The kernel of the test machine
 * has no SCTP (and the audit never loads a module), so the kernel's own
 * formats are built here: a SOCK_DIAG_BY_FAMILY reply with the kernel's
 * struct layouts, its INET_DIAG_LOCALS attribute one struct
 * sockaddr_storage slot per address (sctp_diag.c,
 * inet_diag_msg_sctpladdrs_fill), and /proc/net/sctp/eps as
 * sctp_eps_seq_show prints it.
 */
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "selfcheck.h"
#include "selfcheck_test.h"

#define TCP_LISTEN_STATE 10

/*
 * Fill the sockaddr_storage slot at SLOT (4-byte aligned only, as in a
 * netlink attribute) with ADDR (a ':' makes it a sockaddr_in6) and PORT.
 */
static void
put_sockaddr(void *slot, const char *addr, int port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(addr, ':') != NULL) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		assert_int_equal(inet_pton(AF_INET6, addr, &sin6->sin6_addr),
		    1);
	} else {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		assert_int_equal(inet_pton(AF_INET, addr, &sin->sin_addr), 1);
	}
	memcpy(slot, &ss, sizeof(ss));
}

/* Set the family of the sockaddr_storage slot I of attribute RTA. */
static void
set_family(struct rtattr *rta, int i, sa_family_t family)
{
	memcpy((char *)RTA_DATA(rta) + (size_t)i *
	    sizeof(struct sockaddr_storage) +
	    offsetof(struct sockaddr_storage, ss_family), &family,
	    sizeof(family));
}

/*
 * Append to BUF at *OFF the message sctp_diag sends for a listening
 * endpoint of FAMILY: the first address in the message itself, every one
 * in INET_DIAG_LOCALS (NADDR of ADDRS; none: no attribute), after an
 * INET_DIAG_SKV6ONLY of V6ONLY.
 */
static void
put_sctp(char *buf, size_t *off, int family, const char *const *addrs,
    int naddr, int port, unsigned inode, int v6only)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)(buf + *off);
	struct inet_diag_msg *m = NLMSG_DATA(nh);
	struct rtattr *rta;
	size_t len = NLMSG_LENGTH(sizeof(*m));
	int i;

	memset(nh, 0, 2048);
	m->idiag_family = (uint8_t)family;
	m->idiag_state = TCP_LISTEN_STATE;
	if (strchr(addrs[0], ':') != NULL || family == AF_INET)
		inet_pton(family, addrs[0], m->id.idiag_src);
	m->id.idiag_sport = htons((uint16_t)port);
	m->idiag_uid = 1000;
	m->idiag_inode = inode;
	rta = (struct rtattr *)((char *)nh + NLMSG_ALIGN(len));
	rta->rta_type = INET_DIAG_SKV6ONLY;
	rta->rta_len = RTA_LENGTH(1);
	*(uint8_t *)RTA_DATA(rta) = (uint8_t)v6only;
	len = NLMSG_ALIGN(len) + RTA_SPACE(1);
	if (naddr > 0) {
		rta = (struct rtattr *)((char *)nh + len);
		rta->rta_type = INET_DIAG_LOCALS;
		rta->rta_len = RTA_LENGTH(naddr *
		    sizeof(struct sockaddr_storage));
		for (i = 0; i < naddr; i++)
			put_sockaddr((char *)RTA_DATA(rta) + (size_t)i *
			    sizeof(struct sockaddr_storage), addrs[i], port);
		len += RTA_SPACE(naddr * sizeof(struct sockaddr_storage));
	}
	nh->nlmsg_len = (uint32_t)len;
	nh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nh->nlmsg_seq = 3;
	*off += NLMSG_ALIGN(len);
}

/*
 * An endpoint bound to 192.0.2.1, 192.0.2.2 and 198.51.100.7 (sctp_bindx)
 * is three entries with its inode, not the kernel's main address only;
 * an IPv6 one with an IPv4 and two IPv6 addresses keeps v6only for the
 * IPv6 ones; an endpoint without the attribute keeps its own address.
 */
static void
test_selfcheck_sctp_diag_every_local_address(void **state)
{
	static char buf[8192] __attribute__((aligned(8)));
	static const char *const v4[] = { "192.0.2.1", "192.0.2.2",
		"198.51.100.7" };
	static const char *const v6[] = { "2001:db8::1", "192.0.2.9",
		"2001:db8::2" };
	static const char *const one[] = { "0.0.0.0" };
	struct selfcheck_socks socks = { 0 };
	size_t off = 0, i;

	(void)state;
	put_sctp(buf, &off, AF_INET, v4, 3, 3868, 501, 0);
	put_sctp(buf, &off, AF_INET6, v6, 3, 2905, 502, 0);
	put_sctp(buf, &off, AF_INET, one, 0, 9899, 503, 0);
	assert_int_equal(selfcheck_kernel_parse_diag(buf, off, IPPROTO_SCTP,
	    3, &socks), 0);
	assert_int_equal(socks.ss_n, 7);
	assert_string_equal(sock_str(&socks.ss_v[0]), "192.0.2.1:3868");
	assert_string_equal(sock_str(&socks.ss_v[1]), "192.0.2.2:3868");
	assert_string_equal(sock_str(&socks.ss_v[2]), "198.51.100.7:3868");
	for (i = 0; i < 3; i++) {
		assert_int_equal(socks.ss_v[i].sk_proto, IPPROTO_SCTP);
		assert_int_equal(socks.ss_v[i].sk_inode, 501);
		assert_int_equal(socks.ss_v[i].sk_uid, 1000);
	}
	assert_string_equal(sock_str(&socks.ss_v[3]), "2001:db8::1:2905");
	assert_int_equal(socks.ss_v[3].sk_v6only, 0);
	assert_string_equal(sock_str(&socks.ss_v[4]), "192.0.2.9:2905");
	assert_int_equal(socks.ss_v[4].sk_ip.ip_family, AF_INET);
	assert_string_equal(sock_str(&socks.ss_v[5]), "2001:db8::2:2905");
	assert_int_equal(socks.ss_v[5].sk_inode, 502);
	assert_string_equal(sock_str(&socks.ss_v[6]), "0.0.0.0:9899");
	selfcheck_socks_free(&socks);
}

/* A locals attribute that is not whole sockaddr_storage slots is an error. */
static void
test_selfcheck_sctp_diag_bad_locals_is_error(void **state)
{
	static char buf[8192] __attribute__((aligned(8)));
	static const char *const v4[] = { "192.0.2.1", "192.0.2.2" };
	struct selfcheck_socks socks = { 0 };
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct rtattr *rta;
	size_t off = 0;

	(void)state;
	put_sctp(buf, &off, AF_INET, v4, 2, 3868, 501, 0);
	rta = (struct rtattr *)((char *)NLMSG_DATA(nh) +
	    NLMSG_ALIGN(sizeof(struct inet_diag_msg)) + RTA_SPACE(1));
	assert_int_equal(rta->rta_type, INET_DIAG_LOCALS);
	/* A family that is neither AF_INET nor AF_INET6. */
	set_family(rta, 1, AF_UNIX);
	assert_int_equal(selfcheck_kernel_parse_diag(buf, off, IPPROTO_SCTP,
	    3, &socks), -1);
	assert_int_equal(errno, EPROTO);
	/* A length that is not a whole number of slots. */
	set_family(rta, 1, AF_INET);
	rta->rta_len = (unsigned short)(rta->rta_len - 8);
	socks.ss_n = 0;
	assert_int_equal(selfcheck_kernel_parse_diag(buf, off, IPPROTO_SCTP,
	    3, &socks), -1);
	selfcheck_socks_free(&socks);
}

/* Parse TEXT as /proc/net/sctp/eps into SOCKS; its return. */
static int
parse_eps(const char *text, struct selfcheck_socks *socks)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int rc;

	assert_non_null(fp);
	rc = selfcheck_kernel_parse_sctp(fp, socks);
	fclose(fp);
	return rc;
}

/*
 * /proc/net/sctp/eps as the kernel prints it (%8pK pointers zeroed for
 * an unprivileged reader, %pI6 uncompressed, a space after each address):
 * every address of a listening endpoint, IPv4 and IPv6 in one file; an
 * endpoint that is not listening left out.
 */
static void
test_selfcheck_sctp_eps_every_local_address(void **state)
{
	static const char text[] =
	    " ENDPT     SOCK   STY SST HBKT LPORT   UID INODE LADDRS\n"
	    "ffff8e3c4a7e1000 ffff8e3c41a9c000 2   10  29   3868   1000 77001 "
	    "192.0.2.1 192.0.2.2 198.51.100.7 \n"
	    "0000000000000000 0000000000000000 0   10  5    2905      0 77002 "
	    "2001:0db8:0000:0000:0000:0000:0000:0001 192.0.2.9 \n"
	    "0000000000000000 0000000000000000 2   7   12   4000      0 77003 "
	    "0.0.0.0 \n"
	    "0000000000000000 0000000000000000 2   10  9    9899      0 77004 "
	    "0000:0000:0000:0000:0000:0000:0000:0000 \n";
	struct selfcheck_socks socks = { 0 };

	(void)state;
	assert_int_equal(parse_eps(text, &socks), 0);
	assert_int_equal(socks.ss_n, 6);
	assert_string_equal(sock_str(&socks.ss_v[0]), "192.0.2.1:3868");
	assert_string_equal(sock_str(&socks.ss_v[1]), "192.0.2.2:3868");
	assert_string_equal(sock_str(&socks.ss_v[2]), "198.51.100.7:3868");
	assert_int_equal(socks.ss_v[2].sk_inode, 77001);
	assert_int_equal(socks.ss_v[2].sk_uid, 1000);
	assert_int_equal(socks.ss_v[2].sk_proto, IPPROTO_SCTP);
	assert_string_equal(sock_str(&socks.ss_v[3]), "2001:db8::1:2905");
	assert_int_equal(socks.ss_v[3].sk_v6only, -1);
	assert_string_equal(sock_str(&socks.ss_v[4]), "192.0.2.9:2905");
	assert_int_equal(socks.ss_v[4].sk_v6only, 0);
	assert_string_equal(sock_str(&socks.ss_v[5]), ":::9899");
	assert_int_equal(socks.ss_v[5].sk_inode, 77004);
	selfcheck_socks_free(&socks);
}

/* A line that is not the kernel's format is an error, not a shorter table. */
static void
test_selfcheck_sctp_eps_malformed_is_error(void **state)
{
	static const char *const bad[] = {
	    " ENDPT SOCK STY SST HBKT LPORT UID INODE LADDRS\n"
	    "0 0 2 10 29 3868 0 77001 192.0.2.300 \n",
	    " ENDPT SOCK STY SST HBKT LPORT UID INODE LADDRS\n"
	    "0 0 2 10 29 notaport 0 77001 192.0.2.1 \n",
	    " ENDPT SOCK STY SST HBKT LPORT UID INODE LADDRS\n"
	    "0 0 2 10 29 70000 0 77001 192.0.2.1 \n",
	};
	struct selfcheck_socks socks = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_eps(bad[i], &socks), -1);
	selfcheck_socks_free(&socks);
}

/* Runs the tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selfcheck_sctp_diag_every_local_address),
		cmocka_unit_test(test_selfcheck_sctp_diag_bad_locals_is_error),
		cmocka_unit_test(test_selfcheck_sctp_eps_every_local_address),
		cmocka_unit_test(test_selfcheck_sctp_eps_malformed_is_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
