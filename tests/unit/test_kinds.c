/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the service kinds (kind.c, kind_unix.c, kind_tcpmux.c,
 * kind_rpc.c): the inetd.conf and superd.conf forms of UNIX-domain,
 * tcpmux and RPC services, each refusal with its file:line, the tcpmux
 * ports the table gains, endpoints, the peer of a UNIX-domain connection
 * and the environment its child gets.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <pwd.h>
#include <grp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "superd.h"

#define PATH "test.conf"

/* Parse TEXT as inetd.conf into a new table; *RC gets the result. */
static struct svctab *
parse(const char *text, int *rc)
{
	struct svctab *tab = svctab_new();
	FILE *fp = tmpfile();

	assert_non_null(tab);
	assert_non_null(fp);
	fputs(text, fp);
	rewind(fp);
	*rc = inetd_conf_parse(tab, PATH, fp);
	fclose(fp);
	return tab;
}

/* Parse TEXT, expecting success; the first service. */
static struct svctab *
parse_ok(const char *text, struct service **first)
{
	int rc;
	struct svctab *tab = parse(text, &rc);

	if (rc != 0)
		fprintf(stderr, "unexpected error: %s\n", tab->st_lasterr);
	assert_int_equal(rc, 0);
	*first = TAILQ_FIRST(&tab->st_services);
	assert_non_null(*first);
	return tab;
}

/* Parse TEXT, expecting an error at test.conf:LINE that contains WORD. */
static void
parse_fails(const char *text, int line, const char *word)
{
	struct svctab *tab;
	char where[32];
	int rc;

	tab = parse(text, &rc);
	snprintf(where, sizeof(where), "%s:%d:", PATH, line);
	if (strstr(tab->st_lasterr, where) == NULL ||
	    strstr(tab->st_lasterr, word) == NULL)
		fail_msg("error \"%s\" lacks \"%s\" or \"%s\"", tab->st_lasterr,
		    where, word);
	assert_int_equal(rc, -1);
	svctab_free(tab);
}

/* The endpoint text of SV. */
static const char *
ep(const struct service *sv)
{
	static char buf[128];

	return svctab_endpoint(sv, buf, sizeof(buf));
}

static void
test_unix_plain_path(void **state)
{
	struct service *sv;
	struct svctab *tab;

	(void)state;
	tab = parse_ok("/run/x.sock stream unix nowait root /bin/cat cat\n",
	    &sv);
	assert_ptr_equal(sv->sv_conf->sc_kind, &kind_unix);
	assert_string_equal(sv->sv_conf->sc_kconf->kc_name, "/run/x.sock");
	assert_int_equal(sv->sv_conf->sc_kconf->kc_mode, SV_UNSET);
	assert_int_equal(sv->sv_conf->sc_kconf->kc_chown, 0);
	assert_int_equal(sv->sv_addr.ss_family, AF_UNIX);
	assert_string_equal(ep(sv), "/run/x.sock");
	assert_string_equal(svctab_proto_name(sv), "unix");
	assert_true(kind_hidden(sv));
	svctab_free(tab);
}

static void
test_unix_freebsd_owner_group_mode(void **state)
{
	struct passwd *pw = getpwnam("nobody");
	struct service *sv;
	struct svctab *tab;

	(void)state;
	assert_non_null(pw);
	tab = parse_ok(":nobody:root:0600:/run/y.sock stream unix nowait root "
	    "/bin/cat cat\n", &sv);
	assert_string_equal(sv->sv_conf->sc_kconf->kc_name, "/run/y.sock");
	assert_int_equal(sv->sv_conf->sc_kconf->kc_uid, pw->pw_uid);
	assert_int_equal(sv->sv_conf->sc_kconf->kc_gid, 0);
	assert_int_equal(sv->sv_conf->sc_kconf->kc_mode, 0600);
	assert_true(sv->sv_conf->sc_kconf->kc_chown);
	svctab_free(tab);
	/* Empty parts keep superd's defaults. */
	tab = parse_ok(":::0640:/run/z.sock stream unix nowait root /bin/cat "
	    "cat\n", &sv);
	assert_int_equal(sv->sv_conf->sc_kconf->kc_mode, 0640);
	assert_int_equal(sv->sv_conf->sc_kconf->kc_chown, 0);
	svctab_free(tab);
}

