/* SPDX-License-Identifier: ISC */
/*
 * RPC services: `name/versions` lines with rpc/udp, rpc/tcp or rpc/ and a star.
 * The program number comes from /etc/rpc (or is written as a number),
 * looked up at load time in the lookup child.  The service binds a port
 * the kernel picks, then registers every version with rpcbind through
 * libtirpc, and unregisters them when it goes (reload, exit).  rpcbind
 * forgets everything when it restarts: every KIND_RPC_CHECK seconds, and
 * right after each reload, superd asks rpcbind for each version and
 * registers again what it no longer knows.  Every talk with rpcbind runs
 * in a short-lived child that superd waits for at most KIND_RPC_WAIT
 * seconds, so a stuck rpcbind costs that much and no more, and libtirpc's
 * state never lives in the daemon.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <rpc/rpc.h>
#include <rpc/pmap_clnt.h>
#include <rpc/rpcb_clnt.h>

#include "superd.h"

#ifndef RPC_SONAME
#define RPC_SONAME "libtirpc.so.3"
#endif

/*
 * libtirpc, opened (dynlib.c) only where rpcbind is talked to: in the
 * child of kind_rpc_child, and by the audit; the daemon never maps it.
 */
static struct kind_rpc_lib {
	struct pmaplist *(*rl_getmaps)(struct sockaddr_in *);
	void (*rl_free)(xdrproc_t, void *);
	bool_t (*rl_pmaplist)(XDR *, struct pmaplist **);
	struct netconfig *(*rl_getnetconfigent)(const char *);
	void (*rl_freenetconfigent)(struct netconfig *);
	bool_t (*rl_unset)(rpcprog_t, rpcvers_t, const struct netconfig *);
	bool_t (*rl_set)(unsigned long, unsigned long, int, int);
} kind_rpc_lib;

/* Open libtirpc (once); -1, logged, when it cannot be. */
static int
kind_rpc_lib_open(void)
{
	static const char *const names[] = { "pmap_getmaps", "xdr_free",
		"xdr_pmaplist", "getnetconfigent", "freenetconfigent",
		"rpcb_unset", "pmap_set" };
	void *syms[sizeof(names) / sizeof(names[0])];
	struct kind_rpc_lib *l = &kind_rpc_lib;
	char why[256];

	if (l->rl_getmaps != NULL)
		return 0;
	if (dynlib_load(RPC_SONAME, names, syms, sizeof(names) /
	    sizeof(names[0]), why, sizeof(why)) == -1) {
		log_warnx("event=rpc result=error reason=\"libtirpc cannot be "
		    "loaded: %s\"", why);
		return -1;
	}
	l->rl_getmaps = (struct pmaplist *(*)(struct sockaddr_in *))syms[0];
	l->rl_free = (void (*)(xdrproc_t, void *))syms[1];
	l->rl_pmaplist = (bool_t (*)(XDR *, struct pmaplist **))syms[2];
	l->rl_getnetconfigent = (struct netconfig *(*)(const char *))syms[3];
	l->rl_freenetconfigent = (void (*)(struct netconfig *))syms[4];
	l->rl_unset = (bool_t (*)(rpcprog_t, rpcvers_t,
	    const struct netconfig *))syms[5];
	l->rl_set = (bool_t (*)(unsigned long, unsigned long, int, int))syms[6];
	return 0;
}

#define KIND_RPC_CHECK 10 /* seconds between checks that rpcbind knows us */
#define KIND_RPC_WAIT 5	  /* seconds a talk with rpcbind may take */

/* What a child asks rpcbind. */
enum kind_rpc_op {
	KIND_RPC_SET,	/* register every version */
	KIND_RPC_UNSET,	/* unregister every version */
	KIND_RPC_CHECK_SET, /* register again what rpcbind does not know */
};

static int kind_rpc_open(struct superd *, struct service *);
static void kind_rpc_close(struct service *);
static const char *kind_rpc_endpoint(const struct service *, char *, size_t);
static int kind_rpc_same(const struct service *, const struct service *);
static void kind_rpc_arm(struct superd *, struct service *);

const struct kind kind_rpc = {
	.k_kind = "rpc",
	.k_name = NULL,
	.k_ip = 0,
	.k_open = kind_rpc_open,
	.k_close = kind_rpc_close,
	.k_arm = kind_rpc_arm,
	.k_endpoint = kind_rpc_endpoint,
	.k_same = kind_rpc_same,
};

/* The periodic check (this module's own registry): one per daemon. */
static struct event *kind_rpc_timer;

