/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the TCP wrappers rules held in memory (wrap_rules.c):
 * every decision is compared with libwrap's own (hosts_ctl on the same
 * files, host name and user unknown), over rules by address, "prefix.",
 * net/mask, net/prefix, [IPv6] and [IPv6]/prefix, ALL, EXCEPT (nested, in
 * both lists), daemon suffixes and prefixes, case, comments,
 * continuations, options, and a last line without a newline; and which
 * rule sets the address alone decides.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <tcpd.h>

#include "superd.h"

#ifndef WRAP_SONAME
#define WRAP_SONAME "libwrap.so.0"
#endif

/* libwrap, opened as the daemon opens it: hosts_ctl and the files it reads. */
static int (*lw_hosts_ctl)(char *, char *, char *, char *);
static char **lw_allow_table, **lw_deny_table;

static char allow_path[] = "/tmp/test_wrap_allow.XXXXXX";
static char deny_path[] = "/tmp/test_wrap_deny.XXXXXX";

/* Write TEXT into the file PATH. */
static void
put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* Rules of ALLOW and DENY, read as the daemon reads them. */
static void
load(struct wrap_rules *rules, const char *allow, const char *deny)
{
	FILE *fp;

	put(allow_path, allow);
	put(deny_path, deny);
	wrap_rules_init(rules);
	assert_non_null(fp = fopen(allow_path, "r"));
	assert_int_equal(wrap_rules_read(rules, fp, 0), 0);
	fclose(fp);
	assert_non_null(fp = fopen(deny_path, "r"));
	assert_int_equal(wrap_rules_read(rules, fp, 1), 0);
	fclose(fp);
}

static const char *const daemons[] = {
	"echo", "in.fingerd", "cat", "ECHO", "in.telnetd",
};
static const char *const addrs[] = {
	"127.0.0.1", "127.0.0.2", "127.0.0.3", "192.0.2.1", "192.0.2.200",
	"10.1.2.3", "::1", "2001:db8::1", "2001:db9::1", "127.1.0.1",
};

/* For every daemon and address: our answer with RULES is libwrap's. */
static void
compare(const struct wrap_rules *rules, const char *allow, const char *deny)
{
	size_t d, a;
	int ours, theirs;

	for (d = 0; d < sizeof(daemons) / sizeof(daemons[0]); d++)
		for (a = 0; a < sizeof(addrs) / sizeof(addrs[0]); a++) {
			ours = wrap_rules_permit(rules, daemons[d], addrs[a]);
			theirs = lw_hosts_ctl((char *)daemons[d], STRING_UNKNOWN,
			    (char *)addrs[a], STRING_UNKNOWN) != 0;
			if (ours != theirs)
				fail_msg("%s from %s: ours %d, libwrap %d\n"
				    "allow:\n%sdeny:\n%s", daemons[d], addrs[a],
				    ours, theirs, allow, deny);
		}
}

/* Rules the address decides: our answer is libwrap's. */
static void
same_as_libwrap(const char *allow, const char *deny)
{
	struct wrap_rules rules;

	load(&rules, allow, deny);
	if (!rules.wr_simple)
		fail_msg("not decided by address:\n%s%s", allow, deny);
	compare(&rules, allow, deny);
	wrap_rules_clear(&rules);
}

