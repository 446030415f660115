/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the classic inetd.conf parser (src/inetd_conf.c).
 * builtin_name_find lives in builtin_name.c: it is wrapped so these tests do not
 * depend on that stage.  The user and group lookups (lookup.c) are
 * wrapped to count them.
 */
// WRAP: builtin_name_find lookup_user lookup_group lookup_user_groups
#include <sys/stat.h>
#include <arpa/inet.h>
#include <pwd.h>
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

/* The builtins by name, as builtin_name.c knows them. */
enum builtin_kind
__wrap_builtin_name_find(const char *name)
{
	static const struct {
		const char *name;
		enum builtin_kind kind;
	} table[] = {
		{ "echo", BUILTIN_ECHO }, { "discard", BUILTIN_DISCARD },
		{ "chargen", BUILTIN_CHARGEN }, { "daytime", BUILTIN_DAYTIME },
		{ "time", BUILTIN_TIME },
	};
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(name, table[i].name) == 0)
			return table[i].kind;
	return BUILTIN_NONE;
}

/* Lookups that reached the databases, by kind. */
static int lookups_user, lookups_group, lookups_groups;

int __real_lookup_user(const char *, uid_t *, gid_t *);
int __real_lookup_group(const char *, gid_t *);
int __real_lookup_user_groups(const char *, gid_t, gid_t **, int *);

int
__wrap_lookup_user(const char *name, uid_t *uid, gid_t *gid)
{
	lookups_user++;
	return __real_lookup_user(name, uid, gid);
}

int
__wrap_lookup_group(const char *name, gid_t *gid)
{
	lookups_group++;
	return __real_lookup_group(name, gid);
}

int
__wrap_lookup_user_groups(const char *user, gid_t gid, gid_t **groups, int *n)
{
	lookups_groups++;
	return __real_lookup_user_groups(user, gid, groups, n);
}

/* A stream holding LEN bytes of TEXT (which may contain NULs). */
static FILE *
stream_of(const char *text, size_t len)
{
	FILE *fp = tmpfile();

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	rewind(fp);
	return fp;
}

/* Parse LEN bytes of TEXT into a new table; *RC gets the parser's result. */
static struct svctab *
parse_len(const char *text, size_t len, int *rc)
{
	struct svctab *tab = svctab_new();
	FILE *fp = stream_of(text, len);

	assert_non_null(tab);
	*rc = inetd_conf_parse(tab, PATH, fp);
	fclose(fp);
	return tab;
}

/* Parse TEXT, expecting success and N services. */
static struct svctab *
parse_ok(const char *text, int n)
{
	struct svctab *tab;
	struct service *sv;
	int rc, count = 0;

	tab = parse_len(text, strlen(text), &rc);
	if (rc != 0)
		fprintf(stderr, "unexpected error: %s\n", tab->st_lasterr);
	assert_int_equal(rc, 0);
	assert_int_equal(tab->st_nerrors, 0);
	TAILQ_FOREACH(sv, &tab->st_services, sv_entry)
		count++;
	assert_int_equal(count, n);
	return tab;
}

/* Parse TEXT, expecting one error whose text has LINE ("test.conf:N:") and WORD. */
static void
parse_fails(const char *text, int line, const char *word)
{
	struct svctab *tab;
	char where[64];
	int rc;

	tab = parse_len(text, strlen(text), &rc);
	snprintf(where, sizeof(where), "%s:%d:", PATH, line);
	if (strstr(tab->st_lasterr, where) == NULL ||
	    strstr(tab->st_lasterr, word) == NULL)
		fprintf(stderr, "error \"%s\" lacks \"%s\" or \"%s\"\n",
		    tab->st_lasterr, where, word);
	assert_int_equal(rc, -1);
	assert_int_equal(tab->st_nerrors, 1);
	assert_non_null(strstr(tab->st_lasterr, where));
	assert_non_null(strstr(tab->st_lasterr, word));
	assert_true(TAILQ_EMPTY(&tab->st_services));
	svctab_free(tab);
}

/* The only (or first) service of TAB. */
static struct service *
first(struct svctab *tab)
{
	struct service *sv = TAILQ_FIRST(&tab->st_services);

	assert_non_null(sv);
	return sv;
}

/* The port of SV in host order. */
static int
port_of(const struct service *sv)
{
	return ntohs(((const struct sockaddr_in *)&sv->sv_addr)->sin_port);
}

/* The address of SV as text. */
static const char *
addr_of(const struct service *sv, char *buf, size_t len)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&sv->sv_addr;
	const struct sockaddr_in6 *sin6 =
	    (const struct sockaddr_in6 *)&sv->sv_addr;

	if (sv->sv_addr.ss_family == AF_INET6)
		return inet_ntop(AF_INET6, &sin6->sin6_addr, buf, len);
	return inet_ntop(AF_INET, &sin->sin_addr, buf, len);
}

/* Assert SV binds FAMILY address ADDR port PORT with v6only V6ONLY. */
static void
assert_endpoint(const struct service *sv, int family, const char *addr,
    int port, int v6only)
{
	char buf[64];

	assert_int_equal(sv->sv_addr.ss_family, family);
	assert_int_equal(sv->sv_addrlen, family == AF_INET ?
	    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
	assert_string_equal(addr_of(sv, buf, sizeof(buf)), addr);
	assert_int_equal(port_of(sv), port);
	assert_int_equal(sv->sv_v6only, v6only);
}

/* One expected endpoint of a table, in order. */
struct want {
	int family;
	const char *addr;
	int port;
	int v6only;
};

/* Assert the services of TAB bind the N endpoints of WANT, in order. */
static void
assert_endpoints(struct svctab *tab, const struct want *want, size_t n)
{
	struct service *sv;
	size_t i = 0;

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		assert_true(i < n);
		assert_endpoint(sv, want[i].family, want[i].addr, want[i].port,
		    want[i].v6only);
		i++;
	}
	assert_int_equal(i, n);
}

/* Whether GID is among the supplementary groups of SV. */
static int
has_group(const struct service *sv, gid_t gid)
{
	int i;

	for (i = 0; i < sv->sv_conf->sc_ngroups; i++)
		if (sv->sv_conf->sc_groups[i] == gid)
			return 1;
	return 0;
}

