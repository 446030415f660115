/* SPDX-License-Identifier: ISC */
/*
 * The classic inetd.conf parser: one line per endpoint, in the forms that
 * Debian openbsd-inetd, FreeBSD and OpenBSD inetd accept, including
 * "addr:service" prefixes, default-address lines and update-inetd's
 * "#<off>#" lines.  Pure: it reads a FILE and appends to the service table;
 * names resolve once, here, at load time, and host names are refused.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "superd.h"

#define INETD_CONF_WS " \t\r\n\v\f" /* field separators */
#define INETD_CONF_OFF "#<off>#"     /* update-inetd's disabled marker */
#define INETD_CONF_MAXARGV 128	     /* arguments a server may get */
#define INETD_CONF_SOCKBUF_MAX (1 << 30) /* largest sndbuf= or rcvbuf= */
#define INETD_CONF_DEPTH 8	     /* nested .include files */

/* One protocol field value and the socket it asks for. */
struct inetd_conf_proto {
	const char *ip_name; /* as written in the protocol field */
	int ip_socktype;     /* SOCK_STREAM or SOCK_DGRAM */
	int ip_proto;	     /* IPPROTO_TCP or IPPROTO_UDP */
	int ip_family;	     /* AF_INET, AF_INET6, or 0 for both */
	int ip_v6only;	     /* IPV6_V6ONLY for AF_INET6 */
};

/* Debian's meaning on Linux: plain tcp and udp are IPv4 and IPv6. */
static const struct inetd_conf_proto inetd_conf_protos[] = {
	{ "tcp", SOCK_STREAM, IPPROTO_TCP, 0, 1 },
	{ "tcp4", SOCK_STREAM, IPPROTO_TCP, AF_INET, 0 },
	{ "tcp6", SOCK_STREAM, IPPROTO_TCP, AF_INET6, 1 },
	{ "tcp46", SOCK_STREAM, IPPROTO_TCP, AF_INET6, 0 },
	{ "udp", SOCK_DGRAM, IPPROTO_UDP, 0, 1 },
	{ "udp4", SOCK_DGRAM, IPPROTO_UDP, AF_INET, 0 },
	{ "udp6", SOCK_DGRAM, IPPROTO_UDP, AF_INET6, 1 },
	{ "udp46", SOCK_DGRAM, IPPROTO_UDP, AF_INET6, 0 },
	/* the kinds (kind.c): a socket path, RPC on a port rpcbind hands out */
	{ "unix", SOCK_STREAM, 0, AF_UNIX, 0 },
	{ "rpc/tcp", SOCK_STREAM, IPPROTO_TCP, AF_INET, 0 },
	{ "rpc/udp", SOCK_DGRAM, IPPROTO_UDP, AF_INET, 0 },
	{ "rpc/*", SOCK_STREAM, IPPROTO_TCP, AF_INET, 0 },
	{ "rpc/*", SOCK_DGRAM, IPPROTO_UDP, AF_INET, 0 },
};

/* The state of one file being read. */
struct inetd_conf_ctx {
	struct svctab *ic_tab;	/* where services and errors go */
	const char *ic_path;	/* file being read, for messages */
	int ic_line;		/* current line number */
	int ic_quiet;		/* a #<off># line: problems are debug lines */
	int ic_errors;		/* errors reported for this file */
	struct inetd_addrs ic_def; /* default addresses, none: any */
	int ic_defline;		/* line that set ic_def */
	char *ic_entry;		/* the entry being gathered (continuations) */
	size_t ic_entrylen;	/* bytes in ic_entry, 0: none */
	size_t ic_entrycap;	/* bytes allocated */
	int ic_entryline;	/* the line it starts on */
	int ic_depth;		/* .include nesting, 0 for the main file */
	struct inetd_conf_ctx *ic_parent; /* the file that included this one */
	dev_t ic_dev;		/* device and inode of this file, */
	ino_t ic_ino;		/* to catch an .include loop */
};

/* The fields of one service line, split in place. */
struct inetd_conf_fields {
	char *if_host;	   /* address prefix of the first field, or NULL */
	char *if_name;	   /* service name or port number */
	char *if_socktype; /* stream or dgram */
	char *if_proto;	   /* tcp, udp, tcp6, ... */
	char *if_sockopts; /* ",sndbuf=N,rcvbuf=N" after the protocol, or NULL */
	char *if_acceptmax; /* NetBSD's ",N" after the socket type, or NULL */
	char *if_wait;	   /* wait or nowait, with limits */
	char *if_user;	   /* user, optionally :group or .group */
	char *if_server;   /* absolute path or "internal" */
	char *if_args;	   /* rest of the line: argv, may be empty */
};

