/* SPDX-License-Identifier: ISC */
/*
 * superd --selfcheck --remote HOST: the audit from outside, as a remote
 * attacker (or nmap) sees the host, with the same verdicts as the local
 * audit.  The declared set comes from a config (-c: its endpoints, a
 * wildcard meaning every audited address of HOST) or from the target's
 * `superd status --json` copied over (--declared).  The probe is the
 * local audit's: the half-open TCP SYN sweep of selfcheck_probe.c (from
 * the address the route to HOST uses), then the paced UDP probe of
 * selfcheck_remote_udp.c.  --from-namespace NAME runs both from inside
 * the network namespace /run/netns/NAME (setns, before any thread).
 *
 * Nothing on the target is read: no kernel table, no owner, no ruleset.
 * A declared TCP endpoint that answers SYN-ACK is ok, one that refuses or
 * stays silent is unreachable; an undeclared port that answers is
 * exposed.  A declared UDP endpoint is never probed (a datagram could
 * start a wait service there too), so it is undecided from outside.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "selfcheck.h"

/* The remote audit's options (getopt values from SELFCHECK_OPT_REMOTE). */
enum {
	SCRM_REMOTE = SELFCHECK_OPT_REMOTE,
	SCRM_NETNS,
	SCRM_DECLARED,
};

static const struct option selfcheck_remote_longopts[] = {
	{ "remote", required_argument, NULL, SCRM_REMOTE },
	{ "from-namespace", required_argument, NULL, SCRM_NETNS },
	{ "declared", required_argument, NULL, SCRM_DECLARED },
	{ NULL, 0, NULL, 0 },
};

/* Everything one remote audit gathered. */
struct selfcheck_remote {
	struct selfcheck_decl *rm_decls; /* declared endpoints */
	size_t rm_ndecl;		 /* entries of rm_decls */
	char **rm_names;		 /* service names --declared gave */
	struct selfcheck_ip *rm_addrs;	 /* audited addresses */
	size_t rm_naddr;		 /* entries of rm_addrs */
	struct selfcheck_probe rm_probe; /* the probe */
	struct selfcheck_result rm_rs;	 /* the findings */
	char rm_why[512];		 /* why the audit could not run */
	char rm_scope[512];		 /* the target, for the report */
};

/* The remote audit's long options, merged into the command line's table. */
const struct option *
selfcheck_remote_options(void)
{
	return selfcheck_remote_longopts;
}

/* One remote audit option VAL with its argument ARG into OP; -1 invalid. */
int
selfcheck_remote_option(struct selfcheck_opts *op, int val, const char *arg)
{
	switch (val) {
	case SCRM_REMOTE:
		if (*arg == '\0' || op->so_nremote == SELFCHECK_REMOTE_MAX)
			return -1;
		op->so_remote[op->so_nremote++] = arg;
		return 0;
	case SCRM_NETNS:
		/* A name under /run/netns, as ip-netns(8) makes them. */
		if (*arg == '\0' || strchr(arg, '/') != NULL ||
		    strcmp(arg, ".") == 0 || strcmp(arg, "..") == 0 ||
		    strlen(arg) > 200)
			return -1;
		op->so_netns = arg;
		return 0;
	case SCRM_DECLARED:
		if (*arg == '\0')
			return -1;
		op->so_declared = arg;
		return 0;
	}
	return -1;
}

/* Whether OP asks for a remote audit. */
int
selfcheck_remote_wanted(const struct selfcheck_opts *op)
{
	return op != NULL && op->so_nremote > 0;
}

/*
 * What is wrong with the remote options of OP, NULL if nothing; CONF says
 * whether -c named a config.
 */
