/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the advice (src/selfcheck_advice.c): one line per finding
 * kind and holder, names escaped for the output, nothing for ok; the
 * coverage of the probe; colours only when asked for.
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

/* Holders a case's socket can have. */
enum holder { H_NONE, H_KERNEL, H_PROC, H_SUPERD };

/* One finding and the start of the advice it must get (NULL: none). */
struct adv_case {
	enum selfcheck_kind ac_kind; /* the finding */
	enum holder ac_holder;	     /* its socket's holder */
	int ac_superd_runs;	     /* another socket is superd's */
	int ac_probe;		     /* probe state */
	const char *ac_want;	     /* expected advice, NULL for none */
};

static const struct adv_case cases[] = {
	{ SCK_OK, H_SUPERD, 1, SCP_OPEN, NULL },
	{ SCK_MISSING, H_NONE, 0, SCP_CLOSED, "nothing listens and superd "
	  "holds no socket here: it is not running (or bound nothing): start "
	  "it, and see its log if it stops" },
	{ SCK_MISSING, H_NONE, 1, SCP_CLOSED, "superd runs but does not hold "
	  "it: its bind failed (its log has service=my\\x1bsvc with "
	  "reason=bind) or the service is newer than its last reload; fix "
	  "the cause and reload" },
	{ SCK_FOREIGN, H_PROC, 1, SCP_OPEN, "held by pid 4711, not superd: "
	  "stop it (kill 4711 (nc\\x1b, /bin/nc\\xff)) or move the service to "
	  "a free port" },
	{ SCK_UNREACHABLE, H_SUPERD, 1, SCP_SILENT, "superd holds it but the "
	  "probe got no answer: a firewall rule drops it (nft list ruleset)" },
	{ SCK_UNREACHABLE, H_SUPERD, 1, SCP_CLOSED, "superd holds it but the "
	  "probe got a refusal: a firewall rule rejects it (nft list "
	  "ruleset)" },
	{ SCK_EXPOSED, H_PROC, 0, SCP_OPEN, "not declared and reachable from "
	  "the network: stop it with kill 4711 (nc\\x1b, /bin/nc\\xff), or "
	  "bind it to 127.0.0.1 if it must stay" },
	{ SCK_LOCAL_ONLY, H_PROC, 0, SCP_OPEN, "not declared, loopback only: "
	  "stop it with kill 4711 (nc\\x1b, /bin/nc\\xff), if it is not "
	  "expected" },
	{ SCK_EXPOSED, H_SUPERD, 1, SCP_OPEN, "superd holds it but "
	  "/etc/superd.conf does not declare it: the daemon runs another "
	  "config or was not reloaded; audit with -c its config, or reload "
	  "it" },
	{ SCK_EXPOSED, H_KERNEL, 0, SCP_OPEN, "owner unknown: held by no "
	  "process (a kernel socket: nfsd, WireGuard, VXLAN; or one in flight "
	  "over SCM_RIGHTS): stop what opened it" },
	{ SCK_EXPOSED, H_NONE, 0, SCP_OPEN, "answers but no socket here holds "
	  "it: port forwarding (DNAT) to another host or namespace, or a "
	  "raw-socket listener (nft list ruleset)" },
	{ SCK_WIDER, H_SUPERD, 1, SCP_OPEN, "superd binds 0.0.0.0, wider than "
	  "declared: the running config differs; reload superd" },
	{ SCK_WIDER, H_PROC, 0, SCP_OPEN, "bound to 0.0.0.0, wider than "
	  "declared, by pid 4711: stop it (kill 4711 (nc\\x1b, /bin/nc\\xff))" },
};

/* Every case, with the text escaper. */
static void
test_selfcheck_advice_kinds(void **state)
{
	struct selfcheck_sock sk[2];
	struct selfcheck_socks socks = { .ss_v = sk, .ss_n = 2 };
	struct selfcheck_opts op = { .so_tcp = 1, .so_probe = 1 };
	struct selfcheck_scope sc = { .sc_conf = "/etc/superd.conf",
		.sc_opts = &op };
	struct selfcheck_finding f;
	char buf[SELFCHECK_ADVICE_LEN];
	const char *got;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct adv_case *c = &cases[i];

		memset(sk, 0, sizeof(sk));
		memset(&f, 0, sizeof(f));
		selfcheck_ip_parse("0.0.0.0", &sk[0].sk_ip);
		sk[1].sk_nowners = c->ac_superd_runs;
		sk[1].sk_owners[0].ow_superd = 1;
		sk[0].sk_nowners = c->ac_holder >= H_PROC;
		sk[0].sk_owners[0] = (struct selfcheck_owner){ .ow_pid = 4711,
			.ow_comm = "nc\x1b", .ow_exe = "/bin/nc\xff",
			.ow_superd = c->ac_holder == H_SUPERD };
		f.fd_kind = c->ac_kind;
		f.fd_ip = sk[0].sk_ip;
		f.fd_probe = c->ac_probe;
		f.fd_service = "my\x1bsvc";
		f.fd_sock = c->ac_holder == H_NONE ? NULL : &sk[0];
		got = selfcheck_advice(&f, &socks, &sc, escape_text, buf,
		    sizeof(buf));
		if (c->ac_want == NULL)
			assert_null(got);
		else
			assert_string_equal(got, c->ac_want);
	}
}

