/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the native superd.conf parser (src/conf.c).  Each test
 * writes its config into a fresh mkdtemp directory.  log_info is wrapped
 * so the tests can see which included files were read or skipped.
 */
// WRAP: log_info log_warnx
#include <sys/stat.h>
#include <arpa/inet.h>
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
#include "conf.h"

static char dir[64];		/* this test's directory */
static char conf[128];		/* dir/t.conf */
static char infos[32][512];	/* log_info lines of this test */
static int ninfos;
static struct svctab *tab;

/* Keep log_info lines for the tests to look at. */
void
__wrap_log_info(const char *fmt, ...)
{
	va_list ap;

	if (ninfos >= 32)
		return;
	va_start(ap, fmt);
	vsnprintf(infos[ninfos++], sizeof(infos[0]), fmt, ap);
	va_end(ap);
}

/* Warnings are kept with the info lines (and still printed). */
void
__wrap_log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (ninfos < 32)
		vsnprintf(infos[ninfos++], sizeof(infos[0]), fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Whether some log_info or log_warnx line contains S. */
static int
logged(const char *s)
{
	int i;

	for (i = 0; i < ninfos; i++)
		if (strstr(infos[i], s) != NULL)
			return 1;
	return 0;
}

/* Write TEXT to dir/NAME with MODE; the path in a static buffer. */
static const char *
put(const char *name, const char *text, mode_t mode)
{
	static char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* Parse TEXT as dir/t.conf into a fresh table. */
static int
load(const char *text)
{
	put("t.conf", text, 0644);
	svctab_free(tab);
	tab = svctab_new();
	assert_non_null(tab);
	return conf_parse(tab, conf);
}

/* Parse TEXT, expect an error whose text contains "t.conf:LINE:" and S. */
static void
load_fails(const char *text, int line, const char *s)
{
	char want[160];

	assert_int_equal(load(text), -1);
	assert_true(tab->st_nerrors > 0);
	snprintf(want, sizeof(want), "t.conf:%d: ", line);
	if (strstr(tab->st_lasterr, want) == NULL ||
	    strstr(tab->st_lasterr, s) == NULL)
		fail_msg("error \"%s\" lacks \"%s\" or \"%s\"", tab->st_lasterr,
		    want, s);
}

/* The Nth service of the table. */
static struct service *
nth(int n)
{
	struct service *sv;

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry)
		if (n-- == 0)
			return sv;
	fail_msg("no service %d", n);
	return NULL;
}

/* Number of services in the table. */
static int
count(void)
{
	struct service *sv;
	int n = 0;

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry)
		n++;
	return n;
}

/* Port of a service. */
static int
port(const struct service *sv)
{
	return ntohs(((const struct sockaddr_in *)&sv->sv_addr)->sin_port);
}

/* A fresh directory per test. */
static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_conf.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(conf, sizeof(conf), "%s/t.conf", dir);
	ninfos = 0;
	tab = NULL;
	return 0;
}

/* Remove the test's directory and table. */
static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	svctab_free(tab);
	tab = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#define SVC(body) "service echo {\n" body "}\n"
#define CAT "user = nobody\nserver = /bin/cat\n"

static void
test_minimal_service_gets_port_from_its_name(void **state)
{
	struct service *sv;
	struct sockaddr_in *sin;

	(void)state;
	assert_int_equal(load(SVC(CAT)), 0);
	/* protocol tcp, as in Debian's inetd.conf: IPv4 and v6-only IPv6 */
	assert_int_equal(count(), 2);
	assert_int_equal(nth(1)->sv_addr.ss_family, AF_INET6);
	assert_int_equal(nth(1)->sv_v6only, 1);
	assert_int_equal(nth(1)->sv_conf->sc_line, 1);
	sv = nth(0);
	sin = (struct sockaddr_in *)&sv->sv_addr;
	assert_string_equal(sv->sv_conf->sc_name, "echo");
	assert_int_equal(sv->sv_conf->sc_line, 1);
	assert_int_equal(port(sv), 7);
	assert_int_equal(sv->sv_proto, IPPROTO_TCP);
	assert_int_equal(sv->sv_socktype, SOCK_STREAM);
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(sin->sin_addr.s_addr, htonl(INADDR_ANY));
	assert_int_equal(sv->sv_conf->sc_uid, 65534);
	assert_string_equal(sv->sv_conf->sc_user, "nobody");
	assert_string_equal(sv->sv_conf->sc_server, "/bin/cat");
	assert_string_equal(sv->sv_conf->sc_argv[0], "cat");
	assert_null(sv->sv_conf->sc_argv[1]);
	assert_int_equal(sv->sv_conf->sc_wait, 0);
	assert_int_equal(sv->sv_conf->sc_builtin, BUILTIN_NONE);
	assert_true(sv->sv_conf->sc_ngroups >= 1);
	/* the safe defaults of service_new survive */
	assert_int_equal(sv->sv_conf->sc_per_source, DEF_PER_SOURCE);
	assert_int_equal(sv->sv_conf->sc_backlog, DEF_BACKLOG);
	assert_int_equal(sv->sv_conf->sc_v6_prefix, DEF_V6_PREFIX);
	assert_int_equal(sv->sv_conf->sc_log_success, LOGF_DEFAULT);
	assert_int_equal(sv->sv_conf->sc_rare->sc_umask, SV_UNSET);
}