static void inetd_conf_include(struct inetd_conf_ctx *, char *);

/* Report a problem on the current line; on a #<off># line only a debug line. */
static void __attribute__((format(printf, 2, 3)))
inetd_conf_error(struct inetd_conf_ctx *ctx, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ctx->ic_quiet) {
		log_debug("%s:%d: disabled line skipped: %s", ctx->ic_path,
		    ctx->ic_line, msg);
		return;
	}
	ctx->ic_errors++;
	svctab_error(ctx->ic_tab, ctx->ic_path, ctx->ic_line, "%s", msg);
}

/* The next whitespace-separated field at *CP, NUL-terminated; NULL at the end. */
char *
inetd_conf_next(char **cp)
{
	char *start, *end;

	start = *cp + strspn(*cp, INETD_CONF_WS);
	if (*start == '\0') {
		*cp = start;
		return NULL;
	}
	end = start + strcspn(start, INETD_CONF_WS);
	if (*end != '\0')
		*end++ = '\0';
	*cp = end;
	return start;
}

/* Split LINE into the fields of a service line; -1 (reported) if one is missing. */
static int
inetd_conf_split(struct inetd_conf_ctx *ctx, char *line,
    struct inetd_conf_fields *f)
{
	static const char *const names[] = {
		"socket type", "protocol", "wait/nowait", "user", "server",
	};
	char **slots[] = {
		&f->if_socktype, &f->if_proto, &f->if_wait, &f->if_user,
		&f->if_server,
	};
	char *cp = line;
	size_t i;

	memset(f, 0, sizeof(*f));
	if ((f->if_name = inetd_conf_next(&cp)) == NULL)
		return -1;
	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		if ((*slots[i] = inetd_conf_next(&cp)) == NULL) {
			inetd_conf_error(ctx, "missing the %s field (service "
			    "%.64s)", names[i], f->if_name);
			return -1;
		}
	}
	f->if_args = cp;
	return 0;
}

/* Split the first field into address list and service name. */
static int
inetd_conf_split_host(struct inetd_conf_ctx *ctx, struct inetd_conf_fields *f)
{
	char *first = f->if_name, *colon;

	if ((colon = strrchr(first, ':')) == NULL)
		return 0;
	*colon = '\0';
	f->if_host = first;
	f->if_name = colon + 1;
	if (strchr(f->if_name, ']') != NULL) {
		inetd_conf_error(ctx, "service field \"%s:%s\": expected "
		    "[IPv6 address]:service", f->if_host, f->if_name);
		return -1;
	}
	if (*f->if_host == '\0') {
		inetd_conf_error(ctx, "service field \":%s\": empty address "
		    "before ':'", f->if_name);
		return -1;
	}
	return 0;
}

/* The address list HOST into OUT; -1 (reported) if an entry is bad. */
static int
inetd_conf_hosts(struct inetd_conf_ctx *ctx, const char *host,
    struct inetd_addrs *out)
{
	char err[400];

	if (inetd_addr_parse(host, out, err, sizeof(err)) == -1) {
		inetd_conf_error(ctx, "%s", err);
		return -1;
	}
	/* "*" alone is the wildcard, as no list. */
	if (out->ias_n == 1 && out->ias_list[0].ia_family == 0)
		out->ias_n = 0;
	return 0;
}

/* A line that is only "address[,address...]:": the default of later lines. */
static void
inetd_conf_default_host(struct inetd_conf_ctx *ctx, const char *host)
{
	struct inetd_addrs addrs;

	if (ctx->ic_quiet) {
		log_debug("%s:%d: disabled default address line ignored",
		    ctx->ic_path, ctx->ic_line);
		return;
	}
	if (inetd_conf_hosts(ctx, host, &addrs) == -1)
		return;
	ctx->ic_def = addrs;
	ctx->ic_defline = ctx->ic_line;
}

/* The socket type field: SOCK_STREAM or SOCK_DGRAM, -1 (reported) otherwise. */
static int
inetd_conf_socktype(struct inetd_conf_ctx *ctx, const char *field)
{
	const char *why;

	if ((why = inetd_bsd_socktype(field)) != NULL) {
		inetd_conf_error(ctx, "socket type field \"%s\": %s", field,
		    why);
		return -1;
	}
	if (strcmp(field, "stream") == 0)
		return SOCK_STREAM;
	if (strcmp(field, "dgram") == 0)
		return SOCK_DGRAM;
	if (strcmp(field, "raw") == 0 || strcmp(field, "rdm") == 0 ||
	    strcmp(field, "seqpacket") == 0)
		inetd_conf_error(ctx, "socket type field \"%s\" is not "
		    "supported (use stream or dgram)", field);
	else
		inetd_conf_error(ctx, "socket type field \"%s\" is unknown "
		    "(use stream or dgram)", field);
	return -1;
}

