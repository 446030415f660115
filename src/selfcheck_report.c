/* SPDX-License-Identifier: ISC */
/*
 * The report: a human table, JSON with a stable schema (jansson), or the
 * Prometheus text exposition format for node_exporter's textfile
 * collector.  Pure: findings in, text out.
 *
 * JSON schema "superd-selfcheck/1" (fields are only ever added):
 *   {
 *     "schema": "superd-selfcheck/1",
 *     "status": "OK" | "WARNING" | "CRITICAL" | "UNKNOWN",
 *     "exit": 0..3,
 *     "audited": { "config": "/etc/superd.conf" | null, "config_origin":
 *       "the running daemon's, pid N" | null (named with -c), "declared": N,
 *                  "protocols": ["tcp", "udp"], "addresses": [...],
 *                  "ports": [LO, HI],
 *                  "remote": "remote HOST ..." | null },  what the audit
 *                                                        covered
 *     "summary": { "ok": N, "missing": N, "foreign": N, "unreachable": N,
 *                  "exposed": N, "local-only": N, "wider": N },
 *     "kernel": { "source": "sock_diag" | "/proc/net", "sockets": N },
 *     "probe": { "mode": "syn" | "connect" | "none",
 *                "ports": [LO, HI],
 *                "addresses": [ { "address": "192.0.2.1",
 *                                 "open": [22, 80],
 *                                 "skipped": [8080],  decided
 *                                  from the kernel's table or the
 *                                  ruleset, not probed
 *                                 "prohibited": [25] } ],  remote: the
 *                                  target's firewall answered ICMP
 *                                  administratively prohibited
 *                                  (filtered, reachable by nobody
 *                                  from here)
 *                "udp": { "mode": "icmp" | "none",
 *                         "deadline_ms": N, "elapsed_ms": N,
 *                         "complete": bool,   every port answered
 *                         "addresses": [ { "address": "192.0.2.1",
 *                             "open": [53],             a reply came
 *                             "open|filtered": [5300],  no refusal
 *                             "skipped": [69],          superd's
 *                             "prohibited": [161],      as for TCP
 *                             "closed": N, "unknown": N,
 *                             "filtered": bool } ] } },
 *     "coverage": { "complete": bool, "summary": "complete" | ...,
 *                   "advice": "..." | null },  ports left undecided
 *     "findings": [ {
 *         "id": "tcp/192.0.2.1/80/exposed",   stable across runs
 *         "kind": "ok" | "missing" | "foreign" | "unreachable" |
 *                 "exposed" | "local-only" | "wider",
 *         "severity": "OK" | "WARNING" | "CRITICAL",
 *         "proto": "tcp" | "udp",
 *         "address": "192.0.2.1",  concrete address (declared endpoints)
 *                                  or the socket's bind (the others)
 *         "port": 80,
 *         "service": "http" | null,  the declaration, if any
 *         "probe": "open" | "closed" | "silent" | "skipped" | "unprobed" |
 *                  "open|filtered" | "unknown" |   (these two: UDP)
 *                  "filtered" |    (TCP, remote: silent there only)
 *                  "prohibited",   (remote: the target's firewall
 *                                   answered ICMP administratively
 *                                   prohibited: filtered)
 *         "evidence": [ "table", "probe" ],  what supports the finding
 *         "holders": N,              sockets on the endpoint (reuseport)
 *         "socket": null | { "bind": "0.0.0.0", "v6only": bool | null,
 *                            "ifindex": N, "device": "eth0" | null,
 *                            "uid": N, "inode": N,
 *                            "owners": [ { "pid": N, "comm": "...",
 *                                          "comm_text": "...",  the
 *                                            comm as the text report
 *                                            shows it (\xNN, \\):
 *                                            lossless
 *                                          "exe": "...",
 *                                          "exe_truncated": bool,
 *                                          "uid": N,
 *                                          "superd": bool,
 *                                          "unit": "x.service" | null } ],
 *                            "holders": N },  processes holding it (owners
 *                                             lists the first 8)
 *         "advice": "..." | null      what to do (selfcheck_advice.c)
 *     } ]
 *   }
 * Sockets with an empty "owners" are held by no process: the kernel's own
 * (nfsd, WireGuard) or in flight in an SCM_RIGHTS message ("owner unknown").
 *   "undecided": [ { "proto": "udp", "address": "127.0.0.1",
 *                    "ports": N, "reason": "...", "error": "..." | null } ]
 *                  ports the probe was asked to decide and could not;
 *                  any entry makes the status at least WARNING
 *
 * Prometheus (metric names and labels are only ever added):
 *   superd_selfcheck_status                 0..3, the exit code
 *   superd_selfcheck_duration_seconds       how long the audit took
 *   superd_selfcheck_timestamp_seconds      when it ran (Unix time)
 *   superd_selfcheck_findings{finding}      findings per kind, every kind
 *   superd_selfcheck_finding{proto,address,port,finding,severity,service,
 *                            owner,pid} 1   one series per finding; owner
 *                                           names every holder's comm
 *                                           ("a,b", ",+N" beyond the
 *                                           first 8), pid their pids in
 *                                           the same order; owner
 *                                           "unknown" (held by no
 *                                           process), or "" (no socket)
 * An audit that could not run has status 3 and no findings.
 */
