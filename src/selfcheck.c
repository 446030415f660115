/* SPDX-License-Identifier: ISC */
/*
 * superd --selfcheck: prove that exactly the declared endpoints are
 * exposed.  This file holds the options, the orchestration (declared
 * endpoints, local addresses, kernel table, owners, probe, diff, report),
 * the exit code, and the periodic audit the daemon runs.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "selfcheck.h"

/* What the daemon remembers between two periodic audits. */
struct selfcheck_state {
	char **st_keys;	  /* ids of the non-OK findings last time */
	int st_runs;	  /* audits done */
	int st_failed;	  /* the last audit could not run */
};

/* Everything one audit gathered; freed by selfcheck_audit_free. */
struct selfcheck_audit {
	struct selfcheck_decl *au_decls; /* declared endpoints */
	size_t au_ndecl;		 /* entries of au_decls */
	struct selfcheck_ip *au_addrs;	 /* audited concrete addresses */
	size_t au_naddr;		 /* entries of au_addrs */
	struct selfcheck_socks au_socks; /* the kernel's table */
	struct selfcheck_probe au_probe; /* the probe, pb_n 0 if none */
	struct selfcheck_result au_rs;	 /* the findings */
	struct selfcheck_fw au_fw;	 /* the netfilter ruleset */
	struct selfcheck_socks au_nsocks; /* NAT targets in other namespaces */
	struct selfcheck_self au_self;	 /* who superd is */
};

/* Append IP to the address list *V (*N entries) unless it is there. */
static int
selfcheck_addr_push(struct selfcheck_ip **v, size_t *n,
    const struct selfcheck_ip *ip)
{
	struct selfcheck_ip *nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if (selfcheck_ip_eq(&(*v)[i], ip))
			return 0;
	if ((nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL)
		return -1;
	nv[(*n)++] = *ip;
	*v = nv;
	return 0;
}

/*
 * Every address of an interface that is up (getifaddrs: the kernel's
 * RTM_GETADDR list), each with the index of its interface: the device rule
 * of the diff needs it, and an IPv6 link-local address needs it as its
 * scope (it is audited as fe80::...%interface).
 */
int
selfcheck_local_addrs(struct selfcheck_ip **out, size_t *n)
{
	struct ifaddrs *ifa, *i;
	struct selfcheck_ip ip;

	*out = NULL;
	*n = 0;
	if (getifaddrs(&ifa) == -1)
		return -1;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || !(i->ifa_flags & IFF_UP))
			continue;
		memset(&ip, 0, sizeof(ip));
		ip.ip_family = i->ifa_addr->sa_family;
		if (ip.ip_family == AF_INET)
			memcpy(ip.ip_addr,
			    &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
		else if (ip.ip_family == AF_INET6)
			memcpy(ip.ip_addr,
			    &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, 16);
		else
			continue;
		ip.ip_ifindex = if_nametoindex(i->ifa_name);
		if (selfcheck_addr_push(out, n, &ip) == -1) {
			freeifaddrs(ifa);
			return -1;
		}
	}
	freeifaddrs(ifa);
	return 0;
}

/*
 * The interface of IP among the local addresses LOCAL (N): the one that
 * holds it, lo for the rest of 127/8, else 0 (unknown).
 */
static unsigned
selfcheck_addr_ifindex(const struct selfcheck_ip *local, size_t n,
    const struct selfcheck_ip *ip)
{
	size_t i;

	if (selfcheck_ip_linklocal(ip) && ip->ip_ifindex != 0)
		return ip->ip_ifindex;
	for (i = 0; i < n; i++)
		if (selfcheck_ip_eq(&local[i], ip))
			return local[i].ip_ifindex;
	return selfcheck_ip_loopback(ip) ? if_nametoindex("lo") : 0;
}

