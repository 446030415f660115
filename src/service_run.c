/* SPDX-License-Identifier: ISC */
/*
 * What an endpoint counts once it is used (struct service_run): made on
 * first use, so an idle endpoint of a large table costs none of it; freed
 * with the endpoint (service_unref).
 */
#include <stdlib.h>

#include "superd.h"

/* The refusal counters of SV by reason (zeros while it has none). */
const unsigned long *
service_run_refused(const struct service *sv)
{
	static const unsigned long none[REFUSE_COUNT];

	return sv->sv_run != NULL ? sv->sv_run->ru_refused : none;
}

/*
 * The counters and windows of SV, made on first use (an endpoint that
 * never served nor refused has none); NULL, logged, when out of memory:
 * the caller then serves on without counting.
 */
struct service_run *
service_run(struct service *sv)
{
	if (sv->sv_run == NULL &&
	    (sv->sv_run = calloc(1, sizeof(*sv->sv_run))) == NULL)
		log_warnx("service=%s event=count result=failed error=\"out of "
		    "memory\"", sv->sv_conf->sc_name);
	return sv->sv_run;
}
