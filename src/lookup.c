/* SPDX-License-Identifier: ISC */
/*
 * User and group lookups, each in a short-lived child.
 *
 * getgrouplist asks every module nsswitch.conf names (systemd, sss, ldap,
 * winbind), and glibc never unloads a module it has loaded: done in the
 * daemon, the module, its libraries and whatever it connects to would
 * stay in a long-running root process for good (on Debian, libnss_systemd
 * and the libm it pulls in are 550 kB of resident memory, a sixth of an
 * idle superd).  A child does the lookup, writes the answer through a pipe
 * and exits; the daemon only reads numbers.  Lookups happen at load time,
 * a few per distinct user (svctab.c caches them), never per connection.
 */
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "superd.h"

#define LOOKUP_GROUPS_MAX 65536 /* NGROUPS_MAX of Linux */

/* What is asked. */
enum lookup_kind {
	LOOKUP_USER,	/* uid and gid of a user name */
	LOOKUP_UID,	/* primary gid of a uid */
	LOOKUP_GROUP,	/* gid of a group name */
	LOOKUP_GROUPS,	/* group list of a user with a primary gid */
};

/* The answer, as the child writes it; lr_n gids follow for LOOKUP_GROUPS. */
struct lookup_reply {
	int lr_found;	/* 1 when the database knows the name */
	uid_t lr_uid;	/* uid */
	gid_t lr_gid;	/* gid */
	int lr_n;	/* group entries that follow */
};

/* Do the lookup KIND of NAME/ID here; *GROUPS is allocated for a list. */
static void
lookup_here(enum lookup_kind kind, const char *name, unsigned id,
    struct lookup_reply *r, gid_t **groups)
{
	struct passwd *pw;
	struct group *gr;
	int n = 16, want;

	memset(r, 0, sizeof(*r));
	*groups = NULL;
	switch (kind) {
	case LOOKUP_USER:
		if ((pw = getpwnam(name)) != NULL)
			*r = (struct lookup_reply){ 1, pw->pw_uid, pw->pw_gid, 0 };
		break;
	case LOOKUP_UID:
		if ((pw = getpwuid((uid_t)id)) != NULL)
			*r = (struct lookup_reply){ 1, pw->pw_uid, pw->pw_gid, 0 };
		break;
	case LOOKUP_GROUP:
		if ((gr = getgrnam(name)) != NULL)
			*r = (struct lookup_reply){ 1, 0, gr->gr_gid, 0 };
		break;
	case LOOKUP_GROUPS:
		for (;;) {
			if ((*groups = calloc((size_t)n, sizeof(gid_t))) == NULL)
				return;
			want = n;
			if (getgrouplist(name, (gid_t)id, *groups, &want) >= 0) {
				*r = (struct lookup_reply){ 1, 0, (gid_t)id, want };
				return;
			}
			free(*groups);
			*groups = NULL;
			if (want <= n || want > LOOKUP_GROUPS_MAX)
				return;
			n = want;
		}
	}
}

/* Write (WR) or read all LEN bytes of BUF on FD; -1 if they do not all go. */
static int
lookup_io(int fd, void *buf, size_t len, int wr)
{
	char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = wr ? write(fd, p, len) : read(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* In the child: look up, write the answer to FD, exit. */
static void __attribute__((noreturn))
lookup_child(int fd, enum lookup_kind kind, const char *name, unsigned id)
{
	struct lookup_reply r;
	gid_t *g;

	lookup_here(kind, name, id, &r, &g);
	if (lookup_io(fd, &r, sizeof(r), 1) == -1 ||
	    (r.lr_n > 0 && lookup_io(fd, g, (size_t)r.lr_n * sizeof(*g), 1) == -1))
		_exit(1);
	_exit(0);
}

/* A fuzzer runs thousands of loads a second: no child per lookup there. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define LOOKUP_IN_CHILD 0
#else
#define LOOKUP_IN_CHILD 1
#endif

/*
 * The lookup KIND of NAME/ID done in a child: 0 with *R filled (and
 * *GROUPS for a list), -1 when the child gave no whole answer, 1 when no
 * child could be had.
 */
static int
lookup_in_child(enum lookup_kind kind, const char *name, unsigned id,
    struct lookup_reply *r, gid_t **groups)
{
	sigset_t all, old;
	int p[2], st, ok;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) == -1)
		return 1;
	/* Our signal handlers must not run in the child. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	if ((pid = fork()) == 0) {
		close(p[0]);
		lookup_child(p[1], kind, name, id);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(p[1]);
	if (pid == -1) {
		close(p[0]);
		return 1;
	}
	ok = lookup_io(p[0], r, sizeof(*r), 0) == 0 && r->lr_n >= 0 &&
	    r->lr_n <= LOOKUP_GROUPS_MAX;
	if (ok && r->lr_n > 0) {
		*groups = calloc((size_t)r->lr_n, sizeof(gid_t));
		ok = *groups != NULL && lookup_io(p[0], *groups,
		    (size_t)r->lr_n * sizeof(gid_t), 0) == 0;
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (!ok) {
		free(*groups);
		*groups = NULL;
		return -1;
	}
	return 0;
}

/*
 * The lookup KIND of NAME/ID, done in a child; in this process only when
 * no child can be had.  0 with *R filled (and *GROUPS for a list), -1 when
 * the answer could not be had at all.
 */
static int
lookup_run(enum lookup_kind kind, const char *name, unsigned id,
    struct lookup_reply *r, gid_t **groups)
{
	int rc;

	*groups = NULL;
	if (LOOKUP_IN_CHILD &&
	    (rc = lookup_in_child(kind, name, id, r, groups)) != 1)
		return rc;
	lookup_here(kind, name, id, r, groups);
	return 0;
}

/* The ids of lookup KIND of NAME/ID; -1 when the database has no entry. */
static int
lookup_ids(enum lookup_kind kind, const char *name, unsigned id, uid_t *uid,
    gid_t *gid)
{
	struct lookup_reply r;
	gid_t *g;

	if (lookup_run(kind, name, id, &r, &g) == -1 || !r.lr_found)
		return -1;
	if (uid != NULL)
		*uid = r.lr_uid;
	*gid = r.lr_gid;
	return 0;
}

/* The uid and primary gid of user NAME; -1 when there is no such user. */
int
lookup_user(const char *name, uid_t *uid, gid_t *gid)
{
	return lookup_ids(LOOKUP_USER, name, 0, uid, gid);
}

/* The primary gid of UID; -1 when the passwd database has no such uid. */
int
lookup_uid(uid_t uid, gid_t *gid)
{
	return lookup_ids(LOOKUP_UID, NULL, uid, NULL, gid);
}

/* The gid of group NAME; -1 when there is no such group. */
int
lookup_group(const char *name, gid_t *gid)
{
	return lookup_ids(LOOKUP_GROUP, name, 0, NULL, gid);
}

/*
 * The groups of USER with primary GID, as initgroups would set them, in
 * *GROUPS (allocated, at least one entry) and *N; -1 on failure.
 */
int
lookup_user_groups(const char *user, gid_t gid, gid_t **groups, int *n)
{
	struct lookup_reply r;

	if (lookup_run(LOOKUP_GROUPS, user, gid, &r, groups) == -1 ||
	    !r.lr_found)
		return -1;
	if (*groups == NULL && (*groups = calloc(1, sizeof(gid_t))) == NULL)
		return -1;
	*n = r.lr_n;
	return 0;
}
