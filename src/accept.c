/* SPDX-License-Identifier: ISC */
/*
 * Per-connection decisions: accept, then access lists and access times
 * (access.c), TCP wrappers, and
 * the limits (global and service instances, per source, per-source rate,
 * cps, max per minute).  Every refusal is counted and logged with the limit
 * that refused it.  Nothing here looks a name up.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "superd.h"

#define ACCEPT_BATCH 32 /* connections accepted per wake-up */

/* Count a connection against a per-second or per-minute window. */
static int
accept_window(time_t *start, int *count, time_t now, int span, int max)
{
	if (now - *start >= span || now < *start) {
		*start = now;
		*count = 0;
	}
	return ++*count > max;
}

/*
 * Whether SV is over its cps rate or its spawns per minute (counted in
 * its runtime, made here on first use; uncounted when out of memory).
 */
static int
accept_over_rate(struct service *sv, time_t now)
{
	const struct service_conf *sc = sv->sv_conf;
	struct service_run *ru;

	if ((sc->sc_cps_rate <= 0 && sc->sc_max_per_minute <= 0) ||
	    (ru = service_run(sv)) == NULL)
		return 0;
	return (sc->sc_cps_rate > 0 && accept_window(&ru->ru_cps_second,
	    &ru->ru_cps_count, now, 1, sc->sc_cps_rate)) ||
	    (sc->sc_max_per_minute > 0 && accept_window(&ru->ru_minute_start,
	    &ru->ru_minute_count, now, 60, sc->sc_max_per_minute));
}

/*
 * Whether PEER may start one more connection of SV at NOW; on refusal the
 * reason goes to *WHY.  Counts rates only for connections it lets through.
 */
int
accept_check_limits(struct superd *sd, struct service *sv,
    const struct sockaddr_storage *peer, time_t now, enum refuse_reason *why)
{
	int global = sd->sd_tab != NULL ? sd->sd_tab->st_globals.gl_instances : 0;
	struct source *so;
	int wrap;

	*why = REFUSE_COUNT;
	if (!access_check_acl(sv, peer))
		*why = REFUSE_ACL;
	else if (!access_check_time(sv, now))
		*why = REFUSE_TIME;
	else if ((wrap = wrap_permits(sv, peer)) != 1)
		*why = wrap == 0 ? REFUSE_WRAP : REFUSE_NOFD;
	else if (global > 0 && sd->sd_nchild >= global)
		*why = REFUSE_GLOBAL;
	else if (svctab_instances(sv) > 0 &&
	    sv->sv_nchild >= svctab_instances(sv))
		*why = REFUSE_INSTANCES;
	else if (!fair_admit(sd, sv, peer))
		*why = REFUSE_SHARE;
	else if (sv->sv_conf->sc_per_source > 0 &&
	    ((so = source_find(sv, peer, 1)) == NULL ||
	    so->so_count >= sv->sv_conf->sc_per_source))
		*why = REFUSE_PER_SOURCE;	/* a full table fails closed */
	else if (sv->sv_conf->sc_per_ip_rate > 0 &&
	    (so = source_find(sv, peer, 1)) != NULL &&
	    accept_window(&so->so_minute, &so->so_rate, now, 60,
	    sv->sv_conf->sc_per_ip_rate))
		*why = REFUSE_PER_IP_RATE;
	else if (accept_over_rate(sv, now))
		*why = REFUSE_CPS;
	return *why == REFUSE_COUNT;
}

/* Refuse the connection FD from PEER for WHY: count, log, banner, close. */
void
accept_refuse(struct service *sv, int fd, const struct sockaddr_storage *peer,
    enum refuse_reason why)
{
	refuse_note(sv, peer, why);
	banner_send(sv, BANNER_FAIL, fd);
	close(fd);
}

