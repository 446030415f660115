/* SPDX-License-Identifier: ISC */
/*
 * The service table: what both config parsers produce.  Name resolution
 * (services, users, groups, addresses) happens here, once, at load time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "superd.h"



/* The default of an option that lands in a field by itself. */
struct svctab_default {
	size_t sd_sc;	/* offset in struct service_conf, or CONF_NONE */
	size_t sd_gl;	/* offset in struct globals, or CONF_NONE */
	int sd_number;	/* an INT or BOOL: an int with a default */
	int sd_value;	/* that default */
	int sd_shown;	/* OPT_LIST: a key of --list --json */
	const char *sd_name; /* its name */
};

#define SVCTAB_NUM_STR 0
#define SVCTAB_NUM_STR_LIST 0
#define SVCTAB_NUM_INT 1
#define SVCTAB_NUM_INT_LIST 0
#define SVCTAB_NUM_BOOL 1
#define SC(f) offsetof(struct service_conf, f), CONF_NONE
#define GL(f) CONF_NONE, offsetof(struct globals, f)
#define FILL(fn) CONF_NONE, CONF_NONE

/* From conf_options.h: where each option lands, and its default. */
static const struct svctab_default svctab_defaults[] = {
#define CONF_OPTION(name, type, scope, check, min, max, lands, def, shown) \
	{ lands, SVCTAB_NUM_##type, def, shown, name },
#include "conf_options.h"
#undef CONF_OPTION
};
#define SVCTAB_NDEFAULTS (sizeof(svctab_defaults) / sizeof(svctab_defaults[0]))

/* An empty table with the global defaults. */
struct svctab *
svctab_new(void)
{
	struct svctab *tab;
	size_t i;

	if ((tab = calloc(1, sizeof(*tab))) == NULL)
		return NULL;
	TAILQ_INIT(&tab->st_services);
	for (i = 0; i < SVCTAB_NDEFAULTS; i++)
		if (svctab_defaults[i].sd_gl != CONF_NONE)
			*(int *)(void *)((char *)&tab->st_globals +
			    svctab_defaults[i].sd_gl) = svctab_defaults[i].sd_value;
	return tab;
}

/* Drop the table's reference to every service, then the table. */
void
svctab_free(struct svctab *tab)
{
	struct service *sv;

	if (tab == NULL)
		return;
	while ((sv = TAILQ_FIRST(&tab->st_services)) != NULL) {
		TAILQ_REMOVE(&tab->st_services, sv, sv_entry);
		service_unref(sv);
	}
	free(tab->st_globals.gl_user);
	free(tab->st_path);
	strv_free(tab->st_watch);
	free(tab);
}

/*
 * Remember that loading TAB read the file PATH (DIR 0) or searched the
 * directory PATH (DIR 1), or that an include's glob(7) PATH may match a
 * file added later: watch.c reloads when one of them changes.
 * Absolute, each once; best effort (a path that cannot be had is skipped).
 */
void
svctab_note_path(struct svctab *tab, const char *path, int dir)
{
	char abs[PATH_MAX + 2], parent[PATH_MAX];
	const char *slash;
	size_t i;

	if (realpath(path, abs) == NULL) {
		/* Not there (yet): watch for it in its directory. */
		if (dir || (slash = strrchr(path, '/')) == NULL ||
		    (size_t)(slash - path) >= sizeof(parent))
			return;
		memcpy(parent, path, (size_t)(slash - path));
		parent[slash - path] = '\0';
		if (realpath(*parent != '\0' ? parent : "/", abs) == NULL ||
		    strlen(abs) + strlen(slash) >= sizeof(abs) - 1)
			return;
		strcat(abs, slash);
	}
	if (dir)
		strcat(abs, "/");
	for (i = 0; tab->st_watch != NULL && tab->st_watch[i] != NULL; i++)
		if (strcmp(tab->st_watch[i], abs) == 0)
			return;
	(void)strv_push(&tab->st_watch, abs);
}

/*
 * Strings and group lists many services hold alike (the file they come
 * from, the user, the server path, the user's groups): one counted copy
 * each.  The last few made are remembered, so the next service naming
 * the same one takes a reference.  A shared copy is never written; only
 * svctab_unshare releases it.
 */
struct svctab_shared {
	int sh_refs;	 /* services holding sh_str */
	unsigned sh_len; /* its bytes (a string's NUL included) */
	char sh_str[];	 /* the string or list */
};
#define SVCTAB_SHARE_RECENT 8 /* strings remembered for sharing */
static struct svctab_shared *svctab_recent[SVCTAB_SHARE_RECENT];
static int svctab_recent_next;

/* Another reference to the shared string S (NULL stays NULL). */
static char *
svctab_share_again(char *s)
{
	if (s != NULL)
		((struct svctab_shared *)(s -
		    offsetof(struct svctab_shared, sh_str)))->sh_refs++;
	return s;
}

/* A shared copy of the LEN bytes at P; NULL when out of memory. */
void *
svctab_share_mem(const void *p, size_t len)
{
	struct svctab_shared *sh;
	int i;

	for (i = 0; i < SVCTAB_SHARE_RECENT; i++)
		if ((sh = svctab_recent[i]) != NULL && sh->sh_len == len &&
		    (len == 0 || memcmp(sh->sh_str, p, len) == 0))
			return svctab_share_again(sh->sh_str);
	if (len > UINT_MAX || (sh = malloc(sizeof(*sh) + len)) == NULL)
		return NULL;
	sh->sh_refs = 1;
	sh->sh_len = (unsigned)len;
	if (len > 0)
		memcpy(sh->sh_str, p, len);
	svctab_recent[svctab_recent_next] = sh;
	svctab_recent_next = (svctab_recent_next + 1) % SVCTAB_SHARE_RECENT;
	return sh->sh_str;
}

/* The shared string holding S (NULL stays NULL); NULL when out of memory. */
char *
svctab_share(const char *s)
{
	return s == NULL ? NULL : svctab_share_mem(s, strlen(s) + 1);
}

/* Release a reference to the shared copy S; the last one frees it. */
static void
svctab_unshare(void *s)
{
	struct svctab_shared *sh;
	int i;

	if (s == NULL)
		return;
	sh = (struct svctab_shared *)((char *)s -
	    offsetof(struct svctab_shared, sh_str));
	if (--sh->sh_refs > 0)
		return;
	for (i = 0; i < SVCTAB_SHARE_RECENT; i++)
		if (svctab_recent[i] == sh)
			svctab_recent[i] = NULL;
	free(sh);
}

/*
 * Append to the argument vector *V a shared copy of S (the same server's
 * argv[0], a flag many lines pass); -1 when out of memory.
 */
int
svctab_argv_push(char ***v, const char *s)
{
	char *c;

	if ((c = svctab_share(s)) == NULL)
		return -1;
	if (strv_adopt(v, c) == -1) {
		svctab_unshare(c);
		return -1;
	}
	return 0;
}

/* Free an argument vector of shared strings (svctab_argv_push). */
static void
svctab_argv_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		svctab_unshare(v[i]);
	free(v);
}

