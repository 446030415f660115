/* SPDX-License-Identifier: ISC */
/*
 * The client side of the control socket: `superd reload`, `superd status
 * [--json]` and `superd stop` ask the running daemon and report what it
 * answered.  Exit 0 done, 1 the daemon reported a failure, 2 usage, 3 no
 * daemon reachable (or no usable answer), 4 not allowed.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "superd.h"

#define CONTROL_REPLY_MAX (64 << 20) /* bytes of one reply */
#define CONTROL_WAIT 120	     /* seconds to wait for an answer */

/* Whether WORD names a client command. */
int
control_client_is_cmd(const char *word)
{
	enum control_cmd cmd;

	return word != NULL && control_cmd_find(word, &cmd) == 0;
}

/* Connect to the control socket PATH; the descriptor, or -1 and errno. */
static int
control_client_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd, saved;

	if (control_addr(path, &sun) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/*
 * Wait up to SECS for FD to be readable, then read what is there into
 * *BUF (grown; *LEN bytes).  1 read, 0 end of file, -1 error or timeout.
 */
static int
control_client_fill(int fd, char **buf, size_t *len, size_t *cap, int secs)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char *p;
	ssize_t n;

	if (poll(&pfd, 1, secs * 1000) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (*cap - *len < 4096) {
		if (*cap >= CONTROL_REPLY_MAX || (p = realloc(*buf, *cap * 2)) ==
		    NULL) {
			errno = EMSGSIZE;
			return -1;
		}
		*buf = p;
		*cap *= 2;
	}
	if ((n = read(fd, *buf + *len, *cap - *len - 1)) < 0)
		return errno == EINTR ? 1 : errno == ECONNRESET ? 0 : -1;
	*len += (size_t)n;
	(*buf)[*len] = '\0';
	return n > 0;
}

/* Send CMD on FD and read its reply; the object, or NULL (said why). */
static json_t *
control_client_ask(int fd, enum control_cmd cmd, const char *path)
{
	size_t len = 0, cap = 8192;
	char req[64], *buf;
	json_error_t jerr;
	json_t *o = NULL;
	int rc = 1;

	snprintf(req, sizeof(req), "{\"v\":%d,\"cmd\":\"%s\"}\n",
	    CONTROL_VERSION, control_cmd_name(cmd));
	/* A daemon that refuses us may close before reading the request:
	 * its answer is still there to read. */
	if ((send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req) &&
	    errno != EPIPE && errno != ECONNRESET) || (buf = malloc(cap)) ==
	    NULL) {
		fprintf(stderr, "superd: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf[0] = '\0';
	while (strchr(buf, '\n') == NULL &&
	    (rc = control_client_fill(fd, &buf, &len, &cap, CONTROL_WAIT)) == 1)
		;
	if (rc == -1)
		fprintf(stderr, "superd: %s: no answer: %s\n", path,
		    strerror(errno));
	else if ((o = json_loads(buf, JSON_DISABLE_EOF_CHECK, &jerr)) == NULL ||
	    !json_is_object(o) || json_integer_value(json_object_get(o, "v")) !=
	    CONTROL_VERSION) {
		fprintf(stderr, "superd: %s: %s answer from the daemon\n", path,
		    len == 0 ? "no" : "an unusable");
		json_decref(o);
		o = NULL;
	}
	free(buf);
	return o;
}

/* Print each line of the reload answer O, in order; to stderr if FAILED. */
static void
control_client_lines(json_t *o, int failed)
{
	const char *line;
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(o, "log"), i, v) {
		if ((line = json_string_value(v)) == NULL)
			continue;
		if (failed || strncmp(line, "info: ", 6) != 0) {
			fflush(stdout);
			fprintf(stderr, "superd: %s\n", line);
		} else
			printf("superd: %s\n", line);
	}
}

/* Report the reload answer O; the exit code. */
static int
control_client_reload(json_t *o)
{
	json_int_t dropped = json_integer_value(json_object_get(o,
	    "lines_dropped"));
	int ok = json_is_true(json_object_get(o, "ok"));

	control_client_lines(o, !ok);
	if (dropped > 0)
		fprintf(stderr, "superd: %lld more log lines not shown (see "
		    "the daemon's log)\n", (long long)dropped);
	if (ok)
		return 0;
	fprintf(stderr, "superd: reload failed; the daemon kept its running "
	    "services\n");
	return 1;
}

/* Wait until the daemon that answered O to stop has closed FD. */
static int
control_client_stop(int fd, json_t *o)
{
	json_int_t pid = json_integer_value(json_object_get(o, "pid"));
	size_t len = 0, cap = 8192;
	char *buf = malloc(cap);
	int rc = 1;

	while (buf != NULL &&
	    (rc = control_client_fill(fd, &buf, &len, &cap, CONTROL_WAIT)) == 1)
		len = 0;
	free(buf);
	if (rc != 0) {
		fprintf(stderr, "superd: stop requested, but pid %lld has not "
		    "closed its control socket\n", (long long)pid);
		return 1;
	}
	printf("superd: stopped (pid %lld)\n", (long long)pid);
	return 0;
}

/* Format the wall-clock time T (seconds since the epoch) into BUF. */
static const char *
control_client_time(json_int_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
	return buf;
}

/* The string NAME of O, or "-". */
static const char *
control_client_str(json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));

	return s != NULL ? s : "-";
}