static void
test_classic_parses_internal_stream_service(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("echo stream tcp4 nowait root internal\n", 1);
	sv = first(tab);
	assert_string_equal(sv->sv_conf->sc_name, "echo");
	assert_string_equal(sv->sv_conf->sc_file, PATH);
	assert_int_equal(sv->sv_conf->sc_line, 1);
	assert_int_equal(sv->sv_socktype, SOCK_STREAM);
	assert_int_equal(sv->sv_proto, IPPROTO_TCP);
	assert_endpoint(sv, AF_INET, "0.0.0.0", 7, 0);
	assert_int_equal(sv->sv_conf->sc_wait, 0);
	assert_int_equal(sv->sv_conf->sc_builtin, BUILTIN_ECHO);
	assert_null(sv->sv_conf->sc_server);
	assert_null(sv->sv_conf->sc_argv);
	assert_string_equal(sv->sv_conf->sc_user, "root");
	assert_int_equal(sv->sv_conf->sc_uid, 0);
	assert_int_equal(sv->sv_conf->sc_gid, 0);
	assert_int_equal(sv->sv_conf->sc_disabled, 0);
	/* Everything else keeps service_new's defaults. */
	assert_int_equal(sv->sv_conf->sc_instances, SV_UNSET);
	assert_int_equal(svctab_instances(sv), 0);
	assert_int_equal(sv->sv_conf->sc_per_source, DEF_PER_SOURCE);
	assert_int_equal(sv->sv_conf->sc_max_per_minute, 0);
	assert_int_equal(sv->sv_conf->sc_backlog, DEF_BACKLOG);
	assert_int_equal(sv->sv_conf->sc_rare->sc_umask, SV_UNSET);
	assert_int_equal(sv->sv_fd, -1);
	svctab_free(tab);
}

static void
test_classic_parses_every_internal_service(void **state)
{
	struct svctab *tab;
	struct service *sv;
	static const enum builtin_kind kinds[] = {
		BUILTIN_ECHO, BUILTIN_DISCARD, BUILTIN_CHARGEN, BUILTIN_DAYTIME,
		BUILTIN_TIME,
	};
	int i = 0;

	(void)state;
	tab = parse_ok("echo\tdgram\tudp4\twait\troot\tinternal\n"
	    "discard stream tcp4 nowait root internal\n"
	    "chargen stream tcp4 nowait root internal\n"
	    "daytime dgram udp4 wait root internal\n"
	    "time stream tcp4 nowait root internal\n", 5);
	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		assert_int_equal(sv->sv_conf->sc_builtin, kinds[i]);
		assert_int_equal(sv->sv_conf->sc_line, i + 1);
		i++;
	}
	sv = first(tab);
	assert_int_equal(sv->sv_socktype, SOCK_DGRAM);
	assert_int_equal(sv->sv_proto, IPPROTO_UDP);
	assert_int_equal(sv->sv_conf->sc_wait, 1);
	assert_int_equal(port_of(TAILQ_LAST(&tab->st_services, service_list)),
	    37);
	svctab_free(tab);
}

static void
test_classic_internal_on_a_port_number_is_named_by_its_argument(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("127.0.0.1:7007 stream tcp4 nowait nobody internal echo\n",
	    1);
	sv = first(tab);
	assert_int_equal(sv->sv_conf->sc_builtin, BUILTIN_ECHO);
	assert_endpoint(sv, AF_INET, "127.0.0.1", 7007, 0);
	svctab_free(tab);
}

static void
test_classic_parses_server_and_argv(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("daytime stream tcp4 nowait nobody /bin/cat cat -u -v\n",
	    1);
	sv = first(tab);
	assert_int_equal(sv->sv_conf->sc_builtin, BUILTIN_NONE);
	assert_string_equal(sv->sv_conf->sc_server, "/bin/cat");
	assert_int_equal(strv_len(sv->sv_conf->sc_argv), 3);
	assert_string_equal(sv->sv_conf->sc_argv[0], "cat");
	assert_string_equal(sv->sv_conf->sc_argv[1], "-u");
	assert_string_equal(sv->sv_conf->sc_argv[2], "-v");
	assert_string_equal(sv->sv_conf->sc_user, "nobody");
	assert_int_equal(sv->sv_conf->sc_uid, 65534);
	assert_int_equal(sv->sv_conf->sc_gid, 65534);
	assert_int_equal(port_of(sv), 13);
	svctab_free(tab);
}

/*
 * Debian's inetd splits server arguments at every blank and passes quotes
 * on as characters (FreeBSD and NetBSD would group): Debian's meaning wins
 * on Linux, and a quote left open is no error there either.
 */
static void
test_classic_quoted_arguments_split_as_debian_does(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("7 stream tcp4 nowait nobody /bin/printf printf "
	    "\"a b\" 'c d' e\"f\n", 1);
	sv = first(tab);
	assert_int_equal(strv_len(sv->sv_conf->sc_argv), 6);
	assert_string_equal(sv->sv_conf->sc_argv[1], "\"a");
	assert_string_equal(sv->sv_conf->sc_argv[2], "b\"");
	assert_string_equal(sv->sv_conf->sc_argv[3], "'c");
	assert_string_equal(sv->sv_conf->sc_argv[4], "d'");
	assert_string_equal(sv->sv_conf->sc_argv[5], "e\"f");
	svctab_free(tab);
}

static void
test_classic_defaults_argv0_to_server_basename(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("ftp stream tcp4 nowait root /bin/sh\n", 1);
	sv = first(tab);
	assert_string_equal(sv->sv_conf->sc_server, "/bin/sh");
	assert_int_equal(strv_len(sv->sv_conf->sc_argv), 1);
	assert_string_equal(sv->sv_conf->sc_argv[0], "sh");
	assert_int_equal(port_of(sv), 21);
	svctab_free(tab);
}

static void
test_classic_accepts_numeric_port(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("8080 stream tcp4 nowait nobody /bin/cat cat\n", 1);
	sv = first(tab);
	assert_string_equal(sv->sv_conf->sc_name, "8080");
	assert_int_equal(port_of(sv), 8080);
	svctab_free(tab);
}

static void
test_classic_accepts_tabs_crlf_and_leading_space(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("  echo\t stream\ttcp4  nowait\troot\t/bin/cat\tcat\r\n",
	    1);
	sv = first(tab);
	assert_string_equal(sv->sv_conf->sc_name, "echo");
	assert_string_equal(sv->sv_conf->sc_server, "/bin/cat");
	assert_int_equal(strv_len(sv->sv_conf->sc_argv), 1);
	assert_string_equal(sv->sv_conf->sc_argv[0], "cat");
	svctab_free(tab);
}

