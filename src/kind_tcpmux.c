/* SPDX-License-Identifier: ISC */
/*
 * tcpmux (RFC 1078): `tcpmux/NAME` and `tcpmux/+NAME` lines, native
 * `tcpmux = NAME`.  Each named service is a table entry without a socket
 * of its own (kind_tcpmux); for every address they are declared on, the
 * table gets one listener on port 1 (kind_tcpmux_port).  A connection to
 * it sends one line: the name is read on the event loop without blocking
 * (at most KIND_TCPMUX_LINE bytes, within KIND_TCPMUX_SECONDS), then
 * "help" lists the names, an unknown name gets a "-" line, and a known one
 * passes the named service's access checks and limits, gets "+Go" when it
 * is a `+` service, and is started on the connection.  Every refusal is
 * logged.  Only the line is read: what the client sends after it is left
 * for the service.
 */
#include <sys/socket.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "superd.h"

#define KIND_TCPMUX_LINE 256	 /* bytes of a name line, CRLF included */
#define KIND_TCPMUX_SECONDS 10	 /* to send it */
#define KIND_TCPMUX_PENDING 64	 /* connections sending it, per listener */

static int kind_tcpmux_open(struct superd *, struct service *);
static const char *kind_tcpmux_endpoint(const struct service *, char *,
    size_t);
static int kind_tcpmux_same(const struct service *, const struct service *);
static int kind_tcpmux_accept(struct superd *, struct service *, int,
    struct sockaddr_storage *);
static void kind_tcpmux_port_close(struct service *);

/* A named service: no socket of its own, reached through the port. */
const struct kind kind_tcpmux = {
	.k_kind = "tcpmux",
	.k_name = "tcpmux",
	.k_ip = 0,
	.k_open = kind_tcpmux_open,
	.k_endpoint = kind_tcpmux_endpoint,
	.k_same = kind_tcpmux_same,
};

/* The tcpmux port of one address: a plain TCP listener that reads a name. */
static const struct kind kind_tcpmux_port = {
	.k_kind = "tcpmux-port",
	.k_ip = 1,
	.k_inproc = 1,
	.k_accept = kind_tcpmux_accept,
	.k_close = kind_tcpmux_port_close,
};

/* A connection that is sending its name line. */
struct kind_tcpmux_conn {
	LIST_ENTRY(kind_tcpmux_conn) tc_entry; /* in kind_tcpmux_conns */
	struct superd *tc_sd;		 /* the daemon */
	struct service *tc_port;	 /* the listener, referenced */
	int tc_fd;			 /* the connection */
	struct sockaddr_storage tc_peer; /* who */
	struct event *tc_ev;		 /* read event with the deadline */
	time_t tc_deadline;		 /* monotonic second it ends */
	size_t tc_len;			 /* bytes of tc_line read */
	char tc_line[KIND_TCPMUX_LINE];	 /* the line so far */
};

/* The connections sending their line (this module's own registry). */
static LIST_HEAD(, kind_tcpmux_conn) kind_tcpmux_conns =
    LIST_HEAD_INITIALIZER(kind_tcpmux_conns);

/* Make SV the tcpmux service NAME ("+NAME": superd sends +Go); -1 with WHY. */
int
kind_tcpmux_setup(struct service *sv, const char *name, char *why, size_t len)
{
	struct service_conf *sc = service_conf_edit(sv);
	struct kind_conf *kc;
	int plus = name[0] == '+';
	size_t i;

	name += plus;
	if (*name == '\0' || strlen(name) > 64)
		return snprintf(why, len, "tcpmux service name \"%.64s\": must "
		    "be 1-64 characters", name), -1;
	for (i = 0; name[i] != '\0'; i++)
		if (name[i] <= ' ' || name[i] > '~')
			return snprintf(why, len, "tcpmux service name "
			    "\"%.64s\": only printable characters without "
			    "spaces", name), -1;
	if (sv->sv_socktype != SOCK_STREAM || sv->sv_proto != IPPROTO_TCP)
		return snprintf(why, len, "tcpmux service %s: needs a stream "
		    "tcp socket", name), -1;
	if ((kc = kind_conf_get(service_conf_edit(sv))) == NULL)
		return snprintf(why, len, "out of memory"), -1;
	free(kc->kc_name);
	if ((kc->kc_name = strdup(name)) == NULL)
		return snprintf(why, len, "out of memory"), -1;
	kc->kc_plus = plus;
	sc->sc_kind = &kind_tcpmux;
	return 0;
}