/* The rarely set options at their defaults, shared until one is set. */
static const struct service_rare service_rare_default = {
	.sc_rlimit = { [0 ... SV_RLIM_COUNT - 1] = SV_UNSET },
	.sc_umask = SV_UNSET,
};

/*
 * A configuration named NAME declared at FILE:LINE, every default set;
 * its name is kept right after it, in the same allocation.
 */
static struct service_conf *
service_conf_new(const char *name, const char *file, int line)
{
	struct service_conf *sc;
	size_t j, len = strlen(name);

	if ((sc = calloc(1, sizeof(*sc) + len + 1)) == NULL)
		return NULL;
	sc->sc_name = memcpy(sc + 1, name, len + 1);
	if ((sc->sc_file = svctab_share(file)) == NULL) {
		free(sc);
		return NULL;
	}
	sc->sc_refs = 1;
	sc->sc_line = line;
	for (j = 0; j < SVCTAB_NDEFAULTS; j++)
		if (svctab_defaults[j].sd_sc != CONF_NONE &&
		    svctab_defaults[j].sd_number)
			*(int *)(void *)((char *)sc + svctab_defaults[j].sd_sc) =
			    svctab_defaults[j].sd_value;
	sc->sc_rare = &service_rare_default;
	sc->sc_cps_rate = DEF_CPS_RATE;
	sc->sc_cps_backoff = DEF_CPS_BACKOFF;
	sc->sc_wrap = 1;
	sc->sc_log_success = LOGF_DEFAULT;
	sc->sc_log_failure = LOGF_DEFAULT;
	return sc;
}

/*
 * SC as its owners see it: the one place a configuration's const is cast
 * away.  After its load a configuration changes only in its reference
 * count (service_with, service_conf_unref: endpoints and children hold
 * it), and its last holder frees it; while its table is built, the
 * parsers fill it through service_conf_edit.
 */
static struct service_conf *
service_conf_own(const struct service_conf *sc)
{
	return (struct service_conf *)(uintptr_t)sc;
}

