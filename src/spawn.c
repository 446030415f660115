/* SPDX-License-Identifier: ISC */
/*
 * The child path: start the child (in our memory, see spawn_child), then
 * in straight-line order: the socket on fds 0-2 and nothing else open;
 * signals reset, a new session; the sandbox; umask, nice, rlimits,
 * chroot; groups, gid, uid; capabilities dropped and verified; exec.  Every failure ends the child
 * with a distinct code that reap logs.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

#include "rawsys.h"
#include "superd.h"

#define SPAWN_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const int spawn_rlimits[SV_RLIM_COUNT] = {
	[SV_RLIM_AS] = RLIMIT_AS,
	[SV_RLIM_CPU] = RLIMIT_CPU,
	[SV_RLIM_NOFILE] = RLIMIT_NOFILE,
	[SV_RLIM_NPROC] = RLIMIT_NPROC,
	[SV_RLIM_DATA] = RLIMIT_DATA,
};

/* Append NAME=VALUE to ENV; silently full when out of room. */
void
spawn_setenv(struct spawn_env *env, const char *name, const char *value)
{
	size_t room = sizeof(env->se_buf) - env->se_used;
	int n;

	if (env->se_n >= SPAWN_ENV_MAX)
		return;
	n = value != NULL ?
	    snprintf(env->se_buf + env->se_used, room, "%s=%s", name, value) :
	    snprintf(env->se_buf + env->se_used, room, "%s", name);
	if (n < 0 || (size_t)n >= room)
		return;
	env->se_vec[env->se_n++] = env->se_buf + env->se_used;
	env->se_vec[env->se_n] = NULL;
	env->se_used += (size_t)n + 1;
}

/* Add the UCSPI address variables PREFIX{IP,PORT} for SS. */
static void
spawn_setaddr(struct spawn_env *env, const char *ip, const char *port,
    const struct sockaddr_storage *ss)
{
	char addr[64], num[8];

	if (ss->ss_family != AF_INET && ss->ss_family != AF_INET6)
		return;
	log_addr(ss, addr, sizeof(addr));
	snprintf(num, sizeof(num), "%u",
	    ntohs(((const struct sockaddr_in *)ss)->sin_port));
	spawn_setenv(env, ip, addr);
	spawn_setenv(env, port, num);
}

/* Whether SV is bound to the wildcard address of its family. */
static int
spawn_wildcard(const struct service *sv)
{
	if (sv->sv_addr.ss_family == AF_INET)
		return sv->sv_addr.sin.sin_addr.s_addr == htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&sv->sv_addr.sin6.sin6_addr);
}

/*
 * The environment of a child of SV on socket FD with PEER: PATH, passenv,
 * env, then the UCSPI variables tcpserver programs read.
 */
int
spawn_environ(const struct service *sv, int fd,
    const struct sockaddr_storage *peer, struct spawn_env *env)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	size_t i;

	env->se_n = 0;
	env->se_used = 0;
	env->se_vec[0] = NULL;
	spawn_setenv(env, SPAWN_PATH, NULL);
	for (i = 0; sv->sv_conf->sc_passenv != NULL && sv->sv_conf->sc_passenv[i] != NULL; i++)
		if (getenv(sv->sv_conf->sc_passenv[i]) != NULL)
			spawn_setenv(env, sv->sv_conf->sc_passenv[i],
			    getenv(sv->sv_conf->sc_passenv[i]));
	for (i = 0; sv->sv_conf->sc_env != NULL && sv->sv_conf->sc_env[i] != NULL; i++)
		spawn_setenv(env, sv->sv_conf->sc_env[i], NULL);
	if (sv->sv_conf->sc_kind != NULL && sv->sv_conf->sc_kind->k_environ != NULL) {
		sv->sv_conf->sc_kind->k_environ(sv, peer, env);
		return env->se_n >= SPAWN_ENV_MAX ? -1 : 0;
	}
	spawn_setenv(env, "PROTO", sv->sv_proto == IPPROTO_TCP ? "TCP" : "UDP");
	if (!spawn_wildcard(sv)) {
		/* A specific bind address is the local address: no syscall. */
		char addr[64], num[8];

		snprintf(num, sizeof(num), "%u", ntohs(sv->sv_addr.sin.sin_port));
		spawn_setenv(env, "TCPLOCALIP",
		    svctab_addr_text(&sv->sv_addr, addr, sizeof(addr)));
		spawn_setenv(env, "TCPLOCALPORT", num);
	} else if (getsockname(fd, (struct sockaddr *)&local, &len) == 0) {
		access_normalize(&local);
		spawn_setaddr(env, "TCPLOCALIP", "TCPLOCALPORT", &local);
	}
	if (peer != NULL)
		spawn_setaddr(env, "TCPREMOTEIP", "TCPREMOTEPORT", peer);
	return env->se_n >= SPAWN_ENV_MAX ? -1 : 0;
}

