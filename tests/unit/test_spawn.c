/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the spawn path: a child runs the command with the socket
 * on 0-2 and its exact argv whether it starts in our memory or by fork
 * (many at once, argv too large for a slot), it keeps nothing of ours
 * that a reload frees, and it leaves our errno alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "superd.h"

/* A service running PROG with ARGV (copied), as root unless UID is set. */
static struct service *
service_cmd(const char *prog, char **argv, uid_t uid, gid_t gid)
{
	struct service *sv = service_new("t", "test", 1);
	size_t i;

	assert_non_null(sv);
	service_conf_edit(sv)->sc_server = svctab_share(prog);
	assert_non_null(sv->sv_conf->sc_server);
	for (i = 0; argv[i] != NULL; i++)
		assert_int_equal(svctab_argv_push(&service_conf_edit(sv)->sc_argv,
		    argv[i]), 0);
	sv->sv_proto = IPPROTO_TCP;
	sv->sv_socktype = SOCK_STREAM;
	service_conf_edit(sv)->sc_uid = uid;
	service_conf_edit(sv)->sc_gid = gid;
	return sv;
}

/* Start SV on one end of a socket pair; the other end in *PEER. */
static pid_t
start(struct service *sv, int *peer)
{
	int sp[2];
	pid_t pid;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp),
	    0);
	pid = spawn_child(sv, sp[0], NULL);
	assert_true(pid > 0);
	close(sp[0]);
	*peer = sp[1];
	return pid;
}

/* Read FD to EOF into BUF (NUL-terminated); the length. */
static size_t
slurp(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got + 1 < len && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(fd);
	return got;
}

/* Wait for PID; its exit status, or -1 if it did not exit. */
static int
exit_status(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int
setup(void **state)
{
	(void)state;
	spawn_init();
	return 0;
}

static void
test_spawn_child_writes_to_the_socket(void **state)
{
	char *argv[] = { "echo", "hello", "world", NULL };
	struct service *sv = service_cmd("/bin/echo", argv, 0, 0);
	char buf[64];
	int fd;
	pid_t pid = start(sv, &fd);

	(void)state;
	slurp(fd, buf, sizeof(buf));
	assert_string_equal(buf, "hello world\n");
	assert_int_equal(exit_status(pid), 0);
	service_unref(sv);
}

static void
test_spawn_many_children_at_once_all_run(void **state)
{
	enum { N = 40 };
	char *argv[] = { "echo", "x", NULL };
	struct service *sv[N];
	char buf[64], want[16];
	int fd[N], i;
	pid_t pid[N];

	(void)state;
	/* More than there are slots, all before any is read or reaped. */
	for (i = 0; i < N; i++) {
		snprintf(want, sizeof(want), "n%d", i);
		argv[1] = want;
		sv[i] = service_cmd("/bin/echo", argv, 0, 0);
		pid[i] = start(sv[i], &fd[i]);
	}
	for (i = 0; i < N; i++) {
		snprintf(want, sizeof(want), "n%d\n", i);
		slurp(fd[i], buf, sizeof(buf));
		assert_string_equal(buf, want);
		assert_int_equal(exit_status(pid[i]), 0);
		service_unref(sv[i]);
	}
}

static void
test_spawn_argv_too_large_for_a_slot_arrives_whole(void **state)
{
	enum { NARG = 100, LONG = 6000 };
	char *argv[NARG + 2], *want, *buf, *p;
	struct service *sv;
	size_t got;
	int fd, i;
	pid_t pid;

	(void)state;
	argv[0] = "echo";
	for (i = 1; i <= NARG; i++) {
		assert_non_null(argv[i] = malloc(16));
		snprintf(argv[i], 16, "a%d", i);
	}
	argv[NARG + 1] = NULL;
	/* 100 arguments: more than a slot's argv holds. */
	sv = service_cmd("/bin/echo", argv, 0, 0);
	want = malloc(NARG * 16 + LONG + 2);
	buf = malloc(NARG * 16 + LONG + 2);
	assert_non_null(want);
	assert_non_null(buf);
	for (i = 1, p = want; i <= NARG; i++)
		p += sprintf(p, "%s%s", i > 1 ? " " : "", argv[i]);
	strcpy(p, "\n");
	pid = start(sv, &fd);
	slurp(fd, buf, NARG * 16 + LONG + 2);
	assert_string_equal(buf, want);
	assert_int_equal(exit_status(pid), 0);
	service_unref(sv);
	for (i = 1; i <= NARG; i++)
		free(argv[i]);

	/* One argument longer than a slot's string space. */
	argv[1] = want;
	memset(want, 'y', LONG);
	want[LONG] = '\0';
	argv[2] = NULL;
	sv = service_cmd("/bin/echo", argv, 0, 0);
	pid = start(sv, &fd);
	got = slurp(fd, buf, NARG * 16 + LONG + 2);
	assert_int_equal(got, LONG + 1);
	assert_memory_equal(buf, want, LONG);
	assert_int_equal(exit_status(pid), 0);
	service_unref(sv);
	free(want);
	free(buf);
}

static void
test_spawn_child_unharmed_when_service_freed_before_exec(void **state)
{
	char *argv[] = { "echo", "intact", NULL };
	struct service *sv = service_cmd("/bin/echo", argv, 0, 0);
	char buf[64];
	int fd;
	pid_t pid = start(sv, &fd);

	(void)state;
	/* As a reload does: the strings go while the child may not have
	 * reached exec yet. */
	memset(sv->sv_conf->sc_server, 'Z', strlen(sv->sv_conf->sc_server));
	memset(sv->sv_conf->sc_argv[1], 'Z', strlen(sv->sv_conf->sc_argv[1]));
	service_unref(sv);
	slurp(fd, buf, sizeof(buf));
	assert_string_equal(buf, "intact\n");
	assert_int_equal(exit_status(pid), 0);
}

static void
test_spawn_child_failing_syscall_leaves_daemon_errno(void **state)
{
	char *argv[] = { "true", NULL };
	struct service *sv;
	char buf[8];
	int fd;
	pid_t pid;

	(void)state;
	if (geteuid() != 0)
		skip();
	/* As nobody the child's check that setresuid(0) fails, fails. */
	sv = service_cmd("/bin/true", argv, 65534, 65534);
	pid = start(sv, &fd);
	errno = 0;
	slurp(fd, buf, sizeof(buf));
	assert_int_equal(exit_status(pid), 0);
	assert_int_equal(errno, 0);
	service_unref(sv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spawn_child_writes_to_the_socket),
		cmocka_unit_test(test_spawn_many_children_at_once_all_run),
		cmocka_unit_test(test_spawn_argv_too_large_for_a_slot_arrives_whole),
		cmocka_unit_test(test_spawn_child_unharmed_when_service_freed_before_exec),
		cmocka_unit_test(test_spawn_child_failing_syscall_leaves_daemon_errno),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
