/* SPDX-License-Identifier: ISC */
/*
 * The port plan of an address (selfcheck_plan.c): the sockets that reach
 * it (superd's marked), the declarations that cover it, per protocol.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "selfcheck.h"

/* Socket I of SV: PROTO ADDR:PORT, held by superd when OURS. */
static void
sock(struct selfcheck_sock *sv, int i, int proto, const char *addr, int port,
    int ours)
{
	memset(&sv[i], 0, sizeof(sv[i]));
	sv[i].sk_proto = proto;
	assert_int_equal(selfcheck_ip_parse(addr, &sv[i].sk_ip), 0);
	sv[i].sk_port = (uint16_t)port;
	sv[i].sk_v6only = sv[i].sk_ip.ip_family == AF_INET6;
	sv[i].sk_nowners = 1;
	sv[i].sk_owners[0].ow_superd = ours;
}

/* Sockets and declarations, read once into a plan per address. */
static void
test_selfcheck_plan_make(void **state)
{
	static struct selfcheck_sock sv[4];
	struct selfcheck_socks socks = { .ss_v = sv, .ss_n = 4 };
	struct selfcheck_decl d = { .dc_name = "tftp", .dc_proto = IPPROTO_UDP,
		.dc_port = 69 };
	struct selfcheck_ip lo4, lo6;
	uint8_t *p;

	(void)state;
	sock(sv, 0, IPPROTO_UDP, "0.0.0.0", 53, 1);
	sock(sv, 1, IPPROTO_UDP, "127.0.0.1", 5353, 0);
	sock(sv, 2, IPPROTO_TCP, "0.0.0.0", 22, 0);
	sock(sv, 3, IPPROTO_UDP, "::", 123, 0);
	assert_int_equal(selfcheck_ip_parse("127.0.0.1", &lo4), 0);
	assert_int_equal(selfcheck_ip_parse("::1", &lo6), 0);
	assert_int_equal(selfcheck_ip_parse("0.0.0.0", &d.dc_ip), 0);
	assert_non_null(p = selfcheck_plan_make(IPPROTO_UDP, &lo4, &socks, &d,
	    1, NULL));
	assert_int_equal(p[53], SCPL_BOUND | SCPL_OURS);
	assert_int_equal(p[5353], SCPL_BOUND);
	assert_int_equal(p[69], SCPL_DECL);
	assert_int_equal(p[22], 0);	/* TCP */
	assert_int_equal(p[123], 0);	/* v6only */
	free(p);
	assert_non_null(p = selfcheck_plan_make(IPPROTO_UDP, &lo6, &socks, &d,
	    1, NULL));
	assert_int_equal(p[53], 0);
	assert_int_equal(p[69], 0);
	assert_int_equal(p[123], SCPL_BOUND);
	free(p);
	assert_non_null(p = selfcheck_plan_make(IPPROTO_TCP, &lo4, &socks,
	    NULL, 0, NULL));
	assert_int_equal(p[22], SCPL_BOUND);
	assert_int_equal(p[53], 0);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selfcheck_plan_make),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
