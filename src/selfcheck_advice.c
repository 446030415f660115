/* SPDX-License-Identifier: ISC */
/*
 * What to do about a finding: one line of advice per finding kind (one
 * function each, in selfcheck_advisers[]: a new kind plugs in there), what
 * the audit covered (the report's first line), whether the probe decided
 * every port (the summary), and the colours of the text report.  Pure:
 * findings in, text out; every name from outside goes through the escaper
 * of the output (escape_text, escape_json).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "selfcheck.h"

#define SELFCHECK_ADDR_SHOWN 16 /* addresses the first line names */

/* Everything an adviser may look at, and where it writes. */
struct selfcheck_adv {
	const struct selfcheck_finding *av_f;	 /* the finding */
	const struct selfcheck_socks *av_socks;	 /* the kernel's table */
	const struct selfcheck_scope *av_scope;	 /* what was audited, or NULL */
	escape_fn *av_esc;			 /* the output's escaper */
	char *av_buf;				 /* the advice */
	size_t av_len;				 /* its size */
};

/* One line of advice into AV's buffer, NULL for none. */
typedef const char *selfcheck_adviser(const struct selfcheck_adv *);

/* NAME escaped for AV's output into BUF (LEN bytes). */
static const char *
selfcheck_adv_esc(const struct selfcheck_adv *av, const char *name, char *buf,
    size_t len)
{
	return av->av_esc(buf, len, name);
}

/* The first holder of the finding's socket, NULL if none or the kernel. */
static const struct selfcheck_owner *
selfcheck_adv_owner(const struct selfcheck_adv *av)
{
	const struct selfcheck_sock *sk = av->av_f->fd_sock;

	return sk != NULL && sk->sk_nowners > 0 ? &sk->sk_owners[0] : NULL;
}

/*
 * The command that stops the first holder OW, and what it is: "systemctl
 * stop UNIT (pid PID: COMM, EXE)" for a process of a systemd service (a
 * kill would only make systemd restart it), else "kill PID (COMM, EXE)".
 */
static const char *
selfcheck_adv_stop(const struct selfcheck_adv *av,
    const struct selfcheck_owner *ow, char *buf, size_t len)
{
	char comm[ESCAPE_SIZE(sizeof(ow->ow_comm))];
	char exe[ESCAPE_SIZE(sizeof(ow->ow_exe))];
	char unit[ESCAPE_SIZE(sizeof(ow->ow_unit))];

	selfcheck_adv_esc(av, ow->ow_comm, comm, sizeof(comm));
	selfcheck_adv_esc(av, ow->ow_exe, exe, sizeof(exe) - 3);
	if (ow->ow_exe_cut)
		strcat(exe, "...");
	if (ow->ow_unit[0] != '\0')
		snprintf(buf, len, "systemctl stop %s (pid %d: %s%s%s)",
		    selfcheck_adv_esc(av, ow->ow_unit, unit, sizeof(unit)),
		    (int)ow->ow_pid, comm, ow->ow_exe[0] ? ", " : "", exe);
	else
		snprintf(buf, len, "kill %d (%s%s%s)", (int)ow->ow_pid, comm,
		    ow->ow_exe[0] ? ", " : "", exe);
	return buf;
}

/* The config file audited, escaped, or "the config". */
static const char *
selfcheck_adv_conf(const struct selfcheck_adv *av, char *buf, size_t len)
{
	const struct selfcheck_scope *sc = av->av_scope;

	if (sc == NULL || sc->sc_conf == NULL)
		return "the config";
	return selfcheck_adv_esc(av, sc->sc_conf, buf, len);
}

/* Whether any socket of the table is held by superd. */
static int
selfcheck_adv_superd_runs(const struct selfcheck_socks *socks)
{
	size_t i;
	int k;

	for (i = 0; socks != NULL && i < socks->ss_n; i++)
		for (k = 0; k < socks->ss_v[i].sk_nowners; k++)
			if (socks->ss_v[i].sk_owners[k].ow_superd)
				return 1;
	return 0;
}

