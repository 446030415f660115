/* SPDX-License-Identifier: ISC */
/*
 * The control socket: an AF_UNIX stream socket (mode 0600) on which root
 * asks the running daemon to reload, report its status or stop, and gets
 * the outcome back (control_proto.c has the protocol).  Every client is a
 * non-blocking bufferevent with a bounded request, a capped output queue
 * and an idle timeout, so that no client can stall the daemon.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "control.h"

/* The control socket path: $SUPERD_CONTROL, else SUPERD_CONTROL. */
const char *
control_default_path(void)
{
	const char *p = getenv("SUPERD_CONTROL");

	return p != NULL && *p != '\0' ? p : SUPERD_CONTROL;
}

/*
 * Make the directory of PATH (mode 0755) when it is missing; refuse one
 * that is not a directory, or that another user owns or may write to
 * (unless it is sticky, as /tmp is).
 */
static int
control_dir(const char *path)
{
	char dir[PATH_MAX], *slash;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		slash[slash == dir] = '\0';
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		log_warn("control=%s reason=\"cannot create %s\"", path, dir);
		return -1;
	}
	if (lstat(dir, &st) == -1) {
		log_warn("control=%s reason=\"cannot stat %s\"", path, dir);
		return -1;
	}
	if (!S_ISDIR(st.st_mode) || (st.st_uid != 0 && st.st_uid != geteuid()) ||
	    ((st.st_mode & 022) && !(st.st_mode & S_ISVTX))) {
		log_warnx("control=%s reason=\"%s is not a directory owned by "
		    "root that only root may write to\"", path, dir);
		return -1;
	}
	return 0;
}

/*
 * Remove the socket a daemon that is gone left at PATH; -2 when a daemon
 * listens there, -1 when PATH is not a socket or cannot be removed.
 */
static int
control_stale(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		log_warn("control=%s reason=stat", path);
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("control=%s reason=\"exists and is not a socket\"",
		    path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("control=%s reason=socket", path);
		return -1;
	}
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rc == 0 || errno != ECONNREFUSED) {
		log_warnx("control=%s reason=\"in use by a running daemon; stop it or choose another path with --control\"",
		    path);
		return -2;
	}
	if (unlink(path) == -1) {
		log_warn("control=%s reason=\"cannot remove the stale socket\"",
		    path);
		return -1;
	}
	log_info("control=%s event=stale-removed", path);
	return 0;
}

/* Say that the daemon runs without a control socket at PATH; 0. */
static int
control_off(const char *path)
{
	log_warnx("control=%s result=off reason=\"no control socket: superd "
	    "reload, status and stop cannot reach this daemon\"", path);
	return 0;
}

