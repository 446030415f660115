/* SPDX-License-Identifier: ISC */
/*
 * Reload, prepared then committed.  The new table is built beside the
 * running one: parsed, resolved, and every endpoint bound or adopted
 * before anything running changes.  An endpoint both tables have keeps
 * its socket: the running service is only noted, never moved, until the
 * commit.  Any failure while preparing leaves the running table as it
 * was and closes only what the attempt opened.  The commit then switches:
 * first the endpoints whose new socket collides with their own old one
 * (tcp to tcp46 on one port, a wildcard narrowed to an address), each
 * closed and rebound with the old socket restored if the bind fails;
 * then, past the point of no return, the kept services take their new
 * settings and the removed ones are closed.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "superd.h"

#define RELOAD_TRIM_DELAY 1 /* seconds after a reload before the trim */

/* What the reload does with one enabled endpoint of the new table. */
struct reload_item {
	struct service *ri_new; /* the endpoint in the new table */
	struct service *ri_old; /* the running service it keeps, or NULL */
	int ri_swap;		/* collides with its own old socket: bound
				   in the commit */
};

/* One reload attempt. */
struct reload_plan {
	struct superd *rp_sd;	      /* the daemon */
	struct svctab *rp_old;	      /* the running table */
	struct svctab *rp_new;	      /* the table being prepared */
	struct reload_item *rp_v;     /* one per enabled new endpoint */
	size_t rp_n;		      /* entries of rp_v */
	struct service **rp_closed;   /* old listeners a swap closed */
	size_t *rp_closed_by;	      /* index in rp_v of that swap */
	size_t rp_nclosed;	      /* entries used of both */
	int rp_failed;		      /* failures logged while preparing */
};

/* Load the config of SD into a new table; NULL (errors logged) on failure. */
struct svctab *
reload_load(struct superd *sd)
{
	struct svctab *tab;

	if ((tab = svctab_new()) == NULL) {
		log_warnx("config=%s result=rejected reason=\"out of memory\"",
		    sd->sd_opts.op_conf);
		return NULL;
	}
	if (load_file(tab, sd->sd_opts.op_conf, sd->sd_opts.op_format) == -1) {
		log_errx("config=%s errors=%d result=rejected",
		    sd->sd_opts.op_conf, tab->st_nerrors);
		svctab_free(tab);
		return NULL;
	}
	return tab;
}

/*
 * The kept running service OLD takes the configuration of NEW, its
 * match in the new table (same endpoint, see reload_keeper); OLD's
 * runtime state (socket, events, counters, children) stays where it is.
 */
static void
reload_take_conf(struct service *old, struct service *new)
{
	const struct service_conf *sc = old->sv_conf;

	old->sv_conf = new->sv_conf;
	new->sv_conf = sc;
}

/* The running service of the plan whose socket SV can keep, or NULL. */
static struct service *
reload_keeper(struct reload_plan *rp, const struct service *sv)
{
	struct service *o;

	TAILQ_FOREACH(o, &rp->rp_old->st_services, sv_entry)
		if (!o->sv_conf->sc_disabled && o->sv_fd != -1 &&
		    svctab_same_endpoint(o, sv) &&
		    o->sv_socktype == sv->sv_socktype &&
		    (sv->sv_addr.ss_family != AF_INET6 ||
		    o->sv_v6only == sv->sv_v6only))
			return o;
	return NULL;
}

/* Whether the running service O keeps its socket in the new table. */
static int
reload_kept(const struct reload_plan *rp, const struct service *o)
{
	size_t i;

	for (i = 0; i < rp->rp_n; i++)
		if (rp->rp_v[i].ri_old == o)
			return 1;
	return 0;
}

/* The next open, not kept, running service from O on whose socket SV
 * collides with, or NULL. */
static struct service *
reload_collider(const struct reload_plan *rp, struct service *o,
    const struct service *sv)
{
	for (; o != NULL; o = TAILQ_NEXT(o, sv_entry))
		if (!o->sv_conf->sc_disabled && o->sv_fd != -1 &&
		    conflict_clash(o, sv) && !reload_kept(rp, o))
			return o;
	return NULL;
}

/* Open the endpoint of IT beside the running table, or defer it. */
static void
reload_open(struct reload_plan *rp, struct reload_item *it)
{
	struct service *sv = it->ri_new;
	char ep[SVCTAB_EPLOG];

	if (reload_collider(rp, TAILQ_FIRST(&rp->rp_old->st_services),
	    sv) != NULL) {
		it->ri_swap = 1;
		log_info("event=reload service=%s endpoint=%s "
		    "action=rebind reason=\"its own old socket holds the "
		    "port\"", sv->sv_conf->sc_name,
		    svctab_endpoint_log(sv, ep, sizeof(ep)));
		return;
	}
	if (listen_open(rp->rp_sd, sv) == -1 ||
	    listen_prepare(rp->rp_sd, sv) == -1)
		rp->rp_failed++;
}