/* missing: superd is not running, or its bind failed. */
static const char *
selfcheck_adv_missing(const struct selfcheck_adv *av)
{
	char svc[ESCAPE_SIZE(256)];

	if (!selfcheck_adv_superd_runs(av->av_socks))
		snprintf(av->av_buf, av->av_len, "nothing listens and superd "
		    "holds no socket here: it is not running (or bound "
		    "nothing): start it, and see its log if it stops");
	else
		snprintf(av->av_buf, av->av_len, "superd runs but does not hold "
		    "it: its bind failed (its log has service=%s with "
		    "reason=bind) or the service is newer than its last "
		    "reload; fix the cause and reload",
		    selfcheck_adv_esc(av, av->av_f->fd_service ?
		    av->av_f->fd_service : "-", svc, sizeof(svc)));
	return av->av_buf;
}

/* foreign: who holds the port instead of superd. */
static const char *
selfcheck_adv_foreign(const struct selfcheck_adv *av)
{
	const struct selfcheck_owner *ow = selfcheck_adv_owner(av);
	char stop[ESCAPE_SIZE(300)];

	if (ow == NULL)
		snprintf(av->av_buf, av->av_len, "owner unknown: held by no "
		    "process (a kernel socket: nfsd, WireGuard, VXLAN; or one "
		    "in flight over SCM_RIGHTS): stop what opened it, or move "
		    "the service to a free port");
	else
		snprintf(av->av_buf, av->av_len, "held by pid %d, not superd: "
		    "stop it (%s) or move the service to a free port",
		    (int)ow->ow_pid, selfcheck_adv_stop(av, ow, stop,
		    sizeof(stop)));
	return av->av_buf;
}

/* unreachable: superd holds it, the probe got no answer. */
static const char *
selfcheck_adv_unreachable(const struct selfcheck_adv *av)
{
	const struct selfcheck_finding *f = av->av_f;

	if (f->fd_fw == SCR_BLOCKED || f->fd_fw == SCR_PARTIAL)
		snprintf(av->av_buf, av->av_len, "the firewall drops new "
		    "connections to it from %s (%s): accept the port there "
		    "if they must reach it", f->fd_fw == SCR_BLOCKED ?
		    "every other host" : "some interfaces or sources",
		    f->fd_rule);
	else
		snprintf(av->av_buf, av->av_len, "superd holds it but the "
		    "probe got %s: a firewall rule %s it (nft list ruleset)",
		    f->fd_probe == SCP_CLOSED ? "a refusal" : "no answer",
		    f->fd_probe == SCP_CLOSED ? "rejects" : "drops");
	return av->av_buf;
}

/* forwarded: a NAT rule maps the port elsewhere. */
static const char *
selfcheck_adv_forwarded(const struct selfcheck_adv *av)
{
	const struct selfcheck_finding *f = av->av_f;

	snprintf(av->av_buf, av->av_len, "a NAT rule (%s) forwards %s port "
	    "from outside: delete the rule (nft -a list ruleset shows its "
	    "handle) or declare what it reaches", f->fd_rule,
	    f->fd_severity == SELFCHECK_CRITICAL ? "an undeclared" :
	    "this declared");
	return av->av_buf;
}

/* undecided: a rule the audit cannot model decides it. */
static const char *
selfcheck_adv_undecided(const struct selfcheck_adv *av)
{
	snprintf(av->av_buf, av->av_len, "a rule the audit does not model "
	    "decides this (%s): check it by hand (nft -a list ruleset)",
	    av->av_f->fd_rule);
	return av->av_buf;
}

/*
 * exposed and local-only: what holds an undeclared endpoint and how to
 * stop it; superd's own socket means another config; no socket, NAT.
 */
