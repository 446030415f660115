/* SPDX-License-Identifier: ISC */
/*
 * The command line: one GNU-style parser for every mode.  Options come in
 * any order, before or after the mode (`superd --selfcheck -c FILE` and
 * `superd -c FILE --selfcheck` are the same); the audit's options are part
 * of the same table (selfcheck_options); the modes have subcommand
 * aliases (`superd check`, `list`, `selfcheck`, `convert PATH`), and the
 * commands to the running daemon (`reload`, `status`, `stop`) are read by
 * the same parser.  A usage
 * error exits 2, or 3 (UNKNOWN) in --selfcheck mode, as a monitoring
 * plugin does.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "superd.h"

static const char cli_usage[] =
"usage: superd [-fdv] [-c FILE] [-p PIDFILE]    serve the config\n"
"       superd -t | check [-c FILE]               check it, print the table\n"
"       superd --list | list [--json] [-c FILE]   print the service table\n"
"       superd --selfcheck | selfcheck [-c FILE] [AUDIT OPTIONS]\n"
"       superd --convert PATH | convert PATH [--strict]\n"
"       superd reload | status [--json] | stop [--control PATH]\n"
"                                                 ask the running daemon\n"
"Options may be given in any order, before or after the mode.\n"
"\n"
"  -c, --config FILE     config file (default " SUPERD_CONF ", or\n"
"                        " SUPERD_INETD_CONF " when that is absent)\n"
"      --config-format inetd|native\n"
"                        read FILE in this format (default: by content)\n"
"      --format FMT      inetd|native: the same as --config-format;\n"
"                        text|json: the output of --list;\n"
"                        text|json|prometheus: the report of --selfcheck\n"
"  -f, --foreground      stay in the foreground, log to stderr\n"
"  -d, --debug           log debug lines (implies -f and -v)\n"
"  -v, --verbose         one-shot modes: info lines on stderr too (without\n"
"                        it they print only their result, and errors)\n"
"  -p, --pidfile FILE    pid file (default " SUPERD_PIDFILE "; '-' for none),\n"
"                        locked: one daemon per pid file\n"
"      --control PATH    control socket (default $SUPERD_CONTROL or\n"
"                        " SUPERD_CONTROL "; '-' for none)\n"
"  -t, --check-config    parse and validate (endpoint conflicts too), warn\n"
"                        about declared ports another process holds, print\n"
"                        the service table, exit; binds nothing\n"
"      --list            print the effective service table and exit\n"
"      --json            the same as --format json\n"
"      --convert PATH    write the superd.conf equivalent of an inetd.conf,\n"
"                        or of xinetd.conf with its includedir, to stdout;\n"
"                        each setting not carried over is named on stderr\n"
"      --strict          with --convert: exit 1 if any setting was not\n"
"                        carried over\n"
"      --selfcheck       audit what this host exposes against the config;\n"
"                        exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN\n"
"  audit options, with --selfcheck (superd(8), SELFCHECK):\n"
"      --proto tcp|udp   audit one protocol only\n"
"      --addr ADDR       audit this local address only (repeatable; any\n"
"                        address of the target with --remote)\n"
"      --ports LO-HI     probe this port range (default 1-65535)\n"
"      --local-drift     undeclared loopback-only listeners are a WARNING\n"
"      --no-probe        trust the kernel's socket table alone\n"
"      --udp-deadline SECONDS\n"
"                        stop the UDP probe after this long (default 5)\n"
"      --remote HOST     audit HOST from outside (repeatable): the same probe,\n"
"                        no owners; needs -c FILE or --declared FILE\n"
"      --declared FILE   with --remote: the target's superd status --json\n"
"      --from-namespace NAME\n"
"                        with --remote: probe from /run/netns/NAME\n"
"  -V, --version         print the version\n"
"  -h, --help            this text\n"
"\n"
"Commands to the running daemon, through its control socket:\n"
"  reload                reload its config; exit 1 with every failure\n"
"                        printed when it kept its old services\n"
"  status [--json]       services, state, counters, children, last reload\n"
"  stop                  stop it and wait until it is gone\n"
"\n"
"Signals: HUP reloads the config, TERM and INT stop, USR1 logs the state.\n";

/* getopt values of the long options that have no short form. */
enum {
	CLI_FORMAT = 'F',
	CLI_CONFIG_FORMAT = 'G',
	CLI_LIST = 'L',
	CLI_JSON = 'J',
	CLI_SELFCHECK = 'S',
	CLI_CONVERT = 'C',
	CLI_STRICT = 'X',
	CLI_CONTROL = 'K',
};

static const struct option cli_longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "config-format", required_argument, NULL, CLI_CONFIG_FORMAT },
	{ "format", required_argument, NULL, CLI_FORMAT },
	{ "foreground", no_argument, NULL, 'f' },
	{ "debug", no_argument, NULL, 'd' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "pidfile", required_argument, NULL, 'p' },
	{ "control", required_argument, NULL, CLI_CONTROL },
	{ "check-config", no_argument, NULL, 't' },
	{ "list", no_argument, NULL, CLI_LIST },
	{ "json", no_argument, NULL, CLI_JSON },
	{ "selfcheck", no_argument, NULL, CLI_SELFCHECK },
	{ "convert", required_argument, NULL, CLI_CONVERT },
	{ "strict", no_argument, NULL, CLI_STRICT },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The subcommand aliases of the mode options. */