/* A named service opens nothing: its port is kind_tcpmux_port's. */
static int
kind_tcpmux_open(struct superd *sd, struct service *sv)
{
	sv->sv_sd = sd;
	return 0;
}

/* "tcpmux/NAME@address:1" ("+NAME" when superd sends +Go). */
static const char *
kind_tcpmux_endpoint(const struct service *sv, char *buf, size_t len)
{
	char a[64];

	svctab_addr_text(&sv->sv_addr, a, sizeof(a));
	snprintf(buf, len, sv->sv_addr.ss_family == AF_INET6 ?
	    "tcpmux/%s%s@[%s]:%d" : "tcpmux/%s%s@%s:%d",
	    sv->sv_conf->sc_kconf->kc_plus ? "+" : "",
	    sv->sv_conf->sc_kconf->kc_name, a, KIND_TCPMUX_PORT);
	return buf;
}

/* Whether A and B are bound alike (address and IPV6_V6ONLY). */
static int
kind_tcpmux_same_addr(const struct service *a, const struct service *b)
{
	return a->sv_addrlen == b->sv_addrlen && a->sv_v6only == b->sv_v6only &&
	    memcmp(&a->sv_addr, &b->sv_addr, a->sv_addrlen) == 0;
}

/* Whether A and B are the same name on the same address (names ignore case). */
static int
kind_tcpmux_same(const struct service *a, const struct service *b)
{
	return strcasecmp(a->sv_conf->sc_kconf->kc_name,
	    b->sv_conf->sc_kconf->kc_name) == 0 && kind_tcpmux_same_addr(a, b);
}

/* The tcpmux port of TAB for the address of SV, made if missing. */
static int
kind_tcpmux_port_for(struct svctab *tab, const struct service *sv)
{
	struct service_conf *sc;
	struct service_rare *r;
	struct service *p;

	TAILQ_FOREACH(p, &tab->st_services, sv_entry)
		if (p->sv_conf->sc_kind == &kind_tcpmux_port &&
		    kind_tcpmux_same_addr(p, sv))
			return 0;
	if ((p = service_new("tcpmux", sv->sv_conf->sc_file,
	    sv->sv_conf->sc_line)) == NULL)
		return -1;
	if ((r = service_conf_rare(p)) == NULL) {
		service_unref(p);
		return -1;
	}
	sc = service_conf_edit(p);
	sc->sc_kind = &kind_tcpmux_port;
	p->sv_socktype = SOCK_STREAM;
	p->sv_proto = IPPROTO_TCP;
	p->sv_addr = sv->sv_addr;
	p->sv_addrlen = sv->sv_addrlen;
	p->sv_v6only = sv->sv_v6only;
	sc->sc_instances = KIND_TCPMUX_PENDING;
	/* It runs nothing: it needs no privilege kept for it. */
	r->sc_caps_set = 1;
	TAILQ_INSERT_TAIL(&tab->st_services, p, sv_entry);
	return 0;
}

/*
 * Give TAB one tcpmux port per address its enabled tcpmux services use;
 * a tcpmux service must be nowait and run a program (errors reported).
 */
int
kind_tcpmux_listeners(struct svctab *tab)
{
	struct service *sv;

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		if (sv->sv_conf->sc_kind != &kind_tcpmux ||
		    sv->sv_conf->sc_disabled)
			continue;
		if (sv->sv_conf->sc_wait || sv->sv_conf->sc_builtin !=
		    BUILTIN_NONE) {
			svctab_error(tab, sv->sv_conf->sc_file,
			    sv->sv_conf->sc_line, "tcpmux service %s: must be "
			    "nowait and run a program",
			    sv->sv_conf->sc_kconf->kc_name);
			continue;
		}
		if (kind_tcpmux_port_for(tab, sv) == -1)
			return -1;
	}
	return 0;
}