#include <net/if.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "selfcheck.h"

#define SELFCHECK_DEVLEN ESCAPE_SIZE(IF_NAMESIZE) /* an escaped device */
#define SELFCHECK_RESET "\033[0m"	/* the end of a colour */

/* The name of a status. */
const char *
selfcheck_status_name(enum selfcheck_status st)
{
	static const char *const names[] = { "OK", "WARNING", "CRITICAL",
		"UNKNOWN" };

	return (unsigned)st < 4 ? names[st] : "UNKNOWN";
}

/* The name of a probe state. */
static const char *
selfcheck_report_probe_name(int st)
{
	static const char *const names[] = { "unprobed", "closed", "open",
		"silent", "skipped", "open|filtered", "unknown", "filtered",
		"prohibited" };

	return st >= 0 && st <= SCP_PROHIBITED ? names[st] : "unprobed";
}

/* "table+probe", "table", "probe" or "-": what supports a finding. */
static const char *
selfcheck_report_evidence(int ev)
{
	static const char *const names[] = { "-", "table", "probe",
		"table+probe", "rules", "table+rules", "probe+rules",
		"table+probe+rules" };

	return names[ev & 7];
}

/*
 * The name of the device SK is bound to into BUF (SELFCHECK_DEVLEN bytes)
 * as ESC writes it, NULL if none.
 */
static const char *
selfcheck_report_dev(const struct selfcheck_sock *sk, char *buf,
    escape_fn *esc)
{
	char name[IF_NAMESIZE];

	if (sk == NULL || sk->sk_ifindex == 0)
		return NULL;
	if (if_indextoname(sk->sk_ifindex, name) == NULL)
		snprintf(name, sizeof(name), "%u", sk->sk_ifindex);
	return esc(buf, SELFCHECK_DEVLEN, name);
}

/* "tcp/ADDR/PORT/KIND": a finding's stable identity. */
char *
selfcheck_finding_key(const struct selfcheck_finding *f, char *buf,
    size_t len)
{
	char a[64];

	snprintf(buf, len, "%s/%s/%u/%s",
	    selfcheck_finding_proto(f),
	    selfcheck_ip_str(&f->fd_ip, a, sizeof(a)), f->fd_port,
	    selfcheck_kind_name(f->fd_kind));
	return buf;
}

/*
 * "[addr]:port" or "addr:port"; as ss(8) does, "addr%dev:port" when the
 * socket is bound to a device (a link-local address carries its own).
 */
static const char *
selfcheck_report_endpoint(const struct selfcheck_finding *f, char *buf,
    size_t len)
{
	char a[64], d[SELFCHECK_DEVLEN + 1] = "", dev[SELFCHECK_DEVLEN];

	selfcheck_ip_str(&f->fd_ip, a, sizeof(a));
	if (!selfcheck_ip_linklocal(&f->fd_ip) &&
	    selfcheck_report_dev(f->fd_sock, dev, escape_text) != NULL)
		snprintf(d, sizeof(d), "%%%s", dev);
	if (f->fd_ip.ip_family == AF_INET6)
		snprintf(buf, len, "[%s]%s:%u", a, d, f->fd_port);
	else
		snprintf(buf, len, "%s%s:%u", a, d, f->fd_port);
	return buf;
}

