/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the per-source table with 100,000 sources: insert, find,
 * release, recycle, evict the oldest idle entry, fail closed when every
 * entry is busy, and the memory bound.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "superd.h"

#define MANY 100000 /* distinct sources */

/* Source number N (0..2^24) as an IPv4 peer in 10.0.0.0/8, or IPv6. */
static struct sockaddr_storage
nth(uint32_t n, int v6)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (!v6) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(0x0a000000u | n);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr.s6_addr[0] = 0x20;
		sin6->sin6_addr.s6_addr[1] = 0x01;
		sin6->sin6_addr.s6_addr[2] = 0x0d;
		sin6->sin6_addr.s6_addr[3] = 0xb8;
		/* n in the /64 part, and noise in the interface part */
		sin6->sin6_addr.s6_addr[5] = (uint8_t)(n >> 16);
		sin6->sin6_addr.s6_addr[6] = (uint8_t)(n >> 8);
		sin6->sin6_addr.s6_addr[7] = (uint8_t)n;
		sin6->sin6_addr.s6_addr[15] = (uint8_t)(n * 7);
	}
	return ss;
}

static struct service *
svc(void)
{
	struct service *sv = service_new("t", "t.conf", 1);

	assert_non_null(sv);
	return sv;
}

/* 100,000 live sources: 65,536 admitted, the rest refused (fail closed). */
static void
test_source_table_full_of_live_sources_fails_closed(void **state)
{
	struct service *sv = svc();
	struct sockaddr_storage p;
	size_t max, now;
	uint32_t i;
	int ok = 0;

	(void)state;
	for (i = 0; i < MANY; i++) {
		p = nth(i, 0);
		ok += source_take(sv, &p) == 0;
	}
	assert_int_equal(ok, SOURCE_TABLE_MAX);
	assert_int_equal(srctab_refused(sv->sv_sources), MANY - SOURCE_TABLE_MAX);
	assert_int_equal(srctab_count(sv->sv_sources), SOURCE_TABLE_MAX);
	for (i = 0; i < SOURCE_TABLE_MAX; i++) {
		p = nth(i, 0);
		assert_non_null(source_find(sv, &p, 0));
		assert_int_equal(source_find(sv, &p, 0)->so_count, 1);
	}
	p = nth(MANY - 1, 0);
	assert_null(source_find(sv, &p, 0));
	now = srctab_bytes(sv->sv_sources, &max);
	assert_true(now <= max);
	printf("per-source table: %zu bytes with %d sources; bound %zu bytes "
	    "(%zu per entry)\n", now, SOURCE_TABLE_MAX, max,
	    sizeof(struct source) + sizeof(uint32_t));
	service_unref(sv);
}

/* Released sources are recycled: 100,000 more fit without growth. */
static void
test_source_table_reuses_idle_entries(void **state)
{
	struct service *sv = svc();
	struct sockaddr_storage p;
	size_t before;
	uint32_t i;

	(void)state;
	for (i = 0; i < MANY; i++) {
		p = nth(i, 0);
		assert_int_equal(source_take(sv, &p), 0);
		source_release(sv, &p);
	}
	/* One at a time: the one idle entry is recycled for every source. */
	assert_int_equal(srctab_count(sv->sv_sources), 1);
	for (i = 0; i < 1000; i++) {
		p = nth(i, 0);
		assert_int_equal(source_take(sv, &p), 0);
	}
	before = srctab_bytes(sv->sv_sources, NULL);
	for (i = 0; i < 1000; i++) {
		p = nth(i, 0);
		source_release(sv, &p);
	}
	for (i = 1000; i < MANY; i++) {
		p = nth(i, 0);
		assert_int_equal(source_take(sv, &p), 0);
		source_release(sv, &p);
	}
	assert_int_equal(srctab_bytes(sv->sv_sources, NULL), before);
	assert_int_equal(srctab_refused(sv->sv_sources), 0);
	service_unref(sv);
}

/*
 * A full table of idle sources still counting this minute: a new source
 * evicts the oldest idle entry instead of being refused or growing.
 */