static void
test_classic_maps_protocols_to_families(void **state)
{
	static const struct want want[] = {
		{ AF_INET, "0.0.0.0", 7, 0 }, { AF_INET6, "::", 7, 1 },
		{ AF_INET6, "::", 7, 0 }, { AF_INET, "0.0.0.0", 7, 0 },
		{ AF_INET6, "::", 7, 1 }, { AF_INET6, "::", 7, 0 },
	};
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("echo stream tcp4 nowait root internal\n"
	    "echo stream tcp6 nowait root internal\n"
	    "echo stream tcp46 nowait root internal\n"
	    "echo dgram udp4 wait root internal\n"
	    "echo dgram udp6 wait root internal\n"
	    "echo dgram udp46 wait root internal\n", 6);
	assert_endpoints(tab, want, 6);
	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		int tcp = sv->sv_conf->sc_line <= 3;

		assert_int_equal(sv->sv_socktype, tcp ? SOCK_STREAM : SOCK_DGRAM);
		assert_int_equal(sv->sv_proto, tcp ? IPPROTO_TCP : IPPROTO_UDP);
	}
	svctab_free(tab);
}

static void
test_classic_parses_address_prefixes(void **state)
{
	static const struct want want[] = {
		{ AF_INET, "127.0.0.1", 7, 0 }, { AF_INET6, "::1", 7, 1 },
		{ AF_INET6, "::", 7, 1 }, { AF_INET, "0.0.0.0", 13, 0 },
		{ AF_INET6, "::", 37, 0 },
	};
	struct svctab *tab;

	(void)state;
	tab = parse_ok("127.0.0.1:echo stream tcp4 nowait root internal\n"
	    "[::1]:echo stream tcp6 nowait root internal\n"
	    "*:echo stream tcp6 nowait root internal\n"
	    "*:daytime stream tcp4 nowait root internal\n"
	    "[::]:time stream tcp46 nowait root internal\n", 5);
	assert_endpoints(tab, want, 5);
	assert_string_equal(first(tab)->sv_conf->sc_name, "echo");
	svctab_free(tab);
}

static void
test_classic_default_address_line_applies_to_following_lines(void **state)
{
	static const struct want want[] = {
		{ AF_INET, "127.0.0.2", 7, 0 }, { AF_INET, "192.0.2.1", 13, 0 },
		{ AF_INET6, "::1", 37, 1 }, { AF_INET6, "::", 7, 1 },
		{ AF_INET, "0.0.0.0", 7, 0 },
	};
	struct svctab *tab;

	(void)state;
	tab = parse_ok("127.0.0.2:\n"
	    "echo stream tcp4 nowait root internal\n"
	    "192.0.2.1:daytime stream tcp4 nowait root internal\n"
	    "[::1]:\n"
	    "time stream tcp6 nowait root internal\n"
	    "*:\n"
	    "echo stream tcp6 nowait root internal\n"
	    "echo dgram udp4 wait root internal\n", 5);
	assert_endpoints(tab, want, 5);
	svctab_free(tab);
}

static void
test_classic_rejects_default_address_of_other_family(void **state)
{
	(void)state;
	parse_fails("[::1]:\n# comment\necho stream tcp4 nowait root internal\n",
	    3, "default address from line 1");
}

static void
test_classic_rejects_address_family_mismatch(void **state)
{
	(void)state;
	parse_fails("127.0.0.1:echo stream tcp6 nowait root internal\n", 1,
	    "address 127.0.0.1");
	parse_fails("[::1]:echo stream tcp4 nowait root internal\n", 1,
	    "address [::1]");
	parse_fails("0.0.0.0:echo stream tcp46 nowait root internal\n", 1,
	    "address");
}

static void
test_classic_rejects_bad_host_names(void **state)
{
	(void)state;
	parse_fails("bad!name:echo stream tcp4 nowait root internal\n", 1,
	    "not an IPv4 address, an [IPv6] address or a host name");
	parse_fails("[fe80::1%lo]:echo stream tcp6 nowait root internal\n", 1,
	    "address");
	parse_fails("-x:\n", 1, "address \"-x\"");
}

static void
test_classic_resolves_host_names_at_load_time(void **state)
{
	struct svctab *tab;

	(void)state;
	/* Debian's /etc/hosts always maps localhost to 127.0.0.1. */
	tab = parse_ok("localhost:echo stream tcp4 nowait root internal\n", 1);
	assert_endpoint(first(tab), AF_INET, "127.0.0.1", 7, 0);
	svctab_free(tab);
	tab = parse_ok("localhost:\necho stream tcp4 nowait root internal\n", 1);
	assert_endpoint(first(tab), AF_INET, "127.0.0.1", 7, 0);
	svctab_free(tab);
}

static void
test_classic_plain_tcp_and_udp_listen_on_ipv4_and_ipv6(void **state)
{
	static const struct want want[] = {
		{ AF_INET, "0.0.0.0", 7, 0 }, { AF_INET6, "::", 7, 1 },
		{ AF_INET, "0.0.0.0", 13, 0 }, { AF_INET6, "::", 13, 1 },
		{ AF_INET, "127.0.0.1", 37, 0 }, { AF_INET6, "::1", 19, 1 },
		{ AF_INET, "0.0.0.0", 9, 0 }, { AF_INET6, "::", 9, 1 },
	};
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("echo stream tcp nowait root internal\n"
	    "daytime dgram udp wait root internal\n"
	    "127.0.0.1:time stream tcp nowait root internal\n"
	    "[::1]:chargen stream tcp nowait root internal\n"
	    "*:discard stream tcp nowait root internal\n", 8);
	assert_endpoints(tab, want, 8);
	/* Both sockets of a line are the same service, from the same line. */
	sv = first(tab);
	assert_int_equal(TAILQ_NEXT(sv, sv_entry)->sv_conf->sc_line, 1);
	assert_int_equal(TAILQ_NEXT(sv, sv_entry)->sv_conf->sc_builtin, BUILTIN_ECHO);
	assert_string_equal(TAILQ_NEXT(sv, sv_entry)->sv_conf->sc_user, "root");
	svctab_free(tab);
}