/*
 * "pid/comm(user)" of every holder of the socket, comma-separated ("+N"
 * for holders beyond SELFCHECK_MAXOWN), "unknown" when no process holds
 * it (a kernel socket, or one in flight over SCM_RIGHTS), "-" for none;
 * each holder in its text form, a comma in it as \x2c (escape_list).
 */
static const char *
selfcheck_report_owner(const struct selfcheck_sock *sk, char *buf, size_t len)
{
	char item[SELFCHECK_MAXOWN][sizeof(sk->sk_owners[0].ow_comm) + 64];
	const char *items[SELFCHECK_MAXOWN];
	const struct selfcheck_owner *ow;
	struct passwd *pw;
	char user[32], tail[16] = "";
	int i;

	if (sk == NULL)
		return "-";
	if (sk->sk_nowners == 0)
		return "unknown";
	for (i = 0; i < sk->sk_nowners; i++) {
		ow = &sk->sk_owners[i];
		if ((pw = getpwuid(ow->ow_uid)) != NULL)
			snprintf(user, sizeof(user), "%s", pw->pw_name);
		else
			snprintf(user, sizeof(user), "%u", (unsigned)ow->ow_uid);
		snprintf(item[i], sizeof(item[i]), "%d/%s(%s)", (int)ow->ow_pid,
		    ow->ow_comm, user);
		items[i] = item[i];
	}
	if (sk->sk_nholders > sk->sk_nowners)
		snprintf(tail, sizeof(tail), ",+%d",
		    sk->sk_nholders - sk->sk_nowners);
	return escape_list(buf, len, items, sk->sk_nowners, tail,
	    ESCAPE_FMT_TEXT);
}

/* One row of the table, the finding's kind in its severity's colour. */
static void
selfcheck_report_row(FILE *fp, const struct selfcheck_finding *f,
    const struct selfcheck_scope *sc)
{
	char ep[160], own[SELFCHECK_MAXOWN * ESCAPE_SIZE(64)], bind[64],
	    svc[ESCAPE_SIZE(256)];
	const char *col = selfcheck_colour(sc, f->fd_severity);

	fprintf(fp, "%-30s %-7s %-13s %s%-12s%s %-11s %-14s %s",
	    selfcheck_report_endpoint(f, ep, sizeof(ep)),
	    selfcheck_finding_proto(f),
	    selfcheck_report_probe_name(f->fd_probe), col,
	    selfcheck_kind_name(f->fd_kind), *col ? SELFCHECK_RESET : "",
	    selfcheck_report_evidence(f->fd_evidence),
	    f->fd_service ? escape_text(svc, sizeof(svc), f->fd_service) : "-",
	    sc != NULL && sc->sc_remote != NULL ? "unknown(remote)" :
	    selfcheck_report_owner(f->fd_sock, own, sizeof(own)));
	if (f->fd_sock != NULL && (f->fd_kind == SCK_WIDER ||
	    !selfcheck_ip_eq(&f->fd_sock->sk_ip, &f->fd_ip)))
		fprintf(fp, " bound=%s", selfcheck_ip_str(&f->fd_sock->sk_ip,
		    bind, sizeof(bind)));
	if (f->fd_sock != NULL && f->fd_sock->sk_mapped)
		fprintf(fp, " bound=[::ffff:%s]", selfcheck_ip_str(
		    &f->fd_sock->sk_ip, bind, sizeof(bind)));
	if (f->fd_nholders > 1)
		fprintf(fp, " holders=%d", f->fd_nholders);
	selfcheck_fw_text(fp, f);
	fputc('\n', fp);
}

/*
 * " PROTO P1,P2-P3" of the ports of ST in PB's range that are
 * SCP_PROHIBITED, as ranges (the first 16, then "+N more"); nothing when
 * there is none.
 */