/* Socket options of an accepted connection; errors only cost a log line. */
static void
accept_options(struct service *sv, int fd)
{
	int one = 1;

	if (sv->sv_conf->sc_keepalive &&
	    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) == -1)
		log_warn("service=%s reason=SO_KEEPALIVE", sv->sv_conf->sc_name);
	if (sv->sv_conf->sc_nodelay &&
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1)
		log_warn("service=%s reason=TCP_NODELAY", sv->sv_conf->sc_name);
}

/* Serve one accepted connection FD from PEER: builtin or child. */
void
accept_serve(struct superd *sd, struct service *sv, int fd,
    const struct sockaddr_storage *peer)
{
	struct child *ch;
	char addr[64];
	pid_t pid;

	accept_options(sv, fd);
	sv->sv_accepted++;
	banner_send(sv, BANNER_ALL, fd);
	banner_send(sv, BANNER_SUCCESS, fd);
	if (sv->sv_conf->sc_builtin != BUILTIN_NONE) {
		builtin_stream(sd, sv, fd, peer);
		return;
	}
	pid = spawn_child(sv, fd, peer);
	close(fd);
	if (pid == -1) {
		sv->sv_accepted--;
		refuse_count(sv, REFUSE_FORK);
		listen_backoff(sv, 1, "fork");
		return;
	}
	ch = reap_add(sd, pid, sv, peer, 1);
	if (ch != NULL && (sv->sv_conf->sc_log_success & (LOGF_PID | LOGF_HOST)))
		log_info("service=%s event=start peer=%s pid=%ld", sv->sv_conf->sc_name,
		    log_addr(peer, addr, sizeof(addr)), (long)pid);
}

/*
 * A concurrency limit refused PEER: children that exited but are not yet
 * reaped still count, so reap now and ask once more.  Without this a busy
 * loop of short connections is refused by its own dead children.
 */
static int
accept_recheck(struct superd *sd, struct service *sv,
    const struct sockaddr_storage *peer, enum refuse_reason *why)
{
	if (*why != REFUSE_INSTANCES && *why != REFUSE_GLOBAL &&
	    *why != REFUSE_PER_SOURCE)
		return 0;
	reap_all(sd);
	return accept_check_limits(sd, sv, peer, time(NULL), why);
}

/* Accept what is pending on the stream listener of SV, up to a batch. */
void
accept_stream(struct superd *sd, struct service *sv)
{
	struct sockaddr_storage peer;
	enum refuse_reason why;
	socklen_t len;
	int fd, i;

	for (i = 0; i < ACCEPT_BATCH && !sv->sv_paused; i++) {
		len = sizeof(peer);
		fd = accept4(sv->sv_fd, (struct sockaddr *)&peer, &len,
		    sv->sv_conf->sc_builtin != BUILTIN_NONE ? SOCK_CLOEXEC | SOCK_NONBLOCK :
		    SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				listen_backoff(sv, 1, "accept-no-descriptors");
			else if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("service=%s reason=accept",
				    sv->sv_conf->sc_name);
			return;
		}
		access_normalize(&peer);
		if (!fair_fd_spare(sd, fd)) {
			accept_refuse(sv, fd, &peer, REFUSE_FDS);
			continue;
		}
		if (sv->sv_conf->sc_kind != NULL && sv->sv_conf->sc_kind->k_accept != NULL &&
		    sv->sv_conf->sc_kind->k_accept(sd, sv, fd, &peer) != 0)
			continue;
		if (!accept_check_limits(sd, sv, &peer, time(NULL), &why) &&
		    !accept_recheck(sd, sv, &peer, &why)) {
			accept_refuse(sv, fd, &peer, why);
			if (why == REFUSE_CPS)
				listen_backoff(sv, sv->sv_conf->sc_cps_backoff, "cps");
			else if (why == REFUSE_NOFD)
				listen_backoff(sv, 1, "accept-no-descriptors");
			continue;
		}
		accept_serve(sd, sv, fd, &peer);
	}
}