/* The string NAME of O for a terminal (escape_text) into BUF, or "-". */
static const char *
control_client_esc(json_t *o, const char *name, char *buf, size_t len)
{
	return escape_text(buf, len, control_client_str(o, name));
}

/* Print the non-zero refusal counters of REFUSED as " (acl 2, cps 1)". */
static json_int_t
control_client_refused(FILE *fp, json_t *refused, int print)
{
	json_int_t total = 0, n;
	const char *reason;
	json_t *v;
	int k = 0;

	json_object_foreach(refused, reason, v)
		total += json_integer_value(v);
	if (!print || total == 0)
		return total;
	fprintf(fp, " (");
	json_object_foreach(refused, reason, v)
		if ((n = json_integer_value(v)) > 0)
			fprintf(fp, "%s%s %lld", k++ ? ", " : "", reason,
			    (long long)n);
	fprintf(fp, ")");
	return total;
}

/* The per-source tables S: their memory now, its bound, refusals. */
static void
control_client_sources(json_t *s)
{
	long long n;

	if (!json_is_object(s))
		return;
	n = (long long)json_integer_value(json_object_get(s, "refused"));
	printf("per-source tables: %lld, %lld kB (at most %lld kB); ",
	    (long long)json_integer_value(json_object_get(s, "tables")),
	    (long long)json_integer_value(json_object_get(s, "bytes")) / 1024,
	    (long long)json_integer_value(json_object_get(s, "max_bytes")) /
	    1024);
	printf("%lld source%s not admitted (every entry busy)\n", n,
	    n == 1 ? "" : "s");
}

/* The daemon, its config, its last reload and audit, its totals. */
static void
control_client_head(json_t *o)
{
	json_t *c = json_object_get(o, "config"), *r = json_object_get(o,
	    "reload"), *a = json_object_get(o, "audit"), *t;
	char when[64], file[ESCAPE_SIZE(256)];

	printf("superd %s, pid %lld, running since %s\n",
	    control_client_str(o, "version"),
	    (long long)json_integer_value(json_object_get(o, "pid")),
	    control_client_time(json_integer_value(json_object_get(o,
	    "started")), when, sizeof(when)));
	printf("config: %s (%s)\n", control_client_esc(c, "file", file,
	    sizeof(file)), control_client_str(c, "format"));
	if (json_is_object(r))
		printf("last reload: %s, %s (%s)\n",
		    json_is_true(json_object_get(r, "ok")) ? "ok" : "FAILED, "
		    "old services kept", control_client_time(json_integer_value(
		    json_object_get(r, "time")), when, sizeof(when)),
		    control_client_str(r, "source"));
	else
		printf("last reload: none since start\n");
	if (json_is_object(a))
		printf("last audit: %s, %s\n", control_client_str(a, "status"),
		    control_client_time(json_integer_value(json_object_get(a,
		    "time")), when, sizeof(when)));
	else
		printf("last audit: none (no periodic audit ran: "
		    "selfcheck_interval)\n");
	t = json_object_get(o, "totals");
	printf("connections: %lld accepted, ",
	    (long long)json_integer_value(json_object_get(t, "accepted")));
	printf("%lld refused", (long long)control_client_refused(stdout,
	    json_object_get(t, "refused"), 0));
	control_client_refused(stdout, json_object_get(t, "refused"), 1);
	printf("\n");
	control_client_sources(json_object_get(o, "sources"));
}

