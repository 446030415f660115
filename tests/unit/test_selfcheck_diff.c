/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the selfcheck diff (src/selfcheck_diff.c): declared
 * endpoints against a kernel table and a probe, table-driven.  Every
 * finding kind, wildcard expansion, dual-stack, specific-beats-wildcard
 * and SO_REUSEPORT co-listeners.
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

#define MAXN 8

/* One case: declarations, sockets, probe answers, expected findings. */
struct diff_case {
	const char *dc_what;		 /* the behaviour, for the failure text */
	const char *dc_decls[MAXN];	 /* "tcp ADDR PORT V6ONLY" */
	const char *dc_socks[MAXN];	 /* "tcp ADDR PORT V6ONLY superd|other|kernel
					    [DEVINDEX]" */
	const char *dc_addrs[MAXN];	 /* audited addresses, "ADDR[@IFINDEX]" */
	const char *dc_probe[MAXN];	 /* "[udp ]ADDR PORT STATE" */
	int dc_local_drift;		 /* --local-drift */
	const char *dc_want[MAXN];	 /* finding ids, in report order */
	enum selfcheck_status dc_status; /* expected worst severity */
	const char *dc_evid[MAXN];	 /* evidence of each, if given */
};

static const struct diff_case cases[] = {
	{ "wildcard declared and held by superd is ok on every address",
	  { "tcp 0.0.0.0 80 0" }, { "tcp 0.0.0.0 80 0 superd" },
	  { "127.0.0.1", "192.0.2.1" }, { NULL }, 0,
	  { "tcp/127.0.0.1/80/ok", "tcp/192.0.2.1/80/ok" }, SELFCHECK_OK, { NULL } },
	{ "declared but nothing listening is missing",
	  { "tcp 0.0.0.0 80 0", "udp 192.0.2.1 69 0" }, { NULL },
	  { "127.0.0.1", "192.0.2.1" }, { NULL }, 0,
	  { "tcp/127.0.0.1/80/missing", "tcp/192.0.2.1/80/missing",
	    "udp/192.0.2.1/69/missing" }, SELFCHECK_CRITICAL, { NULL } },
	{ "declared port held by another process is foreign",
	  { "tcp 0.0.0.0 80 0" }, { "tcp 0.0.0.0 80 0 other" },
	  { "192.0.2.1" }, { NULL }, 0,
	  { "tcp/192.0.2.1/80/foreign" }, SELFCHECK_CRITICAL, { NULL } },
	{ "a specific foreign bind shadows superd's wildcard on its address",
	  { "tcp 0.0.0.0 80 0" },
	  { "tcp 0.0.0.0 80 0 superd", "tcp 192.0.2.1 80 0 other" },
	  { "127.0.0.1", "192.0.2.1" }, { NULL }, 0,
	  { "tcp/127.0.0.1/80/ok", "tcp/192.0.2.1/80/foreign" },
	  SELFCHECK_CRITICAL, { NULL } },
	{ "a SO_REUSEPORT co-listener on a declared endpoint is foreign",
	  { "tcp 192.0.2.1 80 0" },
	  { "tcp 192.0.2.1 80 0 superd", "tcp 192.0.2.1 80 0 other" },
	  { "192.0.2.1" }, { NULL }, 0,
	  { "tcp/192.0.2.1/80/foreign" }, SELFCHECK_CRITICAL, { NULL } },
	{ "a kernel-owned socket on a declared port is foreign",
	  { "udp 0.0.0.0 51820 0" }, { "udp 0.0.0.0 51820 0 kernel" },
	  { "192.0.2.1" }, { NULL }, 0,
	  { "udp/192.0.2.1/51820/foreign" }, SELFCHECK_CRITICAL, { NULL } },
	{ "held by superd but the probe gets RST is unreachable",
	  { "tcp 192.0.2.1 80 0" }, { "tcp 192.0.2.1 80 0 superd" },
	  { "192.0.2.1" }, { "192.0.2.1 80 closed" }, 0,
	  { "tcp/192.0.2.1/80/unreachable" }, SELFCHECK_WARNING, { NULL } },
	{ "held by superd and the probe gets SYN-ACK is ok",
	  { "tcp 192.0.2.1 80 0" }, { "tcp 192.0.2.1 80 0 superd" },
	  { "192.0.2.1" }, { "192.0.2.1 80 open" }, 0,
	  { "tcp/192.0.2.1/80/ok" }, SELFCHECK_OK, { NULL } },
	{ "the probe does not judge UDP",
	  { "udp 192.0.2.1 69 0" }, { "udp 192.0.2.1 69 0 superd" },
	  { "192.0.2.1" }, { "192.0.2.1 69 closed" }, 0,
	  { "udp/192.0.2.1/69/ok" }, SELFCHECK_OK, { NULL } },
	{ "an undeclared wildcard listener is exposed",
	  { NULL }, { "tcp 0.0.0.0 9999 0 other", "udp 0.0.0.0 5353 0 other" },
	  { "127.0.0.1", "192.0.2.1" }, { NULL }, 0,
	  { "tcp/0.0.0.0/9999/exposed", "udp/0.0.0.0/5353/exposed" },
	  SELFCHECK_CRITICAL, { NULL } },
	{ "an undeclared loopback listener is local-only and OK",
	  { NULL }, { "tcp 127.0.0.1 9999 0 other", "tcp ::1 9999 1 other" },
	  { "127.0.0.1", "::1", "192.0.2.1" }, { NULL }, 0,
	  { "tcp/127.0.0.1/9999/local-only", "tcp/::1/9999/local-only" },
	  SELFCHECK_OK, { NULL } },
	{ "with --local-drift a loopback listener is a warning",
	  { NULL }, { "tcp 127.0.0.1 9999 0 other" },
	  { "127.0.0.1", "192.0.2.1" }, { NULL }, 1,
	  { "tcp/127.0.0.1/9999/local-only" }, SELFCHECK_WARNING, { NULL } },
	{ "a wildcard on a port declared for loopback is wider",
	  { "tcp 127.0.0.1 80 0" }, { "tcp 0.0.0.0 80 0 superd" },
	  { "127.0.0.1", "192.0.2.1" }, { NULL }, 0,
	  { "tcp/0.0.0.0/80/wider", "tcp/127.0.0.1/80/ok" },
	  SELFCHECK_CRITICAL, { NULL } },
	{ "a wider bind that only adds loopback addresses is a warning",
	  { "tcp 192.0.2.1 80 0" }, { "tcp 0.0.0.0 80 0 superd" },
	  { "127.0.0.1", "192.0.2.1" }, { NULL }, 0,
	  { "tcp/0.0.0.0/80/wider", "tcp/192.0.2.1/80/ok" },
	  SELFCHECK_WARNING, { NULL } },
	{ "dual-stack [::] declared and bound covers IPv4 and IPv6",
	  { "tcp :: 80 0" }, { "tcp :: 80 0 superd" },
	  { "127.0.0.1", "192.0.2.1", "::1", "2001:db8::1" }, { NULL }, 0,
	  { "tcp/127.0.0.1/80/ok", "tcp/192.0.2.1/80/ok", "tcp/::1/80/ok",
	    "tcp/2001:db8::1/80/ok" }, SELFCHECK_OK, { NULL } },
	{ "[::] declared v6only but bound dual-stack is wider",
	  { "tcp :: 80 1" }, { "tcp :: 80 0 superd" },
	  { "192.0.2.1", "2001:db8::1" }, { NULL }, 0,
	  { "tcp/::/80/wider", "tcp/2001:db8::1/80/ok" }, SELFCHECK_CRITICAL, { NULL } },
	{ "[::] declared dual-stack but bound v6only misses IPv4",
	  { "tcp :: 80 0" }, { "tcp :: 80 1 superd" },
	  { "192.0.2.1", "2001:db8::1" }, { NULL }, 0,
	  { "tcp/192.0.2.1/80/missing", "tcp/2001:db8::1/80/ok" },
	  SELFCHECK_CRITICAL, { NULL } },
	{ "an IPv4 wildcard beats a dual-stack [::] for IPv4",
	  { "tcp 0.0.0.0 80 0" },
	  { "tcp 0.0.0.0 80 0 superd", "tcp :: 80 0 other" },
	  { "192.0.2.1", "2001:db8::1" }, { NULL }, 0,
	  { "tcp/192.0.2.1/80/ok", "tcp/::/80/exposed" }, SELFCHECK_CRITICAL, { NULL } },
	{ "a v4-mapped bind is the IPv4 address",
	  { "tcp 192.0.2.1 80 0" }, { "tcp ::ffff:192.0.2.1 80 0 superd" },
	  { "192.0.2.1" }, { NULL }, 0,
	  { "tcp/192.0.2.1/80/ok" }, SELFCHECK_OK, { NULL } },
	{ "a declaration of ::ffff:0.0.0.0 is the IPv4 wildcard",
	  { "tcp ::ffff:0.0.0.0 80 0" }, { "tcp 0.0.0.0 80 0 superd" },
	  { "127.0.0.1", "192.0.2.1", "::1" }, { NULL }, 0,
	  { "tcp/127.0.0.1/80/ok", "tcp/192.0.2.1/80/ok" }, SELFCHECK_OK,
	  { NULL } },
	{ "a socket on ::ffff:0.0.0.0 (as the table keeps it) covers IPv4 only",
	  { NULL }, { "udp ::ffff:0.0.0.0 5353 0 other" },
	  { "192.0.2.1", "2001:db8::1" }, { NULL }, 0,
	  { "udp/::ffff:0.0.0.0/5353/exposed" }, SELFCHECK_CRITICAL, { NULL } },
	{ "an open port no socket explains is exposed",
	  { NULL }, { NULL }, { "192.0.2.1" }, { "192.0.2.1 8443 open" }, 0,
	  { "tcp/192.0.2.1/8443/exposed" }, SELFCHECK_CRITICAL, { NULL } },
	{ "disabled protocols and other ports do not mix",
	  { "tcp 0.0.0.0 80 0" },
	  { "udp 0.0.0.0 80 0 other", "tcp 0.0.0.0 81 0 superd" },
	  { "127.0.0.1" }, { NULL }, 0,
	  { "tcp/0.0.0.0/81/local-only", "tcp/127.0.0.1/80/missing",
	    "udp/0.0.0.0/80/local-only" }, SELFCHECK_CRITICAL, { NULL } },
	/* Sockets bound to a device (SO_BINDTODEVICE): lo is 1, eth 2. */
	{ "a wildcard bound to lo exposes only lo's addresses",
	  { NULL }, { "tcp 0.0.0.0 7799 0 other 1" },
	  { "127.0.0.1@1", "192.0.2.1@2" },
	  { "127.0.0.1 7799 open", "192.0.2.1 7799 open" }, 0,
	  { "tcp/0.0.0.0/7799/local-only" }, SELFCHECK_OK,
	  { "table+probe" } },
	{ "a wildcard bound to eth exposes eth's addresses only",
	  { "tcp 127.0.0.1 80 0" }, { "tcp 0.0.0.0 80 0 other 2" },
	  { "127.0.0.1@1", "192.0.2.1@2" }, { NULL }, 0,
	  { "tcp/0.0.0.0/80/exposed", "tcp/127.0.0.1/80/missing" },
	  SELFCHECK_CRITICAL, { NULL } },
	{ "a device-bound socket wins over superd's wildcard on its device",
	  { "tcp 0.0.0.0 80 0" },
	  { "tcp 0.0.0.0 80 0 superd", "tcp 0.0.0.0 80 0 other 2" },
	  { "127.0.0.1@1", "192.0.2.1@2" }, { NULL }, 0,
	  { "tcp/127.0.0.1/80/ok", "tcp/192.0.2.1/80/foreign" },
	  SELFCHECK_CRITICAL, { NULL } },
	{ "an address whose device is unknown stays covered",
	  { NULL }, { "udp 0.0.0.0 5300 0 other 2" }, { "192.0.2.7" },
	  { NULL }, 0, { "udp/0.0.0.0/5300/exposed" }, SELFCHECK_CRITICAL, { NULL } },
	{ "a link-local bind holds its own link only",
	  { NULL }, { "tcp fe80::1%9999 22 1 other 9999" },
	  { "fe80::1%9998", "fe80::1%9999" }, { NULL }, 0,
	  { "tcp/fe80::1%9999/22/exposed" }, SELFCHECK_CRITICAL, { NULL } },
	{ "a wildcard declaration covers link-local addresses",
	  { "tcp :: 22 1" }, { NULL }, { "fe80::1%9999" }, { NULL }, 0,
	  { "tcp/fe80::1%9999/22/missing" }, SELFCHECK_CRITICAL, { NULL } },
	/* UDP probe evidence. */
	{ "UDP: a bound socket that sends no refusal has probe evidence",
	  { NULL }, { "udp 0.0.0.0 5300 0 other" }, { "192.0.2.1" },
	  { "udp 192.0.2.1 5300 open|filtered" }, 0,
	  { "udp/0.0.0.0/5300/exposed" }, SELFCHECK_CRITICAL,
	  { "table+probe" } },
	{ "UDP: a bound socket the probe did not reach has table evidence",
	  { NULL }, { "udp 0.0.0.0 5300 0 other" }, { "192.0.2.1" },
	  { "udp 192.0.2.1 5300 unknown" }, 0,
	  { "udp/0.0.0.0/5300/exposed" }, SELFCHECK_CRITICAL, { "table" } },
	{ "UDP: an unbound port that sends no refusal is exposed",
	  { NULL }, { NULL }, { "192.0.2.1" },
	  { "udp 192.0.2.1 5400 open|filtered" }, 0,
	  { "udp/192.0.2.1/5400/exposed" }, SELFCHECK_CRITICAL, { "probe" } },
	{ "UDP: an unbound loopback port that sends no refusal is local-only",
	  { NULL }, { NULL }, { "127.0.0.1" },
	  { "udp 127.0.0.1 5400 open|filtered" }, 0,
	  { "udp/127.0.0.1/5400/local-only" }, SELFCHECK_OK, { "probe" } },
	{ "UDP: a port unanswered at the deadline is no finding, but undecided",
	  { NULL }, { NULL }, { "192.0.2.1" },
	  { "udp 192.0.2.1 5400 unknown" }, 0, { NULL }, SELFCHECK_WARNING,
	  { NULL } },
	{ "UDP: superd's endpoint, never probed, is ok on the table alone",
	  { "udp 192.0.2.1 69 0" }, { "udp 192.0.2.1 69 0 superd" },
	  { "192.0.2.1" }, { "udp 192.0.2.1 69 skipped" }, 0,
	  { "udp/192.0.2.1/69/ok" }, SELFCHECK_OK, { "table" } },
	{ "UDP: a declared port that refuses is missing, on both evidences",
	  { "udp 192.0.2.1 69 0" }, { NULL }, { "192.0.2.1" },
	  { "192.0.2.1 1 closed" }, 0,
	  { "udp/192.0.2.1/69/missing" }, SELFCHECK_CRITICAL,
	  { "table+probe" } },
	{ "UDP: a TCP answer says nothing about UDP (silent TCP is undecided)",
	  { NULL }, { NULL }, { "192.0.2.1" },
	  { "192.0.2.1 5400 silent" }, 0, { NULL }, SELFCHECK_WARNING,
	  { NULL } },
};