/* A number 0..ULONG_MAX at *CP, stopping at STOP or the end; -1 if none. */
static int
kind_rpc_number(const char *s, unsigned long *out, char **end)
{
	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	*out = strtoul(s, end, 10);
	return errno != 0 || *out > UINT_MAX ? -1 : 0;
}

/* "V" or "LOW-HIGH" into KC's versions; -1 if malformed. */
static int
kind_rpc_versions(const char *s, struct kind_conf *kc)
{
	char *end;

	if (kind_rpc_number(s, &kc->kc_vlow, &end) == -1)
		return -1;
	kc->kc_vhigh = kc->kc_vlow;
	if (*end == '-' && kind_rpc_number(end + 1, &kc->kc_vhigh, &end) == -1)
		return -1;
	return *end == '\0' && kc->kc_vlow <= kc->kc_vhigh &&
	    kc->kc_vhigh - kc->kc_vlow < 64 ? 0 : -1;
}

/*
 * Make SV the RPC program PROG (an /etc/rpc name or a number) with
 * VERSIONS ("2" or "2-3"); -1 with WHY.
 */
int
kind_rpc_setup(struct service *sv, const char *prog, const char *versions,
    char *why, size_t len)
{
	struct service_conf *sc = service_conf_edit(sv);
	struct kind_conf *kc;
	char *end;

#ifdef SUPERD_STATIC
	(void)sv, (void)prog, (void)versions, (void)kc, (void)end;
	return snprintf(why, len, "RPC services need libtirpc, which a static "
	    "build of superd cannot load (make STATIC=1 builds them out)"), -1;
#endif
	if ((kc = kind_conf_get(service_conf_edit(sv))) == NULL)
		return snprintf(why, len, "out of memory"), -1;
	if (kind_rpc_versions(versions, kc) == -1)
		return snprintf(why, len, "RPC versions \"%s\": expected a "
		    "version or LOW-HIGH (at most 64 versions)", versions), -1;
	if ((kind_rpc_number(prog, &kc->kc_prog, &end) == -1 || *end != '\0') &&
	    lookup_rpc(prog, &kc->kc_prog) == -1)
		return snprintf(why, len, "RPC program \"%s\": not a number nor "
		    "a name in /etc/rpc", prog), -1;
	free(kc->kc_name);
	if ((kc->kc_name = strdup(prog)) == NULL)
		return snprintf(why, len, "out of memory"), -1;
	sc->sc_kind = &kind_rpc;
	return 0;
}

/* The service field of an rpc/ line: PROGRAM/VERSIONS. */
int
kind_rpc_inetd(struct service *sv, const char *field, char *why, size_t len)
{
	char buf[128], *slash;

	if (strlen(field) >= sizeof(buf) || (slash = strchr(field, '/')) ==
	    NULL || slash == field)
		return snprintf(why, len, "service field \"%.64s\": an RPC "
		    "service is PROGRAM/VERSIONS (rusersd/2-3)", field), -1;
	memcpy(buf, field, (size_t)(slash - field));
	buf[slash - field] = '\0';
	return kind_rpc_setup(sv, buf, slash + 1, why, len);
}

/* The port SV is bound to, 0 when it is not. */
static int
kind_rpc_port(const struct service *sv)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (sv->sv_fd == -1 || getsockname(sv->sv_fd, (struct sockaddr *)&sin,
	    &len) == -1 || sin.sin_family != AF_INET)
		return 0;
	return ntohs(sin.sin_port);
}

/*
 * For the audit: the port of RPC service SV, 0 when unknown.  The daemon
 * knows its own socket; a one-shot audit, whose table opened nothing,
 * asks rpcbind on loopback for the lowest version of the program over
 * the service's protocol (the port rpcbind gives out is the one a remote
 * client is sent to).
 */
int
kind_rpc_audit_port(const struct service *sv)
{
	struct pmaplist *maps, *m;
	struct sockaddr_in lo;
	int port = 0;
	unsigned long best = ~0UL;

	if (sv->sv_conf->sc_kind != &kind_rpc || sv->sv_conf->sc_kconf == NULL)
		return 0;
	if (sv->sv_fd != -1)
		return kind_rpc_port(sv);
	memset(&lo, 0, sizeof(lo));
	lo.sin_family = AF_INET;
	lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (kind_rpc_lib_open() == -1 ||
	    (maps = kind_rpc_lib.rl_getmaps(&lo)) == NULL)
		return 0;
	for (m = maps; m != NULL; m = m->pml_next)
		if (m->pml_map.pm_prog == sv->sv_conf->sc_kconf->kc_prog &&
		    m->pml_map.pm_prot == (unsigned long)sv->sv_proto &&
		    m->pml_map.pm_vers >= sv->sv_conf->sc_kconf->kc_vlow &&
		    m->pml_map.pm_vers <= sv->sv_conf->sc_kconf->kc_vhigh &&
		    m->pml_map.pm_vers < best) {
			best = m->pml_map.pm_vers;
			port = (int)m->pml_map.pm_port;
		}
	kind_rpc_lib.rl_free((xdrproc_t)kind_rpc_lib.rl_pmaplist, &maps);
	return port;
}

