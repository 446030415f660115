/* SPDX-License-Identifier: ISC */
/*
 * One `service NAME { }` section of superd.conf into the table: its
 * options read (from the section, else the nearest defaults { }), every
 * field of its configuration filled, one endpoint per bind address.
 * What needs several options at once (protocol against socket type,
 * builtin against wait) is checked here and names the line of `service
 * NAME`.  Below conf.c, which reads the file; the option table
 * (conf_options.h) is expanded here.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <confuse.h>

#include "superd.h"
#include "conf.h"


/* Report an error at LINE of the file being built. */
void
conf_err(struct conf_file *cf, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	svctab_error(cf->cf_tab, cf->cf_path, line, "%s", msg);
}

/* The option NAME of SEC, else of the nearest defaults { } that sets it. */
cfg_opt_t *
conf_opt(struct conf_file *cf, cfg_t *sec, const char *name)
{
	cfg_opt_t *opt;
	cfg_t *defs;

	if ((opt = cfg_getopt(sec, name)) != NULL && cfg_opt_size(opt) > 0)
		return opt;
	for (; cf != NULL; cf = cf->cf_parent) {
		defs = cfg_getsec(cf->cf_cfg, "defaults");
		if (defs != NULL && (opt = cfg_getopt(defs, name)) != NULL &&
		    cfg_opt_size(opt) > 0)
			return opt;
	}
	return NULL;
}

/* String option NAME (inherited), or DEF. */
const char *
conf_str(struct conf_file *cf, cfg_t *sec, const char *name, const char *def)
{
	cfg_opt_t *opt = conf_opt(cf, sec, name);
	const char *s;

	if (opt == NULL || (s = cfg_opt_getnstr(opt, 0)) == NULL)
		return def;
	return s;
}

/* Integer option NAME (inherited), or DEF. */
long
conf_int(struct conf_file *cf, cfg_t *sec, const char *name, long def)
{
	cfg_opt_t *opt = conf_opt(cf, sec, name);

	return opt == NULL ? def : cfg_opt_getnint(opt, 0);
}

/* Boolean option NAME (inherited), or DEF. */
int
conf_bool(struct conf_file *cf, cfg_t *sec, const char *name, int def)
{
	cfg_opt_t *opt = conf_opt(cf, sec, name);

	return opt == NULL ? def : cfg_opt_getnbool(opt, 0) == cfg_true;
}

/* Set *DST to a copy of string option NAME if given. */
static int
conf_strdup(struct conf_file *cf, cfg_t *sec, const char *name, char **dst)
{
	const char *s = conf_str(cf, sec, name, NULL);

	if (s == NULL)
		return 0;
	free(*dst);
	if ((*dst = strdup(s)) == NULL)
		return -1;
	return 0;
}

/* Append every value of list option NAME (inherited) to *V with PUSH. */
static int
conf_strv_with(struct conf_file *cf, cfg_t *sec, const char *name, char ***v,
    int (*push)(char ***, const char *))
{
	cfg_opt_t *opt = conf_opt(cf, sec, name);
	unsigned int i;

	for (i = 0; opt != NULL && i < cfg_opt_size(opt); i++)
		if (push(v, cfg_opt_getnstr(opt, i)) == -1)
			return -1;
	return 0;
}

/* Append every value of list option NAME (inherited) to *V. */
static int
conf_strv(struct conf_file *cf, cfg_t *sec, const char *name, char ***v)
{
	return conf_strv_with(cf, sec, name, v, strv_push);
}

/* Protocol and socket type of SEC, defaulting one from the other. */
static int
conf_protocol(struct conf_file *cf, cfg_t *sec, int line, const char *name,
    struct conf_proto *cp)
{
	const char *proto = conf_str(cf, sec, "protocol", NULL);
	const char *st = conf_str(cf, sec, "socket_type", NULL);