const char *
selfcheck_remote_check(const struct selfcheck_opts *op, int conf)
{
	if (!selfcheck_remote_wanted(op))
		return op->so_netns != NULL || op->so_declared != NULL ?
		    "--from-namespace and --declared: only with --remote" :
		    NULL;
	if (!conf && op->so_declared == NULL)
		return "--remote: give the target's declared endpoints, with "
		    "-c FILE (its config) or --declared FILE (its superd "
		    "status --json)";
	if (conf && op->so_declared != NULL)
		return "--remote: -c and --declared both give the declared "
		    "endpoints: give one";
	if (!op->so_probe)
		return "--remote: --no-probe leaves nothing to audit from "
		    "outside";
	return NULL;
}

/* Append a declaration PROTO IP:PORT (V6ONLY) named NAME to RM. */
static int
selfcheck_remote_decl(struct selfcheck_remote *rm, const char *name,
    int proto, const struct selfcheck_ip *ip, int port, int v6only)
{
	struct selfcheck_decl *v, *d;

	v = realloc(rm->rm_decls, (rm->rm_ndecl + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	rm->rm_decls = v;
	d = &v[rm->rm_ndecl++];
	memset(d, 0, sizeof(*d));
	d->dc_name = name;
	d->dc_proto = proto;
	d->dc_ip = *ip;
	d->dc_port = (uint16_t)port;
	d->dc_v6only = ip->ip_family == AF_INET6 && v6only;
	return 0;
}

/*
 * The enabled IP endpoints of TAB, of the protocols of OP, into RM.  An
 * RPC service's port is chosen when the target's daemon starts: it is
 * named on stderr as not audited (its status --json has the port).
 */
static int
selfcheck_remote_conf(struct svctab *tab, const struct selfcheck_opts *op,
    struct selfcheck_remote *rm)
{
	struct service *sv;
	struct selfcheck_ip ip;
	int port;

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		if (sv->sv_conf->sc_disabled || (sv->sv_proto == IPPROTO_TCP &&
		    !op->so_tcp) || (sv->sv_proto == IPPROTO_UDP && !op->so_udp))
			continue;
		if (sv->sv_conf->sc_kind == &kind_rpc)
			fprintf(stderr, "superd: service %s: an RPC service's "
			    "port is chosen when superd starts: not audited "
			    "remotely\n", sv->sv_conf->sc_name);
		if (kind_hidden(sv))
			continue;
		memset(&ip, 0, sizeof(ip));
		ip.ip_family = sv->sv_addr.ss_family;
		if (ip.ip_family == AF_INET) {
			memcpy(ip.ip_addr, &sv->sv_addr.sin.sin_addr, 4);
			port = ntohs(sv->sv_addr.sin.sin_port);
		} else {
			memcpy(ip.ip_addr, &sv->sv_addr.sin6.sin6_addr, 16);
			port = ntohs(sv->sv_addr.sin6.sin6_port);
		}
		if (selfcheck_remote_decl(rm, sv->sv_conf->sc_name,
		    sv->sv_proto, &ip, port, sv->sv_v6only) == -1)
			return -1;
	}
	return 0;
}

/*
 * One service object SV of a status reply into RM: its endpoint
 * ("a.b.c.d:port", "[v6]:port") and protocol (tcp, udp, tcp6, udp6,
 * tcp46, udp46).  Another kind is named on stderr as not audited.
 */
static int
selfcheck_remote_status_one(json_t *sv, const struct selfcheck_opts *op,
    struct selfcheck_remote *rm)
{
	const char *name = json_string_value(json_object_get(sv, "name"));
	const char *ep = json_string_value(json_object_get(sv, "endpoint"));
	const char *proto = json_string_value(json_object_get(sv, "proto"));
	const char *state = json_string_value(json_object_get(sv, "state"));
	char addr[128], *colon, *end, **nv;
	struct selfcheck_ip ip;
	long port;
	int p;

	if (name == NULL || ep == NULL || proto == NULL)
		return -1;
	if (state != NULL && strcmp(state, "disabled") == 0)
		return 0;
	p = strncmp(proto, "tcp", 3) == 0 ? IPPROTO_TCP :
	    strncmp(proto, "udp", 3) == 0 ? IPPROTO_UDP : 0;
	snprintf(addr, sizeof(addr), "%s", ep);
	if (p == 0 || strspn(proto + 3, "46") != strlen(proto + 3) ||
	    (colon = strrchr(addr, ':')) == NULL) {
		fprintf(stderr, "superd: --declared: service %s (%s %s) is not "
		    "an IP endpoint: not audited remotely\n", name, proto, ep);
		return 0;
	}
	*colon = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 1 || port > 65535 ||
	    selfcheck_ip_parse(addr, &ip) == -1)
		return -1;
	if ((p == IPPROTO_TCP && !op->so_tcp) || (p == IPPROTO_UDP &&
	    !op->so_udp))
		return 0;
	if ((nv = realloc(rm->rm_names, (rm->rm_ndecl + 2) *
	    sizeof(*nv))) == NULL)
		return -1;
	rm->rm_names = nv;
	if ((nv[rm->rm_ndecl] = strdup(name)) == NULL)
		return -1;
	nv[rm->rm_ndecl + 1] = NULL;
	return selfcheck_remote_decl(rm, nv[rm->rm_ndecl], p, &ip, (int)port,
	    strcmp(proto + 3, "6") == 0);
}

