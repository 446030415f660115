/* SPDX-License-Identifier: ISC */
/*
 * The periodic audit inside the daemon: every selfcheck_interval seconds
 * a child runs the one-shot audit, `superd --selfcheck --json -c CONF`
 * (/proc/self/exe: the same binary, the config the daemon loaded), so its
 * verdicts are a one-shot run's: kernel table, owners, the netfilter
 * ruleset, the complete TCP and UDP sweeps.  The daemon keeps no
 * CAP_NET_ADMIN, but exec as root gives the child the bounding set, which
 * superd never narrows; run as another user, the child cannot read what
 * it needs and its report says so (UNKNOWN, or the ruleset `undecided`),
 * which is what the log then says.  The child runs at the lowest priority
 * (nice 19 and the idle I/O class; not SCHED_IDLE, which a busy machine
 * starves for minutes), with its address space and its run time bounded,
 * one at a time; its report comes back through a pipe
 * read by a libevent event, never blocking the loop, and
 * selfcheck_periodic_report logs each change once.
 */
#include <sys/resource.h>
#include <sys/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "superd.h"

#define AUDIT_MAX_OUT (64 << 20)	 /* bytes of report read at most */
#define AUDIT_MAX_MEM (2048L << 20) /* the child's address space */
#define AUDIT_MAX_SEC 900	 /* the child's run time */
#define AUDIT_IOPRIO_IDLE (3 << 13) /* IOPRIO_CLASS_IDLE, level 0 */

/* One audit child in flight. */
struct audit_run {
	pid_t ar_pid;		  /* the child */
	int ar_pidfd;		  /* pidfd_open of it, or -1 */
	int ar_fd;		  /* read end of its stdout */
	struct event *ar_read;	  /* ar_fd readable */
	struct event *ar_timer;	  /* the run time bound */
	char *ar_buf;		  /* the report so far */
	size_t ar_len, ar_max;	  /* used and allocated bytes of ar_buf */
};

/*
 * In the child: lowest priority, bounded memory, stdout to OUT, stdin
 * and stderr to /dev/null, then exec the audit of CONF (read as FMT).
 */
static void
audit_exec(int out, const char *conf, enum conf_format fmt)
{
	struct rlimit rl = { AUDIT_MAX_MEM, AUDIT_MAX_MEM };
	char *argv[] = { "superd", "--selfcheck", "--json", "-c", (char *)conf,
		NULL, NULL, NULL };
	sigset_t none;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fmt != CONF_AUTO) {
		argv[5] = "--config-format";
		argv[6] = fmt == CONF_INETD ? "inetd" : "native";
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (dup2(out, STDOUT_FILENO) == -1 || null == -1 ||
	    dup2(null, STDIN_FILENO) == -1 || dup2(null, STDERR_FILENO) == -1)
		_exit(127);
	(void)syscall(SYS_close_range, 3U, ~0U, 0U);
	(void)setpriority(PRIO_PROCESS, 0, 19);
	(void)syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0,
	    AUDIT_IOPRIO_IDLE);
#ifndef __SANITIZE_ADDRESS__
	(void)setrlimit(RLIMIT_AS, &rl);
#else
	/* ASan reserves terabytes of shadow address space: no bound here. */
	(void)rl;
#endif
	execv("/proc/self/exe", argv);
	_exit(127);
}

/* End the run of SD: close what it holds; the child is reaped by SIGCHLD. */
static void
audit_run_free(struct superd *sd)
{
	struct audit_run *ar = sd->sd_audit_run;

	if (ar == NULL)
		return;
	if (ar->ar_read != NULL)
		event_free(ar->ar_read);
	if (ar->ar_timer != NULL)
		event_free(ar->ar_timer);
	if (ar->ar_fd != -1)
		close(ar->ar_fd);
	if (ar->ar_pidfd != -1)
		close(ar->ar_pidfd);
	free(ar->ar_buf);
	free(ar);
	sd->sd_audit_run = NULL;
}

/* Kill the audit child of SD (through its pidfd: never a reused pid). */
static void
audit_kill(struct superd *sd)
{
	struct audit_run *ar = sd->sd_audit_run;

	if (ar->ar_pidfd != -1)
		(void)syscall(SYS_pidfd_send_signal, ar->ar_pidfd, SIGKILL,
		    NULL, 0U);
	else
		(void)kill(ar->ar_pid, SIGKILL);
}

/*
 * The run of SD ended (or could not start: no run): WHY says why it
 * failed, NULL when its report was read whole.  Log what changed and
 * record the status.
 */
static void
audit_finish(struct superd *sd, const char *why)
{
	struct audit_run *ar = sd->sd_audit_run;
	int status;

	if (why != NULL) {
		if (ar != NULL)
			audit_kill(sd);
		status = selfcheck_periodic_failed(sd->sd_audit, why);
	} else
		status = selfcheck_periodic_report(sd->sd_audit, ar->ar_buf,
		    ar->ar_len);
	audit_run_free(sd);
	if (sd->sd_audit_done != NULL)
		sd->sd_audit_done(sd, status);
}