	if (proto == NULL)
		proto = st != NULL && strcmp(st, "dgram") == 0 ? "udp" : "tcp";
	cp->cp_proto = proto[0] == 'u' ? IPPROTO_UDP : IPPROTO_TCP;
	/* As in Debian's inetd.conf: plain tcp and udp are IPv4 and IPv6. */
	cp->cp_family = strchr(proto, '6') != NULL ? AF_INET6 :
	    strchr(proto, '4') != NULL ? AF_INET : 0;
	cp->cp_v6only = strstr(proto, "46") == NULL;
	/* A socket path is one endpoint; RPC is registered for IPv4. */
	if (cp->cp_family == 0 && (conf_str(cf, sec, "socket", NULL) != NULL ||
	    conf_str(cf, sec, "rpc_version", NULL) != NULL))
		cp->cp_family = AF_INET;
	if (st == NULL)
		st = cp->cp_proto == IPPROTO_UDP ? "dgram" : "stream";
	cp->cp_socktype = strcmp(st, "dgram") == 0 ? SOCK_DGRAM : SOCK_STREAM;
	if ((cp->cp_socktype == SOCK_STREAM) != (cp->cp_proto == IPPROTO_TCP)) {
		conf_err(cf, line, "service %s: socket_type %s does not go with "
		    "protocol %s", name, st, proto);
		return -1;
	}
	cp->cp_v6only = conf_bool(cf, sec, "v6only", cp->cp_v6only);
	return 0;
}

/* Report WHY of SV when RC is -1; RC. */
static int
conf_kind_err(struct conf_file *cf, struct service *sv, int rc,
    const char *why)
{
	const struct service_conf *sc = sv->sv_conf;

	if (rc == -1)
		conf_err(cf, sc->sc_line, "service %s: %s", sc->sc_name, why);
	return rc;
}

/* socket = PATH with its owner and mode: a UNIX-domain service. */
static int
conf_fill_unix(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const struct service_conf *sc = sv->sv_conf;
	static const char *const ip[] = {
		"port", "bind", "protocol", "v6only", "tcpmux", "rpc_version",
	};
	char why[300];
	size_t i;

	for (i = 0; i < sizeof(ip) / sizeof(ip[0]); i++)
		if (cfg_size(sec, ip[i]) > 0) {
			conf_err(cf, sc->sc_line, "service %s: %s does not go "
			    "with socket (a UNIX-domain service)", sc->sc_name,
			    ip[i]);
			return -1;
		}
	return conf_kind_err(cf, sv, kind_unix_setup(sv, conf_str(cf, sec,
	    "socket", NULL), conf_str(cf, sec, "socket_user", NULL),
	    conf_str(cf, sec, "socket_group", NULL), conf_str(cf, sec,
	    "socket_mode", NULL), why, sizeof(why)), why);
}

/* tcpmux = NAME or rpc_version: the kind of an IP service SV. */
static int
conf_fill_kind(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const struct service_conf *sc = sv->sv_conf;
	const char *mux = conf_str(cf, sec, "tcpmux", NULL);
	const char *rpcv = conf_str(cf, sec, "rpc_version", NULL);
	char why[300], name[80];

	if ((mux != NULL || rpcv != NULL) && cfg_size(sec, "port") > 0) {
		conf_err(cf, sc->sc_line, "service %s: port does not go with %s",
		    sc->sc_name, mux != NULL ? "tcpmux (it is served on port 1)" :
		    "rpc_version (rpcbind hands out the port)");
		return -1;
	}
	if (mux != NULL && rpcv != NULL) {
		conf_err(cf, sc->sc_line, "service %s: tcpmux and rpc_version "
		    "do not go together", sc->sc_name);
		return -1;
	}
	if (mux != NULL) {
		snprintf(name, sizeof(name), "%s%.70s", conf_bool(cf, sec,
		    "tcpmux_plus", 0) ? "+" : "", mux);
		return conf_kind_err(cf, sv, kind_tcpmux_setup(sv, name, why,
		    sizeof(why)), why);
	}
	if (rpcv == NULL)
		return 0;
	if (sv->sv_addr.ss_family != AF_INET)
		return conf_kind_err(cf, sv, -1, "RPC services are registered "
		    "for IPv4 only (protocol tcp or udp)");
	return conf_kind_err(cf, sv, kind_rpc_setup(sv, conf_str(cf, sec,
	    "rpc_program", sc->sc_name), rpcv, why, sizeof(why)), why);
}