/* The declared endpoints of the status reply in PATH (--declared). */
static int
selfcheck_remote_status(const char *path, const struct selfcheck_opts *op,
    struct selfcheck_remote *rm)
{
	json_error_t err;
	json_t *root, *svs;
	size_t i;
	int rc = 0;

	if ((root = json_load_file(path, 0, &err)) == NULL) {
		snprintf(rm->rm_why, sizeof(rm->rm_why), "--declared %s: %s "
		    "(line %d)", path, err.text, err.line);
		return -1;
	}
	svs = json_object_get(root, "services");
	if (!json_is_array(svs) || json_integer_value(json_object_get(root,
	    "v")) != 1) {
		snprintf(rm->rm_why, sizeof(rm->rm_why), "--declared %s: not "
		    "the output of superd status --json", path);
		rc = -1;
	}
	for (i = 0; rc == 0 && i < json_array_size(svs); i++)
		if ((rc = selfcheck_remote_status_one(json_array_get(svs, i),
		    op, rm)) == -1)
			snprintf(rm->rm_why, sizeof(rm->rm_why), "--declared "
			    "%s: service %zu has no valid name, endpoint and "
			    "proto", path, i + 1);
	json_decref(root);
	return rc;
}

/* Append IP to RM's addresses unless it is there. */
static int
selfcheck_remote_addr(struct selfcheck_remote *rm, const struct selfcheck_ip *ip)
{
	struct selfcheck_ip *v;
	size_t i;

	for (i = 0; i < rm->rm_naddr; i++)
		if (selfcheck_ip_eq(&rm->rm_addrs[i], ip))
			return 0;
	if ((v = realloc(rm->rm_addrs, (rm->rm_naddr + 1) * sizeof(*v))) ==
	    NULL)
		return -1;
	v[rm->rm_naddr++] = *ip;
	rm->rm_addrs = v;
	return 0;
}

/* Every address of HOST (a literal, or a name resolved now) into RM. */
static int
selfcheck_remote_resolve(const char *host, struct selfcheck_remote *rm)
{
	struct addrinfo hints, *res, *ai;
	struct selfcheck_ip ip;
	int rc;

	if (selfcheck_ip_parse(host, &ip) == 0)
		return selfcheck_remote_addr(rm, &ip);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		snprintf(rm->rm_why, sizeof(rm->rm_why), "--remote %s: %s",
		    host, gai_strerror(rc));
		return -1;
	}
	for (ai = res, rc = 0; rc == 0 && ai != NULL; ai = ai->ai_next) {
		memset(&ip, 0, sizeof(ip));
		ip.ip_family = ai->ai_family;
		if (ai->ai_family == AF_INET)
			memcpy(ip.ip_addr, &((struct sockaddr_in *)
			    ai->ai_addr)->sin_addr, 4);
		else if (ai->ai_family == AF_INET6)
			memcpy(ip.ip_addr, &((struct sockaddr_in6 *)
			    ai->ai_addr)->sin6_addr, 16);
		else
			continue;
		rc = selfcheck_remote_addr(rm, &ip);
	}
	freeaddrinfo(res);
	return rc;
}

