/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the remote diff (src/selfcheck_remote.c): declared
 * endpoints against the probe of a remote address, no table.  Declared
 * and open is ok, declared and refused or filtered unreachable, a declared
 * UDP port (never probed) undecided, an undeclared open TCP port or a
 * silent UDP one exposed; the rest no finding; ports left undecided are
 * counted.
 */
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selfcheck_remote_verdicts),
		cmocka_unit_test(test_selfcheck_remote_quiet_host_ok),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