/*
 * The endpoint of SV: the section's protocol, the bind address cf_addr,
 * the port; or what its kind is.  Run for each bind address.
 */
static int
conf_fill_endpoint(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);
	const struct conf_proto *cp = &cf->cf_proto;
	const char *name = sc->sc_name, *addr = cf->cf_addr;
	const char *port = conf_str(cf, sec, "port", name);
	int portnum = 0;

	sv->sv_proto = cp->cp_proto;
	sv->sv_socktype = cp->cp_socktype;
	sc->sc_disabled = conf_bool(cf, sec, "disable", 0);
	if (conf_str(cf, sec, "socket", NULL) != NULL)
		return conf_fill_unix(cf, sec, sv);
	if (conf_str(cf, sec, "tcpmux", NULL) != NULL)
		port = "1";
	if (conf_str(cf, sec, "rpc_version", NULL) == NULL &&
	    svctab_resolve_port(port, cp->cp_proto, &portnum) == -1) {
		conf_err(cf, sc->sc_line, "service %s: port \"%s\" is not a "
		    "number 1-65535 or a known %s service", name, port,
		    cp->cp_proto == IPPROTO_UDP ? "udp" : "tcp");
		return -1;
	}
	if (svctab_set_addr(sv, addr, portnum)) {
		conf_err(cf, sc->sc_line, "service %s: bad bind address \"%s\"",
		    name, addr);
		return -1;
	}
	if (cp->cp_family != 0 && sv->sv_addr.ss_family != cp->cp_family &&
	    (cp->cp_family == AF_INET || cp->cp_v6only)) {
		conf_err(cf, sc->sc_line, "service %s: bind address %s is not "
		    "%s; protocol %s", name, addr, cp->cp_family == AF_INET ?
		    "IPv4" : "IPv6", conf_str(cf, sec, "protocol", "tcp"));
		return -1;
	}
	sv->sv_v6only = sv->sv_addr.ss_family == AF_INET6 ? cp->cp_v6only : 0;
	return conf_fill_kind(cf, sec, sv);
}

/* internal = yes/no/NAME: the builtin SV runs, or BUILTIN_NONE. */
static int
conf_fill_builtin(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);
	const char *s = conf_str(cf, sec, "internal", NULL);
	int b;

	sc->sc_builtin = BUILTIN_NONE;
	if (s == NULL)
		return 0;
	if (conf_value_boolword(s, &b)) {
		if (!b)
			return 0;
		s = sc->sc_name;
	}
	if ((sc->sc_builtin = builtin_name_find(s)) == BUILTIN_NONE) {
		conf_err(cf, sc->sc_line, "service %s: no builtin named \"%s\"",
		    sc->sc_name, s);
		return -1;
	}
	if (sc->sc_wait && sv->sv_socktype == SOCK_STREAM) {
		conf_err(cf, sc->sc_line, "service %s: builtin %s needs "
		    "wait = no on a stream socket", sc->sc_name, s);
		return -1;
	}
	if (conf_str(cf, sec, "server", NULL) != NULL) {
		conf_err(cf, sc->sc_line, "service %s: both server and "
		    "internal given", sc->sc_name);
		return -1;
	}
	return 0;
}

/* Say that SV could not be read for want of memory; -1. */
static int
conf_oom(struct conf_file *cf, struct service *sv)
{
	conf_err(cf, sv->sv_conf->sc_line, "service %s: out of memory",
	    sv->sv_conf->sc_name);
	return -1;
}