/* Bind and listen on PATH, mode 0600; the descriptor, or -1 (logged). */
static int
control_bind(const char *path, const struct sockaddr_un *sun, struct stat *st)
{
	mode_t old;
	int fd, rc;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("control=%s reason=socket", path);
		return -1;
	}
	old = umask(0177);
	rc = bind(fd, (const struct sockaddr *)sun, sizeof(*sun));
	umask(old);
	if (rc == -1) {
		log_warn("control=%s reason=bind", path);
		close(fd);
		return -1;
	}
	if (chmod(path, 0600) == -1 || listen(fd, CONTROL_CLIENTS_MAX) == -1 ||
	    lstat(path, st) == -1) {
		log_warn("control=%s reason=listen", path);
		unlink(path);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Open the control socket of SD at PATH before the daemon detaches, so
 * that a failure is told at start.  0, or -1 (logged) when a daemon
 * listens there, or when REQUIRED (--control named it) and it cannot be
 * made; otherwise the daemon runs without one and says so.
 */
int
control_open(struct superd *sd, const char *path, int required)
{
	struct sockaddr_un sun;
	struct control *ct;
	struct stat st;
	int fd, stale = 0;

	if (control_addr(path, &sun) == -1) {
		log_warnx("control=%s reason=\"path too long\"", path);
		return required ? -1 : control_off(path);
	}
	if (control_dir(path) == -1 || (stale = control_stale(path, &sun)) ==
	    -1 || (fd = control_bind(path, &sun, &st)) == -1)
		return required || stale == -2 ? -1 : control_off(path);
	if ((ct = calloc(1, sizeof(*ct))) == NULL ||
	    (ct->ct_path = strdup(path)) == NULL) {
		log_warn("control=%s reason=\"out of memory\"", path);
		free(ct);
		unlink(path);
		close(fd);
		return -1;
	}
	ct->ct_sd = sd;
	ct->ct_fd = fd;
	ct->ct_dev = st.st_dev;
	ct->ct_ino = st.st_ino;
	ct->ct_start = time(NULL);
	LIST_INIT(&ct->ct_clients);
	sd->sd_control = ct;
	return 0;
}

/* Close CC's connection and forget it. */
static void
control_client_free(struct control_client *cc)
{
	LIST_REMOVE(cc, cc_entry);
	cc->cc_ctl->ct_nclients--;
	bufferevent_free(cc->cc_bev);
	free(cc);
}

/* Queue the reply LINE (freed here; NULL: out of memory) for CC. */
static void
control_send(struct control_client *cc, char *line)
{
	static const char oom[] = "{\"v\":1,\"ok\":false,\"error\":\"out of "
	    "memory\"}\n";

	if (line == NULL) {
		log_warnx("event=control reason=\"out of memory for a reply\"");
		bufferevent_write(cc->cc_bev, oom, sizeof(oom) - 1);
		return;
	}
	bufferevent_write(cc->cc_bev, line, strlen(line));
	free(line);
}

/* Answer CC with the error WHY and close once it is out. */
static void
control_fail(struct control_client *cc, const char *why)
{
	char esc[ESCAPE_SIZE(64)];

	log_warnx("event=control result=error reason=%s",
	    escape_log(esc, sizeof(esc), why));
	control_send(cc, control_reply_error(why));
	cc->cc_closing = 1;
	bufferevent_disable(cc->cc_bev, EV_READ);
	evbuffer_drain(bufferevent_get_input(cc->cc_bev),
	    evbuffer_get_length(bufferevent_get_input(cc->cc_bev)));
}

/* What one reload logged. */
struct control_tap {
	json_t *ta_errors; /* the warning and error lines */
	json_t *ta_log;	   /* every line, "LEVEL: text", in order */
	int ta_n;	   /* lines seen */
};

/* A line was logged during the reload: keep it for the reply. */
static void
control_tap_line(void *arg, int pri, const char *line)
{
	struct control_tap *ta = arg;
	char *text;

	if (ta->ta_n++ >= CONTROL_TAP_MAX)
		return;
	if (pri <= LOG_WARNING)
		json_array_append_new(ta->ta_errors, control_json_str(line));
	if (asprintf(&text, "%s: %s", pri <= LOG_ERR ? "error" :
	    pri <= LOG_WARNING ? "warning" : pri <= LOG_INFO ? "info" :
	    "debug", line) == -1)
		return;
	json_array_append_new(ta->ta_log, control_json_str(text));
	free(text);
}

/* Reload SD now on behalf of SOURCE ("signal", "control"); record it. */
int
control_reload(struct superd *sd, const char *source)
{
	struct control *ct = sd->sd_control;
	int rc;

	rc = reload_run(sd);
	watch_rebuild(sd);	/* watch what the table now in force read */
	if (ct != NULL) {
		ct->ct_reload_time = time(NULL);
		ct->ct_reload_ok = rc == 0;
		ct->ct_reload_source = source;
		ct->ct_nreloads++;
	}
	return rc;
}

/* The periodic audit of SD ended with STATUS: record it for status. */
void
control_note_audit(struct superd *sd, int status)
{
	if (sd->sd_control == NULL)
		return;
	sd->sd_control->ct_audit_time = time(NULL);
	sd->sd_control->ct_audit_status = status;
}

/* The reload command: reload, and reply with every line it logged. */
static char *
control_cmd_reload(struct control *ct)
{
	struct control_tap ta;
	json_t *o;
	int rc;

	ta.ta_errors = json_array();
	ta.ta_log = json_array();
	ta.ta_n = 0;
	log_tap(control_tap_line, &ta);
	rc = control_reload(ct->ct_sd, "control");
	log_tap(NULL, NULL);
	o = json_pack("{s:i, s:b, s:o*, s:o*, s:i}", "v", CONTROL_VERSION, "ok",
	    rc == 0, "errors", ta.ta_errors, "log", ta.ta_log, "lines_dropped",
	    ta.ta_n > CONTROL_TAP_MAX ? ta.ta_n - CONTROL_TAP_MAX : 0);
	return control_dump_line(o);
}

/* Run the request LINE (N bytes) of CC and queue the reply. */
static void
control_request(struct control_client *cc, const char *line, size_t n)
{
	struct control *ct = cc->cc_ctl;
	enum control_cmd cmd;
	char err[256], esc[ESCAPE_SIZE(256)];

	if (control_parse_request(line, n, &cmd, err, sizeof(err)) == -1) {
		log_warnx("event=control result=error reason=%s",
		    escape_log(esc, sizeof(esc), err));
		control_send(cc, control_reply_error(err));
		return;
	}
	log_info("event=control cmd=%s", control_cmd_name(cmd));
	switch (cmd) {
	case CONTROL_RELOAD:
		control_send(cc, control_cmd_reload(ct));
		break;
	case CONTROL_STATUS:
		control_send(cc, control_dump_line(control_status(ct->ct_sd)));
		break;
	case CONTROL_STOP:
		control_send(cc, control_dump_line(json_pack("{s:i, s:b, s:I}",
		    "v", CONTROL_VERSION, "ok", 1, "pid",
		    (json_int_t)getpid())));
		cc->cc_stop = 1;
		cc->cc_closing = 1;
		bufferevent_disable(cc->cc_bev, EV_READ);
		break;
	}
}

/* Requests from CC arrived: answer each whole line while output has room. */
static void
control_read(struct bufferevent *bev, void *arg)
{
	struct control_client *cc = arg;
	struct timeval idle = { CONTROL_IDLE, 0 };
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line, why[64];
	size_t n;

	while (!cc->cc_closing) {
		if (evbuffer_get_length(bufferevent_get_output(bev)) >=
		    CONTROL_OUT_MAX) {
			bufferevent_disable(bev, EV_READ);
			return;
		}
		if ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)) == NULL)
			break;
		control_request(cc, line, n);
		free(line);
		/* A long reload is not the client's idleness. */
		bufferevent_set_timeouts(bev, &idle, &idle);
	}
	if (!cc->cc_closing && evbuffer_get_length(in) > CONTROL_REQ_MAX) {
		snprintf(why, sizeof(why), "request too long (over %d bytes)",
		    CONTROL_REQ_MAX);
		control_fail(cc, why);
	}
}