/*
 * Everything a child needs until exec, fixed before it starts.  A child
 * running beside the daemon (CLONE_VM) reads only this, its own copy, so a
 * reload that frees the service's strings cannot pull them from under it.
 */
struct spawn_plan {
	int pl_fd;			     /* socket for 0-2 */
	const char *pl_server;		     /* path to exec */
	char *const *pl_argv;		     /* its argv */
	char *const *pl_envp;		     /* its environment */
	const char *pl_chroot;		     /* NULL or directory */
	const gid_t *pl_groups;		     /* supplementary groups */
	size_t pl_ngroups;		     /* entries in pl_groups */
	uid_t pl_uid;			     /* user */
	gid_t pl_gid;			     /* group */
	int pl_umask;			     /* SV_UNSET or the mask */
	int pl_nice;			     /* niceness to add */
	long long pl_rlimit[SV_RLIM_COUNT]; /* SV_UNSET or the limit */
	int pl_no_new_privs;		     /* PR_SET_NO_NEW_PRIVS */
	int pl_caps_set;		     /* pl_caps restricts a root child */
	uint64_t pl_caps;		     /* bounding set (root) or ambient */
	int pl_sandbox;			     /* SANDBOX_* bits */
	volatile int *pl_report;	     /* where a set-up failure is told */
	uint64_t pl_nofile[2];		     /* RLIMIT_NOFILE superd got, 0 */
};

#define SPAWN_SLOTS 8			/* children before exec at once */
#define SPAWN_STACK (16 * 1024)		/* a child's stack until exec */
#define SPAWN_PLAN_BYTES 4096		/* copied strings and groups */
#define SPAWN_PLAN_ARGS 64		/* argv entries a slot holds */

/*
 * A child that runs beside the daemon until exec: its stack, its plan and
 * the memory the plan points into.  Busy from clone until the kernel
 * clears ss_busy (CLONE_CHILD_CLEARTID), which it does when the child
 * execs or exits.
 */
struct spawn_slot {
	char ss_stack[SPAWN_STACK] __attribute__((aligned(16))); /* grows down */
	volatile pid_t ss_busy;		 /* nonzero until exec or exit */
	struct spawn_plan ss_plan;	 /* what the child does */
	struct spawn_env ss_env;	 /* its environment */
	char *ss_argv[SPAWN_PLAN_ARGS + 1]; /* its argv */
	char ss_buf[SPAWN_PLAN_BYTES] __attribute__((aligned(8))); /* strings */
};
static struct spawn_slot spawn_slots[SPAWN_SLOTS];

/* In the child: the socket FD on 0, 1 and 2, every other fd closed. */
static int
spawn_fds(int fd)
{
	int i;

	for (i = 0; i < 3; i++)
		if (fd != i && RAWSYS3(SYS_dup3, fd, i, 0) < 0)
			return -1;
	if (fd < 3 && RAWSYS3(SYS_fcntl, fd, F_SETFD, 0) < 0)
		return -1;
	return RAWSYS3(SYS_close_range, 3, ~0U, 0) < 0 ? -1 : 0;
}