/* The protocol field, checked against SOCKTYPE; NULL (reported) if unusable. */
static const struct inetd_conf_proto *
inetd_conf_proto(struct inetd_conf_ctx *ctx, const char *field, int socktype)
{
	const struct inetd_conf_proto *pr = NULL;
	const char *why;
	size_t i;

	if ((why = inetd_bsd_protocol(field)) != NULL) {
		inetd_conf_error(ctx, "protocol field \"%s\": %s", field, why);
		return NULL;
	}
	for (i = 0; i < sizeof(inetd_conf_protos) /
	    sizeof(inetd_conf_protos[0]); i++)
		if (strcmp(field, inetd_conf_protos[i].ip_name) == 0 && (pr ==
		    NULL || inetd_conf_protos[i].ip_socktype == socktype))
			pr = &inetd_conf_protos[i];
	if (pr == NULL) {
		inetd_conf_error(ctx, "protocol field \"%s\" is unknown (use "
		    "tcp, udp, tcp4, udp4, tcp6, udp6, tcp46, udp46, unix, "
		    "rpc/tcp, rpc/udp or rpc/*)", field);
		return NULL;
	}
	if (pr->ip_family == AF_UNIX && socktype != SOCK_STREAM) {
		inetd_conf_error(ctx, "protocol field \"unix\": only stream "
		    "UNIX-domain services are served");
		return NULL;
	}
	if (pr->ip_socktype != socktype) {
		inetd_conf_error(ctx, "protocol field \"%s\" does not match "
		    "socket type %s (use %s)", field,
		    socktype == SOCK_STREAM ? "stream" : "dgram",
		    socktype == SOCK_STREAM ? "tcp, tcp4, tcp6 or tcp46" :
		    "udp, udp4, udp6 or udp46");
		return NULL;
	}
	return pr;
}

/* A buffer size "N", "Nk" or "Nm" in bytes into *OUT; -1 if not one. */
static int
inetd_conf_size(const char *s, int *out)
{
	unsigned long long n;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (*end == 'k' || *end == 'K')
		n *= 1024, end++;
	else if (*end == 'm' || *end == 'M')
		n *= 1024 * 1024, end++;
	if (errno != 0 || *end != '\0' || n < 1 || n > INETD_CONF_SOCKBUF_MAX)
		return -1;
	*out = (int)n;
	return 0;
}

/*
 * OpenBSD's and Debian's socket buffer sizes after the protocol,
 * ",sndbuf=SIZE" and ",rcvbuf=SIZE", onto SV; -1 (reported) if bad.
 */
static int
inetd_conf_sockopts(struct inetd_conf_ctx *ctx, char *opts, struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);
	char *opt;

	while (opts != NULL && (opt = strsep(&opts, ",")) != NULL) {
		if (strncmp(opt, "sndbuf=", 7) == 0 &&
		    inetd_conf_size(opt + 7, &sc->sc_sndbuf) == 0)
			continue;
		if (strncmp(opt, "rcvbuf=", 7) == 0 &&
		    inetd_conf_size(opt + 7, &sc->sc_rcvbuf) == 0)
			continue;
		inetd_conf_error(ctx, "protocol field: \"%s\": expected "
		    "sndbuf=SIZE or rcvbuf=SIZE (bytes, or with k or m, "
		    "at most 1g)", opt);
		return -1;
	}
	return 0;
}

/* The port of the service field for PR; -1 (reported) if it has none. */
static int
inetd_conf_port(struct inetd_conf_ctx *ctx, const char *name,
    const struct inetd_conf_proto *pr)
{
	int port;

	/* tcpmux/NAME is served on the tcpmux port; the rest choose no port. */
	if (strncmp(name, "tcpmux/", 7) == 0)
		return KIND_TCPMUX_PORT;
	if (pr->ip_family == AF_UNIX || strncmp(pr->ip_name, "rpc/", 4) == 0)
		return 0;
	if (*name == '\0' || strchr(name, '/') != NULL) {
		inetd_conf_error(ctx, "service field \"%s\" is not a service "
		    "name or port number", name);
		return -1;
	}
	if (svctab_resolve_port(name, pr->ip_proto, &port) == -1) {
		inetd_conf_error(ctx, "service field \"%s\": not a port "
		    "(1-65535) nor a service in /etc/services for protocol %s",
		    name, pr->ip_name);
		return -1;
	}
	return port;
}

