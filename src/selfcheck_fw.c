/* SPDX-License-Identifier: ISC */
/*
 * What the netfilter ruleset (selfcheck_nft.c) does to the audit's
 * verdicts.  Pure: the model, the declarations, the table and the
 * findings in; findings changed and added.
 *
 * Filter.  For an endpoint (protocol, concrete address, port) the input
 * hook's filter base chains are walked as the kernel walks them for a new
 * connection from a non-loopback interface and an unknown source: a rule
 * whose protocol, port or address does not match is passed over, and so is
 * one that only matches lo (`iif lo accept`) or never matches a new
 * connection (`ct state established,related accept`); jumps and gotos are
 * followed.  A rule that matches everything left is final (accept, drop,
 * reject); one limited to some interfaces or sources (`iifname "eth0"`,
 * `ip saddr 192.0.2.2`) is partial: it is noted and the walk goes on.  The
 * chain's policy ends it.  Every base chain must accept.  The result:
 * open, blocked (for every non-loopback source, naming the rule or the
 * policy), partial (naming the rule), or undecided (a rule the model
 * cannot read could decide: its handle).
 *
 * NAT.  Every dnat, redirect and tproxy rule reachable from a nat base
 * chain of the prerouting hook (through jumps) maps its ports on the
 * addresses it matches elsewhere: each is a `forwarded` finding, CRITICAL
 * when a mapped port is not declared there, naming the rule and the
 * target with the local socket holding it.  The same rules on the output
 * hook only concern local traffic (and the probe, which is local): they
 * explain what the probe saw there, and the UDP probe never sends into
 * them (a datagram could start a wait service behind them).
 */
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "selfcheck.h"

#define SELFCHECK_FW_DEPTH 16	/* jumps followed */

/* The walk of one endpoint through the filter. */
struct selfcheck_fw_walk {
	const struct selfcheck_fw *wk_fw; /* the model */
	int wk_proto, wk_port;		 /* the endpoint */
	const struct selfcheck_ip *wk_ip; /* its address */
	const struct selfcheck_fw_rule *wk_partial; /* first partial rule */
	int wk_pverdict;		 /* its verdict */
	const struct selfcheck_fw_rule *wk_rule; /* the deciding rule */
};

/* The name of a filter state, as the report spells it. */
const char *
selfcheck_fw_state_name(int st)
{
	static const char *const names[] = { "-", "open", "blocked",
		"partial", "undecided" };

	return st >= 0 && st <= SCR_UNDECIDED ? names[st] : "-";
}

/* Whether R matches destination port PORT of PROTO (any when unset). */
int
selfcheck_fw_match_port(const struct selfcheck_fw_rule *r, int proto,
    int port)
{
	int i;

	if (r->fr_proto != 0 && r->fr_proto != proto)
		return 0;
	if (r->fr_nports == 0)
		return 1;
	for (i = 0; i < r->fr_nports; i++)
		if (port >= r->fr_ports[i][0] && port <= r->fr_ports[i][1])
			return 1;
	return 0;
}

/* Whether IP lies in prefix P. */
int
selfcheck_fw_in_prefix(const struct selfcheck_fw_prefix *p,
    const struct selfcheck_ip *ip)
{
	int n = p->fp_len, i;

	if (p->fp_ip.ip_family != ip->ip_family)
		return 0;
	for (i = 0; n > 0; i++, n -= 8) {
		uint8_t mask = n >= 8 ? 0xff : (uint8_t)(0xff << (8 - n));

		if ((p->fp_ip.ip_addr[i] & mask) != (ip->ip_addr[i] & mask))
			return 0;
	}
	return 1;
}

