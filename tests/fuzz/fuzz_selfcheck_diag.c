/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer harness: the sock_diag reply parser of the self-audit.  The
 * input is one recv() worth of netlink messages; it is copied into a heap
 * buffer of exactly its size (aligned, as the real recv buffer is) so any
 * read past the reply is caught.  Each input is parsed as a TCP and a UDP
 * dump, and once more with a sequence number that filters messages.
 */
#include "selfcheck.h"
#include "fuzz.h"

/* One input, three ways. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		int proto, seq;
	} runs[] = {
		{ IPPROTO_TCP, 0 }, { IPPROTO_UDP, 0 }, { IPPROTO_TCP, 1 },
	};
	size_t i;
	void *buf;

	if ((buf = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		struct selfcheck_socks socks = { 0 };

		(void)selfcheck_kernel_parse_diag(buf, size, runs[i].proto,
		    runs[i].seq, &socks);
		selfcheck_socks_free(&socks);
	}
	free(buf);
	return 0;
}