static void
test_port_number_name_and_range(void **state)
{
	(void)state;
	assert_int_equal(load("service x {\nport = 2000\n" CAT "}\n"), 0);
	assert_int_equal(port(nth(0)), 2000);
	assert_int_equal(load("service x {\nport = ssh\n" CAT "}\n"), 0);
	assert_int_equal(port(nth(0)), 22);
	load_fails("service x {\n" CAT "port = 70000\n}\n", 4, "port");
	load_fails("service x {\nport = 0\n" CAT "}\n", 2, "1-65535");
	load_fails("service x {\nport = nosuchsvc\n" CAT "}\n", 2,
	    "unknown service name");
	load_fails("service nosuchsvc {\n" CAT "}\n", 1, "port");
}

static void
test_protocols_and_socket_types(void **state)
{
	struct service *sv;

	(void)state;
	assert_int_equal(load(SVC("protocol = udp\n" CAT)), 0);
	sv = nth(0);
	assert_int_equal(sv->sv_proto, IPPROTO_UDP);
	assert_int_equal(sv->sv_socktype, SOCK_DGRAM);
	assert_int_equal(sv->sv_addr.ss_family, AF_INET);
	assert_int_equal(load(SVC("socket_type = dgram\n" CAT)), 0);
	assert_int_equal(nth(0)->sv_proto, IPPROTO_UDP);
	assert_int_equal(load(SVC("protocol = tcp6\n" CAT)), 0);
	sv = nth(0);
	assert_int_equal(sv->sv_addr.ss_family, AF_INET6);
	assert_int_equal(sv->sv_v6only, 1);
	assert_string_equal(svctab_proto_name(sv), "tcp6");
	assert_int_equal(load(SVC("protocol = udp46\n" CAT)), 0);
	sv = nth(0);
	assert_int_equal(sv->sv_v6only, 0);
	assert_string_equal(svctab_proto_name(sv), "udp46");
	assert_int_equal(load(SVC("protocol = tcp46\nv6only = yes\n" CAT)), 0);
	assert_int_equal(nth(0)->sv_v6only, 1);
	load_fails(SVC("protocol = sctp\n" CAT), 2, "protocol");
	load_fails(SVC("socket_type = raw\n" CAT), 2, "stream or dgram");
	load_fails(SVC(CAT "protocol = udp\nsocket_type = stream\n"), 1,
	    "does not go with protocol udp");
}

static void
test_bind_list_gives_one_entry_per_address(void **state)
{
	struct service *a, *b;
	char buf[64];

	(void)state;
	assert_int_equal(load(SVC("protocol = tcp46\n"
	    "bind = {\"127.0.0.1\", \"::1\"}\n" CAT)), 0);
	assert_int_equal(count(), 2);
	a = nth(0);
	b = nth(1);
	assert_string_equal(svctab_endpoint(a, buf, sizeof(buf)),
	    "127.0.0.1:7");
	assert_string_equal(svctab_endpoint(b, buf, sizeof(buf)), "[::1]:7");
	assert_string_equal(b->sv_conf->sc_server, "/bin/cat");
	assert_string_equal(b->sv_conf->sc_argv[0], "cat");
	/* one declaration: one configuration, shared by its endpoints */
	assert_ptr_equal(a->sv_conf, b->sv_conf);
	assert_int_equal(a->sv_conf->sc_refs, 2);
	assert_int_equal(b->sv_conf->sc_uid, 65534);
	assert_int_equal(load(SVC("protocol = tcp6\n" CAT)), 0);
	assert_string_equal(svctab_endpoint(nth(0), buf, sizeof(buf)),
	    "[::]:7");
	load_fails(SVC("bind = \"1.2.3.999\"\n" CAT), 2, "bind");
	load_fails(SVC("protocol = tcp4\nbind = \"::1\"\n" CAT), 1,
	    "protocol tcp4");
	load_fails(SVC("protocol = tcp6\nbind = \"127.0.0.1\"\n" CAT), 1,
	    "protocol tcp6");
	/* tcp binds each address in its own family; IPv6 v6-only */
	assert_int_equal(load(SVC("bind = {\"127.0.0.1\", \"::1\"}\n" CAT)),
	    0);
	assert_int_equal(count(), 2);
	assert_int_equal(nth(0)->sv_addr.ss_family, AF_INET);
	assert_int_equal(nth(1)->sv_addr.ss_family, AF_INET6);
	assert_int_equal(nth(1)->sv_v6only, 1);
	assert_int_equal(load(SVC("protocol = tcp4\n" CAT)), 0);
	assert_int_equal(count(), 1);
	assert_string_equal(svctab_endpoint(nth(0), buf, sizeof(buf)),
	    "0.0.0.0:7");
}