/* Whether R matches destination address IP (family, daddr). */
static int
selfcheck_fw_match_addr(const struct selfcheck_fw_rule *r,
    const struct selfcheck_ip *ip)
{
	struct selfcheck_ip u;
	int i;

	selfcheck_ip_unmap(ip, &u);
	if (r->fr_family != 0 && r->fr_family != u.ip_family)
		return 0;
	if (r->fr_ndst == 0)
		return 1;
	for (i = 0; i < r->fr_ndst; i++)
		if (selfcheck_fw_in_prefix(&r->fr_dst[i], &u))
			return 1;
	return 0;
}

/* Whether chain C applies to IP's family. */
static int
selfcheck_fw_chain_family(const struct selfcheck_fw_chain *c,
    const struct selfcheck_ip *ip)
{
	struct selfcheck_ip u;

	selfcheck_ip_unmap(ip, &u);
	if (strcmp(c->fc_family, "inet") == 0)
		return 1;
	return strcmp(c->fc_family, u.ip_family == AF_INET ? "ip" : "ip6") == 0;
}

/* The index of the chain named NAME in the table of chain C, -1 if none. */
static int
selfcheck_fw_target(const struct selfcheck_fw *fw, int c, const char *name)
{
	const struct selfcheck_fw_chain *from = &fw->fw_chains[c];
	size_t i;

	for (i = 0; i < fw->fw_nchains; i++)
		if (strcmp(fw->fw_chains[i].fc_family, from->fc_family) == 0 &&
		    strcmp(fw->fw_chains[i].fc_table, from->fc_table) == 0 &&
		    strcmp(fw->fw_chains[i].fc_name, name) == 0)
			return (int)i;
	return -1;
}

static int selfcheck_fw_chain_walk(struct selfcheck_fw_walk *, int, int);

/*
 * One rule R of the walk WK: 0 go on, SCV_ACCEPT/SCV_DROP final,
 * SCV_RETURN leave the chain, -1 undecided (wk_rule says which).
 */
static int
selfcheck_fw_rule_walk(struct selfcheck_fw_walk *wk,
    const struct selfcheck_fw_rule *r, int depth)
{
	int part = r->fr_iif == 3 || r->fr_src, v = (int)r->fr_verdict, t;

	if (!selfcheck_fw_match_port(r, wk->wk_proto, wk->wk_port) ||
	    !selfcheck_fw_match_addr(r, wk->wk_ip) || r->fr_newonly ||
	    r->fr_iif == 1 || v == SCV_NONE || v >= SCV_DNAT)
		return 0;
	if (r->fr_unknown || (part && v == SCV_RETURN)) {
		wk->wk_rule = r;
		return -1;
	}
	if (v == SCV_JUMP || v == SCV_GOTO) {
		if ((t = selfcheck_fw_target(wk->wk_fw, r->fr_chain,
		    r->fr_target)) == -1 || depth >= SELFCHECK_FW_DEPTH) {
			wk->wk_rule = r;
			return -1;
		}
		v = selfcheck_fw_chain_walk(wk, t, depth + 1);
		if (v == -1)
			return -1;
		if (v == SCV_RETURN || v == 0)
			return v == 0 && r->fr_verdict == SCV_GOTO ?
			    SCV_RETURN : 0;
	}
	if (!part) {
		if (wk->wk_rule == NULL)
			wk->wk_rule = r;
		return v;
	}
	if (wk->wk_partial == NULL) {
		wk->wk_partial = r;
		wk->wk_pverdict = v;
	}
	return 0;
}

/* Walk chain C: what rule_walk returns, 0 when it falls through. */
static int
selfcheck_fw_chain_walk(struct selfcheck_fw_walk *wk, int c, int depth)
{
	size_t i;
	int v;

	for (i = 0; i < wk->wk_fw->fw_nrules; i++) {
		if (wk->wk_fw->fw_rules[i].fr_chain != c)
			continue;
		v = selfcheck_fw_rule_walk(wk, &wk->wk_fw->fw_rules[i], depth);
		if (v != 0)
			return v;
	}
	return 0;
}