/* Enter the network namespace /run/netns/NAME; -1 with RM's why. */
static int
selfcheck_remote_enter(const char *name, struct selfcheck_remote *rm)
{
	char path[256];
	int fd, rc;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(rm->rm_why, sizeof(rm->rm_why), "--from-namespace %s: "
		    "%s: %s", name, path, strerror(errno));
		return -1;
	}
	if ((rc = setns(fd, CLONE_NEWNET)) == -1)
		snprintf(rm->rm_why, sizeof(rm->rm_why), "--from-namespace %s: "
		    "cannot enter it: %s", name, strerror(errno));
	close(fd);
	return rc;
}

/*
 * Whether this process may send half-open SYNs.  The remote probe has no
 * connect() fallback: without the kernel's table of the target, a
 * connect() would complete handshakes and start the target's services.
 */
static int
selfcheck_remote_can_raw(void)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);

	if (fd == -1)
		return 0;
	close(fd);
	return getenv("SUPERD_SELFCHECK_NORAW") == NULL;
}

/* The declared set, the namespace and the addresses of OP into RM. */
static int
selfcheck_remote_prepare(struct svctab *tab, const struct selfcheck_opts *op,
    struct selfcheck_remote *rm)
{
	size_t i, off;

	if (op->so_declared != NULL) {
		if (selfcheck_remote_status(op->so_declared, op, rm) == -1)
			return -1;
	} else if (tab == NULL || tab->st_nerrors > 0) {
		snprintf(rm->rm_why, sizeof(rm->rm_why), "%s", tab ?
		    tab->st_lasterr : "no configuration");
		return -1;
	} else if (selfcheck_remote_conf(tab, op, rm) == -1)
		return -1;
	if (op->so_tcp && !selfcheck_remote_can_raw()) {
		snprintf(rm->rm_why, sizeof(rm->rm_why), "--remote needs "
		    "CAP_NET_RAW (run as root): its TCP probe is half-open, "
		    "and a connect() would start the target's services");
		return -1;
	}
	if (op->so_netns != NULL && selfcheck_remote_enter(op->so_netns,
	    rm) == -1)
		return -1;
	off = (size_t)snprintf(rm->rm_scope, sizeof(rm->rm_scope), "remote");
	for (i = 0; i < op->so_nremote && off < sizeof(rm->rm_scope); i++) {
		off += (size_t)snprintf(rm->rm_scope + off,
		    sizeof(rm->rm_scope) - off, " %s", op->so_remote[i]);
		if (op->so_naddrs == 0 &&
		    selfcheck_remote_resolve(op->so_remote[i], rm) == -1)
			return -1;
	}
	for (i = 0; i < op->so_naddrs; i++)
		if (selfcheck_remote_addr(rm, &op->so_addrs[i]) == -1)
			return -1;
	if (op->so_netns != NULL && off < sizeof(rm->rm_scope))
		snprintf(rm->rm_scope + off, sizeof(rm->rm_scope) - off,
		    " from namespace %s", op->so_netns);
	return 0;
}

/* The first declaration of DECLS (NDECL) covering PROTO IP:PORT, or NULL. */
static const struct selfcheck_decl *
selfcheck_remote_declared(const struct selfcheck_decl *decls, size_t ndecl,
    int proto, const struct selfcheck_ip *ip, int port)
{
	size_t i;

	for (i = 0; i < ndecl; i++)
		if (decls[i].dc_proto == proto && decls[i].dc_port == port &&
		    selfcheck_sock_score(&decls[i].dc_ip, decls[i].dc_v6only, 0,
		    ip) > 0)
			return &decls[i];
	return NULL;
}

/*
 * The finding of PROTO IP:PORT whose probe state is ST, declared as D (or
 * NULL) into RS: SCK_COUNT when there is none.
 */
