/* SPDX-License-Identifier: ISC */
/*
 * Refusals: every one is counted in ru_refused; the log lines are limited
 * per service and reason.  The first REFUSE_LOG_BURST refusals of one
 * reason in a REFUSE_LOG_WINDOW-second window are logged one by one; the
 * rest are only counted, and when the window ends a timer logs one line
 * "event=refuse-suppressed ... count=N".  A flood of refused clients thus
 * costs a few lines a window, not one per packet.  The state is allocated
 * at a service's first logged refusal and kept across reloads.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "superd.h"

#define REFUSE_LOG_BURST 10  /* lines per service and reason per window */
#define REFUSE_LOG_WINDOW 10 /* seconds */

/* One reason's window. */
struct refuse_slot {
	time_t rs_start;		/* monotonic second the window began */
	int rs_lines;			/* lines logged in the window */
	unsigned long rs_suppressed;	/* refusals not logged in it */
};

/* A service's refusal log state. */
struct refuse_log {
	struct refuse_slot rl_slot[REFUSE_COUNT]; /* by reason */
	struct event *rl_timer;			  /* logs the suppressed */
};

/* Monotonic seconds. */
static time_t
refuse_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Log and reset every reason of SV with suppressed refusals. */
static void
refuse_flush(struct service *sv)
{
	struct refuse_log *rl = sv->sv_run->ru_refuse_log;
	int r;

	for (r = 0; r < REFUSE_COUNT; r++) {
		struct refuse_slot *rs = &rl->rl_slot[r];

		if (rs->rs_suppressed > 0)
			log_info("service=%s event=refuse-suppressed reason=%s "
			    "count=%lu seconds=%d", sv->sv_conf->sc_name,
			    access_reason_name((enum refuse_reason)r),
			    rs->rs_suppressed, REFUSE_LOG_WINDOW);
		rs->rs_suppressed = 0;
		rs->rs_lines = 0;
		rs->rs_start = 0;
	}
}

/* The window of a suppressing service ended. */
static void
refuse_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	refuse_flush(arg);
}

/* The state of SV, allocated at first use; NULL when out of memory. */
static struct refuse_log *
refuse_state(struct service *sv)
{
	struct service_run *ru;

	if ((ru = service_run(sv)) == NULL)
		return NULL;
	if (ru->ru_refuse_log == NULL)
		ru->ru_refuse_log = calloc(1, sizeof(*ru->ru_refuse_log));
	return ru->ru_refuse_log;
}

/*
 * Whether a refusal of SV for WHY may be logged now; if not, it is
 * counted for the suppressed line, and the timer that logs it is set.
 */
static int
refuse_may_log(struct service *sv, enum refuse_reason why)
{
	struct timeval tv = { REFUSE_LOG_WINDOW, 0 };
	struct refuse_log *rl;
	struct refuse_slot *rs;
	time_t now = refuse_now();

	if ((rl = refuse_state(sv)) == NULL)
		return 1;
	rs = &rl->rl_slot[why];
	if (rs->rs_start == 0 || now - rs->rs_start >= REFUSE_LOG_WINDOW) {
		if (rs->rs_suppressed > 0)
			refuse_flush(sv);
		rs->rs_start = now;
		rs->rs_lines = 0;
	}
	if (rs->rs_lines < REFUSE_LOG_BURST) {
		rs->rs_lines++;
		return 1;
	}
	if (rs->rs_suppressed++ == 0 && sv->sv_sd != NULL &&
	    sv->sv_sd->sd_base != NULL) {
		if (rl->rl_timer == NULL)
			rl->rl_timer = evtimer_new(sv->sv_sd->sd_base,
			    refuse_timer, sv);
		tv.tv_sec = REFUSE_LOG_WINDOW - (now - rs->rs_start);
		if (rl->rl_timer != NULL && !evtimer_pending(rl->rl_timer, NULL))
			evtimer_add(rl->rl_timer, &tv);
	}
	return 0;
}

/* Count a refusal by SV for WHY (not counted when out of memory, logged). */
void
refuse_count(struct service *sv, enum refuse_reason why)
{
	struct service_run *ru;

	if ((ru = service_run(sv)) != NULL)
		ru->ru_refused[why]++;
}

/* Count a refusal of PEER by SV for WHY and log it, rate-limited. */
void
refuse_note(struct service *sv, const struct sockaddr_storage *peer,
    enum refuse_reason why)
{
	char addr[64];

	refuse_count(sv, why);
	if (sv->sv_conf->sc_log_failure != 0 && refuse_may_log(sv, why))
		log_info("service=%s event=refuse peer=%s reason=%s",
		    sv->sv_conf->sc_name, log_addr(peer, addr, sizeof(addr)),
		    access_reason_name(why));
}

/* Log what is still suppressed and free the state of SV. */
void
refuse_free(struct service *sv)
{
	struct refuse_log *rl;

	if (sv->sv_run == NULL || (rl = sv->sv_run->ru_refuse_log) == NULL)
		return;
	refuse_flush(sv);
	if (rl->rl_timer != NULL)
		event_free(rl->rl_timer);
	free(rl);
	sv->sv_run->ru_refuse_log = NULL;
}