/* Parse "tcp"/"udp". */
static int
proto_of(const char *s)
{
	return strcmp(s, "udp") == 0 ? IPPROTO_UDP : IPPROTO_TCP;
}

/* Build the declarations of C into D; returns how many. */
static size_t
build_decls(const struct diff_case *c, struct selfcheck_decl *d)
{
	char proto[8], addr[64];
	unsigned port;
	int v6only;
	size_t n;

	for (n = 0; n < MAXN && c->dc_decls[n] != NULL; n++) {
		assert_int_equal(sscanf(c->dc_decls[n], "%7s %63s %u %d", proto,
		    addr, &port, &v6only), 4);
		memset(&d[n], 0, sizeof(d[n]));
		d[n].dc_name = "svc";
		d[n].dc_proto = proto_of(proto);
		assert_int_equal(selfcheck_ip_parse(addr, &d[n].dc_ip), 0);
		d[n].dc_port = (uint16_t)port;
		d[n].dc_v6only = v6only;
	}
	return n;
}

/* Build the kernel table of C into SOCKS. */
static void
build_socks(const struct diff_case *c, struct selfcheck_socks *socks)
{
	char proto[8], addr[64], who[16];
	struct selfcheck_sock *sk;
	unsigned port, dev;
	int v6only, k;
	size_t n;

	memset(socks, 0, sizeof(*socks));
	for (n = 0; n < MAXN && c->dc_socks[n] != NULL; n++) {
		dev = 0;
		k = sscanf(c->dc_socks[n], "%7s %63s %u %d %15s %u", proto, addr,
		    &port, &v6only, who, &dev);
		assert_true(k == 5 || k == 6);
		assert_non_null(sk = selfcheck_socks_add(socks));
		sk->sk_ifindex = dev;
		sk->sk_proto = proto_of(proto);
		assert_int_equal(selfcheck_ip_parse(addr, &sk->sk_ip), 0);
		sk->sk_port = (uint16_t)port;
		sk->sk_v6only = v6only;
		sk->sk_inode = 1000 + n;
		if (strcmp(who, "kernel") == 0)
			continue;
		sk->sk_nowners = 1;
		sk->sk_owners[0].ow_pid = 100 + (pid_t)n;
		sk->sk_owners[0].ow_superd = strcmp(who, "superd") == 0;
		snprintf(sk->sk_owners[0].ow_comm, sizeof(sk->sk_owners[0].ow_comm),
		    "%s", who);
	}
}

