/* SPDX-License-Identifier: ISC */
/*
 * superd: options, modes (serve, --check-config, --list, --selfcheck), the
 * event loop and its signals.  Reload is in reload.c.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "superd.h"

enum mode { MODE_SERVE, MODE_CHECK, MODE_LIST, MODE_SELFCHECK, MODE_CONVERT };

static const char superd_usage[] =
"usage: superd [-fdt] [-c FILE] [-p PIDFILE] [--list [--json]]\n"
"              [--selfcheck [AUDIT OPTIONS]]\n"
"\n"
"  -c, --config FILE     config file (default " SUPERD_CONF ", or\n"
"                        " SUPERD_INETD_CONF " when that is absent)\n"
"      --format FMT      read FILE as 'inetd' or 'native' (default: by content)\n"
"  -f, --foreground      stay in the foreground, log to stderr\n"
"  -d, --debug           log debug lines (implies -f)\n"
"  -p, --pidfile FILE    pid file (default " SUPERD_PIDFILE "; '-' for none),\n"
"                        locked: one daemon per pid file\n"
"  -t, --check-config    parse and validate, print the service table, exit\n"
"      --list            print the effective service table and exit\n"
"      --json            with --list: JSON\n"
"      --convert PATH    write the superd.conf equivalent of an inetd.conf,\n"
"                        or of xinetd.conf with its includedir, to stdout\n"
"      --selfcheck       audit what this host exposes against the config;\n"
"                        options after it belong to the audit:\n"
"                        --format text|json|prometheus, --proto tcp|udp,\n"
"                        --addr ADDR, --ports LO-HI, --local-drift,\n"
"                        --no-probe, --udp-deadline SECONDS; exit 0 OK,\n"
"                        1 WARNING, 2 CRITICAL, 3 UNKNOWN (superd(8))\n"
"  -V, --version         print the version\n"
"  -h, --help            this text\n"
"\n"
"Signals: HUP reloads the config, TERM and INT stop, USR1 logs the state.\n";

/* Print usage to FP and exit with CODE. */
static void __attribute__((noreturn))
superd_usage_exit(FILE *fp, int code)
{
	fputs(superd_usage, fp);
	exit(code);
}

/* The config file: -c, else /etc/superd.conf, else /etc/inetd.conf. */
static const char *
superd_default_conf(void)
{
	if (access(SUPERD_CONF, F_OK) == 0 || access(SUPERD_INETD_CONF, F_OK) != 0)
		return SUPERD_CONF;
	return SUPERD_INETD_CONF;
}

/* Parse the command line into SD's options; the mode; *ARGI the first left. */
static enum mode
superd_options(struct superd *sd, int argc, char **argv, int *json)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'F' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "check-config", no_argument, NULL, 't' },
		{ "list", no_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'J' },
		{ "selfcheck", no_argument, NULL, 'S' },
		{ "convert", required_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options *op = &sd->sd_opts;
	enum mode mode = MODE_SERVE;
	int ch;

	op->op_pidfile = SUPERD_PIDFILE;
	while (mode != MODE_SELFCHECK &&
	    (ch = getopt_long(argc, argv, "+c:fdp:tVh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': op->op_conf = optarg; break;
		case 'f': op->op_foreground = 1; break;
		case 'd': op->op_debug = op->op_foreground = 1; break;
		case 'p':
			op->op_pidfile = strcmp(optarg, "-") == 0 ? NULL : optarg;
			break;
		case 't': mode = MODE_CHECK; break;
		case 'L': mode = MODE_LIST; break;
		case 'J': *json = 1; break;
		case 'S': mode = MODE_SELFCHECK; break;
		case 'C':
			mode = MODE_CONVERT;
			op->op_conf = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "inetd") == 0)
				op->op_format = CONF_INETD;
			else if (strcmp(optarg, "native") == 0)
				op->op_format = CONF_NATIVE;
			else
				superd_usage_exit(stderr, 2);
			break;
		case 'V':
			printf("superd %s\n", SUPERD_VERSION);
			exit(0);
		case 'h': superd_usage_exit(stdout, 0);
		default: superd_usage_exit(stderr, 2);
		}
	}
	if (mode != MODE_SELFCHECK && optind != argc)
		superd_usage_exit(stderr, 2);
	if (op->op_conf == NULL)
		op->op_conf = superd_default_conf();
	return mode;
}