static enum selfcheck_kind
selfcheck_remote_kind(const struct selfcheck_decl *d, int proto, int st)
{
	if (d == NULL)
		return st == SCP_OPEN || (proto == IPPROTO_UDP &&
		    st == SCP_OPENFILTERED) ? SCK_EXPOSED : SCK_COUNT;
	if (proto == IPPROTO_UDP)
		return st == SCP_SKIPPED ? SCK_UNDECIDED : SCK_COUNT;
	if (st == SCP_OPEN)
		return SCK_OK;
	return st == SCP_CLOSED || st == SCP_FILTERED ||
	    st == SCP_PROHIBITED ? SCK_UNREACHABLE : SCK_COUNT;
}

/* The findings of the probed address PR, protocol PROTO (states ST). */
static int
selfcheck_remote_addr_diff(const struct selfcheck_decl *decls, size_t ndecl,
    const struct selfcheck_probe *pb, const struct selfcheck_probed *pr,
    int proto, struct selfcheck_result *rs)
{
	const uint8_t *st = proto == IPPROTO_UDP ? pr->pr_udp : pr->pr_state;
	const struct selfcheck_decl *d;
	struct selfcheck_finding *f;
	enum selfcheck_kind k;
	int port;

	for (port = pb->pb_lo; st != NULL && port <= pb->pb_hi; port++) {
		d = selfcheck_remote_declared(decls, ndecl, proto, &pr->pr_ip,
		    port);
		if ((k = selfcheck_remote_kind(d, proto, st[port])) == SCK_COUNT)
			continue;
		f = selfcheck_finding_add(rs, k, k == SCK_OK ? SELFCHECK_OK :
		    k == SCK_UNDECIDED ? SELFCHECK_WARNING : SELFCHECK_CRITICAL,
		    proto, &pr->pr_ip, port);
		if (f == NULL)
			return -1;
		f->fd_service = d != NULL ? d->dc_name : NULL;
		f->fd_probe = st[port];
		f->fd_evidence = k == SCK_UNDECIDED ? 0 : SCE_PROBE;
	}
	return 0;
}

/*
 * Silent TCP ports of an address that answered on other ports are
 * filtered (a firewall drops): decided.  An address that answered
 * nothing keeps them silent: undecided (down, or dropping everything).
 */
static void
selfcheck_remote_filtered(struct selfcheck_probe *pb)
{
	size_t i;
	int port, answered;

	for (i = 0; i < pb->pb_n; i++) {
		uint8_t *st = pb->pb_v[i].pr_state;

		for (port = pb->pb_lo, answered = 0; port <= pb->pb_hi; port++)
			answered |= st[port] == SCP_OPEN ||
			    st[port] == SCP_CLOSED || st[port] == SCP_PROHIBITED;
		for (port = pb->pb_lo; answered && port <= pb->pb_hi; port++)
			if (st[port] == SCP_SILENT)
				st[port] = SCP_FILTERED;
	}
}

/*
 * The remote diff: the NDECL declared endpoints against the probe PB of
 * the target's addresses, into RS (pure).
 */
int
selfcheck_remote_diff(const struct selfcheck_decl *decls, size_t ndecl,
    const struct selfcheck_probe *pb, struct selfcheck_result *rs)
{
	size_t i;

	memset(rs, 0, sizeof(*rs));
	for (i = 0; i < pb->pb_n; i++)
		if ((strcmp(pb->pb_mode, "none") != 0 &&
		    selfcheck_remote_addr_diff(decls, ndecl, pb, &pb->pb_v[i],
		    IPPROTO_TCP, rs) == -1) || selfcheck_remote_addr_diff(decls,
		    ndecl, pb, &pb->pb_v[i], IPPROTO_UDP, rs) == -1)
			return -1;
	if (selfcheck_undecided(pb, NULL, rs) == -1)
		return -1;
	if (rs->rs_n > 1)
		qsort(rs->rs_v, rs->rs_n, sizeof(*rs->rs_v),
		    selfcheck_finding_cmp);
	return 0;
}