static void
test_source_table_evicts_oldest_idle_entry(void **state)
{
	struct service *sv = svc();
	struct sockaddr_storage p;
	struct source *so;
	uint32_t i;

	(void)state;
	for (i = 0; i < SOURCE_TABLE_MAX; i++) {
		p = nth(i, 0);
		assert_non_null(so = source_find(sv, &p, 1));
		so->so_minute = time(NULL);
		so->so_rate = 1;
	}
	for (i = SOURCE_TABLE_MAX; i < MANY; i++) {
		p = nth(i, 0);
		assert_non_null(so = source_find(sv, &p, 1));
		so->so_minute = time(NULL);
		so->so_rate = 1;
	}
	assert_int_equal(srctab_count(sv->sv_sources), SOURCE_TABLE_MAX);
	p = nth(0, 0);
	assert_null(source_find(sv, &p, 0));	/* the oldest went first */
	p = nth(MANY - SOURCE_TABLE_MAX, 0);
	assert_non_null(source_find(sv, &p, 0)); /* the newest stayed */
	p = nth(MANY - 1, 0);
	assert_non_null(source_find(sv, &p, 0));
	assert_int_equal(srctab_refused(sv->sv_sources), 0);
	service_unref(sv);
}

/* IPv6: 100,000 sources of one /64 are one entry; of 100,000 /64s, many. */
static void
test_source_table_ipv6_per_prefix(void **state)
{
	struct service *sv = svc();
	struct sockaddr_storage p;
	uint32_t i;

	(void)state;
	for (i = 0; i < MANY; i++) {
		p = nth(7, 1);
		((struct sockaddr_in6 *)&p)->sin6_addr.s6_addr[12] = (uint8_t)i;
		((struct sockaddr_in6 *)&p)->sin6_addr.s6_addr[13] = (uint8_t)(i >> 8);
		assert_int_equal(source_take(sv, &p), 0);
	}
	assert_int_equal(srctab_count(sv->sv_sources), 1);
	assert_int_equal(source_find(sv, &p, 0)->so_count, MANY);
	for (i = 0; i < MANY; i++) {
		p = nth(i + 100, 1);
		source_take(sv, &p);
	}
	assert_int_equal(srctab_count(sv->sv_sources), SOURCE_TABLE_MAX);
	service_unref(sv);
}

/*
 * All tables together stop growing at SOURCE_TOTAL_MAX entries: a fifth
 * table flooded by live sources after four full ones keeps its first size
 * and fails closed, and srctab_usage reports the bytes held within the
 * bound it gives.
 */
static void
test_source_tables_together_bounded(void **state)
{
	struct service *sv[5];
	struct sockaddr_storage p;
	size_t max, now;
	uint32_t i, k, tables;

	(void)state;
	for (k = 0; k < 5; k++) {
		sv[k] = svc();
		for (i = 0; i < SOURCE_TABLE_MAX; i++) {
			p = nth(i, 0);
			(void)source_take(sv[k], &p);
		}
	}
	now = srctab_usage(&tables, &max);
	assert_int_equal(tables, 5);
	assert_true(now <= max);
	assert_true(max < (size_t)SOURCE_TOTAL_MAX * 64);
	assert_int_equal(srctab_count(sv[3]->sv_sources), SOURCE_TABLE_MAX);
	assert_int_equal(srctab_refused(sv[3]->sv_sources), 0);
	/* the fifth could not grow: every entry busy, the rest refused */
	assert_true(srctab_bytes(sv[4]->sv_sources, NULL) <
	    srctab_bytes(sv[0]->sv_sources, NULL));
	assert_true(srctab_refused(sv[4]->sv_sources) > 0);
	for (k = 0; k < 5; k++)
		service_unref(sv[k]);
	assert_int_equal(srctab_usage(&tables, &max), 0);
	assert_int_equal(tables, 0);
}

/* UDP builtin budget: per /24, DEF_DGRAM_SOURCE_RATE a second. */
static void
test_source_dgram_budget_per_network(void **state)
{
	struct service *sv = svc();
	struct sockaddr_storage a = nth(0x010101, 0), b = nth(0x0101fe, 0);
	struct sockaddr_storage c = nth(0x010201, 0);
	int i, ok = 0;

	(void)state;
	for (i = 0; i < DEF_DGRAM_SOURCE_RATE * 2; i++)
		ok += source_dgram_take(sv, i % 2 ? &a : &b, 1000);
	assert_int_equal(ok, DEF_DGRAM_SOURCE_RATE);
	assert_true(source_dgram_take(sv, &c, 1000));
	assert_true(source_dgram_take(sv, &a, 1001));
	service_unref(sv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source_table_full_of_live_sources_fails_closed),
		cmocka_unit_test(test_source_table_reuses_idle_entries),
		cmocka_unit_test(test_source_table_evicts_oldest_idle_entry),
		cmocka_unit_test(test_source_table_ipv6_per_prefix),
		cmocka_unit_test(test_source_dgram_budget_per_network),
		cmocka_unit_test(test_source_tables_together_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