static void
test_booleans_and_wrong_types(void **state)
{
	struct service *sv;

	(void)state;
	assert_int_equal(load(SVC("wait = yes\ndisable = true\n"
	    "no_new_privs = on\nkeepalive = yes\nnodelay = yes\n"
	    "reuseport = yes\nfreebind = yes\n" CAT)), 0);
	sv = nth(0);
	assert_int_equal(sv->sv_conf->sc_wait, 1);
	assert_int_equal(sv->sv_conf->sc_disabled, 1);
	assert_int_equal(sv->sv_conf->sc_no_new_privs, 1);
	assert_int_equal(sv->sv_conf->sc_keepalive, 1);
	assert_int_equal(sv->sv_conf->sc_nodelay, 1);
	assert_int_equal(sv->sv_conf->sc_reuseport, 1);
	assert_int_equal(sv->sv_conf->sc_freebind, 1);
	load_fails(SVC(CAT "wait = maybe\n"), 4, "boolean");
	load_fails(SVC(CAT "instances = lots\n"), 4, "integer");
	load_fails(SVC(CAT "bogus = 1\n"), 4, "bogus");
	load_fails("frobnicate = 1\n", 1, "frobnicate");
}

static void
test_credentials(void **state)
{
	struct service *sv;

	(void)state;
	assert_int_equal(load(SVC("user = daemon\ngroup = nogroup\n"
	    "groups = {\"daemon\", \"nogroup\"}\nserver = /bin/cat\n")), 0);
	sv = nth(0);
	assert_int_equal(sv->sv_conf->sc_uid, 1);
	assert_int_equal(sv->sv_conf->sc_gid, 65534);
	assert_int_equal(sv->sv_conf->sc_ngroups, 2);
	assert_int_equal(sv->sv_conf->sc_groups[0], 1);
	assert_int_equal(sv->sv_conf->sc_groups[1], 65534);
	assert_int_equal(load(SVC("user = root\nserver = /bin/cat\n")), 0);
	assert_int_equal(nth(0)->sv_conf->sc_uid, 0);
	assert_true(nth(0)->sv_conf->sc_ngroups >= 1);
	load_fails(SVC("server = /bin/cat\n"), 1, "user is required");
	load_fails(SVC("user = nosuchuser\nserver = /bin/cat\n"), 2,
	    "unknown user");
	load_fails(SVC(CAT "group = nosuchgroup\n"), 4, "unknown group");
	/* Regression: "+0" was root; only canonical decimal ids count. */
	load_fails(SVC("user = \"+0\"\nserver = /bin/cat\n"), 2,
	    "unknown user");
	load_fails(SVC("user = \"00\"\nserver = /bin/cat\n"), 2,
	    "unknown user");
	load_fails(SVC("user = \"-0\"\nserver = /bin/cat\n"), 2,
	    "unknown user");
	load_fails(SVC("user = \" 0\"\nserver = /bin/cat\n"), 2,
	    "unknown user");
	load_fails(SVC(CAT "group = \"+0\"\n"), 4, "unknown group");
	assert_int_equal(load(SVC("user = \"0\"\nserver = /bin/cat\n")), 0);
	assert_int_equal(nth(0)->sv_conf->sc_uid, 0);
	assert_int_equal(load(SVC("user = \"65534\"\nserver = /bin/cat\n")),
	    0);
	assert_int_equal(nth(0)->sv_conf->sc_uid, 65534);
	load_fails(SVC(CAT "groups = {\"daemon\", \"nosuchgroup\"}\n"), 4,
	    "unknown group");
}

/* Capability names with or without "cap_", in any case; no numbers. */
static void
test_capability_names(void **state)
{
	int cap;

	(void)state;
	assert_int_equal(priv_cap_from_name("cap_net_bind_service", &cap), 0);
	assert_int_equal(cap, 10);
	assert_int_equal(priv_cap_from_name("net_bind_service", &cap), 0);
	assert_int_equal(cap, 10);
	assert_int_equal(priv_cap_from_name("CAP_KILL", &cap), 0);
	assert_int_equal(cap, 5);
	assert_int_equal(priv_cap_from_name("kill", &cap), 0);
	assert_int_equal(cap, 5);
	assert_int_equal(priv_cap_from_name("12", &cap), -1);
	assert_int_equal(priv_cap_from_name("cap_kill ", &cap), -1);
	assert_int_equal(priv_cap_from_name("", &cap), -1);
	assert_int_equal(priv_cap_from_name("cap_", &cap), -1);
	assert_int_equal(priv_cap_from_name("nosuchcap", &cap), -1);
	assert_int_equal(load(SVC("user = root\nserver = /bin/cat\n"
	    "capabilities = { net_bind_service, cap_kill }\n")), 0);
	assert_true(nth(0)->sv_conf->sc_rare->sc_caps == ((1ULL << 10) | (1ULL << 5)));
	load_fails(SVC("user = root\nserver = /bin/cat\n"
	    "capabilities = { \"12\" }\n"), 1, "unknown capability");
}