/* Copy the enabled services of TAB (for the protocols of OP) into AU. */
static int
selfcheck_declared(struct svctab *tab, const struct selfcheck_opts *op,
    struct selfcheck_audit *au)
{
	struct service *sv;
	size_t n = 0;

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry)
		n++;
	if ((au->au_decls = calloc(n + 1, sizeof(*au->au_decls))) == NULL)
		return -1;
	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		struct selfcheck_decl *d = &au->au_decls[au->au_ndecl];
		int rpcport = 0;

		/* An RPC service's port is the kernel's choice: ask for it. */
		if (!sv->sv_conf->sc_disabled && sv->sv_conf->sc_kind == &kind_rpc)
			rpcport = kind_rpc_audit_port(sv);
		if (sv->sv_conf->sc_disabled || (kind_hidden(sv) && rpcport == 0) ||
		    (sv->sv_proto == IPPROTO_TCP &&
		    !op->so_tcp) || (sv->sv_proto == IPPROTO_UDP && !op->so_udp))
			continue;
		d->dc_name = sv->sv_conf->sc_name;
		d->dc_proto = sv->sv_proto;
		d->dc_ip.ip_family = sv->sv_addr.ss_family;
		if (d->dc_ip.ip_family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)&sv->sv_addr;

			memcpy(d->dc_ip.ip_addr, &sin->sin_addr, 4);
			d->dc_port = ntohs(sin->sin_port);
		} else {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&sv->sv_addr;

			memcpy(d->dc_ip.ip_addr, &s6->sin6_addr, 16);
			d->dc_port = ntohs(s6->sin6_port);
			d->dc_v6only = sv->sv_v6only;
		}
		if (rpcport != 0)
			d->dc_port = rpcport;
		au->au_ndecl++;
	}
	return 0;
}

/*
 * The audited addresses: --addr if given, else every local address plus
 * every specific address a declaration or a socket names (127.0.0.2 is
 * local without being listed); each with its interface index.
 */
static int
selfcheck_audit_addrs(const struct selfcheck_opts *op,
    struct selfcheck_audit *au)
{
	struct selfcheck_ip u, *local = NULL;
	size_t i, nlocal = 0;
	int rc = 0;

	if (selfcheck_local_addrs(&local, &nlocal) == -1)
		return -1;
	for (i = 0; rc == 0 && i < op->so_naddrs; i++)
		rc = selfcheck_addr_push(&au->au_addrs, &au->au_naddr,
		    &op->so_addrs[i]);
	for (i = 0; rc == 0 && op->so_naddrs == 0 && i < nlocal; i++)
		rc = selfcheck_addr_push(&au->au_addrs, &au->au_naddr,
		    &local[i]);
	for (i = 0; rc == 0 && op->so_naddrs == 0 && i < au->au_ndecl; i++) {
		selfcheck_ip_unmap(&au->au_decls[i].dc_ip, &u);
		if (!selfcheck_ip_any(&u))
			rc = selfcheck_addr_push(&au->au_addrs, &au->au_naddr,
			    &u);
	}
	for (i = 0; rc == 0 && op->so_naddrs == 0 && i < au->au_socks.ss_n;
	    i++) {
		selfcheck_ip_unmap(&au->au_socks.ss_v[i].sk_ip, &u);
		if (!selfcheck_ip_any(&u))
			rc = selfcheck_addr_push(&au->au_addrs, &au->au_naddr,
			    &u);
	}
	for (i = 0; rc == 0 && i < au->au_naddr; i++)
		if (au->au_addrs[i].ip_ifindex == 0)
			au->au_addrs[i].ip_ifindex = selfcheck_addr_ifindex(
			    local, nlocal, &au->au_addrs[i]);
	free(local);
	return rc;
}

/*
 * The first --addr of OP that is not an address of this host, as an
 * error message (static storage), or NULL.  Local means the kernel lets a
 * socket bind it, which is the kernel's own test (127.0.0.2 is local).
 */