/*
 * Prepare: match every enabled endpoint of the new table with the running
 * one, and bind those not kept.  Every failure is logged; -1 if any.
 */
static int
reload_prepare(struct reload_plan *rp)
{
	struct service *sv;
	size_t n = 0, nold = 0;

	TAILQ_FOREACH(sv, &rp->rp_new->st_services, sv_entry)
		n += !sv->sv_conf->sc_disabled;
	TAILQ_FOREACH(sv, &rp->rp_old->st_services, sv_entry)
		nold++;
	rp->rp_v = calloc(n + 1, sizeof(*rp->rp_v));
	rp->rp_closed = calloc(nold + 1, sizeof(*rp->rp_closed));
	rp->rp_closed_by = calloc(nold + 1, sizeof(*rp->rp_closed_by));
	if (rp->rp_v == NULL || rp->rp_closed == NULL ||
	    rp->rp_closed_by == NULL) {
		log_warnx("event=reload reason=\"out of memory\"");
		return -1;
	}
	TAILQ_FOREACH(sv, &rp->rp_new->st_services, sv_entry)
		if (!sv->sv_conf->sc_disabled) {
			rp->rp_v[rp->rp_n].ri_new = sv;
			rp->rp_v[rp->rp_n++].ri_old = reload_keeper(rp, sv);
		}
	for (n = 0; n < rp->rp_n; n++)
		if (rp->rp_v[n].ri_old == NULL)
			reload_open(rp, &rp->rp_v[n]);
	return rp->rp_failed > 0 ? -1 : 0;
}

/* Give the running service O its socket back after a swap failed. */
static void
reload_restore(struct superd *sd, struct service *o)
{
	char ep[SVCTAB_EPLOG];

	if (listen_open(sd, o) == 0 && listen_arm(sd, o) == 0)
		return;
	listen_close(o);
	log_warnx("%s:%d: event=reload service=%s endpoint=%s result=lost "
	    "reason=\"old socket could not be restored\"", o->sv_conf->sc_file,
	    o->sv_conf->sc_line, o->sv_conf->sc_name,
	    svctab_endpoint_log(o, ep, sizeof(ep)));
}

/* Undo the swap of item I: close its new socket, restore the old ones. */
static void
reload_unswap(struct reload_plan *rp, size_t i)
{
	size_t k;

	listen_close(rp->rp_v[i].ri_new);
	for (k = 0; k < rp->rp_nclosed; k++)
		if (rp->rp_closed_by[k] == i)
			reload_restore(rp->rp_sd, rp->rp_closed[k]);
}

/*
 * Serve what waits in the accept queue of the old stream listener O before
 * it closes, with its old settings: closing would reset those clients.
 */
static void
reload_drain(struct reload_plan *rp, struct service *o)
{
	if (o->sv_fd != -1 && o->sv_socktype == SOCK_STREAM && !o->sv_conf->sc_wait &&
	    !o->sv_paused)
		accept_stream(rp->rp_sd, o);
}

/*
 * Close the old listener O for a swap (its event and socket only: its
 * back-off timer stays, should it come back).
 */
static void
reload_release(struct reload_plan *rp, struct service *o, size_t i)
{
	reload_drain(rp, o);
	listen_set_del(o);
	o->sv_armed = 0;
	close(o->sv_fd);
	o->sv_fd = -1;
	rp->rp_closed[rp->rp_nclosed] = o;
	rp->rp_closed_by[rp->rp_nclosed++] = i;
}

/* Switch item I: close the old sockets it collides with, bind it. */
static int
reload_swap(struct reload_plan *rp, size_t i)
{
	struct service *sv = rp->rp_v[i].ri_new, *o;

	o = TAILQ_FIRST(&rp->rp_old->st_services);
	while ((o = reload_collider(rp, o, sv)) != NULL)
		reload_release(rp, o, i);
	if (listen_open(rp->rp_sd, sv) == 0 &&
	    listen_prepare(rp->rp_sd, sv) == 0)
		return 0;
	reload_unswap(rp, i);
	return -1;
}

/* The swaps of the commit, all or none; -1 (logged) if one failed. */
static int
reload_swap_all(struct reload_plan *rp)
{
	size_t i, j;

	for (i = 0; i < rp->rp_n; i++) {
		if (!rp->rp_v[i].ri_swap || reload_swap(rp, i) == 0)
			continue;
		for (j = 0; j < i; j++)
			if (rp->rp_v[j].ri_swap)
				reload_unswap(rp, j);
		return -1;
	}
	return 0;
}

/*
 * Past the point of no return: each kept running service takes its new
 * settings and its place in the new table; the new endpoints are watched;
 * the rest of the running table is closed and freed.  Counts in *KEPT,
 * *OPENED, *CLOSED.
 */