static void
selfcheck_report_ranges(FILE *fp, const struct selfcheck_probe *pb,
    const uint8_t *st, const char *proto)
{
	int port, end, n = 0, more = 0;

	for (port = pb->pb_lo; st != NULL && port <= pb->pb_hi; port = end + 1) {
		end = port;
		if (st[port] != SCP_PROHIBITED)
			continue;
		while (end < pb->pb_hi && st[end + 1] == SCP_PROHIBITED)
			end++;
		if (n++ >= 16) {
			more += end - port + 1;
			continue;
		}
		fprintf(fp, "%s%d", n == 1 ? proto : ",", port);
		if (end > port)
			fprintf(fp, "-%d", end);
	}
	if (more > 0)
		fprintf(fp, ",+%d more", more);
}

/*
 * One line per address whose firewall rejected ports with ICMP
 * administratively prohibited (remote audit): filtered, as nmap says.
 */
static void
selfcheck_report_prohibited(FILE *fp, const struct selfcheck_probe *pb)
{
	const struct selfcheck_probed *pr;
	char a[64];
	size_t i;
	int port, any;

	for (i = 0; pb != NULL && i < pb->pb_n; i++) {
		pr = &pb->pb_v[i];
		for (port = pb->pb_lo, any = 0; port <= pb->pb_hi; port++)
			any |= (pr->pr_state != NULL &&
			    pr->pr_state[port] == SCP_PROHIBITED) ||
			    (pr->pr_udp != NULL &&
			    pr->pr_udp[port] == SCP_PROHIBITED);
		if (!any)
			continue;
		fprintf(fp, "FILTERED %s:", selfcheck_ip_str(&pr->pr_ip, a,
		    sizeof(a)));
		selfcheck_report_ranges(fp, pb, pr->pr_state, " tcp ");
		selfcheck_report_ranges(fp, pb, pr->pr_udp, " udp ");
		fputs(" rejected by the target's firewall (ICMP "
		    "administratively prohibited): reachable by nobody from "
		    "here\n", fp);
	}
}

/*
 * The summary (monitoring-plugin style): status, findings per kind and
 * whether the probe covered every port, then the performance data.
 */
static void
selfcheck_report_summary(FILE *fp, const struct selfcheck_result *rs,
    const struct selfcheck_probe *pb, const struct selfcheck_socks *socks,
    const char *coverage, const struct selfcheck_scope *sc)
{
	const char *col = selfcheck_colour(sc, rs->rs_status);
	int k, n = 0;

	fprintf(fp, "SELFCHECK %s%s%s -", col,
	    selfcheck_status_name(rs->rs_status), *col ? SELFCHECK_RESET : "");
	for (k = 0; k < SCK_COUNT; k++)
		if (rs->rs_count[k] > 0)
			fprintf(fp, "%s %d %s", n++ ? "," : "", rs->rs_count[k],
			    selfcheck_kind_name(k));
	fputs(n ? "" : " nothing declared or listening", fp);
	fprintf(fp, "; coverage %s", coverage);
	selfcheck_undecided_text(fp, rs);
	fprintf(fp, " | kernel=%s sockets=%zu probe=%s udp=%s%s "
	    "addresses=%zu\n", socks->ss_source ? socks->ss_source : "-",
	    socks->ss_n,
	    pb && pb->pb_mode ? pb->pb_mode : "none",
	    pb && pb->pb_udp_mode ? pb->pb_udp_mode : "none",
	    pb && pb->pb_udp_mode && strcmp(pb->pb_udp_mode, "none") != 0 ?
	    (pb->pb_udp_complete ? "/complete" : "/incomplete") : "",
	    pb != NULL && pb->pb_n > 0 ? pb->pb_n : sc != NULL ? sc->sc_naddr :
	    0);
}

/*
 * The human report: what was audited (with SC, which may be NULL), one
 * row per finding with a line of advice under it, what the probe left
 * undecided, and the summary.
 */