/* groups = { ... } or the initgroups list of the user. */
static int
conf_fill_groups(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);
	cfg_opt_t *opt = conf_opt(cf, sec, "groups");
	unsigned int i, n = cfg_opt_size(opt);
	gid_t *gids;

	if (opt == NULL) {
		if (lookup_cache_groups(sc->sc_user, sc->sc_gid,
		    &sc->sc_groups, &sc->sc_ngroups) == 0)
			return 0;
		conf_err(cf, sc->sc_line, "service %s: cannot list the groups "
		    "of user %s", sc->sc_name, sc->sc_user);
		return -1;
	}
	if ((gids = calloc(n + 1, sizeof(gid_t))) == NULL)
		return conf_oom(cf, sv);
	for (i = 0; i < n; i++) {
		const char *g = cfg_opt_getnstr(opt, i);

		if (lookup_cache_group(g, &gids[i]) == -1) {
			conf_err(cf, sc->sc_line, "service %s: unknown group "
			    "\"%s\"", sc->sc_name, g);
			free(gids);
			return -1;
		}
	}
	sc->sc_groups = svctab_share_mem(gids, n * sizeof(gid_t));
	free(gids);
	if (sc->sc_groups == NULL)
		return conf_oom(cf, sv);
	sc->sc_ngroups = (int)n;
	return 0;
}

/* user, group, groups: required unless the service is a builtin. */
static int
conf_fill_creds(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);
	const char *user = conf_str(cf, sec, "user", NULL);
	const char *group = conf_str(cf, sec, "group", NULL);

	if (user == NULL && sc->sc_builtin == BUILTIN_NONE) {
		conf_err(cf, sc->sc_line, "service %s: user is required",
		    sc->sc_name);
		return -1;
	}
	if (user == NULL)
		user = "root";
	if (lookup_cache_user(user, &sc->sc_uid, &sc->sc_gid) == -1) {
		conf_err(cf, sc->sc_line, "service %s: unknown user \"%s\"",
		    sc->sc_name, user);
		return -1;
	}
	if (group != NULL && lookup_cache_group(group, &sc->sc_gid) == -1) {
		conf_err(cf, sc->sc_line, "service %s: unknown group \"%s\"",
		    sc->sc_name, group);
		return -1;
	}
	if ((sc->sc_user = svctab_share(user)) == NULL)
		return -1;
	return conf_fill_groups(cf, sec, sv);
}

/* server and server_args: argv = { basename(server), server_args... }. */
static int
conf_fill_server(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);
	const char *server = conf_str(cf, sec, "server", NULL);
	const char *why, *base;

	if (sc->sc_builtin != BUILTIN_NONE)
		return 0;
	if (server == NULL) {
		conf_err(cf, sc->sc_line, "service %s: server or internal is "
		    "required", sc->sc_name);
		return -1;
	}
	if ((why = conf_value_check_server(server)) != NULL) {
		conf_err(cf, sc->sc_line, "service %s: server %s %s",
		    sc->sc_name, server, why);
		return -1;
	}
	base = strrchr(server, '/') + 1;
	if ((sc->sc_server = svctab_share(server)) == NULL ||
	    svctab_argv_push(&sc->sc_argv, *base != '\0' ? base : server) ==
	    -1 || conf_strv_with(cf, sec, "server_args", &sc->sc_argv,
	    svctab_argv_push) == -1)
		return -1;
	return 0;
}

/* The rarely set options of SV, to set one; NULL when out of memory (said). */
static struct service_rare *
conf_rare(struct conf_file *cf, struct service *sv)
{
	struct service_rare *r;

	if ((r = service_conf_rare(sv)) == NULL)
		(void)conf_oom(cf, sv);
	return r;
}

