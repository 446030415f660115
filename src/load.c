/* SPDX-License-Identifier: ISC */
/*
 * Reading a configuration into a service table: the choice of parser
 * (inetd.conf or superd.conf, by the first line that tells them apart),
 * then the whole-table checks (user,
 * sandbox, strict servers, the kinds, access, endpoint conflicts).  It
 * sits above the table and both parsers, so that the table never calls
 * the code that fills it; superd.c and reload.c call it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "superd.h"

#define LOAD_WS " \t\r\n\v\f" /* inetd.conf field separators */
#define LOAD_OFF "#<off>#"	  /* update-inetd's disabled marker */

/* First words of a line that only the native superd.conf syntax uses. */
static const char *const load_native_words[] = {
	"service", "defaults", "include", "inetd_conf", "}",
};

/* Whether WORD is a first word only superd.conf uses. */
static int
load_native_word(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(load_native_words) /
	    sizeof(load_native_words[0]); i++)
		if (strcmp(word, load_native_words[i]) == 0)
			return 1;
	return 0;
}

/* Classify one line: 1 classic, 0 native, -1 says nothing (comment, blank). */
static int
load_classify(char *line)
{
	char *cp, *w1, *w2;

	cp = line + strspn(line, LOAD_WS);
	if (strncmp(cp, LOAD_OFF, strlen(LOAD_OFF)) == 0)
		return 1;
	if (*cp == '#' || *cp == '\0')
		return -1;
	if (strncmp(cp, "/*", 2) == 0 || strncmp(cp, "//", 2) == 0)
		return 0;
	if ((w1 = inetd_conf_next(&cp)) == NULL)
		return -1;
	if (load_native_word(w1) || strpbrk(w1, "={}(") != NULL)
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
load_looks_classic(FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;
	int verdict = -1;

	while (verdict == -1 && getline(&line, &cap, fp) != -1)
		verdict = load_classify(line);
	free(line);
	rewind(fp);
	/* Undecided (empty, comments only): the classic parser reports best. */
	return verdict == -1 ? 1 : verdict;
}

/* Read PATH with the parser FORMAT picks (by content for CONF_AUTO). */
int
load_file(struct svctab *tab, const char *path, enum conf_format format)
{
	FILE *fp;
	int rc;

	lookup_cache_clear();
	svctab_note_path(tab, path, 0);
	free(tab->st_path);
	tab->st_path = strdup(path);
	if ((fp = fopen(path, "r")) == NULL) {
		svctab_error(tab, path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (format == CONF_AUTO)
		format = load_looks_classic(fp) ? CONF_INETD : CONF_NATIVE;
	tab->st_format = format;
	if (format == CONF_INETD)
		rc = inetd_conf_parse(tab, path, fp);
	else
		rc = conf_parse(tab, path);
	fclose(fp);
	/* Conflicts are reported with the other errors, not after them. */
	if (load_validate(tab) == -1)
		rc = -1;
	return tab->st_nerrors > 0 ? -1 : rc;
}

/*
 * With a global user, the daemon runs unprivileged: it can only start
 * children as that user, and cannot chroot.
 */
static void
load_validate_user(struct svctab *tab)
{
	struct globals *gl = &tab->st_globals;
	struct service *sv;

	if (gl->gl_user == NULL)
		return;
	if (lookup_cache_user(gl->gl_user, &gl->gl_uid, &gl->gl_gid) == -1) {
		svctab_error(tab, "user", 0, "unknown user \"%s\" for the "
		    "daemon", gl->gl_user);
		return;
	}
	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		if (sv->sv_conf->sc_disabled || sv->sv_conf->sc_builtin !=
		    BUILTIN_NONE)
			continue;
		if (sv->sv_conf->sc_uid != gl->gl_uid)
			svctab_error(tab, sv->sv_conf->sc_file,
			    sv->sv_conf->sc_line, "service %s runs as %s, but "
			    "the daemon runs as user %s and can start children "
			    "only as itself", sv->sv_conf->sc_name,
			    sv->sv_conf->sc_user ? sv->sv_conf->sc_user : "?",
			    gl->gl_user);
		else if (sv->sv_conf->sc_chroot != NULL)
			svctab_error(tab, sv->sv_conf->sc_file,
			    sv->sv_conf->sc_line, "service %s: chroot needs "
			    "root, but the daemon runs as user %s",
			    sv->sv_conf->sc_name, gl->gl_user);
	}
}

/*
 * A stream wait server accepts its own connections: superd never sees a
 * peer, so no access list or time can be applied; refuse the config.
 */
static void
load_validate_access(struct svctab *tab, const struct service *sv)
{
	const char *opt = sv->sv_conf->sc_rare->sc_only_from.acl_n > 0 ? "only_from" :
	    sv->sv_conf->sc_rare->sc_no_access.acl_n > 0 ? "no_access" :
	    sv->sv_conf->sc_rare->sc_ntimes > 0 ? "access_times" : NULL;

	if (opt != NULL && sv->sv_conf->sc_wait && sv->sv_socktype ==
	    SOCK_STREAM)
		svctab_error(tab, sv->sv_conf->sc_file, sv->sv_conf->sc_line,
		    "service %s: %s cannot be enforced for a stream wait "
		    "service (the server accepts its own connections)",
		    sv->sv_conf->sc_name, opt);
}

/*
 * An IPv4-mapped bind address (::ffff:a.b.c.d) on an IPv6-only socket:
 * the kernel refuses the bind (EINVAL), so -t must refuse it too.
 */
static void
load_validate_mapped(struct svctab *tab, const struct service *sv)
{
	char addr[INET6_ADDRSTRLEN];

	if (sv->sv_addr.ss_family != AF_INET6 || !sv->sv_v6only ||
	    !IN6_IS_ADDR_V4MAPPED(&sv->sv_addr.sin6.sin6_addr) ||
	    inet_ntop(AF_INET6, &sv->sv_addr.sin6.sin6_addr, addr,
	    sizeof(addr)) == NULL)
		return;
	svctab_error(tab, sv->sv_conf->sc_file, sv->sv_conf->sc_line,
	    "service %s: bind address %s is IPv4-mapped, which an IPv6-only "
	    "socket (%s) cannot bind; write the IPv4 address, or use tcp46/"
	    "udp46", sv->sv_conf->sc_name, addr, svctab_proto_name(sv));
}

/* Whole-table checks: no two enabled endpoints in conflict; the user. */
int
load_validate(struct svctab *tab)
{
	struct service *a;

	load_validate_user(tab);
	sandbox_validate(tab);
	strict_check_servers(tab);
	if (kind_loaded(tab) == -1)
		svctab_error(tab, "tcpmux", 0, "out of memory");
	TAILQ_FOREACH(a, &tab->st_services, sv_entry) {
		load_validate_access(tab, a);
		load_validate_mapped(tab, a);
	}
	conflict_check(tab);
	(void)wrap_open(tab);
	return tab->st_nerrors > 0 ? -1 : 0;
}
