/* SPDX-License-Identifier: ISC */
/*
 * Access policy, the vocabulary below the serving files: the names of the
 * refusal reasons, v4-mapped peers made IPv4, access lists and access
 * times.  accept.c, the UDP builtins, refuse.c and spawn.c use it; it
 * calls none of them.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <string.h>
#include <time.h>

#include "superd.h"

static const char *const access_reasons[REFUSE_COUNT] = {
	[REFUSE_ACL] = "access-list",
	[REFUSE_TIME] = "access-times",
	[REFUSE_INSTANCES] = "instances",
	[REFUSE_GLOBAL] = "global-instances",
	[REFUSE_PER_SOURCE] = "per-source",
	[REFUSE_PER_IP_RATE] = "per-source-rate",
	[REFUSE_CPS] = "cps",
	[REFUSE_FORK] = "fork",
	[REFUSE_REFLECT] = "reflector-guard",
	[REFUSE_WRAP] = "tcp-wrappers",
	[REFUSE_SHARE] = "fair-share",
	[REFUSE_FDS] = "descriptor-reserve",
	[REFUSE_NOFD] = "no-descriptors",
};

/* The name of a refusal reason, as logged and counted. */
const char *
access_reason_name(enum refuse_reason r)
{
	return r < REFUSE_COUNT ? access_reasons[r] : "unknown";
}

/* Turn a v4-mapped IPv6 peer into the IPv4 address it is. */
void
access_normalize(struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in sin;

	if (ss->ss_family != AF_INET6 ||
	    !IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
		return;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = sin6->sin6_port;
	memcpy(&sin.sin_addr, &sin6->sin6_addr.s6_addr[12], 4);
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, &sin, sizeof(sin));
}

/* The longest prefix of ACL that matches PEER, or -1. */
static int
access_acl_match(const struct acl *acl, const struct sockaddr_storage *peer)
{
	const uint8_t *a;
	int best = -1, len;
	size_t i;

	if (peer->ss_family == AF_INET) {
		a = (const uint8_t *)&((const struct sockaddr_in
		    *)peer)->sin_addr;
		len = 4;
	} else {
		a = ((const struct sockaddr_in6 *)peer)->sin6_addr.s6_addr;
		len = 16;
	}
	for (i = 0; i < acl->acl_n; i++) {
		const struct acl_entry *e = &acl->acl_entries[i];
		int bits = e->ae_prefix, k;

		if (e->ae_family != peer->ss_family)
			continue;
		for (k = 0; k < len && bits > 0; k++, bits -= 8) {
			uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 -
			    bits));

			if ((a[k] & m) != e->ae_addr[k])
				break;
		}
		if ((k == len || bits <= 0) && e->ae_prefix > best)
			best = e->ae_prefix;
	}
	return best;
}

/*
 * Whether the (normalized) PEER may use SV: only_from, when set, must match;
 * no_access refuses unless only_from matches more specifically (xinetd).
 */
int
access_check_acl(const struct service *sv, const struct sockaddr_storage *peer)
{
	int allow = -1, deny;

	if (sv->sv_conf->sc_rare->sc_only_from.acl_n > 0) {
		allow = access_acl_match(&sv->sv_conf->sc_rare->sc_only_from, peer);
		if (allow < 0)
			return 0;
	}
	deny = access_acl_match(&sv->sv_conf->sc_rare->sc_no_access, peer);
	return deny < 0 || allow > deny;
}

/* Whether NOW falls in one of the access_times ranges of SV. */
int
access_check_time(const struct service *sv, time_t now)
{
	struct tm tm;
	int i, m;

	if (sv->sv_conf->sc_rare->sc_ntimes == 0)
		return 1;
	if (localtime_r(&now, &tm) == NULL)
		return 0;
	m = tm.tm_hour * 60 + tm.tm_min;
	for (i = 0; i < sv->sv_conf->sc_rare->sc_ntimes; i++) {
		const struct time_range *r = &sv->sv_conf->sc_rare->sc_times[i];

		if (r->tr_start <= r->tr_end ? m >= r->tr_start && m <=
		    r->tr_end : m >= r->tr_start || m <= r->tr_end)
			return 1;
	}
	return 0;
}