/* RLIMIT_NOFILE soft and hard as superd started; set by spawn_nofile. */
static uint64_t spawn_nofile_start[2];

/* Signals whose disposition is not the default here; set by spawn_init. */
static int spawn_sigs[64];
static int spawn_nsigs = -1;

/*
 * Whether children may start in our memory (spawn_clone); else fork.
 * ASan cannot follow a child in its memory: its builds always fork.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SPAWN_FORK_ONLY 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPAWN_FORK_ONLY 1
#endif
#endif
#ifndef SPAWN_FORK_ONLY
#define SPAWN_FORK_ONLY 0
#endif
static int spawn_shared = !SPAWN_FORK_ONLY;

/*
 * Whether we run under valgrind, which cannot follow a child that shares
 * our memory without CLONE_VFORK and stops the program when one starts.
 */
static int
spawn_under_valgrind(void)
{
	const char *pre = getenv("LD_PRELOAD");

#ifdef RUNNING_ON_VALGRIND
	if (RUNNING_ON_VALGRIND)
		return 1;
#endif
	return pre != NULL && strstr(pre, "/vgpreload_") != NULL;
}

/* The kernel's struct sigaction, for the raw rt_sigaction. */
struct spawn_ksigaction {
	void *k_handler;	/* disposition */
	unsigned long k_flags;	/* SA_* */
	void *k_restorer;	/* unused */
	uint64_t k_mask;	/* blocked in the handler */
};

/*
 * Note which signals superd has not left at their default (its own
 * handlers, SIGPIPE, whatever its parent ignored): only those need a reset
 * in each child.  Call once the daemon's handlers are in place.
 */
void
spawn_init(void)
{
	struct spawn_ksigaction ksa;
	int sig;

	spawn_shared = !SPAWN_FORK_ONLY && !spawn_under_valgrind();
	spawn_nsigs = 0;
	for (sig = 1; sig <= 64; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (RAWSYS4(SYS_rt_sigaction, sig, NULL, &ksa,
		    sizeof(ksa.k_mask)) < 0 || ksa.k_handler != SIG_DFL)
			spawn_sigs[spawn_nsigs++] = sig;
	}
}

/*
 * In the child: default dispositions for every signal, an empty mask and
 * a new session.
 * The raw system call also reaches the two signals glibc reserves for
 * itself (32 and 33), which a parent may have left ignored.
 */
static int
spawn_signals(void)
{
	struct spawn_ksigaction ksa = { SIG_DFL, 0, NULL, 0 };
	uint64_t none = 0;
	int i, sig;

	for (i = 0, sig = 1; spawn_nsigs < 0 ? sig <= 64 : i < spawn_nsigs;
	     i++, sig++) {
		int s = spawn_nsigs < 0 ? sig : spawn_sigs[i];

		if (s != SIGKILL && s != SIGSTOP)
			(void)RAWSYS4(SYS_rt_sigaction, s, &ksa, NULL,
			    sizeof(ksa.k_mask));
	}
	if (RAWSYS4(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL,
	    sizeof(none)) < 0)
		return -1;
	/*
	 * A session of its own: no controlling terminal (superd may run with
	 * -f in one), so no TIOCSTI into it, and no signals from its keys.
	 */
	return RAWSYS0(SYS_setsid) < 0 ? -1 : 0;
}