static const char *
selfcheck_adv_stray(const struct selfcheck_adv *av)
{
	const struct selfcheck_owner *ow = selfcheck_adv_owner(av);
	int local = av->av_f->fd_kind == SCK_LOCAL_ONLY;
	char stop[ESCAPE_SIZE(300)], conf[ESCAPE_SIZE(256)];

	if (av->av_f->fd_sock == NULL)
		snprintf(av->av_buf, av->av_len, "answers but no socket here "
		    "holds it: port forwarding (DNAT) to another host or "
		    "namespace, or a raw-socket listener (nft list ruleset)");
	else if (ow == NULL)
		snprintf(av->av_buf, av->av_len, "owner unknown: held by no "
		    "process (a kernel socket: nfsd, WireGuard, VXLAN; or one "
		    "in flight over SCM_RIGHTS): stop what opened it");
	else if (ow->ow_superd)
		snprintf(av->av_buf, av->av_len, "superd holds it but %s does "
		    "not declare it: the daemon runs another config or was "
		    "not reloaded; audit with -c its config, or reload it",
		    selfcheck_adv_conf(av, conf, sizeof(conf)));
	else
		snprintf(av->av_buf, av->av_len, "not declared%s: stop it "
		    "with %s%s", local ? ", loopback only" : " and reachable "
		    "from the network", selfcheck_adv_stop(av, ow, stop,
		    sizeof(stop)), local ? ", if it is not expected" :
		    ", or bind it to 127.0.0.1 if it must stay");
	return av->av_buf;
}

/* wider: the socket binds more addresses than declared. */
static const char *
selfcheck_adv_wider(const struct selfcheck_adv *av)
{
	const struct selfcheck_owner *ow = selfcheck_adv_owner(av);
	char stop[ESCAPE_SIZE(300)], a[64];

	selfcheck_ip_str(&av->av_f->fd_ip, a, sizeof(a));
	if (ow != NULL && ow->ow_superd)
		snprintf(av->av_buf, av->av_len, "superd binds %s, wider than "
		    "declared: the running config differs; reload superd", a);
	else if (ow != NULL)
		snprintf(av->av_buf, av->av_len, "bound to %s, wider than "
		    "declared, by pid %d: stop it (%s)", a, (int)ow->ow_pid,
		    selfcheck_adv_stop(av, ow, stop, sizeof(stop)));
	else
		snprintf(av->av_buf, av->av_len, "bound to %s, wider than "
		    "declared, owner unknown (held by no process: a kernel "
		    "socket, or one in flight over SCM_RIGHTS)", a);
	return av->av_buf;
}

/*
 * A finding of the remote audit (--remote): only the probe's answer from
 * outside is known, no owner, no table, no ruleset.
 */
static const char *
selfcheck_adv_remote(const struct selfcheck_adv *av)
{
	const struct selfcheck_finding *f = av->av_f;

	if (f->fd_kind == SCK_UNREACHABLE && f->fd_probe == SCP_PROHIBITED)
		snprintf(av->av_buf, av->av_len, "declared, but the target's "
		    "firewall rejects it (ICMP administratively prohibited): "
		    "filtered, reachable by nobody from here; superd "
		    "--selfcheck on the target names the rule");
	else if (f->fd_kind == SCK_UNREACHABLE)
		snprintf(av->av_buf, av->av_len, "declared, but from here the "
		    "probe got %s: the service is down there or a firewall on "
		    "the way %s it; superd --selfcheck on the target names "
		    "the cause", f->fd_probe == SCP_CLOSED ? "a refusal" :
		    "no answer", f->fd_probe == SCP_CLOSED ? "rejects" :
		    "drops");
	else if (f->fd_kind == SCK_EXPOSED)
		snprintf(av->av_buf, av->av_len, "answers from outside but is "
		    "not declared; owners are not visible from here: "
		    "superd --selfcheck on the target names the process, or "
		    "the NAT rule that forwards it");
	else if (f->fd_kind == SCK_UNDECIDED)
		snprintf(av->av_buf, av->av_len, "a declared UDP port of a "
		    "remote target is not probed (a datagram could start its "
		    "wait service) and the target's ruleset is not readable "
		    "from here: it stays undecided (WARNING; --proto tcp "
		    "leaves UDP out); superd --selfcheck on the target "
		    "decides it from its table and ruleset");
	else
		return NULL;
	return av->av_buf;
}

