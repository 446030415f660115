/* SPDX-License-Identifier: ISC */
/*
 * The ruleset model: tests/unit/data/selfcheck/ruleset.json is the output
 * of `nft -j -a list ruleset` for a nat table (prerouting DNAT, REDIRECT
 * of a port set on one interface, DNAT of a range to 127.0.0.1, a jump to
 * a docker-like chain, an output redirect) and an inet filter (policy
 * drop, iif lo accept, ct state shortcut, an iifname drop, a source
 * reject, an accept of a port set).
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

/* The model of the fixture. */
static void
load(struct selfcheck_fw *fw)
{
	const char *dir = getenv("SELFCHECK_DATA");
	char path[512], *text;
	long n;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/ruleset.json",
	    dir ? dir : "tests/unit/data/selfcheck");
	assert_non_null(fp = fopen(path, "r"));
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	assert_non_null(text = calloc(1, (size_t)n + 1));
	assert_int_equal(fread(text, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	memset(fw, 0, sizeof(*fw));
	assert_int_equal(selfcheck_nft_parse(text, fw), 0);
	free(text);
}

/* The finding of KIND for PROTO ADDR:PORT in RS, or NULL. */
static const struct selfcheck_finding *
find(const struct selfcheck_result *rs, int kind, int proto, const char *addr,
    int port)
{
	struct selfcheck_ip ip;
	size_t i;

	assert_int_equal(selfcheck_ip_parse(addr, &ip), 0);
	for (i = 0; i < rs->rs_n; i++)
		if ((int)rs->rs_v[i].fd_kind == kind &&
		    rs->rs_v[i].fd_proto == proto &&
		    rs->rs_v[i].fd_port == port &&
		    selfcheck_ip_eq(&rs->rs_v[i].fd_ip, &ip))
			return &rs->rs_v[i];
	return NULL;
}

/* Chains, rules and the matches the model reads. */
static void
test_selfcheck_nft_parse(void **state)
{
	struct selfcheck_fw fw;
	char name[128];

	(void)state;
	load(&fw);
	assert_int_equal(fw.fw_nchains, 4);
	assert_int_equal(fw.fw_nrules, 11);
	assert_int_equal(fw.fw_rules[0].fr_verdict, SCV_DNAT);
	assert_int_equal(fw.fw_rules[0].fr_toport, 7013);
	assert_int_equal(fw.fw_rules[1].fr_nports, 2);
	assert_int_equal(fw.fw_rules[1].fr_iif, 3);
	assert_string_equal(fw.fw_rules[1].fr_iifname, "sc0");
	assert_int_equal(fw.fw_rules[6].fr_iif, 1);	/* iif lo accept */
	assert_int_equal(fw.fw_rules[7].fr_newonly, 1); /* ct state */
	assert_false(fw.fw_rules[5].fr_unknown);
	assert_string_equal(selfcheck_fw_rule_name(&fw, &fw.fw_rules[8], name,
	    sizeof(name)), "inet filter input handle 4");
	selfcheck_fw_free(&fw);
}

/* A rule shape the model lacks is unknown, not guessed. */
static void
test_selfcheck_nft_unknown_shape(void **state)
{
	struct selfcheck_fw fw = { 0 };

	(void)state;
	assert_int_equal(selfcheck_nft_parse("{\"nftables\":["
	    "{\"chain\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"in\","
	    "\"type\":\"filter\",\"hook\":\"input\",\"policy\":\"accept\"}},"
	    "{\"rule\":{\"family\":\"inet\",\"table\":\"t\",\"chain\":\"in\","
	    "\"handle\":3,\"expr\":[{\"match\":{\"op\":\"==\",\"left\":"
	    "{\"meta\":{\"key\":\"mark\"}},\"right\":1}},{\"drop\":null}]}}]}",
	    &fw), 0);
	assert_int_equal(fw.fw_nrules, 1);
	assert_true(fw.fw_rules[0].fr_unknown);
	selfcheck_fw_free(&fw);
	assert_int_equal(selfcheck_nft_parse("not json", &fw), -1);
	selfcheck_fw_free(&fw);
}

/* Filter verdicts and forwarded ports on the fixture. */
static void
test_selfcheck_nft_apply(void **state)
{
	struct selfcheck_decl d[2] = {
		{ .dc_name = "a", .dc_proto = IPPROTO_TCP, .dc_port = 7013 },
		{ .dc_name = "b", .dc_proto = IPPROTO_TCP, .dc_port = 7016 },
	};
	struct selfcheck_socks socks = { 0 };
	struct selfcheck_ip addrs[2];
	struct selfcheck_result rs = { 0 };
	const struct selfcheck_finding *f;
	struct selfcheck_fw fw;

	(void)state;
	load(&fw);
	selfcheck_ip_parse("192.0.2.1", &addrs[0]);
	selfcheck_ip_parse("127.0.0.1", &addrs[1]);
	d[0].dc_ip = d[1].dc_ip = addrs[0];
	assert_non_null(selfcheck_finding_add(&rs, SCK_OK, SELFCHECK_OK,
	    IPPROTO_TCP, &addrs[0], 7013));
	assert_non_null(selfcheck_finding_add(&rs, SCK_OK, SELFCHECK_OK,
	    IPPROTO_TCP, &addrs[0], 7016));
	assert_non_null(selfcheck_finding_add(&rs, SCK_OK, SELFCHECK_OK,
	    IPPROTO_TCP, &addrs[0], 22));
	assert_int_equal(selfcheck_fw_apply(&fw, d, 2, &socks, addrs, 2, &rs),
	    0);
	/* iifname "sc0" drop before the accept: partial. */
	assert_non_null(f = find(&rs, SCK_UNREACHABLE, IPPROTO_TCP,
	    "192.0.2.1", 7013));
	assert_int_equal(f->fd_fw, SCR_PARTIAL);
	assert_string_equal(f->fd_rule,
	    "inet filter input handle 4 (iifname sc0)");
	/* Nothing accepts 7016: the policy drops it. */
	assert_non_null(f = find(&rs, SCK_UNREACHABLE, IPPROTO_TCP,
	    "192.0.2.1", 7016));
	assert_int_equal(f->fd_severity, SELFCHECK_CRITICAL);
	assert_string_equal(f->fd_rule, "inet filter input policy drop");
	assert_non_null(find(&rs, SCK_OK, IPPROTO_TCP, "192.0.2.1", 22));
	/* Forwarded: DNAT, a REDIRECT of a set, a range, the docker jump. */
	assert_non_null(f = find(&rs, SCK_FORWARDED, IPPROTO_TCP,
	    "192.0.2.1", 8080));
	assert_int_equal(f->fd_severity, SELFCHECK_CRITICAL);
	assert_int_equal(f->fd_toport, 7013);
	assert_non_null(find(&rs, SCK_FORWARDED, IPPROTO_UDP, "192.0.2.1",
	    5001));
	assert_non_null(f = find(&rs, SCK_FORWARDED, IPPROTO_TCP, "192.0.2.1",
	    9000));
	assert_int_equal(f->fd_port_hi, 9010);
	assert_non_null(find(&rs, SCK_FORWARDED, IPPROTO_TCP, "192.0.2.1",
	    8888));
	/* Loopback addresses are not forwarded from outside. */
	assert_null(find(&rs, SCK_FORWARDED, IPPROTO_TCP, "127.0.0.1", 8080));
	assert_int_equal(rs.rs_status, SELFCHECK_CRITICAL);
	/* The output redirect concerns the probe: UDP 6000 is mapped. */
	assert_true(selfcheck_fw_maps(&fw, "output", IPPROTO_UDP, &addrs[1],
	    6000));
	assert_false(selfcheck_fw_maps(&fw, "output", IPPROTO_UDP, &addrs[1],
	    6001));
	selfcheck_result_free(&rs);
	selfcheck_fw_free(&fw);
}

/* Whether the port map of FW agrees with selfcheck_fw_maps everywhere. */
static void
same_maps(const struct selfcheck_fw *fw)
{
	static const char *const hooks[] = { "output", "prerouting" };
	static const char *const addrs[] = { "192.0.2.1", "127.0.0.1", "::1",
		"2001:db8::1", "::ffff:127.0.0.1" };
	static const int protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	struct selfcheck_ip ip;
	uint8_t *map;
	size_t h, a, p;
	int port;

	assert_non_null(map = malloc(65536));
	for (h = 0; h < 2; h++)
		for (a = 0; a < 5; a++)
			for (p = 0; p < 2; p++) {
				assert_int_equal(selfcheck_ip_parse(addrs[a],
				    &ip), 0);
				memset(map, 0x40, 65536);
				selfcheck_fw_map_ports(fw, hooks[h], protos[p],
				    &ip, map, 0x02);
				for (port = 0; port < 65536; port++)
					assert_int_equal(map[port] == 0x42,
					    selfcheck_fw_maps(fw, hooks[h],
					    protos[p], &ip, port));
			}
	free(map);
}

/* The map of every port at once says what selfcheck_fw_maps says per port. */
static void
test_selfcheck_nft_port_map(void **state)
{
	struct selfcheck_fw fw;

	(void)state;
	load(&fw);
	same_maps(&fw);
	selfcheck_fw_free(&fw);
	/* A NAT rule the model cannot read maps every port. */
	memset(&fw, 0, sizeof(fw));
	assert_int_equal(selfcheck_nft_parse("{\"nftables\":["
	    "{\"chain\":{\"family\":\"ip\",\"table\":\"n\",\"name\":\"o\","
	    "\"type\":\"nat\",\"hook\":\"output\",\"policy\":\"accept\"}},"
	    "{\"rule\":{\"family\":\"ip\",\"table\":\"n\",\"chain\":\"o\","
	    "\"handle\":3,\"expr\":[{\"match\":{\"op\":\"==\",\"left\":"
	    "{\"meta\":{\"key\":\"mark\"}},\"right\":1}},"
	    "{\"redirect\":{\"port\":53}}]}}]}", &fw), 0);
	assert_true(fw.fw_rules[0].fr_unknown);
	same_maps(&fw);
	selfcheck_fw_free(&fw);
	/* No ruleset: nothing mapped. */
	same_maps(NULL);
}

/* An unreadable ruleset is said, never taken for an empty one. */
static void
test_selfcheck_nft_unreadable(void **state)
{
	struct selfcheck_fw fw = { 0 };
	struct selfcheck_result rs = { 0 };

	(void)state;
	assert_int_equal(selfcheck_fw_apply(&fw, NULL, 0, NULL, NULL, 0, &rs),
	    0);
	assert_int_equal(rs.rs_n, 1);
	assert_int_equal(rs.rs_v[0].fd_kind, SCK_UNDECIDED);
	assert_int_equal(rs.rs_status, SELFCHECK_WARNING);
	selfcheck_result_free(&rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selfcheck_nft_parse),
		cmocka_unit_test(test_selfcheck_nft_unknown_shape),
		cmocka_unit_test(test_selfcheck_nft_apply),
		cmocka_unit_test(test_selfcheck_nft_unreadable),
		cmocka_unit_test(test_selfcheck_nft_port_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
