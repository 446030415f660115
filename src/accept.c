/* SPDX-License-Identifier: ISC */
/*
 * Per-connection path of a stream service: accept, the decision
 * (limits.c: access lists and times, TCP wrappers, the limits), then the
 * refusal (counted and logged with the limit that refused it, the fail
 * banner) or the service (a builtin or a child).  Nothing here looks a
 * name up.
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
	return limits_check(sd, sv, peer, time(NULL), why);
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
		if (!limits_check(sd, sv, &peer, time(NULL), &why) &&
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
