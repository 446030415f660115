/* SPDX-License-Identifier: ISC */
/*
 * Logging: syslog (daemon facility) when detached, stderr in the
 * foreground.  One line per event, key=value fields chosen by the caller;
 * a value from outside (a process or file name) goes through escape_log,
 * and every line through escape_line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "superd.h"

static int log_stderr = 1; /* write to stderr instead of syslog */
static int log_verbose;	   /* log_debug lines are written */
static int log_noinfo;	   /* log_info lines are not (one-shot modes) */
static void (*log_tap_fn)(void *, int, const char *); /* gets each line too */
static void *log_tap_arg;  /* its argument */

/* Start logging as IDENT; to stderr when FOREGROUND, debug lines when DEBUG. */
void
log_init(const char *ident, int foreground, int debug)
{
	log_stderr = foreground;
	log_verbose = debug;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/* One-shot modes: no info lines when QUIET (warnings and errors stay). */
void
log_quiet(int quiet)
{
	log_noinfo = quiet;
}

/*
 * Hand every line written from now on, with its priority, to FN(ARG) as
 * well (the control socket returns a reload's lines to its caller); a NULL
 * FN ends that.
 */
void
log_tap(void (*fn)(void *, int, const char *), void *arg)
{
	log_tap_fn = fn;
	log_tap_arg = arg;
}

/*
 * Write one line at PRI, with an optional errno text appended; its control
 * bytes and invalid UTF-8 are shown as \xNN (escape_line), whatever the
 * caller passed.
 */
static void
log_vwrite(int pri, int err, const char *fmt, va_list ap)
{
	char buf[1024], line[ESCAPE_SIZE(sizeof(buf))];
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return;
	if (err != 0 && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, " error=\"%s\"",
		    strerror(err));
	escape_line(line, sizeof(line), buf);
	if (log_tap_fn != NULL)
		log_tap_fn(log_tap_arg, pri, line);
	if (log_stderr) {
		static const char *const names[] = {
			[LOG_ERR] = "error", [LOG_WARNING] = "warning",
			[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
		};
		fprintf(stderr, "superd: %s: %s\n", names[pri], line);
	} else
		syslog(pri, "%s", line);
}

#define LOG_BODY(pri, err)                       \
	do {                                     \
		va_list ap;                      \
		int saved = errno;               \
		va_start(ap, fmt);               \
		log_vwrite((pri), (err), fmt, ap); \
		va_end(ap);                      \
		errno = saved;                   \
	} while (0)

/* A line only written with -d. */
void
log_debug(const char *fmt, ...)
{
	if (!log_verbose)
		return;
	LOG_BODY(LOG_DEBUG, 0);
}

/* An event worth a line. */
void
log_info(const char *fmt, ...)
{
	if (log_noinfo)
		return;
	LOG_BODY(LOG_INFO, 0);
}

/* A problem, with the current errno. */
void
log_warn(const char *fmt, ...)
{
	LOG_BODY(LOG_WARNING, errno);
}

/* A problem that has no errno. */
void
log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_WARNING, 0);
}

/* An error that refuses what was asked (a config, a start), no errno. */
void
log_errx(const char *fmt, ...)
{
	LOG_BODY(LOG_ERR, 0);
}

/* Give up, with the current errno: only at start-up or on a broken invariant. */
void
fatal(const char *fmt, ...)
{
	LOG_BODY(LOG_ERR, errno);
	exit(1);
}

/* Give up without an errno. */
void
fatalx(const char *fmt, ...)
{
	LOG_BODY(LOG_ERR, 0);
	exit(1);
}

/* Format the IPv4 (FAMILY AF_INET) or IPv6 address A; v4-mapped as IPv4. */
const char *
log_inaddr(int family, const void *a, char *buf, size_t len)
{
	const struct in6_addr *a6 = a;

	if (family == AF_INET)
		return inet_ntop(AF_INET, a, buf, len);
	if (family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(a6))
		return inet_ntop(AF_INET, &a6->s6_addr[12], buf, len);
	if (family == AF_INET6)
		return inet_ntop(AF_INET6, a6, buf, len);
	snprintf(buf, len, "-");
	return buf;
}

/* Format the address (without port) of SS into BUF; v4-mapped shown as IPv4. */
const char *
log_addr(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const struct unix_peer *up = (const struct unix_peer *)ss;

	if (ss->ss_family == AF_UNIX) {
		/* A UNIX-domain peer: its credentials. */
		snprintf(buf, len, "uid:%u,gid:%u,pid:%ld",
		    (unsigned)up->up_uid, (unsigned)up->up_gid,
		    (long)up->up_pid);
		return buf;
	}
	if (ss->ss_family == AF_INET)
		return log_inaddr(AF_INET,
		    &((const struct sockaddr_in *)ss)->sin_addr, buf, len);
	return log_inaddr(ss->ss_family,
	    &((const struct sockaddr_in6 *)ss)->sin6_addr, buf, len);
}