/* Whether MAPS has version V of SV's program on PORT, exactly. */
static int
kind_rpc_known(const struct pmaplist *maps, const struct service *sv,
    unsigned long v, int port)
{
	for (; maps != NULL; maps = maps->pml_next)
		if (maps->pml_map.pm_prog == sv->sv_conf->sc_kconf->kc_prog &&
		    maps->pml_map.pm_vers == v &&
		    maps->pml_map.pm_prot == (unsigned long)sv->sv_proto &&
		    maps->pml_map.pm_port == (unsigned long)port)
			return 1;
	return 0;
}

/*
 * In the child: OP for every version of SV on PORT.  The exit code: 0
 * done (or nothing to do), 1 failed, 2 registered again what rpcbind had
 * lost.  (rpcbind's getport answers for another version of a program
 * when the one asked is missing: the check reads the whole list.)
 */
static int
kind_rpc_talk(const struct service *sv, int port, enum kind_rpc_op op)
{
	const struct kind_conf *kc = sv->sv_conf->sc_kconf;
	struct pmaplist *maps = NULL;
	struct netconfig *nc;
	struct sockaddr_in lo;
	unsigned long v;
	int rc = 0;

	memset(&lo, 0, sizeof(lo));
	lo.sin_family = AF_INET;
	lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (kind_rpc_lib_open() == -1 || (op == KIND_RPC_CHECK_SET &&
	    (maps = kind_rpc_lib.rl_getmaps(&lo)) == NULL))
		return 1;
	nc = kind_rpc_lib.rl_getnetconfigent(sv->sv_proto == IPPROTO_UDP ? "udp" : "tcp");
	for (v = kc->kc_vlow; v <= kc->kc_vhigh && rc != 1; v++) {
		if (op == KIND_RPC_CHECK_SET && kind_rpc_known(maps, sv, v, port))
			continue;
		if (nc != NULL)
			(void)kind_rpc_lib.rl_unset(kc->kc_prog, v, nc);
		if (op == KIND_RPC_UNSET)
			continue;
		rc = kind_rpc_lib.rl_set(kc->kc_prog, v, sv->sv_proto, port) ?
		    (op == KIND_RPC_CHECK_SET ? 2 : 0) : 1;
	}
	if (nc != NULL)
		kind_rpc_lib.rl_freenetconfigent(nc);
	return rc;
}

/*
 * OP for SV with rpcbind, in a child that may take KIND_RPC_WAIT seconds:
 * 0 done, 1 registered again, -1 failed or timed out (reason in WHY).
 */
