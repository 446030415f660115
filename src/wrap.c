/* SPDX-License-Identifier: ISC */
/*
 * TCP wrappers: /etc/hosts.allow and /etc/hosts.deny through libwrap, as
 * Debian's inetd and xinetd check them, with the daemon name they use
 * (the server's basename; the service name for builtins and for services
 * converted from xinetd).
 *
 * Nothing is read per connection and no DNS lookup may block the daemon.
 * The two files are read into memory (wrap_rules.c) at every load (start,
 * reload, -t) and whenever inotify reports one of them complete (closed
 * after writing, renamed into place) or removed.  While every rule names
 * clients by address, network, ALL or EXCEPT only, and has no options
 * (spawn, twist, ...), the daemon decides from the peer's address and
 * those rules in memory, exactly as libwrap would, and libwrap is not
 * needed.  When a rule needs more (a host name, LOCAL, KNOWN, PARANOID,
 * user@host, a pattern file, options), a command service is checked by
 * libwrap in its own forked child before exec, where a slow lookup costs
 * that connection only, and options run there as under tcpd; a builtin is
 * then decided in the daemon from the address, as for a client whose host
 * name is unknown (superd(8)): from memory too, unless a rule needs a
 * netgroup, a user, a file, a wildcard or options even then, when libwrap
 * decides and reads the files.
 * libwrap (and libnsl, libtirpc and Kerberos behind it) is opened only
 * then (wrap_open, dynlib.c), so a daemon without such rules never maps
 * it.
 */
#include <sys/inotify.h>
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>
#include <tcpd.h>

#include "superd.h"

#ifndef WRAP_SONAME
#define WRAP_SONAME "libwrap.so.0"
#endif

/* libwrap, opened by wrap_open: its functions and the variables it reads. */
static struct wrap_lib {
	int (*wl_hosts_ctl)(char *, char *, char *, char *);
	struct request_info *(*wl_request_init)(struct request_info *, ...);
	void (*wl_fromhost)(struct request_info *);
	int (*wl_hosts_access)(struct request_info *);
	int *wl_dry_run;	/* options are only checked, not run */
	int *wl_allow_severity; /* its logging levels */
	int *wl_deny_severity;
} wrap_lib;

#define WRAP_DIR "/etc"
#define WRAP_ALLOW "/etc/hosts.allow"
#define WRAP_DENY "/etc/hosts.deny"
#define WRAP_FILE_EVENTS (IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF)

/* What the daemon knows of the two files. */
struct wrap_state {
	struct wrap_rules ws_rules; /* as last read */
	int ws_loaded;		    /* ws_rules were read */
	int ws_unread;		    /* a file could not be read: libwrap decides */
	int ws_fd;		    /* inotify descriptor, -1 for none */
	struct event *ws_ev;	    /* read event on ws_fd */
};
static struct wrap_state wrap_state = { .ws_fd = -1 };

static int wrap_lib_open(void);
static int wrap_memory(void);
static int wrap_simple(void);

/* Read the file PATH (hosts.deny when DENY) into RULES; -1 if unreadable. */
static int
wrap_read_file(struct wrap_rules *rules, const char *path, int deny)
{
	FILE *fp;
	int rc;

	if ((fp = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return 0;	/* libwrap: no file, no rule */
		log_warn("event=tcp-wrappers file=%s decided=by-libwrap", path);
		return -1;
	}
	if ((rc = wrap_rules_read(rules, fp, deny)) == -1)
		log_warnx("event=tcp-wrappers file=%s reason=\"out of memory\" "
		    "decided=by-libwrap", path);
	fclose(fp);
	return rc;
}

/* (Re)read both files into memory; WHY is logged. */
static void
wrap_load(const char *why)
{
	struct wrap_state *ws = &wrap_state;

	if (ws->ws_loaded)
		wrap_rules_clear(&ws->ws_rules);
	wrap_rules_init(&ws->ws_rules);
	ws->ws_loaded = 1;
	ws->ws_unread = wrap_read_file(&ws->ws_rules, WRAP_ALLOW, 0) == -1;
	ws->ws_unread |= wrap_read_file(&ws->ws_rules, WRAP_DENY, 1) == -1;
	log_info("event=tcp-wrappers action=read why=%s rules=%zu decided=%s "
	    "builtins=%s", why, ws->ws_rules.wr_n, wrap_simple() ?
	    "in-daemon" : "by-libwrap", wrap_memory() ? "in-daemon" :
	    "by-libwrap");
}

/* Watch the two files themselves (a new inode after a rename too). */
static void
wrap_watch_files(int fd)
{
	(void)inotify_add_watch(fd, WRAP_ALLOW, WRAP_FILE_EVENTS);
	(void)inotify_add_watch(fd, WRAP_DENY, WRAP_FILE_EVENTS);
}

/*
 * inotify says something changed: read the files again if they did (and
 * open libwrap if the new rules need it).
 */
static void
wrap_watch_read(evutil_socket_t fd, short what, void *arg)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct
	    inotify_event))));
	const struct inotify_event *ev;
	int changed = 0;
	ssize_t n;
	char *p;

	(void)what;
	(void)arg;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(void *)p;
			if (ev->len == 0 ? (ev->mask & WRAP_FILE_EVENTS) != 0 :
			    strcmp(ev->name, "hosts.allow") == 0 ||
			    strcmp(ev->name, "hosts.deny") == 0)
				changed = 1;
		}
	if (!changed)
		return;
	wrap_watch_files(fd);
	wrap_load("changed");
	if (!wrap_simple())
		(void)wrap_lib_open();
}

