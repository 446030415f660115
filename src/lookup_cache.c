/* SPDX-License-Identifier: ISC */
/*
 * The name caches of a load, above lookup.c: users, groups and group
 * lists by name (or numeric id), each looked up once per load however
 * many lines name it.  Emptied at the start of every load.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "superd.h"

static int lookup_cache_user_db(const char *, uid_t *, gid_t *);

/*
 * Small caches of the user and group databases: a config names the same
 * few users and groups on many lines, and each lookup costs a child
 * (lookup.c) reading /etc/passwd and /etc/group again.  Emptied at the
 * start of every load, so a reload sees the databases as they are then.
 */
#define LOOKUP_CACHE_SLOTS 8 /* names remembered per database */
struct lookup_idcache {
	struct lookup_cached {
		char ie_name[64]; /* user or group name, "" when empty */
		uid_t ie_uid;	  /* its uid (users) */
		gid_t ie_gid;	  /* its gid (for group lists: the primary gid) */
		gid_t *ie_groups; /* group lists: the groups */
		int ie_n;	  /* entries of ie_groups */
	} ic_entry[LOOKUP_CACHE_SLOTS];
	int ic_next; /* entry replaced next */
};
static struct lookup_idcache lookup_user_cache, lookup_group_cache,
    lookup_groups_cache;

/* Forget what C holds. */
static void
lookup_cache_empty(struct lookup_idcache *c)
{
	int i;

	for (i = 0; i < LOOKUP_CACHE_SLOTS; i++)
		free(c->ic_entry[i].ie_groups);
	memset(c, 0, sizeof(*c));
}

/* Forget what the caches hold. */
void
lookup_cache_clear(void)
{
	lookup_cache_empty(&lookup_user_cache);
	lookup_cache_empty(&lookup_group_cache);
	lookup_cache_empty(&lookup_groups_cache);
}

/* C's entry for NAME (and GID, unless NULL), or NULL. */
static const struct lookup_cached *
lookup_cache_find(const struct lookup_idcache *c, const char *name,
    const gid_t *gid)
{
	int i;

	for (i = 0; *name != '\0' && i < LOOKUP_CACHE_SLOTS; i++)
		if (strcmp(c->ic_entry[i].ie_name, name) == 0 &&
		    (gid == NULL || c->ic_entry[i].ie_gid == *gid))
			return &c->ic_entry[i];
	return NULL;
}

/* A fresh entry of C for NAME, replacing the oldest; NULL if too long. */
static struct lookup_cached *
lookup_cache_slot(struct lookup_idcache *c, const char *name)
{
	struct lookup_cached *e = &c->ic_entry[c->ic_next];

	if (strlen(name) >= sizeof(e->ie_name))
		return NULL;
	free(e->ie_groups);
	memset(e, 0, sizeof(*e));
	strcpy(e->ie_name, name);
	c->ic_next = (c->ic_next + 1) % LOOKUP_CACHE_SLOTS;
	return e;
}

/* The uid and primary gid of user NAME (or a numeric uid). */
int
lookup_cache_user(const char *name, uid_t *uid, gid_t *gid)
{
	const struct lookup_cached *hit;
	struct lookup_cached *e;

	if ((hit = lookup_cache_find(&lookup_user_cache, name, NULL)) != NULL) {
		*uid = hit->ie_uid;
		*gid = hit->ie_gid;
		return 0;
	}
	if (lookup_cache_user_db(name, uid, gid) == -1)
		return -1;
	if ((e = lookup_cache_slot(&lookup_user_cache, name)) != NULL) {
		e->ie_uid = *uid;
		e->ie_gid = *gid;
	}
	return 0;
}

/*
 * NAME as a numeric uid or gid in *N; -1 if it is not one.  Only the
 * canonical decimal form counts: "+0", " 0", "-0" and "00" are no number
 * (strtoul alone takes them all, "+0" as root).
 */
static int
lookup_cache_numeric_id(const char *name, unsigned long *n)
{
	char *end;

	if (name[strspn(name, "0123456789")] != '\0' ||
	    (name[0] == '0' && name[1] != '\0'))
		return -1;
	errno = 0;
	*n = strtoul(name, &end, 10);
	return *name == '\0' || *end != '\0' || errno != 0 || *n >= UINT_MAX ?
	    -1 : 0;
}

/* The uid and primary gid of user NAME (or a numeric uid) from the database. */
static int
lookup_cache_user_db(const char *name, uid_t *uid, gid_t *gid)
{
	unsigned long n;

	if (lookup_user(name, uid, gid) == 0)
		return 0;
	if (lookup_cache_numeric_id(name, &n) == -1)
		return -1;
	*uid = (uid_t)n;
	if (lookup_uid(*uid, gid) == -1)
		*gid = (gid_t)n;
	return 0;
}

/* The gid of group NAME (or a numeric gid). */
int
lookup_cache_group(const char *name, gid_t *gid)
{
	const struct lookup_cached *hit;
	struct lookup_cached *e;
	unsigned long n;

	if ((hit = lookup_cache_find(&lookup_group_cache, name, NULL)) != NULL) {
		*gid = hit->ie_gid;
		return 0;
	}
	if (lookup_group(name, gid) == -1) {
		if (lookup_cache_numeric_id(name, &n) == -1)
			return -1;
		*gid = (gid_t)n;
	}
	if ((e = lookup_cache_slot(&lookup_group_cache, name)) != NULL)
		e->ie_gid = *gid;
	return 0;
}

/*
 * The supplementary groups of USER with primary GID, as initgroups sees
 * them: a shared copy (svctab_share_mem, released with the
 * configuration), so the services of one user hold one list.
 */
int
lookup_cache_groups(const char *user, gid_t gid, gid_t **groups, int *ngroups)
{
	const struct lookup_cached *hit;
	struct lookup_cached *e;
	gid_t *g;
	int n;

	if ((hit = lookup_cache_find(&lookup_groups_cache, user, &gid)) == NULL) {
		if (lookup_user_groups(user, gid, &g, &n) == -1)
			return -1;
		if ((e = lookup_cache_slot(&lookup_groups_cache, user)) == NULL) {
			*groups = svctab_share_mem(g, (size_t)n * sizeof(gid_t));
			*ngroups = n;
			free(g);
			return *groups != NULL ? 0 : -1;
		}
		e->ie_gid = gid;
		e->ie_groups = g;
		e->ie_n = n;
		hit = e;
	}
	if ((*groups = svctab_share_mem(hit->ie_groups, (size_t)hit->ie_n *
	    sizeof(gid_t))) == NULL)
		return -1;
	*ngroups = hit->ie_n;
	return 0;
}