static void
test_server_must_be_safe_executable(void **state)
{
	struct service *sv;
	char text[512];
	const char *p;

	(void)state;
	assert_int_equal(load(SVC("user = nobody\nserver = /bin/sh\n"
	    "server_args = {\"-c\", \"echo hi\"}\n")), 0);
	sv = nth(0);
	assert_string_equal(sv->sv_conf->sc_argv[0], "sh");
	assert_string_equal(sv->sv_conf->sc_argv[1], "-c");
	assert_string_equal(sv->sv_conf->sc_argv[2], "echo hi");
	assert_null(sv->sv_conf->sc_argv[3]);
	load_fails(SVC("user = nobody\nserver = bin/cat\n"), 3, "absolute");
	load_fails(SVC("user = nobody\nserver = /no/such/prog\n"), 3,
	    "does not exist");
	p = put("noexec", "#!/bin/sh\n", 0644);
	snprintf(text, sizeof(text), SVC("user = nobody\nserver = %s\n"), p);
	load_fails(text, 3, "not executable");
	p = put("writable", "#!/bin/sh\n", 0777);
	snprintf(text, sizeof(text), SVC("user = nobody\nserver = %s\n"), p);
	load_fails(text, 3, "world-writable");
	p = put("groupw", "#!/bin/sh\n", 0775);
	snprintf(text, sizeof(text), SVC("user = nobody\nserver = %s\n"), p);
	load_fails(text, 3, "group- or world-writable");
	load_fails(SVC("user = nobody\nserver = /tmp\n"), 3, "regular file");
	load_fails(SVC("user = nobody\n"), 1, "server or internal");
}

static void
test_internal_builtins(void **state)
{
	struct service *sv;

	(void)state;
	assert_int_equal(load(SVC("internal = yes\n")), 0);
	sv = nth(0);
	assert_int_equal(sv->sv_conf->sc_builtin, BUILTIN_ECHO);
	assert_null(sv->sv_conf->sc_server);
	assert_int_equal(sv->sv_conf->sc_uid, 0);
	assert_int_equal(load("service myecho {\nport = 7007\n"
	    "internal = echo\n}\n"), 0);
	assert_int_equal(nth(0)->sv_conf->sc_builtin, BUILTIN_ECHO);
	assert_int_equal(load(SVC("internal = yes\nprotocol = udp\n"
	    "wait = yes\n")), 0);
	assert_int_equal(nth(0)->sv_conf->sc_wait, 1);
	assert_int_equal(load(SVC("internal = no\n" CAT)), 0);
	assert_int_equal(nth(0)->sv_conf->sc_builtin, BUILTIN_NONE);
	load_fails(SVC("internal = bogus\n"), 2, "internal");
	load_fails("service x {\nport = 99\ninternal = yes\n}\n", 1,
	    "no builtin named \"x\"");
	load_fails(SVC("internal = yes\nwait = yes\n"), 1, "wait = no");
	load_fails(SVC("internal = yes\nserver = /bin/cat\n"), 1,
	    "both server and internal");
}

static void
test_environment_umask_nice(void **state)
{
	struct service *sv;

	(void)state;
	assert_int_equal(load(SVC(CAT "env = {\"A=1\", \"B_2=x=y\"}\n"
	    "passenv = {\"PATH\", \"TZ\"}\numask = 027\nnice = 10\n")), 0);
	sv = nth(0);
	assert_string_equal(sv->sv_conf->sc_env[0], "A=1");
	assert_string_equal(sv->sv_conf->sc_env[1], "B_2=x=y");
	assert_null(sv->sv_conf->sc_env[2]);
	assert_string_equal(sv->sv_conf->sc_passenv[1], "TZ");
	assert_int_equal(sv->sv_conf->sc_rare->sc_umask, 027);
	assert_int_equal(sv->sv_conf->sc_nice, 10);
	assert_int_equal(load(SVC(CAT "nice = -20\n")), 0);
	assert_int_equal(nth(0)->sv_conf->sc_nice, -20);
	load_fails(SVC(CAT "env = {\"NOEQUALS\"}\n"), 4, "NAME=VALUE");
	load_fails(SVC(CAT "env = {\"=x\"}\n"), 4, "NAME=VALUE");
	load_fails(SVC(CAT "passenv = {\"A=B\"}\n"), 4, "variable name");
	load_fails(SVC(CAT "umask = 0999\n"), 4, "octal");
	load_fails(SVC(CAT "umask = 07777\n"), 4, "octal");
	load_fails(SVC(CAT "nice = 20\n"), 4, "-20-19");
	load_fails(SVC(CAT "nice = -21\n"), 4, "-20-19");
}