/* The name of a partial rule R with what it is limited to. */
static void
selfcheck_fw_partial_name(const struct selfcheck_fw *fw,
    const struct selfcheck_fw_rule *r, char *buf, size_t len)
{
	size_t n;

	selfcheck_fw_rule_name(fw, r, buf, len);
	n = strlen(buf);
	if (r->fr_iif == 3 && r->fr_src)
		snprintf(buf + n, len - n, " (iifname %s, %s)", r->fr_iifname,
		    r->fr_srctext);
	else if (r->fr_iif == 3)
		snprintf(buf + n, len - n, " (iifname %s)", r->fr_iifname);
	else if (r->fr_src)
		snprintf(buf + n, len - n, " (%s)", r->fr_srctext);
}

/*
 * The filter's verdict on new connections to PROTO IP:PORT from outside;
 * *RULE gets the deciding rule's name (or the chain's policy).
 */
static int
selfcheck_fw_reach(const struct selfcheck_fw *fw, int proto,
    const struct selfcheck_ip *ip, int port, char *rule, size_t len)
{
	struct selfcheck_fw_walk wk;
	int state = SCR_OPEN, v;
	size_t c;

	rule[0] = '\0';
	for (c = 0; c < fw->fw_nchains; c++) {
		const struct selfcheck_fw_chain *ch = &fw->fw_chains[c];

		if (strcmp(ch->fc_hook, "input") != 0 ||
		    strcmp(ch->fc_type, "filter") != 0 ||
		    !selfcheck_fw_chain_family(ch, ip))
			continue;
		memset(&wk, 0, sizeof(wk));
		wk.wk_fw = fw;
		wk.wk_proto = proto;
		wk.wk_port = port;
		wk.wk_ip = ip;
		v = selfcheck_fw_chain_walk(&wk, (int)c, 0);
		if (v == 0 || v == SCV_RETURN)
			v = ch->fc_policy;
		if (v == -1) {
			selfcheck_fw_rule_name(fw, wk.wk_rule, rule, len);
			return SCR_UNDECIDED;
		}
		if (v == SCV_DROP && (wk.wk_partial == NULL ||
		    wk.wk_pverdict == SCV_DROP)) {
			if (wk.wk_rule != NULL)
				selfcheck_fw_rule_name(fw, wk.wk_rule, rule, len);
			else
				snprintf(rule, len, "%.7s %.40s %.40s policy drop",
				    ch->fc_family, ch->fc_table, ch->fc_name);
			return SCR_BLOCKED;
		}
		if (wk.wk_partial != NULL && wk.wk_pverdict != v &&
		    state == SCR_OPEN) {
			state = SCR_PARTIAL;
			selfcheck_fw_partial_name(fw, wk.wk_partial, rule, len);
		}
	}
	return state;
}

/* Called for each NAT rule: EFF with its jumps' matches, ORIG as written. */
typedef int (*selfcheck_fw_map_fn)(const struct selfcheck_fw_rule *,
    const struct selfcheck_fw_rule *, void *);

/* R with what the jump rule PARENT (may be NULL) adds, into EFF. */
static void
selfcheck_fw_inherit(const struct selfcheck_fw_rule *r,
    const struct selfcheck_fw_rule *parent, struct selfcheck_fw_rule *eff)
{
	*eff = *r;
	if (parent == NULL)
		return;
	if (eff->fr_proto == 0)
		eff->fr_proto = parent->fr_proto;
	if (eff->fr_nports == 0) {
		eff->fr_nports = parent->fr_nports;
		memcpy(eff->fr_ports, parent->fr_ports, sizeof(eff->fr_ports));
	}
	if (eff->fr_ndst == 0) {
		eff->fr_ndst = parent->fr_ndst;
		memcpy(eff->fr_dst, parent->fr_dst, sizeof(eff->fr_dst));
	}
	if (eff->fr_family == 0)
		eff->fr_family = parent->fr_family;
	if (eff->fr_iif == 0) {
		eff->fr_iif = parent->fr_iif;
		memcpy(eff->fr_iifname, parent->fr_iifname,
		    sizeof(eff->fr_iifname));
	}
	if (!eff->fr_src && parent->fr_src) {
		eff->fr_src = 1;
		memcpy(eff->fr_srctext, parent->fr_srctext,
		    sizeof(eff->fr_srctext));
	}
	eff->fr_newonly |= parent->fr_newonly;
	eff->fr_unknown |= parent->fr_unknown;
}