/* In the child: umask, nice, resource limits and chroot of PL. */
static int
spawn_limits(const struct spawn_plan *pl)
{
	struct {
		uint64_t rl_cur;	/* soft limit */
		uint64_t rl_max;	/* hard limit */
	} rl;
	long prio;
	int i;

	if (pl->pl_umask != SV_UNSET)
		(void)RAWSYS1(SYS_umask, pl->pl_umask);
	if (pl->pl_nice != 0) {
		/* The raw getpriority answers 20 - nice; the kernel clamps. */
		if ((prio = RAWSYS2(SYS_getpriority, PRIO_PROCESS, 0)) < 0 ||
		    RAWSYS3(SYS_setpriority, PRIO_PROCESS, 0,
		    20 - prio + pl->pl_nice) < 0)
			return -1;
	}
	for (i = 0; i < SV_RLIM_COUNT; i++) {
		if (pl->pl_rlimit[i] == SV_UNSET)
			continue;
		rl.rl_cur = rl.rl_max = pl->pl_rlimit[i] < 0 ?
		    ~(uint64_t)0 : (uint64_t)pl->pl_rlimit[i];
		if (RAWSYS4(SYS_prlimit64, 0, spawn_rlimits[i], &rl, NULL) < 0)
			return -1;
	}
	/* Without rlimit_nofile: the limit superd was started with. */
	if (pl->pl_rlimit[SV_RLIM_NOFILE] == SV_UNSET && pl->pl_nofile[0] != 0 &&
	    RAWSYS4(SYS_prlimit64, 0, RLIMIT_NOFILE, pl->pl_nofile, NULL) < 0)
		return -1;
	if (pl->pl_chroot != NULL &&
	    (RAWSYS1(SYS_chroot, pl->pl_chroot) < 0 ||
	    RAWSYS1(SYS_chdir, "/") < 0))
		return -1;
	return 0;
}

/* In the child: exactly the planned groups, gid and uid. */
static int
spawn_credentials(const struct spawn_plan *pl)
{
	long uid = pl->pl_uid, gid = pl->pl_gid;

	if (RAWSYS0(SYS_geteuid) != 0)
		return RAWSYS0(SYS_getuid) == uid ? 0 : -1;
	/* Ambient capabilities: permitted must outlive the setuid. */
	if (uid != 0 && pl->pl_caps_set && pl->pl_caps != 0 &&
	    RAWSYS2(SYS_prctl, PR_SET_KEEPCAPS, 1) < 0)
		return -1;
	if (RAWSYS2(SYS_setgroups, pl->pl_ngroups, pl->pl_groups) < 0 ||
	    RAWSYS3(SYS_setresgid, gid, gid, gid) < 0 ||
	    RAWSYS3(SYS_setresuid, uid, uid, uid) < 0)
		return -1;
	if (uid != 0 && (RAWSYS3(SYS_setresuid, 0, 0, 0) >= 0 ||
	    RAWSYS0(SYS_getuid) != uid || RAWSYS0(SYS_geteuid) != uid))
		return -1;
	return 0;
}

/*
 * End the child with CODE, before exec, telling the daemon it was a set-up
 * failure through the plan's report word (spawn_report.c).
 */
static void __attribute__((noreturn))
spawn_fail(const struct spawn_plan *pl, int code)
{
	*pl->pl_report = code;
	for (;;)
		(void)RAWSYS1(SYS_exit_group, code);
}

/*
 * The child: set everything up in order, then exec.  It may run in the
 * daemon's memory beside the daemon until exec: it reads only its plan,
 * writes only its own stack (and, failing, its report word), and makes
 * raw system calls (rawsys.h).
 */
static int
spawn_exec(void *arg)
{
	const struct spawn_plan *pl = arg;

	if (spawn_fds(pl->pl_fd) == -1)
		spawn_fail(pl, CHILD_EXIT_FD);
	if (spawn_signals() == -1)
		spawn_fail(pl, CHILD_EXIT_SIGNALS);
	if (sandbox_child(pl->pl_sandbox) == -1)
		spawn_fail(pl, CHILD_EXIT_SANDBOX);
	if (spawn_limits(pl) == -1)
		spawn_fail(pl, CHILD_EXIT_LIMITS);
	if (spawn_credentials(pl) == -1)
		spawn_fail(pl, CHILD_EXIT_CRED);
	if (priv_child_drop(pl->pl_uid, pl->pl_no_new_privs, pl->pl_caps_set,
	    pl->pl_caps) == -1)
		spawn_fail(pl, CHILD_EXIT_CAPS);
	(void)RAWSYS3(SYS_execve, pl->pl_server, pl->pl_argv, pl->pl_envp);
	spawn_fail(pl, CHILD_EXIT_EXEC);
}

