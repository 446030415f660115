/* SPDX-License-Identifier: ISC */
/*
 * The port plan of one probed address: what the table, the declarations
 * and the ruleset say about each of its 65536 ports of one protocol,
 * computed once per address (one pass over the sockets, one over the
 * declarations, one walk of the NAT rules) rather than asked per port.
 * The sweeps read it to know which ports they must leave alone (a socket
 * of superd, a declared endpoint, a port a NAT rule maps) and which ones
 * a socket holds.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "selfcheck.h"

/* Mark the ports of PROTO on IP that a socket of SOCKS reaches in PLAN. */
static void
selfcheck_plan_socks(uint8_t *plan, int proto, const struct selfcheck_ip *ip,
    const struct selfcheck_socks *socks)
{
	size_t s;
	int i;

	for (s = 0; socks != NULL && s < socks->ss_n; s++) {
		const struct selfcheck_sock *sk = &socks->ss_v[s];

		if (sk->sk_proto != proto || !selfcheck_sock_reaches(sk, ip))
			continue;
		plan[sk->sk_port] |= SCPL_BOUND;
		/*
		 * Only the UDP sweep needs superd's own sockets (a datagram
		 * could start a wait service); the half-open TCP sweep runs
		 * while the owners are being read (selfcheck.c), so it must
		 * not look at them.
		 */
		for (i = 0; proto == IPPROTO_UDP && i < sk->sk_nowners; i++)
			if (sk->sk_owners[i].ow_superd)
				plan[sk->sk_port] |= SCPL_OURS;
	}
}

/* Mark the ports of PROTO on IP that a declaration of DECLS covers. */
static void
selfcheck_plan_decls(uint8_t *plan, int proto, const struct selfcheck_ip *ip,
    const struct selfcheck_decl *decls, size_t ndecl)
{
	struct selfcheck_sock decl;
	size_t s;

	for (s = 0; s < ndecl; s++) {
		if (decls[s].dc_proto != proto)
			continue;
		memset(&decl, 0, sizeof(decl));
		decl.sk_ip = decls[s].dc_ip;
		decl.sk_v6only = decls[s].dc_v6only;
		if (selfcheck_sock_reaches(&decl, ip))
			plan[decls[s].dc_port] |= SCPL_DECL;
	}
}

/*
 * The plan of PROTO on IP (65536 bytes of SCPL_* bits, one a port): the
 * sockets of SOCKS that reach it (and, for UDP, whether superd holds one:
 * the owners must be read by then), the
 * declarations of DECLS (NDECL) that cover it, the ports a NAT rule of FW
 * (may be NULL) maps in the output and prerouting hooks.  NULL when out
 * of memory; free() it.
 */
uint8_t *
selfcheck_plan_make(int proto, const struct selfcheck_ip *ip,
    const struct selfcheck_socks *socks, const struct selfcheck_decl *decls,
    size_t ndecl, const struct selfcheck_fw *fw)
{
	uint8_t *plan = calloc(65536, 1);

	if (plan == NULL)
		return NULL;
	selfcheck_plan_socks(plan, proto, ip, socks);
	selfcheck_plan_decls(plan, proto, ip, decls, ndecl);
	selfcheck_fw_map_ports(fw, "output", proto, ip, plan, SCPL_OUTNAT);
	selfcheck_fw_map_ports(fw, "prerouting", proto, ip, plan, SCPL_PRENAT);
	return plan;
}