/* Call FN for every NAT rule reachable from chain C (PARENT: the jump). */
static int
selfcheck_fw_chain_maps(const struct selfcheck_fw *fw, int c,
    const struct selfcheck_fw_rule *parent, int depth, selfcheck_fw_map_fn fn,
    void *arg)
{
	struct selfcheck_fw_rule eff;
	size_t i;
	int t, rc;

	for (i = 0; i < fw->fw_nrules; i++) {
		const struct selfcheck_fw_rule *r = &fw->fw_rules[i];

		if (r->fr_chain != c)
			continue;
		selfcheck_fw_inherit(r, parent, &eff);
		if (r->fr_verdict >= SCV_DNAT)
			rc = fn(&eff, r, arg);
		else if ((r->fr_verdict == SCV_JUMP ||
		    r->fr_verdict == SCV_GOTO) && depth < SELFCHECK_FW_DEPTH &&
		    (t = selfcheck_fw_target(fw, c, r->fr_target)) != -1)
			rc = selfcheck_fw_chain_maps(fw, t, &eff, depth + 1, fn,
			    arg);
		else
			rc = 0;
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Call FN for every NAT rule of the nat base chains of HOOK. */
static int
selfcheck_fw_maps_each(const struct selfcheck_fw *fw, const char *hook,
    selfcheck_fw_map_fn fn, void *arg)
{
	size_t c;
	int rc;

	for (c = 0; fw != NULL && fw->fw_ok && c < fw->fw_nchains; c++)
		if (strcmp(fw->fw_chains[c].fc_hook, hook) == 0 &&
		    strcmp(fw->fw_chains[c].fc_type, "nat") == 0 &&
		    (rc = selfcheck_fw_chain_maps(fw, (int)c, NULL, 0, fn,
		    arg)) != 0)
			return rc;
	return 0;
}

/* What selfcheck_fw_maps looks for. */
struct selfcheck_fw_q {
	int q_proto, q_port;		/* the endpoint */
	const struct selfcheck_ip *q_ip; /* its address */
};

/* Whether NAT rule EFF covers the endpoint of ARG (1 stops the walk). */
static int
selfcheck_fw_covers(const struct selfcheck_fw_rule *eff,
    const struct selfcheck_fw_rule *orig, void *arg)
{
	const struct selfcheck_fw_q *q = arg;

	(void)orig;
	if (eff->fr_iif == 1 && !selfcheck_ip_loopback(q->q_ip))
		return 0;
	return eff->fr_unknown || (selfcheck_fw_match_port(eff, q->q_proto,
	    q->q_port) && selfcheck_fw_match_addr(eff, q->q_ip));
}

/*
 * Whether a NAT rule of HOOK ("prerouting", "output") maps PROTO IP:PORT
 * (or might: a rule the model cannot read counts).
 */
int
selfcheck_fw_maps(const struct selfcheck_fw *fw, const char *hook, int proto,
    const struct selfcheck_ip *ip, int port)
{
	struct selfcheck_fw_q q = { proto, port, ip };

	return selfcheck_fw_maps_each(fw, hook, selfcheck_fw_covers, &q) == 1;
}

/* What selfcheck_fw_map_ports marks. */
struct selfcheck_fw_pm {
	int pm_proto;			/* the protocol */
	const struct selfcheck_ip *pm_ip; /* the address */
	uint8_t *pm_map;		/* 65536 bytes, one a port */
	uint8_t pm_bit;			/* the bit to set */
};

/*
 * Mark in the map of ARG every port that NAT rule EFF covers, by the test
 * of selfcheck_fw_covers (never stops the walk).
 */
static int
selfcheck_fw_mark(const struct selfcheck_fw_rule *eff,
    const struct selfcheck_fw_rule *orig, void *arg)
{
	const struct selfcheck_fw_pm *pm = arg;
	int i, port, lo, hi;

	(void)orig;
	if (eff->fr_iif == 1 && !selfcheck_ip_loopback(pm->pm_ip))
		return 0;
	if (!eff->fr_unknown && ((eff->fr_proto != 0 &&
	    eff->fr_proto != pm->pm_proto) ||
	    !selfcheck_fw_match_addr(eff, pm->pm_ip)))
		return 0;
	for (i = 0; i < (eff->fr_unknown || eff->fr_nports == 0 ? 1 :
	    eff->fr_nports); i++) {
		lo = eff->fr_unknown || eff->fr_nports == 0 ? 0 :
		    eff->fr_ports[i][0];
		hi = eff->fr_unknown || eff->fr_nports == 0 ? 65535 :
		    eff->fr_ports[i][1];
		for (port = lo; port <= hi; port++)
			pm->pm_map[port] |= pm->pm_bit;
	}
	return 0;
}

/*
 * Set BIT in MAP[port] (65536 bytes) for every port of PROTO on IP that a
 * NAT rule of HOOK maps (or might): selfcheck_fw_maps of every port at
 * once, one walk of the rules.
 */
void
selfcheck_fw_map_ports(const struct selfcheck_fw *fw, const char *hook,
    int proto, const struct selfcheck_ip *ip, uint8_t *map, uint8_t bit)
{
	struct selfcheck_fw_pm pm = { proto, ip, map, bit };

	(void)selfcheck_fw_maps_each(fw, hook, selfcheck_fw_mark, &pm);
}

/* What selfcheck_fw_apply needs while it adds forwarded findings. */
struct selfcheck_fw_ctx {
	const struct selfcheck_fw *fc_fw;	 /* the model */
	const struct selfcheck_decl *fc_decls;	 /* declared endpoints */
	size_t fc_ndecl;			 /* entries */
	const struct selfcheck_socks *fc_socks; /* the kernel's table */
	const struct selfcheck_ip *fc_addrs;	 /* audited addresses */
	size_t fc_naddr;			 /* entries */
	struct selfcheck_result *fc_rs;		 /* findings */
};

/* Whether a port of LO..HI of PROTO on IP is not declared. */
static int
selfcheck_fw_undeclared(const struct selfcheck_fw_ctx *cx, int proto,
    const struct selfcheck_ip *ip, int lo, int hi)
{
	int port;

	for (port = lo; port <= hi; port++)
		if (!selfcheck_sock_declared(cx->fc_decls, cx->fc_ndecl, proto,
		    ip, port))
			return 1;
	return 0;
}

/* The local socket receiving PROTO TO:PORT, or NULL. */
static const struct selfcheck_sock *
selfcheck_fw_holder(const struct selfcheck_socks *socks, int proto,
    const struct selfcheck_ip *to, int port)
{
	size_t i;

	for (i = 0; i < socks->ss_n; i++)
		if (socks->ss_v[i].sk_proto == proto &&
		    socks->ss_v[i].sk_port == port &&
		    selfcheck_sock_reaches(&socks->ss_v[i], to))
			return &socks->ss_v[i];
	return NULL;
}

/* One forwarded finding: NAT rule EFF maps PROTO IP:LO-HI. */
static int
selfcheck_fw_forward(const struct selfcheck_fw_ctx *cx,
    const struct selfcheck_fw_rule *eff, const struct selfcheck_fw_rule *orig,
    int proto, const struct selfcheck_ip *ip, int lo, int hi)
{
	struct selfcheck_finding *f;
	int crit = selfcheck_fw_undeclared(cx, proto, ip, lo, hi);

	f = selfcheck_finding_add(cx->fc_rs, SCK_FORWARDED, crit ?
	    SELFCHECK_CRITICAL : SELFCHECK_WARNING, proto, ip, lo);
	if (f == NULL)
		return -1;
	f->fd_port_hi = hi > lo ? hi : 0;
	f->fd_evidence = SCE_RULES;
	f->fd_to = eff->fr_verdict == SCV_REDIRECT || eff->fr_to.ip_family == 0 ?
	    *ip : eff->fr_to;
	f->fd_toport = eff->fr_toport;
	f->fd_sock = selfcheck_fw_holder(cx->fc_socks, proto, &f->fd_to,
	    eff->fr_toport ? eff->fr_toport : lo);
	f->fd_nholders = f->fd_sock != NULL;
	if (eff->fr_iif == 3 || eff->fr_src)
		selfcheck_fw_partial_name(cx->fc_fw, orig, f->fd_rule,
		    sizeof(f->fd_rule));
	else
		selfcheck_fw_rule_name(cx->fc_fw, orig, f->fd_rule,
		    sizeof(f->fd_rule));
	return 0;
}

/* The findings of one prerouting NAT rule EFF (ARG: the context). */
static int
selfcheck_fw_nat_rule(const struct selfcheck_fw_rule *eff,
    const struct selfcheck_fw_rule *orig, void *arg)
{
	const struct selfcheck_fw_ctx *cx = arg;
	struct selfcheck_finding *f;
	struct selfcheck_ip any = { .ip_family = AF_INET };
	size_t a;
	int k, p, proto, lo, hi;

	if (eff->fr_unknown) {
		f = selfcheck_finding_add(cx->fc_rs, SCK_UNDECIDED,
		    SELFCHECK_WARNING, eff->fr_proto ? eff->fr_proto :
		    IPPROTO_TCP, &any, eff->fr_nports ? eff->fr_ports[0][0] : 0);
		if (f == NULL)
			return -1;
		f->fd_evidence = SCE_RULES;
		selfcheck_fw_rule_name(cx->fc_fw, orig, f->fd_rule,
		    sizeof(f->fd_rule));
		return 0;
	}
	if (eff->fr_iif == 1 || eff->fr_newonly)
		return 0;
	for (a = 0; a < cx->fc_naddr; a++) {
		if (selfcheck_ip_loopback(&cx->fc_addrs[a]) ||
		    !selfcheck_fw_match_addr(eff, &cx->fc_addrs[a]))
			continue;
		for (k = 0; k < 2; k++) {
			proto = k ? IPPROTO_UDP : IPPROTO_TCP;
			if (eff->fr_proto != 0 && eff->fr_proto != proto)
				continue;
			for (p = 0; p < (eff->fr_nports ? eff->fr_nports : 1);
			    p++) {
				lo = eff->fr_nports ? eff->fr_ports[p][0] : 1;
				hi = eff->fr_nports ? eff->fr_ports[p][1] :
				    65535;
				if (selfcheck_fw_forward(cx, eff, orig, proto,
				    &cx->fc_addrs[a], lo, hi) == -1)
					return -1;
			}
		}
	}
	return 0;
}

/*
 * The filter's verdict on a stray's socket over every audited address it
 * holds that is not loopback: blocked only if blocked on all of them.
 */
static int
selfcheck_fw_stray(const struct selfcheck_fw_ctx *cx,
    const struct selfcheck_finding *f, char *rule, size_t len)
{
	char r[sizeof(f->fd_rule)];
	int st, all = SCR_NONE;
	size_t a;

	rule[0] = '\0';
	for (a = 0; a < cx->fc_naddr; a++) {
		const struct selfcheck_ip *ip = &cx->fc_addrs[a];

		if (selfcheck_ip_loopback(ip) || (f->fd_sock != NULL ?
		    !selfcheck_sock_covers(f->fd_sock, ip) :
		    !selfcheck_ip_eq(&f->fd_ip, ip)))
			continue;
		st = selfcheck_fw_reach(cx->fc_fw, f->fd_proto, ip, f->fd_port,
		    r, sizeof(r));
		if (rule[0] == '\0' || st == SCR_UNDECIDED)
			snprintf(rule, len, "%s", r);
		if (all == SCR_NONE || st == SCR_UNDECIDED)
			all = st;
		else if (all != st && all != SCR_UNDECIDED)
			all = SCR_PARTIAL;
	}
	return all;
}

/* Judge finding F by the filter: a declared endpoint, or a stray. */
static void
selfcheck_fw_judge(const struct selfcheck_fw_ctx *cx,
    struct selfcheck_finding *f)
{
	int declared = f->fd_kind == SCK_OK || f->fd_kind == SCK_UNREACHABLE,
	    stray = f->fd_kind == SCK_EXPOSED || f->fd_kind == SCK_WIDER;

	if (declared && !selfcheck_ip_loopback(&f->fd_ip)) {
		f->fd_fw = selfcheck_fw_reach(cx->fc_fw, f->fd_proto, &f->fd_ip,
		    f->fd_port, f->fd_rule, sizeof(f->fd_rule));
		if (f->fd_fw == SCR_BLOCKED) {
			f->fd_kind = SCK_UNREACHABLE;
			f->fd_severity = SELFCHECK_CRITICAL;
		} else if (f->fd_fw == SCR_PARTIAL) {
			f->fd_kind = SCK_UNREACHABLE;
			f->fd_severity = SELFCHECK_WARNING;
		} else if (f->fd_fw == SCR_UNDECIDED) {
			f->fd_kind = SCK_UNDECIDED;
			f->fd_severity = SELFCHECK_WARNING;
		}
	} else if (stray)
		f->fd_fw = selfcheck_fw_stray(cx, f, f->fd_rule,
		    sizeof(f->fd_rule));
	if (f->fd_fw == SCR_BLOCKED && stray) {
		/* Reported, but nothing claims it answers from outside. */
		f->fd_severity = SELFCHECK_WARNING;
		f->fd_evidence &= ~SCE_PROBE;
	}
	if (f->fd_fw > SCR_OPEN)
		f->fd_evidence |= SCE_RULES;
}

/* Whether F is what the probe saw through an output-hook NAT rule. */
static int
selfcheck_fw_artifact(const struct selfcheck_fw_ctx *cx,
    const struct selfcheck_finding *f)
{
	return f->fd_sock == NULL && (f->fd_kind == SCK_EXPOSED ||
	    f->fd_kind == SCK_LOCAL_ONLY) && selfcheck_fw_maps(cx->fc_fw,
	    "output", f->fd_proto, &f->fd_ip, f->fd_port);
}

/* Count RS's findings per kind again, its status, and sort them. */
static void
selfcheck_fw_settle(struct selfcheck_result *rs)
{
	size_t i;

	memset(rs->rs_count, 0, sizeof(rs->rs_count));
	rs->rs_status = rs->rs_nundec > 0 ? SELFCHECK_WARNING : SELFCHECK_OK;
	for (i = 0; i < rs->rs_n; i++) {
		rs->rs_count[rs->rs_v[i].fd_kind]++;
		if (rs->rs_v[i].fd_severity > rs->rs_status)
			rs->rs_status = rs->rs_v[i].fd_severity;
	}
	if (rs->rs_n > 1)
		qsort(rs->rs_v, rs->rs_n, sizeof(*rs->rs_v), selfcheck_finding_cmp);
}

/* The ruleset could not be read: one undecided finding says so. */
static int
selfcheck_fw_unreadable(struct selfcheck_result *rs)
{
	struct selfcheck_ip any = { .ip_family = AF_INET };
	struct selfcheck_finding *f;

	if ((f = selfcheck_finding_add(rs, SCK_UNDECIDED, SELFCHECK_WARNING,
	    IPPROTO_TCP, &any, 0)) == NULL)
		return -1;
	snprintf(f->fd_rule, sizeof(f->fd_rule), "the netfilter ruleset "
	    "could not be read: NAT and filter rules not modelled");
	selfcheck_fw_settle(rs);
	return 0;
}

/*
 * Apply the ruleset FW (an undecided finding when it could not be read) to the
 * findings RS of the audit of ADDRS (NADDR) against DECLS (NDECL) and the
 * table SOCKS: the filter's verdict on declared endpoints and strays,
 * forwarded ports, rules the model cannot read; what the probe saw only
 * through an output-hook NAT rule is dropped (the forwarded finding, or
 * nothing, says it).  -1 when out of memory.
 */
int
selfcheck_fw_apply(const struct selfcheck_fw *fw,
    const struct selfcheck_decl *decls, size_t ndecl,
    const struct selfcheck_socks *socks, const struct selfcheck_ip *addrs,
    size_t naddr, struct selfcheck_result *rs)
{
	struct selfcheck_fw_ctx cx = { fw, decls, ndecl, socks, addrs, naddr,
		rs };
	size_t i, k, n;

	if (fw == NULL)
		return 0;
	if (!fw->fw_ok)
		return selfcheck_fw_unreadable(rs);
	for (i = 0, k = 0, n = rs->rs_n; i < n; i++) {
		if (selfcheck_fw_artifact(&cx, &rs->rs_v[i]))
			continue;
		rs->rs_v[k] = rs->rs_v[i];
		selfcheck_fw_judge(&cx, &rs->rs_v[k++]);
	}
	rs->rs_n = k;
	if (selfcheck_fw_maps_each(fw, "prerouting", selfcheck_fw_nat_rule,
	    &cx) == -1)
		return -1;
	selfcheck_fw_settle(rs);
	return 0;
}

/* " rule=... to=ADDR:PORT firewall=STATE" of finding F for the text row. */
void
selfcheck_fw_text(FILE *fp, const struct selfcheck_finding *f)
{
	char a[64];

	if (f->fd_kind == SCK_FORWARDED) {
		if (f->fd_port_hi)
			fprintf(fp, " ports=%d-%d", f->fd_port, f->fd_port_hi);
		selfcheck_ip_str(&f->fd_to, a, sizeof(a));
		if (f->fd_toport)
			fprintf(fp, f->fd_to.ip_family == AF_INET6 ?
			    " to=[%s]:%d" : " to=%s:%d", a, f->fd_toport);
		else
			fprintf(fp, " to=%s", a);
	} else if (f->fd_fw > SCR_NONE)
		fprintf(fp, " firewall=%s", selfcheck_fw_state_name(f->fd_fw));
	if (f->fd_rule[0] != '\0')
		fprintf(fp, " rule=\"%s\"", f->fd_rule);
}

/* Add finding F's "firewall", "rule", "to" and "port_hi" to O. */
void
selfcheck_fw_json(json_t *o, const struct selfcheck_finding *f)
{
	char a[64], to[80];

	json_object_set_new(o, "firewall", f->fd_fw > SCR_NONE ?
	    json_string(selfcheck_fw_state_name(f->fd_fw)) : json_null());
	json_object_set_new(o, "rule", f->fd_rule[0] ?
	    json_string(f->fd_rule) : json_null());
	if (f->fd_kind == SCK_FORWARDED) {
		selfcheck_ip_str(&f->fd_to, a, sizeof(a));
		if (f->fd_toport)
			snprintf(to, sizeof(to), f->fd_to.ip_family == AF_INET6 ?
			    "[%s]:%d" : "%s:%d", a, f->fd_toport);
		else
			snprintf(to, sizeof(to), "%s", a);
	}
	json_object_set_new(o, "to", f->fd_kind == SCK_FORWARDED ?
	    json_string(to) : json_null());
	json_object_set_new(o, "port_hi", f->fd_port_hi ?
	    json_integer(f->fd_port_hi) : json_null());
}
