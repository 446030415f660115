/* SPDX-License-Identifier: ISC */
/*
 * Listening sockets: bind with the configured options, one persistent read
 * event each, pause and resume (wait services, back-off).  A wait service
 * resumes through the callback it hands to its child record.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "superd.h"

#define LISTEN_PEEK_BATCH 32 /* refused datagrams dropped per wake-up */
#define LISTEN_MARK_BYTES 256 /* bytes of a datagram its identity covers */

static void listen_event(struct service *);

/* Whether the listener of SV is non-blocking: the daemon itself reads it. */
static int
listen_nonblock(const struct service *sv)
{
	return sv->sv_conf->sc_builtin != BUILTIN_NONE ||
	    (sv->sv_socktype == SOCK_STREAM && !sv->sv_conf->sc_wait);
}

/* Set an int socket option, logging the failure. */
static int
listen_setopt(int fd, int level, int name, int value, const char *what,
    const char *ep)
{
	if (setsockopt(fd, level, name, &value, sizeof(value)) == -1) {
		log_warn("endpoint=%s reason=\"setsockopt %s\"", ep, what);
		return -1;
	}
	return 0;
}

/* Apply the listener options of SV to FD. */
static int
listen_options(struct service *sv, int fd, const char *ep)
{
	int v6 = sv->sv_addr.ss_family == AF_INET6;

	/*
	 * TCP only: on UDP, SO_REUSEADDR would let any local user bind the
	 * same address and port and take part of the datagrams.
	 */
	if (sv->sv_socktype == SOCK_STREAM && listen_setopt(fd, SOL_SOCKET,
	    SO_REUSEADDR, 1, "SO_REUSEADDR", ep) == -1)
		return -1;
	if (v6 && listen_setopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
	    sv->sv_v6only, "IPV6_V6ONLY", ep) == -1)
		return -1;
	if (sv->sv_conf->sc_reuseport && listen_setopt(fd, SOL_SOCKET, SO_REUSEPORT, 1,
	    "SO_REUSEPORT", ep) == -1)
		return -1;
	if (sv->sv_conf->sc_freebind && listen_setopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
	    v6 ? IPV6_FREEBIND : IP_FREEBIND, 1, "FREEBIND", ep) == -1)
		return -1;
	if (sv->sv_conf->sc_sndbuf > 0 && listen_setopt(fd, SOL_SOCKET, SO_SNDBUF,
	    sv->sv_conf->sc_sndbuf, "SO_SNDBUF", ep) == -1)
		return -1;
	if (sv->sv_conf->sc_rcvbuf > 0 && listen_setopt(fd, SOL_SOCKET, SO_RCVBUF,
	    sv->sv_conf->sc_rcvbuf, "SO_RCVBUF", ep) == -1)
		return -1;
	return 0;
}

/* Log, once, that SV could not be opened at step WHAT (errno appended). */
static void
listen_fail(const struct service *sv, const char *what)
{
	char ep[SVCTAB_EPLOG];

	log_warn("%s:%d: service=%s endpoint=%s reason=%s", sv->sv_conf->sc_file,
	    sv->sv_conf->sc_line, sv->sv_conf->sc_name,
	    svctab_endpoint_log(sv, ep, sizeof(ep)), what);
}

/* Open the listener of SV, as its kind does; the event comes with listen_arm. */
int
listen_open(struct superd *sd, struct service *sv)
{
	if (sv->sv_conf->sc_kind != NULL && sv->sv_conf->sc_kind->k_open != NULL)
		return sv->sv_conf->sc_kind->k_open(sd, sv);
	return listen_open_inet(sd, sv);
}

