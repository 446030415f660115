/* SPDX-License-Identifier: ISC */
/*
 * Per-source tables: live connections and the per-minute count of each
 * client, of one service (per_source, per_ip_per_minute), of the whole
 * daemon (the fair share of the global cap), and the reply budget of each
 * client of a UDP builtin.  IPv4 is counted per address (per /24 for UDP
 * builtins), IPv6 per prefix (sv_v6_prefix, default /64), v4-mapped IPv6
 * as IPv4.
 *
 * A table is a hash of chained entries in one array, so a lookup costs
 * O(1) whatever the number of sources.  It grows by doubling up to
 * SOURCE_TABLE_MAX entries (SOURCE_ENTRY_BYTES each with its bucket);
 * past that a new source takes the oldest idle entry (no live connection),
 * and when every entry is busy it is not admitted: the table fails
 * closed.  An idle entry whose minute is over is recycled first, before
 * the table grows.  All tables of the daemon together grow to at most
 * SOURCE_TOTAL_MAX entries (beyond the SOURCE_FIRST each starts with): a table that would pass it stops growing and
 * recycles, as at its own maximum.  The module counts what every table
 * holds (its registry), for `superd status`.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "superd.h"

#define SOURCE_NIL UINT32_MAX /* no entry */
#define SOURCE_FIRST 16	      /* entries of a new table */

/* What every table of the process holds together. */
static struct source_usage {
	uint64_t su_entries; /* entries allocated */
	uint32_t su_tables;  /* tables */
} source_usage;

/* A table of sources. */
struct srctab {
	struct source *st_ent;	  /* entries, st_cap of them */
	uint32_t *st_bucket;	  /* chain heads, st_cap of them (power of 2) */
	uint32_t st_cap;	  /* allocated entries */
	uint32_t st_used;	  /* entries handed out at least once */
	uint32_t st_idle_head;	  /* oldest idle entry */
	uint32_t st_idle_tail;	  /* newest idle entry */
	uint32_t st_max;	  /* most entries it may hold */
	unsigned long st_refused; /* sources not admitted: every entry busy */
};

/* The accounting key of PEER, IPv4 masked to V4 bits, IPv6 to V6 bits. */
static void
source_key_bits(const struct sockaddr_storage *peer, int v4, int v6,
    struct source *key)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)peer;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)peer;
	int bits, i, len;

	memset(key, 0, sizeof(*key));
	if (peer->ss_family == AF_UNIX) {
		/* A UNIX-domain peer is counted per uid. */
		key->so_family = AF_UNIX;
		memcpy(key->so_key, &((const struct unix_peer *)peer)->up_uid,
		    sizeof(uid_t));
		return;
	}
	if (peer->ss_family == AF_INET) {
		key->so_family = AF_INET;
		memcpy(key->so_key, &sin->sin_addr, 4);
	} else if (peer->ss_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		key->so_family = AF_INET;
		memcpy(key->so_key, &sin6->sin6_addr.s6_addr[12], 4);
	} else if (peer->ss_family == AF_INET6) {
		key->so_family = AF_INET6;
		memcpy(key->so_key, &sin6->sin6_addr, 16);
	} else
		return;
	bits = key->so_family == AF_INET ? v4 : v6;
	len = key->so_family == AF_INET ? 4 : 16;
	for (i = 0; i < len; i++, bits -= 8)
		if (bits < 8)
			key->so_key[i] &= bits > 0 ? (uint8_t)(0xff << (8 -
			    bits)) : 0;
}

/* The accounting key of PEER for SV: per address, IPv6 per its prefix. */
void
source_key(const struct service *sv, const struct sockaddr_storage *peer,
    struct source *key)
{
	source_key_bits(peer, 32, sv->sv_conf->sc_v6_prefix > 0 &&
	    sv->sv_conf->sc_v6_prefix <= 128 ? sv->sv_conf->sc_v6_prefix :
	    DEF_V6_PREFIX, key);
}

/* The bucket of KEY in a table of CAP buckets (FNV-1a). */
static uint32_t
source_hash(const struct source *key, uint32_t cap)
{
	uint32_t h = 2166136261u;
	int i;

	for (i = 0; i < 16; i++)
		h = (h ^ key->so_key[i]) * 16777619u;
	h = (h ^ (uint32_t)key->so_family) * 16777619u;
	return h & (cap - 1);
}

/* Put entry I at the new end of the idle list of T. */
static void
source_idle_push(struct srctab *t, uint32_t i)
{
	struct source *so = &t->st_ent[i];

	so->so_idle_prev = t->st_idle_tail;
	so->so_idle_next = SOURCE_NIL;
	if (t->st_idle_tail != SOURCE_NIL)
		t->st_ent[t->st_idle_tail].so_idle_next = i;
	else
		t->st_idle_head = i;
	t->st_idle_tail = i;
	so->so_idle = 1;
}

