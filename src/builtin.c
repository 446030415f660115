/* SPDX-License-Identifier: ISC */
/*
 * The in-process services: echo (RFC 862), discard (863), chargen (864),
 * daytime (867) and time (868), over TCP and UDP, served on the daemon's
 * event loop without forking.
 *
 * A TCP session is one bufferevent with bounded buffers and an idle
 * timeout, registered in the child table (pid 0) so instance and per-source
 * accounting treat it like a child.  An echo client whose whole request
 * and EOF are queued by the time it is accepted (a short request-reply
 * client) is answered at once, without a bufferevent: the same child-table
 * entry and log lines, a third of the system calls.  A UDP service answers datagrams in
 * bounded batches behind a reflector guard: no answer to reserved source
 * ports, to non-unicast sources, or beyond DEF_DGRAM_RATE replies a second.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "superd.h"

#define BUILTIN_READ_MAX 16384	   /* input buffered before reading pauses */
#define BUILTIN_ECHO_MAX 65536	   /* echo output queued before reading stops */
#define BUILTIN_CHARGEN_FILL 16384 /* chargen output kept queued */
#define BUILTIN_RING 95		   /* printable ASCII characters, ' ' to '~' */
#define BUILTIN_LINE 72		   /* characters of a chargen line */
#define BUILTIN_LINE_LEN (BUILTIN_LINE + 2) /* with \r\n */
#define BUILTIN_DGRAM_BATCH 32	   /* datagrams read per readable event */
#define BUILTIN_DGRAM_MAX 8192	   /* largest datagram read (and echoed) */
#define BUILTIN_CHARGEN_DGRAM 512  /* most characters in a chargen datagram */
#define BUILTIN_DAYTIME_MAX 64	   /* room for a daytime answer */
#define BUILTIN_NFS_PORT 2049	   /* answers garbage: never a reply target */
#define BUILTIN_EPOCH_1900 2208988800LL /* seconds from 1900 to 1970 */
#define BUILTIN_NSEC 1000000000LL  /* nanoseconds in a second */
#define BUILTIN_ECHO_NOW 4096	   /* echo request answered without a session */

/* One TCP session of a builtin. */
struct builtin_session {
	struct superd *bs_sd;	    /* the daemon, for reap_remove */
	struct child *bs_child;	    /* our entry in the child table */
	struct bufferevent *bs_bev; /* owns the connected socket */
	enum builtin_kind bs_kind;  /* what this session serves */
	unsigned int bs_offset;	    /* chargen: ring offset of the next line */
	int bs_draining;	    /* echo: peer is done, flush then end */
};

static void builtin_session_end(struct builtin_session *, const char *);

/* RFC 867 answer for T in local time, ctime-like, with \r\n; 0 if no room. */
size_t
builtin_daytime(time_t t, char *buf, size_t len)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	int n;

	/* Names from tables, not strftime: the answer must not follow a locale. */
	if (localtime_r(&t, &tm) == NULL || tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    tm.tm_mon < 0 || tm.tm_mon > 11)
		return 0;
	n = snprintf(buf, len, "%s %s %2d %02d:%02d:%02d %d\r\n",
	    days[tm.tm_wday], months[tm.tm_mon], tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
	if (n < 0 || (size_t)n >= len)
		return 0;
	return (size_t)n;
}

/* RFC 868 time of T: seconds since 1900, modulo 2^32, in host order. */
uint32_t
builtin_time(time_t t)
{
	return (uint32_t)((int64_t)t + BUILTIN_EPOCH_1900);
}

/* The chargen line at OFFSET of the ring, with \r\n; 0 if LEN is too small. */
size_t
builtin_chargen_line(unsigned int offset, char *buf, size_t len)
{
	size_t i;

	if (len < BUILTIN_LINE_LEN)
		return 0;
	offset %= BUILTIN_RING;
	for (i = 0; i < BUILTIN_LINE; i++)
		buf[i] = (char)(' ' + (offset + i) % BUILTIN_RING);
	buf[BUILTIN_LINE] = '\r';
	buf[BUILTIN_LINE + 1] = '\n';
	if (len > BUILTIN_LINE_LEN)
		buf[BUILTIN_LINE_LEN] = '\0';
	return BUILTIN_LINE_LEN;
}