/* Open, configure and bind the IP socket of SV. */
int
listen_open_inet(struct superd *sd, struct service *sv)
{
	char ep[SVCTAB_EPLOG];
	int fd, nonblock, err;

	/* A socket handed to a child stays blocking, as inetd children expect. */
	nonblock = listen_nonblock(sv) ? SOCK_NONBLOCK : 0;
	svctab_endpoint_log(sv, ep, sizeof(ep));
	sv->sv_sd = sd;
	fd = socket(sv->sv_addr.ss_family,
	    sv->sv_socktype | nonblock | SOCK_CLOEXEC, sv->sv_proto);
	if (fd == -1) {
		listen_fail(sv, "socket");
		return -1;
	}
	if (listen_options(sv, fd, ep) == -1)
		goto fail;
	if (bind(fd, (struct sockaddr *)&sv->sv_addr, sv->sv_addrlen) == -1) {
		listen_fail(sv, "bind");
		goto fail;
	}
	if (sv->sv_socktype == SOCK_STREAM && listen(fd, sv->sv_conf->sc_backlog) == -1) {
		listen_fail(sv, "listen");
		goto fail;
	}
	sv->sv_fd = fd;
	return 0;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/* Open every enabled service of TAB; all or nothing. */
int
listen_open_all(struct superd *sd, struct svctab *tab)
{
	struct service *sv;

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		if (sv->sv_conf->sc_disabled || sv->sv_fd != -1)
			continue;
		if (listen_open(sd, sv) == -1) {
			TAILQ_FOREACH(sv, &tab->st_services, sv_entry)
				listen_close(sv);
			return -1;
		}
	}
	return 0;
}

/*
 * Give the kept socket of SV the settings of its new configuration: the
 * blocking mode its users expect and the backlog.  Options fixed at bind
 * (IPV6_V6ONLY) are part of the endpoint and never change here.
 */
void
listen_retune(struct service *sv)
{
	int fl;

	if (sv->sv_fd == -1)
		return;
	if ((fl = fcntl(sv->sv_fd, F_GETFL)) != -1)
		(void)fcntl(sv->sv_fd, F_SETFL, listen_nonblock(sv) ?
		    fl | O_NONBLOCK : fl & ~O_NONBLOCK);
	if (sv->sv_socktype == SOCK_STREAM)
		(void)listen(sv->sv_fd, sv->sv_conf->sc_backlog);
}

/* The enabled, unopened service of TAB bound where FD is, or NULL. */
static struct service *
listen_adopt_match(struct svctab *tab, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss), olen;
	struct service *sv;
	int type, proto;

	olen = sizeof(type);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &olen) == -1)
		return NULL;
	proto = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		const struct sockaddr_in6 *a = (const void *)&sv->sv_addr;
		const struct sockaddr_in6 *b = (const void *)&ss;

		if (sv->sv_conf->sc_disabled || sv->sv_fd != -1 || sv->sv_proto != proto ||
		    sv->sv_socktype != type || ss.ss_family != sv->sv_addr.ss_family)
			continue;
		if (ss.ss_family == AF_INET ?
		    memcmp(&sv->sv_addr, &ss, sizeof(struct sockaddr_in)) == 0 :
		    a->sin6_port == b->sin6_port &&
		    memcmp(&a->sin6_addr, &b->sin6_addr, 16) == 0)
			return sv;
	}
	return NULL;
}

/*
 * Take over the N sockets a service manager passed from fd 3 on, each for
 * the declared service on its endpoint; a socket nobody declared is closed.
 */
int
listen_adopt(struct superd *sd, struct svctab *tab, int n)
{
	struct service *sv;
	char ep[SVCTAB_EPLOG];
	int fd, adopted = 0;

	for (fd = 3; fd < 3 + n; fd++) {
		if ((sv = listen_adopt_match(tab, fd)) == NULL) {
			log_warnx("event=adopt fd=%d reason=\"not declared, "
			    "closed\"", fd);
			close(fd);
			continue;
		}
		if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 ||
		    fcntl(fd, F_SETFL, listen_nonblock(sv) ? O_NONBLOCK : 0) == -1) {
			log_warn("event=adopt fd=%d", fd);
			close(fd);
			continue;
		}
		sv->sv_fd = fd;
		sv->sv_sd = sd;
		adopted++;
		log_info("event=adopt service=%s endpoint=%s fd=%d",
		    sv->sv_conf->sc_name, svctab_endpoint_log(sv, ep,
		    sizeof(ep)), fd);
	}
	return adopted;
}

