/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer harness: the /proc/net/{tcp,tcp6,udp,udp6} parser of the
 * self-audit (the fallback when sock_diag is missing).  Each input is read
 * as all four files.
 */
#include "selfcheck.h"
#include "fuzz.h"

/* One input, as each (family, protocol) file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	static const int protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	size_t f, p;

	for (f = 0; f < 2; f++)
		for (p = 0; p < 2; p++) {
			struct selfcheck_socks socks = { 0 };
			char *copy;
			FILE *fp;

			if ((fp = fuzz_memopen(data, size, &copy)) == NULL)
				return 0;
			(void)selfcheck_kernel_parse_proc(fp, fams[f],
			    protos[p], &socks);
			selfcheck_socks_free(&socks);
			fclose(fp);
			free(copy);
		}
	return 0;
}