/* Print the status answer O as text. */
static void
control_client_status_text(json_t *o)
{
	char name[ESCAPE_SIZE(64)], ep[ESCAPE_SIZE(64)];
	json_t *sv, *ch;
	size_t i;

	control_client_head(o);
	printf("\n%-16s %-28s %-5s %-8s %8s %8s %8s\n", "SERVICE", "ENDPOINT",
	    "PROTO", "STATE", "CHILDREN", "ACCEPTED", "REFUSED");
	json_array_foreach(json_object_get(o, "services"), i, sv) {
		printf("%-16s %-28s %-5s %-8s %8lld %8lld %8lld",
		    control_client_esc(sv, "name", name, sizeof(name)),
		    control_client_esc(sv, "endpoint", ep, sizeof(ep)),
		    control_client_str(sv, "proto"), control_client_str(sv,
		    "state"), (long long)json_integer_value(json_object_get(sv,
		    "children")), (long
		    long)json_integer_value(json_object_get(sv, "accepted")),
		    (long long)control_client_refused(stdout,
		    json_object_get(sv, "refused"), 0));
		if (json_object_get(sv, "seconds_left") != NULL)
			printf("  %s, %lld s left", control_client_str(sv,
			    "reason"), (long long)json_integer_value(
			    json_object_get(sv, "seconds_left")));
		else if (json_object_get(sv, "reason") != NULL)
			printf("  %s", control_client_str(sv, "reason"));
		printf("\n");
	}
	printf("\nchildren: %lld\n",
	    (long long)json_integer_value(json_object_get(o, "nchildren")));
	json_array_foreach(json_object_get(o, "children"), i, ch)
		printf("  pid %-8lld %-16s peer %-39s %lld s\n", (long
		    long)json_integer_value(json_object_get(ch, "pid")),
		    control_client_esc(ch, "service", name, sizeof(name)),
		    control_client_str(ch, "peer"), (long
		    long)json_integer_value(json_object_get(ch, "age_s")));
}

/* Ask the daemon at PATH for CMD; the answer, or NULL with *RC set. */
static json_t *
control_client_request(const char *path, enum control_cmd cmd, int *fdp,
    int *rc)
{
	json_t *o;
	int fd;

	if ((fd = control_client_connect(path)) == -1) {
		*rc = errno == EACCES || errno == EPERM ? 4 : 3;
		fprintf(stderr, "superd: no daemon reachable at %s: %s%s\n",
		    path, strerror(errno), *rc == 4 ? " (the control socket is "
		    "root's)" : " (is superd running?)");
		return NULL;
	}
	if ((o = control_client_ask(fd, cmd, path)) == NULL) {
		*rc = 3;
		close(fd);
		return NULL;
	}
	if (!json_is_true(json_object_get(o, "ok")) &&
	    json_is_string(json_object_get(o, "error"))) {
		fprintf(stderr, "superd: %s: %s\n", control_cmd_name(cmd),
		    control_client_str(o, "error"));
		*rc = strncmp(control_client_str(o, "error"),
		    "permission denied", 17) == 0 ? 4 : 1;
		json_decref(o);
		close(fd);
		return NULL;
	}
	*fdp = fd;
	return o;
}

/*
 * superd reload|status|stop (CMD, an enum control_cmd) to the daemon on
 * the control socket PATH, NULL for none (--control -); JSON for status
 * --json.  cli.c parsed the command line.  The exit code.
 */
int
control_client_run(const char *path, int cmd, int json)
{
	int fd = -1, rc = 0;
	json_t *o;

	if (path == NULL) {
		fprintf(stderr, "superd: %s: --control -: no control socket to "
		    "ask\n", control_cmd_name((enum control_cmd)cmd));
		return 2;
	}
	if ((o = control_client_request(path, (enum control_cmd)cmd, &fd,
	    &rc)) == NULL)
		return rc;
	if (cmd == CONTROL_RELOAD)
		rc = control_client_reload(o);
	else if (cmd == CONTROL_STOP)
		rc = control_client_stop(fd, o);
	else if (json)
		rc = json_dumpf(o, stdout, JSON_INDENT(2)) == 0 &&
		    putchar('\n') != EOF ? 0 : 1;
	else
		control_client_status_text(o);
	json_decref(o);
	close(fd);
	return fflush(stdout) == 0 ? rc : 1;
}

/*
 * For an audit without -c: when a daemon answers on the control socket of
 * OP, audit the config it runs (its file copied into FILE, its format) and
 * say so in ORIGIN; otherwise say that the default file is used.
 */
void
control_client_running_conf(struct options *op, char *file, size_t flen,
    char *origin, size_t olen)
{
	json_t *o = NULL, *c;
	int fd;

	if (op->op_control == NULL ||
	    (fd = control_client_connect(op->op_control)) == -1) {
		snprintf(origin, olen, "the default: no daemon answers on %s",
		    op->op_control != NULL ? op->op_control : "a control "
		    "socket");
		return;
	}
	if ((o = control_client_ask(fd, CONTROL_STATUS, op->op_control)) != NULL &&
	    json_is_string(json_object_get(c = json_object_get(o, "config"),
	    "file")) && strlen(control_client_str(c, "file")) < flen) {
		snprintf(file, flen, "%s", control_client_str(c, "file"));
		op->op_conf = file;
		op->op_format = strcmp(control_client_str(c, "format"),
		    "inetd") == 0 ? CONF_INETD : CONF_NATIVE;
		snprintf(origin, olen, "the running daemon's, pid %lld",
		    (long long)json_integer_value(json_object_get(o, "pid")));
	} else
		snprintf(origin, olen, "the default: the daemon on %s did not "
		    "name its config", op->op_control);
	json_decref(o);
	close(fd);
}