/*
 * Make an open listener ready for the loop (the listeners' set exists),
 * not yet watched; -1 logged.
 */
int
listen_prepare(struct superd *sd, struct service *sv)
{
	if (sv->sv_fd == -1 || sv->sv_armed)
		return 0;
	sv->sv_sd = sd;
	if (sv->sv_conf->sc_kind != NULL && sv->sv_conf->sc_kind->k_arm != NULL)
		sv->sv_conf->sc_kind->k_arm(sd, sv);
	if (listen_set_open(sd, listen_event) == 0) {
		sv->sv_armed = 1;
		return 0;
	}
	listen_fail(sv, "event");
	return -1;
}

/* Watch an open listener (unless paused); -1, logged, when it cannot be. */
int
listen_arm(struct superd *sd, struct service *sv)
{
	if (sv->sv_fd == -1)
		return 0;
	if (listen_prepare(sd, sv) == -1)
		return -1;
	if (sv->sv_paused || listen_set_add(sv) == 0)
		return 0;
	listen_fail(sv, "event_add");
	return -1;
}

/* Log what a child of the open listener SV runs with (start and reload). */
void
listen_log(const struct service *sv)
{
	char ep[SVCTAB_EPLOG], privs[256];
	int inproc = sv->sv_conf->sc_builtin != BUILTIN_NONE ||
	    (sv->sv_conf->sc_kind != NULL && sv->sv_conf->sc_kind->k_inproc);

	log_info("event=listen service=%s endpoint=%s privileges=%s",
	    sv->sv_conf->sc_name, svctab_endpoint_log(sv, ep, sizeof(ep)),
	    inproc ? "in-process" :
	    priv_describe(sv, privs, sizeof(privs)));
}

/* Close the listener of SV; its running children are left alone. */
void
listen_close(struct service *sv)
{
	listen_set_del(sv);
	sv->sv_armed = 0;
	if (sv->sv_run != NULL && sv->sv_run->ru_timer != NULL) {
		event_free(sv->sv_run->ru_timer);
		sv->sv_run->ru_timer = NULL;
	}
	if (sv->sv_fd != -1) {
		if (sv->sv_conf->sc_kind != NULL && sv->sv_conf->sc_kind->k_close != NULL)
			sv->sv_conf->sc_kind->k_close(sv);
		close(sv->sv_fd);
		sv->sv_fd = -1;
	}
	refuse_free(sv);
}

/* Stop watching the listener of SV. */
static void
listen_pause(struct service *sv)
{
	listen_set_del(sv);
	sv->sv_paused = 1;
}

/* Watch the listener of SV again. */
static void
listen_resume(struct service *sv)
{
	sv->sv_paused = 0;
	if (sv->sv_armed && listen_set_add(sv) == -1)
		log_warn("service=%s event=resume result=failed",
		    sv->sv_conf->sc_name);
}

/* Whether SV waits for a child before it may listen again. */
static int
listen_holds(const struct service *sv)
{
	return sv->sv_socktype == SOCK_DGRAM || sv->sv_conf->sc_wait ?
	    sv->sv_nchild > 0 && sv->sv_conf->sc_builtin == BUILTIN_NONE : 0;
}

/* The back-off of SV is over: say so and listen again. */
static void
listen_backoff_end(evutil_socket_t fd, short what, void *arg)
{
	struct service *sv = arg;

	(void)fd;
	(void)what;
	log_info("service=%s event=resume reason=backoff-over", sv->sv_conf->sc_name);
	if (!listen_holds(sv))
		listen_resume(sv);
}

/* The monotonic clock's second. */
static time_t
listen_now(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec;
}