/* JSON advice keeps names valid UTF-8; an unknown kind gets none. */
static void
test_selfcheck_advice_json(void **state)
{
	struct selfcheck_sock sk = { .sk_nowners = 1 };
	struct selfcheck_finding f = { .fd_kind = SCK_EXPOSED, .fd_sock = &sk };
	char buf[SELFCHECK_ADVICE_LEN];

	(void)state;
	sk.sk_owners[0] = (struct selfcheck_owner){ .ow_pid = 9,
		.ow_comm = "a\xff" };
	assert_non_null(selfcheck_advice(&f, NULL, NULL, escape_json, buf,
	    sizeof(buf)));
	assert_non_null(strstr(buf, "kill 9 (a\xef\xbf\xbd)"));
	f.fd_kind = SCK_COUNT;
	assert_null(selfcheck_advice(&f, NULL, NULL, escape_json, buf,
	    sizeof(buf)));
}

/* Coverage: not probed, complete, and ports the audit left undecided. */
static void
test_selfcheck_coverage(void **state)
{
	struct selfcheck_opts op = { .so_tcp = 1, .so_udp = 1, .so_probe = 1 };
	struct selfcheck_scope sc = { .sc_opts = &op };
	struct selfcheck_probe pb = { .pb_mode = "syn", .pb_udp_mode = "icmp",
		.pb_lo = 1, .pb_hi = 10 };
	struct selfcheck_undecided un[3];
	struct selfcheck_result rs = { 0 };
	char text[128], adv[1024];

	(void)state;
	memset(un, 0, sizeof(un));
	assert_int_equal(selfcheck_coverage(&rs, NULL, &sc, text, sizeof(text),
	    adv, sizeof(adv)), 0);
	assert_string_equal(text, "partial: not probed");
	assert_int_equal(selfcheck_coverage(&rs, &pb, &sc, text, sizeof(text),
	    adv, sizeof(adv)), 1);
	assert_string_equal(text, "complete");
	assert_string_equal(adv, "");
	/* Two reasons on one address, the first again on another. */
	un[0] = (struct selfcheck_undecided){ .un_proto = IPPROTO_UDP,
		.un_ports = 2, .un_reason = SCU_RATELIMIT };
	un[1] = (struct selfcheck_undecided){ .un_proto = IPPROTO_TCP,
		.un_ports = 1, .un_reason = SCU_NOANSWER };
	un[2] = un[0];
	selfcheck_ip_parse("192.0.2.1", &un[0].un_ip);
	un[1].un_ip = un[0].un_ip;
	selfcheck_ip_parse("::1", &un[2].un_ip);
	rs.rs_undec = un;
	rs.rs_nundec = 3;
	assert_int_equal(selfcheck_coverage(&rs, &pb, &sc, text, sizeof(text),
	    adv, sizeof(adv)), 0);
	assert_string_equal(text, "incomplete");
	assert_string_equal(adv, "5 ports on 2 addresses stayed undecided: "
	    "the kernel's ICMP rate limit outlasted the deadline: raise "
	    "--udp-deadline or net.ipv4.icmp_msgs_per_sec; no answer came "
	    "back: a firewall may drop the probe, or raise --udp-deadline");
	op.so_probe = 0;
	assert_int_equal(selfcheck_coverage(&rs, &pb, &sc, text, sizeof(text),
	    adv, sizeof(adv)), 0);
	assert_string_equal(text, "partial: not probed");
}

/* The systemd system unit of a process from its /proc/PID/cgroup. */
static void
test_selfcheck_owner_unit(void **state)
{
	static const struct {
		const char *cg, *unit;
	} units[] = {
		{ "0::/system.slice/nginx.service\n", "nginx.service" },
		{ "0::/system.slice/system-getty.slice/getty@tty1.service\n",
		  "getty@tty1.service" },
		{ "0::/system.slice/foo.service/payload\n", "foo.service" },
		{ "12:pids:/system.slice/x.service\n1:name=systemd:/system.slice/"
		  "cron.service\n0::/\n", "cron.service" },
		{ "0::/user.slice/user-1000.slice/session-3.scope\n", "" },
		{ "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
		  "foo.service\n", "" },
		{ "0::/system.slice/docker-abc.scope\n", "" },
		{ "0::/\n", "" },
		{ "", "" },
	};
	char unit[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		assert_int_equal(selfcheck_owner_unit_parse(units[i].cg, unit,
		    sizeof(unit)), units[i].unit[0] ? 0 : -1);
		assert_string_equal(unit, units[i].unit);
	}
	assert_int_equal(selfcheck_owner_unit_parse("0::/system.slice/"
	    "nginx.service\n", unit, 8), -1);
	assert_string_equal(unit, "");
}

/*
 * Where a process runs, from its /proc/PID/cgroup: unit, user manager or
 * user unit, session, container (systemd and cgroupfs drivers), else the
 * raw path; cgroup v2 first, v1's name=systemd when v2 says only "/".
 */