static void
reload_switch(struct reload_plan *rp, int *kept, int *opened, int *closed)
{
	struct service *sv, *o;
	char before[256], after[256];
	size_t i;
	int retune;

	for (i = 0; i < rp->rp_n; i++) {
		sv = rp->rp_v[i].ri_new;
		if ((o = rp->rp_v[i].ri_old) == NULL) {
			/* A tcpmux name has no socket: its port is opened. */
			if (sv->sv_fd == -1)
				continue;
			if (listen_arm(rp->rp_sd, sv) == 0)
				listen_log(sv);
			(*opened)++;
			continue;
		}
		priv_describe(o, before, sizeof(before));
		retune = o->sv_conf->sc_backlog != sv->sv_conf->sc_backlog ||
		    o->sv_conf->sc_wait != sv->sv_conf->sc_wait || o->sv_conf->sc_builtin != sv->sv_conf->sc_builtin;
		reload_take_conf(o, sv);
		TAILQ_REMOVE(&rp->rp_old->st_services, o, sv_entry);
		TAILQ_INSERT_BEFORE(sv, o, sv_entry);
		TAILQ_REMOVE(&rp->rp_new->st_services, sv, sv_entry);
		service_unref(sv);
		rp->rp_v[i].ri_new = o;
		if (retune)
			listen_retune(o);
		if (strcmp(before, priv_describe(o, after, sizeof(after))) != 0)
			listen_log(o);
		(*kept)++;
	}
	TAILQ_FOREACH(o, &rp->rp_old->st_services, sv_entry)
		if (o->sv_fd != -1 || (o->sv_run != NULL &&
		    o->sv_run->ru_timer != NULL)) {
			*closed += o->sv_fd != -1;
			reload_drain(rp, o);
			listen_close(o);
		}
	*closed += (int)rp->rp_nclosed;
}

/* A failed attempt: close what it opened; the running table is as it was. */
static void
reload_abandon(struct reload_plan *rp)
{
	size_t i;

	for (i = 0; i < rp->rp_n; i++)
		if (rp->rp_v[i].ri_old == NULL)
			listen_close(rp->rp_v[i].ri_new);
	svctab_free(rp->rp_new);
}

/* Say that the reload failed, why, and that the old services serve on. */
static int
reload_failed(const char *why, int failures)
{
	log_warnx("event=reload result=failed failures=%d reason=\"%s, old "
	    "services kept\"", failures, why);
	notify_send("READY=1\nSTATUS=reload failed: old services kept");
	return -1;
}

/* The reload has settled: give back what it left (heap, program text). */
static void
reload_trim(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	malloc_trim(0);
	resident_trim();
}

/*
 * Trim once the reload is over: after its log lines and the answer to
 * whoever asked, which fault program text back in (at once if the loop
 * cannot be asked).
 */
static void
reload_trim_later(struct superd *sd)
{
	struct timeval tv = { RELOAD_TRIM_DELAY, 0 };

	if (sd->sd_base == NULL || event_base_once(sd->sd_base, -1, EV_TIMEOUT,
	    reload_trim, NULL, &tv) == -1)
		reload_trim(-1, 0, NULL);
}

/*
 * Reload the config of SD: prepare the new table beside the running one,
 * then commit.  0 when the new config serves; -1 when it was refused and
 * the running services go on exactly as before (every failure logged).
 */
int
reload_run(struct superd *sd)
{
	struct reload_plan rp;
	int kept = 0, opened = 0, closed = 0, rc = -1;

	log_info("event=reload config=%s", sd->sd_opts.op_conf);
	notify_reloading();
	memset(&rp, 0, sizeof(rp));
	rp.rp_sd = sd;
	rp.rp_old = sd->sd_tab;
	if ((rp.rp_new = reload_load(sd)) == NULL)
		return reload_failed("config rejected", 1);
	if (reload_prepare(&rp) == -1) {
		reload_abandon(&rp);
		reload_failed("endpoints could not be opened",
		    rp.rp_failed > 0 ? rp.rp_failed : 1);
	} else if (reload_swap_all(&rp) == -1) {
		reload_abandon(&rp);
		reload_failed("an endpoint could not be rebound", 1);
	} else {
		reload_switch(&rp, &kept, &opened, &closed);
		sd->sd_tab = rp.rp_new;
		svctab_free(rp.rp_old);
		rc = 0;
	}
	free(rp.rp_v);
	free(rp.rp_closed);
	free(rp.rp_closed_by);
	if (rc == -1)
		return -1;
	if (geteuid() == 0)
		priv_daemon_check_need(sd->sd_tab);
	reload_trim_later(sd);
	notify_ready(kept + opened);
	log_info("event=reload result=ok kept=%d opened=%d closed=%d", kept,
	    opened, closed);
	audit_schedule(sd);
	return 0;
}
