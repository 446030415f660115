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
 * Check the program of every enabled service of TAB: an error for a root
 * service whose program someone else could change, a warning otherwise.
 * Several entries of one declaration (several binds) are checked once.
 */
void
strict_check_servers(struct svctab *tab)
{
	const struct service *sv, *prev = NULL;
	char why[PATH_MAX + 64];

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		if (sv->sv_conf->sc_disabled || sv->sv_conf->sc_builtin !=
		    BUILTIN_NONE || sv->sv_conf->sc_server == NULL)
			continue;
		if (prev != NULL && prev->sv_conf->sc_line ==
		    sv->sv_conf->sc_line && strcmp(prev->sv_conf->sc_file,
		    sv->sv_conf->sc_file) == 0)
			continue;
		prev = sv;
		if (strict_server(sv, why, sizeof(why)) == 0)
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
}