/* CC's output is out: stop the daemon, close, or read again. */
static void
control_write(struct bufferevent *bev, void *arg)
{
	struct control_client *cc = arg;

	if (cc->cc_stop) {
		/* The connection stays open until the daemon has stopped. */
		cc->cc_stop = 0;
		log_info("event=stop source=control");
		event_base_loopbreak(cc->cc_ctl->ct_sd->sd_base);
	} else if (cc->cc_closing)
		control_client_free(cc);
	else if (!(bufferevent_get_enabled(bev) & EV_READ)) {
		bufferevent_enable(bev, EV_READ);
		control_read(bev, cc);
	}
}

/* CC hung up, failed or timed out. */
static void
control_event(struct bufferevent *bev, short what, void *arg)
{
	struct control_client *cc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n = evbuffer_get_length(in);
	char *line;

	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR)) {
		/* A last request may lack its newline; answer, then close. */
		if (!cc->cc_closing && n > 0 && n <= CONTROL_REQ_MAX &&
		    (line = (char *)evbuffer_pullup(in, -1)) != NULL) {
			control_request(cc, line, n);
			evbuffer_drain(in, n);
		}
		cc->cc_closing = 1;
		if (evbuffer_get_length(bufferevent_get_output(bev)) > 0)
			return;
	}
	if (what & BEV_EVENT_TIMEOUT)
		log_warnx("event=control result=timeout reason=\"client idle "
		    "or not reading for %d s\"", CONTROL_IDLE);
	if (cc->cc_stop)
		event_base_loopbreak(cc->cc_ctl->ct_sd->sd_base);
	control_client_free(cc);
}

/* Answer the connection FD with the error WHY, without waiting, and close it. */
static void
control_refuse(int fd, const char *why)
{
	char *line;

	if ((line = control_reply_error(why)) != NULL) {
		if (send(fd, line, strlen(line), MSG_DONTWAIT | MSG_NOSIGNAL) ==
		    -1)
			log_debug("event=control reason=\"refusal not sent\"");
		free(line);
	}
	close(fd);
}

