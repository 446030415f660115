/* SPDX-License-Identifier: ISC */
/*
 * The audit's list of findings (struct selfcheck_result): append, order.
 * Shared by the diff, the firewall verdicts and the raw-socket reader; it
 * calls none of them.
 */
#include <stdlib.h>
#include <string.h>

#include "selfcheck.h"

/* Append a finding to RS; NULL when out of memory. */
struct selfcheck_finding *
selfcheck_finding_add(struct selfcheck_result *rs, enum selfcheck_kind kind,
    enum selfcheck_status sev, int proto, const struct selfcheck_ip *ip,
    int port)
{
	struct selfcheck_finding *f;

	if (rs->rs_n == rs->rs_max) {
		size_t nmax = rs->rs_max ? rs->rs_max * 2 : 32;

		if ((f = realloc(rs->rs_v, nmax * sizeof(*f))) == NULL)
			return NULL;
		rs->rs_v = f;
		rs->rs_max = nmax;
	}
	f = &rs->rs_v[rs->rs_n++];
	memset(f, 0, sizeof(*f));
	f->fd_kind = kind;
	f->fd_severity = sev;
	f->fd_proto = proto;
	f->fd_ip = *ip;
	f->fd_port = (uint16_t)port;
	rs->rs_count[kind]++;
	if (sev > rs->rs_status)
		rs->rs_status = sev;
	return f;
}

/* Order findings: protocol, address, port, kind. */
int
selfcheck_finding_cmp(const void *a, const void *b)
{
	const struct selfcheck_finding *x = a, *y = b;
	int c;

	if (x->fd_proto != y->fd_proto)
		return x->fd_proto < y->fd_proto ? -1 : 1;
	if ((c = selfcheck_ip_cmp(&x->fd_ip, &y->fd_ip)) != 0)
		return c;
	if (x->fd_port != y->fd_port)
		return x->fd_port < y->fd_port ? -1 : 1;
	return (int)x->fd_kind - (int)y->fd_kind;
}