void
selfcheck_report_text(FILE *fp, const struct selfcheck_result *rs,
    const struct selfcheck_probe *pb, const struct selfcheck_socks *socks,
    const struct selfcheck_scope *sc)
{
	char adv[SELFCHECK_ADVICE_LEN], cov[128];
	size_t i;

	if (sc != NULL)
		selfcheck_scope_text(fp, sc);
	selfcheck_kernel_text(fp, socks);
	selfcheck_equiv_text(fp, pb);
	fprintf(fp, "%-30s %-7s %-13s %-12s %-11s %-14s %s\n", "ENDPOINT",
	    "PROTO", "PROBE", "FINDING", "EVIDENCE", "SERVICE", "OWNER");
	for (i = 0; i < rs->rs_n; i++) {
		selfcheck_report_row(fp, &rs->rs_v[i], sc);
		if (selfcheck_advice(&rs->rs_v[i], socks, sc, escape_text, adv,
		    sizeof(adv)) != NULL)
			fprintf(fp, "  advice: %s\n", adv);
		if (rs->rs_v[i].fd_kind != SCK_OK)
			selfcheck_owner_text(fp, rs->rs_v[i].fd_sock);
	}
	selfcheck_report_prohibited(fp, pb);
	if (!selfcheck_coverage(rs, pb, sc, cov, sizeof(cov), adv,
	    sizeof(adv)))
		fprintf(fp, "COVERAGE %s\n  advice: %s\n", cov, adv);
	selfcheck_report_summary(fp, rs, pb, socks, cov, sc);
}

/*
 * The JSON object of an owner: its command and executable path as valid
 * UTF-8 (escape_json), so an owner is never dropped for its name.
 */
static json_t *
selfcheck_report_json_owner(const struct selfcheck_owner *ow)
{
	char comm[ESCAPE_SIZE(sizeof(ow->ow_comm))];
	char text[ESCAPE_SIZE(sizeof(ow->ow_comm))];
	char exe[ESCAPE_SIZE(sizeof(ow->ow_exe))];
	char unit[ESCAPE_SIZE(sizeof(ow->ow_unit))];

	json_t *o = json_pack("{s:i,s:s,s:s,s:s,s:b,s:I,s:b,s:o}", "pid",
	    (int)ow->ow_pid, "comm", escape_json(comm, sizeof(comm),
	    ow->ow_comm), "comm_text", escape_text(text, sizeof(text),
	    ow->ow_comm), "exe", escape_json(exe, sizeof(exe), ow->ow_exe),
	    "exe_truncated", ow->ow_exe_cut, "uid", (json_int_t)ow->ow_uid,
	    "superd", ow->ow_superd, "unit", ow->ow_unit[0] ?
	    json_string(escape_json(unit, sizeof(unit), ow->ow_unit)) :
	    json_null());

	if (o != NULL)
		selfcheck_owner_json(o, ow);
	return o;
}

/* The JSON object of a socket. */
static json_t *
selfcheck_report_json_sock(const struct selfcheck_sock *sk)
{
	json_t *o, *owners = json_array();
	char a[64], dev[SELFCHECK_DEVLEN];
	int i;

	for (i = 0; i < sk->sk_nowners; i++)
		json_array_append_new(owners,
		    selfcheck_report_json_owner(&sk->sk_owners[i]));
	o = json_pack("{s:s,s:o,s:I,s:o,s:I,s:I,s:o,s:i}", "bind",
	    selfcheck_ip_str(&sk->sk_ip, a, sizeof(a)), "v6only",
	    sk->sk_v6only < 0 ? json_null() : json_boolean(sk->sk_v6only),
	    "ifindex", (json_int_t)sk->sk_ifindex, "device",
	    selfcheck_report_dev(sk, dev, escape_json) ? json_string(dev) :
	    json_null(), "uid",
	    (json_int_t)sk->sk_uid, "inode", (json_int_t)sk->sk_inode,
	    "owners", owners, "holders", sk->sk_nholders);
	json_object_set_new(o, "v4mapped", json_boolean(sk->sk_mapped));
	return o;
}

