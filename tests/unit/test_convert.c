/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of superd --convert (src/convert.c, src/convert_xinetd.c) on
 * real configs: xinetd's shipped xinetd.conf and xinetd.d, its sample.conf,
 * a Debian inetd.conf, and a classic file that must survive a round trip
 * through the native parser endpoint by endpoint.  Run from the top of the
 * tree (make unit does).
 */
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

#define DATA "tests/unit/data/convert/"

/* The output of convert_main(PATH); *RC gets its exit code. */
static char *
convert(const char *path, int *rc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	assert_non_null(fp);
	*rc = convert_main(path, 0, fp);
	fclose(fp);
	assert_non_null(text);
	return text;
}

/* TEXT written to a fresh temporary file; its name (to unlink, free). */
static char *
write_temp(const char *text)
{
	char *path = strdup("/tmp/superd-convert-XXXXXX");
	FILE *fp;
	int fd;

	assert_non_null(path);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* Whether two argvs are equal. */
static int
argv_equal(char *const *a, char *const *b)
{
	size_t i;

	if (strv_len(a) != strv_len(b))
		return 0;
	for (i = 0; a != NULL && a[i] != NULL; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return 1;
}

/* Assert A (from inetd.conf) and B (from the converted file) are alike. */
static void
assert_same_service(const struct service *a, const struct service *b)
{
	assert_true(svctab_same_endpoint(a, b));
	assert_int_equal(a->sv_socktype, b->sv_socktype);
	assert_int_equal(a->sv_v6only, b->sv_v6only);
	assert_int_equal(a->sv_conf->sc_wait, b->sv_conf->sc_wait);
	assert_string_equal(a->sv_conf->sc_user, b->sv_conf->sc_user);
	assert_int_equal(a->sv_conf->sc_uid, b->sv_conf->sc_uid);
	assert_int_equal(a->sv_conf->sc_gid, b->sv_conf->sc_gid);
	assert_int_equal(a->sv_conf->sc_ngroups, b->sv_conf->sc_ngroups);
	assert_int_equal(a->sv_conf->sc_builtin, b->sv_conf->sc_builtin);
	if (a->sv_conf->sc_server != NULL || b->sv_conf->sc_server != NULL) {
		assert_non_null(a->sv_conf->sc_server);
		assert_non_null(b->sv_conf->sc_server);
		assert_string_equal(a->sv_conf->sc_server, b->sv_conf->sc_server);
	}
	assert_true(argv_equal(a->sv_conf->sc_argv, b->sv_conf->sc_argv));
	assert_int_equal(a->sv_conf->sc_disabled, b->sv_conf->sc_disabled);
	assert_int_equal(a->sv_conf->sc_instances, b->sv_conf->sc_instances);
	assert_int_equal(a->sv_conf->sc_per_source, b->sv_conf->sc_per_source);
	assert_int_equal(a->sv_conf->sc_per_ip_rate, b->sv_conf->sc_per_ip_rate);
	assert_int_equal(a->sv_conf->sc_max_per_minute, b->sv_conf->sc_max_per_minute);
	assert_int_equal(a->sv_conf->sc_sndbuf, b->sv_conf->sc_sndbuf);
	assert_int_equal(a->sv_conf->sc_rcvbuf, b->sv_conf->sc_rcvbuf);
}

/* Round trip: inetd.conf -> superd.conf -> the same table. */
static void
test_inetd_round_trip_keeps_every_endpoint(void **state)
{
	struct svctab *t1 = svctab_new(), *t2 = svctab_new();
	struct service *a, *b;
	char *text, *tmp;
	int rc, n = 0;

	(void)state;
	assert_int_equal(load_file(t1, DATA "inetd-roundtrip.conf",
	    CONF_INETD), 0);
	text = convert(DATA "inetd-roundtrip.conf", &rc);
	assert_int_equal(rc, 0);
	tmp = write_temp(text);
	assert_int_equal(conf_parse(t2, tmp), 0);
	assert_int_equal(t2->st_nerrors, 0);
	b = TAILQ_FIRST(&t2->st_services);
	TAILQ_FOREACH(a, &t1->st_services, sv_entry) {
		assert_non_null(b);
		assert_same_service(a, b);
		b = TAILQ_NEXT(b, sv_entry);
		n++;
	}
	assert_null(b);
	assert_int_equal(n, 17);
	assert_non_null(strstr(text, "service \"echo-udp\""));
	unlink(tmp);
	free(tmp);
	free(text);
	svctab_free(t1);
	svctab_free(t2);
}

/* Refused classic lines stay as comments with the parser's reason. */
static void
test_inetd_refused_lines_are_commented_with_reason(void **state)
{
	char *text;
	int rc;

	(void)state;
	text = convert(DATA "inetd-debian.conf", &rc);
	assert_int_equal(rc, 0);
	/* RPC and tcpmux lines are converted (the server path is checked). */
	assert_non_null(strstr(text, "# not converted: server field: "
	    "/usr/sbin/rpc.rstatd"));
	assert_non_null(strstr(text, "\ttcpmux = \"sgi\"\n\ttcpmux_plus = yes"));
	assert_non_null(strstr(text, "#:STANDARD: These are standard"));
	assert_non_null(strstr(text, "argv[0] \"concatenate\" cannot be kept"));
	assert_null(strstr(text, "\nswat"));
	free(text);
}

/* xinetd's own shipped xinetd.conf + xinetd.d: all parse, all disabled. */
static void
test_xinetd_shipped_config_parses_natively(void **state)
{
	struct svctab *t = svctab_new();
	struct service *sv;
	char *text, *tmp;
	int rc, n = 0;

	(void)state;
	text = convert(DATA "xinetd.conf", &rc);
	assert_int_equal(rc, 0);
	tmp = write_temp(text);
	assert_int_equal(conf_parse(t, tmp), 0);
	TAILQ_FOREACH(sv, &t->st_services, sv_entry) {
		assert_true(sv->sv_conf->sc_disabled);
		n++;
	}
	/* 10 builtins + 5 duplicate *-udp files; servers/services are not. */
	assert_int_equal(n, 15);
	assert_non_null(strstr(text, "service \"echo-dgram\""));
	assert_non_null(strstr(text, "internal service servers: superd's"));
	unlink(tmp);
	free(tmp);
	free(text);
	svctab_free(t);
}

/* sample.conf: what cannot run is commented out whole, with the reason. */
static void
test_xinetd_sample_says_what_cannot_be_converted(void **state)
{
	static const char *const want[] = {
		"# NOT CONVERTED: redirect: superd does not forward",
		"# NOT CONVERTED: type = RPC",
		"# NOT CONVERTED: flags = SENSOR",
		"# service \"rstatd\" {",
		"log_on_success USERID: not logged by superd",
		"log_type FILE /var/log/servicelog: not carried over",
		"flags IDONLY: no superd equivalent",
		"only_from localhost",
		"\"128.138.193.0/24\"",
		"access_times = {\"02:00-08:59\", \"12:00-23:59\"}",
		"# listed in defaults' disabled",
		"service \"echo-stream\" {",
		"internal = echo",
	};
	char *text;
	size_t i;
	int rc;

	(void)state;
	text = convert(DATA "xinetd-sample.conf", &rc);
	assert_int_equal(rc, 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (strstr(text, want[i]) == NULL)
			fail_msg("missing: %s", want[i]);
	free(text);
}

/* Defaults, +=, -=, disabled, tcpd, names, and skipped includedir files. */
static void
test_xinetd_operators_and_defaults(void **state)
{
	static const char *const want[] = {
		"only_from = {\"198.51.100.1/32\", \"198.51.100.2/32\", "
		    "\"2001:db8::/32\", \"203.0.113.7/32\"}",
		"only_from host.example.com: host names",
		"log_on_success = {\"HOST\", \"PID\", \"DURATION\"}",
		"protocol = tcp46",
		"nodelay = yes",
		"keepalive = yes",
		"rlimit_nofile = 64",
		"rlimit_cpu = unlimited",
		"per_source = 0",
		"cps = {25, 30}",
		"server = \"/usr/sbin/in.fingerd\"",
		"(TCP wrappers) replaced",
		"checks /etc/hosts.allow and /etc/hosts.deny for it itself",
		"tcp_wrappers_name = \"in.fingerd\"",
		"tcp_wrappers_name = \"hello\"",
		"only_from allows no address superd can check here: disabled",
		"tools.rpmsave: xinetd's includedir skips this file",
		"tools~ (its name contains '.' or '~'): disabled",
		"service \"hello-dup\" {",
		"# listed in defaults' disabled",
		"max_load 2.5: not carried over",
	};
	char *text;
	size_t i;
	int rc;

	(void)state;
	text = convert(DATA "xinetd-ops.conf", &rc);
	assert_int_equal(rc, 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (strstr(text, want[i]) == NULL)
			fail_msg("missing: %s\n%s", want[i], text);
	/* groups = yes in defaults: every service keeps initgroups. */
	assert_null(strstr(text, "groups = {"));
	free(text);
}

/* Damaged and hostile input: no crash, every file ends up in the output. */
static void
test_garbage_input_never_crashes(void **state)
{
	static const char *const inputs[] = {
		"service\n", "service x\n", "service x {\n", "defaults\n{\n=\n",
		"service x\n{\nonly_from = 1.2.{3,999}\n}\n",
		"service x\n{\nonly_from = 1.{2,3\n}\n",
		"service x\n{\nonly_from = {\n}\n",
		"service x\n{\nsocket_type = stream\nserver_args\n+=\n-=\n}\n",
		"service x\n{\ncps = 1\naccess_times = 99:99-1\n}\n",
		"include /nonexistent\nincludedir /nonexistent\n",
		"include\nincludedir\n",
		"#<off>#\n", "#<off># echo stream tcp\n", ":\n", "[:\n",
		"127.0.0.1:\necho stream tcp nowait root internal\n",
		"echo stream tcp nowait root internal extra args\n",
		"x\ty\tz\n", "}\n}\n{\n", "",
	};
	char *text, *tmp;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		tmp = write_temp(inputs[i]);
		text = convert(tmp, &rc);
		assert_non_null(strstr(text, "# Converted from"));
		free(text);
		unlink(tmp);
		free(tmp);
	}
	text = convert("/nonexistent/superd-convert", &rc);
	assert_int_equal(rc, 1);
	free(text);
}

/* An include of itself stops at the loop, said in the output. */
static void
test_xinetd_include_loop_is_reported(void **state)
{
	char dir[] = "/tmp/superd-convert-XXXXXX", path[128], body[256];
	char *text, *tmp;
	int rc;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/xinetd.conf", dir);
	snprintf(body, sizeof(body), "include %s\n", path);
	tmp = write_temp(body);
	assert_int_equal(rename(tmp, path), 0);
	text = convert(path, &rc);
	assert_non_null(strstr(text, "include loop"));
	free(text);
	free(tmp);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inetd_round_trip_keeps_every_endpoint),
		cmocka_unit_test(test_inetd_refused_lines_are_commented_with_reason),
		cmocka_unit_test(test_xinetd_shipped_config_parses_natively),
		cmocka_unit_test(test_xinetd_sample_says_what_cannot_be_converted),
		cmocka_unit_test(test_xinetd_operators_and_defaults),
		cmocka_unit_test(test_garbage_input_never_crashes),
		cmocka_unit_test(test_xinetd_include_loop_is_reported),
	};

	log_init("test_convert", 1, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