/* The sockets of a line: its address list, the default one, or any. */
static int
inetd_conf_endpoints(struct inetd_conf_ctx *ctx, const char *host,
    const struct inetd_conf_proto *pr, struct inetd_endpoints *eps)
{
	struct inetd_addrs own;
	const struct inetd_addrs *addrs = &ctx->ic_def;
	char from[64] = "", err[400];

	if (host != NULL) {
		if (inetd_conf_hosts(ctx, host, &own) == -1)
			return -1;
		addrs = &own;
	} else if (ctx->ic_def.ias_n > 0)
		snprintf(from, sizeof(from), " (default address from line %d)",
		    ctx->ic_defline);
	if (inetd_addr_endpoints(addrs, pr->ip_name, pr->ip_family,
	    pr->ip_v6only, from, eps, err, sizeof(err)) == -1) {
		inetd_conf_error(ctx, "%s", err);
		return -1;
	}
	return 0;
}

/* A decimal number in 0..INT_MAX at *CP, up to '/' or the end; -1 if none. */
static int
inetd_conf_number(const char **cp, int *out)
{
	const char *p = *cp;
	int n = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (INT_MAX - (*p - '0')) / 10)
			return -1;
		n = n * 10 + (*p - '0');
	}
	if (*p != '\0' && *p != '/')
		return -1;
	*cp = p;
	*out = n;
	return 0;
}

/*
 * NetBSD's accept-max, "stream,N": at most N instances at once, as
 * FreeBSD's nowait/N; NULL: none given.
 */
static int
inetd_conf_acceptmax(struct inetd_conf_ctx *ctx, const char *max,
    struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);

	if (max == NULL)
		return 0;
	if (inetd_conf_number(&max, &sc->sc_instances) == 0 && *max == '\0')
		return 0;
	inetd_conf_error(ctx, "socket type field: accept-max \"%s\" must be "
	    "a number 0-%d", max, INT_MAX);
	return -1;
}

/* FreeBSD's "/max-child[/max-conn-per-ip-per-minute[/max-child-per-ip]]". */
static int
inetd_conf_wait_slashes(struct inetd_conf_ctx *ctx, const char *field,
    const char *cp, struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);
	int *limits[] = {
		&sc->sc_instances, &sc->sc_per_ip_rate, &sc->sc_per_source,
	};
	size_t i;

	for (i = 0; *cp == '/'; i++) {
		cp++;
		if (i >= sizeof(limits) / sizeof(limits[0]) ||
		    inetd_conf_number(&cp, limits[i]) == -1) {
			inetd_conf_error(ctx, "wait/nowait field \"%s\": "
			    "expected "
			    "/max-child[/max-conn-per-ip-per-minute[/max-child-per-ip]] with numbers 0-%d",
			    field, INT_MAX);
			return -1;
		}
	}
	return 0;
}

/* The wait field: wait or nowait, then ".max" or FreeBSD's slash limits. */
static int
inetd_conf_wait(struct inetd_conf_ctx *ctx, const char *field,
    struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);
	const char *cp;

	if (strncmp(field, "nowait", 6) == 0) {
		sc->sc_wait = 0;
		cp = field + 6;
	} else if (strncmp(field, "wait", 4) == 0) {
		sc->sc_wait = 1;
		cp = field + 4;
	} else {
		inetd_conf_error(ctx, "wait/nowait field \"%s\": expected wait "
		    "or nowait", field);
		return -1;
	}
	if (*cp == '\0')
		return 0;
	if (*cp == '/')
		return inetd_conf_wait_slashes(ctx, field, cp, sv);
	if (*cp == '.' || *cp == ':') {	/* ":max" is NetBSD's */
		cp++;
		if (inetd_conf_number(&cp, &sc->sc_max_per_minute) == 0 &&
		    *cp == '\0')
			return 0;
		inetd_conf_error(ctx, "wait/nowait field \"%s\": .max must be "
		    "a number 0-%d", field, INT_MAX);
		return -1;
	}
	inetd_conf_error(ctx, "wait/nowait field \"%s\": expected wait or "
	    "nowait, then .max or /max-child", field);
	return -1;
}

