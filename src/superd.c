/* SPDX-License-Identifier: ISC */
/*
 * superd: the modes (serve, --check-config, --list, --selfcheck,
 * --convert), the event loop and its signals.  The command line is parsed
 * in cli.c, reload is in reload.c.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "superd.h"

/* Log the state: services, listeners, counters, children. */
static void
superd_dump(struct superd *sd)
{
	struct service *sv;
	char ep[SVCTAB_EPLOG];
	int r;

	TAILQ_FOREACH(sv, &sd->sd_tab->st_services, sv_entry) {
		char refused[256];
		size_t n = 0;

		refused[0] = '\0';
		for (r = 0; r < REFUSE_COUNT; r++)
			if (service_run_refused(sv)[r] && n < sizeof(refused))
				n += (size_t)snprintf(refused + n,
				    sizeof(refused) - n, " refused_%s=%lu",
				    access_reason_name(r), service_run_refused(sv)[r]);
		log_info("event=dump service=%s endpoint=%s listening=%s "
		    "children=%d accepted=%lu%s", sv->sv_conf->sc_name,
		    svctab_endpoint_log(sv, ep, sizeof(ep)),
		    sv->sv_fd == -1 ? "no" : sv->sv_paused ? "paused" : "yes",
		    sv->sv_nchild, sv->sv_accepted, refused);
	}
	reap_dump(sd);
}

/* Dispatch the signals the loop watches. */
static void
superd_signal(evutil_socket_t sig, short what, void *arg)
{
	struct superd *sd = arg;

	(void)what;
	switch (sig) {
	case SIGCHLD: reap_all(sd); break;
	case SIGHUP: control_reload(sd, "signal"); break;
	case SIGUSR1: superd_dump(sd); break;
	default:
		log_info("event=stop signal=%d", (int)sig);
		event_base_loopbreak(sd->sd_base);
	}
}

/*
 * Detach from the terminal: fork, setsid, stdio on /dev/null.  The parent
 * exits only when the daemon says it is ready (pid file written, every
 * listener armed), with 0, or 1 if the daemon died first.  Returns the
 * descriptor the daemon writes that byte to.
 */
static int
superd_daemonize(void)
{
	int fd, ready[2];
	char c;

	if (pipe2(ready, O_CLOEXEC) == -1)
		fatal("pipe");
	switch (fork()) {
	case -1: fatal("fork");
	case 0: break;
	default:
		close(ready[1]);
		_exit(read(ready[0], &c, 1) == 1 ? 0 : 1);
	}
	close(ready[0]);
	if (setsid() == -1)
		fatal("setsid");
	if (chdir("/") == -1)
		fatal("chdir /");
	if ((fd = open("/dev/null", O_RDWR)) == -1)
		fatal("/dev/null");
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	return ready[1];
}

/* Serve TAB until a stop signal. */
static int
superd_serve(struct superd *sd)
{
	static const int sigs[] = { SIGCHLD, SIGHUP, SIGTERM, SIGINT, SIGUSR1 };
	struct service *sv;
	size_t i;
	int n = 0, ready = -1;

	signal(SIGPIPE, SIG_IGN);
	if (sd->sd_opts.op_pidfile != NULL &&
	    (sd->sd_pidfd = pidfile_lock(sd->sd_opts.op_pidfile)) == -1)
		return 1;
	listen_adopt(sd, sd->sd_tab, notify_listen_fds());
	if (listen_open_all(sd, sd->sd_tab) == -1) {
		log_warnx("event=start result=failed reason=\"bind failed, "
		    "nothing opened\"");
		return 1;
	}
	if (sd->sd_opts.op_control != NULL &&
	    control_open(sd, sd->sd_opts.op_control,
	    sd->sd_opts.op_control_set) == -1) {
		log_warnx("event=start result=failed reason=\"control socket\"");
		return 1;
	}
	if (!sd->sd_opts.op_foreground) {
		ready = superd_daemonize();
		log_init("superd", 0, sd->sd_opts.op_debug);
	}
	if ((sd->sd_base = event_base_new()) == NULL)
		fatalx("event_base_new");
	sd->sd_reload = control_reload;		/* watch.c reloads through it */
	sd->sd_audit_done = control_note_audit;	/* audit.c records through it */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sd->sd_sig[i] = evsignal_new(sd->sd_base, sigs[i],
		    superd_signal, sd);
		if (sd->sd_sig[i] == NULL || evsignal_add(sd->sd_sig[i], NULL))
			fatalx("evsignal_new");
	}
	if (control_arm(sd) == -1)
		fatalx("control socket");
	spawn_init();
	fair_nofile(sd);
	TAILQ_FOREACH(sv, &sd->sd_tab->st_services, sv_entry) {
		if (listen_arm(sd, sv) == -1) {
			log_warnx("event=start result=failed reason=\"cannot "
			    "watch a listener\"");
			return 1;
		}
		if (sv->sv_fd != -1 && n++ < 64)
			listen_log(sv);
	}
	if (sd->sd_pidfd != -1)
		pidfile_write(sd->sd_pidfd, sd->sd_opts.op_pidfile);
	watch_start(sd);
	wrap_start(sd->sd_base);	/* hosts.allow and hosts.deny changes */
	if (sd->sd_tab->st_globals.gl_user != NULL) {
		if (priv_daemon_setuser(sd->sd_tab->st_globals.gl_uid,
		    sd->sd_tab->st_globals.gl_gid) == -1)
			fatal("cannot run as user %s",
			    sd->sd_tab->st_globals.gl_user);
		log_info("event=priv user=%s capabilities=none",
		    sd->sd_tab->st_globals.gl_user);
	} else
		priv_daemon_restrict(sd);
	log_info("event=ready version=%s services=%d pid=%ld", SUPERD_VERSION,
	    n, (long)getpid());
	malloc_trim(0);	/* give back what parsing the config left behind */
	notify_ready(n);
	if (ready != -1) {
		if (write(ready, "", 1) != 1)
			log_warn("event=ready reason=\"parent gone\"");
		close(ready);
	}
	audit_schedule(sd);
	resident_trim();	/* the text only loading ran, last */
	event_base_dispatch(sd->sd_base);

	if (sd->sd_tab->st_globals.gl_kill_children)
		reap_signal_all(sd, SIGTERM);
	TAILQ_FOREACH(sv, &sd->sd_tab->st_services, sv_entry)
		listen_close(sv);
	listen_set_free(sd);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		event_free(sd->sd_sig[i]);
	watch_stop();
	wrap_stop();
	return 0;
}