/* The JSON object of a finding, with its advice (null: nothing to do). */
static json_t *
selfcheck_report_json_finding(const struct selfcheck_finding *f,
    const struct selfcheck_socks *socks, const struct selfcheck_scope *sc)
{
	char key[128], a[64], svc[ESCAPE_SIZE(256)], adv[SELFCHECK_ADVICE_LEN];
	json_t *ev = json_array();
	json_t *o;

	if (f->fd_evidence & SCE_TABLE)
		json_array_append_new(ev, json_string("table"));
	if (f->fd_evidence & SCE_PROBE)
		json_array_append_new(ev, json_string("probe"));
	if (f->fd_evidence & SCE_RULES)
		json_array_append_new(ev, json_string("rules"));
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:s,s:o,s:i,s:o,s:o}",
	    "id", selfcheck_finding_key(f, key, sizeof(key)),
	    "kind", selfcheck_kind_name(f->fd_kind),
	    "severity", selfcheck_status_name(f->fd_severity),
	    "proto", selfcheck_finding_proto(f),
	    "address", selfcheck_ip_str(&f->fd_ip, a, sizeof(a)),
	    "port", f->fd_port,
	    "service", f->fd_service ? json_string(escape_json(svc,
	    sizeof(svc), f->fd_service)) : json_null(),
	    "probe", selfcheck_report_probe_name(f->fd_probe),
	    "evidence", ev,
	    "holders", f->fd_nholders,
	    "socket", f->fd_sock ? selfcheck_report_json_sock(f->fd_sock) :
	    json_null(),
	    "advice", selfcheck_advice(f, socks, sc, escape_json, adv,
	    sizeof(adv)) ? json_string(adv) : json_null());
	if (o != NULL)
		selfcheck_fw_json(o, f);
	return o;
}

/*
 * What was audited (SC, may be NULL: nulls and empty lists) and whether
 * the probe decided every port, with what to do when it did not.
 */
static json_t *
selfcheck_report_json_scope(const struct selfcheck_scope *sc,
    const struct selfcheck_result *rs, const struct selfcheck_probe *pb,
    json_t **coverage)
{
	const struct selfcheck_opts *op = sc ? sc->sc_opts : NULL;
	char conf[ESCAPE_SIZE(256)], rem[ESCAPE_SIZE(512)], a[64], cov[128],
	    adv[1024];
	json_t *addrs = json_array(), *protos = json_array();
	int complete;
	size_t i;

	for (i = 0; sc != NULL && i < sc->sc_naddr; i++)
		json_array_append_new(addrs, json_string(selfcheck_ip_str(
		    &sc->sc_addrs[i], a, sizeof(a))));
	if (op != NULL && op->so_tcp)
		json_array_append_new(protos, json_string("tcp"));
	if (op != NULL && op->so_udp)
		json_array_append_new(protos, json_string("udp"));
	complete = selfcheck_coverage(rs, pb, sc, cov, sizeof(cov), adv,
	    sizeof(adv));
	*coverage = json_pack("{s:b,s:s,s:o}", "complete", complete, "summary",
	    cov, "advice", complete ? json_null() : json_string(adv));
	return json_pack("{s:o,s:o,s:I,s:o,s:o,s:[i,i],s:o}", "config",
	    sc && sc->sc_conf ? json_string(escape_json(conf, sizeof(conf),
	    sc->sc_conf)) : json_null(), "config_origin",
	    sc && sc->sc_origin ? json_string(sc->sc_origin) : json_null(),
	    "declared",
	    (json_int_t)(sc ? sc->sc_ndecl : 0), "protocols", protos,
	    "addresses", addrs, "ports", op ? op->so_lo : 0,
	    op ? op->so_hi : 0, "remote", sc && sc->sc_remote ?
	    json_string(escape_json(rem, sizeof(rem), sc->sc_remote)) :
	    json_null());
}