/* Send TEXT on FD without blocking (best effort: the line is short). */
static void
kind_tcpmux_say(int fd, const char *text)
{
	(void)send(fd, text, strlen(text), MSG_DONTWAIT | MSG_NOSIGNAL);
}

/*
 * Close FD after a reply: what the client sent and superd did not read
 * is read first, as closing over it would reset the connection and could
 * lose the reply on the way.
 */
static void
kind_tcpmux_close(int fd)
{
	char buf[1024];
	int i;

	(void)shutdown(fd, SHUT_WR);
	for (i = 0; i < 64 && recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0;
	     i++)
		;
	close(fd);
}

/* End C: close its connection unless HANDED over, release the port. */
static void
kind_tcpmux_end(struct kind_tcpmux_conn *c, int handed)
{
	LIST_REMOVE(c, tc_entry);
	event_free(c->tc_ev);
	if (!handed)
		kind_tcpmux_close(c->tc_fd);
	c->tc_port->sv_nchild--;
	service_unref(c->tc_port);
	free(c);
}

/* Refuse C: a "-" line to the client, a log line, the end. */
static void
kind_tcpmux_refuse(struct kind_tcpmux_conn *c, const char *reply,
    const char *reason)
{
	char addr[64];

	log_info("service=tcpmux event=refuse peer=%s reason=%s",
	    log_addr(&c->tc_peer, addr, sizeof(addr)), reason);
	if (reply != NULL)
		kind_tcpmux_say(c->tc_fd, reply);
	kind_tcpmux_end(c, 0);
}

/* "help": every name served on the port of C, one a line. */
static void
kind_tcpmux_help(struct kind_tcpmux_conn *c)
{
	struct service *sv;
	char line[80], addr[64];

	TAILQ_FOREACH(sv, &c->tc_sd->sd_tab->st_services, sv_entry) {
		if (sv->sv_conf->sc_kind != &kind_tcpmux ||
		    sv->sv_conf->sc_disabled || !kind_tcpmux_same_addr(sv,
		    c->tc_port))
			continue;
		snprintf(line, sizeof(line), "%s\r\n",
		    sv->sv_conf->sc_kconf->kc_name);
		kind_tcpmux_say(c->tc_fd, line);
	}
	log_info("service=tcpmux event=help peer=%s",
	    log_addr(&c->tc_peer, addr, sizeof(addr)));
	kind_tcpmux_end(c, 0);
}

/* The enabled service named NAME on the port of C, or NULL. */
static struct service *
kind_tcpmux_find(struct kind_tcpmux_conn *c, const char *name)
{
	struct service *sv;

	TAILQ_FOREACH(sv, &c->tc_sd->sd_tab->st_services, sv_entry)
		if (sv->sv_conf->sc_kind == &kind_tcpmux &&
		    !sv->sv_conf->sc_disabled && kind_tcpmux_same_addr(sv,
		    c->tc_port) && strcasecmp(sv->sv_conf->sc_kconf->kc_name,
		    name) == 0)
			return sv;
	return NULL;
}

/* The whole line of C is in: help, a refusal, or the named service. */
static void
kind_tcpmux_line(struct kind_tcpmux_conn *c)
{
	enum refuse_reason why;
	struct service *sv;
	char *name = c->tc_line;

	name[strcspn(name, "\r\n")] = '\0';
	if (strcasecmp(name, "help") == 0) {
		kind_tcpmux_help(c);
		return;
	}
	if ((sv = kind_tcpmux_find(c, name)) == NULL) {
		kind_tcpmux_refuse(c, "-Service not available\r\n",
		    "tcpmux-unknown-name");
		return;
	}
	if (sv->sv_paused || !limits_check(c->tc_sd, sv, &c->tc_peer,
	    time(NULL), &why)) {
		kind_tcpmux_say(c->tc_fd, "-Service not available now\r\n");
		accept_refuse(sv, c->tc_fd, &c->tc_peer, sv->sv_paused ?
		    REFUSE_CPS : why);
		if (!sv->sv_paused && why == REFUSE_CPS)
			listen_backoff(sv, sv->sv_conf->sc_cps_backoff, "cps");
		kind_tcpmux_end(c, 1);
		return;
	}
	if (sv->sv_conf->sc_kconf->kc_plus)
		kind_tcpmux_say(c->tc_fd, "+Go\r\n");
	accept_serve(c->tc_sd, sv, c->tc_fd, &c->tc_peer);
	kind_tcpmux_end(c, 1);
}

