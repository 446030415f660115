/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the selfcheck parsers and report: the /proc/net parser on
 * files captured in a namespace with known listeners, the sock_diag reply
 * parser on a built netlink buffer, and the JSON, text and Prometheus
 * reports against golden files in tests/unit/data/selfcheck/
 * (SELFCHECK_UPDATE_GOLDEN=1 rewrites them).
 *
 * The captured namespace (ss.txt beside the fixtures) had: TCP 0.0.0.0:7777,
 * 127.0.0.1:8080 (plus one connection to it), [2001:db8::1]:2222 v6only,
 * [::]:9999; UDP 0.0.0.0:5353 (plus a connected client) and [::]:69.
 */
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
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

/* Path of fixture NAME. */
static const char *
data_path(const char *name)
{
	static char path[512];
	const char *dir = getenv("SELFCHECK_DATA");

	snprintf(path, sizeof(path), "%s/%s",
	    dir ? dir : "tests/unit/data/selfcheck", name);
	return path;
}

/* Parse fixture NAME as FAMILY/PROTO into SOCKS. */
static void
parse_fixture(const char *name, int family, int proto,
    struct selfcheck_socks *socks)
{
	FILE *fp = fopen(data_path(name), "r");

	assert_non_null(fp);
	assert_int_equal(selfcheck_kernel_parse_proc(fp, family, proto, socks),
	    0);
	fclose(fp);
}

/* TCP: only the LISTEN sockets, with their inode; connections dropped. */
static void
test_selfcheck_proc_tcp_keeps_listeners_only(void **state)
{
	struct selfcheck_socks socks = { 0 };

	(void)state;
	parse_fixture("proc_net_tcp", AF_INET, IPPROTO_TCP, &socks);
	assert_int_equal(socks.ss_n, 2);
	assert_string_equal(sock_str(&socks.ss_v[0]), "0.0.0.0:7777");
	assert_int_equal(socks.ss_v[0].sk_inode, 180564);
	assert_string_equal(sock_str(&socks.ss_v[1]), "127.0.0.1:8080");
	assert_int_equal(socks.ss_v[1].sk_proto, IPPROTO_TCP);
	parse_fixture("proc_net_tcp6", AF_INET6, IPPROTO_TCP, &socks);
	assert_int_equal(socks.ss_n, 4);
	assert_string_equal(sock_str(&socks.ss_v[2]), "2001:db8::1:2222");
	assert_string_equal(sock_str(&socks.ss_v[3]), ":::9999");
	assert_int_equal(socks.ss_v[3].sk_v6only, -1);
	selfcheck_socks_free(&socks);
}

/* UDP: unconnected sockets only; a connected client is not an exposure. */
static void
test_selfcheck_proc_udp_drops_connected(void **state)
{
	struct selfcheck_socks socks = { 0 };

	(void)state;
	parse_fixture("proc_net_udp", AF_INET, IPPROTO_UDP, &socks);
	assert_int_equal(socks.ss_n, 1);
	assert_string_equal(sock_str(&socks.ss_v[0]), "0.0.0.0:5353");
	assert_int_equal(socks.ss_v[0].sk_inode, 180567);
	parse_fixture("proc_net_udp6", AF_INET6, IPPROTO_UDP, &socks);
	assert_int_equal(socks.ss_n, 2);
	assert_string_equal(sock_str(&socks.ss_v[1]), ":::69");
	selfcheck_socks_free(&socks);
}

/* A malformed line is an error, not a silently shorter table. */
static void
test_selfcheck_proc_malformed_is_error(void **state)
{
	struct selfcheck_socks socks = { 0 };
	char text[] = "  sl  local_address ...\n   0: zzzz\n";
	FILE *fp = fmemopen(text, strlen(text), "r");

	(void)state;
	assert_int_equal(selfcheck_kernel_parse_proc(fp, AF_INET, IPPROTO_TCP,
	    &socks), -1);
	fclose(fp);
	selfcheck_socks_free(&socks);
}

