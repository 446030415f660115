/* SPDX-License-Identifier: ISC */
/*
 * Reload: load the config into a new table beside the running one, open
 * its endpoints, then switch.  reload_run returns the outcome to whoever
 * asked (SIGHUP, the control socket).
 */
#include <malloc.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "superd.h"

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
	if (svctab_load(tab, sd->sd_opts.op_conf, sd->sd_opts.op_format) == -1) {
		log_warnx("config=%s errors=%d result=rejected",
		    sd->sd_opts.op_conf, tab->st_nerrors);
		svctab_free(tab);
		return NULL;
	}
	return tab;
}

/* Swap the configuration part of NEW into OLD, keeping OLD's runtime part. */
static void
reload_swap_config(struct service *old, struct service *new)
{
	size_t from = offsetof(struct service, sv_name);
	size_t to = offsetof(struct service, sv_fd);
	char tmp[offsetof(struct service, sv_fd) - offsetof(struct service, sv_name)];

	memcpy(tmp, (char *)old + from, to - from);
	memcpy((char *)old + from, (char *)new + from, to - from);
	memcpy((char *)new + from, tmp, to - from);
}

/* The enabled service of TAB on the endpoint of SV, or NULL. */
static struct service *
reload_match(struct svctab *tab, const struct service *sv)
{
	struct service *o;

	TAILQ_FOREACH(o, &tab->st_services, sv_entry)
		if (!o->sv_disabled && o->sv_fd != -1 &&
		    svctab_same_endpoint(o, sv))
			return o;
	return NULL;
}

/*
 * Reload: parse and validate the whole new config first; open its new
 * endpoints; only then swap.  Unchanged endpoints keep their socket, their
 * counters and their children; removed ones are closed.  0 when the new
 * config serves, -1 when it was refused and the old services were kept.
 */
int
reload_run(struct superd *sd)
{
	struct svctab *old = sd->sd_tab, *new;
	struct service *sv, *o, *next;
	int kept = 0, opened = 0, closed = 0;

	log_info("event=reload config=%s", sd->sd_opts.op_conf);
	notify_reloading();
	if ((new = reload_load(sd)) == NULL) {
		log_warnx("event=reload result=failed reason=\"config rejected, "
		    "old services kept\"");
		notify_send("READY=1\nSTATUS=reload failed: config rejected, "
		    "old services kept");
		return -1;
	}
	/* Take over the live entries: the old struct keeps its runtime. */
	TAILQ_FOREACH_SAFE(sv, &new->st_services, sv_entry, next) {
		if (sv->sv_disabled || (o = reload_match(old, sv)) == NULL ||
		    o->sv_socktype != sv->sv_socktype)
			continue;
		reload_swap_config(o, sv);
		TAILQ_REMOVE(&old->st_services, o, sv_entry);
		TAILQ_INSERT_BEFORE(sv, o, sv_entry);
		TAILQ_REMOVE(&new->st_services, sv, sv_entry);
		service_unref(sv);
		kept++;
	}
	if (listen_open_all(sd, new) == -1) {
		/* Give the kept entries back; nothing changed. */
		TAILQ_FOREACH_SAFE(sv, &new->st_services, sv_entry, next) {
			if (sv->sv_ev == NULL)
				continue;
			TAILQ_REMOVE(&new->st_services, sv, sv_entry);
			TAILQ_INSERT_TAIL(&old->st_services, sv, sv_entry);
		}
		svctab_free(new);
		log_warnx("event=reload result=failed reason=\"bind failed, "
		    "old services kept\"");
		notify_send("READY=1\nSTATUS=reload failed: bind failed, old "
		    "services kept");
		return -1;
	}
	TAILQ_FOREACH(sv, &new->st_services, sv_entry)
		if (sv->sv_ev == NULL && sv->sv_fd != -1) {
			listen_arm(sd, sv);
			opened++;
		}
	TAILQ_FOREACH(sv, &old->st_services, sv_entry)
		if (sv->sv_fd != -1) {
			listen_close(sv);
			closed++;
		}
	sd->sd_tab = new;
	svctab_free(old);
	if (geteuid() == 0)
		priv_daemon_bound(new, 1);
	malloc_trim(0);
	notify_ready(kept + opened);
	log_info("event=reload result=ok kept=%d opened=%d closed=%d", kept,
	    opened, closed);
	audit_schedule(sd);
	return 0;
}