/* Build the probe of C over the audited addresses ADDRS. */
static void
build_probe(const struct diff_case *c, const struct selfcheck_ip *addrs,
    size_t naddr, struct selfcheck_probe *pb)
{
	static const char *const states[] = { "unprobed", "closed", "open",
		"silent", "skipped", "open|filtered", "unknown" };
	char addr[64], st[16];
	struct selfcheck_ip ip;
	unsigned port;
	size_t i, a;
	const char *line;
	int udp, s, k;

	memset(pb, 0, sizeof(*pb));
	pb->pb_mode = "syn";
	pb->pb_lo = 1;
	pb->pb_hi = 65535;
	assert_non_null(pb->pb_v = calloc(naddr + 1, sizeof(*pb->pb_v)));
	for (a = 0; a < naddr; a++, pb->pb_n++) {
		pb->pb_v[a].pr_ip = addrs[a];
		assert_non_null(pb->pb_v[a].pr_state = calloc(65536, 1));
		memset(pb->pb_v[a].pr_state + 1, SCP_CLOSED, 65535);
		assert_non_null(pb->pb_v[a].pr_udp = calloc(65536, 1));
		memset(pb->pb_v[a].pr_udp + 1, SCP_CLOSED, 65535);
	}
	for (i = 0; i < MAXN && c->dc_probe[i] != NULL; i++) {
		line = c->dc_probe[i];
		if ((udp = strncmp(line, "udp ", 4) == 0))
			line += 4;
		assert_int_equal(sscanf(line, "%63s %u %15s", addr, &port, st),
		    3);
		assert_int_equal(selfcheck_ip_parse(addr, &ip), 0);
		for (s = -1, k = 0; k < 7; k++)
			if (strcmp(st, states[k]) == 0)
				s = k;
		assert_true(s >= 0);
		for (a = 0; a < naddr; a++)
			if (selfcheck_ip_eq(&addrs[a], &ip))
				(udp ? pb->pb_v[a].pr_udp :
				    pb->pb_v[a].pr_state)[port] = (uint8_t)s;
	}
}

