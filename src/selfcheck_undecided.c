/* SPDX-License-Identifier: ISC */
/*
 * Undecided ports: what the probe was asked to decide and could not (a
 * UDP port without an answer when the deadline came, a send that failed,
 * a filtered address, a TCP port that never answered).  The audit never
 * says OK over them: each address with undecided ports is listed with how
 * many and why, in the text summary and in JSON, and the status is at
 * least WARNING.  Ports a --proto or --ports option excluded are not
 * undecided: they were not asked.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "selfcheck.h"

/* The words of a reason, as the report spells it. */
static const char *
selfcheck_undecided_name(int reason)
{
	static const char *const names[] = {
		[SCU_SOCKET] = "no probe socket",
		[SCU_SEND] = "send failed",
		[SCU_FILTERED] = "filtered",
		[SCU_RATELIMIT] = "ICMP rate limit, deadline reached",
		[SCU_NOANSWER] = "no answer",
		[SCU_TABLE] = "the kernel's table of it is unreadable",
	};

	return reason >= 0 && reason <= SCU_TABLE ? names[reason] : "?";
}

/*
 * Append one entry to RS: PORTS ports of PROTO on IP (family 0: every
 * address) undecided for REASON (SCU_*, errno ERR); -1 out of memory.
 */
int
selfcheck_undecided_add(struct selfcheck_result *rs, int proto,
    const struct selfcheck_ip *ip, int ports, int reason, int err)
{
	struct selfcheck_undecided *v, *u;

	v = realloc(rs->rs_undec, (rs->rs_nundec + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	rs->rs_undec = v;
	u = &v[rs->rs_nundec++];
	u->un_proto = proto;
	u->un_ip = *ip;
	u->un_ports = ports;
	u->un_reason = reason;
	u->un_errno = err;
	if (rs->rs_status < SELFCHECK_WARNING)
		rs->rs_status = SELFCHECK_WARNING;
	return 0;
}

/* The UDP entry of PR, if it has undecided ports. */
static int
selfcheck_undecided_udp(const struct selfcheck_probe *pb,
    const struct selfcheck_probed *pr, struct selfcheck_result *rs)
{
	int port, n = 0, reason;

	if (pr->pr_udp == NULL)
		return 0;
	for (port = pb->pb_lo; port <= pb->pb_hi; port++)
		n += pr->pr_udp[port] == SCP_UNKNOWN;
	if (n == 0)
		return 0;
	if (pr->pr_udp_errno != 0 && pr->pr_udp_nerr == 0)
		reason = SCU_SOCKET;
	else if (pr->pr_udp_nerr > 0)
		reason = SCU_SEND;
	else if (pr->pr_udp_filtered)
		reason = SCU_FILTERED;
	else if (pr->pr_udp_paced)
		reason = SCU_RATELIMIT;
	else
		reason = SCU_NOANSWER;
	return selfcheck_undecided_add(rs, IPPROTO_UDP, &pr->pr_ip, n, reason,
	    pr->pr_udp_errno);
}

/*
 * Record in RS every address of PB (may be NULL) with undecided ports and
 * raise RS's status to WARNING if there is one.  OP is unused for now:
 * the probe only holds what OP asked for.
 */
int
selfcheck_undecided(const struct selfcheck_probe *pb,
    const struct selfcheck_opts *op, struct selfcheck_result *rs)
{
	size_t i;
	int port, n;

	(void)op;
	for (i = 0; pb != NULL && i < pb->pb_n; i++) {
		const struct selfcheck_probed *pr = &pb->pb_v[i];

		for (port = pb->pb_lo, n = 0; pr->pr_state != NULL &&
		    port <= pb->pb_hi; port++)
			n += pr->pr_state[port] == SCP_SILENT ||
			    (pr->pr_tcp_errno != 0 &&
			    pr->pr_state[port] == SCP_UNPROBED);
		if (n > 0 && selfcheck_undecided_add(rs, IPPROTO_TCP,
		    &pr->pr_ip, n, pr->pr_tcp_errno ? SCU_SOCKET :
		    SCU_NOANSWER, pr->pr_tcp_errno) == -1)
			return -1;
		if (selfcheck_undecided_udp(pb, pr, rs) == -1)
			return -1;
	}
	return 0;
}

/* The text of the address of U: "every address" for a whole protocol. */
static const char *
selfcheck_undecided_addr(const struct selfcheck_undecided *u, char *a,
    size_t len)
{
	if (u->un_ip.ip_family == 0)
		return "every address";
	return selfcheck_ip_str(&u->un_ip, a, len);
}

/* "; undecided: udp 127.0.0.1 63033 (why), ..." for the summary line. */
void
selfcheck_undecided_text(FILE *fp, const struct selfcheck_result *rs)
{
	char a[64];
	size_t i;

	for (i = 0; i < rs->rs_nundec; i++) {
		const struct selfcheck_undecided *u = &rs->rs_undec[i];

		fprintf(fp, "%s %s %s %d port%s undecided (%s%s%s)",
		    i == 0 ? ";" : ",", selfcheck_proto_name(u->un_proto),
		    selfcheck_undecided_addr(u, a, sizeof(a)),
		    u->un_ports, u->un_ports == 1 ? "" : "s",
		    selfcheck_undecided_name(u->un_reason),
		    u->un_errno ? ": " : "",
		    u->un_errno ? strerror(u->un_errno) : "");
	}
}

/* The JSON array of the undecided entries. */
json_t *
selfcheck_undecided_json(const struct selfcheck_result *rs)
{
	json_t *v = json_array();
	char a[64];
	size_t i;

	for (i = 0; i < rs->rs_nundec; i++) {
		const struct selfcheck_undecided *u = &rs->rs_undec[i];

		json_array_append_new(v, json_pack("{s:s,s:s,s:i,s:s,s:o}",
		    "proto", selfcheck_proto_name(u->un_proto),
		    "address", selfcheck_undecided_addr(u, a, sizeof(a)),
		    "ports", u->un_ports,
		    "reason", selfcheck_undecided_name(u->un_reason),
		    "error", u->un_errno ? json_string(strerror(u->un_errno)) :
		    json_null()));
	}
	return v;
}
