/*
 * The child path: fork, then in straight-line order: the socket on fds 0-2
 * and nothing else open; signals reset; umask, nice, rlimits, chroot;
 * groups, gid, uid; capabilities dropped and verified; exec.  Every failure
 * is _exit with a distinct code that reap logs.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
static void
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
	for (i = 0; sv->sv_passenv != NULL && sv->sv_passenv[i] != NULL; i++)
		if (getenv(sv->sv_passenv[i]) != NULL)
			spawn_setenv(env, sv->sv_passenv[i],
			    getenv(sv->sv_passenv[i]));
	for (i = 0; sv->sv_env != NULL && sv->sv_env[i] != NULL; i++)
		spawn_setenv(env, sv->sv_env[i], NULL);
	spawn_setenv(env, "PROTO", sv->sv_proto == IPPROTO_TCP ? "TCP" : "UDP");
	if (!spawn_wildcard(sv)) {
		/* A specific bind address is the local address: no syscall. */
		char addr[64], num[8];

		snprintf(num, sizeof(num), "%u", ntohs(sv->sv_addr.sin.sin_port));
		spawn_setenv(env, "TCPLOCALIP",
		    svctab_addr_text(&sv->sv_addr, addr, sizeof(addr)));
		spawn_setenv(env, "TCPLOCALPORT", num);
	} else if (getsockname(fd, (struct sockaddr *)&local, &len) == 0) {
		accept_normalize(&local);
		spawn_setaddr(env, "TCPLOCALIP", "TCPLOCALPORT", &local);
	}
	if (peer != NULL)
		spawn_setaddr(env, "TCPREMOTEIP", "TCPREMOTEPORT", peer);
	return env->se_n >= SPAWN_ENV_MAX ? -1 : 0;
}

/* In the child: the socket FD on 0, 1 and 2, every other fd closed. */
static int
spawn_fds(int fd)
{
	int i;

	for (i = 0; i < 3; i++)
		if (fd != i && dup2(fd, i) == -1)
			return -1;
	if (fd < 3 && fcntl(fd, F_SETFD, 0) == -1)
		return -1;
	return close_range(3, ~0U, 0);
}

/* Signals whose disposition is not the default here; set by spawn_init. */
static int spawn_sigs[64];
static int spawn_nsigs = -1;

/*
 * Note which signals superd has not left at their default (its own
 * handlers, SIGPIPE, whatever its parent ignored): only those need a reset
 * in each child.  Call once the daemon's handlers are in place.
 */
void
spawn_init(void)
{
	struct {
		void *k_handler;	/* disposition */
		unsigned long k_flags;	/* unused */
		void *k_restorer;	/* unused */
		uint64_t k_mask;	/* unused */
	} ksa;
	int sig;

	spawn_nsigs = 0;
	for (sig = 1; sig <= 64; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (syscall(SYS_rt_sigaction, sig, NULL, &ksa,
		    sizeof(ksa.k_mask)) == -1 || ksa.k_handler != SIG_DFL)
			spawn_sigs[spawn_nsigs++] = sig;
	}
}

/*
 * In the child: default dispositions for every signal and an empty mask.
 * The raw system call also reaches the two signals glibc reserves for
 * itself (32 and 33), which a parent may have left ignored.
 */
static int
spawn_signals(void)
{
	struct {
		void *k_handler;	/* SIG_DFL */
		unsigned long k_flags;	/* none */
		void *k_restorer;	/* none */
		uint64_t k_mask;	/* none */
	} ksa = { SIG_DFL, 0, NULL, 0 };
	sigset_t none;
	int i, sig;

	for (i = 0, sig = 1; spawn_nsigs < 0 ? sig <= 64 : i < spawn_nsigs;
	     i++, sig++) {
		int s = spawn_nsigs < 0 ? sig : spawn_sigs[i];

		if (s != SIGKILL && s != SIGSTOP)
			(void)syscall(SYS_rt_sigaction, s, &ksa, NULL,
			    sizeof(ksa.k_mask));
	}
	sigemptyset(&none);
	return sigprocmask(SIG_SETMASK, &none, NULL);
}