/* Release everything SD holds (children records included). */
static void
superd_free(struct superd *sd)
{
	struct child *ch;

	while ((ch = LIST_FIRST(&sd->sd_children)) != NULL) {
		LIST_REMOVE(ch, ch_entry);
		if (ch->ch_done != NULL)	/* a builtin session frees itself */
			ch->ch_done(ch, ch->ch_arg);
		service_unref(ch->ch_sv);
		free(ch);
	}
	svctab_free(sd->sd_tab);
	srctab_free(sd->sd_sources);
	pidfile_remove(sd->sd_pidfd, sd->sd_opts.op_pidfile);
	control_close(sd);	/* last: a `superd stop` client sees it all done */
	selfcheck_opts_free(sd->sd_opts.op_audit);
	audit_stop(sd);
	if (sd->sd_audit_ev != NULL)
		event_free(sd->sd_audit_ev);
	selfcheck_state_free(sd->sd_audit);
	if (sd->sd_base != NULL)
		event_base_free(sd->sd_base);
}

/* superd -t: print the table of TAB (read from CONF) and a summary. */
static void
superd_check(struct svctab *tab, const char *conf)
{
	struct service *sv;
	int nsv = 0, nen = 0;

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		nsv++;
		nen += !sv->sv_conf->sc_disabled;
	}
	svctab_print(tab, stdout, 0);
	conflict_holders(tab);
	printf("%s: OK, %d endpoints (%d enabled, %d disabled)\n", conf, nsv,
	    nen, nsv - nen);
}

int
main(int argc, char **argv)
{
	struct superd sd;
	struct options *op = &sd.sd_opts;
	char origin[160] = "", running[4096];
	int rc = 0;

	memset(&sd, 0, sizeof(sd));
	sd.sd_pidfd = -1;
	LIST_INIT(&sd.sd_children);
	cli_parse(op, argc, argv);
	log_init("superd", 1, op->op_debug);
	/* One-shot modes print their result; info lines only with -v. */
	log_quiet(op->op_mode != MODE_SERVE && !op->op_verbose);
	if (op->op_mode == MODE_CONTROL) {
		rc = control_client_run(op->op_control, op->op_command,
		    op->op_json);
		selfcheck_opts_free(op->op_audit);
		return rc;
	}
	if (op->op_mode == MODE_CONVERT) {
		rc = convert_main(op->op_convert, op->op_strict, stdout);
		selfcheck_opts_free(op->op_audit);
		return rc;
	}
	if (op->op_mode == MODE_SELFCHECK) {
		/* A config error is still reported, as UNKNOWN, in the format
		 * asked for. */
		if (op->op_conf_default &&
		    !selfcheck_remote_wanted(op->op_audit))
			control_client_running_conf(op, running,
			    sizeof(running), origin, sizeof(origin));
		/* --remote without -c: its --declared file is the config. */
		if ((!op->op_conf_default ||
		    !selfcheck_remote_wanted(op->op_audit)) &&
		    (sd.sd_tab = svctab_new()) != NULL) {
			load_file(sd.sd_tab, op->op_conf, op->op_format);
			sd.sd_tab->st_origin = origin[0] ? origin : NULL;
		}
	} else if ((sd.sd_tab = reload_load(&sd)) == NULL) {
		selfcheck_opts_free(op->op_audit);
		return 1;
	}
	switch (op->op_mode) {
	case MODE_CHECK: superd_check(sd.sd_tab, op->op_conf); break;
	case MODE_LIST: svctab_print(sd.sd_tab, stdout, op->op_json); break;
	case MODE_SELFCHECK:
		rc = selfcheck_remote_wanted(op->op_audit) ?
		    selfcheck_remote_main(sd.sd_tab, op->op_audit) :
		    selfcheck_main(sd.sd_tab, op->op_audit);
		break;
	case MODE_SERVE: rc = superd_serve(&sd); break;
	case MODE_CONVERT: case MODE_CONTROL: break;
	}
	superd_free(&sd);
	return rc;
}