/* Append one SOCK_DIAG_BY_FAMILY message to BUF at *OFF. */
static void
put_diag(char *buf, size_t *off, int family, const char *addr, int sport,
    int dport, unsigned inode, int v6only)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)(buf + *off);
	struct inet_diag_msg *m = NLMSG_DATA(nh);
	struct rtattr *rta = (struct rtattr *)(m + 1);
	size_t len = NLMSG_LENGTH(sizeof(*m));

	memset(nh, 0, NLMSG_SPACE(sizeof(*m)) + RTA_SPACE(1));
	m->idiag_family = (uint8_t)family;
	inet_pton(family, addr, m->id.idiag_src);
	m->id.idiag_sport = htons((uint16_t)sport);
	m->id.idiag_dport = htons((uint16_t)dport);
	m->id.idiag_if = 3;
	m->idiag_uid = 65534;
	m->idiag_inode = inode;
	if (v6only >= 0) {
		rta->rta_type = INET_DIAG_SKV6ONLY;
		rta->rta_len = RTA_LENGTH(1);
		*(uint8_t *)RTA_DATA(rta) = (uint8_t)v6only;
		len = NLMSG_ALIGN(len) + RTA_SPACE(1);
	}
	nh->nlmsg_len = (uint32_t)len;
	nh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nh->nlmsg_seq = 7;
	*off += NLMSG_ALIGN(len);
}

/* A built reply: fields copied, v6only read, connected UDP dropped. */
static void
test_selfcheck_diag_reply_parsed(void **state)
{
	static char buf[4096] __attribute__((aligned(8)));
	struct selfcheck_socks socks = { 0 };
	struct nlmsghdr *done;
	size_t off = 0;

	(void)state;
	put_diag(buf, &off, AF_INET6, "::", 53, 0, 4242, 1);
	put_diag(buf, &off, AF_INET6, "2001:db8::1", 53, 33000, 4243, 0);
	put_diag(buf, &off, AF_INET, "192.0.2.1", 53, 0, 4244, -1);
	assert_int_equal(selfcheck_kernel_parse_diag(buf, off, IPPROTO_UDP, 7,
	    &socks), 0);
	assert_int_equal(socks.ss_n, 2);
	assert_string_equal(sock_str(&socks.ss_v[0]), ":::53");
	assert_int_equal(socks.ss_v[0].sk_v6only, 1);
	assert_int_equal(socks.ss_v[0].sk_inode, 4242);
	assert_int_equal(socks.ss_v[0].sk_uid, 65534);
	assert_int_equal(socks.ss_v[0].sk_ifindex, 3);
	assert_string_equal(sock_str(&socks.ss_v[1]), "192.0.2.1:53");
	assert_int_equal(socks.ss_v[1].sk_v6only, 0);
	done = (struct nlmsghdr *)buf;
	memset(done, 0, NLMSG_SPACE(4));
	done->nlmsg_len = NLMSG_LENGTH(4);
	done->nlmsg_type = NLMSG_DONE;
	done->nlmsg_seq = 7;
	assert_int_equal(selfcheck_kernel_parse_diag(buf, NLMSG_SPACE(4),
	    IPPROTO_UDP, 7, &socks), 1);
	selfcheck_socks_free(&socks);
}

/*
 * An IPv6 socket bound to ::ffff:0.0.0.0 or ::ffff:192.0.2.7 is read as
 * the IPv4 bind it means (sk_mapped), TCP and UDP; a connected UDP-lite
 * socket is a client like a UDP one.
 */