static void
test_classic_parses_address_lists(void **state)
{
	static const struct want want[] = {
		{ AF_INET, "127.0.0.1", 7, 0 }, { AF_INET, "192.0.2.1", 7, 0 },
		{ AF_INET, "127.0.0.2", 13, 0 }, { AF_INET6, "::1", 13, 1 },
		{ AF_INET, "127.0.0.2", 37, 0 },
		{ AF_INET, "0.0.0.0", 9, 0 }, { AF_INET6, "::", 9, 1 },
	};
	struct svctab *tab;

	(void)state;
	tab = parse_ok("127.0.0.1,192.0.2.1:echo stream tcp nowait root "
	    "internal\n"
	    "127.0.0.2,[::1]:\n"
	    "daytime stream tcp nowait root internal\n"
	    "time stream tcp4 nowait root internal\n"
	    "*:\n"
	    "discard stream tcp nowait root internal\n", 7);
	assert_endpoints(tab, want, 7);
	svctab_free(tab);
	parse_fails("127.0.0.1,:echo stream tcp nowait root internal\n", 1,
	    "empty entry");
	parse_fails("127.0.0.1,[::1]:echo stream tcp4 nowait root internal\n",
	    1, "address [::1] is IPv6 but protocol tcp4");
}

static void
test_classic_joins_continuation_lines(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("echo stream tcp4\n nowait root\n\tinternal\n"
	    "daytime stream tcp4 nowait nobody /bin/cat\n\tcat -u\n"
	    "   \n"
	    "# an indented line after a comment starts an entry\n"
	    "  time stream tcp4 nowait root internal\n", 3);
	sv = first(tab);
	assert_int_equal(sv->sv_conf->sc_builtin, BUILTIN_ECHO);
	assert_int_equal(sv->sv_conf->sc_line, 1);
	sv = TAILQ_NEXT(sv, sv_entry);
	assert_int_equal(sv->sv_conf->sc_line, 4);
	assert_int_equal(strv_len(sv->sv_conf->sc_argv), 2);
	assert_string_equal(sv->sv_conf->sc_argv[1], "-u");
	sv = TAILQ_NEXT(sv, sv_entry);
	assert_int_equal(sv->sv_conf->sc_line, 8);
	svctab_free(tab);
	/* An error in a continued entry names the line it starts on. */
	parse_fails("# c\necho stream tcp4\n nowait nosuchuser-x internal\n", 2,
	    "unknown user");
}

static void
test_classic_parses_socket_buffers(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("echo stream tcp4,sndbuf=12k,rcvbuf=24k nowait root "
	    "internal\n"
	    "daytime dgram udp,rcvbuf=1m wait root internal\n"
	    "time stream tcp6,sndbuf=4096 nowait root internal\n", 4);
	sv = first(tab);
	assert_int_equal(sv->sv_conf->sc_sndbuf, 12 * 1024);
	assert_int_equal(sv->sv_conf->sc_rcvbuf, 24 * 1024);
	sv = TAILQ_NEXT(sv, sv_entry);
	assert_int_equal(sv->sv_conf->sc_rcvbuf, 1024 * 1024);
	assert_int_equal(TAILQ_NEXT(sv, sv_entry)->sv_conf->sc_rcvbuf, 1024 * 1024);
	sv = TAILQ_NEXT(TAILQ_NEXT(sv, sv_entry), sv_entry);
	assert_int_equal(sv->sv_conf->sc_sndbuf, 4096);
	assert_int_equal(sv->sv_conf->sc_rcvbuf, 0);
	svctab_free(tab);
	parse_fails("echo stream tcp4,sndbuf=0 nowait root internal\n", 1,
	    "sndbuf=SIZE");
	parse_fails("echo stream tcp4,sndbuf=2048m nowait root internal\n", 1,
	    "sndbuf=SIZE");
	parse_fails("echo stream tcp4,nodelay nowait root internal\n", 1,
	    "\"nodelay\"");
}

static void
test_classic_rejects_malformed_address_prefix(void **state)
{
	(void)state;
	parse_fails(":echo stream tcp4 nowait root internal\n", 1, "address");
	parse_fails(":\n", 1, "address");
	parse_fails("[::1]echo stream tcp6 nowait root internal\n", 1,
	    "service field");
	parse_fails("127.0.0.1: stream tcp4 nowait root internal\n", 1,
	    "service field");
}

static void
test_classic_parses_off_lines_as_disabled(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("#<off># echo stream tcp4 nowait root internal\n"
	    "#<off>#daytime\tstream\ttcp4\tnowait\tnobody\t/bin/cat cat\n", 2);
	sv = first(tab);
	assert_int_equal(sv->sv_conf->sc_disabled, 1);
	assert_int_equal(sv->sv_conf->sc_builtin, BUILTIN_ECHO);
	sv = TAILQ_NEXT(sv, sv_entry);
	assert_int_equal(sv->sv_conf->sc_disabled, 1);
	assert_string_equal(sv->sv_conf->sc_server, "/bin/cat");
	assert_int_equal(sv->sv_conf->sc_line, 2);
	svctab_free(tab);
}

static void
test_classic_skips_unparsable_off_lines(void **state)
{
	struct svctab *tab;

	(void)state;
	tab = parse_ok("#<off># some words that are not a service\n"
	    "#<off># echo stream tcp4 nowait root /nonexistent/echod\n"
	    "#<off># 127.0.0.1:\n"
	    "#<off>#\n"
	    "echo stream tcp4 nowait root internal\n", 1);
	/* The disabled default-address line changed nothing. */
	assert_endpoint(first(tab), AF_INET, "0.0.0.0", 7, 0);
	svctab_free(tab);
}

static void
test_classic_skips_comments_and_blank_lines(void **state)
{
	struct svctab *tab;

	(void)state;
	tab = parse_ok("# comment\n\n   \t\n  # indented comment\n"
	    "#:INTERNAL: Internal services\n"
	    "#echo stream tcp4 nowait root internal\n"
	    "time stream tcp4 nowait root internal\n", 1);
	assert_int_equal(first(tab)->sv_conf->sc_line, 7);
	svctab_free(tab);
}

static void
test_classic_openbsd_max_sets_spawns_per_minute(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("echo stream tcp4 nowait.400 root internal\n"
	    "echo dgram udp4 wait.5 root internal\n", 2);
	sv = first(tab);
	assert_int_equal(sv->sv_conf->sc_wait, 0);
	assert_int_equal(sv->sv_conf->sc_max_per_minute, 400);
	sv = TAILQ_NEXT(sv, sv_entry);
	assert_int_equal(sv->sv_conf->sc_wait, 1);
	assert_int_equal(sv->sv_conf->sc_max_per_minute, 5);
	assert_int_equal(sv->sv_conf->sc_instances, SV_UNSET);
	svctab_free(tab);
}