static void
test_rlimits_and_chroot(void **state)
{
	struct service *sv;
	char text[512];

	(void)state;
	snprintf(text, sizeof(text), SVC(CAT "rlimit_as = 64M\n"
	    "rlimit_cpu = 30\nrlimit_nofile = 1k\nrlimit_nproc = unlimited\n"
	    "rlimit_data = 2G\nchroot = \"%s\"\n"), dir);
	assert_int_equal(load(text), 0);
	sv = nth(0);
	assert_true(sv->sv_conf->sc_rare->sc_rlimit[SV_RLIM_AS] == 64LL << 20);
	assert_true(sv->sv_conf->sc_rare->sc_rlimit[SV_RLIM_CPU] == 30);
	assert_true(sv->sv_conf->sc_rare->sc_rlimit[SV_RLIM_NOFILE] == 1024);
	/* negative but not SV_UNSET: spawn sets RLIM_INFINITY */
	assert_true(sv->sv_conf->sc_rare->sc_rlimit[SV_RLIM_NPROC] < 0);
	assert_true(sv->sv_conf->sc_rare->sc_rlimit[SV_RLIM_NPROC] != SV_UNSET);
	assert_true(sv->sv_conf->sc_rare->sc_rlimit[SV_RLIM_DATA] == 2LL << 30);
	assert_string_equal(sv->sv_conf->sc_chroot, dir);
	assert_int_equal(load(SVC(CAT)), 0);
	assert_true(nth(0)->sv_conf->sc_rare->sc_rlimit[SV_RLIM_AS] == SV_UNSET);
	load_fails(SVC(CAT "rlimit_as = lots\n"), 4, "rlimit_as");
	load_fails(SVC(CAT "rlimit_cpu = 5Q\n"), 4, "rlimit_cpu");
	load_fails(SVC(CAT "rlimit_data = 99999999999999999999\n"), 4,
	    "rlimit_data");
	load_fails(SVC(CAT "rlimit_nofile = -1\n"), 4, "rlimit_nofile");
	load_fails(SVC(CAT "chroot = /no/such/dir\n"), 4, "directory");
	load_fails(SVC(CAT "chroot = relative\n"), 4, "absolute");
}

static void
test_acl_entries_are_masked_and_v4_mapped_is_ipv4(void **state)
{
	struct service *sv;
	struct acl_entry *ae;
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	(void)state;
	assert_int_equal(load(SVC(CAT "only_from = {\"10.1.2.3/8\", "
	    "\"192.0.2.7\", \"::ffff:192.0.2.0/120\", \"2001:db8::1/32\"}\n"
	    "no_access = {\"::1\"}\n")), 0);
	sv = nth(0);
	assert_int_equal(sv->sv_conf->sc_rare->sc_only_from.acl_n, 4);
	ae = sv->sv_conf->sc_rare->sc_only_from.acl_entries;
	assert_int_equal(ae[0].ae_family, AF_INET);
	assert_int_equal(ae[0].ae_prefix, 8);
	assert_memory_equal(ae[0].ae_addr, "\x0a\x00\x00\x00", 4);
	assert_int_equal(ae[1].ae_prefix, 32);
	assert_memory_equal(ae[1].ae_addr, "\xc0\x00\x02\x07", 4);
	assert_int_equal(ae[2].ae_family, AF_INET);
	assert_int_equal(ae[2].ae_prefix, 24);
	assert_memory_equal(ae[2].ae_addr, "\xc0\x00\x02\x00", 4);
	assert_int_equal(ae[3].ae_family, AF_INET6);
	assert_int_equal(ae[3].ae_prefix, 32);
	assert_memory_equal(ae[3].ae_addr, v6, 16);
	assert_int_equal(sv->sv_conf->sc_rare->sc_no_access.acl_n, 1);
	assert_int_equal(sv->sv_conf->sc_rare->sc_no_access.acl_entries[0].ae_prefix, 128);
	load_fails(SVC(CAT "only_from = {\"10.0.0.0/33\"}\n"), 4, "only_from");
	load_fails(SVC(CAT "only_from = {\"host.example\"}\n"), 4,
	    "address");
	load_fails(SVC(CAT "no_access = {\"10.0.0.0/\"}\n"), 4, "no_access");
	load_fails(SVC(CAT "no_access = {\"::1/129\"}\n"), 4, "no_access");
	load_fails(SVC(CAT "no_access = {\"10.0.0.0/-1\"}\n"), 4,
	    "no_access");
}

static void
test_access_times(void **state)
{
	struct service *sv;

	(void)state;
	assert_int_equal(load(SVC(CAT "access_times = {\"08:00-17:30\", "
	    "\"22:00-02:00\"}\n")), 0);
	sv = nth(0);
	assert_int_equal(sv->sv_conf->sc_rare->sc_ntimes, 2);
	assert_int_equal(sv->sv_conf->sc_rare->sc_times[0].tr_start, 8 * 60);
	assert_int_equal(sv->sv_conf->sc_rare->sc_times[0].tr_end, 17 * 60 + 30);
	assert_int_equal(sv->sv_conf->sc_rare->sc_times[1].tr_start, 22 * 60);
	assert_int_equal(sv->sv_conf->sc_rare->sc_times[1].tr_end, 2 * 60);
	load_fails(SVC(CAT "access_times = {\"25:00-26:00\"}\n"), 4,
	    "HH:MM-HH:MM");
	load_fails(SVC(CAT "access_times = {\"8:00-9:00\"}\n"), 4,
	    "HH:MM-HH:MM");
	load_fails(SVC(CAT "access_times = {\"08:00-09:60\"}\n"), 4,
	    "HH:MM-HH:MM");
	load_fails(SVC(CAT "access_times = {\"08:00\"}\n"), 4, "HH:MM");
}