/* The user field "user[:group]" or "user.group": ids and groups, now. */
static int
inetd_conf_user(struct inetd_conf_ctx *ctx, char *field, struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);
	char *group = NULL, *sep;
	const char *why;

	if ((why = inetd_bsd_user(field)) != NULL) {
		inetd_conf_error(ctx, "user field \"%s\": %s", field, why);
		return -1;
	}
	if ((sep = strchr(field, ':')) == NULL &&
	    lookup_cache_user(field, &sc->sc_uid, &sc->sc_gid) == -1)
		sep = strchr(field, '.');
	if (sep != NULL) {
		*sep = '\0';
		group = sep + 1;
	}
	if (*field == '\0' || (group != NULL && *group == '\0')) {
		inetd_conf_error(ctx, "user field: empty user or group name");
		return -1;
	}
	if (lookup_cache_user(field, &sc->sc_uid, &sc->sc_gid) == -1) {
		inetd_conf_error(ctx, "user field: unknown user \"%s\"", field);
		return -1;
	}
	if (group != NULL && lookup_cache_group(group, &sc->sc_gid) == -1) {
		inetd_conf_error(ctx, "user field: unknown group \"%s\"",
		    group);
		return -1;
	}
	if (lookup_cache_groups(field, sc->sc_gid, &sc->sc_groups,
	    &sc->sc_ngroups) == -1) {
		inetd_conf_error(ctx, "user field: cannot read the groups of "
		    "user \"%s\"", field);
		return -1;
	}
	if ((sc->sc_user = svctab_share(field)) == NULL) {
		inetd_conf_error(ctx, "user field: out of memory");
		return -1;
	}
	return 0;
}

/*
 * The server field: a builtin for "internal" (named by the service, or by
 * the first argument when the service is a port number), else an
 * executable path.
 */
static int
inetd_conf_server(struct inetd_conf_ctx *ctx, const char *field,
    const char *args, struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);
	struct stat st;
	char word[32];

	if (strcmp(field, "internal") == 0) {
		if ((sc->sc_builtin = builtin_name_find(sc->sc_name)) !=
		    BUILTIN_NONE)
			return 0;
		if (args != NULL && sscanf(args, "%31s", word) == 1 &&
		    (sc->sc_builtin = builtin_name_find(word)) != BUILTIN_NONE)
			return 0;
		inetd_conf_error(ctx, "server field: no internal service named "
		    "\"%s\" (echo, discard, chargen, daytime, time)",
		    sc->sc_name);
		return -1;
	}
	if (field[0] != '/') {
		inetd_conf_error(ctx, "server field: %s is not an absolute "
		    "path or \"internal\"", field);
		return -1;
	}
	if (stat(field, &st) == -1) {
		inetd_conf_error(ctx, "server field: %s: %s", field,
		    strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		inetd_conf_error(ctx, "server field: %s is not a regular file",
		    field);
		return -1;
	}
	if (access(field, X_OK) == -1) {
		inetd_conf_error(ctx, "server field: %s is not executable: %s",
		    field, strerror(errno));
		return -1;
	}
	if ((sc->sc_server = svctab_share(field)) == NULL) {
		inetd_conf_error(ctx, "server field: out of memory");
		return -1;
	}
	return 0;
}

/* The server's argv from the rest of the line; argv[0] defaults to its name. */
static int
inetd_conf_argv(struct inetd_conf_ctx *ctx, char *args, struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);
	const char *base;
	char *arg;
	size_t n = 0;
	int quoted = 0;

	if (sc->sc_builtin != BUILTIN_NONE) {
		/* A port number as service: the first word names the builtin. */
		if ((arg = inetd_conf_next(&args)) != NULL &&
		    builtin_name_find(sc->sc_name) == BUILTIN_NONE) {
			log_debug("%s:%d: builtin %s selected", ctx->ic_path,
			    ctx->ic_line, arg);
			arg = inetd_conf_next(&args);
		}
		if (arg != NULL)
			log_debug("%s:%d: arguments of internal service %s "
			    "ignored", ctx->ic_path, ctx->ic_line, sc->sc_name);
		return 0;
	}
	while ((arg = inetd_conf_next(&args)) != NULL) {
		quoted |= strpbrk(arg, "\"'") != NULL;
		if (++n > INETD_CONF_MAXARGV) {
			inetd_conf_error(ctx, "server arguments: more than %d",
			    INETD_CONF_MAXARGV);
			return -1;
		}
		if (svctab_argv_push(&sc->sc_argv, arg) == -1)
			goto nomem;
	}
	if (quoted && !ctx->ic_quiet)
		log_warnx("%s:%d: server arguments: quotes are passed on as "
		    "characters and do not group words, as Debian's inetd does "
		    "(FreeBSD's and NetBSD's inetd would group them)",
		    ctx->ic_path, ctx->ic_line);
	if (n > 0)
		return 0;
	base = strrchr(sc->sc_server, '/') + 1;
	if (svctab_argv_push(&sc->sc_argv, base) == 0)
		return 0;
