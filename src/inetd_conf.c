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
#define INETD_CONF_HOSTLEN 64	     /* longest address literal kept */

/* One protocol field value and the socket it asks for. */
struct inetd_conf_proto {
	const char *ip_name; /* as written in the protocol field */
	int ip_socktype;     /* SOCK_STREAM or SOCK_DGRAM */
	int ip_proto;	     /* IPPROTO_TCP or IPPROTO_UDP */
	int ip_family;	     /* AF_INET or AF_INET6 */
	int ip_v6only;	     /* IPV6_V6ONLY for AF_INET6 */
};

static const struct inetd_conf_proto inetd_conf_protos[] = {
	{ "tcp", SOCK_STREAM, IPPROTO_TCP, AF_INET, 0 },
	{ "tcp4", SOCK_STREAM, IPPROTO_TCP, AF_INET, 0 },
	{ "tcp6", SOCK_STREAM, IPPROTO_TCP, AF_INET6, 1 },
	{ "tcp46", SOCK_STREAM, IPPROTO_TCP, AF_INET6, 0 },
	{ "udp", SOCK_DGRAM, IPPROTO_UDP, AF_INET, 0 },
	{ "udp4", SOCK_DGRAM, IPPROTO_UDP, AF_INET, 0 },
	{ "udp6", SOCK_DGRAM, IPPROTO_UDP, AF_INET6, 1 },
	{ "udp46", SOCK_DGRAM, IPPROTO_UDP, AF_INET6, 0 },
};

/* First words of a line that only the native superd.conf syntax uses. */
static const char *const inetd_conf_native_words[] = {
	"service", "defaults", "include", "inetd_conf", "}",
};

/* The state of one file being read. */
struct inetd_conf_ctx {
	struct svctab *ic_tab;	/* where services and errors go */
	const char *ic_path;	/* file being read, for messages */
	int ic_line;		/* current line number */
	int ic_quiet;		/* a #<off># line: problems are debug lines */
	int ic_errors;		/* errors reported for this file */
	char ic_defhost[INETD_CONF_HOSTLEN]; /* default address, "" for any */
	int ic_defline;		/* line that set ic_defhost */
};

/* The fields of one service line, split in place. */
struct inetd_conf_fields {
	char *if_host;	   /* address prefix of the first field, or NULL */
	char *if_name;	   /* service name or port number */
	char *if_socktype; /* stream or dgram */
	char *if_proto;	   /* tcp, udp, tcp6, ... */
	char *if_wait;	   /* wait or nowait, with limits */
	char *if_user;	   /* user, optionally :group or .group */
	char *if_server;   /* absolute path or "internal" */
	char *if_args;	   /* rest of the line: argv, may be empty */
};

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
static char *
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

/* Whether WORD is a first word only superd.conf uses. */
static int
inetd_conf_native_word(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(inetd_conf_native_words) /
	    sizeof(inetd_conf_native_words[0]); i++)
		if (strcmp(word, inetd_conf_native_words[i]) == 0)
			return 1;
	return 0;
}

/* Classify one line: 1 classic, 0 native, -1 says nothing (comment, blank). */
static int
inetd_conf_classify(char *line)
{
	char *cp, *w1, *w2;

	cp = line + strspn(line, INETD_CONF_WS);
	if (strncmp(cp, INETD_CONF_OFF, strlen(INETD_CONF_OFF)) == 0)
		return 1;
	if (*cp == '#' || *cp == '\0')
		return -1;
	if (strncmp(cp, "/*", 2) == 0 || strncmp(cp, "//", 2) == 0)
		return 0;
	if ((w1 = inetd_conf_next(&cp)) == NULL)
		return -1;
	if (inetd_conf_native_word(w1) || strpbrk(w1, "={}(") != NULL)
		return 0;
	if ((w2 = inetd_conf_next(&cp)) == NULL)
		return w1[strlen(w1) - 1] == ':' ? 1 : -1;
	if (w2[0] == '=' || w2[0] == '{')
		return 0;
	if (strcmp(w2, "stream") == 0 || strcmp(w2, "dgram") == 0 ||
	    strcmp(w2, "raw") == 0 || strcmp(w2, "rdm") == 0 ||
	    strcmp(w2, "seqpacket") == 0)
		return 1;
	return -1;
}