/* Whether the IPv4 address A (network order) is no unicast source. */
static int
builtin_badaddr4(const uint8_t *a)
{
	/* 0/8 is "this network"; 224/4 multicast; 240/4 reserved and broadcast. */
	return a[0] == 0 || a[0] >= 224;
}

/* Whether PORT (host order) must never receive a reply: reserved, 0, NFS. */
static int
builtin_badport(unsigned int port)
{
	/* Below 1024 also stops loops between builtins on 7/9/13/19/37. */
	return port < 1024 || port == BUILTIN_NFS_PORT;
}

/*
 * Whether a datagram from SS must be dropped (OpenBSD inetd's dg_badinput):
 * a reserved or zero source port, or a source that is not one unicast host.
 * v4-mapped sources (IPv4 clients of a dual-stack socket) count as IPv4;
 * deprecated v4-compatible ones are refused.  Subnet-directed broadcast
 * sources are not recognised here: that needs the interface table.
 */
int
builtin_dgram_badport(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	const struct in6_addr *a6;

	if (ss->ss_family == AF_INET)
		return builtin_badport(ntohs(sin->sin_port)) ||
		    builtin_badaddr4((const uint8_t *)&sin->sin_addr);
	if (ss->ss_family != AF_INET6)
		return 1;
	a6 = &sin6->sin6_addr;
	if (builtin_badport(ntohs(sin6->sin6_port)))
		return 1;
	if (IN6_IS_ADDR_V4MAPPED(a6))
		return builtin_badaddr4(&a6->s6_addr[12]);
	return IN6_IS_ADDR_UNSPECIFIED(a6) || IN6_IS_ADDR_MULTICAST(a6) ||
	    IN6_IS_ADDR_V4COMPAT(a6);
}

/*
 * Take one reply token of SV's bucket at monotonic time NOW: 1 if a reply
 * may be sent, 0 if the service is over DEF_DGRAM_RATE.  The bucket holds
 * one second of replies and refills continuously.
 */
int
builtin_dgram_take(struct service *sv, const struct timespec *now)
{
	int64_t t = (int64_t)now->tv_sec * BUILTIN_NSEC + now->tv_nsec;
	struct service_run *ru;
	int64_t elapsed, add;

	if ((ru = service_run(sv)) == NULL)
		return 0;	/* out of memory: the guard holds */
	elapsed = t - ru->ru_dgram_stamp;
	if (ru->ru_dgram_stamp == 0 || elapsed >= BUILTIN_NSEC || elapsed < 0) {
		ru->ru_dgram_tokens = DEF_DGRAM_RATE;
		ru->ru_dgram_stamp = t;
	} else if ((add = elapsed * DEF_DGRAM_RATE / BUILTIN_NSEC) > 0) {
		/* Advance only by the time the new tokens stand for. */
		ru->ru_dgram_tokens += (int)add;
		if (ru->ru_dgram_tokens > DEF_DGRAM_RATE)
			ru->ru_dgram_tokens = DEF_DGRAM_RATE;
		ru->ru_dgram_stamp += add * BUILTIN_NSEC / DEF_DGRAM_RATE;
	}
	if (ru->ru_dgram_tokens <= 0)
		return 0;
	ru->ru_dgram_tokens--;
	return 1;
}

/*
 * A chargen datagram of a random 1-512 characters into BUF; its length.
 * RFC 864 allows 0, but an empty answer looks like none to most clients.
 */
static size_t
builtin_chargen_block(char *buf, size_t len)
{
	char line[BUILTIN_LINE_LEN + 1];
	size_t want, n = 0, k;
	unsigned int offset;

	want = 1 + (size_t)random() % BUILTIN_CHARGEN_DGRAM;
	if (want > len)
		want = len;
	offset = (unsigned int)random() % BUILTIN_RING;
	while (n < want) {
		builtin_chargen_line(offset++, line, sizeof(line));
		k = want - n < BUILTIN_LINE_LEN ? want - n : BUILTIN_LINE_LEN;
		memcpy(buf + n, line, k);
		n += k;
	}
	return n;
}