nomem:
	inetd_conf_error(ctx, "server arguments: out of memory");
	return -1;
}

/* What a kind adds to SV (a unix path, a tcpmux name, an RPC program). */
static int
inetd_conf_kind(struct inetd_conf_ctx *ctx, const struct inetd_conf_fields *f,
    const struct inetd_conf_proto *pr, struct service *sv)
{
	char why[300];

	if (kind_inetd(sv, f->if_name, pr->ip_name, why, sizeof(why)) == -1) {
		inetd_conf_error(ctx, "%s", why);
		return -1;
	}
	return 0;
}

/*
 * Build the service of split fields F bound to EP (NULL for a unix path);
 * NULL (reported) if a field is bad.
 */
static struct service *
inetd_conf_service(struct inetd_conf_ctx *ctx, struct inetd_conf_fields *f,
    const struct inetd_conf_proto *pr, const struct inetd_endpoint *ep,
    int port)
{
	struct service *sv;

	if ((sv = service_new(f->if_name, ctx->ic_path, ctx->ic_line)) ==
	    NULL) {
		inetd_conf_error(ctx, "service %s: out of memory", f->if_name);
		return NULL;
	}
	sv->sv_socktype = pr->ip_socktype;
	sv->sv_proto = pr->ip_proto;
	if (ep != NULL)
		inetd_addr_set(sv, ep, port);
	if (inetd_conf_kind(ctx, f, pr, sv) == -1 ||
	    inetd_conf_acceptmax(ctx, f->if_acceptmax, sv) == -1 ||
	    inetd_conf_sockopts(ctx, f->if_sockopts, sv) == -1 ||
	    inetd_conf_wait(ctx, f->if_wait, sv) == -1 ||
	    inetd_conf_user(ctx, f->if_user, sv) == -1 ||
	    inetd_conf_server(ctx, f->if_server, f->if_args, sv) == -1 ||
	    inetd_conf_argv(ctx, f->if_args, sv) == -1) {
		service_unref(sv);
		return NULL;
	}
	return sv;
}

/*
 * The services of split fields F, one per socket the line binds, onto
 * the table; -1 (reported) if a field is bad.
 */
static int
inetd_conf_services(struct inetd_conf_ctx *ctx, struct inetd_conf_fields *f)
{
	const struct inetd_conf_proto *pr;
	struct inetd_endpoints eps;
	struct service *sv, *first;
	int socktype, port, i;

	if ((f->if_sockopts = strchr(f->if_proto, ',')) != NULL)
		*f->if_sockopts++ = '\0';
	if ((f->if_acceptmax = strchr(f->if_socktype, ',')) != NULL &&
	    strchr(f->if_acceptmax, ':') == NULL)
		*f->if_acceptmax++ = '\0';
	else
		f->if_acceptmax = NULL;
	if ((socktype = inetd_conf_socktype(ctx, f->if_socktype)) == -1 ||
	    (pr = inetd_conf_proto(ctx, f->if_proto, socktype)) == NULL ||
	    (port = inetd_conf_port(ctx, f->if_name, pr)) == -1)
		return -1;
	if (pr->ip_family == AF_UNIX)
		eps.ie_n = 1;	/* a path, not an address */
	else if (inetd_conf_endpoints(ctx, f->if_host, pr, &eps) == -1)
		return -1;
	if ((first = inetd_conf_service(ctx, f, pr, pr->ip_family == AF_UNIX ?
	    NULL : &eps.ie_list[0], port)) == NULL)
		return -1;
	service_conf_edit(first)->sc_disabled = ctx->ic_quiet;
	TAILQ_INSERT_TAIL(&ctx->ic_tab->st_services, first, sv_entry);
	for (i = 1; i < eps.ie_n; i++) {
		if ((sv = service_clone(first)) == NULL) {
			inetd_conf_error(ctx, "service %s: out of memory",
			    first->sv_conf->sc_name);
			return -1;
		}
		inetd_addr_set(sv, &eps.ie_list[i], port);
		TAILQ_INSERT_TAIL(&ctx->ic_tab->st_services, sv, sv_entry);
	}
	return 0;
}