static void
test_selfcheck_diag_v4mapped_read_as_ipv4(void **state)
{
	static char buf[4096] __attribute__((aligned(8)));
	struct selfcheck_socks socks = { 0 };
	size_t off = 0;

	(void)state;
	put_diag(buf, &off, AF_INET6, "::ffff:0.0.0.0", 7003, 0, 1, 0);
	put_diag(buf, &off, AF_INET6, "::ffff:192.0.2.7", 7004, 0, 2, -1);
	assert_int_equal(selfcheck_kernel_parse_diag(buf, off, IPPROTO_TCP, 7,
	    &socks), 0);
	off = 0;
	put_diag(buf, &off, AF_INET6, "::ffff:0.0.0.0", 7005, 0, 3, 0);
	put_diag(buf, &off, AF_INET6, "::", 7006, 4000, 4, 0);
	assert_int_equal(selfcheck_kernel_parse_diag(buf, off, IPPROTO_UDPLITE,
	    7, &socks), 0);
	assert_int_equal(socks.ss_n, 3);
	assert_string_equal(sock_str(&socks.ss_v[0]), "0.0.0.0:7003");
	assert_int_equal(socks.ss_v[0].sk_ip.ip_family, AF_INET);
	assert_int_equal(socks.ss_v[0].sk_mapped, 1);
	assert_int_equal(socks.ss_v[0].sk_v6only, 0);
	assert_string_equal(sock_str(&socks.ss_v[1]), "192.0.2.7:7004");
	assert_int_equal(socks.ss_v[1].sk_mapped, 1);
	assert_string_equal(sock_str(&socks.ss_v[2]), "0.0.0.0:7005");
	assert_int_equal(socks.ss_v[2].sk_proto, IPPROTO_UDPLITE);
	selfcheck_socks_free(&socks);
}

/* /proc/net/tcp6's ::ffff:0.0.0.0 listener is read as 0.0.0.0 too. */
static void
test_selfcheck_proc_v4mapped_read_as_ipv4(void **state)
{
	struct selfcheck_socks socks = { 0 };
	char text[] = "  sl  local_address ...\n"
	    "   0: 0000000000000000FFFF000000000000:1B5B "
	    "00000000000000000000000000000000:0000 0A 00000000:00000000 "
	    "00:00000000 00000000     0        0 22687249 1 0000 100 0 0 10 0\n";
	FILE *fp = fmemopen(text, strlen(text), "r");

	(void)state;
	assert_int_equal(selfcheck_kernel_parse_proc(fp, AF_INET6, IPPROTO_TCP,
	    &socks), 0);
	fclose(fp);
	assert_int_equal(socks.ss_n, 1);
	assert_string_equal(sock_str(&socks.ss_v[0]), "0.0.0.0:7003");
	assert_int_equal(socks.ss_v[0].sk_mapped, 1);
	selfcheck_socks_free(&socks);
}

/*
 * A family the kernel has but sock_diag cannot list (no sctp_diag) leaves
 * every port of it undecided, the audit WARNING; one the kernel lacks
 * does not (no such socket can exist), and the text names both.
 */
static void
test_selfcheck_unreadable_family_is_undecided(void **state)
{
	struct selfcheck_socks socks = { .ss_source = "sock_diag" };
	struct selfcheck_result rs;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	memset(&rs, 0, sizeof(rs));
	socks.ss_fam[0] = (struct selfcheck_family){ IPPROTO_TCP, SCFM_READ,
		0 };
	socks.ss_fam[1] = (struct selfcheck_family){ IPPROTO_SCTP,
		SCFM_UNREAD, ENOENT };
	socks.ss_fam[2] = (struct selfcheck_family){ IPPROTO_DCCP,
		SCFM_ABSENT, 0 };
	assert_int_equal(selfcheck_kernel_undecided(&socks, &rs), 0);
	assert_int_equal(rs.rs_nundec, 1);
	assert_int_equal(rs.rs_undec[0].un_proto, IPPROTO_SCTP);
	assert_int_equal(rs.rs_undec[0].un_ports, 65535);
	assert_int_equal(rs.rs_status, SELFCHECK_WARNING);
	assert_non_null(fp = open_memstream(&text, &len));
	selfcheck_kernel_text(fp, &socks);
	selfcheck_undecided_text(fp, &rs);
	fclose(fp);
	assert_string_equal(text, "TABLE sock_diag: read tcp; could not read "
	    "sctp (No such file or directory), dccp (not in this kernel: no "
	    "such socket can exist)\n; sctp every address 65535 ports "
	    "undecided (the kernel's table of it is unreadable: No such file "
	    "or directory)");
	free(text);
	selfcheck_result_free(&rs);
}