/* Take the connection FD as a control client of CT. */
static void
control_client_new(struct control *ct, int fd)
{
	struct timeval idle = { CONTROL_IDLE, 0 };
	struct control_client *cc;

	if ((cc = calloc(1, sizeof(*cc))) == NULL ||
	    (cc->cc_bev = bufferevent_socket_new(ct->ct_sd->sd_base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		log_warn("event=control reason=\"out of memory for a client\"");
		free(cc);
		close(fd);
		return;
	}
	cc->cc_ctl = ct;
	bufferevent_setcb(cc->cc_bev, control_read, control_write,
	    control_event, cc);
	bufferevent_setwatermark(cc->cc_bev, EV_READ, 0, CONTROL_REQ_MAX + 2);
	bufferevent_set_timeouts(cc->cc_bev, &idle, &idle);
	bufferevent_enable(cc->cc_bev, EV_READ | EV_WRITE);
	LIST_INSERT_HEAD(&ct->ct_clients, cc, cc_entry);
	ct->ct_nclients++;
}

/* Out of descriptors: accept again in a second rather than spin. */
static void
control_accept_later(evutil_socket_t fd, short what, void *arg)
{
	struct control *ct = arg;

	(void)fd;
	(void)what;
	if (ct->ct_ev != NULL)
		event_add(ct->ct_ev, NULL);
}

/* A client connects: keep it when it is root and there is room. */
static void
control_accept(evutil_socket_t lfd, short what, void *arg)
{
	struct timeval sec = { 1, 0 };
	struct control *ct = arg;
	struct ucred cr;
	socklen_t len = sizeof(cr);
	char why[128];
	int fd;

	(void)what;
	if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			log_warn("event=control reason=accept");
			event_del(ct->ct_ev);
			event_base_once(ct->ct_sd->sd_base, -1, EV_TIMEOUT,
			    control_accept_later, ct, &sec);
		}
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1) {
		log_warn("event=control reason=SO_PEERCRED");
		close(fd);
	} else if (cr.uid != 0 && cr.uid != geteuid()) {
		log_warnx("event=control result=refused uid=%ld pid=%ld "
		    "reason=\"not root\"", (long)cr.uid, (long)cr.pid);
		snprintf(why, sizeof(why), "permission denied: uid %ld is not "
		    "root", (long)cr.uid);
		control_refuse(fd, why);
	} else if (ct->ct_nclients >= CONTROL_CLIENTS_MAX) {
		log_warnx("event=control result=refused pid=%ld reason=\"%d "
		    "clients already\"", (long)cr.pid, CONTROL_CLIENTS_MAX);
		control_refuse(fd, "too many control clients; try again");
	} else
		control_client_new(ct, fd);
}

/* Watch the control socket of SD on its event loop; -1 (logged) if not. */
int
control_arm(struct superd *sd)
{
	struct control *ct = sd->sd_control;

	if (ct == NULL)
		return 0;
	ct->ct_ev = event_new(sd->sd_base, ct->ct_fd, EV_READ | EV_PERSIST,
	    control_accept, ct);
	if (ct->ct_ev == NULL || event_add(ct->ct_ev, NULL) == -1) {
		log_warnx("control=%s reason=\"cannot watch it\"", ct->ct_path);
		return -1;
	}
	return 0;
}

/*
 * Close the control socket of SD and its clients (they see the daemon
 * gone), and remove the socket file unless another daemon's replaced it.
 */
void
control_close(struct superd *sd)
{
	struct control *ct = sd->sd_control;
	struct control_client *cc;
	struct stat st;

	if (ct == NULL)
		return;
	while ((cc = LIST_FIRST(&ct->ct_clients)) != NULL)
		control_client_free(cc);
	if (ct->ct_ev != NULL)
		event_free(ct->ct_ev);
	close(ct->ct_fd);
	if (lstat(ct->ct_path, &st) == 0 && st.st_dev == ct->ct_dev &&
	    st.st_ino == ct->ct_ino && unlink(ct->ct_path) == -1)
		log_warn("control=%s reason=\"cannot remove the socket\"",
		    ct->ct_path);
	free(ct->ct_path);
	free(ct);
	sd->sd_control = NULL;
}