/* In the child: umask, nice, resource limits and chroot of SV. */
static int
spawn_limits(const struct service *sv)
{
	struct rlimit rl;
	int i;

	if (sv->sv_umask != SV_UNSET)
		umask((mode_t)sv->sv_umask);
	if (sv->sv_nice != 0) {
		errno = 0;
		if (nice(sv->sv_nice) == -1 && errno != 0)
			return -1;
	}
	for (i = 0; i < SV_RLIM_COUNT; i++) {
		if (sv->sv_rlimit[i] == SV_UNSET)
			continue;
		rl.rlim_cur = rl.rlim_max = sv->sv_rlimit[i] < 0 ?
		    RLIM_INFINITY : (rlim_t)sv->sv_rlimit[i];
		if (setrlimit(spawn_rlimits[i], &rl) == -1)
			return -1;
	}
	if (sv->sv_chroot != NULL &&
	    (chroot(sv->sv_chroot) == -1 || chdir("/") == -1))
		return -1;
	return 0;
}

/* In the child: exactly the configured groups, gid and uid (raw calls). */
static int
spawn_credentials(const struct service *sv)
{
	uid_t uid = sv->sv_uid;
	gid_t gid = sv->sv_gid;

	if (geteuid() != 0)
		return getuid() == uid ? 0 : -1;
	if (syscall(SYS_setgroups, (size_t)sv->sv_ngroups, sv->sv_groups) == -1 ||
	    syscall(SYS_setresgid, gid, gid, gid) == -1 ||
	    syscall(SYS_setresuid, uid, uid, uid) == -1)
		return -1;
	if (uid != 0 && (syscall(SYS_setresuid, 0, 0, 0) != -1 ||
	    getuid() != uid || geteuid() != uid))
		return -1;
	return 0;
}

/* What the child of spawn_clone needs; on the parent's stack. */
struct spawn_job {
	const struct service *sj_sv; /* the service */
	int sj_fd;		     /* socket for 0-2 */
	struct spawn_env *sj_env;    /* environment */
};

/*
 * The child of SV on FD: set everything up in order, then exec.  It runs
 * in the parent's memory (CLONE_VM) until exec: no allocation, no libc
 * state changed, raw system calls for credentials and capabilities.
 */
static int
spawn_exec(void *arg)
{
	const struct spawn_job *job = arg;
	const struct service *sv = job->sj_sv;

	if (spawn_fds(job->sj_fd) == -1)
		_exit(CHILD_EXIT_FD);
	if (spawn_signals() == -1)
		_exit(CHILD_EXIT_SIGNALS);
	if (spawn_limits(sv) == -1)
		_exit(CHILD_EXIT_LIMITS);
	if (spawn_credentials(sv) == -1)
		_exit(CHILD_EXIT_CRED);
	if (priv_child_drop(sv) == -1)
		_exit(CHILD_EXIT_CAPS);
	execve(sv->sv_server, sv->sv_argv, job->sj_env->se_vec);
	_exit(CHILD_EXIT_EXEC);
}

/* Whether another child is still running (exited ones are reaped first). */
static int
spawn_busy(struct superd *sd)
{
	if (sd->sd_nchild > 0)
		reap_all(sd);
	return sd->sd_nchild > 0;
}

/*
 * Whether to fork rather than share our memory with the child.  Sharing
 * (CLONE_VFORK) saves copying page tables but stops us until the child has
 * exec'd; while other children run, a busy second core would keep us
 * waiting, so then a fork lets us go on accepting.  ASan cannot follow a
 * child on our memory at all.
 */
static int
spawn_forks(struct superd *sd)
{
#ifdef __SANITIZE_ADDRESS__
	if (sd != NULL)
		return 1;
#endif
	return spawn_busy(sd);
}


/*
 * Start the command of SV with FD as its stdio; the pid, or -1.  Like
 * posix_spawn, the child shares our memory and we wait until it has
 * exec'd (CLONE_VM | CLONE_VFORK): no page tables are copied, which makes
 * this the cheapest way to start a process.
 */
pid_t
spawn_child(struct superd *sd, struct service *sv, int fd,
    const struct sockaddr_storage *peer)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	struct spawn_env env;
	struct spawn_job job = { sv, fd, &env };
	sigset_t all, old;
	pid_t pid;

	if (spawn_environ(sv, fd, peer, &env) == -1)
		log_warnx("service=%s reason=\"environment truncated\"",
		    sv->sv_name);
	/* No signal handler of ours may run in the child before it resets. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	if (spawn_forks(sd)) {
		if ((pid = fork()) == 0)
			spawn_exec(&job);
	} else
		pid = clone(spawn_exec, stack + sizeof(stack),
		    CLONE_VM | CLONE_VFORK | SIGCHLD, &job);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1)
		log_warn("service=%s event=refuse reason=fork", sv->sv_name);
	return pid;
}