/* Wait for more of the line of C until its deadline. */
static void
kind_tcpmux_wait(struct kind_tcpmux_conn *c)
{
	struct timespec now;
	struct timeval tv = { 0, 0 };

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (c->tc_deadline > now.tv_sec)
		tv.tv_sec = c->tc_deadline - now.tv_sec;
	event_add(c->tc_ev, &tv);
}

/*
 * The connection of C is readable, or its time is up.  Bytes are only
 * taken up to the end of the line: a peek finds it, a read takes it.
 */
static void
kind_tcpmux_read(evutil_socket_t fd, short what, void *arg)
{
	struct kind_tcpmux_conn *c = arg;
	size_t room = sizeof(c->tc_line) - 1 - c->tc_len;
	char *nl;
	ssize_t n;

	if (what & EV_TIMEOUT) {
		kind_tcpmux_refuse(c, "-Timeout\r\n", "tcpmux-timeout");
		return;
	}
	n = recv(fd, c->tc_line + c->tc_len, room, MSG_PEEK | MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR)) {
		kind_tcpmux_wait(c);
		return;
	}
	if (n <= 0) {
		kind_tcpmux_refuse(c, NULL, n == 0 ? "tcpmux-closed-before-name" :
		    "tcpmux-read-error");
		return;
	}
	nl = memchr(c->tc_line + c->tc_len, '\n', (size_t)n);
	if (nl != NULL)
		n = nl - (c->tc_line + c->tc_len) + 1;
	if (recv(fd, c->tc_line + c->tc_len, (size_t)n, MSG_DONTWAIT) != n) {
		kind_tcpmux_refuse(c, NULL, "tcpmux-read-error");
		return;
	}
	c->tc_len += (size_t)n;
	c->tc_line[c->tc_len] = '\0';
	if (nl != NULL)
		kind_tcpmux_line(c);
	else if (c->tc_len == sizeof(c->tc_line) - 1)
		kind_tcpmux_refuse(c, "-Line too long\r\n",
		    "tcpmux-line-too-long");
	else
		kind_tcpmux_wait(c);
}

/* A connection to the tcpmux port: read its name line on the event loop. */
static int
kind_tcpmux_accept(struct superd *sd, struct service *port, int fd,
    struct sockaddr_storage *peer)
{
	struct kind_tcpmux_conn *c;
	struct timespec now;
	char addr[64];

	if (port->sv_nchild >= KIND_TCPMUX_PENDING ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		log_info("service=tcpmux event=refuse peer=%s reason=tcpmux-pending",
		    log_addr(peer, addr, sizeof(addr)));
		kind_tcpmux_say(fd, "-Too many pending requests\r\n");
		close(fd);
		return 1;
	}
	c->tc_sd = sd;
	c->tc_port = port;
	c->tc_fd = fd;
	c->tc_peer = *peer;
	clock_gettime(CLOCK_MONOTONIC, &now);
	c->tc_deadline = now.tv_sec + KIND_TCPMUX_SECONDS;
	if ((c->tc_ev = event_new(sd->sd_base, fd, EV_READ, kind_tcpmux_read,
	    c)) == NULL) {
		log_warnx("service=tcpmux event=refuse reason=event_new");
		close(fd);
		free(c);
		return 1;
	}
	service_ref(port);
	port->sv_nchild++;
	LIST_INSERT_HEAD(&kind_tcpmux_conns, c, tc_entry);
	kind_tcpmux_wait(c);
	return 1;
}

/* The port SV closes (exit, or a reload without it): so do its pending lines. */
static void
kind_tcpmux_port_close(struct service *sv)
{
	struct kind_tcpmux_conn *c, *next;

	for (c = LIST_FIRST(&kind_tcpmux_conns); c != NULL; c = next) {
		next = LIST_NEXT(c, tc_entry);
		if (c->tc_port == sv)
			kind_tcpmux_refuse(c, "-Service closing\r\n",
			    "tcpmux-port-closed");
	}
}
