/* SPDX-License-Identifier: ISC */
/* What the selfcheck unit tests share. */
#ifndef SELFCHECK_TEST_H
#define SELFCHECK_TEST_H

#include <stdio.h>

#include "selfcheck.h"

/* "addr:port" of SK, for comparisons (one static buffer). */
static inline const char *
sock_str(const struct selfcheck_sock *sk)
{
	static char buf[96];
	char a[64];

	snprintf(buf, sizeof(buf), "%s:%u",
	    selfcheck_ip_str(&sk->sk_ip, a, sizeof(a)), sk->sk_port);
	return buf;
}

#endif