static void
test_unix_refusals(void **state)
{
	char longpath[200];

	(void)state;
	parse_fails("rel.sock stream unix nowait root /bin/cat cat\n", 1,
	    "must be absolute");
	memset(longpath, 'a', sizeof(longpath));
	longpath[0] = '/';
	snprintf(longpath + 150, 50, " stream unix nowait root /bin/cat\n");
	parse_fails(longpath, 1, "shorter than 108 bytes");
	parse_fails("/run/d.sock dgram unix wait root /bin/cat cat\n", 1,
	    "only stream UNIX-domain services are served");
	parse_fails(":root:root:0999:/run/m.sock stream unix nowait root "
	    "/bin/cat cat\n", 1, "socket mode \"0999\": not an octal mode");
	parse_fails(":nosuchuser:root:0600:/run/m.sock stream unix nowait root "
	    "/bin/cat cat\n", 1, "socket owner: unknown user \"nosuchuser\"");
	parse_fails(":root:nosuchgroup:0600:/run/m.sock stream unix nowait "
	    "root /bin/cat cat\n", 1, "unknown group \"nosuchgroup\"");
	parse_fails(":root:0600:/run/m.sock stream unix nowait root /bin/cat\n",
	    1, "expected :owner:group:mode:/path");
}

static void
test_unix_same_path_is_one_endpoint(void **state)
{
	struct service *a, *b;
	struct svctab *tab;

	(void)state;
	tab = parse_ok("/run/a.sock stream unix nowait root /bin/cat cat\n"
	    "/run/a.sock stream unix nowait root /bin/cat cat\n"
	    "/run/b.sock stream unix nowait root /bin/cat cat\n"
	    "127.0.0.1:7 stream tcp nowait root /bin/cat cat\n", &a);
	b = TAILQ_NEXT(a, sv_entry);
	assert_true(svctab_same_endpoint(a, b));
	assert_false(svctab_same_endpoint(a, TAILQ_NEXT(b, sv_entry)));
	assert_false(svctab_same_endpoint(a, TAILQ_LAST(&tab->st_services,
	    service_list)));
	assert_false(svctab_same_endpoint(TAILQ_LAST(&tab->st_services,
	    service_list), a));
	assert_int_equal(load_validate(tab), -1);
	assert_non_null(strstr(tab->st_lasterr, "test.conf:2: service "
	    "/run/a.sock: endpoint /run/a.sock/unix already declared"));
	svctab_free(tab);
}

static void
test_unix_peer_log_source_and_environ(void **state)
{
	struct sockaddr_storage ss, ss2;
	struct unix_peer *up = (struct unix_peer *)&ss;
	struct source k1, k2;
	struct spawn_env env;
	struct service *sv;
	struct svctab *tab;
	char buf[64], all[1024] = "";
	int i;

	(void)state;
	tab = parse_ok("/run/e.sock stream unix nowait root /bin/cat cat\n",
	    &sv);
	memset(&ss, 0, sizeof(ss));
	up->up_family = AF_UNIX;
	up->up_uid = 1000;
	up->up_gid = 100;
	up->up_pid = 4242;
	assert_string_equal(log_addr(&ss, buf, sizeof(buf)),
	    "uid:1000,gid:100,pid:4242");
	ss2 = ss;
	((struct unix_peer *)&ss2)->up_pid = 99;
	source_key(sv, &ss, &k1);
	source_key(sv, &ss2, &k2);
	assert_int_equal(k1.so_family, AF_UNIX);
	assert_memory_equal(k1.so_key, k2.so_key, sizeof(k1.so_key));
	assert_int_equal(spawn_environ(sv, -1, &ss, &env), 0);
	for (i = 0; i < env.se_n; i++) {
		strcat(all, env.se_vec[i]);
		strcat(all, " ");
	}
	assert_non_null(strstr(all, "PROTO=UNIX "));
	assert_non_null(strstr(all, "UNIXLOCALPATH=/run/e.sock "));
	assert_non_null(strstr(all, "UNIXREMOTEUID=1000 "));
	assert_non_null(strstr(all, "UNIXREMOTEGID=100 "));
	assert_non_null(strstr(all, "UNIXREMOTEPID=4242 "));
	assert_null(strstr(all, "TCP"));
	svctab_free(tab);
}

static void
test_unix_allowed_by_uid_or_gid(void **state)
{
	char *uids[] = { "0", NULL }, *gids[] = { "100", NULL };
	struct unix_peer up = { AF_UNIX, 1, 0, 0 };
	struct service *sv;
	struct svctab *tab;
	char why[200];

	(void)state;
	tab = parse_ok("/run/f.sock stream unix nowait root /bin/cat cat\n",
	    &sv);
	assert_true(kind_unix_allowed(sv, &up));
	assert_int_equal(kind_unix_peers(sv, uids, gids, why, sizeof(why)), 0);
	assert_true(kind_unix_allowed(sv, &up));
	up.up_uid = 1000;
	assert_false(kind_unix_allowed(sv, &up));
	up.up_gid = 100;
	assert_true(kind_unix_allowed(sv, &up));
	svctab_free(tab);
}