/* The adviser of each finding kind; NULL: nothing to do (ok). */
static selfcheck_adviser *const selfcheck_advisers[SCK_COUNT] = {
	[SCK_MISSING] = selfcheck_adv_missing,
	[SCK_FOREIGN] = selfcheck_adv_foreign,
	[SCK_UNREACHABLE] = selfcheck_adv_unreachable,
	[SCK_EXPOSED] = selfcheck_adv_stray,
	[SCK_LOCAL_ONLY] = selfcheck_adv_stray,
	[SCK_WIDER] = selfcheck_adv_wider,
	[SCK_FORWARDED] = selfcheck_adv_forwarded,
	[SCK_UNDECIDED] = selfcheck_adv_undecided,
};

/*
 * One line of advice on finding F into BUF (LEN bytes), its names escaped
 * with ESC; NULL when there is nothing to do.  SOCKS and SC (may be NULL)
 * give the context: whether superd runs, which config was audited.
 */
const char *
selfcheck_advice(const struct selfcheck_finding *f,
    const struct selfcheck_socks *socks, const struct selfcheck_scope *sc,
    escape_fn *esc, char *buf, size_t len)
{
	struct selfcheck_adv av = { f, socks, sc, esc, buf, len };

	if (sc != NULL && sc->sc_remote != NULL)
		return selfcheck_adv_remote(&av);
	if ((unsigned)f->fd_kind >= SCK_COUNT ||
	    selfcheck_advisers[f->fd_kind] == NULL)
		return NULL;
	return selfcheck_advisers[f->fd_kind](&av);
}

/* What to do about ports left undecided for REASON (SCU_*). */
static const char *
selfcheck_coverage_why(int reason)
{
	static const char *const why[] = {
		[SCU_SOCKET] = "the probe could not open a socket on an "
		    "address: audit as root, and check the address with ip "
		    "addr",
		[SCU_SEND] = "sends failed: an output firewall rule refuses "
		    "the probe (nft list ruleset)",
		[SCU_FILTERED] = "an address answers nothing: a firewall drops "
		    "the probe (nft list ruleset)",
		[SCU_RATELIMIT] = "the kernel's ICMP rate limit outlasted the "
		    "deadline: raise --udp-deadline or "
		    "net.ipv4.icmp_msgs_per_sec",
		[SCU_NOANSWER] = "no answer came back: a firewall may drop "
		    "the probe, or raise --udp-deadline",
		[SCU_TABLE] = "sock_diag cannot list a protocol's sockets: "
		    "load its diag module (modprobe sctp_diag) or audit as "
		    "root",
	};

	return reason >= 0 && reason <= SCU_TABLE ? why[reason] :
	    "see the undecided list";
}

/*
 * Whether the audit RS, with the probe PB, decided every port: 1 complete,
 * 0 not.  TEXT (TLEN bytes) gets the summary's word ("complete",
 * "incomplete" or "partial: not probed"), ADVICE (ALEN) how many ports
 * stayed undecided, where, why and what to do ("" when complete).  SC (may
 * be NULL) says what was asked for.
 */