/* Whether FP holds classic inetd.conf lines (1) or superd.conf (0); rewinds. */
int
inetd_conf_looks_classic(FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;
	int verdict = -1;

	while (verdict == -1 && getline(&line, &cap, fp) != -1)
		verdict = inetd_conf_classify(line);
	free(line);
	rewind(fp);
	/* Undecided (empty, comments only): the classic parser reports best. */
	return verdict == -1 ? 1 : verdict;
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

/* Split the first field into address prefix and service name. */
static int
inetd_conf_split_host(struct inetd_conf_ctx *ctx, struct inetd_conf_fields *f)
{
	char *first = f->if_name, *colon;

	if (first[0] == '[') {
		if ((colon = strchr(first, ']')) == NULL || colon[1] != ':') {
			inetd_conf_error(ctx, "service field \"%s\": expected "
			    "[IPv6 address]:service", first);
			return -1;
		}
		colon++;
	} else if ((colon = strrchr(first, ':')) == NULL)
		return 0;
	*colon = '\0';
	f->if_host = first;
	f->if_name = colon + 1;
	if (*f->if_host == '\0') {
		inetd_conf_error(ctx, "service field \":%s\": empty address "
		    "before ':'", f->if_name);
		return -1;
	}
	return 0;
}

/* The family of address literal HOST ("*" gives 0); -1 (reported) if not one. */
static int
inetd_conf_host_family(struct inetd_conf_ctx *ctx, const char *host)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (strcmp(host, "*") == 0)
		return 0;
	if (strlen(host) >= INETD_CONF_HOSTLEN ||
	    svctab_parse_addr(host, 0, &ss, &len) == -1) {
		inetd_conf_error(ctx, "address \"%.*s\" is not a numeric IPv4 "
		    "or [IPv6] literal (host names are not resolved: no DNS "
		    "lookups at load time)", INETD_CONF_HOSTLEN, host);
		return -1;
	}
	return ss.ss_family;
}

/* A line that is only "address:": the default bind address of later lines. */
static void
inetd_conf_default_host(struct inetd_conf_ctx *ctx, const char *host)
{
	if (ctx->ic_quiet) {
		log_debug("%s:%d: disabled default address line ignored",
		    ctx->ic_path, ctx->ic_line);
		return;
	}
	if (inetd_conf_host_family(ctx, host) == -1)
		return;
	if (strcmp(host, "*") == 0)
		ctx->ic_defhost[0] = '\0';
	else
		snprintf(ctx->ic_defhost, sizeof(ctx->ic_defhost), "%s", host);
	ctx->ic_defline = ctx->ic_line;
}