/* capabilities: the only ones a root child keeps (its bounding set). */
static int
conf_fill_caps(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const struct service_conf *sc = sv->sv_conf;
	cfg_opt_t *opt = conf_opt(cf, sec, "capabilities");
	unsigned int i, n = cfg_opt_size(opt);
	struct service_rare *r;
	int cap;

	if (opt == NULL)
		return 0;
	if ((r = conf_rare(cf, sv)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const char *name = cfg_opt_getnstr(opt, i);

		if (strcmp(name, "none") == 0)
			continue;
		if (priv_cap_from_name(name, &cap) == -1 || cap > 63) {
			conf_err(cf, sc->sc_line, "service %s: unknown "
			    "capability \"%s\"", sc->sc_name, name);
			return -1;
		}
		r->sc_caps |= 1ULL << cap;
	}
	r->sc_caps_set = 1;
	return 0;
}

/* umask and rlimits. */
static int
conf_fill_process(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const struct service_conf *sc = sv->sv_conf;
	static const char *const rl[SV_RLIM_COUNT] = {
		[SV_RLIM_AS] = "rlimit_as", [SV_RLIM_CPU] = "rlimit_cpu",
		[SV_RLIM_NOFILE] = "rlimit_nofile",
		[SV_RLIM_NPROC] = "rlimit_nproc", [SV_RLIM_DATA] = "rlimit_data",
	};
	struct service_rare *r;
	const char *s;
	int i;

	if ((s = conf_str(cf, sec, "umask", NULL)) != NULL) {
		if ((r = conf_rare(cf, sv)) == NULL)
			return -1;
		if (conf_value_umask(s, &r->sc_umask) == -1) {
			conf_err(cf, sc->sc_line, "service %s: bad umask",
			    sc->sc_name);
			return -1;
		}
	}
	for (i = 0; i < SV_RLIM_COUNT; i++) {
		if ((s = conf_str(cf, sec, rl[i], NULL)) == NULL)
			continue;
		if ((r = conf_rare(cf, sv)) == NULL)
			return -1;
		if (conf_value_rlimit(s, &r->sc_rlimit[i]) == -1) {
			conf_err(cf, sc->sc_line, "service %s: bad %s",
			    sc->sc_name, rl[i]);
			return -1;
		}
	}
	return 0;
}

/* protect_system, private_tmp, private_devices: the sandbox. */
static int
conf_fill_sandbox(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const char *s = conf_str(cf, sec, "protect_system", "no");
	struct service_rare *r;
	int sandbox = (strcmp(s, "strict") == 0 ? SANDBOX_PROTECT : 0) |
	    (conf_bool(cf, sec, "private_tmp", 0) ? SANDBOX_TMP : 0) |
	    (conf_bool(cf, sec, "private_devices", 0) ? SANDBOX_DEVICES : 0);

	if (sandbox == 0)
		return 0;
	if ((r = conf_rare(cf, sv)) == NULL)
		return -1;
	r->sc_sandbox = sandbox;
	return 0;
}

/* List option NAME into an ACL: no_access when DENY, else only_from. */
static int
conf_fill_acl(struct conf_file *cf, cfg_t *sec, struct service *sv,
    const char *name, int deny)
{
	const struct service_conf *sc = sv->sv_conf;
	cfg_opt_t *opt = conf_opt(cf, sec, name);
	unsigned int i, n = cfg_opt_size(opt);
	struct service_rare *r;
	struct acl *acl;

	if (n == 0)
		return 0;
	if ((r = conf_rare(cf, sv)) == NULL)
		return -1;
	acl = deny ? &r->sc_no_access : &r->sc_only_from;
	if ((acl->acl_entries = calloc(n, sizeof(*acl->acl_entries))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const char *s = cfg_opt_getnstr(opt, i);

		if (conf_value_cidr(s, &acl->acl_entries[i]) == -1) {
			conf_err(cf, sc->sc_line, "service %s: %s: bad address "
			    "\"%s\"", sc->sc_name, name, s);
			return -1;
		}
	}
	acl->acl_n = n;
	return 0;
}

/* only_uid and only_gid of a UNIX-domain service; no IP lists on one. */
static int
conf_fill_peers(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const struct service_conf *sc = sv->sv_conf;
	char **uids = NULL, **gids = NULL, why[300];
	int rc;

	if (sc->sc_kind == &kind_unix && (sc->sc_rare->sc_only_from.acl_n > 0 ||
	    sc->sc_rare->sc_no_access.acl_n > 0))
		return conf_kind_err(cf, sv, -1, "only_from and no_access list "
		    "IP addresses; a UNIX-domain service takes only_uid and "
		    "only_gid");
	if (conf_strv(cf, sec, "only_uid", &uids) == -1 ||
	    conf_strv(cf, sec, "only_gid", &gids) == -1)
		rc = conf_kind_err(cf, sv, -1, "out of memory");
	else
		rc = conf_kind_err(cf, sv, kind_unix_peers(sv, uids, gids, why,
		    sizeof(why)), why);
	strv_free(uids);
	strv_free(gids);
	return rc;
}

/* only_from and no_access. */
static int
conf_fill_acls(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	return conf_fill_acl(cf, sec, sv, "only_from", 0) == -1 ||
	    conf_fill_acl(cf, sec, sv, "no_access", 1) == -1 ? -1 : 0;
}

/* access_times. */
static int
conf_fill_times(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const struct service_conf *sc = sv->sv_conf;
	cfg_opt_t *opt = conf_opt(cf, sec, "access_times");
	unsigned int i, n = cfg_opt_size(opt);
	struct service_rare *r;

	if (n == 0)
		return 0;
	if ((r = conf_rare(cf, sv)) == NULL)
		return -1;
	if ((r->sc_times = calloc(n, sizeof(*r->sc_times))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const char *s = cfg_opt_getnstr(opt, i);

		if (conf_value_time_range(s, &r->sc_times[i]) == -1) {
			conf_err(cf, sc->sc_line, "service %s: bad access_times "
			    "\"%s\"", sc->sc_name, s);
			return -1;
		}
	}
	r->sc_ntimes = (int)n;
	return 0;
}

/* cps = {rate, backoff}. */
static int
conf_fill_cps(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);
	cfg_opt_t *cps = conf_opt(cf, sec, "cps");

	if (cps != NULL) {
		if (cfg_opt_size(cps) != 2) {
			conf_err(cf, sc->sc_line, "service %s: cps takes two "
			    "numbers: {rate, backoff seconds}", sc->sc_name);
			return -1;
		}
		sc->sc_cps_rate = (int)cfg_opt_getnint(cps, 0);
		sc->sc_cps_backoff = (int)cfg_opt_getnint(cps, 1);
	}
	return 0;
}

/* tcp_wrappers: on by default for an IP service. */
static int
conf_fill_wrap(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);

	/* A UNIX-domain peer has no address for hosts.allow to match. */
	sc->sc_wrap = sc->sc_kind != &kind_unix &&
	    conf_bool(cf, sec, "tcp_wrappers", 1);
	if (sc->sc_kind == &kind_unix && cfg_size(sec, "tcp_wrappers") > 0 &&
	    conf_bool(cf, sec, "tcp_wrappers", 0)) {
		conf_err(cf, sc->sc_line, "service %s: tcp_wrappers needs an IP "
		    "peer; a UNIX-domain service takes only_uid and only_gid",
		    sc->sc_name);
		return -1;
	}
	return 0;
}

/* log_on_success / log_on_failure NAME into LOGF_* bits in *FLAGS. */
static void
conf_fill_logflag(struct conf_file *cf, cfg_t *sec, struct service *sv,
    const char *name, int *flags)
{
	const struct service_conf *sc = sv->sv_conf;
	cfg_opt_t *opt = conf_opt(cf, sec, name);
	unsigned int i;
	int bit;

	if (opt == NULL)
		return;
	*flags = 0;
	for (i = 0; i < cfg_opt_size(opt); i++) {
		const char *s = cfg_opt_getnstr(opt, i);

		if (conf_value_logflag(s, &bit) == -1)
			continue;
		if (bit == 0)	/* a warning: -t and --list show it */
			log_warnx("%s:%d: service %s: %s %s is not supported by "
			    "superd; ignored", cf->cf_path, sc->sc_line,
			    sc->sc_name, name, s);
		*flags |= bit;
	}
}

/* log_on_success and log_on_failure. */
static int
conf_fill_logs(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);

	conf_fill_logflag(cf, sec, sv, "log_on_success",
	    &sc->sc_log_success);
	conf_fill_logflag(cf, sec, sv, "log_on_failure",
	    &sc->sc_log_failure);
	return 0;
}

