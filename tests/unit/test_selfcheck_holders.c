/* SPDX-License-Identifier: ISC */
/*
 * Regression tests of the report writers' small truths: the summary of a
 * --no-probe audit counts the addresses the table decided (it said
 * addresses=0); a udplite row lines up with the header (PROTO was 5
 * wide); the Prometheus owner label and the daemon's periodic log line
 * name every holder of a socket (they named the first); the periodic log
 * shows an owner's invalid byte as \xff, as the one-shot text does (it
 * showed the U+FFFD of the child's JSON); a comma in a holder's name
 * does not make it read as two holders.
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
#include <syslog.h>

#include <cmocka.h>

#include "selfcheck.h"

/* A stray TCP socket on 0.0.0.0:7777 held by three processes. */
static struct selfcheck_sock *
three_holders(void)
{
	static struct selfcheck_sock sk;

	memset(&sk, 0, sizeof(sk));
	sk.sk_proto = IPPROTO_TCP;
	selfcheck_ip_parse("0.0.0.0", &sk.sk_ip);
	sk.sk_port = 7777;
	sk.sk_inode = 99;
	sk.sk_nowners = 2;
	sk.sk_nholders = 3;
	sk.sk_owners[0] = (struct selfcheck_owner){ .ow_pid = 10,
		.ow_comm = "nginx" };
	sk.sk_owners[1] = (struct selfcheck_owner){ .ow_pid = 11,
		.ow_comm = "ngi\xffnx w" };
	return &sk;
}

/* A result with one exposed finding on SK's endpoint, protocol PROTO. */
static void
one_finding(struct selfcheck_result *rs, const struct selfcheck_sock *sk,
    int proto)
{
	struct selfcheck_finding *f;

	memset(rs, 0, sizeof(*rs));
	assert_non_null(f = selfcheck_finding_add(rs, SCK_EXPOSED,
	    SELFCHECK_CRITICAL, proto, &sk->sk_ip, sk->sk_port));
	f->fd_sock = sk;
	f->fd_evidence = SCE_TABLE;
}

/* The audit's scope: two addresses, no probe. */
static const struct selfcheck_scope *
scope_noprobe(void)
{
	static struct selfcheck_ip addrs[2];
	static struct selfcheck_opts op = { .so_tcp = 1, .so_udp = 1,
		.so_lo = 1, .so_hi = 65535, .so_probe = 0 };
	static struct selfcheck_scope sc = { .sc_conf = "/etc/superd.conf",
		.sc_addrs = addrs, .sc_naddr = 2, .sc_opts = &op };

	selfcheck_ip_parse("127.0.0.1", &addrs[0]);
	selfcheck_ip_parse("::1", &addrs[1]);
	return &sc;
}

/* The text report of RS into a new string. */
static char *
text_of(const struct selfcheck_result *rs, const struct selfcheck_probe *pb,
    const struct selfcheck_socks *socks)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	assert_non_null(fp = open_memstream(&text, &len));
	selfcheck_report_text(fp, rs, pb, socks, scope_noprobe());
	fclose(fp);
	return text;
}

/* The Prometheus exposition of RS into a new string. */
static char *
prom_of(const struct selfcheck_result *rs)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	assert_non_null(fp = open_memstream(&text, &len));
	selfcheck_report_prom(fp, rs, 0.5, 1.0);
	fclose(fp);
	return text;
}

/* --no-probe: the summary said addresses=0; it counts the audited ones. */
static void
test_selfcheck_noprobe_summary_counts_addresses(void **state)
{
	struct selfcheck_socks socks = { .ss_source = "sock_diag" };
	struct selfcheck_probe pb = { .pb_mode = "none", .pb_udp_mode = "none" };
	struct selfcheck_result rs;
	char *text;

	(void)state;
	one_finding(&rs, three_holders(), IPPROTO_TCP);
	text = text_of(&rs, &pb, &socks);
	assert_non_null(strstr(text, " probe=none udp=none addresses=2\n"));
	free(text);
	selfcheck_result_free(&rs);
}

/* A udplite row's columns were shifted by two: they line up now. */
static void
test_selfcheck_udplite_row_aligned(void **state)
{
	struct selfcheck_socks socks = { .ss_source = "sock_diag" };
	struct selfcheck_probe pb = { .pb_mode = "none", .pb_udp_mode = "none" };
	struct selfcheck_result rs;
	char *text, *head, *row;

	(void)state;
	one_finding(&rs, three_holders(), IPPROTO_UDPLITE);
	text = text_of(&rs, &pb, &socks);
	assert_non_null(head = strstr(text, "ENDPOINT"));
	assert_non_null(row = strstr(text, "\n0.0.0.0:7777"));
	row++;
	assert_int_equal(strstr(head, "PROBE") - head,
	    strstr(row, "unprobed") - row);
	assert_int_equal(strstr(head, "FINDING") - head,
	    strstr(row, "exposed") - row);
	assert_int_equal(strstr(head, "OWNER") - head,
	    strstr(row, "10/nginx") - row);
	free(text);
	selfcheck_result_free(&rs);
}