/* The plan for a child of SV on FD with ENV, pointing into SV itself. */
static void
spawn_plan_init(struct spawn_plan *pl, const struct service *sv, int fd,
    const struct spawn_env *env)
{
	pl->pl_fd = fd;
	pl->pl_server = sv->sv_conf->sc_server;
	pl->pl_argv = sv->sv_conf->sc_argv;
	pl->pl_envp = env->se_vec;
	pl->pl_chroot = sv->sv_conf->sc_chroot;
	pl->pl_groups = sv->sv_conf->sc_groups;
	pl->pl_ngroups = (size_t)sv->sv_conf->sc_ngroups;
	pl->pl_uid = sv->sv_conf->sc_uid;
	pl->pl_gid = sv->sv_conf->sc_gid;
	pl->pl_umask = sv->sv_conf->sc_rare->sc_umask;
	pl->pl_nice = sv->sv_conf->sc_nice;
	memcpy(pl->pl_rlimit, sv->sv_conf->sc_rare->sc_rlimit, sizeof(pl->pl_rlimit));
	pl->pl_no_new_privs = sv->sv_conf->sc_no_new_privs;
	pl->pl_caps_set = sv->sv_conf->sc_rare->sc_caps_set;
	pl->pl_caps = sv->sv_conf->sc_rare->sc_caps;
	pl->pl_sandbox = sv->sv_conf->sc_rare->sc_sandbox;
	memcpy(pl->pl_nofile, spawn_nofile_start, sizeof(pl->pl_nofile));
}

/* The RLIMIT_NOFILE superd was started with, for its children. */
void
spawn_nofile(uint64_t cur, uint64_t max)
{
	spawn_nofile_start[0] = cur;
	spawn_nofile_start[1] = max;
}

/* Copy LEN bytes of SRC into the slot's buffer at *USED; NULL when full. */
static void *
spawn_slot_copy(struct spawn_slot *ss, size_t *used, const void *src,
    size_t len)
{
	void *dst;

	*used = (*used + 7) & ~(size_t)7;
	if (len > sizeof(ss->ss_buf) - *used)
		return NULL;
	dst = ss->ss_buf + *used;
	memcpy(dst, src, len);
	*used += len;
	return dst;
}

/*
 * Make the slot's plan its own: the strings, argv and groups the plan
 * points to are copied into the slot.  -1 when they do not fit.
 */
static int
spawn_slot_own(struct spawn_slot *ss)
{
	struct spawn_plan *pl = &ss->ss_plan;
	size_t used = 0, i;

	if ((pl->pl_server = spawn_slot_copy(ss, &used, pl->pl_server,
	    strlen(pl->pl_server) + 1)) == NULL)
		return -1;
	if (pl->pl_chroot != NULL && (pl->pl_chroot = spawn_slot_copy(ss,
	    &used, pl->pl_chroot, strlen(pl->pl_chroot) + 1)) == NULL)
		return -1;
	if (pl->pl_ngroups > 0 && (pl->pl_groups = spawn_slot_copy(ss, &used,
	    pl->pl_groups, pl->pl_ngroups * sizeof(gid_t))) == NULL)
		return -1;
	for (i = 0; pl->pl_argv[i] != NULL; i++) {
		if (i == SPAWN_PLAN_ARGS || (ss->ss_argv[i] = spawn_slot_copy(ss,
		    &used, pl->pl_argv[i], strlen(pl->pl_argv[i]) + 1)) == NULL)
			return -1;
	}
	ss->ss_argv[i] = NULL;
	pl->pl_argv = ss->ss_argv;
	return 0;
}