static const struct {
	const char *name;	/* the word */
	enum superd_mode mode;	/* the mode it selects */
} cli_subcommands[] = {
	{ "check", MODE_CHECK },
	{ "list", MODE_LIST },
	{ "selfcheck", MODE_SELFCHECK },
	{ "convert", MODE_CONVERT },
};

/* What the parse has seen beyond struct options. */
struct cli {
	struct options *cl_op;	   /* being filled */
	const char *cl_modename;   /* the option or word that chose the mode */
	const char *cl_format;	   /* --format of the output, NULL if none */
	const char *cl_auditopt;   /* the first audit option given */
	int cl_errors;		   /* usage errors said on stderr */
	int cl_help;		   /* --help */
	int cl_version;		   /* --version */
};

/* A usage error: say it on stderr; the parse goes on to find the mode. */
static void __attribute__((format(printf, 2, 3)))
cli_error(struct cli *cl, const char *fmt, ...)
{
	va_list ap;

	fputs("superd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cl->cl_errors++;
}

/* The config file: -c, else /etc/superd.conf, else /etc/inetd.conf. */
static const char *
cli_default_conf(void)
{
	if (access(SUPERD_CONF, F_OK) == 0 || access(SUPERD_INETD_CONF, F_OK) !=
	    0)
		return SUPERD_CONF;
	return SUPERD_INETD_CONF;
}

/* MODE, chosen by NAME; two different modes are an error. */
static void
cli_mode(struct cli *cl, enum superd_mode mode, const char *name)
{
	if (cl->cl_modename != NULL && cl->cl_op->op_mode != mode)
		cli_error(cl, "%s and %s: choose one mode", cl->cl_modename,
		    name);
	cl->cl_op->op_mode = mode;
	cl->cl_modename = name;
}

/* --config-format inetd|native; -1 for another word. */
static int
cli_config_format(struct options *op, const char *arg)
{
	if (strcmp(arg, "inetd") == 0)
		op->op_format = CONF_INETD;
	else if (strcmp(arg, "native") == 0)
		op->op_format = CONF_NATIVE;
	else
		return -1;
	return 0;
}

/* The long options: the command line's own, then the audit's. */
static void
cli_table(struct option *all, size_t max)
{
	const struct option *audit = selfcheck_options();
	const struct option *remote = selfcheck_remote_options();
	size_t n = 0, i;

	for (i = 0; cli_longopts[i].name != NULL && n + 1 < max; i++)
		all[n++] = cli_longopts[i];
	for (i = 0; audit[i].name != NULL && n + 1 < max; i++)
		all[n++] = audit[i];
	for (i = 0; remote[i].name != NULL && n + 1 < max; i++)
		all[n++] = remote[i];
	memset(&all[n], 0, sizeof(all[n]));
}

/* One option CH (long index LI of ALL) with its argument. */
static void
cli_option(struct cli *cl, int ch, const struct option *all, int li)
{
	struct options *op = cl->cl_op;

	switch (ch) {
	case 'c': op->op_conf = optarg; break;
	case 'f': op->op_foreground = 1; break;
	case 'd': op->op_debug = op->op_foreground = op->op_verbose = 1; break;
	case 'v': op->op_verbose = 1; break;
	case 'p':
		op->op_pidfile = strcmp(optarg, "-") == 0 ? NULL : optarg;
		break;
	case CLI_CONTROL:
		op->op_control = strcmp(optarg, "-") == 0 ? NULL : optarg;
		op->op_control_set = 1;
		break;
	case 't': cli_mode(cl, MODE_CHECK, "-t"); break;
	case CLI_LIST: cli_mode(cl, MODE_LIST, "--list"); break;
	case CLI_SELFCHECK: cli_mode(cl, MODE_SELFCHECK, "--selfcheck"); break;
	case CLI_CONVERT:
		cli_mode(cl, MODE_CONVERT, "--convert");
		op->op_convert = optarg;
		break;
	case CLI_STRICT: op->op_strict = 1; break;
	case CLI_JSON: cl->cl_format = "json"; break;
	case CLI_CONFIG_FORMAT:
		if (cli_config_format(op, optarg) == -1)
			cli_error(cl, "--config-format %s: inetd or native",
			    optarg);
		break;
	case CLI_FORMAT:
		if (cli_config_format(op, optarg) == -1)
			cl->cl_format = optarg;
		break;
	case 'V': cl->cl_version = 1; break;
	case 'h': cl->cl_help = 1; break;
	case '?': cl->cl_errors++; break;	/* getopt said why */
	default:
		if (ch < SELFCHECK_OPT_FORMAT || ch > SELFCHECK_OPT_LAST ||
		    li < 0)
			cli_error(cl, "unexpected option");
		else if ((ch >= SELFCHECK_OPT_REMOTE ?
		    selfcheck_remote_option(op->op_audit, ch, optarg) :
		    selfcheck_option(op->op_audit, ch, optarg)) == -1)
			cli_error(cl, "--%s %s: invalid value", all[li].name,
			    optarg != NULL ? optarg : "");
		else if (cl->cl_auditopt == NULL)
			cl->cl_auditopt = all[li].name;
	}
}

/* The words left after the options: a subcommand and its argument. */
static void
cli_words(struct cli *cl, int argc, char **argv)
{
	enum control_cmd cmd;
	size_t i;

	if (optind >= argc)
		return;
	for (i = 0; i < sizeof(cli_subcommands) / sizeof(cli_subcommands[0]);
	    i++)
		if (strcmp(argv[optind], cli_subcommands[i].name) == 0)
			break;
	if (i < sizeof(cli_subcommands) / sizeof(cli_subcommands[0]))
		cli_mode(cl, cli_subcommands[i].mode, cli_subcommands[i].name);
	else if (control_cmd_find(argv[optind], &cmd) == 0) {
		cli_mode(cl, MODE_CONTROL, argv[optind]);
		cl->cl_op->op_command = (int)cmd;
	} else {
		cli_error(cl, "%s: not an option nor a command (check, list, "
		    "selfcheck, convert, reload, status, stop)", argv[optind]);
		return;
	}
	optind++;
	if (cl->cl_op->op_mode == MODE_CONVERT) {
		if (optind < argc)
			cl->cl_op->op_convert = argv[optind++];
		else
			cli_error(cl, "convert: which file or directory?");
	}
	if (optind < argc)
		cli_error(cl, "%s: unexpected argument", argv[optind]);
}

/* The options that only some modes take, checked once the mode is known. */
static void
cli_check_mode(struct cli *cl)
{
	struct options *op = cl->cl_op;
	const char *f = cl->cl_format, *why;

	if (cl->cl_auditopt != NULL && op->op_mode != MODE_SELFCHECK)
		cli_error(cl, "--%s: only with --selfcheck", cl->cl_auditopt);
	if (op->op_strict && op->op_mode != MODE_CONVERT)
		cli_error(cl, "--strict: only with --convert");
	if (op->op_mode == MODE_SELFCHECK && (why = selfcheck_remote_check(
	    op->op_audit, op->op_conf != NULL)) != NULL)
		cli_error(cl, "%s", why);
	if (f == NULL)
		return;
	if (op->op_mode == MODE_SELFCHECK) {
		if (selfcheck_option(op->op_audit, SELFCHECK_OPT_FORMAT, f) ==
		    -1)
			cli_error(cl, "--format %s: inetd or native (the "
			    "config), text, json or prometheus (the report)",
			    f);
	} else if ((op->op_mode == MODE_LIST || (op->op_mode == MODE_CONTROL &&
	    op->op_command == CONTROL_STATUS)) && (strcmp(f, "json") == 0 ||
	    strcmp(f, "text") == 0))
		op->op_json = strcmp(f, "json") == 0;
	else
		cli_error(cl, "--format %s: inetd or native (the config)%s", f,
		    op->op_mode == MODE_LIST ? ", text or json (the list)" :
		    "; text, json and prometheus are for --list, status and "
		    "--selfcheck");
}

/*
 * Parse ARGV into OP.  Exits on --help and --version (0) and on a usage
 * error (2, or 3 in --selfcheck mode), having said why on stderr.
 */
void
cli_parse(struct options *op, int argc, char **argv)
{
	struct option all[64];
	struct cli cl;
	int ch, li;

	memset(&cl, 0, sizeof(cl));
	cl.cl_op = op;
	op->op_mode = MODE_SERVE;
	op->op_pidfile = SUPERD_PIDFILE;
	op->op_control = control_default_path();
	if ((op->op_audit = selfcheck_opts_new()) == NULL) {
		fputs("superd: out of memory\n", stderr);
		exit(2);
	}
	cli_table(all, sizeof(all) / sizeof(all[0]));
	optind = 1;
	while ((li = -1, ch = getopt_long(argc, argv, "c:fdvp:tVh", all,
	    &li)) != -1)
		cli_option(&cl, ch, all, li);
	cli_words(&cl, argc, argv);
	cli_check_mode(&cl);
	if (cl.cl_errors > 0) {
		fputs("Try 'superd --help'.\n", stderr);
		exit(op->op_mode == MODE_SELFCHECK ? 3 : 2);
	}
	if (cl.cl_help) {
		fputs(cli_usage, stdout);
		exit(0);
	}
	if (cl.cl_version) {
		printf("superd %s\n", SUPERD_VERSION);
		exit(0);
	}
	if (op->op_conf == NULL) {
		op->op_conf = cli_default_conf();
		op->op_conf_default = 1;
	}
}