/*
 * The configuration of SV to fill while its table is built: only the
 * parsers and what they call (tests/structure/conf_writers.allow) call
 * this; after the load nobody writes a configuration.
 */
struct service_conf *
service_conf_edit(struct service *sv)
{
	return service_conf_own(sv->sv_conf);
}

/*
 * The rarely set options of SV to fill while its table is built (as
 * service_conf_edit): its own block, a copy of the defaults made at the
 * first call; NULL when out of memory.
 */
struct service_rare *
service_conf_rare(struct service *sv)
{
	struct service_conf *sc = service_conf_edit(sv);
	struct service_rare *r;

	if (sc->sc_rare != &service_rare_default)
		return (struct service_rare *)(uintptr_t)sc->sc_rare;
	if ((r = malloc(sizeof(*r))) == NULL)
		return NULL;
	*r = service_rare_default;
	sc->sc_rare = r;
	return r;
}

/* Free the rarely set options R (the shared defaults stay). */
static void
service_rare_free(const struct service_rare *cr)
{
	struct service_rare *r = (struct service_rare *)(uintptr_t)cr;

	if (r == NULL || cr == &service_rare_default)
		return;
	free(r->sc_only_from.acl_entries);
	free(r->sc_no_access.acl_entries);
	free(r->sc_times);
	free(r->sc_banner);
	free(r->sc_banner_success);
	free(r->sc_banner_fail);
	banner_free(r);
	free(r);
}

/* Release a reference to SC; the last one frees everything it owns. */
static void
service_conf_unref(const struct service_conf *csc)
{
	struct service_conf *sc = service_conf_own(csc);

	if (sc == NULL || --sc->sc_refs > 0)
		return;
	svctab_unshare(sc->sc_file);
	svctab_unshare(sc->sc_server);
	svctab_argv_free(sc->sc_argv);
	svctab_unshare(sc->sc_user);
	svctab_unshare(sc->sc_groups);
	strv_free(sc->sc_env);
	strv_free(sc->sc_passenv);
	free(sc->sc_chroot);
	free(sc->sc_wrap_name);
	service_rare_free(sc->sc_rare);
	kind_conf_free(sc->sc_kconf);
	free(sc);
}

/* An endpoint of configuration SC (a reference taken), runtime empty. */
static struct service *
service_with(const struct service_conf *sc)
{
	struct service *sv;

	if ((sv = svpool_get()) == NULL)
		return NULL;
	service_conf_own(sc)->sc_refs++;
	sv->sv_conf = sc;
	sv->sv_refs = 1;
	sv->sv_fd = -1;
	return sv;
}

/* A service named NAME declared at FILE:LINE, with every default set. */
struct service *
service_new(const char *name, const char *file, int line)
{
	struct service_conf *sc;
	struct service *sv;

	if ((sc = service_conf_new(name, file, line)) == NULL)
		return NULL;
	sv = service_with(sc);
	service_conf_unref(sc);
	return sv;
}

/*
 * The next endpoint of the freshly built SV (for its next bind address):
 * the same configuration, by reference, and a copy of its endpoint.
 */
struct service *
service_clone(const struct service *sv)
{
	struct service *c;

	if ((c = service_with(sv->sv_conf)) == NULL)
		return NULL;
	c->sv_socktype = sv->sv_socktype;
	c->sv_proto = sv->sv_proto;
	c->sv_addr = sv->sv_addr;
	c->sv_addrlen = sv->sv_addrlen;
	c->sv_v6only = sv->sv_v6only;
	return c;
}

/* Take a reference: a live child keeps its service after a reload. */
void
service_ref(struct service *sv)
{
	sv->sv_refs++;
}

/* Release a reference; the last one frees its runtime and its hold on
 * the configuration. */
void
service_unref(struct service *sv)
{
	if (sv == NULL || --sv->sv_refs > 0)
		return;
	service_conf_unref(sv->sv_conf);
	srctab_free(sv->sv_sources);
	refuse_free(sv);
	free(sv->sv_run);
	svpool_put(sv);
}

/* Report a config error at FILE:LINE; the load then fails as a whole. */
void
svctab_error(struct svctab *tab, const char *file, int line, const char *fmt,
    ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(tab->st_lasterr, sizeof(tab->st_lasterr), "%s:%d: %s",
		    file, line, msg);
	else
		snprintf(tab->st_lasterr, sizeof(tab->st_lasterr), "%s: %s",
		    file, msg);
	tab->st_nerrors++;
	log_errx("config error: %s", tab->st_lasterr);
}

/*
 * The instances cap of SV, 0 for none: as configured, else DEF_INSTANCES
 * for a command service and none for a builtin (its sessions cost no
 * process and share the global cap).
 */