/* A slot whose last child has exec'd or exited, or NULL if none is. */
static struct spawn_slot *
spawn_slot_free(void)
{
	size_t i;

	for (i = 0; i < SPAWN_SLOTS; i++)
		if (__atomic_load_n(&spawn_slots[i].ss_busy, __ATOMIC_ACQUIRE) == 0)
			return &spawn_slots[i];
	return NULL;
}

/*
 * Start a child on slot SS: with CLONE_VM no page table is copied, and the
 * kernel clears ss_busy when the child execs or exits.  Where rawsys.h
 * has no direct system calls, CLONE_VFORK stops us until then instead.
 * A kernel or sandbox refusing the flags turns sharing off for good.
 */
static pid_t
spawn_clone(struct spawn_slot *ss)
{
	int flags = CLONE_VM | CLONE_CHILD_CLEARTID | SIGCHLD;
	pid_t pid;

	if (!RAWSYS_DIRECT)
		flags |= CLONE_VFORK;
	__atomic_store_n(&ss->ss_busy, -1, __ATOMIC_RELEASE);
	pid = clone(spawn_exec, ss->ss_stack + sizeof(ss->ss_stack), flags,
	    &ss->ss_plan, NULL, NULL, &ss->ss_busy);
	if (pid == -1) {
		__atomic_store_n(&ss->ss_busy, 0, __ATOMIC_RELEASE);
		if (errno == EINVAL || errno == ENOSYS || errno == EPERM)
			spawn_shared = 0;
	}
	return pid;
}

/*
 * Start the command of SV with FD as its stdio; the pid, or -1.  The child
 * shares our memory until its exec (see spawn_clone), so starting it costs
 * no copy of our page tables and does not wait for the exec; up to
 * SPAWN_SLOTS children may be on their way to exec at once.  With every
 * slot busy, or a plan too large for a slot, it is a fork; so it is
 * under valgrind, and always in ASan builds: neither can follow a child
 * in our memory.
 */
pid_t
spawn_child(struct service *sv, int fd, const struct sockaddr_storage *peer)
{
	struct spawn_slot *ss = NULL;
	struct spawn_env stack_env, *env = &stack_env;
	struct spawn_plan stack_plan;
	volatile int *report;
	sigset_t all, old;
	pid_t pid;
	int wrap;

	/* A child that checks TCP wrappers needs its own memory: a fork. */
	wrap = wrap_in_child(sv) && !(sv->sv_socktype == SOCK_STREAM &&
	    sv->sv_conf->sc_wait);
	if (spawn_shared && !wrap && (ss = spawn_slot_free()) != NULL)
		env = &ss->ss_env;
	if (spawn_environ(sv, fd, peer, env) == -1)
		log_warnx("service=%s reason=\"environment truncated\"",
		    sv->sv_conf->sc_name);
	if (ss != NULL) {
		spawn_plan_init(&ss->ss_plan, sv, fd, env);
		if (spawn_slot_own(ss) == -1)
			ss = NULL;
	}
	if (ss == NULL)
		spawn_plan_init(&stack_plan, sv, fd, env);
	(ss != NULL ? &ss->ss_plan : &stack_plan)->pl_report =
	    report = spawn_report_take();
	/* No signal handler of ours may run in the child before it resets. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid = ss != NULL ? spawn_clone(ss) : -1;
	if (ss == NULL || (pid == -1 && !spawn_shared)) {
		struct spawn_plan *pl = ss != NULL ? &ss->ss_plan : &stack_plan;

		if ((pid = fork()) == 0) {
			if (wrap && !wrap_child(sv, fd))
				spawn_fail(pl, CHILD_EXIT_WRAP);
			spawn_exec(pl);
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1)
		log_warn("service=%s event=refuse reason=fork", sv->sv_conf->sc_name);
	else
		spawn_report_own(report, pid);
	return pid;
}