/* Parse an audited address "ADDR[@IFINDEX]" into IP. */
static void
parse_addr(const char *s, struct selfcheck_ip *ip)
{
	char addr[64];
	const char *at = strchr(s, '@');
	size_t n = at ? (size_t)(at - s) : strlen(s);

	assert_true(n < sizeof(addr));
	memcpy(addr, s, n);
	addr[n] = '\0';
	assert_int_equal(selfcheck_ip_parse(addr, ip), 0);
	if (at != NULL)
		ip->ip_ifindex = (unsigned)atoi(at + 1);
}

/* "table+probe", "table", "probe" or "-" for evidence bits EV. */
static const char *
evid_name(int ev)
{
	static const char *const names[] = { "-", "table", "probe",
		"table+probe" };

	return names[ev & 3];
}

/* Run every case of the table. */
static void
test_selfcheck_diff_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct diff_case *c = &cases[i];
		struct selfcheck_decl decls[MAXN];
		struct selfcheck_ip addrs[MAXN];
		struct selfcheck_socks socks;
		struct selfcheck_probe pb;
		struct selfcheck_result rs;
		struct selfcheck_opts op;
		size_t nd, na, k;
		char key[128];

		memset(&op, 0, sizeof(op));
		op.so_local_drift = c->dc_local_drift;
		nd = build_decls(c, decls);
		build_socks(c, &socks);
		for (na = 0; na < MAXN && c->dc_addrs[na] != NULL; na++)
			parse_addr(c->dc_addrs[na], &addrs[na]);
		build_probe(c, addrs, na, &pb);
		assert_int_equal(selfcheck_diff(decls, nd, &socks, addrs, na,
		    c->dc_probe[0] ? &pb : NULL, &op, &rs), 0);
		for (k = 0; k < rs.rs_n || (k < MAXN && c->dc_want[k]); k++) {
			const char *got = k < rs.rs_n ?
			    selfcheck_finding_key(&rs.rs_v[k], key, sizeof(key)) :
			    "(none)";
			const char *want = k < MAXN && c->dc_want[k] ?
			    c->dc_want[k] : "(none)";

			if (strcmp(got, want) != 0)
				fail_msg("%s: finding %zu is %s, want %s",
				    c->dc_what, k, got, want);
			if (k < MAXN && c->dc_evid[k] != NULL && strcmp(
			    evid_name(rs.rs_v[k].fd_evidence), c->dc_evid[k]))
				fail_msg("%s: finding %zu has evidence %s, "
				    "want %s", c->dc_what, k,
				    evid_name(rs.rs_v[k].fd_evidence),
				    c->dc_evid[k]);
		}
		if (rs.rs_status != c->dc_status)
			fail_msg("%s: status %d, want %d", c->dc_what,
			    rs.rs_status, c->dc_status);
		selfcheck_result_free(&rs);
		selfcheck_probe_free(&pb);
		selfcheck_socks_free(&socks);
	}
}

