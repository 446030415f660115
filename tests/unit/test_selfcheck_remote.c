/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the remote diff (src/selfcheck_remote.c): declared
 * endpoints against the probe of a remote address, no table.  Declared
 * and open is ok, declared and refused or filtered unreachable, a declared
 * UDP port (never probed) undecided, an undeclared open TCP port or a
 * silent UDP one exposed; the rest no finding; ports left undecided are
 * counted.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "selfcheck.h"

/* A probe of one address, 192.0.2.1, ports 1-100, TCP and UDP. */
static void
probe_make(struct selfcheck_probe *pb, struct selfcheck_ip *ip)
{
	memset(pb, 0, sizeof(*pb));
	assert_int_equal(selfcheck_ip_parse("192.0.2.1", ip), 0);
	pb->pb_mode = "syn";
	pb->pb_udp_mode = "icmp";
	pb->pb_lo = 1;
	pb->pb_hi = 100;
	pb->pb_n = 1;
	assert_non_null(pb->pb_v = calloc(1, sizeof(*pb->pb_v)));
	pb->pb_v[0].pr_ip = *ip;
	assert_non_null(pb->pb_v[0].pr_state = calloc(65536, 1));
	assert_non_null(pb->pb_v[0].pr_udp = calloc(65536, 1));
	memset(pb->pb_v[0].pr_state + 1, SCP_CLOSED, 100);
	memset(pb->pb_v[0].pr_udp + 1, SCP_CLOSED, 100);
}

/* The findings' ids, space-separated, into BUF. */
static const char *
ids(const struct selfcheck_result *rs, char *buf, size_t len)
{
	char key[128];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < rs->rs_n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    i ? " " : "", selfcheck_finding_key(&rs->rs_v[i], key,
		    sizeof(key)));
	return buf;
}

/* Every verdict of the remote diff on one address. */
static void
test_selfcheck_remote_verdicts(void **state)
{
	struct selfcheck_decl d[4];
	struct selfcheck_probe pb;
	struct selfcheck_result rs;
	struct selfcheck_ip ip, any;
	char buf[1024];

	(void)state;
	probe_make(&pb, &ip);
	assert_int_equal(selfcheck_ip_parse("0.0.0.0", &any), 0);
	memset(d, 0, sizeof(d));
	d[0] = (struct selfcheck_decl){ "ssh", IPPROTO_TCP, any, 22, 0 };
	d[1] = (struct selfcheck_decl){ "www", IPPROTO_TCP, ip, 80, 0 };
	d[2] = (struct selfcheck_decl){ "smtp", IPPROTO_TCP, ip, 25, 0 };
	d[3] = (struct selfcheck_decl){ "tftp", IPPROTO_UDP, any, 69, 0 };
	pb.pb_v[0].pr_state[22] = SCP_OPEN;	/* declared, answers */
	pb.pb_v[0].pr_state[80] = SCP_FILTERED; /* declared, dropped */
	/* 25 declared and refused: unreachable */
	pb.pb_v[0].pr_state[7] = SCP_OPEN;	/* undeclared: exposed */
	pb.pb_v[0].pr_udp[69] = SCP_SKIPPED;	/* declared UDP */
	pb.pb_v[0].pr_udp[53] = SCP_OPENFILTERED; /* undeclared, silent */
	pb.pb_v[0].pr_udp[60] = SCP_UNKNOWN;	/* the limit: undecided */
	assert_int_equal(selfcheck_remote_diff(d, 4, &pb, &rs), 0);
	assert_string_equal(ids(&rs, buf, sizeof(buf)),
	    "tcp/192.0.2.1/7/exposed tcp/192.0.2.1/22/ok "
	    "tcp/192.0.2.1/25/unreachable tcp/192.0.2.1/80/unreachable "
	    "udp/192.0.2.1/53/exposed udp/192.0.2.1/69/undecided");
	assert_int_equal(rs.rs_status, SELFCHECK_CRITICAL);
	assert_string_equal(rs.rs_v[1].fd_service, "ssh");
	assert_null(rs.rs_v[1].fd_sock);
	assert_int_equal(rs.rs_v[1].fd_evidence, SCE_PROBE);
	assert_int_equal(rs.rs_nundec, 1);
	assert_int_equal(rs.rs_undec[0].un_proto, IPPROTO_UDP);
	assert_int_equal(rs.rs_undec[0].un_ports, 1);
	selfcheck_result_free(&rs);
	selfcheck_probe_free(&pb);
}

/* Nothing declared, nothing open: OK, no finding. */
static void
test_selfcheck_remote_quiet_host_ok(void **state)
{
	struct selfcheck_probe pb;
	struct selfcheck_result rs;
	struct selfcheck_ip ip;

	(void)state;
	probe_make(&pb, &ip);
	assert_int_equal(selfcheck_remote_diff(NULL, 0, &pb, &rs), 0);
	assert_int_equal(rs.rs_n, 0);
	assert_int_equal(rs.rs_status, SELFCHECK_OK);
	selfcheck_result_free(&rs);
	selfcheck_probe_free(&pb);
}

/*
 * A port the target's firewall rejected with ICMP administratively
 * prohibited was unknown (UDP: an undecided port, or a false exposed) or
 * silent (TCP): a declared TCP one is unreachable with that probe state,
 * an undeclared one (TCP or UDP) no finding and not undecided.
 */
