/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the per-connection decisions: access lists, access times,
 * every limit with an injected clock, and the per-source table (IPv6 by
 * prefix, v4-mapped as IPv4).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "superd.h"

/* PEER as a sockaddr_storage for the literal ADDR. */
static struct sockaddr_storage
peer(const char *addr)
{
	struct sockaddr_storage ss;
	socklen_t len;

	assert_int_equal(svctab_parse_addr(addr, 40000, &ss, &len), 0);
	return ss;
}

/* Append ADDR/PREFIX to ACL, masked as the config parsers store it. */
static void
acl_add(struct acl *acl, const char *addr, int prefix)
{
	struct sockaddr_storage ss = peer(addr);
	struct acl_entry *e;
	int i, bits = prefix;

	acl->acl_entries = realloc(acl->acl_entries,
	    (acl->acl_n + 1) * sizeof(*e));
	assert_non_null(acl->acl_entries);
	e = &acl->acl_entries[acl->acl_n++];
	memset(e, 0, sizeof(*e));
	e->ae_family = ss.ss_family;
	e->ae_prefix = prefix;
	if (ss.ss_family == AF_INET)
		memcpy(e->ae_addr, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	else
		memcpy(e->ae_addr, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
	for (i = 0; i < 16; i++, bits -= 8)
		if (bits < 8)
			e->ae_addr[i] &= bits > 0 ? (uint8_t)(0xff << (8 - bits)) : 0;
}

static struct service *
svc(void)
{
	struct service *sv = service_new("t", "t.conf", 1);

	assert_non_null(sv);
	return sv;
}

static void
test_acl_empty_lists_admit_everyone(void **state)
{
	struct service *sv = svc();
	struct sockaddr_storage p = peer("192.0.2.9");

	(void)state;
	assert_true(access_check_acl(sv, &p));
	service_unref(sv);
}

static void
test_acl_only_from_admits_members_and_refuses_others(void **state)
{
	struct service *sv = svc();
	struct sockaddr_storage in = peer("192.0.2.77"), out = peer("198.51.100.1");

	(void)state;
	acl_add(&service_conf_rare(sv)->sc_only_from, "192.0.2.0", 24);
	assert_true(access_check_acl(sv, &in));
	assert_false(access_check_acl(sv, &out));
	service_unref(sv);
}

static void
test_acl_no_access_refuses_unless_only_from_is_more_specific(void **state)
{
	struct service *sv = svc();
	struct sockaddr_storage a = peer("192.0.2.5"), b = peer("192.0.2.6");

	(void)state;
	acl_add(&service_conf_rare(sv)->sc_no_access, "192.0.2.0", 24);
	acl_add(&service_conf_rare(sv)->sc_only_from, "192.0.2.5", 32);
	assert_true(access_check_acl(sv, &a));
	assert_false(access_check_acl(sv, &b));
	service_unref(sv);
}

static void
test_acl_matches_ipv6_prefixes(void **state)
{
	struct service *sv = svc();
	struct sockaddr_storage in = peer("2001:db8:1:2::99");
	struct sockaddr_storage out = peer("2001:db8:1:3::1");

	(void)state;
	acl_add(&service_conf_rare(sv)->sc_only_from, "2001:db8:1:2::", 64);
	assert_true(access_check_acl(sv, &in));
	assert_false(access_check_acl(sv, &out));
	service_unref(sv);
}

static void
test_acl_v4_mapped_peer_is_matched_as_ipv4(void **state)
{
	struct service *sv = svc();
	struct sockaddr_storage mapped = peer("::ffff:192.0.2.1");

	(void)state;
	acl_add(&service_conf_rare(sv)->sc_no_access, "192.0.2.1", 32);
	access_normalize(&mapped);
	assert_int_equal(mapped.ss_family, AF_INET);
	assert_false(access_check_acl(sv, &mapped));
	service_unref(sv);
}

static void
test_acl_prefix_zero_matches_everything_of_its_family(void **state)
{
	struct service *sv = svc();
	struct sockaddr_storage v4 = peer("203.0.113.9"), v6 = peer("::1");

	(void)state;
	acl_add(&service_conf_rare(sv)->sc_only_from, "0.0.0.0", 0);
	assert_true(access_check_acl(sv, &v4));
	assert_false(access_check_acl(sv, &v6));
	service_unref(sv);
}

/* A time_t for today HH:MM in local time. */
static time_t
at(int hh, int mm)
{
	struct tm tm;
	time_t now = time(NULL);

	localtime_r(&now, &tm);
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = 0;
	return mktime(&tm);
}

static void
test_access_times_ranges_and_wrap_past_midnight(void **state)
{
	struct service *sv = svc();
	struct time_range r[2] = { { 8 * 60, 17 * 60 }, { 22 * 60, 2 * 60 } };

	(void)state;
	service_conf_rare(sv)->sc_times = malloc(sizeof(r));
	memcpy(sv->sv_conf->sc_rare->sc_times, r, sizeof(r));
	service_conf_rare(sv)->sc_ntimes = 2;
	assert_true(access_check_time(sv, at(8, 0)));
	assert_true(access_check_time(sv, at(17, 0)));
	assert_false(access_check_time(sv, at(17, 1)));
	assert_true(access_check_time(sv, at(23, 30)));
	assert_true(access_check_time(sv, at(1, 59)));
	assert_false(access_check_time(sv, at(3, 0)));
	service_unref(sv);
}

/* A daemon context with TAB's globals, for the limit checks. */
static struct superd *
daemon_ctx(void)
{
	struct superd *sd = calloc(1, sizeof(*sd));

	assert_non_null(sd);
	sd->sd_tab = svctab_new();
	LIST_INIT(&sd->sd_children);
	return sd;
}

static void
daemon_free(struct superd *sd)
{
	svctab_free(sd->sd_tab);
	free(sd);
}

static void
test_limits_instances_and_global_cap(void **state)
{
	struct superd *sd = daemon_ctx();
	struct service *sv = svc();
	struct sockaddr_storage p = peer("127.0.0.1");
	enum refuse_reason why;

	(void)state;
	service_conf_edit(sv)->sc_instances = 2;
	sv->sv_nchild = 1;
	assert_true(limits_check(sd, sv, &p, 1000, &why));
	sv->sv_nchild = 2;
	assert_false(limits_check(sd, sv, &p, 1000, &why));
	assert_int_equal(why, REFUSE_INSTANCES);
	assert_string_equal(access_reason_name(why), "instances");
	sv->sv_nchild = 0;
	sd->sd_tab->st_globals.gl_instances = 3;
	sd->sd_nchild = 3;
	assert_false(limits_check(sd, sv, &p, 1000, &why));
	assert_int_equal(why, REFUSE_GLOBAL);
	sd->sd_tab->st_globals.gl_instances = 0;
	assert_true(limits_check(sd, sv, &p, 1000, &why));
	service_unref(sv);
	daemon_free(sd);
}

static void
test_limits_per_source_counts_one_source_only(void **state)
{
	struct superd *sd = daemon_ctx();
	struct service *sv = svc();
	struct sockaddr_storage a = peer("127.0.0.1"), b = peer("127.0.0.2");
	enum refuse_reason why;

	(void)state;
	service_conf_edit(sv)->sc_per_source = 2;
	assert_int_equal(source_take(sv, &a), 0);
	assert_int_equal(source_take(sv, &a), 0);
	assert_false(limits_check(sd, sv, &a, 1000, &why));
	assert_int_equal(why, REFUSE_PER_SOURCE);
	assert_true(limits_check(sd, sv, &b, 1000, &why));
	source_release(sv, &a);
	assert_true(limits_check(sd, sv, &a, 1000, &why));
	service_unref(sv);
	daemon_free(sd);
}

static void
test_limits_fair_share_serves_a_new_source_when_nearly_full(void **state)
{
	struct superd *sd = daemon_ctx();
	struct service *sv = svc();
	struct sockaddr_storage a = peer("127.0.0.1"), b = peer("127.0.0.2");
	enum refuse_reason why;
	int i;

	(void)state;
	service_conf_edit(sv)->sc_per_source = 0;
	sd->sd_tab->st_globals.gl_instances = 8;
	for (i = 0; i < 5; i++)
		assert_int_equal(fair_take(sd, &a), 0);
	sd->sd_nchild = 5;	/* under 3/4: no share applies */
	assert_true(limits_check(sd, sv, &a, 1000, &why));
	assert_int_equal(fair_take(sd, &a), 0);
	sd->sd_nchild = 6;	/* 3/4 full: a holds 6, 2 slots free */
	assert_false(limits_check(sd, sv, &a, 1000, &why));
	assert_int_equal(why, REFUSE_SHARE);
	assert_string_equal(access_reason_name(why), "fair-share");
	assert_true(limits_check(sd, sv, &b, 1000, &why));
	for (i = 0; i < 6; i++)
		fair_release(sd, &a);
	assert_true(limits_check(sd, sv, &a, 1000, &why));
	srctab_free(sd->sd_sources);
	sd->sd_sources = NULL;
	service_unref(sv);
	daemon_free(sd);
}

static void
test_source_ipv6_counted_per_prefix(void **state)
{
	struct service *sv = svc();
	struct sockaddr_storage a = peer("2001:db8:0:1::1");
	struct sockaddr_storage b = peer("2001:db8:0:1:ffff::2");
	struct sockaddr_storage c = peer("2001:db8:0:2::1");

	(void)state;
	assert_int_equal(source_take(sv, &a), 0);
	assert_int_equal(source_take(sv, &b), 0);
	assert_int_equal(source_find(sv, &a, 0)->so_count, 2);
	assert_null(source_find(sv, &c, 0));
	service_conf_edit(sv)->sc_v6_prefix = 128;
	assert_null(source_find(sv, &b, 0));
	service_unref(sv);
}

static void
test_source_v4_mapped_counts_as_ipv4(void **state)
{
	struct service *sv = svc();
	struct sockaddr_storage mapped = peer("::ffff:192.0.2.3");
	struct sockaddr_storage v4 = peer("192.0.2.3");

	(void)state;
	assert_int_equal(source_take(sv, &mapped), 0);
	assert_non_null(source_find(sv, &v4, 0));
	assert_int_equal(source_find(sv, &v4, 0)->so_count, 1);
	source_release(sv, &v4);
	assert_int_equal(source_find(sv, &mapped, 0)->so_count, 0);
	service_unref(sv);
}

static void
test_limits_cps_refuses_past_the_rate_and_resets_next_second(void **state)
{
	struct superd *sd = daemon_ctx();
	struct service *sv = svc();
	struct sockaddr_storage p = peer("127.0.0.1");
	enum refuse_reason why;
	int i;

	(void)state;
	service_conf_edit(sv)->sc_cps_rate = 3;
	for (i = 0; i < 3; i++)
		assert_true(limits_check(sd, sv, &p, 5000, &why));
	assert_false(limits_check(sd, sv, &p, 5000, &why));
	assert_int_equal(why, REFUSE_CPS);
	assert_true(limits_check(sd, sv, &p, 5001, &why));
	service_unref(sv);
	daemon_free(sd);
}

static void
test_limits_per_source_rate_per_minute(void **state)
{
	struct superd *sd = daemon_ctx();
	struct service *sv = svc();
	struct sockaddr_storage a = peer("192.0.2.1"), b = peer("192.0.2.2");
	enum refuse_reason why;

	time_t t = time(NULL); /* source entries age by the wall clock */

	(void)state;
	service_conf_edit(sv)->sc_per_ip_rate = 2;
	assert_true(limits_check(sd, sv, &a, t, &why));
	assert_true(limits_check(sd, sv, &a, t + 10, &why));
	assert_false(limits_check(sd, sv, &a, t + 20, &why));
	assert_int_equal(why, REFUSE_PER_IP_RATE);
	assert_true(limits_check(sd, sv, &b, t + 20, &why));
	assert_int_equal(srctab_count(sv->sv_sources), 2);
	assert_true(limits_check(sd, sv, &a, t + 61, &why));
	service_unref(sv);
	daemon_free(sd);
}

static void
test_source_entries_of_past_minutes_are_reused(void **state)
{
	struct superd *sd = daemon_ctx();
	struct service *sv = svc();
	struct sockaddr_storage a = peer("192.0.2.1"), b = peer("192.0.2.2");
	enum refuse_reason why;

	(void)state;
	service_conf_edit(sv)->sc_per_ip_rate = 5;
	/* Regression: a per-minute count kept its entry for ever. */
	assert_true(limits_check(sd, sv, &a, 1000, &why));
	assert_int_equal(srctab_count(sv->sv_sources), 1);
	assert_true(limits_check(sd, sv, &b, time(NULL), &why));
	assert_int_equal(srctab_count(sv->sv_sources), 1);
	assert_null(source_find(sv, &a, 0));
	service_unref(sv);
	daemon_free(sd);
}

static void
test_limits_max_per_minute(void **state)
{
	struct superd *sd = daemon_ctx();
	struct service *sv = svc();
	struct sockaddr_storage p = peer("127.0.0.1");
	enum refuse_reason why;

	(void)state;
	service_conf_edit(sv)->sc_max_per_minute = 1;
	assert_true(limits_check(sd, sv, &p, 7000, &why));
	assert_false(limits_check(sd, sv, &p, 7059, &why));
	assert_true(limits_check(sd, sv, &p, 7060, &why));
	service_unref(sv);
	daemon_free(sd);
}

static void
test_default_limits_never_refuse_a_sequential_burst(void **state)
{
	struct superd *sd = daemon_ctx();
	struct service *sv = svc();
	struct sockaddr_storage p = peer("127.0.0.1");
	enum refuse_reason why;
	int i;

	(void)state;
	for (i = 0; i < 400; i++)
		assert_true(limits_check(sd, sv, &p, 8000, &why));
	service_unref(sv);
	daemon_free(sd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acl_empty_lists_admit_everyone),
		cmocka_unit_test(test_acl_only_from_admits_members_and_refuses_others),
		cmocka_unit_test(test_acl_no_access_refuses_unless_only_from_is_more_specific),
		cmocka_unit_test(test_acl_matches_ipv6_prefixes),
		cmocka_unit_test(test_acl_v4_mapped_peer_is_matched_as_ipv4),
		cmocka_unit_test(test_acl_prefix_zero_matches_everything_of_its_family),
		cmocka_unit_test(test_access_times_ranges_and_wrap_past_midnight),
		cmocka_unit_test(test_limits_instances_and_global_cap),
		cmocka_unit_test(test_limits_per_source_counts_one_source_only),
		cmocka_unit_test(test_limits_fair_share_serves_a_new_source_when_nearly_full),
		cmocka_unit_test(test_source_ipv6_counted_per_prefix),
		cmocka_unit_test(test_source_v4_mapped_counts_as_ipv4),
		cmocka_unit_test(test_limits_cps_refuses_past_the_rate_and_resets_next_second),
		cmocka_unit_test(test_limits_per_source_rate_per_minute),
		cmocka_unit_test(test_source_entries_of_past_minutes_are_reused),
		cmocka_unit_test(test_limits_max_per_minute),
		cmocka_unit_test(test_default_limits_never_refuse_a_sequential_burst),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
