/* SPDX-License-Identifier: ISC */
/*
 * Sharing the caps fairly.  Once 3/4 of the global cap (or of a service's
 * instances) is in use, a source may add a connection only while it holds
 * fewer than half of the slots still free: a handful of sources cannot
 * take the last quarter, and a source new to the daemon is served while
 * any slot is.  And descriptors: the soft RLIMIT_NOFILE is raised to the
 * hard one at start (children get the limit superd was started with), and
 * the last FAIR_FD_RESERVE descriptors (a quarter of a smaller limit)
 * are never spent on connections, so a reload and the control socket
 * always have some.
 */
#include <sys/resource.h>
#include <limits.h>

#include "superd.h"

#define FAIR_FD_RESERVE 64 /* descriptors kept from connections, at most */

/* Whether a source holding HELD of CAP slots, USED in use, may take one. */
static int
fair_share(int held, int used, int cap)
{
	if (cap <= 0 || used < cap - cap / 4)
		return 1;
	return 2 * held < cap - used;
}

/* Whether PEER may take one more slot of SV and of the daemon, fairly. */
int
fair_admit(struct superd *sd, struct service *sv,
    const struct sockaddr_storage *peer)
{
	int global = sd->sd_tab != NULL ? sd->sd_tab->st_globals.gl_instances :
	    0;
	struct source *so;

	so = source_global(sd->sd_sources, peer, 0);
	if (!fair_share(so != NULL ? so->so_count : 0, sd->sd_nchild, global))
		return 0;
	so = source_find(sv, peer, 0);
	return fair_share(so != NULL ? so->so_count : 0, sv->sv_nchild,
	    svctab_instances(sv));
}

/* Count a live connection of PEER daemon-wide; -1 if it is not counted. */
int
fair_take(struct superd *sd, const struct sockaddr_storage *peer)
{
	struct source *so;

	if (sd->sd_sources == NULL &&
	    (sd->sd_sources = srctab_new(SOURCE_TABLE_MAX)) == NULL)
		return -1;
	if ((so = source_global(sd->sd_sources, peer, 1)) == NULL)
		return -1;
	srctab_take(sd->sd_sources, so);
	return 0;
}

/* A live connection of PEER counted by fair_take ended. */
void
fair_release(struct superd *sd, const struct sockaddr_storage *peer)
{
	struct source *so;

	if ((so = source_global(sd->sd_sources, peer, 0)) != NULL)
		srctab_release(sd->sd_sources, so);
}

/* Descriptors kept from connections. */
static int
fair_reserve(const struct superd *sd)
{
	return sd->sd_fd_limit / 4 < FAIR_FD_RESERVE ? sd->sd_fd_limit / 4 :
	    FAIR_FD_RESERVE;
}

/* Whether the accepted descriptor FD leaves the reserve untouched. */
int
fair_fd_spare(const struct superd *sd, int fd)
{
	return sd->sd_fd_limit <= 0 || fd < sd->sd_fd_limit - fair_reserve(sd);
}

/*
 * At start: raise the soft RLIMIT_NOFILE to the hard limit, hand the old
 * soft limit on to children, and say when the global cap does not fit.
 */
void
fair_nofile(struct superd *sd)
{
	struct rlimit rl;
	rlim_t was;
	int global = sd->sd_tab->st_globals.gl_instances;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		log_warn("event=nofile reason=getrlimit");
		return;
	}
	spawn_nofile((uint64_t)rl.rlim_cur, (uint64_t)rl.rlim_max);
	was = rl.rlim_cur;
	rl.rlim_cur = rl.rlim_max;
	if (was < rl.rlim_max && setrlimit(RLIMIT_NOFILE, &rl) == -1) {
		log_warn("event=nofile reason=\"cannot raise the soft limit\"");
		rl.rlim_cur = was;
	}
	sd->sd_fd_limit = rl.rlim_cur > INT_MAX ? INT_MAX : (int)rl.rlim_cur;
	log_info("event=nofile limit=%d was=%llu reserve=%d", sd->sd_fd_limit,
	    (unsigned long long)was, fair_reserve(sd));
	if (global <= 0 || global > sd->sd_fd_limit - fair_reserve(sd) - 64)
		log_warnx("event=nofile reason=\"%d descriptors cannot hold "
		    "the global cap of %d builtin sessions; connections past "
		    "the reserve are refused\"", sd->sd_fd_limit, global);
}
