/* SPDX-License-Identifier: ISC */
/*
 * Address equivalence (selfcheck_equiv.c): which addresses are probed,
 * which share a representative's answers, and the spreading of a probe.
 */
#include <sys/socket.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "selfcheck.h"

/* IP parsed from S. */
static struct selfcheck_ip
ip_of(const char *s)
{
	struct selfcheck_ip ip;

	assert_int_equal(selfcheck_ip_parse(s, &ip), 0);
	return ip;
}

/* Five addresses: two IPv4, one more IPv4, one IPv6, one loopback. */
static const char *const addrs[] = { "192.0.2.1", "192.0.2.2", "192.0.2.3",
	"2001:db8::1", "127.0.0.1" };
#define NADDR (sizeof(addrs) / sizeof(addrs[0]))

/* The classes of addrs with SOCKS, DECLS (NDECL) and FW into REP. */
static size_t
classes(const struct selfcheck_socks *socks, const struct selfcheck_decl *decls,
    size_t ndecl, const struct selfcheck_fw *fw, size_t *rep)
{
	struct selfcheck_ip ips[NADDR];
	size_t i;

	for (i = 0; i < NADDR; i++)
		ips[i] = ip_of(addrs[i]);
	return selfcheck_equiv_classes(ips, NADDR, socks, decls, ndecl, fw,
	    rep);
}

/* Wildcard listeners only, an empty ruleset: one probe per family kind. */
static void
test_equiv_wildcards(void **state)
{
	struct selfcheck_socks socks = { 0 };
	struct selfcheck_fw fw = { 0 };
	struct selfcheck_sock *sk;
	size_t rep[NADDR];

	(void)state;
	fw.fw_ok = 1;
	assert_non_null(sk = selfcheck_socks_add(&socks));
	sk->sk_proto = IPPROTO_TCP;
	sk->sk_ip = ip_of("0.0.0.0");
	sk->sk_port = 22;
	assert_int_equal(classes(&socks, NULL, 0, &fw, rep), 3);
	assert_int_equal(rep[0], 0);
	assert_int_equal(rep[1], 0);
	assert_int_equal(rep[2], 0);
	assert_int_equal(rep[3], 3);	/* another family */
	assert_int_equal(rep[4], 4);	/* loopback: its own class */
	selfcheck_socks_free(&socks);
}

/* A specific bind, a declaration, a rule: each address probed itself. */
static void
test_equiv_named(void **state)
{
	struct selfcheck_socks socks = { 0 };
	struct selfcheck_fw fw = { 0 };
	struct selfcheck_fw_rule rule;
	struct selfcheck_decl decl;
	struct selfcheck_sock *sk;
	size_t rep[NADDR];

	(void)state;
	fw.fw_ok = 1;
	assert_non_null(sk = selfcheck_socks_add(&socks));
	sk->sk_proto = IPPROTO_UDP;
	sk->sk_ip = ip_of("::ffff:192.0.2.2");	/* read as IPv4 */
	sk->sk_port = 5353;
	assert_int_equal(classes(&socks, NULL, 0, &fw, rep), 4);
	assert_int_equal(rep[1], 1);
	assert_int_equal(rep[2], 0);
	memset(&decl, 0, sizeof(decl));
	decl.dc_proto = IPPROTO_TCP;
	decl.dc_ip = ip_of("192.0.2.1");
	decl.dc_port = 7;
	assert_int_equal(classes(&socks, &decl, 1, &fw, rep), 5);
	memset(&rule, 0, sizeof(rule));
	rule.fr_ndst = 1;
	rule.fr_dst[0].fp_ip = ip_of("192.0.2.3");
	rule.fr_dst[0].fp_len = 32;
	fw.fw_rules = &rule;
	fw.fw_nrules = 1;
	selfcheck_socks_free(&socks);
	assert_int_equal(classes(&socks, NULL, 0, &fw, rep), 4);
	assert_int_equal(rep[2], 2);
	assert_int_equal(rep[1], 0);
}

/* A rule the model does not read, or no ruleset: every address alone. */
static void
test_equiv_unsure(void **state)
{
	struct selfcheck_socks socks = { 0 };
	struct selfcheck_fw fw = { 0 };
	struct selfcheck_fw_rule rule;
	size_t rep[NADDR];

	(void)state;
	assert_int_equal(classes(&socks, NULL, 0, NULL, rep), NADDR);
	assert_int_equal(classes(&socks, NULL, 0, &fw, rep), NADDR);
	fw.fw_ok = 1;
	memset(&rule, 0, sizeof(rule));
	rule.fr_unknown = 1;
	fw.fw_rules = &rule;
	fw.fw_nrules = 1;
	assert_int_equal(classes(&socks, NULL, 0, &fw, rep), NADDR);
	/* A source match names what its prefix covers, a set everything. */
	rule.fr_unknown = 0;
	rule.fr_src = 1;
	snprintf(rule.fr_srctext, sizeof(rule.fr_srctext),
	    "ip saddr 192.0.2.0/31");
	assert_int_equal(classes(&socks, NULL, 0, &fw, rep), 4);
	assert_int_equal(rep[0], 0);	/* named */
	assert_int_equal(rep[2], 1);	/* 192.0.2.2 is not */
	snprintf(rule.fr_srctext, sizeof(rule.fr_srctext), "ip saddr {...}");
	assert_int_equal(classes(&socks, NULL, 0, &fw, rep), NADDR);
}

/* The representative's answers are copied, and the copy says by whom. */
static void
test_equiv_expand(void **state)
{
	struct selfcheck_probe sub, full;
	struct selfcheck_opts op;
	struct selfcheck_ip ips[3] = { ip_of("192.0.2.1"), ip_of("192.0.2.2"),
		ip_of("192.0.2.3") };
	struct selfcheck_ip probed[2] = { ips[0], ips[2] };
	size_t rep[3] = { 0, 0, 2 };

	(void)state;
	memset(&op, 0, sizeof(op));
	op.so_lo = 1;
	op.so_hi = 65535;
	assert_int_equal(selfcheck_probe_prepare(&sub, probed, 2, &op), 0);
	sub.pb_v[0].pr_state[22] = SCP_OPEN;
	sub.pb_v[1].pr_state[80] = SCP_OPEN;
	assert_int_equal(selfcheck_equiv_expand(&sub, rep, ips, 3, &full), 0);
	assert_int_equal(full.pb_n, 3);
	assert_int_equal(selfcheck_probe_state(&full, IPPROTO_TCP, &ips[1], 22),
	    SCP_OPEN);
	assert_int_equal(selfcheck_probe_state(&full, IPPROTO_TCP, &ips[1], 80),
	    SCP_UNPROBED);
	assert_int_equal(selfcheck_probe_state(&full, IPPROTO_TCP, &ips[2], 80),
	    SCP_OPEN);
	assert_int_equal(full.pb_v[1].pr_by, 1);
	assert_int_equal(full.pb_v[0].pr_by, 0);
	assert_true(full.pb_v[1].pr_state != full.pb_v[0].pr_state);
	selfcheck_probe_free(&sub);
	selfcheck_probe_free(&full);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equiv_wildcards),
		cmocka_unit_test(test_equiv_named),
		cmocka_unit_test(test_equiv_unsure),
		cmocka_unit_test(test_equiv_expand),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