/* Log the state: services, listeners, counters, children. */
static void
superd_dump(struct superd *sd)
{
	struct service *sv;
	char ep[128];
	int r;

	TAILQ_FOREACH(sv, &sd->sd_tab->st_services, sv_entry) {
		char refused[256];
		size_t n = 0;

		refused[0] = '\0';
		for (r = 0; r < REFUSE_COUNT; r++)
			if (sv->sv_refused[r] && n < sizeof(refused))
				n += (size_t)snprintf(refused + n,
				    sizeof(refused) - n, " refused_%s=%lu",
				    accept_reason_name(r), sv->sv_refused[r]);
		log_info("event=dump service=%s endpoint=%s/%s listening=%s "
		    "children=%d accepted=%lu%s", sv->sv_name,
		    svctab_endpoint(sv, ep, sizeof(ep)), svctab_proto_name(sv),
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
	case SIGHUP: reload_run(sd); break;
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
	if (!sd->sd_opts.op_foreground) {
		ready = superd_daemonize();
		log_init("superd", 0, sd->sd_opts.op_debug);
	}
	if ((sd->sd_base = event_base_new()) == NULL)
		fatalx("event_base_new");
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sd->sd_sig[i] = evsignal_new(sd->sd_base, sigs[i],
		    superd_signal, sd);
		if (sd->sd_sig[i] == NULL || evsignal_add(sd->sd_sig[i], NULL))
			fatalx("evsignal_new");
	}
	spawn_init();
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
	event_base_dispatch(sd->sd_base);

	if (sd->sd_tab->st_globals.gl_kill_children)
		reap_signal_all(sd, SIGTERM);
	TAILQ_FOREACH(sv, &sd->sd_tab->st_services, sv_entry)
		listen_close(sv);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		event_free(sd->sd_sig[i]);
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
	pidfile_remove(sd->sd_pidfd, sd->sd_opts.op_pidfile);
	if (sd->sd_audit_ev != NULL)
		event_free(sd->sd_audit_ev);
	selfcheck_state_free(sd->sd_audit);
	if (sd->sd_base != NULL)
		event_base_free(sd->sd_base);
}

int
main(int argc, char **argv)
{
	struct superd sd;
	enum mode mode;
	int json = 0, rc = 0, nsv = 0, nen = 0;
	struct service *sv;

	memset(&sd, 0, sizeof(sd));
	sd.sd_pidfd = -1;
	LIST_INIT(&sd.sd_children);
	mode = superd_options(&sd, argc, argv, &json);
	log_init("superd", 1, sd.sd_opts.op_debug);
	if (mode == MODE_CONVERT)
		return convert_main(sd.sd_opts.op_conf, stdout) == 0 ? 0 : 1;
	if (mode == MODE_SELFCHECK) {
		/* A config error is still reported, as UNKNOWN, in the format
		 * asked for. */
		if ((sd.sd_tab = svctab_new()) != NULL)
			svctab_load(sd.sd_tab, sd.sd_opts.op_conf,
			    sd.sd_opts.op_format);
	} else if ((sd.sd_tab = reload_load(&sd)) == NULL)
		return 1;
	switch (mode) {
	case MODE_CHECK:
		TAILQ_FOREACH(sv, &sd.sd_tab->st_services, sv_entry) {
			nsv++;
			nen += !sv->sv_disabled;
		}
		svctab_print(sd.sd_tab, stdout, 0);
		printf("%s: OK, %d endpoints (%d enabled, %d disabled)\n",
		    sd.sd_opts.op_conf, nsv, nen, nsv - nen);
		break;
	case MODE_LIST:
		svctab_print(sd.sd_tab, stdout, json);
		break;
	case MODE_SELFCHECK:
		rc = selfcheck_main(sd.sd_tab, argc - optind + 1,
		    argv + optind - 1);
		break;
	case MODE_SERVE:
		rc = superd_serve(&sd);
		break;
	case MODE_CONVERT:
		break;
	}
	superd_free(&sd);
	return rc;
}
