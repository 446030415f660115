/* SPDX-License-Identifier: ISC */
/*
 * The status reply of the control socket: the daemon, its config, every
 * service with its state and counters, the running children, and the last
 * reload and audit.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "control.h"
#include "selfcheck.h"

/* Seconds on the monotonic clock. */
static time_t
control_status_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* The refusal counters REFUSED, by reason. */
static json_t *
control_status_refused(const unsigned long *refused)
{
	json_t *o = json_object();
	int r;

	for (r = 0; o != NULL && r < REFUSE_COUNT; r++)
		json_object_set_new(o, access_reason_name(r),
		    json_integer((json_int_t)refused[r]));
	return o;
}

/* Set "state" (and "reason", "seconds_left") of SV in O. */
static void
control_status_state(json_t *o, const struct service *sv)
{
	const char *state = "serving";
	time_t left;

	if (sv->sv_conf->sc_disabled)
		state = "disabled";
	else if (sv->sv_fd == -1)
		state = "closed";
	else if (sv->sv_paused && listen_backing_off(sv)) {
		state = "paused";
		left = sv->sv_run->ru_pause_until - control_status_now();
		json_object_set_new(o, "reason",
		    control_json_str(sv->sv_run->ru_pause_reason));
		json_object_set_new(o, "seconds_left",
		    json_integer(left > 0 ? (json_int_t)left : 0));
	} else if (sv->sv_paused) {
		state = "busy";
		json_object_set_new(o, "reason",
		    json_string("wait service: its child has the socket"));
	}
	json_object_set_new(o, "state", json_string(state));
}

/* The per-source table T: entries, bytes now and at most, refusals. */
static json_t *
control_status_srctab(const struct srctab *t)
{
	size_t max, now = srctab_bytes(t, &max);

	return json_pack("{s:I, s:I, s:I, s:I}",
	    "entries", (json_int_t)srctab_count(t),
	    "bytes", (json_int_t)now,
	    "max_bytes", (json_int_t)max,
	    "refused", (json_int_t)srctab_refused(t));
}

/*
 * Every per-source table of SD together: how many, their bytes now and
 * at most (the daemon-wide bound), and the sources they could not admit.
 */
static json_t *
control_status_sources(struct superd *sd)
{
	unsigned long refused = srctab_refused(sd->sd_sources);
	struct service *sv;
	uint32_t tables;
	size_t max, now = srctab_usage(&tables, &max);

	TAILQ_FOREACH(sv, &sd->sd_tab->st_services, sv_entry)
		refused += srctab_refused(sv->sv_sources);
	return json_pack("{s:I, s:I, s:I, s:I}",
	    "tables", (json_int_t)tables,
	    "bytes", (json_int_t)now,
	    "max_bytes", (json_int_t)max,
	    "refused", (json_int_t)refused);
}

/* The services of SD; their counters summed into ACCEPTED and REFUSED. */
static json_t *
control_status_services(struct superd *sd, unsigned long *accepted,
    unsigned long *refused)
{
	json_t *a = json_array(), *o;
	struct service *sv;
	char ep[128];
	int r;

	TAILQ_FOREACH(sv, &sd->sd_tab->st_services, sv_entry) {
		o = json_pack("{s:o, s:o, s:s, s:o, s:i, s:i, s:I, s:o}",
		    "name", control_json_str(sv->sv_conf->sc_name),
		    "endpoint", control_json_str(svctab_endpoint(sv, ep,
		    sizeof(ep))),
		    "proto", svctab_proto_name(sv),
		    "file", control_json_str(sv->sv_conf->sc_file),
		    "line", sv->sv_conf->sc_line,
		    "children", sv->sv_nchild,
		    "accepted", (json_int_t)sv->sv_accepted,
		    "refused", control_status_refused(service_run_refused(sv)));
		if (o == NULL)
			continue;
		control_status_state(o, sv);
		json_object_set_new(o, "sources",
		    control_status_srctab(sv->sv_sources));
		json_array_append_new(a, o);
		*accepted += sv->sv_accepted;
		for (r = 0; r < REFUSE_COUNT; r++)
			refused[r] += service_run_refused(sv)[r];
	}
	return a;
}

/* The running children and builtin sessions of SD. */
static json_t *
control_status_children(struct superd *sd)
{
	struct timespec now;
	struct child *ch;
	json_t *a = json_array();
	char peer[64];

	clock_gettime(CLOCK_MONOTONIC, &now);
	LIST_FOREACH(ch, &sd->sd_children, ch_entry) {
		if (ch->ch_peer.ss_family != 0)
			log_addr(&ch->ch_peer, peer, sizeof(peer));
		else
			snprintf(peer, sizeof(peer), "-");
		json_array_append_new(a, json_pack("{s:I, s:o, s:s, s:I}",
		    "pid", (json_int_t)ch->ch_pid,
		    "service", control_json_str(ch->ch_sv->sv_conf->sc_name),
		    "peer", peer,
		    "age_s", (json_int_t)(now.tv_sec - ch->ch_start.tv_sec)));
	}
	return a;
}

/* The config the daemon runs: the file (absolute) and its format. */
static json_t *
control_status_config(struct superd *sd)
{
	const char *file = sd->sd_tab->st_path != NULL ? sd->sd_tab->st_path :
	    sd->sd_opts.op_conf;
	char abs[PATH_MAX];

	if (file != NULL && realpath(file, abs) != NULL)
		file = abs;
	return json_pack("{s:o, s:s}", "file", control_json_str(file),
	    "format", sd->sd_tab->st_format == CONF_INETD ? "inetd" : "native");
}

/* The last reload and the last audit, null when none happened. */
static void
control_status_history(json_t *o, const struct control *ct)
{
	json_object_set_new(o, "reload", ct->ct_reload_time == 0 ? json_null() :
	    json_pack("{s:b, s:I, s:s, s:i}", "ok", ct->ct_reload_ok,
	    "time", (json_int_t)ct->ct_reload_time, "source",
	    ct->ct_reload_source, "count", ct->ct_nreloads));
	json_object_set_new(o, "audit", ct->ct_audit_time == 0 ? json_null() :
	    json_pack("{s:s, s:I, s:i}", "status",
	    selfcheck_status_name(ct->ct_audit_status), "time",
	    (json_int_t)ct->ct_audit_time, "interval",
	    ct->ct_sd->sd_tab->st_globals.gl_selfcheck_interval));
}

/* The whole status reply of SD; NULL if out of memory. */
json_t *
control_status(struct superd *sd)
{
	unsigned long accepted = 0, refused[REFUSE_COUNT];
	const struct control *ct = sd->sd_control;
	json_t *o, *services;

	memset(refused, 0, sizeof(refused));
	services = control_status_services(sd, &accepted, refused);
	o = json_pack("{s:i, s:b, s:I, s:s, s:I, s:o, s:o, s:{s:I, s:o}, "
	    "s:i, s:o}",
	    "v", CONTROL_VERSION, "ok", 1,
	    "pid", (json_int_t)getpid(),
	    "version", SUPERD_VERSION,
	    "started", (json_int_t)ct->ct_start,
	    "config", control_status_config(sd),
	    "services", services,
	    "totals", "accepted", (json_int_t)accepted,
	    "refused", control_status_refused(refused),
	    "nchildren", sd->sd_nchild,
	    "children", control_status_children(sd));
	if (o != NULL) {
		control_status_history(o, ct);
		json_object_set_new(o, "sources", control_status_sources(sd));
	}
	return o;
}