/* Take entry I off the idle list of T. */
static void
source_idle_drop(struct srctab *t, uint32_t i)
{
	struct source *so = &t->st_ent[i];

	if (!so->so_idle)
		return;
	if (so->so_idle_prev != SOURCE_NIL)
		t->st_ent[so->so_idle_prev].so_idle_next = so->so_idle_next;
	else
		t->st_idle_head = so->so_idle_next;
	if (so->so_idle_next != SOURCE_NIL)
		t->st_ent[so->so_idle_next].so_idle_prev = so->so_idle_prev;
	else
		t->st_idle_tail = so->so_idle_prev;
	so->so_idle = 0;
}

/* Unlink entry I from its hash chain in T. */
static void
source_unchain(struct srctab *t, uint32_t i)
{
	uint32_t *p = &t->st_bucket[source_hash(&t->st_ent[i], t->st_cap)];

	while (*p != SOURCE_NIL && *p != i)
		p = &t->st_ent[*p].so_next;
	if (*p == i)
		*p = t->st_ent[i].so_next;
}

/* Double T (up to its maximum) and rehash; -1 when it cannot grow. */
static int
source_grow(struct srctab *t)
{
	uint32_t n = t->st_cap * 2, i, b, *bucket;
	struct source *ent;

	if (n > t->st_max ||
	    source_usage.su_entries + (n - t->st_cap) > SOURCE_TOTAL_MAX)
		return -1;
	if ((bucket = malloc((size_t)n * sizeof(*bucket))) == NULL)
		return -1;
	if ((ent = realloc(t->st_ent, (size_t)n * sizeof(*ent))) == NULL) {
		free(bucket);
		return -1;
	}
	t->st_ent = ent;
	free(t->st_bucket);
	t->st_bucket = bucket;
	source_usage.su_entries += n - t->st_cap;
	t->st_cap = n;
	for (i = 0; i < n; i++)
		bucket[i] = SOURCE_NIL;
	for (i = 0; i < t->st_used; i++) {
		if (!ent[i].so_inuse)
			continue;
		b = source_hash(&ent[i], n);
		ent[i].so_next = bucket[b];
		bucket[b] = i;
	}
	return 0;
}

/* An empty table of at most MAX entries, or NULL. */
struct srctab *
srctab_new(uint32_t max)
{
	struct srctab *t;
	uint32_t i;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->st_cap = SOURCE_FIRST;
	t->st_max = max < SOURCE_FIRST ? SOURCE_FIRST : max;
	t->st_ent = calloc(t->st_cap, sizeof(*t->st_ent));
	t->st_bucket = malloc(t->st_cap * sizeof(*t->st_bucket));
	if (t->st_ent == NULL || t->st_bucket == NULL) {
		free(t->st_ent);
		free(t->st_bucket);
		free(t);
		return NULL;
	}
	for (i = 0; i < t->st_cap; i++)
		t->st_bucket[i] = SOURCE_NIL;
	t->st_idle_head = t->st_idle_tail = SOURCE_NIL;
	source_usage.su_entries += t->st_cap;
	source_usage.su_tables++;
	return t;
}

/* Free table T. */
void
srctab_free(struct srctab *t)
{
	if (t == NULL)
		return;
	source_usage.su_entries -= t->st_cap;
	source_usage.su_tables--;
	free(t->st_ent);
	free(t->st_bucket);
	free(t);
}

/* Whether idle entry SO may be forgotten at NOW: no rate count running. */
static int
source_expired(const struct source *so, time_t now)
{
	return so->so_rate == 0 || now - so->so_minute >= 60 ||
	    now < so->so_minute;
}

/* A fresh entry index of T for a new source: recycled, grown or evicted. */
static uint32_t
source_alloc(struct srctab *t, time_t now)
{
	uint32_t i = t->st_idle_head;

	/* An expired idle entry first: memory follows the live sources. */
	if (i != SOURCE_NIL && !source_expired(&t->st_ent[i], now))
		i = SOURCE_NIL;
	if (i == SOURCE_NIL && (t->st_used < t->st_cap || source_grow(t) == 0))
		return t->st_used++;
	if (i == SOURCE_NIL)
		i = t->st_idle_head;	/* full: the oldest idle one */
	if (i == SOURCE_NIL)
		return SOURCE_NIL;	/* every entry busy: fail closed */
	source_idle_drop(t, i);
	source_unchain(t, i);
	return i;
}