static void
test_classic_freebsd_slashes_set_limits(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("echo stream tcp4 nowait/10/20/3 root internal\n"
	    "daytime stream tcp4 nowait/5 root internal\n"
	    "time stream tcp4 nowait/0/60 root internal\n", 3);
	sv = first(tab);
	assert_int_equal(sv->sv_conf->sc_instances, 10);
	assert_int_equal(sv->sv_conf->sc_per_ip_rate, 20);
	assert_int_equal(sv->sv_conf->sc_per_source, 3);
	assert_int_equal(sv->sv_conf->sc_max_per_minute, 0);
	sv = TAILQ_NEXT(sv, sv_entry);
	assert_int_equal(sv->sv_conf->sc_instances, 5);
	assert_int_equal(sv->sv_conf->sc_per_ip_rate, 0);
	assert_int_equal(sv->sv_conf->sc_per_source, DEF_PER_SOURCE);
	sv = TAILQ_NEXT(sv, sv_entry);
	assert_int_equal(sv->sv_conf->sc_instances, 0);
	assert_int_equal(sv->sv_conf->sc_per_ip_rate, 60);
	svctab_free(tab);
}

static void
test_classic_rejects_malformed_wait_field(void **state)
{
	static const char *const bad[] = {
		"maybe", "nowaitx", "nowait.", "nowait.abc", "nowait.-1",
		"nowait.+5", "nowait.99999999999999999999", "nowait.2147483648",
		"nowait/", "nowait/1/", "nowait/1/2/3/4", "nowait/x",
		"nowait.5/3", "nowait/99999999999", "wait.5.5",
	};
	char line[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line),
		    "echo stream tcp4 %s root internal\n", bad[i]);
		parse_fails(line, 1, "wait/nowait field");
	}
}

static void
test_classic_accepts_largest_limit(void **state)
{
	struct svctab *tab;

	(void)state;
	tab = parse_ok("echo stream tcp4 nowait.2147483647 root internal\n", 1);
	assert_int_equal(first(tab)->sv_conf->sc_max_per_minute, 2147483647);
	svctab_free(tab);
}

static void
test_classic_resolves_user_and_group(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("echo stream tcp4 nowait nobody:nogroup internal\n"
	    "daytime stream tcp4 nowait daemon.nogroup internal\n"
	    "time stream tcp4 nowait daemon internal\n", 3);
	sv = first(tab);
	assert_string_equal(sv->sv_conf->sc_user, "nobody");
	assert_int_equal(sv->sv_conf->sc_uid, 65534);
	assert_int_equal(sv->sv_conf->sc_gid, 65534);
	sv = TAILQ_NEXT(sv, sv_entry);
	assert_string_equal(sv->sv_conf->sc_user, "daemon");
	assert_int_equal(sv->sv_conf->sc_uid, 1);
	assert_int_equal(sv->sv_conf->sc_gid, 65534);
	assert_true(has_group(sv, 65534));
	sv = TAILQ_NEXT(sv, sv_entry);
	assert_int_equal(sv->sv_conf->sc_uid, 1);
	assert_int_equal(sv->sv_conf->sc_gid, 1);
	svctab_free(tab);
}

static void
test_classic_sets_supplementary_groups_of_user(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	tab = parse_ok("echo stream tcp4 nowait root internal\n", 1);
	sv = first(tab);
	assert_true(sv->sv_conf->sc_ngroups >= 1);
	assert_non_null(sv->sv_conf->sc_groups);
	assert_true(has_group(sv, 0));
	svctab_free(tab);
}

static void
test_classic_rejects_unknown_user_or_group(void **state)
{
	(void)state;
	parse_fails("echo stream tcp4 nowait nosuchuserx internal\n", 1,
	    "user field: unknown user \"nosuchuserx\"");
	parse_fails("echo stream tcp4 nowait root:nosuchgroupx internal\n", 1,
	    "unknown group \"nosuchgroupx\"");
	parse_fails("echo stream tcp4 nowait nobody.nosuchgroupx internal\n", 1,
	    "unknown group");
	parse_fails("echo stream tcp4 nowait :nogroup internal\n", 1,
	    "user field");
	parse_fails("echo stream tcp4 nowait root: internal\n", 1,
	    "user field");
}

static void
test_classic_rejects_unknown_socket_type(void **state)
{
	(void)state;
	parse_fails("echo bogus tcp nowait root internal\n", 1,
	    "socket type field \"bogus\"");
	parse_fails("echo seqpacket tcp nowait root internal\n", 1,
	    "socket type field \"seqpacket\" is not supported");
	parse_fails("echo raw tcp nowait root internal\n", 1, "socket type");
}

static void
test_classic_rejects_unknown_protocol(void **state)
{
	(void)state;
	parse_fails("echo stream sctp nowait root internal\n", 1,
	    "protocol field \"sctp\"");
}

static void
test_classic_rejects_protocol_of_other_socket_type(void **state)
{
	(void)state;
	parse_fails("echo stream udp nowait root internal\n", 1,
	    "protocol field \"udp\" does not match socket type stream");
	parse_fails("echo dgram tcp6 wait root internal\n", 1,
	    "protocol field \"tcp6\" does not match socket type dgram");
}

/* RPC, unix and tcpmux lines parse (test_kinds.c); tcpmux has no builtin. */
static void
test_classic_rejects_internal_tcpmux(void **state)
{
	(void)state;
	parse_fails("tcpmux stream tcp4 nowait root internal\n", 1,
	    "no internal service named \"tcpmux\"");
}

static void
test_classic_rejects_unknown_service_name(void **state)
{
	(void)state;
	parse_fails("nosuchservicex stream tcp4 nowait root /bin/cat\n", 1,
	    "service field \"nosuchservicex\"");
	parse_fails("nosuchservicex stream tcp6 nowait root /bin/cat\n", 1,
	    "protocol tcp6");
	/* ftp is in /etc/services for tcp only. */
	parse_fails("ftp dgram udp4 wait root /bin/cat\n", 1,
	    "service field \"ftp\": not a port (1-65535) nor a service in "
	    "/etc/services for protocol udp");
	parse_fails("0 stream tcp4 nowait root /bin/cat\n", 1, "service field");
	parse_fails("65536 stream tcp4 nowait root /bin/cat\n", 1,
	    "service field");
	parse_fails("99999999999999999999999 stream tcp4 nowait root /bin/cat\n",
	    1, "service field");
	parse_fails("echo/x stream tcp4 nowait root /bin/cat\n", 1,
	    "service field");
}