static void
test_limits(void **state)
{
	struct service *sv;

	(void)state;
	assert_int_equal(load(SVC(CAT "instances = 10\nper_source = 3\n"
	    "per_source_prefix6 = 56\ncps = {20, 30}\nmax_per_minute = 100\n"
	    "per_ip_per_minute = 7\nbacklog = 16\n")), 0);
	sv = nth(0);
	assert_int_equal(sv->sv_conf->sc_instances, 10);
	assert_int_equal(sv->sv_conf->sc_per_source, 3);
	assert_int_equal(sv->sv_conf->sc_v6_prefix, 56);
	assert_int_equal(sv->sv_conf->sc_cps_rate, 20);
	assert_int_equal(sv->sv_conf->sc_cps_backoff, 30);
	assert_int_equal(sv->sv_conf->sc_max_per_minute, 100);
	assert_int_equal(sv->sv_conf->sc_per_ip_rate, 7);
	assert_int_equal(sv->sv_conf->sc_backlog, 16);
	load_fails(SVC(CAT "instances = -1\n"), 4, "instances");
	load_fails(SVC(CAT "per_source_prefix6 = 0\n"), 4, "1-128");
	load_fails(SVC(CAT "per_source_prefix6 = 129\n"), 4, "1-128");
	load_fails(SVC(CAT "cps = {20}\n"), 1, "cps takes two numbers");
	load_fails(SVC(CAT "cps = {20, -1}\n"), 4, "cps");
	load_fails(SVC(CAT "backlog = 0\n"), 4, "backlog");
	load_fails(SVC(CAT "max_per_minute = -5\n"), 4, "max_per_minute");
	load_fails(SVC(CAT "per_ip_per_minute = x\n"), 4, "integer");
}

static void
test_banners_and_log_fields(void **state)
{
	struct service *sv;
	char text[1024], p[256];

	(void)state;
	snprintf(p, sizeof(p), "%s", put("banner.txt", "hello\n", 0644));
	snprintf(text, sizeof(text), SVC(CAT "banner = \"%s\"\n"
	    "banner_fail = \"%s\"\nlog_on_success = {PID, HOST}\n"
	    "log_on_failure = {\"HOST\", \"USERID\", \"ATTEMPT\"}\n"), p, p);
	assert_int_equal(load(text), 0);
	sv = nth(0);
	assert_string_equal(sv->sv_conf->sc_rare->sc_banner, p);
	assert_string_equal(sv->sv_conf->sc_rare->sc_banner_fail, p);
	assert_null(sv->sv_conf->sc_rare->sc_banner_success);
	assert_int_equal(sv->sv_conf->sc_log_success, LOGF_PID | LOGF_HOST);
	assert_int_equal(sv->sv_conf->sc_log_failure, LOGF_HOST);
	assert_true(logged("USERID is not supported"));
	assert_true(logged("ATTEMPT is not supported"));
	assert_int_equal(load(SVC(CAT "log_on_success = {exit, duration}\n")),
	    0);
	assert_int_equal(nth(0)->sv_conf->sc_log_success, LOGF_EXIT | LOGF_DURATION);
	assert_int_equal(load(SVC(CAT "log_on_success = {}\n")), 0);
	assert_int_equal(nth(0)->sv_conf->sc_log_success, LOGF_DEFAULT);
	load_fails(SVC(CAT "banner_success = /no/such/file\n"), 4,
	    "does not exist");
	load_fails(SVC(CAT "log_on_failure = {HOST, BOGUS}\n"), 4,
	    "log_on_failure");
}

static void
test_globals(void **state)
{
	struct globals *gl;

	(void)state;
	assert_int_equal(load(""), 0);
	gl = &tab->st_globals;
	assert_int_equal(gl->gl_instances, DEF_GLOBAL_INSTANCES);
	assert_null(gl->gl_user);
	assert_int_equal(gl->gl_selfcheck_interval, 0);
	assert_int_equal(gl->gl_kill_children, 0);
	assert_int_equal(count(), 0);
	assert_int_equal(load("instances = 0\nuser = nobody\n"
	    "selfcheck_interval = 300\nkill_children_on_exit = yes\n"), 0);
	gl = &tab->st_globals;
	assert_int_equal(gl->gl_instances, 0);
	assert_string_equal(gl->gl_user, "nobody");
	assert_int_equal(gl->gl_selfcheck_interval, 300);
	assert_int_equal(gl->gl_kill_children, 1);
	load_fails("\nuser = nosuchuser\n", 2, "unknown user");
	load_fails("selfcheck_interval = -1\n", 1, "selfcheck_interval");
	load_fails("instances = many\n", 1, "integer");
	load_fails("kill_children_on_exit = 2\n", 1, "boolean");
}

static void
test_defaults_are_inherited_unless_overridden(void **state)
{
	struct service *a, *b;

	(void)state;
	assert_int_equal(load("defaults {\n user = nobody\n instances = 5\n"
	    " only_from = {\"127.0.0.1\"}\n per_source = 2\n}\n"
	    "service echo {\n server = /bin/cat\n}\n"
	    "service discard {\n server = /bin/cat\n user = daemon\n"
	    " instances = 9\n only_from = {\"10.0.0.0/8\", \"::1\"}\n}\n"), 0);
	a = nth(0);
	b = nth(2);	/* nth(1) is echo's IPv6 socket */
	assert_int_equal(a->sv_conf->sc_uid, 65534);
	assert_int_equal(a->sv_conf->sc_instances, 5);
	assert_int_equal(a->sv_conf->sc_per_source, 2);
	assert_int_equal(a->sv_conf->sc_rare->sc_only_from.acl_n, 1);
	assert_int_equal(b->sv_conf->sc_uid, 1);
	assert_int_equal(b->sv_conf->sc_instances, 9);
	assert_int_equal(b->sv_conf->sc_per_source, 2);
	assert_int_equal(b->sv_conf->sc_rare->sc_only_from.acl_n, 2);
	assert_int_equal(b->sv_conf->sc_line, 10);
	/* values in defaults { } are checked too, at their own line */
	load_fails("defaults {\n user = nobody\n nice = 40\n}\n", 3, "nice");
}