static int
kind_rpc_child(const struct service *sv, enum kind_rpc_op op,
    const char **why)
{
	struct pollfd pfd;
	sigset_t all, old;
	int p[2], port = kind_rpc_port(sv), st = 0, ready;
	pid_t pid;

	*why = "no port";
	if (port == 0 || pipe2(p, O_CLOEXEC) == -1)
		return -1;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	if ((pid = fork()) == 0) {
		close(p[0]);
		_exit(kind_rpc_talk(sv, port, op));
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(p[1]);
	*why = "fork";
	if (pid == -1) {
		close(p[0]);
		return -1;
	}
	/* The pipe closes when the child ends. */
	pfd.fd = p[0];
	pfd.events = POLLIN;
	while ((ready = poll(&pfd, 1, KIND_RPC_WAIT * 1000)) == -1 &&
	    errno == EINTR)
		;
	close(p[0]);
	if (ready == 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	*why = ready == 0 ? "rpcbind did not answer in time" :
	    "rpcbind refused or is not running";
	if (ready != 1 || !WIFEXITED(st) || WEXITSTATUS(st) == 1)
		return -1;
	return WEXITSTATUS(st) == 2 ? 1 : 0;
}

/*
 * Register SV with rpcbind (OP: SET, or CHECK_SET).  Logged when it is
 * done, done again, or fails; a check that keeps failing is logged once.
 */
static void
kind_rpc_register(struct service *sv, enum kind_rpc_op op)
{
	const struct kind_conf *kc = sv->sv_conf->sc_kconf;
	const char *why;
	int rc;

	if (service_run(sv) == NULL)
		return;
	if ((rc = kind_rpc_child(sv, op, &why)) == -1) {
		if (op == KIND_RPC_SET || sv->sv_run->ru_kregistered)
			log_warnx("service=%s event=rpc-register result=failed "
			    "program=%lu versions=%lu-%lu port=%d reason=\"%s\"",
			    sv->sv_conf->sc_name, kc->kc_prog, kc->kc_vlow, kc->kc_vhigh,
			    kind_rpc_port(sv), why);
		sv->sv_run->ru_kregistered = 0;
		return;
	}
	if (op == KIND_RPC_SET || rc == 1 || !sv->sv_run->ru_kregistered)
		log_info("service=%s event=rpc-register result=ok program=%lu "
		    "versions=%lu-%lu port=%d%s", sv->sv_conf->sc_name, kc->kc_prog,
		    kc->kc_vlow, kc->kc_vhigh, kind_rpc_port(sv), rc == 1 ?
		    " reason=\"rpcbind had lost it\"" : "");
	sv->sv_run->ru_kregistered = 1;
}

/* Bind a port the kernel picks, then register it. */
static int
kind_rpc_open(struct superd *sd, struct service *sv)
{
	if (service_run(sv) == NULL || listen_open_inet(sd, sv) == -1)
		return -1;
	kind_rpc_register(sv, KIND_RPC_SET);
	return 0;
}

/* The service goes: unregister its versions. */
static void
kind_rpc_close(struct service *sv)
{
	const char *why;

	if (sv->sv_run == NULL || !sv->sv_run->ru_kregistered)
		return;
	if (kind_rpc_child(sv, KIND_RPC_UNSET, &why) == -1)
		log_warnx("service=%s event=rpc-unregister result=failed "
		    "reason=\"%s\"", sv->sv_conf->sc_name, why);
	else
		log_info("service=%s event=rpc-unregister result=ok",
		    sv->sv_conf->sc_name);
	sv->sv_run->ru_kregistered = 0;
}

/* The check is due: register again every version rpcbind lost. */
static void
kind_rpc_check(evutil_socket_t fd, short what, void *arg)
{
	struct superd *sd = arg;
	struct service *sv;

	(void)fd;
	(void)what;
	TAILQ_FOREACH(sv, &sd->sd_tab->st_services, sv_entry)
		if (sv->sv_conf->sc_kind == &kind_rpc && sv->sv_fd != -1)
			kind_rpc_register(sv, KIND_RPC_CHECK_SET);
}

/* The event loop runs: start the periodic check (once per daemon). */
static void
kind_rpc_arm(struct superd *sd, struct service *sv)
{
	struct timeval tv = { KIND_RPC_CHECK, 0 };

	(void)sv;
	if (kind_rpc_timer != NULL)
		return;
	kind_rpc_timer = event_new(sd->sd_base, -1, EV_PERSIST, kind_rpc_check,
	    sd);
	if (kind_rpc_timer == NULL || event_add(kind_rpc_timer, &tv) == -1)
		fatalx("rpc check timer");
}

/* A new table was loaded: check the registrations on the next turn. */
void
kind_rpc_reloaded(void)
{
	if (kind_rpc_timer != NULL)
		event_active(kind_rpc_timer, EV_TIMEOUT, 0);
}

/* "rpc:PROGRAM/LOW-HIGH", and ":PORT" once bound. */
static const char *
kind_rpc_endpoint(const struct service *sv, char *buf, size_t len)
{
	const struct kind_conf *kc = sv->sv_conf->sc_kconf;
	int port = kind_rpc_port(sv);

	if (port == 0)
		snprintf(buf, len, "rpc:%lu/%lu-%lu", kc->kc_prog, kc->kc_vlow,
		    kc->kc_vhigh);
	else
		snprintf(buf, len, "rpc:%lu/%lu-%lu:%d", kc->kc_prog,
		    kc->kc_vlow, kc->kc_vhigh, port);
	return buf;
}

/* Whether A and B are the same program, versions and protocol. */
static int
kind_rpc_same(const struct service *a, const struct service *b)
{
	return a->sv_proto == b->sv_proto &&
	    a->sv_conf->sc_kconf->kc_prog == b->sv_conf->sc_kconf->kc_prog &&
	    a->sv_conf->sc_kconf->kc_vlow == b->sv_conf->sc_kconf->kc_vlow &&
	    a->sv_conf->sc_kconf->kc_vhigh == b->sv_conf->sc_kconf->kc_vhigh;
}