/* An NLMSG_ERROR reply fails the dump with the kernel's errno. */
static void
test_selfcheck_diag_error_sets_errno(void **state)
{
	static char buf[256] __attribute__((aligned(8)));
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = NLMSG_DATA(nh);
	struct selfcheck_socks socks = { 0 };

	(void)state;
	nh->nlmsg_len = NLMSG_LENGTH(sizeof(*e));
	nh->nlmsg_type = NLMSG_ERROR;
	nh->nlmsg_seq = 1;
	e->error = -ENOENT;
	assert_int_equal(selfcheck_kernel_parse_diag(buf, nh->nlmsg_len,
	    IPPROTO_TCP, 1, &socks), -1);
	assert_int_equal(errno, ENOENT);
	selfcheck_socks_free(&socks);
}

/* Compare TEXT with golden file NAME (or rewrite it on request). */
static void
check_golden(const char *name, const char *text)
{
	char *want;
	long n;
	FILE *fp;

	if (getenv("SELFCHECK_UPDATE_GOLDEN") != NULL) {
		assert_non_null(fp = fopen(data_path(name), "w"));
		fputs(text, fp);
		fclose(fp);
	}
	assert_non_null(fp = fopen(data_path(name), "r"));
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	assert_non_null(want = calloc(1, (size_t)n + 1));
	assert_int_equal(fread(want, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	assert_string_equal(text, want);
	free(want);
}

/* One audit with every kind of finding, for the golden reports. */
static void
golden_audit(struct selfcheck_socks *socks, struct selfcheck_probe *pb,
    struct selfcheck_result *rs)
{
	static const char *const a[] = { "127.0.0.1", "192.0.2.1", "::1" };
	struct selfcheck_decl d[4];
	struct selfcheck_ip addrs[3];
	struct selfcheck_opts op = { .so_local_drift = 1 };
	struct selfcheck_sock *sk;
	size_t i;

	memset(d, 0, sizeof(d));
	d[0].dc_name = "ssh-alt";
	d[0].dc_proto = IPPROTO_TCP;
	selfcheck_ip_parse("::", &d[0].dc_ip);
	d[0].dc_port = 2222;
	d[1] = d[0];
	d[1].dc_name = "web";
	d[1].dc_port = 8080;
	selfcheck_ip_parse("127.0.0.1", &d[1].dc_ip);
	d[2] = d[1];
	d[2].dc_name = "tftp";
	d[2].dc_proto = IPPROTO_UDP;
	d[2].dc_port = 69;
	d[3] = d[1];
	d[3].dc_name = "alt";
	d[3].dc_port = 9999;
	selfcheck_ip_parse("192.0.2.1", &d[3].dc_ip);
	parse_fixture("proc_net_tcp", AF_INET, IPPROTO_TCP, socks);
	parse_fixture("proc_net_tcp6", AF_INET6, IPPROTO_TCP, socks);
	parse_fixture("proc_net_udp", AF_INET, IPPROTO_UDP, socks);
	socks->ss_source = "/proc/net";
	socks->ss_fam[0] = (struct selfcheck_family){ IPPROTO_TCP, SCFM_READ,
		0 };
	socks->ss_fam[1] = (struct selfcheck_family){ IPPROTO_UDP, SCFM_READ,
		0 };
	socks->ss_fam[2] = (struct selfcheck_family){ IPPROTO_SCTP,
		SCFM_ABSENT, 0 };
	socks->ss_fam[3] = (struct selfcheck_family){ IPPROTO_MPTCP,
		SCFM_ASTCP, 0 };
	assert_non_null(sk = &socks->ss_v[2]);	/* [2001:db8::1]:2222 */
	sk->sk_v6only = 1;
	sk = &socks->ss_v[1];			/* 127.0.0.1:8080: superd */
	sk->sk_nowners = sk->sk_nholders = 1;
	sk->sk_owners[0] = (struct selfcheck_owner){ .ow_pid = 42,
		.ow_comm = "superd", .ow_exe = "/usr/sbin/superd",
		.ow_superd = 1 };
	sk->sk_ifindex = 1;			/* SO_BINDTODEVICE lo */
	sk = &socks->ss_v[0];			/* 0.0.0.0:7777: a stray */
	sk->sk_nowners = sk->sk_nholders = 1;
	sk->sk_owners[0] = (struct selfcheck_owner){ .ow_pid = 77,
		.ow_uid = 65534, .ow_comm = "socat", .ow_exe = "/usr/bin/socat",
		.ow_cgroup = "/user.slice/user-1000.slice/session-3.scope",
		.ow_in = SCW_SESSION, .ow_where = "session-3.scope",
		.ow_nanc = 4, .ow_anc = { { 77, "socat" }, { 70, "bash" },
		{ 60, "sshd" }, { 1, "systemd" } } };
	for (i = 0; i < 3; i++) {
		selfcheck_ip_parse(a[i], &addrs[i]);
		addrs[i].ip_ifindex = i == 1 ? 2 : 1;	/* lo, and eth */
	}
	memset(pb, 0, sizeof(*pb));
	pb->pb_mode = "syn";
	pb->pb_udp_mode = "icmp";
	pb->pb_udp_deadline = 5000;
	pb->pb_udp_ms = 321;
	pb->pb_udp_complete = 1;
	pb->pb_lo = 1;
	pb->pb_hi = 65535;
	pb->pb_v = calloc(3, sizeof(*pb->pb_v));
	for (i = 0; i < 3; i++, pb->pb_n++) {
		pb->pb_v[i].pr_ip = addrs[i];
		pb->pb_v[i].pr_state = calloc(65536, 1);
		memset(pb->pb_v[i].pr_state + 1, SCP_CLOSED, 65535);
		pb->pb_v[i].pr_udp = calloc(65536, 1);
		memset(pb->pb_v[i].pr_udp + 1, SCP_CLOSED, 65535);
	}
	pb->pb_v[0].pr_udp[4000] = SCP_SKIPPED;	/* a superd socket */
	pb->pb_v[1].pr_udp[5353] = SCP_OPENFILTERED; /* the table's */
	pb->pb_v[1].pr_udp[5400] = SCP_OPENFILTERED; /* nothing bound */
	pb->pb_v[1].pr_udp[40000] = SCP_UNKNOWN;
	pb->pb_v[0].pr_state[7777] = pb->pb_v[1].pr_state[7777] = SCP_OPEN;
	pb->pb_v[0].pr_state[8080] = SCP_OPEN;
	pb->pb_v[2].pr_state[9999] = SCP_OPEN;
	assert_int_equal(selfcheck_diff(d, 4, socks, addrs, 3, pb, &op, rs), 0);
}

/* What the golden audit covered: its config, protocols, ports, addresses. */
static const struct selfcheck_scope *
golden_scope(void)
{
	static struct selfcheck_ip addrs[3];
	static struct selfcheck_opts op = { .so_tcp = 1, .so_udp = 1,
		.so_lo = 1, .so_hi = 65535, .so_probe = 1 };
	static struct selfcheck_scope sc = { .sc_conf = "/etc/superd.conf",
		.sc_ndecl = 4, .sc_addrs = addrs, .sc_naddr = 3,
		.sc_opts = &op };

	selfcheck_ip_parse("127.0.0.1", &addrs[0]);
	selfcheck_ip_parse("192.0.2.1", &addrs[1]);
	selfcheck_ip_parse("::1", &addrs[2]);
	return &sc;
}

/* The JSON report matches the documented schema, byte for byte. */
static void
test_selfcheck_report_json_golden(void **state)
{
	struct selfcheck_socks socks = { 0 };
	struct selfcheck_probe pb;
	struct selfcheck_result rs;
	char *json;

	(void)state;
	golden_audit(&socks, &pb, &rs);
	assert_int_equal(rs.rs_status, SELFCHECK_CRITICAL);
	assert_non_null(json = selfcheck_report_json(&rs, &pb, &socks, golden_scope()));
	check_golden("report.json", json);
	free(json);
	selfcheck_result_free(&rs);
	selfcheck_probe_free(&pb);
	selfcheck_socks_free(&socks);
}

/* Write REPORT (0 text, 1 Prometheus) of the golden audit; compare to NAME. */
static void
check_stream_golden(const char *name, int report)
{
	struct selfcheck_socks socks = { 0 };
	struct selfcheck_probe pb;
	struct selfcheck_result rs;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	golden_audit(&socks, &pb, &rs);
	assert_non_null(fp = open_memstream(&text, &len));
	if (report == 0)
		selfcheck_report_text(fp, &rs, &pb, &socks, golden_scope());
	else
		selfcheck_report_prom(fp, &rs, 1.25, 1700000000);
	fclose(fp);
	check_golden(name, text);
	free(text);
	selfcheck_result_free(&rs);
	selfcheck_probe_free(&pb);
	selfcheck_socks_free(&socks);
}

/* The human table matches, including the plugin-style summary line. */
static void
test_selfcheck_report_text_golden(void **state)
{
	(void)state;
	check_stream_golden("report.txt", 0);
}

/* The Prometheus exposition matches, with fixed duration and timestamp. */
static void
test_selfcheck_report_prom_golden(void **state)
{
	(void)state;
	check_stream_golden("report.prom", 1);
}

/* Label values: a name's text form (\\, \x0a), backslash and quote escaped. */
static void
test_selfcheck_report_prom_escapes_labels(void **state)
{
	struct selfcheck_sock sk = { .sk_nowners = 1 };
	struct selfcheck_finding f = { .fd_kind = SCK_EXPOSED,
		.fd_severity = SELFCHECK_CRITICAL, .fd_proto = IPPROTO_UDP,
		.fd_port = 5353, .fd_service = "a\"b", .fd_sock = &sk };
	struct selfcheck_result rs = { .rs_v = &f, .rs_n = 1,
		.rs_status = SELFCHECK_CRITICAL };
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	rs.rs_count[SCK_EXPOSED] = 1;
	selfcheck_ip_parse("2001:db8::1", &f.fd_ip);
	sk.sk_owners[0] = (struct selfcheck_owner){ .ow_pid = 9,
		.ow_comm = "x\\y\nz'" };
	assert_non_null(fp = open_memstream(&text, &len));
	selfcheck_report_prom(fp, &rs, 0, 0);
	fclose(fp);
	assert_non_null(strstr(text, "\nsuperd_selfcheck_finding{proto=\"udp\","
	    "address=\"2001:db8::1\",port=\"5353\",finding=\"exposed\","
	    "severity=\"CRITICAL\",service=\"a\\\"b\","
	    "owner=\"x\\\\\\\\y\\\\x0az'\",pid=\"9\"} 1\n"));
	assert_non_null(strstr(text, "superd_selfcheck_status 2\n"));
	free(text);
}

/* An audit that could not run: status 3, no findings, still well-formed. */
static void
test_selfcheck_report_prom_unknown(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	assert_non_null(fp = open_memstream(&text, &len));
	selfcheck_report_prom(fp, NULL, 0.5, 1700000000);
	fclose(fp);
	assert_non_null(strstr(text, "\nsuperd_selfcheck_status 3\n"));
	assert_non_null(strstr(text,
	    "\nsuperd_selfcheck_timestamp_seconds 1700000000.000\n"));
	assert_null(strstr(text, "superd_selfcheck_finding"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selfcheck_proc_tcp_keeps_listeners_only),
		cmocka_unit_test(test_selfcheck_proc_udp_drops_connected),
		cmocka_unit_test(test_selfcheck_proc_malformed_is_error),
		cmocka_unit_test(test_selfcheck_diag_reply_parsed),
		cmocka_unit_test(test_selfcheck_diag_v4mapped_read_as_ipv4),
		cmocka_unit_test(test_selfcheck_unreadable_family_is_undecided),
		cmocka_unit_test(test_selfcheck_proc_v4mapped_read_as_ipv4),
		cmocka_unit_test(test_selfcheck_diag_error_sets_errno),
		cmocka_unit_test(test_selfcheck_report_json_golden),
		cmocka_unit_test(test_selfcheck_report_text_golden),
		cmocka_unit_test(test_selfcheck_report_prom_golden),
		cmocka_unit_test(test_selfcheck_report_prom_escapes_labels),
		cmocka_unit_test(test_selfcheck_report_prom_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
