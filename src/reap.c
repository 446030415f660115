/* SPDX-License-Identifier: ISC */
/*
 * The child table: every forked child and every in-process builtin session.
 * SIGCHLD reaps until nothing is left; each end is logged once with its
 * exit status or signal and its duration.
 */
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "superd.h"

/* Record a child (PID > 0) or a builtin session (PID 0) of SV. */
struct child *
reap_add(struct superd *sd, pid_t pid, struct service *sv,
    const struct sockaddr_storage *peer, int counted)
{
	struct child *ch;

	if ((ch = calloc(1, sizeof(*ch))) == NULL) {
		log_warn("service=%s reason=\"child table\"",
		    sv->sv_conf->sc_name);
		return NULL;
	}
	ch->ch_pid = pid;
	ch->ch_sv = sv;
	clock_gettime(CLOCK_MONOTONIC, &ch->ch_start);
	if (peer != NULL)
		ch->ch_peer = *peer;
	if (counted && peer != NULL && source_take(sv, peer) == 0)
		ch->ch_counted |= REAP_COUNTED_SERVICE;
	if (counted && peer != NULL && fair_take(sd, peer) == 0)
		ch->ch_counted |= REAP_COUNTED_GLOBAL;
	service_ref(sv);
	sv->sv_nchild++;
	sd->sd_nchild++;
	sd->sd_started++;
	LIST_INSERT_HEAD(&sd->sd_children, ch, ch_entry);
	return ch;
}

/* Milliseconds since CH started. */
static long
reap_age_ms(const struct child *ch)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - ch->ch_start.tv_sec) * 1000 +
	    (now.tv_nsec - ch->ch_start.tv_nsec) / 1000000;
}

/*
 * Forget CH, log how it ended (STATUS; OK picks the log_on_success fields
 * over log_on_failure; a builtin session has no pid to log) and release
 * what it held.
 */
void
reap_remove(struct superd *sd, struct child *ch, int ok, const char *status)
{
	struct service *sv = ch->ch_sv;
	char peer[64] = "-", line[256];
	int fields;
	size_t n;

	fields = ok ? sv->sv_conf->sc_log_success : sv->sv_conf->sc_log_failure;
	n = (size_t)snprintf(line, sizeof(line), "service=%s event=end",
	    sv->sv_conf->sc_name);
	if ((fields & LOGF_HOST) && ch->ch_peer.ss_family != 0 &&
	    n < sizeof(line))
		n += (size_t)snprintf(line + n, sizeof(line) - n, " peer=%s",
		    log_addr(&ch->ch_peer, peer, sizeof(peer)));
	if ((fields & LOGF_PID) && ch->ch_pid != 0 && n < sizeof(line))
		n += (size_t)snprintf(line + n, sizeof(line) - n, " pid=%ld",
		    (long)ch->ch_pid);
	if ((fields & LOGF_EXIT) && n < sizeof(line))
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %s",
		    status);
	if ((fields & LOGF_DURATION) && n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, " duration_ms=%ld",
		    reap_age_ms(ch));
	if (fields != 0)
		log_info("%s", line);

	LIST_REMOVE(ch, ch_entry);
	sv->sv_nchild--;
	sd->sd_nchild--;
	if (ch->ch_counted & REAP_COUNTED_SERVICE)
		source_release(sv, &ch->ch_peer);
	if (ch->ch_counted & REAP_COUNTED_GLOBAL)
		fair_release(sd, &ch->ch_peer);
	if (ch->ch_done != NULL)
		ch->ch_done(ch, ch->ch_arg);
	service_unref(sv);
	free(ch);
	if (sd->sd_nchild == 0)
		resident_when_idle(sd);
}

/*
 * Describe the wait status ST of child PID: "signal=N", "exit=N", or
 * "exit=N setup_failed=WHAT" when the child reported a set-up failure
 * before exec (spawn_report.c): a server's own exit 123 stays exit=123.
 * 1 when the child reported a TCP wrappers refusal (exit=118
 * refused=tcp-wrappers), else 0.
 */
static int
reap_status(pid_t pid, int st, char *buf, size_t len)
{
	static const char *const setup[] = {
		"sandbox", "fd", "signals", "limits", "credentials",
		    "capabilities",
		"exec",
	};
	int code, report;

	if (WIFSIGNALED(st)) {
		snprintf(buf, len, "signal=%d%s", WTERMSIG(st),
		    WCOREDUMP(st) ? " core=1" : "");
		return 0;
	}
	code = WEXITSTATUS(st);
	report = code >= CHILD_EXIT_WRAP && code <= CHILD_EXIT_EXEC ?
	    spawn_report_find(pid) : 0;
	if (code == CHILD_EXIT_WRAP && report == code) {
		snprintf(buf, len, "exit=%d refused=tcp-wrappers", code);
		return 1;
	}
	if (code >= CHILD_EXIT_SANDBOX && code <= CHILD_EXIT_EXEC &&
	    report == code)
		snprintf(buf, len, "exit=%d setup_failed=%s", code,
		    setup[code - CHILD_EXIT_SANDBOX]);
	else
		snprintf(buf, len, "exit=%d", code);
	return 0;
}

/* The child record of PID, or NULL. */
static struct child *
reap_find(struct superd *sd, pid_t pid)
{
	struct child *ch;

	LIST_FOREACH(ch, &sd->sd_children, ch_entry)
		if (ch->ch_pid == pid)
			return ch;
	return NULL;
}

/* Reap every child that has exited, until none or ECHILD. */
void
reap_all(struct superd *sd)
{
	struct child *ch;
	char status[64];
	pid_t pid;
	int st;

	for (;;) {
		pid = waitpid(-1, &st, WNOHANG);
		if (pid == -1 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		if ((ch = reap_find(sd, pid)) == NULL) {
			log_debug("event=reap pid=%ld reason=\"not ours\"",
			    (long)pid);
			continue;
		}
		if (reap_status(pid, st, status, sizeof(status)))
			refuse_note(ch->ch_sv, &ch->ch_peer, REFUSE_WRAP);
		reap_remove(sd, ch, WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    status);
	}
}

/* Signal every forked child with SIG. */
void
reap_signal_all(struct superd *sd, int sig)
{
	struct child *ch;

	LIST_FOREACH(ch, &sd->sd_children, ch_entry)
		if (ch->ch_pid > 0)
			kill(ch->ch_pid, sig);
}

/* Log every live child with its service, peer and age (SIGUSR1). */
void
reap_dump(struct superd *sd)
{
	struct child *ch;
	char peer[64];

	log_info("event=dump children=%d", sd->sd_nchild);
	LIST_FOREACH(ch, &sd->sd_children, ch_entry) {
		if (ch->ch_peer.ss_family != 0)
			log_addr(&ch->ch_peer, peer, sizeof(peer));
		else
			snprintf(peer, sizeof(peer), "-");
		if (ch->ch_pid == 0)	/* a builtin session: no process */
			log_info("event=dump session service=%s peer=%s "
			    "age_ms=%ld", ch->ch_sv->sv_conf->sc_name, peer,
			    reap_age_ms(ch));
		else
			log_info("event=dump child pid=%ld service=%s peer=%s age_ms=%ld",
			    (long)ch->ch_pid, ch->ch_sv->sv_conf->sc_name, peer,
			    reap_age_ms(ch));
	}
}