static void
test_classic_rejects_bad_server_path(void **state)
{
	(void)state;
	parse_fails("echo stream tcp4 nowait root bin/cat cat\n", 1,
	    "server field: bin/cat is not an absolute path");
	parse_fails("echo stream tcp4 nowait root /nonexistent/echod echod\n", 1,
	    "server field: /nonexistent/echod");
	parse_fails("echo stream tcp4 nowait root /etc/passwd passwd\n", 1,
	    "server field: /etc/passwd is not executable");
	parse_fails("echo stream tcp4 nowait root /tmp tmp\n", 1,
	    "server field: /tmp is not a regular file");
}

static void
test_classic_rejects_unknown_internal_service(void **state)
{
	(void)state;
	parse_fails("ftp stream tcp4 nowait root internal\n", 1,
	    "server field: no internal service named \"ftp\"");
	parse_fails("7 stream tcp4 nowait root internal\n", 1, "internal");
}

static void
test_classic_rejects_missing_fields(void **state)
{
	(void)state;
	parse_fails("echo\n", 1, "missing the socket type field");
	parse_fails("echo stream\n", 1, "missing the protocol field");
	parse_fails("echo stream tcp4\n", 1, "missing the wait/nowait field");
	parse_fails("echo stream tcp4 nowait\n", 1, "missing the user field");
	parse_fails("# c\necho stream tcp4 nowait root\n", 2,
	    "missing the server field");
}

static void
test_classic_reports_every_bad_line(void **state)
{
	struct svctab *tab;
	int rc, count = 0;
	struct service *sv;
	const char *text = "echo bogus tcp nowait root internal\n"
	    "echo stream tcp4 nowait root internal\n"
	    "daytime stream tcp4 nowait nosuchuserx internal\n"
	    "time stream tcp4 nowait root /nonexistent/x\n";

	(void)state;
	tab = parse_len(text, strlen(text), &rc);
	assert_int_equal(rc, -1);
	assert_int_equal(tab->st_nerrors, 3);
	assert_non_null(strstr(tab->st_lasterr, PATH ":4:"));
	TAILQ_FOREACH(sv, &tab->st_services, sv_entry)
		count++;
	assert_int_equal(count, 1);
	assert_int_equal(first(tab)->sv_conf->sc_line, 2);
	svctab_free(tab);
}

static void
test_classic_rejects_nul_bytes(void **state)
{
	static const char text[] = "echo stream tcp4 nowait root internal\n"
	    "echo stream\0 tcp nowait root internal\n";
	struct svctab *tab;
	int rc;

	(void)state;
	tab = parse_len(text, sizeof(text) - 1, &rc);
	assert_int_equal(rc, -1);
	assert_int_equal(tab->st_nerrors, 1);
	assert_non_null(strstr(tab->st_lasterr, PATH ":2:"));
	assert_non_null(strstr(tab->st_lasterr, "NUL"));
	svctab_free(tab);
}

static void
test_classic_survives_long_lines_and_many_arguments(void **state)
{
	struct svctab *tab;
	char *text;
	size_t len = 200000, i;
	int rc;

	(void)state;
	/* One huge field. */
	text = malloc(len + 2);
	assert_non_null(text);
	memset(text, 'a', len);
	text[len] = '\n';
	text[len + 1] = '\0';
	parse_fails(text, 1, "missing the socket type field");
	/* A huge address prefix. */
	strcpy(text + len - 100, ":echo stream tcp4 nowait root internal\n");
	parse_fails(text, 1, "address");
	/* Far too many arguments. */
	strcpy(text, "echo stream tcp4 nowait root /bin/cat");
	i = strlen(text);
	while (i + 3 < len) {
		memcpy(text + i, " x", 2);
		i += 2;
	}
	text[i] = '\n';
	text[i + 1] = '\0';
	parse_fails(text, 1, "server arguments");
	free(text);
	/* Many arguments within the limit are kept. */
	tab = parse_ok("echo stream tcp4 nowait root /bin/cat cat 1 2 3 4 5 6 7 8 "
	    "9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25\n", 1);
	assert_int_equal(strv_len(first(tab)->sv_conf->sc_argv), 26);
	svctab_free(tab);
	(void)rc;
}

static void
test_classic_accepts_empty_file_and_missing_newline(void **state)
{
	struct svctab *tab;

	(void)state;
	tab = parse_ok("", 0);
	svctab_free(tab);
	tab = parse_ok("echo stream tcp4 nowait root internal", 1);
	svctab_free(tab);
}

/* Whether the detector calls TEXT classic; also checks the stream rewound. */
static int
looks_classic(const char *text)
{
	FILE *fp = stream_of(text, strlen(text));
	int verdict;

	verdict = load_looks_classic(fp);
	assert_int_equal(ftell(fp), 0);
	if (*text != '\0')
		assert_int_equal(fgetc(fp), (unsigned char)text[0]);
	fclose(fp);
	return verdict;
}

static void
test_looks_classic_detects_inetd_lines(void **state)
{
	(void)state;
	assert_int_equal(looks_classic("# inetd.conf\n\n"
	    "echo stream tcp4 nowait root internal\n"), 1);
	assert_int_equal(looks_classic("127.0.0.1:\n"), 1);
	assert_int_equal(looks_classic("#<off># echo stream tcp4 nowait root "
	    "internal\n"), 1);
	assert_int_equal(looks_classic("rstatd/1-3 dgram rpc/udp wait root "
	    "/usr/libexec/rpc.rstatd rpc.rstatd\n"), 1);
	assert_int_equal(looks_classic("ftp stream tcp4 nowait root "
	    "/usr/sbin/tcpd in.ftpd -o opt=val\n"), 1);
	assert_int_equal(looks_classic(""), 1);
	assert_int_equal(looks_classic("# only comments\n"), 1);
}