/*
 * Watch the files for the daemon's life: /etc for a file renamed, made or
 * removed, each file for a write in place (a bind mount too).  Without
 * inotify the files are read again at each reload only (logged).
 */
void
wrap_start(struct event_base *base)
{
	struct wrap_state *ws = &wrap_state;

	if (ws->ws_fd != -1)
		return;
	if ((ws->ws_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1 ||
	    inotify_add_watch(ws->ws_fd, WRAP_DIR, IN_CLOSE_WRITE | IN_MOVED_TO |
	    IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR) == -1 || (ws->ws_ev =
	    event_new(base, ws->ws_fd, EV_READ | EV_PERSIST, wrap_watch_read,
	    NULL)) == NULL || event_add(ws->ws_ev, NULL) == -1) {
		log_warn("event=tcp-wrappers reason=\"cannot watch %s and %s: "
		    "changes take effect at the next reload\"", WRAP_ALLOW,
		    WRAP_DENY);
		wrap_stop();
		return;
	}
	wrap_watch_files(ws->ws_fd);
}

/* Stop watching and forget the rules. */
void
wrap_stop(void)
{
	struct wrap_state *ws = &wrap_state;

	if (ws->ws_ev != NULL)
		event_free(ws->ws_ev);
	ws->ws_ev = NULL;
	if (ws->ws_fd != -1)
		close(ws->ws_fd);
	ws->ws_fd = -1;
	if (ws->ws_loaded)
		wrap_rules_clear(&ws->ws_rules);
	ws->ws_loaded = 0;
}

/* Whether the daemon decides every rule from the address and memory alone. */
static int
wrap_simple(void)
{
	if (!wrap_state.ws_loaded)
		wrap_load("first-use");
	return wrap_state.ws_rules.wr_simple && !wrap_state.ws_unread;
}

/*
 * Whether the daemon decides every rule from memory for a builtin, whose
 * client's host name it takes as unknown (no netgroup, file or options).
 */
static int
wrap_memory(void)
{
	return wrap_simple() || (wrap_state.ws_rules.wr_memory &&
	    !wrap_state.ws_unread);
}

/* The daemon name SV is checked under. */
const char *
wrap_name(const struct service *sv)
{
	const char *slash;

	if (sv->sv_conf->sc_wrap_name != NULL)
		return sv->sv_conf->sc_wrap_name;
	if (sv->sv_conf->sc_builtin != BUILTIN_NONE || sv->sv_conf->sc_server ==
	    NULL)
		return sv->sv_conf->sc_name;
	slash = strrchr(sv->sv_conf->sc_server, '/');
	return slash != NULL ? slash + 1 : sv->sv_conf->sc_server;
}

/*
 * Whether a child of SV checks the rules itself, before exec (libwrap is
 * opened here, in the daemon, for it: the child may share its memory).
 */
int
wrap_in_child(const struct service *sv)
{
	if (!sv->sv_conf->sc_wrap || sv->sv_conf->sc_builtin != BUILTIN_NONE ||
	    wrap_simple())
		return 0;
	(void)wrap_lib_open();
	return 1;
}

/*
 * Whether a refusal by libwrap came from rules it could not read for lack
 * of a descriptor (it then refuses): probe, as it opens them.
 */
static int
wrap_out_of_fds(void)
{
	int fd;

	if ((fd = open(WRAP_ALLOW, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == EMFILE || errno == ENFILE;
	close(fd);
	return 0;
}

/*
 * Whether the rules let PEER use SV (1) or not (0), decided in the daemon
 * without any lookup: the address, and "unknown" for the host name and
 * user; from memory while the rules are simple, else by libwrap (a
 * builtin).  -1: libwrap could not read them, no descriptor left (not a
 * refusal by the rules).  A command service whose rules need more is let
 * through here: its child checks (wrap_child).
 */
int
wrap_permits(const struct service *sv, const struct sockaddr_storage *peer)
{
	char addr[64];
	int ok;

	if (!sv->sv_conf->sc_wrap || peer == NULL || peer->ss_family == 0)
		return 1;
	if (!wrap_simple() && sv->sv_conf->sc_builtin == BUILTIN_NONE)
		return 1;	/* its child decides (wrap_in_child) */
	log_inaddr(peer->ss_family, peer->ss_family == AF_INET ?
	    (const void *)&((const struct sockaddr_in *)peer)->sin_addr :
	    (const void *)&((const struct sockaddr_in6 *)peer)->sin6_addr,
	    addr, sizeof(addr));
	if (wrap_memory())	/* in memory: no file read, no lookup */
		return wrap_rules_permit(&wrap_state.ws_rules, wrap_name(sv),
		    addr);
	if (wrap_lib_open() == -1)
		return 0;	/* fail closed; wrap_lib_open logged why */
	*wrap_lib.wl_dry_run = 1; /* options are never run in the daemon */
	ok = wrap_lib.wl_hosts_ctl((char *)wrap_name(sv), STRING_UNKNOWN, addr,
	    STRING_UNKNOWN);
	*wrap_lib.wl_dry_run = 0;
	return ok ? 1 : wrap_out_of_fds() ? -1 : 0;
}

/*
 * In the forked child of SV, before exec: whether the rules let the
 * client on FD (the connection, or a dgram socket whose first datagram
 * is looked at) use it, host name lookups and options included.  A
 * refused datagram is taken off the queue.
 */
int
wrap_child(const struct service *sv, int fd)
{
	struct request_info req;
	char byte;

	if (wrap_lib.wl_hosts_access == NULL)
		return 0;	/* libwrap could not be opened (logged) */
	wrap_lib.wl_request_init(&req, RQ_DAEMON, wrap_name(sv), RQ_FILE, fd,
	    0);
	wrap_lib.wl_fromhost(&req);
	if (wrap_lib.wl_hosts_access(&req))
		return 1;
	if (sv->sv_socktype == SOCK_DGRAM)
		(void)recv(fd, &byte, 1, MSG_DONTWAIT);
	return 0;
}

/*
 * Open libwrap (once; it stays open).  0 done; -1 (the reason in WHY) when
 * it cannot be.
 */
static int
wrap_lib_load(char *why, size_t len)
{
	static const char *const names[] = { "hosts_ctl", "request_init",
		"sock_host", "hosts_access", "dry_run", "allow_severity",
		"deny_severity" };
	void *syms[sizeof(names) / sizeof(names[0])];
	struct wrap_lib *l = &wrap_lib;

	if (l->wl_hosts_ctl != NULL)
		return 0;
	if (dynlib_load(WRAP_SONAME, names, syms, sizeof(names) /
	    sizeof(names[0]), why, len) == -1)
		return -1;
	l->wl_request_init = (struct request_info *(*)(
	    struct request_info *, ...))syms[1];
	l->wl_fromhost = (void (*)(struct request_info *))syms[2];
	l->wl_hosts_access = (int (*)(struct request_info *))syms[3];
	l->wl_dry_run = syms[4];
	l->wl_allow_severity = syms[5];
	l->wl_deny_severity = syms[6];
	*l->wl_allow_severity = LOG_INFO;
	*l->wl_deny_severity = LOG_WARNING;
	l->wl_hosts_ctl = (int (*)(char *, char *, char *, char *))syms[0];
	return 0;
}

/*
 * libwrap for rules that appeared while the daemon runs: opened once; -1
 * (logged once) when it cannot be, and the client is refused.
 */
static int
wrap_lib_open(void)
{
	static int logged;
	char why[256];

	if (wrap_lib_load(why, sizeof(why)) == 0)
		return 0;
	if (!logged++)
		log_warnx("event=tcp-wrappers result=error reason=\"libwrap "
		    "cannot be loaded: %s\": clients of wrapped services are "
		    "refused", why);
	return -1;
}

/*
 * At load: read hosts.allow and hosts.deny into memory, and open libwrap
 * when a service of TAB uses TCP wrappers and a rule needs more than the
 * address (address-only rules, or none, are decided without it).  -1 (an
 * error of TAB) when it cannot be.
 */
int
wrap_open(struct svctab *tab)
{
	const struct service *sv;
	char why[256];

	wrap_load("load");
	TAILQ_FOREACH(sv, &tab->st_services, sv_entry)
		if (sv->sv_conf->sc_wrap && !sv->sv_conf->sc_disabled)
			break;
	if (sv == NULL || wrap_simple())
		return 0;
	if (wrap_lib_load(why, sizeof(why)) == -1) {
		svctab_error(tab, sv->sv_conf->sc_file, sv->sv_conf->sc_line,
		    "service %s uses TCP wrappers and %s or %s has rules, but "
		    "libwrap cannot be loaded: %s", sv->sv_conf->sc_name,
		    WRAP_ALLOW, WRAP_DENY, why);
		return -1;
	}
	return 0;
}