int
svctab_instances(const struct service *sv)
{
	if (sv->sv_conf->sc_instances != SV_UNSET)
		return sv->sv_conf->sc_instances;
	return sv->sv_conf->sc_builtin == BUILTIN_NONE ? DEF_INSTANCES : 0;
}

/*
 * Port of NAME (a number, or an /etc/services name for PROTO: IPPROTO_TCP,
 * IPPROTO_UDP or 0 for either, looked up in a child) into *PORT.
 */
int
svctab_resolve_port(const char *name, int proto, int *port)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(name, &end, 10);
	if (*name != '\0' && *end == '\0') {
		if (errno != 0 || n < 1 || n > 65535)
			return -1;
		*port = (int)n;
		return 0;
	}
	return lookup_service(name, proto, port);
}


/*
 * Parse the address literal ADDR (IPv4, IPv6 with or without brackets,
 * "*" for the IPv4 wildcard) with PORT into SS.
 */
int
svctab_parse_addr(const char *addr, int port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	char buf[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(addr);

	memset(ss, 0, sizeof(*ss));
	if (strcmp(addr, "*") == 0 || strcmp(addr, "0.0.0.0") == 0) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof(*sin);
		return 0;
	}
	if (n >= 2 && addr[0] == '[' && addr[n - 1] == ']') {
		if (n - 2 >= sizeof(buf))
			return -1;
		memcpy(buf, addr + 1, n - 2);
		buf[n - 2] = '\0';
		addr = buf;
	}
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

/* The address of SA as text; a v4-mapped IPv6 address as IPv4. */
const char *
svctab_addr_text(const union sv_sockaddr *sa, char *buf, size_t len)
{
	return log_inaddr(sa->ss_family, sa->ss_family == AF_INET ?
	    (const void *)&sa->sin.sin_addr : (const void *)&sa->sin6.sin6_addr,
	    buf, len);
}

/* Set the bind address of SV to the literal ADDR with PORT. */
int
svctab_set_addr(struct service *sv, const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (svctab_parse_addr(addr, port, &ss, &len) == -1 ||
	    len > sizeof(sv->sv_addr))
		return -1;
	memset(&sv->sv_addr, 0, sizeof(sv->sv_addr));
	memcpy(&sv->sv_addr, &ss, len);
	sv->sv_addrlen = len;
	return 0;
}

/* Whether A and B are the same (protocol, address, port). */
int
svctab_same_endpoint(const struct service *a, const struct service *b)
{
	/* A kind with its own endpoints (a path, a tcpmux name) meets only its own. */
	if ((a->sv_conf->sc_kind != NULL && a->sv_conf->sc_kind->k_same != NULL) ||
	    (b->sv_conf->sc_kind != NULL && b->sv_conf->sc_kind->k_same != NULL))
		return a->sv_conf->sc_kind == b->sv_conf->sc_kind && a->sv_conf->sc_kind->k_same(a, b);
	if (a->sv_proto != b->sv_proto || a->sv_addrlen != b->sv_addrlen)
		return 0;
	return memcmp(&a->sv_addr, &b->sv_addr, a->sv_addrlen) == 0;
}

/* "addr:port" of a service, IPv6 in brackets. */
const char *
svctab_endpoint(const struct service *sv, char *buf, size_t len)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&sv->sv_addr;
	char a[INET6_ADDRSTRLEN];

	if (sv->sv_conf->sc_kind != NULL && sv->sv_conf->sc_kind->k_endpoint != NULL)
		return sv->sv_conf->sc_kind->k_endpoint(sv, buf, len);
	svctab_addr_text(&sv->sv_addr, a, sizeof(a));
	if (sv->sv_addr.ss_family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, ntohs(sin->sin_port));
	else
		snprintf(buf, len, "%s:%u", a, ntohs(sin->sin_port));
	return buf;
}

/*
 * "ENDPOINT/PROTO" of SV as one key=value log value: quoted and escaped
 * when it holds a blank, '=' or '"' (a UNIX-domain path may), so that it
 * cannot forge a field.  BUF holds SVCTAB_EPLOG bytes.
 */
const char *
svctab_endpoint_log(const struct service *sv, char *buf, size_t len)
{
	char ep[SVCTAB_EPLEN], raw[SVCTAB_EPLEN + 16];

	snprintf(raw, sizeof(raw), "%s/%s", svctab_endpoint(sv, ep, sizeof(ep)),
	    svctab_proto_name(sv));
	return escape_log(buf, len, raw);
}

