/* SPDX-License-Identifier: ISC */
/*
 * TCP wrappers: /etc/hosts.allow and /etc/hosts.deny through libwrap, as
 * Debian's inetd and xinetd check them, with the daemon name they use
 * (the server's basename; the service name for builtins and for services
 * converted from xinetd).
 *
 * No DNS lookup may block the daemon.  While every rule of the two files
 * names clients by address, network, ALL or EXCEPT only, and has no
 * options (spawn, twist, ...), the daemon decides from the peer's address
 * alone, exactly.  When a rule needs more (a host name, LOCAL, KNOWN,
 * PARANOID, user@host, a pattern file, options), a command service is
 * checked in its own forked child before exec, where a slow lookup costs
 * that connection only, and options run there as under tcpd; a builtin is
 * still decided in the daemon from the address, as for a client whose
 * host name is unknown (superd(8)).  The files are re-read when they
 * change, as libwrap reads them for each check.  libwrap (and libnsl,
 * libtirpc and Kerberos behind it) is opened when a loaded service first
 * uses TCP wrappers (wrap_open, dynlib.c), so a daemon without them never
 * maps it.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

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

#define WRAP_ALLOW "/etc/hosts.allow"
#define WRAP_DENY "/etc/hosts.deny"

/* What the daemon knows of the two files. */
struct wrap_state {
	struct stat ws_st[2]; /* as last scanned (st_ino 0: absent) */
	int ws_scanned;	      /* ws_st and ws_simple are valid */
	int ws_simple;	      /* every rule is decided by the address */
	int ws_rules;	      /* lines that are not comments, both files */
	int ws_unread;	      /* a file could not be read: scan again */
};
static struct wrap_state wrap_state;

static int wrap_lib_open(void);

/* Whether client pattern TOK is decided by the peer's address alone. */
static int
wrap_token_simple(const char *tok)
{
	static const char *const words[] = { "ALL", "EXCEPT" };
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(tok, words[i]) == 0)
			return 1;
	if (tok[0] == '[')
		return strchr(tok, '@') == NULL && strpbrk(tok, "*?") == NULL;
	for (; *tok != '\0'; tok++)
		if (!isdigit((unsigned char)*tok) && *tok != '.' && *tok != '/')
			return 0;
	return 1;
}

/* Whether the rule LINE (comment and continuations resolved) is simple. */
static int
wrap_rule_simple(char *line)
{
	char *daemons, *clients, *tok, *p;
	int depth = 0;

	daemons = line;
	for (p = line; *p != '\0' && (*p != ':' || depth > 0); p++)
		depth += *p == '[' ? 1 : *p == ']' ? -1 : 0;
	if (*p != ':')
		return 1;	/* not a rule: libwrap ignores it too */
	*p = '\0';
	clients = p + 1;
	for (p = clients, depth = 0; *p != '\0' && (*p != ':' || depth > 0); p++)
		depth += *p == '[' ? 1 : *p == ']' ? -1 : 0;
	if (*p == ':')
		return 0;	/* options: run only where tcpd would run them */
	if (strchr(daemons, '@') != NULL)
		return 0;	/* server endpoint patterns */
	for (tok = strtok(clients, " \t,"); tok != NULL;
	    tok = strtok(NULL, " \t,"))
		if (!wrap_token_simple(tok))
			return 0;
	return 1;
}

/*
 * Whether every rule of the file PATH is simple (an absent file is); its
 * lines other than comments and blanks are added to *RULES.  A file that
 * cannot be read (out of descriptors) counts as a complex rule: the
 * scan is not kept, so the next check reads it again.
 */
static int
wrap_file_simple(const char *path, int *rules)
{
	char *line = NULL, *rule = NULL, *p;
	size_t cap = 0, len = 0;
	int simple = 1;
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return 1;
		(*rules)++;
		wrap_state.ws_unread = 1;
		return 0;
	}
	while (simple && getline(&line, &cap, fp) != -1) {
		line[strcspn(line, "\n")] = '\0';
		if ((p = realloc(rule, len + strlen(line) + 2)) == NULL) {
			simple = 0;
			break;
		}
		rule = p;
		strcpy(rule + len, line);
		len += strlen(line);
		if (len > 0 && rule[len - 1] == '\\') {
			rule[--len] = ' ';
			len++;
			continue;
		}
		p = rule + strspn(rule, " \t");
		if (*p != '#' && *p != '\0') {
			(*rules)++;
			simple = wrap_rule_simple(p);
		}
		len = 0;
	}
	free(line);
	free(rule);
	fclose(fp);
	return simple;
}