int
selfcheck_coverage(const struct selfcheck_result *rs,
    const struct selfcheck_probe *pb, const struct selfcheck_scope *sc,
    char *text, size_t tlen, char *advice, size_t alen)
{
	const struct selfcheck_opts *op = sc ? sc->sc_opts : NULL;
	unsigned seen = 0;
	size_t i, k, off, naddr = 0;
	long n = 0;

	advice[0] = '\0';
	if (pb == NULL || pb->pb_mode == NULL || (op != NULL && !op->so_probe)) {
		snprintf(text, tlen, "partial: not probed");
		snprintf(advice, alen, "only the kernel's table was read; run "
		    "without --no-probe to see what answers");
		return 0;
	}
	if (rs->rs_nundec == 0) {
		snprintf(text, tlen, "complete");
		return 1;
	}
	for (i = 0; i < rs->rs_nundec; i++) {
		n += rs->rs_undec[i].un_ports;
		for (k = 0; k < i && !selfcheck_ip_eq(&rs->rs_undec[k].un_ip,
		    &rs->rs_undec[i].un_ip); k++)
			;
		naddr += k == i;
	}
	snprintf(text, tlen, "incomplete");
	off = (size_t)snprintf(advice, alen, "%ld port%s on %zu address%s "
	    "stayed undecided", n, n == 1 ? "" : "s", naddr,
	    naddr == 1 ? "" : "es");
	for (i = 0; i < rs->rs_nundec && off < alen; i++) {
		unsigned bit = 1U << (rs->rs_undec[i].un_reason & 31);

		if (seen & bit)
			continue;
		seen |= bit;
		off += (size_t)snprintf(advice + off, alen - off, "%s%s",
		    seen == bit ? ": " : "; ", sc != NULL && sc->sc_remote &&
		    rs->rs_undec[i].un_reason == SCU_RATELIMIT ? "the "
		    "target's ICMP rate limit paced the UDP probe (its results "
		    "are partial) past the deadline: raise --udp-deadline or "
		    "narrow --ports" : selfcheck_coverage_why(
		    rs->rs_undec[i].un_reason));
	}
	return 0;
}

/*
 * The report's first line: the config audited, how many endpoints it
 * declares, the protocols, ports and addresses.
 */
void
selfcheck_scope_text(FILE *fp, const struct selfcheck_scope *sc)
{
	const struct selfcheck_opts *op = sc->sc_opts;
	char conf[ESCAPE_SIZE(256)], a[64];
	size_t i;

	fprintf(fp, "AUDIT %s%s%s%s: %zu endpoint%s declared; %s ports %d-%d "
	    "on %zu address%s:", sc->sc_conf ? escape_text(conf, sizeof(conf),
	    sc->sc_conf) : "(no config)", sc->sc_origin ? " (" : "",
	    sc->sc_origin ? sc->sc_origin : "", sc->sc_origin ? ")" : "",
	    sc->sc_ndecl,
	    sc->sc_ndecl == 1 ? "" : "s", op->so_tcp && op->so_udp ?
	    "tcp and udp" : op->so_tcp ? "tcp" : "udp", op->so_lo, op->so_hi,
	    sc->sc_naddr, sc->sc_naddr == 1 ? "" : "es");
	for (i = 0; i < sc->sc_naddr && i < SELFCHECK_ADDR_SHOWN; i++)
		fprintf(fp, " %s", selfcheck_ip_str(&sc->sc_addrs[i], a,
		    sizeof(a)));
	if (sc->sc_naddr > SELFCHECK_ADDR_SHOWN)
		fprintf(fp, " and %zu more", sc->sc_naddr - SELFCHECK_ADDR_SHOWN);
	if (sc->sc_remote != NULL)
		fprintf(fp, "; %s, from outside: owners, the kernel's table "
		    "and the ruleset of the target are not visible",
		    escape_text(conf, sizeof(conf), sc->sc_remote));
	fputc('\n', fp);
}

/*
 * Whether the text report on FP gets colours: a terminal, NO_COLOR unset
 * or empty (no-color.org), and a TERM that is set and not "dumb".
 */
int
selfcheck_colour_wanted(FILE *fp)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	return isatty(fileno(fp)) && (nc == NULL || *nc == '\0') &&
	    term != NULL && *term != '\0' && strcmp(term, "dumb") != 0;
}

/* The ANSI colour of severity ST under SC, "" without colours. */
const char *
selfcheck_colour(const struct selfcheck_scope *sc, enum selfcheck_status st)
{
	static const char *const col[] = { "\033[32m", "\033[33m",
		"\033[1;31m", "\033[35m" };

	if (sc == NULL || !sc->sc_colour)
		return "";
	return (unsigned)st < 4 ? col[st] : col[3];
}