static void
test_tcpmux_lines(void **state)
{
	struct service *sv, *b;
	struct svctab *tab;

	(void)state;
	tab = parse_ok("tcpmux/+foo stream tcp4 nowait root /bin/cat cat\n"
	    "127.0.0.1:tcpmux/Bar stream tcp nowait root /bin/cat cat\n", &sv);
	assert_ptr_equal(sv->sv_conf->sc_kind, &kind_tcpmux);
	assert_string_equal(sv->sv_conf->sc_kconf->kc_name, "foo");
	assert_int_equal(sv->sv_conf->sc_kconf->kc_plus, 1);
	assert_string_equal(ep(sv), "tcpmux/+foo@0.0.0.0:1");
	b = TAILQ_NEXT(sv, sv_entry);
	assert_string_equal(b->sv_conf->sc_kconf->kc_name, "Bar");
	assert_int_equal(b->sv_conf->sc_kconf->kc_plus, 0);
	assert_string_equal(ep(b), "tcpmux/Bar@127.0.0.1:1");
	assert_string_equal(svctab_proto_name(b), "tcpmux");
	svctab_free(tab);
	/* Plain tcp is IPv4 and IPv6 (Debian): a name on each. */
	tab = parse_ok("tcpmux/dual stream tcp nowait root /bin/cat cat\n", &sv);
	assert_string_equal(ep(sv), "tcpmux/dual@0.0.0.0:1");
	b = TAILQ_NEXT(sv, sv_entry);
	assert_non_null(b);
	assert_string_equal(ep(b), "tcpmux/dual@[::]:1");
	assert_int_equal(b->sv_v6only, 1);
	assert_string_equal(b->sv_conf->sc_kconf->kc_name, "dual");
	/* one line: one configuration, shared by both endpoints */
	assert_ptr_equal(b->sv_conf, sv->sv_conf);
	svctab_free(tab);
}

static void
test_tcpmux_refusals(void **state)
{
	(void)state;
	parse_fails("tcpmux/ stream tcp nowait root /bin/cat cat\n", 1,
	    "tcpmux service name \"\": must be 1-64 characters");
	parse_fails("tcpmux/+ stream tcp nowait root /bin/cat cat\n", 1,
	    "must be 1-64 characters");
	parse_fails("tcpmux/foo dgram udp wait root /bin/cat cat\n", 1,
	    "tcpmux service foo: needs a stream tcp socket");
}

/* Count the services of TAB with KIND (NULL: plain). */
static int
count_kind(struct svctab *tab, const struct kind *kind, int kind_ip)
{
	struct service *sv;
	int n = 0;

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry)
		if (kind == NULL ? sv->sv_conf->sc_kind != NULL && sv->sv_conf->sc_kind->k_ip ==
		    kind_ip && sv->sv_conf->sc_kind != &kind_tcpmux : sv->sv_conf->sc_kind == kind)
			n++;
	return n;
}

static void
test_tcpmux_one_port_per_address(void **state)
{
	struct service *sv, *p;
	struct svctab *tab;

	(void)state;
	tab = parse_ok("127.0.0.1:tcpmux/a stream tcp nowait root /bin/cat cat\n"
	    "127.0.0.1:tcpmux/b stream tcp nowait root /bin/cat cat\n"
	    "127.0.0.2:tcpmux/c stream tcp nowait root /bin/cat cat\n"
	    "#<off># 127.0.0.3:tcpmux/d stream tcp nowait root /bin/cat cat\n",
	    &sv);
	if (load_validate(tab) != 0)
		fail_msg("%s", tab->st_lasterr);
	assert_int_equal(count_kind(tab, &kind_tcpmux, 0), 4);
	/* Two ports (127.0.0.1:1 and 127.0.0.2:1); none for the disabled one. */
	assert_int_equal(count_kind(tab, NULL, 1), 2);
	p = TAILQ_LAST(&tab->st_services, service_list);
	assert_string_equal(ep(p), "127.0.0.2:1");
	assert_string_equal(svctab_proto_name(p), "tcp");
	assert_false(kind_hidden(p));
	assert_true(p->sv_conf->sc_rare->sc_caps_set);
	assert_int_equal(p->sv_conf->sc_rare->sc_caps, 0);
	/* A second validation (a reload's table) adds nothing more. */
	assert_int_equal(load_validate(tab), 0);
	assert_int_equal(count_kind(tab, NULL, 1), 2);
	svctab_free(tab);
}