/*
 * Banner option NAME (of KIND) of SV, when set: its path kept, its file
 * read now: its bytes are what is sent.
 */
static int
conf_fill_banner(struct conf_file *cf, cfg_t *sec, struct service *sv,
    const char *name, enum banner_kind kind)
{
	const struct service_conf *sc = sv->sv_conf;
	struct service_rare *r;
	char *path = NULL, **keep;
	const char *why;

	if (conf_strdup(cf, sec, name, &path) == -1)
		return -1;
	if (path == NULL)
		return 0;
	if ((r = conf_rare(cf, sv)) == NULL) {
		free(path);
		return -1;
	}
	keep = kind == BANNER_ALL ? &r->sc_banner : kind == BANNER_SUCCESS ?
	    &r->sc_banner_success : &r->sc_banner_fail;
	free(*keep);
	*keep = path;
	if ((why = banner_load(r, kind, path)) == NULL)
		return 0;
	conf_err(cf, sc->sc_line, "service %s: %s %s: %s",
	    sc->sc_name, name, path, why);
	return -1;
}

/* banner, banner_success, banner_fail. */
static int
conf_fill_banners(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	return conf_fill_banner(cf, sec, sv, "banner", BANNER_ALL) ||
	    conf_fill_banner(cf, sec, sv, "banner_success", BANNER_SUCCESS) ||
	    conf_fill_banner(cf, sec, sv, "banner_fail", BANNER_FAIL) ? -1 : 0;
}