static void
test_errors_name_file_and_line_despite_comments(void **state)
{
	(void)state;
	load_fails("# one\n# two\n// three\n/* four\n five */\n"
	    "service echo { # trailing\n" CAT " port = 0\n}\n", 9, "port");
	/* a comment inside a list is not a syntax error */
	assert_int_equal(load(SVC(CAT "env = {\n \"A=1\", # first\n"
	    " \"B=2\" // second\n}\n")), 0);
	assert_int_equal(strv_len(nth(0)->sv_conf->sc_env), 2);
	/* a # inside a quoted string is not a comment */
	assert_int_equal(load(SVC(CAT "env = {\"A=#1\"}\n")), 0);
	assert_string_equal(nth(0)->sv_conf->sc_env[0], "A=#1");
	load_fails("service echo {\n" CAT "\n", 1, "missing closing brace");
	load_fails("service echo\n" CAT, 2, "brace");
	load_fails("service echo { user nobody }\n", 1, "equal");
	load_fails("}\n", 1, "closing brace");
	load_fails(SVC(CAT) SVC(CAT), 5, "duplicate");
	load_fails("service \"\" {\n internal = yes\n}\n", 1, "name");
}

static void
test_nul_byte_is_an_error(void **state)
{
	FILE *fp;

	(void)state;
	fp = fopen(conf, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite("\n\nx = \"a\0b\"\n", 1, 12, fp), 12);
	fclose(fp);
	tab = svctab_new();
	assert_int_equal(conf_parse(tab, conf), -1);
	assert_non_null(strstr(tab->st_lasterr, "t.conf:3: NUL byte"));
}

static void
test_service_line_is_its_declaration(void **state)
{
	(void)state;
	assert_int_equal(load("# head\n\nservice echo\n{\n" CAT "}\n\n"
	    "\"service\" discard {\n" CAT "}\n"), 0);
	assert_int_equal(nth(0)->sv_conf->sc_line, 3);
	assert_int_equal(nth(1)->sv_conf->sc_line, 3);
	assert_int_equal(nth(2)->sv_conf->sc_line, 9);
	assert_string_equal(nth(2)->sv_conf->sc_file, conf);
}

static void
test_include_file_and_directory(void **state)
{
	char text[512];

	(void)state;
	assert_int_equal(mkdir(strcat(strcpy(text, dir), "/d"), 0755), 0);
	put("d/b.conf", "service discard {\n" CAT "}\n", 0644);
	put("d/a.conf", "service daytime {\n" CAT "}\n", 0644);
	put("d/notes.txt", "garbage {{{\n", 0644);
	put("d/c.conf.disabled", "garbage {{{\n", 0644);
	put("one", "selfcheck_interval = 60\nservice time {\n" CAT "}\n",
	    0644);
	assert_int_equal(load("defaults { user = nobody }\n"
	    "include = \"one\"\n"
	    "service echo {\n server = /bin/cat\n}\n"
	    "include = d\n"), 0);
	assert_int_equal(count(), 8);	/* IPv4 and IPv6 each */
	assert_string_equal(nth(0)->sv_conf->sc_name, "echo");
	assert_string_equal(nth(2)->sv_conf->sc_name, "time");
	assert_string_equal(nth(4)->sv_conf->sc_name, "daytime");
	assert_string_equal(nth(6)->sv_conf->sc_name, "discard");
	assert_int_equal(tab->st_globals.gl_selfcheck_interval, 60);
	assert_non_null(strstr(nth(4)->sv_conf->sc_file, "/d/a.conf"));
	assert_true(logged("notes.txt: skipped"));
	assert_true(logged("c.conf.disabled: skipped"));
	assert_true(logged("including"));
	assert_true(logged("a.conf"));
}

static void
test_include_errors(void **state)
{
	(void)state;
	put("bad.conf", "service echo {\n wait = maybe\n}\n", 0644);
	assert_int_equal(load("\ninclude = bad.conf\n"), -1);
	assert_non_null(strstr(tab->st_lasterr, "bad.conf:2: "));
	load_fails("\ninclude = missing.conf\n", 2, "missing.conf");
	load_fails("include = t.conf\n", 1, "includes itself");
	put("loop.conf", "include = t.conf\n", 0644);
	assert_int_equal(load("include = loop.conf\n"), -1);
	assert_non_null(strstr(tab->st_lasterr, "includes itself"));
	/* a defaults value the included file inherits is checked there */
	put("noserver.conf", "service echo {\n user = nobody\n}\n", 0644);
	assert_int_equal(load("include = {\"noserver.conf\"}\n"), -1);
	assert_non_null(strstr(tab->st_lasterr, "noserver.conf:1: "));
}