/* The UDP part of the probe section. */
static json_t *
selfcheck_report_json_udp(const struct selfcheck_probe *pb)
{
	static const int listed[] = { SCP_OPEN, SCP_OPENFILTERED,
		SCP_SKIPPED, SCP_PROHIBITED };
	json_t *addrs = json_array(), *lists[4];
	char a[64];
	size_t i;
	int port, k, closed, unknown;

	for (i = 0; pb != NULL && i < pb->pb_n; i++) {
		const struct selfcheck_probed *pr = &pb->pb_v[i];

		if (pr->pr_udp == NULL)
			continue;
		closed = unknown = 0;
		for (k = 0; k < 4; k++)
			lists[k] = json_array();
		for (port = pb->pb_lo; port <= pb->pb_hi; port++) {
			closed += pr->pr_udp[port] == SCP_CLOSED;
			unknown += pr->pr_udp[port] == SCP_UNKNOWN;
			for (k = 0; k < 4; k++)
				if (pr->pr_udp[port] == listed[k])
					json_array_append_new(lists[k],
					    json_integer(port));
		}
		json_array_append_new(addrs, json_pack(
		    "{s:s,s:o,s:o,s:o,s:o,s:i,s:i,s:b,s:b}", "address",
		    selfcheck_ip_str(&pr->pr_ip, a, sizeof(a)), "open", lists[0],
		    "open|filtered", lists[1], "skipped", lists[2],
		    "prohibited", lists[3], "closed", closed, "unknown", unknown,
		    "filtered", pr->pr_udp_filtered, "paced", pr->pr_udp_paced));
	}
	return json_pack("{s:s,s:i,s:i,s:b,s:o}", "mode",
	    pb && pb->pb_udp_mode ? pb->pb_udp_mode : "none", "deadline_ms",
	    pb ? pb->pb_udp_deadline : 0, "elapsed_ms", pb ? pb->pb_udp_ms : 0,
	    "complete", pb ? pb->pb_udp_complete : 0, "addresses", addrs);
}

/* The probe section: mode, range and the open ports of each address. */
static json_t *
selfcheck_report_json_probe(const struct selfcheck_probe *pb)
{
	static const int listed[] = { SCP_OPEN, SCP_SKIPPED, SCP_PROHIBITED };
	json_t *addrs = json_array(), *lists[3];
	char a[64];
	size_t i;
	int port, k;

	for (i = 0; pb != NULL && i < pb->pb_n; i++) {
		for (k = 0; k < 3; k++)
			lists[k] = json_array();
		for (port = pb->pb_lo; port <= pb->pb_hi; port++)
			for (k = 0; k < 3; k++)
				if (pb->pb_v[i].pr_state[port] == listed[k])
					json_array_append_new(lists[k],
					    json_integer(port));
		json_array_append_new(addrs, json_pack("{s:s,s:o,s:o,s:o}",
		    "address", selfcheck_ip_str(&pb->pb_v[i].pr_ip, a,
		    sizeof(a)), "open", lists[0], "skipped", lists[1],
		    "prohibited", lists[2]));
	}
	return json_pack("{s:s,s:[i,i],s:o,s:o}", "mode",
	    pb && pb->pb_mode ? pb->pb_mode : "none", "ports",
	    pb ? pb->pb_lo : 0, pb ? pb->pb_hi : 0, "addresses", addrs,
	    "udp", selfcheck_report_json_udp(pb));
}

/*
 * The whole report as a JSON text (caller frees), NULL on failure; SC
 * (may be NULL) says what was audited.
 */
char *
selfcheck_report_json(const struct selfcheck_result *rs,
    const struct selfcheck_probe *pb, const struct selfcheck_socks *socks,
    const struct selfcheck_scope *sc)
{
	json_t *root, *sum = json_object(), *list = json_array(), *cov;
	json_t *audited = selfcheck_report_json_scope(sc, rs, pb, &cov);
	char *out;
	size_t i;
	int k;

	for (k = 0; k < SCK_COUNT; k++)
		json_object_set_new(sum, selfcheck_kind_name(k),
		    json_integer(rs->rs_count[k]));
	for (i = 0; i < rs->rs_n; i++)
		json_array_append_new(list, selfcheck_report_json_finding(
		    &rs->rs_v[i], socks, sc));
	root = json_pack("{s:s,s:s,s:i,s:o,s:o,s:{s:s,s:I},s:o,s:o,s:o}",
	    "schema", SELFCHECK_SCHEMA,
	    "status", selfcheck_status_name(rs->rs_status),
	    "exit", (int)rs->rs_status,
	    "audited", audited,
	    "summary", sum,
	    "kernel", "source", socks->ss_source ? socks->ss_source : "-",
	    "sockets", (json_int_t)socks->ss_n,
	    "probe", selfcheck_report_json_probe(pb),
	    "coverage", cov,
	    "findings", list);
	if (root == NULL)
		return NULL;
	json_object_set_new(root, "undecided", selfcheck_undecided_json(rs));
	json_object_set_new(json_object_get(root, "kernel"), "families",
	    selfcheck_kernel_json(socks));
	json_object_set_new(root, "equivalence", selfcheck_equiv_json(pb));
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return out;
}