/* One line without its comment marker: a service or a default address. */
static void
inetd_conf_entry(struct inetd_conf_ctx *ctx, char *line)
{
	struct inetd_conf_fields f;
	const char *why;
	char *first;
	size_t n;

	first = line + strspn(line, INETD_CONF_WS);
	if ((n = strcspn(first, INETD_CONF_WS)) == 0)
		return;
	/* A lone "address:" field sets the default address of later lines. */
	if (first[n - 1] == ':' && first[n + strspn(first + n,
	    INETD_CONF_WS)] == '\0') {
		first[n - 1] = '\0';
		if (*first == '\0')
			inetd_conf_error(ctx, "service field \":\": empty "
			    "address");
		else
			inetd_conf_default_host(ctx, first);
		return;
	}
	if (strncmp(first, ".include", n) == 0 && n == 8) {
		inetd_conf_include(ctx, first + n);
		return;
	}
	if ((why = inetd_bsd_keyvalue(first)) != NULL) {
		inetd_conf_error(ctx, "%s", why);
		return;
	}
	if (inetd_conf_split(ctx, first, &f) == -1 ||
	    /* a unix line's first field is a path, with FreeBSD's colons */
	    (strcmp(f.if_proto, "unix") != 0 &&
	    inetd_conf_split_host(ctx, &f) == -1))
		return;
	inetd_conf_services(ctx, &f);
}

/* One entry (a line with its continuations): comment, #<off># or a service. */
static void
inetd_conf_line(struct inetd_conf_ctx *ctx, char *line)
{
	char *cp;

	cp = line + strspn(line, INETD_CONF_WS);
	ctx->ic_quiet = 0;
	if (strncmp(cp, INETD_CONF_OFF, strlen(INETD_CONF_OFF)) == 0) {
		ctx->ic_quiet = 1;
		inetd_conf_entry(ctx, cp + strlen(INETD_CONF_OFF));
		ctx->ic_quiet = 0;
		return;
	}
	if (*cp == '#' || *cp == '\0')
		return;
	inetd_conf_entry(ctx, cp);
}

/* Read the entry gathered so far, if any, and forget it. */
static void
inetd_conf_flush(struct inetd_conf_ctx *ctx)
{
	int line = ctx->ic_line;

	if (ctx->ic_entrylen == 0)
		return;
	ctx->ic_line = ctx->ic_entryline;
	inetd_conf_line(ctx, ctx->ic_entry);
	ctx->ic_line = line;
	ctx->ic_entrylen = 0;
}

/* Add LEN bytes of LINE to the entry being gathered; -1 when out of memory. */
static int
inetd_conf_gather(struct inetd_conf_ctx *ctx, const char *line, size_t len)
{
	char *p;

	if (ctx->ic_entrylen + len + 2 > ctx->ic_entrycap) {
		if ((p = realloc(ctx->ic_entry, ctx->ic_entrylen + len + 2)) ==
		    NULL)
			return -1;
		ctx->ic_entry = p;
		ctx->ic_entrycap = ctx->ic_entrylen + len + 2;
	}
	if (ctx->ic_entrylen == 0)
		ctx->ic_entryline = ctx->ic_line;
	else
		ctx->ic_entry[ctx->ic_entrylen++] = ' ';
	memcpy(ctx->ic_entry + ctx->ic_entrylen, line, len);
	ctx->ic_entrylen += len;
	ctx->ic_entry[ctx->ic_entrylen] = '\0';
	return 0;
}

/*
 * One physical line of LEN bytes.  A line that starts with a space or a
 * tab continues the entry above it, as in every BSD inetd, busybox and
 * Debian; any other line ends it.  A comment or blank line ends an entry
 * too, so an indented line after one starts an entry of its own.
 */
static void
inetd_conf_physical(struct inetd_conf_ctx *ctx, char *line, size_t len)
{
	const char *cp, *why;

	if (strlen(line) != len) {
		inetd_conf_error(ctx, "line contains a NUL byte");
		return;
	}
	line[strcspn(line, "\r\n")] = '\0';
	len = strlen(line);
	if ((line[0] == ' ' || line[0] == '\t') && ctx->ic_entrylen > 0) {
		if (inetd_conf_gather(ctx, line, len) == -1)
			inetd_conf_error(ctx, "out of memory");
		return;
	}
	inetd_conf_flush(ctx);
	if ((why = inetd_bsd_ipsec(line)) != NULL) {
		inetd_conf_error(ctx, "%s", why);
		return;
	}
	cp = line + strspn(line, INETD_CONF_WS);
	if (*cp == '\0' || (*cp == '#' && strncmp(cp, INETD_CONF_OFF,
	    strlen(INETD_CONF_OFF)) != 0))
		return;
	if (inetd_conf_gather(ctx, line, len) == -1)
		inetd_conf_error(ctx, "out of memory");
}