static void
test_tcpmux_port_conflicts_with_a_port_1_service(void **state)
{
	struct service *sv;
	struct svctab *tab;

	(void)state;
	tab = parse_ok("tcpmux/a stream tcp nowait root /bin/cat cat\n"
	    "1 stream tcp nowait root /bin/cat cat\n", &sv);
	assert_int_equal(load_validate(tab), -1);
	assert_non_null(strstr(tab->st_lasterr, "endpoint 0.0.0.0:1/tcp "
	    "already declared"));
	svctab_free(tab);
	tab = parse_ok("tcpmux/a stream tcp wait root /bin/cat cat\n", &sv);
	assert_int_equal(load_validate(tab), -1);
	assert_non_null(strstr(tab->st_lasterr, "test.conf:1: tcpmux service a: "
	    "must be nowait"));
	svctab_free(tab);
}

static void
test_rpc_lines(void **state)
{
	struct service *sv, *b, *c, *d;
	struct svctab *tab;

	(void)state;
	tab = parse_ok("rusersd/2-3 dgram rpc/udp wait root /bin/cat cat\n"
	    "100099/1 stream rpc/tcp nowait root /bin/cat cat\n"
	    "rstatd/1-3 stream rpc/* nowait root /bin/cat cat\n"
	    "rstatd/1-3 dgram rpc/* wait root /bin/cat cat\n", &sv);
	assert_ptr_equal(sv->sv_conf->sc_kind, &kind_rpc);
	assert_int_equal(sv->sv_conf->sc_kconf->kc_prog, 100002);
	assert_int_equal(sv->sv_conf->sc_kconf->kc_vlow, 2);
	assert_int_equal(sv->sv_conf->sc_kconf->kc_vhigh, 3);
	assert_int_equal(sv->sv_proto, IPPROTO_UDP);
	assert_int_equal(sv->sv_socktype, SOCK_DGRAM);
	assert_int_equal(sv->sv_addr.ss_family, AF_INET);
	assert_string_equal(ep(sv), "rpc:100002/2-3");
	assert_string_equal(svctab_proto_name(sv), "udp");
	b = TAILQ_NEXT(sv, sv_entry);
	assert_int_equal(b->sv_conf->sc_kconf->kc_prog, 100099);
	assert_int_equal(b->sv_proto, IPPROTO_TCP);
	c = TAILQ_NEXT(b, sv_entry);
	d = TAILQ_NEXT(c, sv_entry);
	assert_int_equal(c->sv_proto, IPPROTO_TCP);
	assert_int_equal(d->sv_proto, IPPROTO_UDP);
	assert_int_equal(c->sv_conf->sc_kconf->kc_prog, 100001);
	/* One program on tcp and on udp: two endpoints, no conflict. */
	assert_false(svctab_same_endpoint(c, d));
	assert_int_equal(load_validate(tab), 0);
	svctab_free(tab);
}

static void
test_rpc_refusals(void **state)
{
	(void)state;
	parse_fails("nosuchprog/1 dgram rpc/udp wait root /bin/cat cat\n", 1,
	    "RPC program \"nosuchprog\": not a number nor a name in /etc/rpc");
	parse_fails("rusersd/3-2 dgram rpc/udp wait root /bin/cat cat\n", 1,
	    "RPC versions \"3-2\"");
	parse_fails("rusersd/x dgram rpc/udp wait root /bin/cat cat\n", 1,
	    "RPC versions \"x\"");
	parse_fails("rusersd/1-100 dgram rpc/udp wait root /bin/cat cat\n", 1,
	    "at most 64 versions");
	parse_fails("rusersd dgram rpc/udp wait root /bin/cat cat\n", 1,
	    "an RPC service is PROGRAM/VERSIONS");
	parse_fails("rusersd/1 dgram rpc/tcp wait root /bin/cat cat\n", 1,
	    "protocol field \"rpc/tcp\" does not match socket type dgram");
	parse_fails("rusersd/1 dgram rpc/sctp wait root /bin/cat cat\n", 1,
	    "protocol field \"rpc/sctp\" is unknown");
}

/* Parse TEXT as a native superd.conf; *RC gets the result. */
static struct svctab *
native(const char *text, int *rc)
{
	char path[] = "/tmp/test_kinds.XXXXXX";
	struct svctab *tab = svctab_new();
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	*rc = conf_parse(tab, path);
	unlink(path);
	return tab;
}