/*
 * Write S as a label value: the text form of S with backslash and double
 * quote escaped (escape_prom), so it is valid UTF-8 on one line.
 */
static void
selfcheck_prom_label(FILE *fp, const char *name, const char *s, int comma)
{
	char v[ESCAPE_SIZE(SELFCHECK_MAXOWN * 34)];

	fprintf(fp, "%s%s=\"%s\"", comma ? "," : "", name,
	    escape_prom(v, sizeof(v), s));
}

/* The HELP and TYPE lines of a gauge. */
static void
selfcheck_prom_head(FILE *fp, const char *name, const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* One superd_selfcheck_finding series. */
static void
selfcheck_prom_finding(FILE *fp, const struct selfcheck_finding *f)
{
	char a[64], owner[SELFCHECK_MAXOWN * ESCAPE_SIZE(34)],
	    pids[SELFCHECK_MAXOWN * 12];

	selfcheck_holders_list(f->fd_sock, 0, owner, sizeof(owner));
	selfcheck_holders_list(f->fd_sock, 1, pids, sizeof(pids));
	fputs("superd_selfcheck_finding{", fp);
	selfcheck_prom_label(fp, "proto", selfcheck_finding_proto(f), 0);
	selfcheck_prom_label(fp, "address",
	    selfcheck_ip_str(&f->fd_ip, a, sizeof(a)), 1);
	snprintf(a, sizeof(a), "%u", f->fd_port);
	selfcheck_prom_label(fp, "port", a, 1);
	selfcheck_prom_label(fp, "finding", selfcheck_kind_name(f->fd_kind), 1);
	selfcheck_prom_label(fp, "severity",
	    selfcheck_status_name(f->fd_severity), 1);
	selfcheck_prom_label(fp, "service", f->fd_service ? f->fd_service : "",
	    1);
	/* Already in the exposition's form: escape_list, each comm apart. */
	fprintf(fp, ",owner=\"%s\"", owner);
	selfcheck_prom_label(fp, "pid", pids, 1);
	fputs("} 1\n", fp);
}

/*
 * The Prometheus text exposition of RS (NULL: the audit could not run,
 * status 3), measured to have taken DURATION seconds, run at TIMESTAMP
 * (Unix time).  No sample carries a timestamp: the textfile collector
 * refuses them.
 */
void
selfcheck_report_prom(FILE *fp, const struct selfcheck_result *rs,
    double duration, double timestamp)
{
	size_t i;
	int k;

	selfcheck_prom_head(fp, "superd_selfcheck_status", "Result of the "
	    "last superd --selfcheck: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN "
	    "(the audit could not run).");
	fprintf(fp, "superd_selfcheck_status %d\n",
	    rs ? (int)rs->rs_status : SELFCHECK_UNKNOWN);
	selfcheck_prom_head(fp, "superd_selfcheck_duration_seconds",
	    "How long the last audit took.");
	fprintf(fp, "superd_selfcheck_duration_seconds %.3f\n", duration);
	selfcheck_prom_head(fp, "superd_selfcheck_timestamp_seconds",
	    "When the last audit ran, in seconds since the Epoch.");
	fprintf(fp, "superd_selfcheck_timestamp_seconds %.3f\n", timestamp);
	if (rs == NULL)
		return;
	selfcheck_prom_head(fp, "superd_selfcheck_findings",
	    "Findings of the last audit per kind.");
	for (k = 0; k < SCK_COUNT; k++) {
		fputs("superd_selfcheck_findings{", fp);
		selfcheck_prom_label(fp, "finding", selfcheck_kind_name(k), 0);
		fprintf(fp, "} %d\n", rs->rs_count[k]);
	}
	selfcheck_prom_head(fp, "superd_selfcheck_finding",
	    "One series per finding of the last audit: endpoint, kind, "
	    "severity, declared service and every holder of the socket.");
	for (i = 0; i < rs->rs_n; i++)
		selfcheck_prom_finding(fp, &rs->rs_v[i]);
}