/* The socket type field: SOCK_STREAM or SOCK_DGRAM, -1 (reported) otherwise. */
static int
inetd_conf_socktype(struct inetd_conf_ctx *ctx, const char *field)
{
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
	size_t i;

	for (i = 0; i < sizeof(inetd_conf_protos) /
	    sizeof(inetd_conf_protos[0]); i++)
		if (strcmp(field, inetd_conf_protos[i].ip_name) == 0)
			pr = &inetd_conf_protos[i];
	if (pr == NULL) {
		if (strncmp(field, "rpc/", 4) == 0)
			inetd_conf_error(ctx, "protocol field \"%s\": RPC "
			    "services are not supported", field);
		else if (strcmp(field, "unix") == 0)
			inetd_conf_error(ctx, "protocol field \"%s\": unix "
			    "sockets are not supported", field);
		else
			inetd_conf_error(ctx, "protocol field \"%s\" is unknown "
			    "(use tcp, udp, tcp4, udp4, tcp6, udp6, tcp46 or "
			    "udp46)", field);
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

/* The port of the service field for PR; -1 (reported) if it has none. */
static int
inetd_conf_port(struct inetd_conf_ctx *ctx, const char *name,
    const struct inetd_conf_proto *pr)
{
	int port;

	if (strcmp(name, "tcpmux") == 0 || strncmp(name, "tcpmux/", 7) == 0) {
		inetd_conf_error(ctx, "service field \"%s\": tcpmux services "
		    "are not supported", name);
		return -1;
	}
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

/* Bind address and PORT of SV: the prefix, the default address or any. */
static int
inetd_conf_addr(struct inetd_conf_ctx *ctx, const char *host,
    const struct inetd_conf_proto *pr, int port, struct service *sv)
{
	const char *from = "";
	char note[64] = "";
	int family;

	if (host == NULL && ctx->ic_defhost[0] != '\0') {
		host = ctx->ic_defhost;
		snprintf(note, sizeof(note), " (default address from line %d)",
		    ctx->ic_defline);
		from = note;
	}
	if (host == NULL)
		host = "*";
	if ((family = inetd_conf_host_family(ctx, host)) == -1)
		return -1;
	if (family != 0 && family != pr->ip_family) {
		inetd_conf_error(ctx, "address %s%s is %s but protocol %s is %s "
		    "(use %s)", host, from, family == AF_INET ? "IPv4" : "IPv6",
		    pr->ip_name, pr->ip_family == AF_INET ? "IPv4" : "IPv6",
		    family == AF_INET ? "tcp/udp or tcp4/udp4" :
		    "tcp6/udp6 or tcp46/udp46");
		return -1;
	}
	if (family == 0)
		host = pr->ip_family == AF_INET6 ? "::" : "0.0.0.0";
	if (svctab_set_addr(sv, host, port) ==
	    -1) {
		inetd_conf_error(ctx, "address %s: cannot be parsed", host);
		return -1;
	}
	sv->sv_v6only = pr->ip_v6only;
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

/* FreeBSD's "/max-child[/max-conn-per-ip-per-minute[/max-child-per-ip]]". */
static int
inetd_conf_wait_slashes(struct inetd_conf_ctx *ctx, const char *field,
    const char *cp, struct service *sv)
{
	int *limits[] = {
		&sv->sv_instances, &sv->sv_per_ip_rate, &sv->sv_per_source,
	};
	size_t i;

	for (i = 0; *cp == '/'; i++) {
		cp++;
		if (i >= sizeof(limits) / sizeof(limits[0]) ||
		    inetd_conf_number(&cp, limits[i]) == -1) {
			inetd_conf_error(ctx, "wait/nowait field \"%s\": expected "
			    "/max-child[/max-conn-per-ip-per-minute"
			    "[/max-child-per-ip]] with numbers 0-%d", field,
			    INT_MAX);
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
	const char *cp;

	if (strncmp(field, "nowait", 6) == 0) {
		sv->sv_wait = 0;
		cp = field + 6;
	} else if (strncmp(field, "wait", 4) == 0) {
		sv->sv_wait = 1;
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
	if (*cp == '.') {
		cp++;
		if (inetd_conf_number(&cp, &sv->sv_max_per_minute) == 0 &&
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
	char *group = NULL, *sep;

	if ((sep = strchr(field, ':')) == NULL &&
	    svctab_resolve_user(field, &sv->sv_uid, &sv->sv_gid) == -1)
		sep = strchr(field, '.');
	if (sep != NULL) {
		*sep = '\0';
		group = sep + 1;
	}
	if (*field == '\0' || (group != NULL && *group == '\0')) {
		inetd_conf_error(ctx, "user field: empty user or group name");
		return -1;
	}
	if (svctab_resolve_user(field, &sv->sv_uid, &sv->sv_gid) == -1) {
		inetd_conf_error(ctx, "user field: unknown user \"%s\"", field);
		return -1;
	}
	if (group != NULL && svctab_resolve_group(group, &sv->sv_gid) == -1) {
		inetd_conf_error(ctx, "user field: unknown group \"%s\"", group);
		return -1;
	}
	if (svctab_user_groups(field, sv->sv_gid, &sv->sv_groups,
	    &sv->sv_ngroups) == -1) {
		inetd_conf_error(ctx, "user field: cannot read the groups of "
		    "user \"%s\"", field);
		return -1;
	}
	if ((sv->sv_user = svctab_share(field)) == NULL) {
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
	struct stat st;
	char word[32];

	if (strcmp(field, "internal") == 0) {
		if ((sv->sv_builtin = builtin_find(sv->sv_name)) !=
		    BUILTIN_NONE)
			return 0;
		if (args != NULL && sscanf(args, "%31s", word) == 1 &&
		    (sv->sv_builtin = builtin_find(word)) != BUILTIN_NONE)
			return 0;
		inetd_conf_error(ctx, "server field: no internal service named "
		    "\"%s\" (echo, discard, chargen, daytime, time)",
		    sv->sv_name);
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
	if ((sv->sv_server = svctab_share(field)) == NULL) {
		inetd_conf_error(ctx, "server field: out of memory");
		return -1;
	}
	return 0;
}

/* The server's argv from the rest of the line; argv[0] defaults to its name. */
static int
inetd_conf_argv(struct inetd_conf_ctx *ctx, char *args, struct service *sv)
{
	const char *base;
	char *arg;
	size_t n = 0;

	if (sv->sv_builtin != BUILTIN_NONE) {
		/* A port number as service: the first word names the builtin. */
		if ((arg = inetd_conf_next(&args)) != NULL &&
		    builtin_find(sv->sv_name) == BUILTIN_NONE) {
			log_debug("%s:%d: builtin %s selected", ctx->ic_path,
			    ctx->ic_line, arg);
			arg = inetd_conf_next(&args);
		}
		if (arg != NULL)
			log_debug("%s:%d: arguments of internal service %s "
			    "ignored", ctx->ic_path, ctx->ic_line, sv->sv_name);
		return 0;
	}
	while ((arg = inetd_conf_next(&args)) != NULL) {
		if (++n > INETD_CONF_MAXARGV) {
			inetd_conf_error(ctx, "server arguments: more than %d",
			    INETD_CONF_MAXARGV);
			return -1;
		}
		if (strv_push(&sv->sv_argv, arg) == -1)
			goto nomem;
	}
	if (n > 0)
		return 0;
	base = strrchr(sv->sv_server, '/') + 1;
	if (strv_push(&sv->sv_argv, base) == 0)
		return 0;
nomem:
	inetd_conf_error(ctx, "server arguments: out of memory");
	return -1;
}

/* Build the service of split fields F; NULL (reported) if a field is bad. */
static struct service *
inetd_conf_service(struct inetd_conf_ctx *ctx, struct inetd_conf_fields *f)
{
	const struct inetd_conf_proto *pr;
	struct service *sv;
	int socktype, port;

	if ((socktype = inetd_conf_socktype(ctx, f->if_socktype)) == -1 ||
	    (pr = inetd_conf_proto(ctx, f->if_proto, socktype)) == NULL ||
	    (port = inetd_conf_port(ctx, f->if_name, pr)) == -1)
		return NULL;
	if ((sv = service_new(f->if_name, ctx->ic_path, ctx->ic_line)) ==
	    NULL) {
		inetd_conf_error(ctx, "service %s: out of memory", f->if_name);
		return NULL;
	}
	sv->sv_socktype = pr->ip_socktype;
	sv->sv_proto = pr->ip_proto;
	if (inetd_conf_addr(ctx, f->if_host, pr, port, sv) == -1 ||
	    inetd_conf_wait(ctx, f->if_wait, sv) == -1 ||
	    inetd_conf_user(ctx, f->if_user, sv) == -1 ||
	    inetd_conf_server(ctx, f->if_server, f->if_args, sv) == -1 ||
	    inetd_conf_argv(ctx, f->if_args, sv) == -1) {
		service_unref(sv);
		return NULL;
	}
	return sv;
}

/* One line without its comment marker: a service or a default address. */
static void
inetd_conf_entry(struct inetd_conf_ctx *ctx, char *line)
{
	struct inetd_conf_fields f;
	struct service *sv;
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
	if (inetd_conf_split(ctx, first, &f) == -1 ||
	    inetd_conf_split_host(ctx, &f) == -1 ||
	    (sv = inetd_conf_service(ctx, &f)) == NULL)
		return;
	sv->sv_disabled = ctx->ic_quiet;
	TAILQ_INSERT_TAIL(&ctx->ic_tab->st_services, sv, sv_entry);
}

/* One physical line of LEN bytes: comment, blank, #<off># or an entry. */
static void
inetd_conf_line(struct inetd_conf_ctx *ctx, char *line, size_t len)
{
	char *cp;

	if (strlen(line) != len) {
		inetd_conf_error(ctx, "line contains a NUL byte");
		return;
	}
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

/* Read every line of FP (named PATH) into TAB; -1 if any line was refused. */
int
inetd_conf_parse(struct svctab *tab, const char *path, FILE *fp)
{
	struct inetd_conf_ctx ctx;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	memset(&ctx, 0, sizeof(ctx));
	ctx.ic_tab = tab;
	ctx.ic_path = path;
	while ((len = getline(&line, &cap, fp)) != -1) {
		if (ctx.ic_line < INT_MAX)
			ctx.ic_line++;
		inetd_conf_line(&ctx, line, (size_t)len);
	}
	free(line);
	if (ferror(fp)) {
		svctab_error(tab, path, 0, "read error: %s", strerror(errno));
		ctx.ic_errors++;
	}
	return ctx.ic_errors > 0 ? -1 : 0;
}