static void
test_wrap_rules_match_libwrap(void **state)
{
	static const char *const sets[][2] = {
		{ "", "" },
		{ "", "ALL: ALL\n" },
		{ "echo: 127.0.0.1, [::1]\n", "ALL: ALL\n" },
		{ "cat: 127.0.0.0/255.255.255.0 EXCEPT 127.0.0.3\n",
		    "ALL: ALL\n" },
		{ "ALL: 192.0.2.0/24 EXCEPT 192.0.2.200\n", "ALL: ALL\n" },
		{ "echo: 127.\n", "ALL: ALL\n" },
		{ "ALL: [2001:db8::]/32\n", "ALL: ALL\n" },
		{ "ALL EXCEPT cat: ALL\n", "cat: ALL EXCEPT 127.0.0.1\n" },
		{ "ALL EXCEPT in.: ALL\n", "ALL: ALL\n" },
		{ "ALL EXCEPT .fingerd: ALL\n", "ALL: ALL\n" },
		{ "echo: ALL EXCEPT 127.0.0.0/8 EXCEPT 127.0.0.2\n",
		    "echo: ALL\n" },
		{ "all: all\n", "ALL: ALL\n" },
		{ "# a comment: 127.0.0.1\n  \necho,cat\t127.0.0.2 : 10.\n",
		    "ALL: ALL\n" },
		{ "echo: \\\n 127.0.0.1\n", "ALL: ALL\n" },
		{ "echo: 127.0.0.1", "ALL: ALL\n" },
		{ "no separator here\necho: 127.0.0.2\n", "ALL:ALL\n" },
		{ "", "ALL: 127.0.0.1 10.0.0.0/255.0.0.0\n" },
		{ "", "ECHO: 127.0.0.2\n" },
		{ "", "ALL: [::1] [2001:db8::1]\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		same_as_libwrap(sets[i][0], sets[i][1]);
}

/*
 * Rules that need a host name: for a builtin (host name unknown) our
 * answer is still libwrap's.
 */
static void
test_wrap_rules_name_unknown_match_libwrap(void **state)
{
	static const char *const sets[][2] = {
		{ "", "ALL: LOCAL\n" },
		{ "", "ALL: KNOWN\n" },
		{ "", "ALL: UNKNOWN\n" },
		{ "", "ALL: unknown\n" },
		{ "", "ALL: PARANOID\n" },
		{ "", "ALL: .example.com\n" },
		{ "", "ALL: example.\n" },
		{ "", "ALL: wraphost\n" },
		{ "", "ALL: .nown\n" },
		{ "ALL: ALL EXCEPT UNKNOWN\n", "ALL: ALL\n" },
		{ "echo: LOCAL, 127.0.0.1\n", "echo: 127.0.0.2 LOCAL\n" },
		{ "ALL EXCEPT cat: ALL\n", "cat: wraphost\n" },
		{ "ALL: KNOWN EXCEPT 127.0.0.3\n", "ALL: ALL EXCEPT 10.\n" },
	};
	struct wrap_rules rules;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		load(&rules, sets[i][0], sets[i][1]);
		if (!rules.wr_memory)
			fail_msg("not decided in memory:\n%s%s", sets[i][0],
			    sets[i][1]);
		compare(&rules, sets[i][0], sets[i][1]);
		wrap_rules_clear(&rules);
	}
}

/* Rules that need a lookup or a file even for a builtin are left to libwrap. */
static void
test_wrap_rules_need_libwrap(void **state)
{
	static const char *const rules_text[] = {
		"ALL: @netgroup\n", "ALL: user@127.0.0.1\n",
		"ALL: /etc/some.list\n", "ALL: 127.0.0.*\n", "in.*: ALL\n",
		"ALL: 127.0.0.1: deny\n", "cat@127.0.0.1: ALL\n",
	};
	struct wrap_rules rules;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rules_text) / sizeof(rules_text[0]); i++) {
		load(&rules, rules_text[i], "");
		if (rules.wr_memory)
			fail_msg("decided in memory: %s", rules_text[i]);
		wrap_rules_clear(&rules);
	}
}

/* Rules the address cannot decide make the set not simple. */
static void
test_wrap_rules_not_simple(void **state)
{
	static const char *const rules_text[] = {
		"cat: wraphost\n", "ALL: .example.com\n", "ALL: LOCAL\n",
		"ALL: KNOWN\n", "ALL: PARANOID\n", "ALL: user@127.0.0.1\n",
		"ALL: 127.0.0.1: spawn /bin/true\n", "cat@127.0.0.1: ALL\n",
		"ALL: /etc/some.list\n", "ALL: 127.0.0.*\n", "in.*: ALL\n",
	};
	struct wrap_rules rules;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rules_text) / sizeof(rules_text[0]); i++) {
		load(&rules, rules_text[i], "");
		if (rules.wr_simple)
			fail_msg("decided by address: %s", rules_text[i]);
		wrap_rules_clear(&rules);
	}
	load(&rules, "ALL: 127.0.0.1, [::1] EXCEPT 10.0.0.0/8\n", "ALL: ALL\n");
	assert_true(rules.wr_simple);
	assert_int_equal(rules.wr_n, 2);
	wrap_rules_clear(&rules);
	assert_true(rules.wr_simple);
	assert_int_equal(rules.wr_n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap_rules_match_libwrap),
		cmocka_unit_test(test_wrap_rules_name_unknown_match_libwrap),
		cmocka_unit_test(test_wrap_rules_need_libwrap),
		cmocka_unit_test(test_wrap_rules_not_simple),
	};
	static const char *const names[] = { "hosts_ctl", "hosts_allow_table",
		"hosts_deny_table" };
	void *syms[3];
	char why[256];
	int fd, rc;

	if (dynlib_load(WRAP_SONAME, names, syms, 3, why, sizeof(why)) == -1) {
		fprintf(stderr, "SKIP: libwrap: %s\n", why);
		return 0;
	}
	lw_hosts_ctl = (int (*)(char *, char *, char *, char *))syms[0];
	lw_allow_table = syms[1];
	lw_deny_table = syms[2];
	if ((fd = mkstemp(allow_path)) == -1)
		return 1;
	close(fd);
	if ((fd = mkstemp(deny_path)) == -1)
		return 1;
	close(fd);
	*lw_allow_table = allow_path;
	*lw_deny_table = deny_path;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(allow_path);
	unlink(deny_path);
	return rc;
}