/* A foreign finding names the foreign holder, not superd's socket. */
static void
test_selfcheck_diff_foreign_names_the_other_holder(void **state)
{
	const struct diff_case *c = &cases[4];
	struct selfcheck_decl decls[MAXN];
	struct selfcheck_ip addr;
	struct selfcheck_socks socks;
	struct selfcheck_result rs;
	struct selfcheck_opts op;
	size_t nd;

	(void)state;
	memset(&op, 0, sizeof(op));
	nd = build_decls(c, decls);
	build_socks(c, &socks);
	selfcheck_ip_parse("192.0.2.1", &addr);
	assert_int_equal(selfcheck_diff(decls, nd, &socks, &addr, 1, NULL, &op,
	    &rs), 0);
	assert_int_equal(rs.rs_n, 1);
	assert_int_equal(rs.rs_v[0].fd_nholders, 2);
	assert_string_equal(rs.rs_v[0].fd_sock->sk_owners[0].ow_comm, "other");
	assert_string_equal(rs.rs_v[0].fd_service, "svc");
	selfcheck_result_free(&rs);
	selfcheck_socks_free(&socks);
}

/* Address helpers: loopback, wildcard, v4-mapped. */
static void
test_selfcheck_ip_classes(void **state)
{
	struct selfcheck_ip ip, u;

	(void)state;
	assert_int_equal(selfcheck_ip_parse("127.0.0.2", &ip), 0);
	assert_true(selfcheck_ip_loopback(&ip));
	assert_int_equal(selfcheck_ip_parse("[::1]", &ip), 0);
	assert_true(selfcheck_ip_loopback(&ip));
	assert_int_equal(selfcheck_ip_parse("::ffff:127.0.0.1", &ip), 0);
	assert_true(selfcheck_ip_loopback(&ip));
	assert_int_equal(selfcheck_ip_unmap(&ip, &u), 1);
	assert_int_equal(u.ip_family, AF_INET);
	assert_int_equal(selfcheck_ip_parse("192.0.2.1", &ip), 0);
	assert_false(selfcheck_ip_loopback(&ip));
	assert_int_equal(selfcheck_ip_parse("::", &ip), 0);
	assert_true(selfcheck_ip_any(&ip));
	assert_int_equal(selfcheck_ip_parse("not-an-address", &ip), -1);
	/* A link-local address takes its link; nothing else takes one. */
	assert_int_equal(selfcheck_ip_parse("fe80::1%9999", &ip), 0);
	assert_true(selfcheck_ip_linklocal(&ip));
	assert_int_equal(ip.ip_ifindex, 9999);
	assert_int_equal(selfcheck_ip_parse("[fe80::1%9998]", &u), 0);
	assert_false(selfcheck_ip_eq(&ip, &u));
	assert_int_equal(selfcheck_ip_parse("fe80::1", &u), 0);
	assert_true(selfcheck_ip_eq(&ip, &u));	/* unknown scope matches */
	assert_int_equal(selfcheck_ip_parse("192.0.2.1%1", &ip), -1);
	assert_int_equal(selfcheck_ip_parse("fe80::1%", &ip), -1);
	assert_int_equal(selfcheck_ip_parse("[fe80::1%1]x", &ip), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selfcheck_diff_table),
		cmocka_unit_test(test_selfcheck_diff_foreign_names_the_other_holder),
		cmocka_unit_test(test_selfcheck_ip_classes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