/* The entry of KEY in T; with CREATE, a new one when absent (idle). */
static struct source *
srctab_find(struct srctab *t, const struct source *key, int create)
{
	uint32_t i, b;
	struct source *so;

	if (t == NULL || key->so_family == 0)
		return NULL;
	for (i = t->st_bucket[source_hash(key, t->st_cap)]; i != SOURCE_NIL;
	     i = t->st_ent[i].so_next) {
		so = &t->st_ent[i];
		if (so->so_family == key->so_family &&
		    memcmp(so->so_key, key->so_key, 16) == 0)
			return so;
	}
	if (!create)
		return NULL;
	if ((i = source_alloc(t, time(NULL))) == SOURCE_NIL) {
		t->st_refused++;
		return NULL;
	}
	so = &t->st_ent[i];
	memcpy(so->so_key, key->so_key, 16);
	so->so_family = key->so_family;
	so->so_count = so->so_rate = 0;
	so->so_minute = 0;
	so->so_inuse = 1;
	b = source_hash(so, t->st_cap);
	so->so_next = t->st_bucket[b];
	t->st_bucket[b] = i;
	source_idle_push(t, i);
	return so;
}

/* One more live connection on entry SO of T: it is no longer idle. */
void
srctab_take(struct srctab *t, struct source *so)
{
	if (so->so_count++ == 0)
		source_idle_drop(t, (uint32_t)(so - t->st_ent));
}

/* One live connection on entry SO of T ended. */
void
srctab_release(struct srctab *t, struct source *so)
{
	if (so->so_count > 0 && --so->so_count == 0)
		source_idle_push(t, (uint32_t)(so - t->st_ent));
}

/* Bytes T holds now, and at most (*MAX). */
size_t
srctab_bytes(const struct srctab *t, size_t *max)
{
	size_t per = sizeof(struct source) + sizeof(uint32_t);

	if (max != NULL)
		*max = sizeof(*t) + (size_t)(t != NULL ? t->st_max :
		    SOURCE_TABLE_MAX) * per;
	return t == NULL ? 0 : sizeof(*t) + (size_t)t->st_cap * per;
}

/*
 * Every table of the process together: their number (*TABLES), the bytes
 * they hold now (returned) and at most (*MAX: SOURCE_TOTAL_MAX entries, and
 * the SOURCE_FIRST each table starts with).
 */
size_t
srctab_usage(uint32_t *tables, size_t *max)
{
	size_t per = sizeof(struct source) + sizeof(uint32_t);
	size_t head = (size_t)source_usage.su_tables * sizeof(struct srctab);

	*tables = source_usage.su_tables;
	*max = head + ((size_t)SOURCE_TOTAL_MAX + (size_t)SOURCE_FIRST *
	    source_usage.su_tables) * per;
	return head + (size_t)source_usage.su_entries * per;
}

/* Entries of T holding a source. */
uint32_t
srctab_count(const struct srctab *t)
{
	return t == NULL ? 0 : t->st_used;
}

/* Sources T could not admit because every entry was busy. */
unsigned long
srctab_refused(const struct srctab *t)
{
	return t == NULL ? 0 : t->st_refused;
}

/* The table of SV, made at first use; NULL when out of memory. */
static struct srctab *
source_table(struct service *sv)
{
	if (sv->sv_sources == NULL)
		sv->sv_sources = srctab_new(SOURCE_TABLE_MAX);
	return sv->sv_sources;
}

/* The entry of PEER in SV's table; with CREATE, a new one when absent. */
struct source *
source_find(struct service *sv, const struct sockaddr_storage *peer, int create)
{
	struct source key;

	source_key(sv, peer, &key);
	if (!create && sv->sv_sources == NULL)
		return NULL;
	return srctab_find(source_table(sv), &key, create);
}

/* Count one more live connection from PEER; -1 if it cannot be counted. */
int
source_take(struct service *sv, const struct sockaddr_storage *peer)
{
	struct source *so;

	if ((so = source_find(sv, peer, 1)) == NULL)
		return -1;
	srctab_take(sv->sv_sources, so);
	return 0;
}

/* One live connection from PEER ended. */
void
source_release(struct service *sv, const struct sockaddr_storage *peer)
{
	struct source *so;

	if ((so = source_find(sv, peer, 0)) != NULL)
		srctab_release(sv->sv_sources, so);
}

/* The entry of PEER in the daemon-wide table T (IPv6 per /64). */
struct source *
source_global(struct srctab *t, const struct sockaddr_storage *peer,
    int create)
{
	struct source key;

	source_key_bits(peer, 32, DEF_V6_PREFIX, &key);
	return srctab_find(t, &key, create);
}

/*
 * The reply budget of PEER's network (/24, /64) for a UDP builtin SV at
 * NOW: 1 if PEER may be answered, 0 if its network used its
 * DEF_DGRAM_SOURCE_RATE replies of this second or the table is full.
 */
int
source_dgram_take(struct service *sv, const struct sockaddr_storage *peer,
    time_t now)
{
	struct source key, *so;

	source_key_bits(peer, 24, 64, &key);
	if ((so = srctab_find(source_table(sv), &key, 1)) == NULL)
		return 0;
	if (so->so_minute != now) {
		so->so_minute = now;
		so->so_rate = 0;
	}
	return ++so->so_rate <= DEF_DGRAM_SOURCE_RATE;
}