static void
test_inetd_conf_is_pulled_in(void **state)
{
	(void)state;
	put("inetd.conf", "echo stream tcp4 nowait root internal\n"
	    "discard stream tcp4 nowait nobody /bin/cat cat\n", 0644);
	assert_int_equal(load("inetd_conf = inetd.conf\n"
	    "service daytime {\n" CAT "}\n"), 0);
	assert_int_equal(count(), 4);	/* daytime: IPv4 and IPv6 */
	assert_string_equal(nth(0)->sv_conf->sc_name, "daytime");
	assert_string_equal(nth(2)->sv_conf->sc_name, "echo");
	assert_int_equal(nth(2)->sv_conf->sc_builtin, BUILTIN_ECHO);
	assert_string_equal(nth(3)->sv_conf->sc_name, "discard");
	assert_true(logged("inetd_conf"));
	load_fails("\ninetd_conf = nonexistent\n", 2, "nonexistent");
}

static void
test_duplicate_endpoints_are_caught_by_validate(void **state)
{
	(void)state;
	assert_int_equal(load(SVC(CAT) "service echo2 {\nport = 7\n" CAT
	    "}\n"), 0);
	assert_int_equal(load_validate(tab), -1);
	assert_non_null(strstr(tab->st_lasterr, "t.conf:5: "));
	assert_non_null(strstr(tab->st_lasterr, "already declared"));
	/* another protocol is another endpoint */
	assert_int_equal(load(SVC(CAT) "service echo2 {\nport = 7\n"
	    "protocol = udp\n" CAT "}\n"), 0);
	assert_int_equal(load_validate(tab), 0);
	/* an address under the wildcard on its port: the kernel refuses */
	assert_int_equal(load(SVC(CAT) "service echo3 {\nport = 7\n"
	    "bind = 127.0.0.1\n" CAT "}\n"), 0);
	assert_int_equal(load_validate(tab), -1);
	assert_non_null(strstr(tab->st_lasterr, "t.conf:5: "));
	assert_non_null(strstr(tab->st_lasterr, "overlaps 0.0.0.0:7/tcp of echo "
	    "at "));
	assert_non_null(strstr(tab->st_lasterr, "t.conf:1"));
}

static void
test_garbage_never_crashes(void **state)
{
	static const char *const inputs[] = {
		"{", "}", "service", "service {", "service x", "= = =",
		"service x { bind = {", "include = {", "\"unterminated",
		"'x", "/* open", "service x { port = \"\" }",
		"service x { cps = {1,2,3} user = root internal = yes }",
		"defaults|port = 5\n", "service|port = 5\n",
		"service x { } service|port = 5\n", "${HOME} { }",
		"service x { bind = {} internal = yes }",
		"inetd_conf = {\"\"}\n", "service x { internal = 1 }",
		"service \"a b\" { port = 7 internal = yes }",
		"\xff\xfe service \xff { }",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		int rc = load(inputs[i]);

		assert_true(rc == 0 || rc == -1);
		assert_true(rc == 0 || tab->st_nerrors > 0);
	}
}

/*
 * The rows of conf_options.h that share a FILL helper stand together
 * (conf_fill runs it once, at the first), and every service option that
 * lands nowhere by itself has one.
 */
static void
test_option_table_runs_each_fill_helper_once(void **state)
{
	conf_fill_fn *seen[64];
	size_t i, j, nseen = 0;
	conf_fill_fn *last = NULL;

	(void)state;
	for (i = 0; i < conf_nopts; i++) {
		const struct conf_opt *co = &conf_opts[i];

		if (co->co_top)
			continue;
		assert_true(co->co_fill != NULL || co->co_sc != CONF_NONE);
		if (co->co_fill == NULL || co->co_fill == last)
			continue;
		for (j = 0; j < nseen; j++)
			assert_ptr_not_equal(seen[j], co->co_fill);
		assert_true(nseen < sizeof(seen) / sizeof(seen[0]));
		seen[nseen++] = last = co->co_fill;
	}
	assert_true(nseen > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_minimal_service_gets_port_from_its_name),
		T(test_port_number_name_and_range),
		T(test_protocols_and_socket_types),
		T(test_bind_list_gives_one_entry_per_address),
		T(test_booleans_and_wrong_types),
		T(test_credentials),
		T(test_server_must_be_safe_executable),
		T(test_capability_names),
		T(test_internal_builtins),
		T(test_environment_umask_nice),
		T(test_rlimits_and_chroot),
		T(test_acl_entries_are_masked_and_v4_mapped_is_ipv4),
		T(test_access_times),
		T(test_limits),
		T(test_banners_and_log_fields),
		T(test_globals),
		T(test_defaults_are_inherited_unless_overridden),
		T(test_errors_name_file_and_line_despite_comments),
		T(test_nul_byte_is_an_error),
		T(test_service_line_is_its_declaration),
		T(test_include_file_and_directory),
		T(test_include_errors),
		T(test_inetd_conf_is_pulled_in),
		T(test_duplicate_endpoints_are_caught_by_validate),
		T(test_garbage_never_crashes),
		T(test_option_table_runs_each_fill_helper_once),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