static void
test_looks_classic_detects_native_syntax(void **state)
{
	(void)state;
	assert_int_equal(looks_classic("# superd.conf\n"
	    "service echo {\n  port = 7\n}\n"), 0);
	assert_int_equal(looks_classic("defaults {\n  user = nobody\n}\n"), 0);
	assert_int_equal(looks_classic("include(\"/etc/superd.d/*.conf\")\n"),
	    0);
	assert_int_equal(looks_classic("include \"x.conf\"\n"), 0);
	assert_int_equal(looks_classic("inetd_conf = /etc/inetd.conf\n"), 0);
	assert_int_equal(looks_classic("instances = 50\n"), 0);
	assert_int_equal(looks_classic("instances=50\n"), 0);
	assert_int_equal(looks_classic("/* comment */\nservice x {}\n"), 0);
	assert_int_equal(looks_classic("service echo\n{\n}\n"), 0);
}

static void
test_classic_refuses_bsd_forms_linux_lacks_by_name(void **state)
{
	(void)state;
	parse_fails("# a policy for the lines below\n"
	    "#@ ipsec esp/transport//require\n", 2, "IPsec");
	parse_fails("ftp on socktype=stream, protocol=tcp, wait=no, "
	    "user=root, exec=/bin/cat;\n", 1, "NetBSD's key = value");
	parse_fails("ftp off exec=/bin/cat;\n", 1, "key = value");
	parse_fails("http stream:httpready tcp4 nowait root /bin/cat cat\n", 1,
	    "accept filters");
	parse_fails("ftp stream tcp/ttcp nowait root /bin/cat cat\n", 1,
	    "T/TCP");
	parse_fails("ftp stream faith/tcp6 nowait root /bin/cat cat\n", 1,
	    "faith");
	parse_fails("ftp stream tcp/faith nowait root /bin/cat cat\n", 1,
	    "faith");
	parse_fails("ftp stream tcp4 nowait root/daemon /bin/cat cat\n", 1,
	    "login classes");
	parse_fails("ftp stream tcp4 nowait nobody:nogroup/staff /bin/cat cat\n",
	    1, "login classes");
}

static void
test_classic_reads_netbsd_forms(void **state)
{
	struct svctab *tab;
	struct service *sv;

	(void)state;
	/* An empty "#@" clears the policy; ",N" and ":max" are limits. */
	tab = parse_ok("#@\n"
	    "echo stream,10 tcp4 nowait:30 root internal\n"
	    "daytime stream tcp4 nowait.20 root internal\n", 2);
	sv = first(tab);
	assert_int_equal(sv->sv_conf->sc_instances, 10);
	assert_int_equal(sv->sv_conf->sc_max_per_minute, 30);
	assert_int_equal(TAILQ_NEXT(sv, sv_entry)->sv_conf->sc_max_per_minute, 20);
	svctab_free(tab);
	parse_fails("echo stream,x tcp4 nowait root internal\n", 1,
	    "accept-max");
}

/* Write TEXT to DIR/NAME. */
static void
put_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