/* Parse native TEXT expecting an error with WORD. */
static void
native_fails(const char *text, const char *word)
{
	struct svctab *tab;
	int rc;

	tab = native(text, &rc);
	if (strstr(tab->st_lasterr, word) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", tab->st_lasterr, word);
	assert_int_equal(rc, -1);
	svctab_free(tab);
}

static void
test_native_rpc_and_tcpmux(void **state)
{
	struct service *sv, *b, *c;
	struct svctab *tab;
	int rc;

	(void)state;
	tab = native("service rusersd {\n\tprotocol = udp\n\twait = yes\n"
	    "\trpc_version = \"2-3\"\n\tuser = root\n\tserver = /bin/cat\n}\n"
	    "service mine {\n\trpc_version = 1\n\trpc_program = 100099\n"
	    "\tuser = root\n\tserver = /bin/cat\n}\n"
	    "service hello {\n\ttcpmux = Hello\n\ttcpmux_plus = yes\n"
	    "\tbind = {\"127.0.0.1\", \"127.0.0.2\"}\n\tuser = root\n"
	    "\tserver = /bin/cat\n}\n", &rc);
	if (rc != 0)
		fail_msg("%s", tab->st_lasterr);
	sv = TAILQ_FIRST(&tab->st_services);
	assert_ptr_equal(sv->sv_conf->sc_kind, &kind_rpc);
	assert_int_equal(sv->sv_conf->sc_kconf->kc_prog, 100002);
	assert_int_equal(sv->sv_proto, IPPROTO_UDP);
	b = TAILQ_NEXT(sv, sv_entry);
	assert_int_equal(b->sv_conf->sc_kconf->kc_prog, 100099);
	assert_int_equal(b->sv_conf->sc_kconf->kc_vhigh, 1);
	assert_int_equal(b->sv_proto, IPPROTO_TCP);
	c = TAILQ_NEXT(b, sv_entry);
	assert_string_equal(ep(c), "tcpmux/+Hello@127.0.0.1:1");
	c = TAILQ_NEXT(c, sv_entry);
	assert_string_equal(ep(c), "tcpmux/+Hello@127.0.0.2:1");
	svctab_free(tab);
}

static void
test_native_kind_refusals(void **state)
{
	(void)state;
	native_fails("service a {\n\ttcpmux = a\n\tport = 99\n\tuser = root\n"
	    "\tserver = /bin/cat\n}\n", ":1: service a: port does not go with "
	    "tcpmux");
	native_fails("service a {\n\trpc_version = 1\n\tport = 99\n"
	    "\tuser = root\n\tserver = /bin/cat\n}\n", "port does not go "
	    "with rpc_version");
	native_fails("service a {\n\trpc_version = 1\n\ttcpmux = a\n"
	    "\tuser = root\n\tserver = /bin/cat\n}\n", "tcpmux and "
	    "rpc_version do not go together");
	native_fails("service a {\n\trpc_version = 1\n\tprotocol = tcp6\n"
	    "\tuser = root\n\tserver = /bin/cat\n}\n", "registered for IPv4 "
	    "only");
	native_fails("service a {\n\trpc_version = 1\n\trpc_program = nosuch\n"
	    "\tuser = root\n\tserver = /bin/cat\n}\n", "RPC program "
	    "\"nosuch\"");
	native_fails("service a {\n\tsocket = \"/run/a.sock\"\n"
	    "\tsocket_type = dgram\n\tuser = root\n\tserver = /bin/cat\n}\n",
	    "only stream sockets are served");
	native_fails("service a {\n\tsocket = \"/run/a.sock\"\n"
	    "\tsocket_mode = 888\n\tuser = root\n\tserver = /bin/cat\n}\n",
	    "socket mode \"888\"");
	native_fails("service a {\n\tsocket = \"/run/a.sock\"\n"
	    "\tsocket_user = nosuchuser\n\tuser = root\n\tserver = /bin/cat\n"
	    "}\n", "unknown user");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unix_plain_path),
		cmocka_unit_test(test_unix_freebsd_owner_group_mode),
		cmocka_unit_test(test_unix_refusals),
		cmocka_unit_test(test_unix_same_path_is_one_endpoint),
		cmocka_unit_test(test_unix_peer_log_source_and_environ),
		cmocka_unit_test(test_unix_allowed_by_uid_or_gid),
		cmocka_unit_test(test_tcpmux_lines),
		cmocka_unit_test(test_tcpmux_refusals),
		cmocka_unit_test(test_tcpmux_one_port_per_address),
		cmocka_unit_test(test_tcpmux_port_conflicts_with_a_port_1_service),
		cmocka_unit_test(test_rpc_lines),
		cmocka_unit_test(test_rpc_refusals),
		cmocka_unit_test(test_native_rpc_and_tcpmux),
		cmocka_unit_test(test_native_kind_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