static void
test_selfcheck_remote_prohibited_port_is_filtered(void **state)
{
	struct selfcheck_decl d[1];
	struct selfcheck_probe pb;
	struct selfcheck_result rs;
	struct selfcheck_ip ip;
	char buf[1024];

	(void)state;
	probe_make(&pb, &ip);
	d[0] = (struct selfcheck_decl){ "smtp", IPPROTO_TCP, ip, 25, 0 };
	pb.pb_v[0].pr_state[25] = SCP_PROHIBITED;
	pb.pb_v[0].pr_state[99] = SCP_PROHIBITED;
	pb.pb_v[0].pr_udp[53] = SCP_PROHIBITED;
	assert_int_equal(selfcheck_remote_diff(d, 1, &pb, &rs), 0);
	assert_string_equal(ids(&rs, buf, sizeof(buf)),
	    "tcp/192.0.2.1/25/unreachable");
	assert_int_equal(rs.rs_v[0].fd_probe, SCP_PROHIBITED);
	assert_int_equal(rs.rs_v[0].fd_severity, SELFCHECK_CRITICAL);
	assert_int_equal(rs.rs_nundec, 0);
	selfcheck_result_free(&rs);
	selfcheck_probe_free(&pb);
}

/* Build in B the IPv4 ICMP 3/CODE quoting a PROTO packet to port 7013. */
static size_t
icmp4_make(uint8_t *b, int code, int proto, const char *dst)
{
	struct selfcheck_ip ip;

	memset(b, 0, 64);
	b[0] = 0x45;			/* outer IP header, 20 bytes */
	b[20] = 3;			/* destination unreachable */
	b[21] = (uint8_t)code;
	b[28] = 0x45;			/* the quoted IP header */
	b[28 + 9] = (uint8_t)proto;
	assert_int_equal(selfcheck_ip_parse(dst, &ip), 0);
	memcpy(b + 28 + 16, ip.ip_addr, 4);
	b[48] = 0x9c; b[49] = 0x40;	/* source port 40000 */
	b[50] = 7013 >> 8; b[51] = 7013 & 0xff;
	return 56;
}

/*
 * The ICMP errors that mean a firewall rejected (admin, host and net
 * prohibited; ICMPv6 admin prohibited, policy, reject route) are told from
 * a port-unreachable, and only for the probed protocol and address.
 */
static void
test_selfcheck_icmp_prohibited_quoted(void **state)
{
	struct selfcheck_ip ip, ip6;
	uint8_t b[128];
	size_t n;
	int port = 0;

	(void)state;
	assert_int_equal(selfcheck_ip_parse("192.0.2.1", &ip), 0);
	assert_true(selfcheck_icmp_prohibited(AF_INET, 3, 13));
	assert_true(selfcheck_icmp_prohibited(AF_INET, 3, 10));
	assert_true(selfcheck_icmp_prohibited(AF_INET, 3, 9));
	assert_false(selfcheck_icmp_prohibited(AF_INET, 3, 3));
	assert_true(selfcheck_icmp_prohibited(AF_INET6, 1, 1));
	assert_true(selfcheck_icmp_prohibited(AF_INET6, 1, 6));
	assert_false(selfcheck_icmp_prohibited(AF_INET6, 1, 4));
	n = icmp4_make(b, 13, IPPROTO_TCP, "192.0.2.1");
	assert_int_equal(selfcheck_icmp_quoted(b, n, AF_INET, IPPROTO_TCP,
	    &ip, &port), 1);
	assert_int_equal(port, 7013);
	assert_int_equal(selfcheck_icmp_quoted(b, n, AF_INET, IPPROTO_UDP,
	    &ip, &port), 0);
	assert_int_equal(selfcheck_icmp_quoted(b, 40, AF_INET, IPPROTO_TCP,
	    &ip, &port), 0);
	n = icmp4_make(b, 3, IPPROTO_TCP, "192.0.2.1");
	assert_int_equal(selfcheck_icmp_quoted(b, n, AF_INET, IPPROTO_TCP,
	    &ip, &port), 0);
	n = icmp4_make(b, 13, IPPROTO_TCP, "192.0.2.9");
	assert_int_equal(selfcheck_icmp_quoted(b, n, AF_INET, IPPROTO_TCP,
	    &ip, &port), 0);
	/* ICMPv6 1/1 (no IP header before it), the quoted IPv6 header. */
	assert_int_equal(selfcheck_ip_parse("2001:db8::1", &ip6), 0);
	memset(b, 0, sizeof(b));
	b[0] = 1;
	b[1] = 1;
	b[8] = 0x60;
	b[8 + 6] = IPPROTO_UDP;
	memcpy(b + 8 + 24, ip6.ip_addr, 16);
	b[48 + 2] = 7778 >> 8;
	b[48 + 3] = 7778 & 0xff;
	assert_int_equal(selfcheck_icmp_quoted(b, 56, AF_INET6, IPPROTO_UDP,
	    &ip6, &port), 1);
	assert_int_equal(port, 7778);
	assert_int_equal(selfcheck_icmp_quoted(b, 56, AF_INET, IPPROTO_UDP,
	    &ip6, &port), 0);
	b[1] = 4;	/* port unreachable: not a firewall's */
	assert_int_equal(selfcheck_icmp_quoted(b, 56, AF_INET6, IPPROTO_UDP,
	    &ip6, &port), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selfcheck_remote_verdicts),
		cmocka_unit_test(test_selfcheck_remote_quiet_host_ok),
		cmocka_unit_test(
		    test_selfcheck_remote_prohibited_port_is_filtered),
		cmocka_unit_test(test_selfcheck_icmp_prohibited_quoted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
