/* SPDX-License-Identifier: ISC */
/*
 * The periodic audit inside the daemon: a timer that runs the selfcheck
 * every selfcheck_interval seconds.  Rescheduled at start and on reload.
 */
#include <event2/event.h>

#include "superd.h"

/* The periodic audit is due: run it; it logs each change once. */
static void
audit_due(evutil_socket_t fd, short what, void *arg)
{
	struct superd *sd = arg;
	int status = selfcheck_periodic(sd->sd_tab, sd->sd_audit);

	(void)fd;
	(void)what;
	if (sd->sd_audit_done != NULL)
		sd->sd_audit_done(sd, status);
}

/*
 * Run the audit now and every selfcheck_interval seconds (0: stop it).
 * Out of memory, the daemon goes on serving without the audit, and says so.
 */
void
audit_schedule(struct superd *sd)
{
	struct timeval tv = { sd->sd_tab->st_globals.gl_selfcheck_interval, 0 };

	if (sd->sd_audit_ev != NULL) {
		event_free(sd->sd_audit_ev);
		sd->sd_audit_ev = NULL;
	}
	if (tv.tv_sec <= 0)
		return;
	if (sd->sd_audit == NULL && (sd->sd_audit = selfcheck_state_new()) == NULL) {
		log_warnx("event=selfcheck result=off reason=\"out of memory\"");
		return;
	}
	sd->sd_audit_ev = event_new(sd->sd_base, -1, EV_PERSIST, audit_due, sd);
	if (sd->sd_audit_ev == NULL || event_add(sd->sd_audit_ev, &tv) == -1) {
		if (sd->sd_audit_ev != NULL)
			event_free(sd->sd_audit_ev);
		sd->sd_audit_ev = NULL;
		log_warnx("event=selfcheck result=off reason=\"audit timer "
		    "failed\"");
		return;
	}
	log_info("event=selfcheck interval=%ld", (long)tv.tv_sec);
	audit_due(-1, 0, sd);
}
