/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of conflict_clash: which two endpoints the kernel refuses to
 * bind side by side (Linux, TCP listening or UDP without SO_REUSEADDR).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "superd.h"

/* An endpoint of PROTO ("tcp", "udp") on ADDR:PORT, IPV6_V6ONLY V6ONLY. */
static struct service
ep(const char *proto, const char *addr, int port, int v6only)
{
	static struct service_conf confs[64];
	static size_t nconf;
	struct service sv;

	memset(&sv, 0, sizeof(sv));
	sv.sv_conf = &confs[nconf++ % 64];
	memset(&confs[(nconf - 1) % 64], 0, sizeof(confs[0]));
	sv.sv_proto = strcmp(proto, "udp") == 0 ? IPPROTO_UDP : IPPROTO_TCP;
	sv.sv_v6only = v6only;
	assert_int_equal(svctab_set_addr(&sv, addr, port), 0);
	return sv;
}

/* Whether A and B clash, checked both ways round. */
static int
clash(struct service a, struct service b)
{
	int ab = conflict_clash(&a, &b);

	assert_int_equal(ab, conflict_clash(&b, &a));
	return ab;
}

static void
test_same_family(void **state)
{
	(void)state;
	assert_true(clash(ep("tcp", "0.0.0.0", 7, 0), ep("tcp", "127.0.0.1", 7, 0)));
	assert_true(clash(ep("tcp", "127.0.0.1", 7, 0), ep("tcp", "127.0.0.1", 7, 0)));
	assert_false(clash(ep("tcp", "127.0.0.1", 7, 0), ep("tcp", "127.0.0.2", 7, 0)));
	assert_false(clash(ep("tcp", "0.0.0.0", 7, 0), ep("tcp", "0.0.0.0", 8, 0)));
	assert_false(clash(ep("tcp", "0.0.0.0", 7, 0), ep("udp", "0.0.0.0", 7, 0)));
	assert_true(clash(ep("udp", "0.0.0.0", 7, 0), ep("udp", "127.0.0.1", 7, 0)));
	assert_true(clash(ep("tcp", "::", 7, 1), ep("tcp", "::1", 7, 1)));
	assert_false(clash(ep("tcp", "::1", 7, 1), ep("tcp", "2001:db8::1", 7, 1)));
}

static void
test_mixed_families(void **state)
{
	(void)state;
	/* a dual-stack wildcard covers every IPv4 address */
	assert_true(clash(ep("tcp", "0.0.0.0", 7, 0), ep("tcp", "::", 7, 0)));
	assert_true(clash(ep("tcp", "127.0.0.1", 7, 0), ep("tcp", "::", 7, 0)));
	/* an IPv6-only one covers none */
	assert_false(clash(ep("tcp", "0.0.0.0", 7, 0), ep("tcp", "::", 7, 1)));
	/* an IPv6 address that is not v4-mapped covers none */
	assert_false(clash(ep("tcp", "0.0.0.0", 7, 0), ep("tcp", "::1", 7, 0)));
	/* a v4-mapped address is its IPv4 address */
	assert_true(clash(ep("tcp", "127.0.0.1", 7, 0),
	    ep("tcp", "::ffff:127.0.0.1", 7, 0)));
	assert_true(clash(ep("tcp", "0.0.0.0", 7, 0),
	    ep("tcp", "::ffff:127.0.0.1", 7, 0)));
	assert_false(clash(ep("tcp", "127.0.0.2", 7, 0),
	    ep("tcp", "::ffff:127.0.0.1", 7, 0)));
}

static void
test_reuseport_on_both(void **state)
{
	struct service a = ep("tcp", "0.0.0.0", 7, 0);
	struct service b = ep("tcp", "127.0.0.1", 7, 0);

	(void)state;
	service_conf_edit(&a)->sc_reuseport = 1;
	assert_true(clash(a, b));
	service_conf_edit(&b)->sc_reuseport = 1;
	assert_false(clash(a, b));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_family),
		cmocka_unit_test(test_mixed_families),
		cmocka_unit_test(test_reuseport_on_both),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
