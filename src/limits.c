/* SPDX-License-Identifier: ISC */
/*
 * Whether one more connection may start: access lists and access times
 * (access.c), TCP wrappers (wrap.c), then the limits: global and service
 * instances, the fair share (fair.c), per source and per-source rate
 * (source.c), cps and max per minute.  Above access.c, wrap.c, fair.c and
 * source.c, below accept.c and kind_tcpmux.c: the arrows point one way.
 * Nothing here looks a name up.
 */
#include <sys/socket.h>
#include <time.h>

#include "superd.h"

/* Count a connection against a per-second or per-minute window. */
static int
limits_window(time_t *start, int *count, time_t now, int span, int max)
{
	if (now - *start >= span || now < *start) {
		*start = now;
		*count = 0;
	}
	return ++*count > max;
}

/*
 * Whether SV is over its cps rate or its spawns per minute (counted in
 * its runtime, made here on first use; uncounted when out of memory).
 */
static int
limits_over_rate(struct service *sv, time_t now)
{
	const struct service_conf *sc = sv->sv_conf;
	struct service_run *ru;

	if ((sc->sc_cps_rate <= 0 && sc->sc_max_per_minute <= 0) ||
	    (ru = service_run(sv)) == NULL)
		return 0;
	return (sc->sc_cps_rate > 0 && limits_window(&ru->ru_cps_second,
	    &ru->ru_cps_count, now, 1, sc->sc_cps_rate)) ||
	    (sc->sc_max_per_minute > 0 && limits_window(&ru->ru_minute_start,
	    &ru->ru_minute_count, now, 60, sc->sc_max_per_minute));
}

/*
 * Whether PEER may start one more connection of SV at NOW; on refusal the
 * reason goes to *WHY.  Counts rates only for connections it lets through.
 */
int
limits_check(struct superd *sd, struct service *sv,
    const struct sockaddr_storage *peer, time_t now, enum refuse_reason *why)
{
	int global = sd->sd_tab != NULL ? sd->sd_tab->st_globals.gl_instances :
	    0;
	struct source *so;
	int wrap;

	*why = REFUSE_COUNT;
	if (!access_check_acl(sv, peer))
		*why = REFUSE_ACL;
	else if (!access_check_time(sv, now))
		*why = REFUSE_TIME;
	else if ((wrap = wrap_permits(sv, peer)) != 1)
		*why = wrap == 0 ? REFUSE_WRAP : REFUSE_NOFD;
	else if (global > 0 && sd->sd_nchild >= global)
		*why = REFUSE_GLOBAL;
	else if (svctab_instances(sv) > 0 &&
	    sv->sv_nchild >= svctab_instances(sv))
		*why = REFUSE_INSTANCES;
	else if (!fair_admit(sd, sv, peer))
		*why = REFUSE_SHARE;
	else if (sv->sv_conf->sc_per_source > 0 &&
	    ((so = source_find(sv, peer, 1)) == NULL ||
	    so->so_count >= sv->sv_conf->sc_per_source))
		*why = REFUSE_PER_SOURCE;	/* a full table fails closed */
	else if (sv->sv_conf->sc_per_ip_rate > 0 &&
	    (so = source_find(sv, peer, 1)) != NULL &&
	    limits_window(&so->so_minute, &so->so_rate, now, 60,
	    sv->sv_conf->sc_per_ip_rate))
		*why = REFUSE_PER_IP_RATE;
	else if (limits_over_rate(sv, now))
		*why = REFUSE_CPS;
	return *why == REFUSE_COUNT;
}