/* Release what a remote audit gathered. */
static void
selfcheck_remote_free(struct selfcheck_remote *rm)
{
	free(rm->rm_decls);
	strv_free(rm->rm_names);
	free(rm->rm_addrs);
	selfcheck_probe_free(&rm->rm_probe);
	selfcheck_result_free(&rm->rm_rs);
}

/*
 * The TCP sweep of RM's addresses as OP says, with a raw ICMP socket per
 * address family open around it: a firewall's rejections
 * (SCP_PROHIBITED).  Without such a socket a rejected port stays silent.
 */
static int
selfcheck_remote_tcp(const struct selfcheck_opts *op,
    struct selfcheck_remote *rm)
{
	static const struct selfcheck_socks none;
	static const int fams[2] = { AF_INET, AF_INET6 };
	int fd[2] = { -1, -1 }, i, rc;
	size_t k;

	for (i = 0; op->so_tcp && i < 2; i++)
		for (k = 0; fd[i] == -1 && k < rm->rm_naddr; k++)
			if (rm->rm_addrs[k].ip_family == fams[i])
				fd[i] = selfcheck_icmp_open(fams[i]);
	rc = selfcheck_probe_run(&rm->rm_probe, rm->rm_addrs, rm->rm_naddr,
	    op, &none, NULL);
	for (i = 0; i < 2; i++)
		if (fd[i] != -1) {
			if (rc == 0)
				selfcheck_icmp_tcp(fd[i], fams[i],
				    &rm->rm_probe);
			close(fd[i]);
		}
	return rc;
}

/* Probe RM's addresses as OP says and diff; -1 with RM's why. */
static int
selfcheck_remote_run(const struct selfcheck_opts *op,
    struct selfcheck_remote *rm)
{
	if (selfcheck_remote_tcp(op, rm) == -1 || (op->so_udp &&
	    selfcheck_remote_udp_run(&rm->rm_probe, op->so_udp_ms,
	    rm->rm_decls, rm->rm_ndecl) == -1)) {
		snprintf(rm->rm_why, sizeof(rm->rm_why), "probe failed: out "
		    "of memory");
		return -1;
	}
	selfcheck_remote_filtered(&rm->rm_probe);
	if (selfcheck_remote_diff(rm->rm_decls, rm->rm_ndecl, &rm->rm_probe,
	    &rm->rm_rs) == -1) {
		snprintf(rm->rm_why, sizeof(rm->rm_why), "out of memory");
		return -1;
	}
	return 0;
}

/*
 * superd --selfcheck --remote: audit the target of OP from outside against
 * TAB (or OP's --declared file), print the report, return the exit code.
 */
int
selfcheck_remote_main(struct svctab *tab, const struct selfcheck_opts *op)
{
	static struct selfcheck_socks none = { .ss_source = "remote" };
	struct selfcheck_remote rm;
	struct selfcheck_scope sc;
	double start = selfcheck_now(CLOCK_MONOTONIC);
	int rc;

	memset(&rm, 0, sizeof(rm));
	if (selfcheck_remote_prepare(tab, op, &rm) == -1 ||
	    selfcheck_remote_run(op, &rm) == -1) {
		rc = selfcheck_unknown(op, rm.rm_why, start);
	} else {
		memset(&sc, 0, sizeof(sc));
		sc.sc_conf = op->so_declared != NULL ? op->so_declared :
		    tab->st_path;
		sc.sc_ndecl = rm.rm_ndecl;
		sc.sc_addrs = rm.rm_addrs;
		sc.sc_naddr = rm.rm_naddr;
		sc.sc_opts = op;
		sc.sc_colour = op->so_format == SCF_TEXT &&
		    selfcheck_colour_wanted(stdout);
		sc.sc_remote = rm.rm_scope;
		rc = selfcheck_output(op, &rm.rm_rs, &rm.rm_probe, &none, &sc,
		    start);
	}
	fflush(stdout);
	selfcheck_remote_free(&rm);
	return rc;
}