/*
 * The reply of builtin KIND to the datagram IN of N bytes, built in OUT
 * (echo answers with IN itself); -1 for no reply (discard).
 */
static ssize_t
builtin_dgram_answer(enum builtin_kind kind, const char *in, size_t n,
    char *out, size_t len, const char **reply)
{
	uint32_t t;

	*reply = out;
	switch (kind) {
	case BUILTIN_ECHO:
		*reply = in;
		return (ssize_t)n;
	case BUILTIN_CHARGEN:
		return (ssize_t)builtin_chargen_block(out, len);
	case BUILTIN_DAYTIME:
		return (ssize_t)builtin_daytime(time(NULL), out, len);
	case BUILTIN_TIME:
		t = htonl(builtin_time(time(NULL)));
		memcpy(out, &t, sizeof(t));
		return (ssize_t)sizeof(t);
	default:
		return -1;
	}
}

/*
 * Whether a datagram from PEER may be answered: REFUSE_COUNT if so, else the
 * reason it is dropped.  The reflector guard comes first: it is the cheapest.
 */
static enum refuse_reason
builtin_dgram_check(const struct service *sv,
    const struct sockaddr_storage *peer)
{
	struct sockaddr_storage norm = *peer;

	if (builtin_dgram_badport(peer))
		return REFUSE_REFLECT;
	/* Access lists see a v4-mapped client as the IPv4 host it is. */
	access_normalize(&norm);
	if (!access_check_acl(sv, &norm))
		return REFUSE_ACL;
	if (!access_check_time(sv, time(NULL)))
		return REFUSE_TIME;
	switch (wrap_permits(sv, &norm)) {
	case 0:
		return REFUSE_WRAP;
	case -1:
		return REFUSE_NOFD;
	}
	return REFUSE_COUNT;
}

/* Answer one datagram IN of N bytes from PEER; REFUSE_COUNT if served. */
static enum refuse_reason
builtin_dgram_one(struct service *sv, const char *in, size_t n,
    const struct sockaddr_storage *peer, socklen_t peerlen)
{
	char out[BUILTIN_DGRAM_MAX];
	enum refuse_reason why;
	const char *reply;
	struct timespec now;
	ssize_t len;

	if ((why = builtin_dgram_check(sv, peer)) != REFUSE_COUNT)
		return why;
	len = builtin_dgram_answer(sv->sv_conf->sc_builtin, in, n, out, sizeof(out),
	    &reply);
	if (len >= 0) {
		/*
		 * The rate guards count replies only: discard costs nothing.
		 * One network (/24, /64) first, so that its flood does not
		 * spend the whole service's budget.
		 */
		if (clock_gettime(CLOCK_MONOTONIC, &now) == -1 ||
		    !source_dgram_take(sv, peer, now.tv_sec))
			return REFUSE_PER_IP_RATE;
		if (!builtin_dgram_take(sv, &now))
			return REFUSE_REFLECT;
		/* A full socket buffer loses this answer, as UDP may. */
		if (sendto(sv->sv_fd, reply, (size_t)len,
		    MSG_DONTWAIT | MSG_NOSIGNAL, (const struct sockaddr *)peer,
		    peerlen) == -1)
			log_debug("service=%s builtin=%s verdict=unsent",
			    sv->sv_conf->sc_name, builtin_name(sv->sv_conf->sc_builtin));
	}
	sv->sv_accepted++;
	return REFUSE_COUNT;
}

