/* SPDX-License-Identifier: ISC */
/*
 * StrictModes for the programs services run, as sshd checks a user's
 * files: the program and every directory above it must be changeable only
 * by root, or by the service's own user.  Each component of the path, as
 * written and as resolved (realpath), is stat'ed: its owner must be root or
 * the service's user, and it must be neither group- nor world-writable,
 * except a directory with the sticky bit (/tmp) over an entry that root or
 * the user owns (only they can rename or remove it).  A chrooted service's
 * program is checked inside its chroot.  A root service that fails is
 * refused at load (anyone who can change its program is root); any other
 * service's failure is a warning.
 */
#include <sys/stat.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "superd.h"

/*
 * Whether PATH and every directory above it are safe for a program run as
 * UID; if not, WHY (LEN bytes) says which component and why.
 */
static int
strict_path(const char *path, uid_t uid, char *why, size_t len)
{
	char buf[PATH_MAX], *slash;
	struct stat st, below = { 0 };
	int have_below = 0;

	if ((size_t)snprintf(buf, sizeof(buf), "%s", path) >= sizeof(buf))
		return snprintf(why, len, "path too long"), -1;
	for (;;) {
		if (stat(buf, &st) == -1)
			return snprintf(why, len, "%s: %s", buf,
			    strerror(errno)), -1;
		if (st.st_uid != 0 && st.st_uid != uid)
			return snprintf(why, len, "%s is owned by uid %u", buf,
			    (unsigned)st.st_uid), -1;
		if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
		    !(S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) &&
		    have_below && (below.st_uid == 0 || below.st_uid == uid)))
			return snprintf(why, len, "%s is %s-writable (mode "
			    "%04o)", buf, st.st_mode & S_IWOTH ? "world" :
			    "group", (unsigned)(st.st_mode & 07777)), -1;
		if ((slash = strrchr(buf, '/')) == NULL || strcmp(buf, "/") ==
		    0)
			return 0;
		below = st;
		have_below = 1;
		slash[slash == buf] = '\0';
	}
}

/* Whether the program of SV is safe, as written and resolved; WHY if not. */
static int
strict_server(const struct service *sv, char *why, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s%s", sv->sv_conf->sc_chroot ?
	    sv->sv_conf->sc_chroot : "", sv->sv_conf->sc_server) >=
	    sizeof(path))
		return snprintf(why, len, "path too long"), -1;
	if (strict_path(path, sv->sv_conf->sc_uid, why, len) == -1)
		return -1;
	if (realpath(path, real) == NULL)
		return snprintf(why, len, "%s: %s", path, strerror(errno)), -1;
	return strict_path(real, sv->sv_conf->sc_uid, why, len);
}

/*
 * What one program was found to be, for every service that runs it alike
 * (the same chroot, path and user): a thousand services of one server
 * cost one check, not a thousand (a dozen system calls each).
 */
struct strict_seen {
	const struct service_conf *ss_sc; /* the first service checked */
	int ss_rc;			  /* strict_server's answer */
	char *ss_why;			  /* and why, when not 0 */
};

/* A hash of what decides a check: chroot, server path and user. */
static size_t
strict_hash(const struct service_conf *sc)
{
	const char *p;
	size_t h = 2166136261u ^ (size_t)sc->sc_uid;

	for (p = sc->sc_server; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (p = sc->sc_chroot; p != NULL && *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

/* Whether A and B are checked alike. */
static int
strict_alike(const struct service_conf *a, const struct service_conf *b)
{
	return a->sc_uid == b->sc_uid && strcmp(a->sc_server,
	    b->sc_server) == 0 && (a->sc_chroot == NULL ? b->sc_chroot ==
	    NULL : b->sc_chroot != NULL && strcmp(a->sc_chroot,
	    b->sc_chroot) == 0);
}

/*
 * The check of SV's program, from SEEN (NSEEN slots, a power of two; NULL
 * when there was no memory for it) when a service alike was checked;
 * WHY (LEN bytes) says why when not 0.
 */
static int
strict_server_seen(struct strict_seen *seen, size_t nseen,
    const struct service *sv, char *why, size_t len)
{
	struct strict_seen *ss = NULL;
	size_t i;
	int rc;

	/* At most half full: an empty slot ends every search. */
	for (i = seen == NULL ? 0 : strict_hash(sv->sv_conf) & (nseen - 1);
	    seen != NULL; i = (i + 1) & (nseen - 1)) {
		ss = &seen[i];
		if (ss->ss_sc == NULL)
			break;
		if (strict_alike(ss->ss_sc, sv->sv_conf)) {
			if (ss->ss_rc != 0)
				snprintf(why, len, "%s", ss->ss_why);
			return ss->ss_rc;
		}
	}
	rc = strict_server(sv, why, len);
	/* Not remembered without room for the reason: checked again. */
	if (ss != NULL && (rc == 0 || (ss->ss_why = strdup(why)) != NULL)) {
		ss->ss_sc = sv->sv_conf;
		ss->ss_rc = rc;
	}
	return rc;
}

/*
 * Check the program of every enabled service of TAB: an error for a root
 * service whose program someone else could change, a warning otherwise.
 * Several entries of one declaration (several binds) are checked once,
 * and a program that several services run alike once for them all.
 */
void
strict_check_servers(struct svctab *tab)
{
	const struct service *sv, *prev = NULL;
	struct strict_seen *seen;
	char why[PATH_MAX + 64];
	size_t i, n = 0, nseen = 16;

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry)
		n++;
	while (nseen < 2 * n)
		nseen *= 2;
	seen = calloc(nseen, sizeof(*seen));
	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		if (sv->sv_conf->sc_disabled || sv->sv_conf->sc_builtin !=
		    BUILTIN_NONE || sv->sv_conf->sc_server == NULL)
			continue;
		if (prev != NULL && prev->sv_conf->sc_line ==
		    sv->sv_conf->sc_line && strcmp(prev->sv_conf->sc_file,
		    sv->sv_conf->sc_file) == 0)
			continue;
		prev = sv;
		if (strict_server_seen(seen, nseen, sv, why, sizeof(why)) == 0)
			continue;
		if (sv->sv_conf->sc_uid == 0)
			svctab_error(tab, sv->sv_conf->sc_file,
			    sv->sv_conf->sc_line, "service %s: server %s: %s: "
			    "a root service's program and every directory "
			    "above it must be changeable by root only",
			    sv->sv_conf->sc_name, sv->sv_conf->sc_server, why);
		else
			log_warnx("%s:%d: service %s: server %s: %s: someone other than root and its user can change it",
			    sv->sv_conf->sc_file, sv->sv_conf->sc_line,
			    sv->sv_conf->sc_name, sv->sv_conf->sc_server, why);
	}
	for (i = 0; seen != NULL && i < nseen; i++)
		free(seen[i].ss_why);
	free(seen);
}