/* Whether SV is paused by a back-off that has not ended yet. */
int
listen_backing_off(const struct service *sv)
{
	return sv->sv_run != NULL && sv->sv_run->ru_timer != NULL &&
	    evtimer_pending(sv->sv_run->ru_timer, NULL);
}

/* Pause SV for SECONDS because of WHY; it always comes back by itself. */
void
listen_backoff(struct service *sv, int seconds, const char *why)
{
	struct timeval tv = { seconds, 0 };
	struct service_run *ru = service_run(sv);

	if (ru != NULL && ru->ru_timer == NULL)
		ru->ru_timer = evtimer_new(sv->sv_sd->sd_base,
		    listen_backoff_end, sv);
	if (ru == NULL || ru->ru_timer == NULL) {
		/* Out of memory: serve on rather than pause for good. */
		log_warnx("service=%s event=pause result=failed "
		    "reason=%s error=\"out of memory\"", sv->sv_conf->sc_name, why);
		return;
	}
	if (evtimer_pending(ru->ru_timer, NULL))
		return;
	if (evtimer_add(ru->ru_timer, &tv) == -1) {
		log_warnx("service=%s event=pause result=failed reason=%s",
		    sv->sv_conf->sc_name, why);
		return;
	}
	listen_pause(sv);
	ru->ru_pause_reason = why;
	ru->ru_pause_until = listen_now() + seconds;
	log_warnx("service=%s event=pause reason=%s seconds=%d", sv->sv_conf->sc_name,
	    why, seconds);
}

/*
 * An identity of the first datagram queued on SV: its source, length and
 * first bytes, hashed (FNV-1a); 0 when the queue is empty.  It tells at
 * the exit of a wait server whether the datagram it was started for is
 * still there, unread.
 */
static uint64_t
listen_dgram_mark(const struct service *sv)
{
	struct sockaddr_storage peer;
	unsigned char buf[LISTEN_MARK_BYTES];
	const unsigned char *p[3];
	socklen_t len = sizeof(peer);
	uint64_t h = 14695981039346656037ULL;
	size_t n[3], i, k;
	ssize_t got;

	memset(&peer, 0, sizeof(peer));
	got = recvfrom(sv->sv_fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT |
	    MSG_TRUNC, (struct sockaddr *)&peer, &len);
	if (got < 0)
		return 0;
	p[0] = (const unsigned char *)&got, n[0] = sizeof(got);
	p[1] = (const unsigned char *)&peer, n[1] = len;
	p[2] = buf, n[2] = (size_t)got < sizeof(buf) ? (size_t)got : sizeof(buf);
	for (k = 0; k < 3; k++)
		for (i = 0; i < n[k]; i++)
			h = (h ^ p[k][i]) * 1099511628211ULL;
	return h | 1;
}

/*
 * Whether a wait service loops: its child exited within a second leaving
 * its work undone, DEF_LOOP_MAX times in DEF_LOOP_WINDOW seconds.  For a
 * dgram service that means the datagram it was started for is still the
 * first one queued: a server that read it and exited (tftpd answering one
 * stray datagram a second) is not counted.  For a stream service: any exit
 * within a second, as the pending connection cannot be told apart.
 */
static int
listen_looping(struct service *sv, const struct child *ch)
{
	struct service_run *ru = sv->sv_run;
	struct timespec now;
	long ms;

	if (ru == NULL || (sv->sv_socktype == SOCK_DGRAM && (ru->ru_loop_mark == 0 ||
	    listen_dgram_mark(sv) != ru->ru_loop_mark)))
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - ch->ch_start.tv_sec) * 1000 +
	    (now.tv_nsec - ch->ch_start.tv_nsec) / 1000000;
	if (ms >= 1000)
		return 0;
	if (now.tv_sec - ru->ru_loop_start >= DEF_LOOP_WINDOW) {
		ru->ru_loop_start = now.tv_sec;
		ru->ru_loop_count = 0;
	}
	return ++ru->ru_loop_count >= DEF_LOOP_MAX;
}

