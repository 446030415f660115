/* SPDX-License-Identifier: ISC */
/*
 * The per-source table of a service: live connections and the per-minute
 * count of each client.  IPv4 is counted per address, IPv6 per prefix
 * (sv_v6_prefix, default /64), v4-mapped IPv6 as IPv4.  accept checks it,
 * reap_add takes an entry and reap_remove releases it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "superd.h"

#define SOURCE_TABLE_MAX 65536 /* entries a service may track at once */

/* The accounting key of PEER: the address masked to the service's prefix. */
void
source_key(const struct service *sv, const struct sockaddr_storage *peer,
    struct source *key)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)peer;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)peer;
	int bits, i;

	memset(key, 0, sizeof(*key));
	if (peer->ss_family == AF_INET) {
		key->so_family = AF_INET;
		memcpy(key->so_key, &sin->sin_addr, 4);
		return;
	}
	if (peer->ss_family != AF_INET6)
		return;
	if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		key->so_family = AF_INET;
		memcpy(key->so_key, &sin6->sin6_addr.s6_addr[12], 4);
		return;
	}
	key->so_family = AF_INET6;
	memcpy(key->so_key, &sin6->sin6_addr, 16);
	bits = sv->sv_v6_prefix > 0 && sv->sv_v6_prefix <= 128 ?
	    sv->sv_v6_prefix : DEF_V6_PREFIX;
	for (i = 0; i < 16; i++, bits -= 8) {
		if (bits >= 8)
			continue;
		key->so_key[i] &= bits > 0 ? (uint8_t)(0xff << (8 - bits)) : 0;
	}
}

/* The entry of PEER; with CREATE, a new or recycled one when absent. */
struct source *
source_find(struct service *sv, const struct sockaddr_storage *peer, int create)
{
	struct source key, *so, *free_so = NULL;
	time_t now = time(NULL);
	int i;

	source_key(sv, peer, &key);
	if (key.so_family == 0)
		return NULL;
	for (i = 0; i < sv->sv_nsources; i++) {
		so = &sv->sv_sources[i];
		if (so->so_family == key.so_family &&
		    memcmp(so->so_key, key.so_key, 16) == 0)
			return so;
		/* No live connection and no rate count this minute: reusable. */
		if (free_so == NULL && so->so_count == 0 &&
		    (so->so_rate == 0 || now - so->so_minute >= 60))
			free_so = so;
	}
	if (!create)
		return NULL;
	if (free_so == NULL) {
		if (sv->sv_nsources == sv->sv_maxsources) {
			int n = sv->sv_maxsources ? sv->sv_maxsources * 2 : 16;

			if (n > SOURCE_TABLE_MAX)
				return NULL;
			so = realloc(sv->sv_sources, (size_t)n * sizeof(*so));
			if (so == NULL)
				return NULL;
			sv->sv_sources = so;
			sv->sv_maxsources = n;
		}
		free_so = &sv->sv_sources[sv->sv_nsources++];
	}
	*free_so = key;
	return free_so;
}

/* Count one more live connection from PEER. */
int
source_take(struct service *sv, const struct sockaddr_storage *peer)
{
	struct source *so;

	if ((so = source_find(sv, peer, 1)) == NULL)
		return -1;
	so->so_count++;
	return 0;
}

/* One live connection from PEER ended. */
void
source_release(struct service *sv, const struct sockaddr_storage *peer)
{
	struct source *so;

	if ((so = source_find(sv, peer, 0)) != NULL && so->so_count > 0)
		so->so_count--;
}