static const char *
selfcheck_addrs_foreign(const struct selfcheck_opts *op)
{
	static char why[INET6_ADDRSTRLEN + IF_NAMESIZE + 64];
	struct sockaddr_storage ss;
	socklen_t len;
	char a[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	size_t i;
	int fd, rc;

	for (i = 0; i < op->so_naddrs; i++) {
		fd = socket(op->so_addrs[i].ip_family, SOCK_DGRAM | SOCK_CLOEXEC,
		    0);
		if (fd == -1)
			continue;	/* no such family here: the probe says */
		len = selfcheck_probe_sockaddr(&op->so_addrs[i], 0, &ss);
		rc = bind(fd, (struct sockaddr *)&ss, len);
		close(fd);
		if (rc == 0 || errno != EADDRNOTAVAIL)
			continue;
		snprintf(why, sizeof(why), "--addr %s is not an address of "
		    "this host", selfcheck_ip_str(&op->so_addrs[i], a,
		    sizeof(a)));
		return why;
	}
	return NULL;
}

/* Release everything an audit gathered. */
static void
selfcheck_audit_free(struct selfcheck_audit *au)
{
	free(au->au_decls);
	free(au->au_addrs);
	selfcheck_socks_free(&au->au_socks);
	selfcheck_probe_free(&au->au_probe);
	selfcheck_fw_free(&au->au_fw);
	selfcheck_socks_free(&au->au_nsocks);
	selfcheck_result_free(&au->au_rs);
	memset(au, 0, sizeof(*au));
}

/* The TCP sweep of one probe, on a thread of its own. */
struct selfcheck_tcp_job {
	struct selfcheck_probe *tj_pb;	 /* the probe */
	const struct selfcheck_opts *tj_op; /* --proto, --ports */
	const struct selfcheck_audit *tj_au; /* table and rules */
};

/* Thread body: the TCP sweep of the job ARG. */
static void *
selfcheck_tcp_thread(void *arg)
{
	struct selfcheck_tcp_job *tj = arg;

	selfcheck_probe_tcp(tj->tj_pb, tj->tj_op, &tj->tj_au->au_socks,
	    &tj->tj_au->au_fw);
	return NULL;
}

/*
 * Probe SUB (the addresses to probe, prepared) as OP says: the TCP sweep
 * on a thread while this one reads the owners (OWNERS, unless they are
 * read already: the UDP sweep needs them to know superd's sockets, the
 * half-open TCP sweep does not), then the UDP sweep beside it; each on a
 * thread per address (the cost is the kernel's, per port).  Returns -1
 * when out of memory, -2 (message in WHY) when the owners could not be
 * read.
 */
static int
selfcheck_audit_sweep(struct selfcheck_probe *sub,
    const struct selfcheck_opts *op, struct selfcheck_audit *au,
    int (*owners)(struct selfcheck_audit *, const char **), const char **why)
{
	struct selfcheck_tcp_job tj = { sub, op, au };
	pthread_t th;
	int threaded, rc = 0;

	threaded = pthread_create(&th, NULL, selfcheck_tcp_thread, &tj) == 0;
	if (!threaded)
		(void)selfcheck_tcp_thread(&tj);
	if (owners != NULL && owners(au, why) == -1)
		rc = -2;
	else if (op->so_udp)
		rc = selfcheck_udp_run(sub, op->so_udp_ms, &au->au_socks,
		    au->au_decls, au->au_ndecl, op->so_rules ? &au->au_fw :
		    NULL);
	if (threaded)
		pthread_join(th, NULL);
	return rc;
}

/*
 * The probe of AU's addresses as OP says: one address per class of
 * equivalence (selfcheck_equiv.c) swept, the others decided by its
 * answers; OWNERS (may be NULL) read during the TCP sweep.  -1 when out
 * of memory, -2 (message in WHY) when the owners could not be read.
 */
static int
selfcheck_audit_probe(struct selfcheck_audit *au,
    const struct selfcheck_opts *op,
    int (*owners)(struct selfcheck_audit *, const char **), const char **why)
{
	struct selfcheck_probe sub;
	struct selfcheck_ip *ips;
	size_t *rep, i, k = 0;
	int rc = -1;

	memset(&sub, 0, sizeof(sub));
	rep = calloc(au->au_naddr, sizeof(*rep));
	ips = calloc(au->au_naddr, sizeof(*ips));
	if (rep == NULL || ips == NULL)
		goto out;
	(void)selfcheck_equiv_classes(au->au_addrs, au->au_naddr,
	    &au->au_socks, au->au_decls, au->au_ndecl, op->so_rules ?
	    &au->au_fw : NULL, rep);
	for (i = 0; i < au->au_naddr; i++)
		if (rep[i] == i)
			ips[k++] = au->au_addrs[i];
	if (selfcheck_probe_prepare(&sub, ips, k, op) == 0 &&
	    (rc = selfcheck_audit_sweep(&sub, op, au, owners, why)) == 0)
		rc = selfcheck_equiv_expand(&sub, rep, au->au_addrs,
		    au->au_naddr, &au->au_probe);
out:
	selfcheck_probe_free(&sub);
	free(rep);
	free(ips);
	return rc;
}

/* Whether a socket we could not attribute may just be hidden from us. */
static int
selfcheck_hidden_owners(const struct selfcheck_socks *socks)
{
	size_t i;

	if (geteuid() == 0)
		return 0;
	for (i = 0; i < socks->ss_n; i++)
		if (socks->ss_v[i].sk_nowners == 0 &&
		    socks->ss_v[i].sk_uid != geteuid())
			return 1;
	return 0;
}

/*
 * The holders of every socket of AU's table, and who superd is.  -1
 * (message in WHY) when they cannot be read or other users' sockets are
 * hidden from us.
 */
static int
selfcheck_audit_owners(struct selfcheck_audit *au, const char **why)
{
	if (selfcheck_owner_self(&au->au_self) == -1)
		return (*why = "cannot read /proc/self/exe: superd's own "
		    "sockets could not be told from others'"), -1;
	if (selfcheck_owner_fill(&au->au_socks, &au->au_self) == -1)
		return (*why = "cannot walk /proc"), -1;
	if (selfcheck_hidden_owners(&au->au_socks))
		return (*why = "not privileged: other users' sockets have no "
		    "visible owner (run as root)"), -1;
	return 0;
}

/*
 * Run one audit of TAB with OP into AU.  PROBE says whether to probe.
 * As root with addresses to probe, the owners are read during the TCP
 * sweep (selfcheck_audit_sweep); otherwise first, as the audit may stop
 * there.  Returns -1 (message in WHY) when the audit could not run.
 */
static int
selfcheck_audit(struct svctab *tab, const struct selfcheck_opts *op,
    int probe, struct selfcheck_audit *au, const char **why)
{
	int late, rc;

	memset(au, 0, sizeof(*au));
	if (selfcheck_declared(tab, op, au) == -1 ||
	    selfcheck_kernel_read(&au->au_socks, op->so_tcp, op->so_udp) == -1 ||
	    selfcheck_raw_read(&au->au_socks) == -1)
		return (*why = "cannot read the kernel's socket table"), -1;
	if (selfcheck_audit_addrs(op, au) == -1)
		return (*why = "cannot list the local addresses"), -1;
	late = probe && au->au_naddr > 0 && geteuid() == 0;
	if (!late && selfcheck_audit_owners(au, why) == -1)
		return -1;
	if ((*why = selfcheck_addrs_foreign(op)) != NULL)
		return -1;
	/* Unreadable: selfcheck_fw_apply says so (undecided). */
	if (op->so_rules)
		(void)selfcheck_nft_read(&au->au_fw);
	if (probe && au->au_naddr > 0 && (rc = selfcheck_audit_probe(au, op,
	    late ? selfcheck_audit_owners : NULL, why)) < 0)
		return rc == -1 ? (*why = "probe failed", -1) : -1;
	if (selfcheck_diff(au->au_decls, au->au_ndecl, &au->au_socks,
	    au->au_addrs, au->au_naddr, probe ? &au->au_probe : NULL, op,
	    &au->au_rs) == -1 || selfcheck_raw_findings(&au->au_socks,
	    &au->au_rs) == -1 || selfcheck_kernel_undecided(&au->au_socks,
	    &au->au_rs) == -1 || selfcheck_fw_apply(op->so_rules ? &au->au_fw :
	    NULL, au->au_decls,
	    au->au_ndecl, &au->au_socks, au->au_addrs, au->au_naddr,
	    &au->au_rs) == -1 || selfcheck_netns_targets(&au->au_rs,
	    &au->au_nsocks, &au->au_self) == -1)
		return (*why = "out of memory"), -1;
	return 0;
}

/* Parse "LO-HI" (or one port) into OP. */
static int
selfcheck_parse_ports(const char *s, struct selfcheck_opts *op)
{
	char *end;
	long lo, hi;

	lo = strtol(s, &end, 10);
	hi = lo;
	if (*end == '-')
		hi = strtol(end + 1, &end, 10);
	if (*end != '\0' || lo < 1 || hi > 65535 || lo > hi)
		return -1;
	op->so_lo = (int)lo;
	op->so_hi = (int)hi;
	return 0;
}

/* The audit's own options, merged into the command line's table by cli.c. */
enum {
	SCO_PROTO = SELFCHECK_OPT_FORMAT + 1,
	SCO_ADDR,
	SCO_PORTS,
	SCO_LOCAL_DRIFT,
	SCO_NO_PROBE,
	SCO_UDP_DEADLINE,
};

static const struct option selfcheck_longopts[] = {
	{ "proto", required_argument, NULL, SCO_PROTO },
	{ "addr", required_argument, NULL, SCO_ADDR },
	{ "ports", required_argument, NULL, SCO_PORTS },
	{ "local-drift", no_argument, NULL, SCO_LOCAL_DRIFT },
	{ "no-probe", no_argument, NULL, SCO_NO_PROBE },
	{ "udp-deadline", required_argument, NULL, SCO_UDP_DEADLINE },
	{ NULL, 0, NULL, 0 },
};

/* The audit's long options (values from SELFCHECK_OPT_FORMAT on). */
const struct option *
selfcheck_options(void)
{
	return selfcheck_longopts;
}

/* The audit's options with their defaults; NULL when out of memory. */
struct selfcheck_opts *
selfcheck_opts_new(void)
{
	struct selfcheck_opts *op;

	if ((op = calloc(1, sizeof(*op))) == NULL)
		return NULL;
	op->so_tcp = op->so_udp = op->so_probe = op->so_rules = 1;
	op->so_lo = 1;
	op->so_hi = 65535;
	op->so_udp_ms = SELFCHECK_UDP_DEADLINE_MS;
	return op;
}

/* Release the audit's options. */
void
selfcheck_opts_free(struct selfcheck_opts *op)
{
	if (op == NULL)
		return;
	free(op->so_addrs);
	free(op);
}

/* --format FMT of the report: text, json or prometheus. */
static int
selfcheck_opt_format(struct selfcheck_opts *op, const char *arg)
{
	if (strcmp(arg, "text") == 0)
		op->so_format = SCF_TEXT;
	else if (strcmp(arg, "json") == 0)
		op->so_format = SCF_JSON;
	else if (strcmp(arg, "prometheus") == 0)
		op->so_format = SCF_PROM;
	else
		return -1;
	return 0;
}

/* --addr ADDR: one more local, non-wildcard address to audit. */
static int
selfcheck_opt_addr(struct selfcheck_opts *op, const char *arg)
{
	struct selfcheck_ip ip, *nv;

	if (selfcheck_ip_parse(arg, &ip) == -1 || selfcheck_ip_any(&ip) ||
	    (nv = realloc(op->so_addrs, (op->so_naddrs + 1) *
	    sizeof(*nv))) == NULL)
		return -1;
	selfcheck_ip_unmap(&ip, &nv[op->so_naddrs++]);
	op->so_addrs = nv;
	return 0;
}

/*
 * One audit option VAL (a value of selfcheck_options, or
 * SELFCHECK_OPT_FORMAT) with its argument ARG into OP; -1 if ARG is invalid.
 */
int
selfcheck_option(struct selfcheck_opts *op, int val, const char *arg)
{
	char *end;
	double sec;

	switch (val) {
	case SELFCHECK_OPT_FORMAT:
		return selfcheck_opt_format(op, arg);
	case SCO_PROTO:
		if (strcmp(arg, "tcp") != 0 && strcmp(arg, "udp") != 0)
			return -1;
		op->so_tcp = strcmp(arg, "tcp") == 0;
		op->so_udp = !op->so_tcp;
		return 0;
	case SCO_ADDR:
		return selfcheck_opt_addr(op, arg);
	case SCO_PORTS:
		return selfcheck_parse_ports(arg, op);
	case SCO_LOCAL_DRIFT:
		op->so_local_drift = 1;
		return 0;
	case SCO_NO_PROBE:
		op->so_probe = 0;
		return 0;
	case SCO_UDP_DEADLINE:
		sec = strtod(arg, &end);
		if (end == arg || *end != '\0' || !(sec >= 0.0) ||
		    sec > 3600.0)
			return -1;
		op->so_udp_ms = (int)(sec * 1000.0);
		return 0;
	}
	return -1;
}

/* Seconds on CLOCK (a double), for the duration and timestamp metrics. */
double
selfcheck_now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Print an UNKNOWN result (the audit could not run) and return 3.  START
 * is when the audit began (CLOCK_MONOTONIC), for the Prometheus duration.
 */
int
selfcheck_unknown(const struct selfcheck_opts *op, const char *why,
    double start)
{
	if (op != NULL && op->so_format == SCF_PROM) {
		printf("# superd --selfcheck: UNKNOWN - %.*s\n",
		    (int)strcspn(why, "\n"), why);
		selfcheck_report_prom(stdout, NULL,
		    selfcheck_now(CLOCK_MONOTONIC) - start,
		    selfcheck_now(CLOCK_REALTIME));
	} else if (op != NULL && op->so_format == SCF_JSON) {
		json_t *o = json_pack("{s:s, s:s, s:i, s:s}", "schema",
		    SELFCHECK_SCHEMA, "status", "UNKNOWN", "exit", 3, "error",
		    why);

		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else
		printf("SELFCHECK UNKNOWN - %s\n", why);
	return SELFCHECK_UNKNOWN;
}

/* What the audit AU of TAB with OP covered, into SC; returns SC. */
static const struct selfcheck_scope *
selfcheck_scope(const struct svctab *tab, const struct selfcheck_opts *op,
    const struct selfcheck_audit *au, struct selfcheck_scope *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->sc_conf = tab->st_path;
	sc->sc_origin = tab->st_origin;
	sc->sc_ndecl = au->au_ndecl;
	sc->sc_addrs = au->au_addrs;
	sc->sc_naddr = au->au_naddr;
	sc->sc_opts = op;
	sc->sc_colour = op->so_format == SCF_TEXT &&
	    selfcheck_colour_wanted(stdout);
	return sc;
}

/*
 * Print the findings RS with the probe PB, the table SOCKS and the scope
 * SC in the format of OP; START is when the audit began.  Returns the exit
 * code: the worst severity, or UNKNOWN when the report cannot be made.
 */
int
selfcheck_output(const struct selfcheck_opts *op,
    const struct selfcheck_result *rs, const struct selfcheck_probe *pb,
    const struct selfcheck_socks *socks, const struct selfcheck_scope *sc,
    double start)
{
	char *json;

	if (op->so_format == SCF_PROM) {
		selfcheck_report_prom(stdout, rs,
		    selfcheck_now(CLOCK_MONOTONIC) - start,
		    selfcheck_now(CLOCK_REALTIME));
		selfcheck_kernel_prom(stdout, socks);
	} else if (op->so_format == SCF_JSON) {
		if ((json = selfcheck_report_json(rs, pb, socks, sc)) == NULL)
			return selfcheck_unknown(op, "cannot format JSON", start);
		printf("%s\n", json);
		free(json);
	} else
		selfcheck_report_text(stdout, rs, pb, socks, sc);
	return rs->rs_status;
}

/*
 * superd --selfcheck: audit TAB as OP says (cli.c parsed it), print the
 * report, return the exit code.
 */
int
selfcheck_main(struct svctab *tab, const struct selfcheck_opts *op)
{
	struct selfcheck_audit au;
	struct selfcheck_scope sc;
	const char *why = NULL;
	double start = selfcheck_now(CLOCK_MONOTONIC);
	int rc;

	if (tab == NULL || tab->st_nerrors > 0)
		return selfcheck_unknown(op, tab ? tab->st_lasterr :
		    "no configuration", start);
	if (selfcheck_audit(tab, op, op->so_probe, &au, &why) == -1)
		rc = selfcheck_unknown(op, why, start);
	else
		rc = selfcheck_output(op, &au.au_rs, &au.au_probe, &au.au_socks,
		    selfcheck_scope(tab, op, &au, &sc), start);
	fflush(stdout);
	selfcheck_audit_free(&au);
	return rc;
}

/* A fresh memory for the daemon's periodic audit. */
struct selfcheck_state *
selfcheck_state_new(void)
{
	return calloc(1, sizeof(struct selfcheck_state));
}

/* Release the periodic audit's memory. */
void
selfcheck_state_free(struct selfcheck_state *st)
{
	if (st == NULL)
		return;
	strv_free(st->st_keys);
	free(st);
}

/* Whether KEY is in the vector V. */
static int
selfcheck_has_key(char **v, const char *key)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		if (strcmp(v[i], key) == 0)
			return 1;
	return 0;
}

/* Log each non-OK finding of the list FS (JSON) that ST did not see. */
static char **
selfcheck_log_new(struct selfcheck_state *st, json_t *fs)
{
	char own[SELFCHECK_MAXOWN * ESCAPE_SIZE(48)];
	char svc[ESCAPE_SIZE(256)];
	char eid[ESCAPE_SIZE(256)], erule[ESCAPE_SIZE(256)];
	const char *id, *sev, *name, *rule;
	char **now = NULL;
	json_t *f;
	size_t i;

	json_array_foreach(fs, i, f) {
		id = json_string_value(json_object_get(f, "id"));
		sev = json_string_value(json_object_get(f, "severity"));
		if (id == NULL || sev == NULL || strcmp(sev, "OK") == 0)
			continue;
		if (strv_push(&now, id) == -1)
			break;
		if (selfcheck_has_key(st->st_keys, id))
			continue;
		name = json_string_value(json_object_get(f, "service"));
		rule = json_string_value(json_object_get(f, "rule"));
		/*
		 * A process name cannot forge a field (escape_log quotes) nor
		 * pass for two holders (escape_list writes its comma \x2c).
		 */
		log_warnx("selfcheck: finding=%s endpoint=%s service=%s "
		    "owner=%s severity=%s%s%s", json_string_value(
		    json_object_get(f, "kind")) ? json_string_value(
		    json_object_get(f, "kind")) : "-",
		    escape_log(eid, sizeof(eid), id),
		    escape_log(svc, sizeof(svc), name ? name : "-"),
		    selfcheck_holders_json(f, own, sizeof(own)), sev,
		    rule ? " rule=" : "",
		    rule ? escape_log(erule, sizeof(erule), rule) : "");
	}
	return now;
}

/*
 * The periodic audit could not run or its report could not be read (WHY):
 * logged once, until an audit runs again.  Returns SELFCHECK_UNKNOWN.
 */
int
selfcheck_periodic_failed(struct selfcheck_state *st, const char *why)
{
	char e[ESCAPE_SIZE(512)];

	if (!st->st_failed++)
		log_warnx("selfcheck: audit cannot run: %s",
		    escape_log(e, sizeof(e), why));
	return SELFCHECK_UNKNOWN;
}

/*
 * The report TEXT (LEN bytes) of the daemon's periodic audit, the JSON of
 * a one-shot `superd --selfcheck --json` run by its child (audit.c): log
 * each change once (a finding that appears, as a warning, and once when
 * it goes: resolved=), the status on the first run and when it turns OK
 * or not OK, and an audit that could not run once.  Returns the status.
 */
int
selfcheck_periodic_report(struct selfcheck_state *st, const char *text,
    size_t len)
{
	json_t *root = json_loadb(text, len, 0, NULL), *fs;
	const char *status = json_string_value(json_object_get(root, "status"));
	const char *err = json_string_value(json_object_get(root, "error"));
	int rc = SELFCHECK_UNKNOWN, k;
	char **now;
	size_t i;

	for (k = SELFCHECK_OK; status != NULL && k <= SELFCHECK_UNKNOWN; k++)
		if (strcmp(status, selfcheck_status_name(k)) == 0)
			rc = k;
	fs = json_object_get(root, "findings");
	if (status == NULL || (rc == SELFCHECK_UNKNOWN && err == NULL) ||
	    (rc != SELFCHECK_UNKNOWN && !json_is_array(fs))) {
		json_decref(root);
		return selfcheck_periodic_failed(st, "the audit ended without "
		    "a report");
	}
	if (rc == SELFCHECK_UNKNOWN) {
		rc = selfcheck_periodic_failed(st, err);
		json_decref(root);
		return rc;
	}
	if (st->st_failed)
		log_info("selfcheck: audit runs again");
	st->st_failed = 0;
	now = selfcheck_log_new(st, fs);
	for (i = 0; st->st_keys != NULL && st->st_keys[i] != NULL; i++)
		if (!selfcheck_has_key(now, st->st_keys[i]))
			log_info("selfcheck: resolved=%s", st->st_keys[i]);
	if (st->st_runs++ == 0 || (now == NULL) != (st->st_keys == NULL))
		log_info("selfcheck: status=%s findings=%zu sockets=%lld",
		    status, json_array_size(fs), (long long)json_integer_value(
		    json_object_get(json_object_get(root, "kernel"), "sockets")));
	strv_free(st->st_keys);
	st->st_keys = now;
	json_decref(root);
	return rc;
}