/* The child of a wait service is gone: listen again unless it loops. */
static void
listen_child_done(struct child *ch, void *arg)
{
	struct service *sv = arg;

	if (sv->sv_fd == -1)
		return;
	if (listen_backing_off(sv))
		return;
	if (listen_looping(sv, ch)) {
		sv->sv_run->ru_loop_count = 0;
		listen_backoff(sv, DEF_LOOP_BACKOFF, "looping");
		return;
	}
	listen_resume(sv);
}

/* Whether SV has an access list or access times to apply. */
static int
listen_has_access(const struct service *sv)
{
	return sv->sv_conf->sc_rare->sc_only_from.acl_n > 0 || sv->sv_conf->sc_rare->sc_no_access.acl_n > 0 ||
	    sv->sv_conf->sc_rare->sc_ntimes > 0 || sv->sv_conf->sc_wrap;
}

/*
 * A dgram wait service: look at the source of the first queued datagram
 * without taking it (MSG_PEEK).  A refused one is read and dropped, and the
 * next is looked at, up to a batch.  1 when a permitted datagram waits for
 * a server, 0 when none does (the queue is empty or the batch is spent).
 */
static int
listen_dgram_permitted(struct service *sv)
{
	struct sockaddr_storage peer;
	enum refuse_reason why;
	socklen_t len;
	char byte;
	int i, wrap;

	for (i = 0; i < LISTEN_PEEK_BATCH; i++) {
		len = sizeof(peer);
		memset(&peer, 0, sizeof(peer));
		if (recvfrom(sv->sv_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT,
		    (struct sockaddr *)&peer, &len) == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_warn("service=%s reason=\"peek at datagram\"",
				    sv->sv_conf->sc_name);
			return 0;
		}
		access_normalize(&peer);
		if (!access_check_acl(sv, &peer))
			why = REFUSE_ACL;
		else if (!access_check_time(sv, time(NULL)))
			why = REFUSE_TIME;
		else if ((wrap = wrap_permits(sv, &peer)) != 1)
			why = wrap == 0 ? REFUSE_WRAP : REFUSE_NOFD;
		else
			return 1;
		/* Take the refused datagram off the queue; UDP drops the rest. */
		(void)recv(sv->sv_fd, &byte, 1, MSG_DONTWAIT);
		refuse_note(sv, &peer, why);
	}
	return 0;
}

/* Hand the listening socket of SV to one child and pause until it exits. */
static void
listen_spawn_waiter(struct superd *sd, struct service *sv)
{
	struct child *ch;
	pid_t pid;

	if (sv->sv_socktype == SOCK_DGRAM && listen_has_access(sv) &&
	    !listen_dgram_permitted(sv))
		return;
	if (sv->sv_socktype == SOCK_DGRAM && service_run(sv) != NULL)
		sv->sv_run->ru_loop_mark = listen_dgram_mark(sv);
	if ((pid = spawn_child(sv, sv->sv_fd, NULL)) == -1) {
		refuse_count(sv, REFUSE_FORK);
		listen_backoff(sv, 1, "fork");
		return;
	}
	listen_pause(sv);
	if ((ch = reap_add(sd, pid, sv, NULL, 0)) == NULL)
		return;
	ch->ch_done = listen_child_done;
	ch->ch_arg = sv;
	log_info("service=%s event=start pid=%ld", sv->sv_conf->sc_name, (long)pid);
}

/* A listener is readable: accept, answer a builtin, or hand it over. */
static void
listen_event(struct service *sv)
{
	struct superd *sd = sv->sv_sd;

	if (sv->sv_socktype == SOCK_STREAM && !sv->sv_conf->sc_wait)
		accept_stream(sd, sv);
	else if (sv->sv_conf->sc_builtin != BUILTIN_NONE)
		builtin_dgram(sd, sv);
	else
		listen_spawn_waiter(sd, sv);
}