/* Log, once per readable event, the COUNT datagrams refused, LAST among them. */
static void
builtin_dgram_log(const struct service *sv, int count,
    const struct sockaddr_storage *last, enum refuse_reason why)
{
	char addr[INET6_ADDRSTRLEN];

	log_debug("service=%s builtin=%s verdict=refused reason=%s count=%d "
	    "peer=%s port=%u", sv->sv_conf->sc_name, builtin_name(sv->sv_conf->sc_builtin),
	    access_reason_name(why), count, log_addr(last, addr, sizeof(addr)),
	    ntohs(((const struct sockaddr_in *)last)->sin_port));
}

/*
 * The UDP socket of SV is readable: answer up to BUILTIN_DGRAM_BATCH
 * datagrams, so that a flood cannot keep the loop here.
 */
void
builtin_dgram(struct superd *sd, struct service *sv)
{
	char buf[BUILTIN_DGRAM_MAX];
	struct sockaddr_storage peer, last;
	enum refuse_reason why, lastwhy = REFUSE_REFLECT;
	socklen_t peerlen;
	ssize_t n;
	int i, refused = 0;

	(void)sd;
	memset(&last, 0, sizeof(last));
	for (i = 0; i < BUILTIN_DGRAM_BATCH; i++) {
		peerlen = sizeof(peer);
		memset(&peer, 0, sizeof(peer));
		n = recvfrom(sv->sv_fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&peer, &peerlen);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_debug("service=%s builtin=%s recvfrom "
				    "failed: %s", sv->sv_conf->sc_name,
				    builtin_name(sv->sv_conf->sc_builtin),
				    strerror(errno));
			break;
		}
		why = builtin_dgram_one(sv, buf, (size_t)n, &peer, peerlen);
		if (why == REFUSE_COUNT)
			continue;
		refuse_count(sv, why);
		last = peer;
		lastwhy = why;
		refused++;
	}
	if (refused > 0)
		builtin_dgram_log(sv, refused, &last, lastwhy);
}

/* The reason word for the bufferevent events WHAT. */
static const char *
builtin_event_reason(short what)
{
	/* Without deferred callbacks, errno still holds the socket error. */
	if (what & BEV_EVENT_TIMEOUT)
		return "reason=timeout";
	if (what & BEV_EVENT_EOF)
		return "reason=eof";
	if (errno == ECONNRESET || errno == EPIPE)
		return "reason=reset";
	return "reason=error";
}

/* Queue chargen lines until BUILTIN_CHARGEN_FILL bytes are waiting. */
static int
builtin_chargen_fill(struct builtin_session *bs)
{
	struct evbuffer *out = bufferevent_get_output(bs->bs_bev);
	char line[BUILTIN_LINE_LEN + 1];

	while (evbuffer_get_length(out) < BUILTIN_CHARGEN_FILL) {
		builtin_chargen_line(bs->bs_offset, line, sizeof(line));
		bs->bs_offset = (bs->bs_offset + 1) % BUILTIN_RING;
		if (evbuffer_add(out, line, BUILTIN_LINE_LEN) == -1)
			return -1;
	}
	return 0;
}