/* The child's report is readable: take what is there; at EOF, finish. */
static void
audit_read(evutil_socket_t fd, short what, void *arg)
{
	struct superd *sd = arg;
	struct audit_run *ar = sd->sd_audit_run;
	ssize_t n;
	char *nb;

	(void)what;
	for (;;) {
		if (ar->ar_max - ar->ar_len < 4096) {
			if (ar->ar_max >= AUDIT_MAX_OUT) {
				audit_finish(sd, "its report is larger than "
				    "64 MiB: killed");
				return;
			}
			if ((nb = realloc(ar->ar_buf, ar->ar_max + 65536)) ==
			    NULL) {
				audit_finish(sd, "out of memory");
				return;
			}
			ar->ar_buf = nb;
			ar->ar_max += 65536;
		}
		n = read(fd, ar->ar_buf + ar->ar_len, ar->ar_max - ar->ar_len);
		if (n > 0) {
			ar->ar_len += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		audit_finish(sd, n == 0 ? NULL : "cannot read its report");
		return;
	}
}

/* The run time bound passed: kill the child, say so. */
static void
audit_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	audit_finish(arg, "it ran longer than 900 s: killed");
}

/* Arm the events of the run AR of SD; -1 when libevent cannot. */
static int
audit_arm(struct superd *sd, struct audit_run *ar)
{
	struct timeval tv = { AUDIT_MAX_SEC, 0 };

	ar->ar_read = event_new(sd->sd_base, ar->ar_fd, EV_READ | EV_PERSIST,
	    audit_read, sd);
	ar->ar_timer = evtimer_new(sd->sd_base, audit_timeout, sd);
	if (ar->ar_read == NULL || ar->ar_timer == NULL ||
	    event_add(ar->ar_read, NULL) == -1 ||
	    event_add(ar->ar_timer, &tv) == -1)
		return -1;
	return 0;
}

/*
 * Start the audit child of SD, unless one still runs.  A failure to start
 * is logged (once, as the audit not running) and recorded as UNKNOWN.
 */
static void
audit_start(struct superd *sd)
{
	const char *conf = sd->sd_tab->st_path ? sd->sd_tab->st_path :
	    sd->sd_opts.op_conf;
	struct audit_run *ar;
	int p[2];

	if (sd->sd_audit_run != NULL) {
		log_debug("event=selfcheck reason=\"the last audit still runs\"");
		return;
	}
	if ((ar = calloc(1, sizeof(*ar))) == NULL || pipe2(p, O_CLOEXEC) == -1) {
		free(ar);
		audit_finish(sd, "cannot make a pipe or out of memory");
		return;
	}
	sd->sd_audit_run = ar;
	ar->ar_pidfd = -1;
	ar->ar_fd = p[0];
	if ((ar->ar_pid = fork()) == 0)
		audit_exec(p[1], conf, sd->sd_opts.op_format);
	close(p[1]);
	if (ar->ar_pid == -1) {
		audit_run_free(sd);
		audit_finish(sd, "cannot fork");
		return;
	}
	ar->ar_pidfd = (int)syscall(SYS_pidfd_open, ar->ar_pid, 0U);
	if (evutil_make_socket_nonblocking(ar->ar_fd) == -1 ||
	    audit_arm(sd, ar) == -1)
		audit_finish(sd, "cannot watch its report");
}

/* The periodic audit is due: start its child (it logs each change once). */
static void
audit_due(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	audit_start(arg);
}

/* Stop the audit child of SD, if one runs (the daemon stops). */
void
audit_stop(struct superd *sd)
{
	if (sd->sd_audit_run == NULL)
		return;
	audit_kill(sd);
	audit_run_free(sd);
}

/*
 * Run the audit now and every selfcheck_interval seconds (0: stop it).
 * Out of memory, the daemon goes on serving without the audit, and says so.
 */
void
audit_schedule(struct superd *sd)
{
	struct timeval tv = { sd->sd_tab->st_globals.gl_selfcheck_interval, 0 };

	if (sd->sd_audit_ev != NULL) {
		event_free(sd->sd_audit_ev);
		sd->sd_audit_ev = NULL;
	}
	if (tv.tv_sec <= 0)
		return;
	if (sd->sd_audit == NULL && (sd->sd_audit = selfcheck_state_new()) ==
	    NULL) {
		log_warnx("event=selfcheck result=off reason=\"out of memory\"");
		return;
	}
	sd->sd_audit_ev = event_new(sd->sd_base, -1, EV_PERSIST, audit_due, sd);
	if (sd->sd_audit_ev == NULL || event_add(sd->sd_audit_ev, &tv) == -1) {
		if (sd->sd_audit_ev != NULL)
			event_free(sd->sd_audit_ev);
		sd->sd_audit_ev = NULL;
		log_warnx("event=selfcheck result=off reason=\"audit timer "
		    "failed\"");
		return;
	}
	log_info("event=selfcheck interval=%ld", (long)tv.tv_sec);
	audit_start(sd);
}