/* Read every line of FP into CTX's table. */
static void
inetd_conf_read(struct inetd_conf_ctx *ctx, FILE *fp)
{
	char *line = NULL, *text;
	size_t cap = 0, size;
	ssize_t len;
	struct stat st;
	FILE *mem = NULL;

	if (fileno(fp) != -1 && fstat(fileno(fp), &st) == 0) {
		ctx->ic_dev = st.st_dev;
		ctx->ic_ino = st.st_ino;
	}
	if ((text = slurp_stream(fp, SIZE_MAX, &size)) == NULL || (size > 0 &&
	    (mem = fmemopen(text, size, "r")) == NULL)) {
		svctab_error(ctx->ic_tab, ctx->ic_path, 0, "read error: %s",
		    strerror(errno));
		ctx->ic_errors++;
		free(text);
		return;
	}
	while (mem != NULL && (len = getline(&line, &cap, mem)) != -1) {
		if (ctx->ic_line < INT_MAX)
			ctx->ic_line++;
		inetd_conf_physical(ctx, line, (size_t)len);
	}
	inetd_conf_flush(ctx);
	free(ctx->ic_entry);
	ctx->ic_entry = NULL;
	free(line);
	if (mem != NULL)
		fclose(mem);
	free(text);
}

/* Read the file PATH, included from CTX, with CTX's default addresses. */
static void
inetd_conf_include_file(struct inetd_conf_ctx *ctx, const char *path)
{
	struct inetd_conf_ctx *sub, *up;
	struct stat st;
	FILE *fp;

	for (up = ctx; stat(path, &st) == 0 && up != NULL; up = up->ic_parent)
		if (up->ic_dev == st.st_dev && up->ic_ino == st.st_ino &&
		    up->ic_ino != 0) {
			inetd_conf_error(ctx, ".include %s: includes %s, which "
			    "includes this file (a loop)", path, up->ic_path);
			return;
		}
	if ((sub = calloc(1, sizeof(*sub))) == NULL) {
		inetd_conf_error(ctx, ".include %s: out of memory", path);
		return;
	}
	svctab_note_path(ctx->ic_tab, path, 0);
	if ((fp = fopen(path, "r")) == NULL) {
		inetd_conf_error(ctx, ".include %s: %s", path, strerror(errno));
		free(sub);
		return;
	}
	sub->ic_tab = ctx->ic_tab;
	sub->ic_path = path;
	sub->ic_def = ctx->ic_def;
	sub->ic_defline = ctx->ic_defline;
	sub->ic_depth = ctx->ic_depth + 1;
	sub->ic_parent = ctx;
	log_info("%s:%d: including %s", ctx->ic_path, ctx->ic_line, path);
	inetd_conf_read(sub, fp);
	ctx->ic_errors += sub->ic_errors;
	fclose(fp);
	free(sub);
}

/*
 * NetBSD's ".include GLOB": every file it names, in sorted order, relative
 * to this file's directory; the default address is inherited.
 */
static void
inetd_conf_include(struct inetd_conf_ctx *ctx, char *rest)
{
	char err[400], pattern[PATH_MAX], **paths, *arg;
	size_t i;

	if (ctx->ic_quiet)
		return;
	if ((arg = inetd_conf_next(&rest)) == NULL) {
		inetd_conf_error(ctx, ".include: expected a path or pattern");
		return;
	}
	if (ctx->ic_depth >= INETD_CONF_DEPTH) {
		inetd_conf_error(ctx, ".include %s: more than %d nested "
		    "includes (a file that includes itself?)", arg,
		    INETD_CONF_DEPTH);
		return;
	}
	if (inetd_bsd_include(ctx->ic_path, arg, &paths, pattern,
	    sizeof(pattern), err, sizeof(err)) == -1) {
		inetd_conf_error(ctx, "%s", err);
		return;
	}
	if (*pattern != '\0')	/* a file it matches later: watch.c */
		svctab_note_path(ctx->ic_tab, pattern, 0);
	for (i = 0; paths != NULL && paths[i] != NULL; i++)
		inetd_conf_include_file(ctx, paths[i]);
	strv_free(paths);
}

/* Read every line of FP (named PATH) into TAB; -1 if any line was refused. */
int
inetd_conf_parse(struct svctab *tab, const char *path, FILE *fp)
{
	struct inetd_conf_ctx *ctx;
	int errors;

	if ((ctx = calloc(1, sizeof(*ctx))) == NULL) {
		svctab_error(tab, path, 0, "out of memory");
		return -1;
	}
	ctx->ic_tab = tab;
	ctx->ic_path = path;
	inetd_conf_read(ctx, fp);
	errors = ctx->ic_errors;
	free(ctx);
	return errors > 0 ? -1 : 0;
}