static void
test_classic_reads_netbsd_include_with_glob(void **state)
{
	char dir[] = "/tmp/test_inetd_conf.XXXXXX", path[256], cmd[300];
	struct svctab *tab = svctab_new();
	struct service *sv;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/d", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	put_file(dir, "d/b.conf", "7002 stream tcp4 nowait nobody /bin/cat\n");
	put_file(dir, "d/a.conf", "7001 stream tcp4 nowait nobody /bin/cat\n");
	put_file(dir, "d/notes", "not a service\n");
	put_file(dir, "inetd.conf", "127.0.0.1:\n"
	    ".include \"d/*.conf\"\n"
	    "*:\n"
	    "echo stream tcp4 nowait root internal\n");
	snprintf(path, sizeof(path), "%s/inetd.conf", dir);
	assert_int_equal(load_file(tab, path, CONF_AUTO), 0);
	sv = first(tab);
	/* Sorted, relative to the including file, its default address. */
	assert_endpoint(sv, AF_INET, "127.0.0.1", 7001, 0);
	assert_non_null(strstr(sv->sv_conf->sc_file, "/d/a.conf"));
	assert_endpoint(TAILQ_NEXT(sv, sv_entry), AF_INET, "127.0.0.1", 7002, 0);
	assert_endpoint(TAILQ_NEXT(TAILQ_NEXT(sv, sv_entry), sv_entry), AF_INET,
	    "0.0.0.0", 7, 0);
	svctab_free(tab);
	/* A loop and a missing file are errors at the .include line. */
	put_file(dir, "d/a.conf", "\n.include ../inetd.conf\n");
	tab = svctab_new();
	assert_int_equal(load_file(tab, path, CONF_AUTO), -1);
	assert_non_null(strstr(tab->st_lasterr, "d/a.conf:2: .include"));
	assert_non_null(strstr(tab->st_lasterr, "loop"));
	svctab_free(tab);
	put_file(dir, "inetd.conf", ".include nonexistent.conf\n");
	tab = svctab_new();
	assert_int_equal(load_file(tab, path, CONF_AUTO), -1);
	assert_non_null(strstr(tab->st_lasterr, "inetd.conf:1: .include "
	    "nonexistent.conf"));
	svctab_free(tab);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_classic_load_looks_each_user_and_group_up_once(void **state)
{
	char dir[] = "/tmp/test_inetd_conf.XXXXXX", path[64];
	struct svctab *tab = svctab_new();
	FILE *fp;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/inetd.conf", dir);
	assert_non_null(fp = fopen(path, "w"));
	/* 40 services, two users and two groups, interleaved. */
	for (i = 0; i < 40; i++)
		fprintf(fp, "127.0.0.1:%d stream tcp4 nowait %s /bin/true true\n",
		    9000 + i, i % 2 ? "nobody:nogroup" : "root:daemon");
	fclose(fp);
	lookups_user = lookups_group = lookups_groups = 0;
	assert_int_equal(load_file(tab, path, CONF_AUTO), 0);
	assert_int_equal(lookups_user, 2);
	assert_int_equal(lookups_group, 2);
	assert_int_equal(lookups_groups, 2);
	svctab_free(tab);
	unlink(path);
	rmdir(dir);
}

static void
test_classic_services_share_one_copy_of_file_user_and_server(void **state)
{
	struct svctab *tab;
	struct service *a, *b, *c;

	(void)state;
	tab = parse_ok("127.0.0.1:9001 stream tcp4 nowait nobody /bin/cat cat\n"
	    "127.0.0.1:9002 stream tcp4 nowait nobody /bin/cat cat -u\n"
	    "127.0.0.1:9003 stream tcp4 nowait root /bin/sh sh\n", 3);
	a = TAILQ_FIRST(&tab->st_services);
	b = TAILQ_NEXT(a, sv_entry);
	c = TAILQ_NEXT(b, sv_entry);
	assert_ptr_equal(a->sv_conf->sc_file, c->sv_conf->sc_file);
	assert_ptr_equal(a->sv_conf->sc_user, b->sv_conf->sc_user);
	assert_ptr_equal(a->sv_conf->sc_server, b->sv_conf->sc_server);
	assert_ptr_not_equal(a->sv_conf->sc_server, c->sv_conf->sc_server);
	assert_string_equal(a->sv_conf->sc_file, PATH);
	assert_string_equal(b->sv_conf->sc_user, "nobody");
	assert_string_equal(c->sv_conf->sc_user, "root");
	assert_string_equal(c->sv_conf->sc_server, "/bin/sh");
	/* A service outliving its table keeps its strings. */
	service_ref(b);
	svctab_free(tab);
	assert_string_equal(b->sv_conf->sc_server, "/bin/cat");
	assert_string_equal(b->sv_conf->sc_file, PATH);
	service_unref(b);
}

static void
test_classic_numeric_user_and_group_need_no_database_entry(void **state)
{
	struct svctab *tab;
	struct service *a, *b;
	struct passwd *pw;
	uid_t uid = 0;
	gid_t gid = 0;
	char text[256];

	(void)state;
	/* A user whose primary gid differs from its uid (Debian: sync). */
	setpwent();
	while ((pw = getpwent()) != NULL && pw->pw_uid == pw->pw_gid)
		;
	if (pw != NULL) {
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	endpwent();
	if (uid == gid)
		skip();
	snprintf(text, sizeof(text),
	    "127.0.0.1:9001 stream tcp4 nowait 4242:4343 /bin/cat cat\n"
	    "127.0.0.1:9002 stream tcp4 nowait %u /bin/cat cat\n",
	    (unsigned)uid);
	tab = parse_ok(text, 2);
	a = TAILQ_FIRST(&tab->st_services);
	b = TAILQ_NEXT(a, sv_entry);
	assert_int_equal(a->sv_conf->sc_uid, 4242);
	assert_int_equal(a->sv_conf->sc_gid, 4343);
	/* A numeric uid the passwd database knows takes its primary gid. */
	assert_int_equal(b->sv_conf->sc_uid, uid);
	assert_int_equal(b->sv_conf->sc_gid, gid);
	svctab_free(tab);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classic_load_looks_each_user_and_group_up_once),
		cmocka_unit_test(
		    test_classic_numeric_user_and_group_need_no_database_entry),
		cmocka_unit_test(
		    test_classic_services_share_one_copy_of_file_user_and_server),
		cmocka_unit_test(test_classic_parses_internal_stream_service),
		cmocka_unit_test(test_classic_parses_every_internal_service),
		cmocka_unit_test(
		    test_classic_internal_on_a_port_number_is_named_by_its_argument),
		cmocka_unit_test(test_classic_parses_server_and_argv),
		cmocka_unit_test(test_classic_defaults_argv0_to_server_basename),
		cmocka_unit_test(test_classic_quoted_arguments_split_as_debian_does),
		cmocka_unit_test(test_classic_accepts_numeric_port),
		cmocka_unit_test(test_classic_accepts_tabs_crlf_and_leading_space),
		cmocka_unit_test(test_classic_maps_protocols_to_families),
		cmocka_unit_test(test_classic_parses_address_prefixes),
		cmocka_unit_test(
		    test_classic_default_address_line_applies_to_following_lines),
		cmocka_unit_test(
		    test_classic_rejects_default_address_of_other_family),
		cmocka_unit_test(test_classic_rejects_address_family_mismatch),
		cmocka_unit_test(test_classic_rejects_bad_host_names),
		cmocka_unit_test(test_classic_resolves_host_names_at_load_time),
		cmocka_unit_test(
		    test_classic_plain_tcp_and_udp_listen_on_ipv4_and_ipv6),
		cmocka_unit_test(test_classic_parses_address_lists),
		cmocka_unit_test(test_classic_joins_continuation_lines),
		cmocka_unit_test(test_classic_parses_socket_buffers),
		cmocka_unit_test(
		    test_classic_refuses_bsd_forms_linux_lacks_by_name),
		cmocka_unit_test(test_classic_reads_netbsd_forms),
		cmocka_unit_test(test_classic_reads_netbsd_include_with_glob),
		cmocka_unit_test(test_classic_rejects_malformed_address_prefix),
		cmocka_unit_test(test_classic_parses_off_lines_as_disabled),
		cmocka_unit_test(test_classic_skips_unparsable_off_lines),
		cmocka_unit_test(test_classic_skips_comments_and_blank_lines),
		cmocka_unit_test(test_classic_openbsd_max_sets_spawns_per_minute),
		cmocka_unit_test(test_classic_freebsd_slashes_set_limits),
		cmocka_unit_test(test_classic_rejects_malformed_wait_field),
		cmocka_unit_test(test_classic_accepts_largest_limit),
		cmocka_unit_test(test_classic_resolves_user_and_group),
		cmocka_unit_test(test_classic_sets_supplementary_groups_of_user),
		cmocka_unit_test(test_classic_rejects_unknown_user_or_group),
		cmocka_unit_test(test_classic_rejects_unknown_socket_type),
		cmocka_unit_test(test_classic_rejects_unknown_protocol),
		cmocka_unit_test(
		    test_classic_rejects_protocol_of_other_socket_type),
		cmocka_unit_test(test_classic_rejects_internal_tcpmux),
		cmocka_unit_test(test_classic_rejects_unknown_service_name),
		cmocka_unit_test(test_classic_rejects_bad_server_path),
		cmocka_unit_test(test_classic_rejects_unknown_internal_service),
		cmocka_unit_test(test_classic_rejects_missing_fields),
		cmocka_unit_test(test_classic_reports_every_bad_line),
		cmocka_unit_test(test_classic_rejects_nul_bytes),
		cmocka_unit_test(
		    test_classic_survives_long_lines_and_many_arguments),
		cmocka_unit_test(
		    test_classic_accepts_empty_file_and_missing_newline),
		cmocka_unit_test(test_looks_classic_detects_inetd_lines),
		cmocka_unit_test(test_looks_classic_detects_native_syntax),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