/* Whether the files are unchanged since the last scan. */
static int
wrap_unchanged(struct stat *now)
{
	const char *paths[2] = { WRAP_ALLOW, WRAP_DENY };
	int i, same = wrap_state.ws_scanned;

	for (i = 0; i < 2; i++) {
		if (stat(paths[i], &now[i]) == -1)
			memset(&now[i], 0, sizeof(now[i]));
		same = same && now[i].st_ino == wrap_state.ws_st[i].st_ino &&
		    now[i].st_dev == wrap_state.ws_st[i].st_dev &&
		    now[i].st_size == wrap_state.ws_st[i].st_size &&
		    now[i].st_mtim.tv_sec == wrap_state.ws_st[i].st_mtim.tv_sec &&
		    now[i].st_mtim.tv_nsec == wrap_state.ws_st[i].st_mtim.tv_nsec;
	}
	return same;
}

/* Whether the daemon can decide every rule from the address alone. */
int
wrap_simple(void)
{
	struct stat now[2];

	if (!wrap_unchanged(now)) {
		wrap_state.ws_rules = wrap_state.ws_unread = 0;
		wrap_state.ws_simple = wrap_file_simple(WRAP_ALLOW,
		    &wrap_state.ws_rules) && wrap_file_simple(WRAP_DENY,
		    &wrap_state.ws_rules);
		memcpy(wrap_state.ws_st, now, sizeof(now));
		wrap_state.ws_scanned = !wrap_state.ws_unread;
	}
	return wrap_state.ws_simple;
}

/* The daemon name SV is checked under. */
const char *
wrap_name(const struct service *sv)
{
	const char *slash;

	if (sv->sv_wrap_name != NULL)
		return sv->sv_wrap_name;
	if (sv->sv_builtin != BUILTIN_NONE || sv->sv_server == NULL)
		return sv->sv_name;
	slash = strrchr(sv->sv_server, '/');
	return slash != NULL ? slash + 1 : sv->sv_server;
}

/*
 * Whether a child of SV checks the rules itself, before exec (libwrap is
 * opened here, in the daemon, for it: the child may share its memory).
 */
int
wrap_in_child(const struct service *sv)
{
	if (!sv->sv_wrap || sv->sv_builtin != BUILTIN_NONE || wrap_simple())
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
 * user.  -1: they could not be read, no descriptor left (not a refusal by
 * the rules).  A command service whose rules need more is let through
 * here: its child checks (wrap_child).
 */
int
wrap_permits(const struct service *sv, const struct sockaddr_storage *peer)
{
	char addr[64];
	int ok;

	if (!sv->sv_wrap || peer == NULL || peer->ss_family == 0)
		return 1;
	if (!wrap_simple() && sv->sv_builtin == BUILTIN_NONE)
		return 1;	/* its child decides (wrap_in_child) */
	if (wrap_state.ws_rules == 0)
		return 1;	/* no rule: libwrap would let every client in */
	if (wrap_lib_open() == -1)
		return 0;	/* fail closed; wrap_lib_open logged why */
	log_inaddr(peer->ss_family, peer->ss_family == AF_INET ?
	    (const void *)&((const struct sockaddr_in *)peer)->sin_addr :
	    (const void *)&((const struct sockaddr_in6 *)peer)->sin6_addr,
	    addr, sizeof(addr));
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
	wrap_lib.wl_request_init(&req, RQ_DAEMON, wrap_name(sv), RQ_FILE, fd, 0);
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
 * At load: open libwrap when a service of TAB uses TCP wrappers and
 * hosts.allow or hosts.deny has a rule (with none, libwrap lets every
 * client in, and is not needed).  -1 (an error of TAB) when it cannot be.
 */
int
wrap_open(struct svctab *tab)
{
	const struct service *sv;
	char why[256];

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry)
		if (sv->sv_wrap && !sv->sv_disabled)
			break;
	if (sv == NULL || (wrap_simple(), wrap_state.ws_rules == 0))
		return 0;
	if (wrap_lib_load(why, sizeof(why)) == -1) {
		svctab_error(tab, sv->sv_file, sv->sv_line, "service %s uses "
		    "TCP wrappers and %s or %s has rules, but libwrap cannot "
		    "be loaded: %s", sv->sv_name, WRAP_ALLOW, WRAP_DENY, why);
		return -1;
	}
	return 0;
}