/* The protocol as inetd.conf names it: tcp, udp, tcp6, udp6, tcp46, udp46. */
const char *
svctab_proto_name(const struct service *sv)
{
	int tcp = sv->sv_proto == IPPROTO_TCP;

	if (sv->sv_conf->sc_kind != NULL && sv->sv_conf->sc_kind->k_name != NULL)
		return sv->sv_conf->sc_kind->k_name;
	if (sv->sv_addr.ss_family == AF_INET)
		return tcp ? "tcp" : "udp";
	if (sv->sv_v6only)
		return tcp ? "tcp6" : "udp6";
	return tcp ? "tcp46" : "udp46";
}

/* One service of the table as a JSON object (see superd(8), --list). */
static json_t *
svctab_json(const struct service *sv)
{
	const struct service_conf *sc = sv->sv_conf;
	const char *server = sc->sc_builtin != BUILTIN_NONE ?
	    builtin_name(sc->sc_builtin) : sc->sc_server;
	json_t *argv = json_array(), *o;
	char ep[128];
	size_t i;

	for (i = 0; sc->sc_argv != NULL && sc->sc_argv[i] != NULL; i++)
		json_array_append_new(argv, json_string(sc->sc_argv[i]));
	o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:I, s:I, s:s?, s:o,"
	    " s:b, s:i, s:i, s:b, s:s, s:i}",
	    "name", sc->sc_name,
	    "kind", sc->sc_kind != NULL ? sc->sc_kind->k_kind : "inet",
	    "endpoint", svctab_endpoint(sv, ep, sizeof(ep)),
	    "protocol", svctab_proto_name(sv),
	    "wait", sc->sc_wait,
	    "user", sc->sc_user != NULL ? sc->sc_user : "",
	    "uid", (json_int_t)sc->sc_uid,
	    "gid", (json_int_t)sc->sc_gid,
	    "server", server,
	    "argv", argv,
	    "builtin", sc->sc_builtin != BUILTIN_NONE,
	    "instances", svctab_instances(sv),
	    "cps", sc->sc_cps_rate,
	    "disabled", sc->sc_disabled,
	    "file", sc->sc_file,
	    "line", sc->sc_line);
	/* The numbers conf_options.h shows as they are. */
	for (i = 0; o != NULL && i < SVCTAB_NDEFAULTS; i++)
		if ((svctab_defaults[i].sd_shown & OPT_LIST) &&
		    svctab_defaults[i].sd_sc != CONF_NONE)
			json_object_set_new(o, svctab_defaults[i].sd_name,
			    json_integer(*(const int *)(const void *)
			    ((const char *)sc + svctab_defaults[i].sd_sc)));
	return o;
}

/* Print the effective table to FP, as a text table or a JSON array. */
void
svctab_print(struct svctab *tab, FILE *fp, int json)
{
	struct service *sv;
	json_t *all;
	char ep[128];

	if (json) {
		all = json_array();
		TAILQ_FOREACH(sv, &tab->st_services, sv_entry)
			json_array_append_new(all, svctab_json(sv));
		json_dumpf(all, fp, JSON_INDENT(2));
		fputc('\n', fp);
		json_decref(all);
		return;
	}
	fprintf(fp, "%-24s %-6s %-8s %-8s %-10s %-28s %s\n", "ENDPOINT",
	    "PROTO", "MODE", "USER", "LIMITS", "SERVER", "SOURCE");
	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		const char *server = sv->sv_conf->sc_builtin != BUILTIN_NONE ?
		    builtin_name(sv->sv_conf->sc_builtin) : sv->sv_conf->sc_server;
		char lim[32];

		snprintf(lim, sizeof(lim), "%d/%d", svctab_instances(sv),
		    sv->sv_conf->sc_per_source);
		fprintf(fp, "%-24s %-6s %-8s %-8s %-10s %-28s %s:%d%s",
		    svctab_endpoint(sv, ep, sizeof(ep)), svctab_proto_name(sv),
		    sv->sv_conf->sc_wait ? "wait" : "nowait",
		    sv->sv_conf->sc_user ? sv->sv_conf->sc_user : "-", lim, server ? server : "-",
		    sv->sv_conf->sc_file, sv->sv_conf->sc_line, sv->sv_conf->sc_disabled ? " (disabled)" : "");
		if (sv->sv_conf->sc_sndbuf > 0)
			fprintf(fp, " sndbuf=%d", sv->sv_conf->sc_sndbuf);
		if (sv->sv_conf->sc_rcvbuf > 0)
			fprintf(fp, " rcvbuf=%d", sv->sv_conf->sc_rcvbuf);
		fputc('\n', fp);
	}
}