/* Prometheus named the first holder only: every one now, in order. */
static void
test_selfcheck_prom_owner_names_every_holder(void **state)
{
	struct selfcheck_result rs;
	char *text;

	(void)state;
	one_finding(&rs, three_holders(), IPPROTO_TCP);
	text = prom_of(&rs);
	assert_non_null(strstr(text, ",owner=\"nginx,ngi\\\\xffnx w,+1\","
	    "pid=\"10,11,+1\"} 1\n"));
	free(text);
	selfcheck_result_free(&rs);
}

/* Keep the warning lines the log writes (log_tap). */
static void
tap(void *arg, int pri, const char *line)
{
	char *keep = arg;

	if (pri == LOG_WARNING && strstr(line, "finding=") != NULL)
		snprintf(keep, 1024, "%s", line);
}

/*
 * The daemon's periodic log line (LINE, 1024 bytes) of the critical
 * result RS, from the JSON its audit child writes.
 */
static void
periodic_line(struct selfcheck_result *rs, char *line)
{
	struct selfcheck_socks socks = { .ss_source = "sock_diag" };
	struct selfcheck_probe pb = { .pb_mode = "none", .pb_udp_mode = "none" };
	struct selfcheck_state *st;
	char *json;

	rs->rs_status = SELFCHECK_CRITICAL;
	assert_non_null(json = selfcheck_report_json(rs, &pb, &socks,
	    scope_noprobe()));
	assert_non_null(st = selfcheck_state_new());
	log_quiet(1);
	log_tap(tap, line);
	assert_int_equal(selfcheck_periodic_report(st, json, strlen(json)),
	    SELFCHECK_CRITICAL);
	log_tap(NULL, NULL);
	selfcheck_state_free(st);
	free(json);
}

/*
 * The periodic log, from the child's JSON: every holder named, the
 * invalid byte \xff as the one-shot text shows it (not U+FFFD), the value
 * quoted (it holds a space).
 */
static void
test_selfcheck_periodic_log_names_every_holder_raw_bytes(void **state)
{
	struct selfcheck_result rs;
	char line[1024] = "";

	(void)state;
	one_finding(&rs, three_holders(), IPPROTO_TCP);
	periodic_line(&rs, line);
	assert_non_null(strstr(line, " owner=\"10/nginx,11/ngi\\xffnx w,+1\" "
	    "severity=CRITICAL"));
	selfcheck_result_free(&rs);
}

/*
 * A holder named "a,1/sshd" read as two holders, pid 10 "a" and pid 1
 * "sshd", in every list; its comma is \x2c now, in each output's form.
 */
static void
test_selfcheck_comma_in_name_is_one_holder(void **state)
{
	struct selfcheck_socks socks = { .ss_source = "sock_diag" };
	struct selfcheck_probe pb = { .pb_mode = "none", .pb_udp_mode = "none" };
	struct selfcheck_sock *sk = three_holders();
	struct selfcheck_result rs;
	char line[1024] = "", *text;

	(void)state;
	snprintf(sk->sk_owners[0].ow_comm, sizeof(sk->sk_owners[0].ow_comm),
	    "a,1/sshd");
	snprintf(sk->sk_owners[1].ow_comm, sizeof(sk->sk_owners[1].ow_comm),
	    "b c");
	one_finding(&rs, sk, IPPROTO_TCP);
	text = text_of(&rs, &pb, &socks);
	assert_non_null(strstr(text, " 10/a\\x2c1/sshd(root),11/b c(root),+1\n"));
	free(text);

	text = prom_of(&rs);
	assert_non_null(strstr(text, ",owner=\"a\\\\x2c1/sshd,b c,+1\","
	    "pid=\"10,11,+1\"} 1\n"));
	free(text);

	periodic_line(&rs, line);
	assert_non_null(strstr(line, " owner=\"10/a\\x2c1/sshd,11/b c,+1\" "
	    "severity=CRITICAL"));
	selfcheck_result_free(&rs);
}

/* The text form comes back to its bytes: \\ and \xNN, nothing else. */
static void
test_selfcheck_holders_unescape(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(selfcheck_holders_unescape("a\\\\b\\xff\\x1b[c",
	    buf, sizeof(buf)), "a\\b\xff\x1b[c");
	assert_string_equal(selfcheck_holders_unescape("\\xz \\x0", buf,
	    sizeof(buf)), "\\xz \\x0");
	assert_string_equal(selfcheck_holders_unescape("abcdef", buf, 4),
	    "abc");
}

/* Runs the tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selfcheck_noprobe_summary_counts_addresses),
		cmocka_unit_test(test_selfcheck_udplite_row_aligned),
		cmocka_unit_test(test_selfcheck_prom_owner_names_every_holder),
		cmocka_unit_test(
		    test_selfcheck_periodic_log_names_every_holder_raw_bytes),
		cmocka_unit_test(test_selfcheck_comma_in_name_is_one_holder),
		cmocka_unit_test(test_selfcheck_holders_unescape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