#define CONF_T_STR CFGT_STR, 0
#define CONF_T_STR_LIST CFGT_STR, 1
#define CONF_T_INT CFGT_INT, 0
#define CONF_T_INT_LIST CFGT_INT, 1
#define CONF_T_BOOL CFGT_BOOL, 0
#define CONF_S_SVC 0
#define CONF_S_TOP 1
#define SC(f) offsetof(struct service_conf, f), CONF_NONE, NULL
#define GL(f) CONF_NONE, offsetof(struct globals, f), NULL
#define FILL(fn) CONF_NONE, CONF_NONE, fn

/* Every option of the native format, from conf_options.h. */
const struct conf_opt conf_opts[] = {
#define CONF_OPTION(name, type, scope, check, min, max, lands, def, shown) \
	{ name, CONF_T_##type, CONF_S_##scope, check, min, max, lands },
#include "conf_options.h"
#undef CONF_OPTION
};
const size_t conf_nopts = sizeof(conf_opts) / sizeof(conf_opts[0]);

/*
 * Every option of SEC (or its defaults) that lands in a field of the
 * configuration of SV by itself (SC in conf_options.h); -1 out of memory.
 */
static int
conf_fill_options(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const struct conf_opt *co;
	size_t i;
	void *p;

	for (i = 0; i < conf_nopts; i++) {
		if ((co = &conf_opts[i])->co_top || co->co_sc == CONF_NONE)
			continue;
		p = (char *)service_conf_edit(sv) + co->co_sc;
		if (co->co_list) {
			if (conf_strv(cf, sec, co->co_name, p) == -1)
				return -1;
		} else if (co->co_type == CFGT_STR) {
			if (conf_strdup(cf, sec, co->co_name, p) == -1)
				return -1;
		} else if (co->co_type == CFGT_INT)
			*(int *)p = (int)conf_int(cf, sec, co->co_name, *(int *)p);
		else
			*(int *)p = conf_bool(cf, sec, co->co_name, *(int *)p);
	}
	return 0;
}

/*
 * Every field of SV from SEC and the defaults, bound to cf_addr: the
 * plain fields, then each FILL helper once, in the table's order.
 */
static int
conf_fill(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const struct service_conf *sc = sv->sv_conf;
	int nerr = cf->cf_tab->st_nerrors, rc;
	conf_fill_fn *last = NULL;
	const struct conf_opt *co;
	size_t i;

	rc = conf_fill_options(cf, sec, sv);
	for (i = 0; rc == 0 && i < conf_nopts; i++) {
		co = &conf_opts[i];
		if (co->co_top || co->co_fill == NULL || co->co_fill == last)
			continue;
		rc = (last = co->co_fill)(cf, sec, sv);
	}
	if (rc == -1) {
		if (cf->cf_tab->st_nerrors == nerr)
			conf_err(cf, sc->sc_line, "service %s: out of memory",
			    sc->sc_name);
		return -1;
	}
	return 0;
}

/* The bind addresses of SEC: the list, or the wildcard of each family. */
static const char *
conf_bind_addr(struct conf_file *cf, cfg_t *sec, const struct conf_proto *cp,
    unsigned int i, unsigned int *n)
{
	cfg_opt_t *opt = conf_opt(cf, sec, "bind");

	if (opt == NULL) {
		*n = cp->cp_family == 0 ? 2 : 1;
		return cp->cp_family == AF_INET6 || i == 1 ? "::" : "0.0.0.0";
	}
	*n = cfg_opt_size(opt);
	return cfg_opt_getnstr(opt, i);
}

/*
 * The first byte of NAME that cannot stand in a log field unquoted (a
 * blank, a control byte, '=', '"' or '\\'), or NULL when there is none:
 * "service=x y=z" would forge a field.
 */
static const char *
conf_name_bad(const char *name)
{
	for (; *name != '\0'; name++)
		if ((unsigned char)*name <= ' ' || *name == 0x7f ||
		    strchr("=\"\\", *name) != NULL)
			return name;
	return NULL;
}

/* One service NAME { } section into one entry per bind address. */
int
conf_service(struct conf_file *cf, cfg_t *sec, int line)
{
	const char *name = cfg_title(sec), *bad;
	struct service *sv, *first;
	unsigned int i, n;

	if (name == NULL || *name == '\0') {
		conf_err(cf, line, "service without a name");
		return -1;
	}
	if ((bad = conf_name_bad(name)) != NULL) {
		conf_err(cf, line, "service name has a %s (byte 0x%02x): names "
		    "are one word without '=', '\"' or '\\'", *bad == ' ' ?
		    "blank" : "character it may not have", (unsigned char)*bad);
		return -1;
	}
	if (conf_protocol(cf, sec, line, name, &cf->cf_proto) == -1)
		return -1;
	if ((first = service_new(name, cf->cf_path, line)) == NULL) {
		conf_err(cf, line, "out of memory");
		return -1;
	}
	cf->cf_addr = conf_bind_addr(cf, sec, &cf->cf_proto, 0, &n);
	if (conf_fill(cf, sec, first) == -1) {
		service_unref(first);
		return -1;
	}
	TAILQ_INSERT_TAIL(&cf->cf_tab->st_services, first, sv_entry);
	for (i = 1; i < n; i++) {
		if ((sv = service_clone(first)) == NULL) {
			conf_err(cf, line, "out of memory");
			return -1;
		}
		TAILQ_INSERT_TAIL(&cf->cf_tab->st_services, sv, sv_entry);
		cf->cf_addr = conf_bind_addr(cf, sec, &cf->cf_proto, i, &n);
		if (conf_fill_endpoint(cf, sec, sv) == -1)
			return -1;
	}
	return 0;
}