static void
test_selfcheck_owner_where(void **state)
{
	static const struct {
		const char *text, *cg, *where;
		int in;
	} where_cases[] = {
		{ "0::/system.slice/ssh.service\n", "/system.slice/ssh.service",
		  "ssh.service", SCW_UNIT },
		{ "0::/init.scope\n", "/init.scope", "init.scope", SCW_UNIT },
		{ "0::/system.slice/docker-0123abcd.scope\n",
		  "/system.slice/docker-0123abcd.scope", "docker-0123abcd.scope",
		  SCW_CONTAINER },
		{ "0::/docker/0123abcd\n", "/docker/0123abcd", "docker/0123abcd",
		  SCW_CONTAINER },
		{ "0::/machine.slice/libpod-77.scope/container\n",
		  "/machine.slice/libpod-77.scope/container", "libpod-77.scope",
		  SCW_CONTAINER },
		{ "0::/user.slice/user-1000.slice/session-3.scope\n",
		  "/user.slice/user-1000.slice/session-3.scope", "session-3.scope",
		  SCW_SESSION },
		{ "0::/user.slice/user-1000.slice/user@1000.service/init.scope\n",
		  "/user.slice/user-1000.slice/user@1000.service/init.scope",
		  "init.scope of user@1000.service", SCW_USER },
		{ "0::/user.slice/user-1000.slice/user@1000.service\n",
		  "/user.slice/user-1000.slice/user@1000.service",
		  "user@1000.service", SCW_USER },
		{ "9:name=systemd:/system.slice/cron.service\n0::/\n",
		  "/system.slice/cron.service", "cron.service", SCW_UNIT },
		{ "9:name=systemd:/\n0::/superd-test-1\n", "/superd-test-1",
		  "/superd-test-1", SCW_CGROUP },
		{ "0::/\n", "/", "/", SCW_CGROUP },
		{ "4:memory:/x\n", "", "", SCW_NONE },
	};
	char cg[192], where[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(where_cases) / sizeof(where_cases[0]); i++) {
		assert_int_equal(selfcheck_owner_where_parse(where_cases[i].text, cg,
		    sizeof(cg), where, sizeof(where)), where_cases[i].in);
		assert_string_equal(cg, where_cases[i].cg);
		assert_string_equal(where, where_cases[i].where);
	}
}

/* The ancestry as pstree -p draws it; a name cannot forge a link. */
static void
test_selfcheck_owner_chain(void **state)
{
	struct selfcheck_owner ow = { .ow_nanc = 3, .ow_anc_cut = 1,
		.ow_anc = { { 812, "sshd" }, { 700, "x(5) <- init" },
		{ 1, "systemd" } } };
	char buf[512];

	(void)state;
	assert_string_equal(selfcheck_owner_chain(&ow, escape_log, buf,
	    sizeof(buf)), "sshd(812) <- \"x(5) <- init\"(700) <- systemd(1)"
	    " <- ...");
}

/* A stray of a systemd service is stopped with systemctl, not kill. */
static void
test_selfcheck_advice_unit(void **state)
{
	struct selfcheck_sock sk = { .sk_nowners = 1 };
	struct selfcheck_finding f = { .fd_kind = SCK_EXPOSED, .fd_sock = &sk };
	char buf[SELFCHECK_ADVICE_LEN];

	(void)state;
	sk.sk_owners[0] = (struct selfcheck_owner){ .ow_pid = 4711,
		.ow_comm = "socat", .ow_exe = "/usr/bin/socat",
		.ow_unit = "stray.service" };
	assert_string_equal(selfcheck_advice(&f, NULL, NULL, escape_text, buf,
	    sizeof(buf)), "not declared and reachable from the network: stop "
	    "it with systemctl stop stray.service (pid 4711: socat, "
	    "/usr/bin/socat), or bind it to 127.0.0.1 if it must stay");
}

/* Colours only when the scope asks for them. */
static void
test_selfcheck_colour(void **state)
{
	struct selfcheck_scope sc = { .sc_colour = 0 };

	(void)state;
	assert_string_equal(selfcheck_colour(NULL, SELFCHECK_CRITICAL), "");
	assert_string_equal(selfcheck_colour(&sc, SELFCHECK_CRITICAL), "");
	sc.sc_colour = 1;
	assert_string_equal(selfcheck_colour(&sc, SELFCHECK_CRITICAL),
	    "\033[1;31m");
	assert_string_equal(selfcheck_colour(&sc, SELFCHECK_OK), "\033[32m");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selfcheck_advice_kinds),
		cmocka_unit_test(test_selfcheck_advice_json),
		cmocka_unit_test(test_selfcheck_coverage),
		cmocka_unit_test(test_selfcheck_owner_unit),
		cmocka_unit_test(test_selfcheck_owner_where),
		cmocka_unit_test(test_selfcheck_owner_chain),
		cmocka_unit_test(test_selfcheck_advice_unit),
		cmocka_unit_test(test_selfcheck_colour),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