/* Input arrived: echo moves it to the output, everyone else drops it. */
static void
builtin_session_read(struct bufferevent *bev, void *arg)
{
	struct builtin_session *bs = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer *out = bufferevent_get_output(bev);

	if (bs->bs_kind != BUILTIN_ECHO) {
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	if (evbuffer_add_buffer(out, in) == -1) {
		builtin_session_end(bs, "reason=nomem");
		return;
	}
	/* A peer that sends but does not read stalls here, not in our memory. */
	if (evbuffer_get_length(out) >= BUILTIN_ECHO_MAX)
		bufferevent_disable(bev, EV_READ);
}

/* Output drained below the low watermark: refill, resume reading, or end. */
static void
builtin_session_write(struct bufferevent *bev, void *arg)
{
	struct builtin_session *bs = arg;
	struct evbuffer *out = bufferevent_get_output(bev);

	switch (bs->bs_kind) {
	case BUILTIN_CHARGEN:
		if (builtin_chargen_fill(bs) == -1)
			builtin_session_end(bs, "reason=nomem");
		break;
	case BUILTIN_ECHO:
		if (bs->bs_draining && evbuffer_get_length(out) == 0)
			builtin_session_end(bs, "reason=eof");
		else if (!bs->bs_draining)
			bufferevent_enable(bev, EV_READ);
		break;
	case BUILTIN_DAYTIME:
	case BUILTIN_TIME:
		builtin_session_end(bs, "reason=done");
		break;
	default:
		break;
	}
}

/* EOF, error or idle timeout: the session ends (echo flushes on EOF first). */
static void
builtin_session_event(struct bufferevent *bev, short what, void *arg)
{
	struct builtin_session *bs = arg;
	struct evbuffer *out = bufferevent_get_output(bev);

	if (bs->bs_kind == BUILTIN_ECHO && (what & BEV_EVENT_EOF) &&
	    !(what & BEV_EVENT_ERROR) && evbuffer_get_length(out) > 0) {
		/* Half-closed peer (nc -N): send back what it sent, then end. */
		bs->bs_draining = 1;
		bufferevent_disable(bev, EV_READ);
		bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
		return;
	}
	builtin_session_end(bs, builtin_event_reason(what));
}

/* Free the session's socket and memory, not its child entry. */
static void
builtin_session_free(struct builtin_session *bs)
{
	if (bs->bs_bev != NULL)
		bufferevent_free(bs->bs_bev);
	free(bs);
}

/* The child table removed the session's entry (shutdown): free the rest. */
static void
builtin_session_reaped(struct child *ch, void *arg)
{
	(void)ch;
	builtin_session_free(arg);
}

/* End the session: close, then log and release accounting via reap. */
static void
builtin_session_end(struct builtin_session *bs, const char *reason)
{
	struct superd *sd = bs->bs_sd;
	struct child *ch = bs->bs_child;

	ch->ch_done = NULL;
	ch->ch_arg = NULL;
	builtin_session_free(bs);
	reap_remove(sd, ch, strcmp(reason, "reason=eof") == 0 ||
	    strcmp(reason, "reason=done") == 0, reason);
}

/* Callbacks, watermarks, timeouts and first output for the session's kind. */
static int
builtin_session_start(struct builtin_session *bs)
{
	struct timeval idle = { DEF_BUILTIN_TIMEOUT, 0 };
	struct bufferevent *bev = bs->bs_bev;
	const struct svctab *tab = bs->bs_sd->sd_tab;
	char answer[BUILTIN_DAYTIME_MAX];
	uint32_t t;
	size_t n;

	if (tab != NULL && tab->st_globals.gl_builtin_timeout > 0)
		idle.tv_sec = tab->st_globals.gl_builtin_timeout;
	bufferevent_setcb(bev, builtin_session_read, builtin_session_write,
	    builtin_session_event, bs);
	bufferevent_setwatermark(bev, EV_READ, 0, BUILTIN_READ_MAX);
	/* Idle: nothing read (echo, discard) or no write progress (all). */
	bufferevent_set_timeouts(bev,
	    bs->bs_kind == BUILTIN_ECHO || bs->bs_kind == BUILTIN_DISCARD ?
	    &idle : NULL, &idle);
	switch (bs->bs_kind) {
	case BUILTIN_ECHO:
		bufferevent_setwatermark(bev, EV_WRITE, BUILTIN_ECHO_MAX / 2, 0);
		return bufferevent_enable(bev, EV_READ | EV_WRITE);
	case BUILTIN_DISCARD:
		return bufferevent_enable(bev, EV_READ);
	case BUILTIN_CHARGEN:
		/* Read only to notice EOF; input is thrown away. */
		bufferevent_setwatermark(bev, EV_WRITE,
		    BUILTIN_CHARGEN_FILL / 2, 0);
		if (builtin_chargen_fill(bs) == -1)
			return -1;
		return bufferevent_enable(bev, EV_READ | EV_WRITE);
	case BUILTIN_DAYTIME:
		if ((n = builtin_daytime(time(NULL), answer, sizeof(answer))) == 0)
			return -1;
		return bufferevent_write(bev, answer, n);
	case BUILTIN_TIME:
		t = htonl(builtin_time(time(NULL)));
		return bufferevent_write(bev, &t, sizeof(t));
	default:
		return -1;
	}
}

/*
 * Echo on FD what is queued, when the client's EOF is queued too: 1 all
 * sent.  0 otherwise: BUF holds the *LEN bytes read and not sent (at most
 * CAP), *EOF says whether the client's EOF was read; the session goes on
 * from there (an error is left for it to see).
 */
static int
builtin_echo_now(int fd, char *buf, size_t cap, size_t *len, int *eof)
{
	ssize_t n;

	*len = 0;
	*eof = 0;
	while (*len < cap) {
		if ((n = recv(fd, buf + *len, cap - *len, MSG_DONTWAIT)) <= 0) {
			*eof = n == 0;
			break;
		}
		*len += (size_t)n;
	}
	if (!*eof)
		return 0;
	if ((n = send(fd, buf, *len, MSG_DONTWAIT | MSG_NOSIGNAL)) ==
	    (ssize_t)*len)
		return 1;
	if (n > 0) {
		*len -= (size_t)n;
		memmove(buf, buf + n, *len);
	}
	return 0;
}

/* Give an echo session the LEN bytes of BUF read before it, and the EOF. */
static int
builtin_echo_resume(struct builtin_session *bs, const char *buf, size_t len,
    int eof)
{
	struct bufferevent *bev = bs->bs_bev;

	if (len > 0 && evbuffer_add(bufferevent_get_output(bev), buf, len) == -1)
		return -1;
	if (eof) {
		bs->bs_draining = 1;
		bufferevent_disable(bev, EV_READ);
		bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
	}
	return 0;
}

/*
 * Serve the accepted TCP connection FD from PEER with SV's builtin.  Takes
 * FD in every case; 0 when the session runs (or echo already answered),
 * -1 if it could not start.
 */
int
builtin_stream(struct superd *sd, struct service *sv, int fd,
    const struct sockaddr_storage *peer)
{
	struct builtin_session *bs;
	char now[BUILTIN_ECHO_NOW];
	size_t len = 0;
	int eof = 0;
	struct child *ch;

	if (sv->sv_conf->sc_builtin == BUILTIN_ECHO &&
	    builtin_echo_now(fd, now, sizeof(now), &len, &eof) == 1) {
		ch = reap_add(sd, 0, sv, peer, 1);
		close(fd);
		if (ch != NULL)
			reap_remove(sd, ch, 1, "reason=eof");
		return ch != NULL ? 0 : -1;
	}
	if ((bs = calloc(1, sizeof(*bs))) == NULL) {
		log_warn("service=%s builtin session", sv->sv_conf->sc_name);
		close(fd);
		return -1;
	}
	bs->bs_sd = sd;
	bs->bs_kind = sv->sv_conf->sc_builtin;
	bs->bs_bev = bufferevent_socket_new(sd->sd_base, fd,
	    BEV_OPT_CLOSE_ON_FREE);
	if (bs->bs_bev == NULL) {
		log_warnx("service=%s builtin session: no bufferevent",
		    sv->sv_conf->sc_name);
		close(fd);
		free(bs);
		return -1;
	}
	if ((bs->bs_child = reap_add(sd, 0, sv, peer, 1)) == NULL) {
		builtin_session_free(bs);
		return -1;
	}
	/* If reap ends the entry first (shutdown), it frees the session too. */
	bs->bs_child->ch_done = builtin_session_reaped;
	bs->bs_child->ch_arg = bs;
	if (builtin_session_start(bs) == -1 || (sv->sv_conf->sc_builtin == BUILTIN_ECHO &&
	    builtin_echo_resume(bs, now, len, eof) == -1)) {
		log_warnx("service=%s builtin=%s session did not start",
		    sv->sv_conf->sc_name, builtin_name(sv->sv_conf->sc_builtin));
		builtin_session_end(bs, "reason=setup");
		return -1;
	}
	return 0;
}
