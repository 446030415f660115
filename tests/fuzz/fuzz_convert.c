/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer harness: superd --convert, which sniffs a file as xinetd.conf
 * or inetd.conf and writes superd.conf.  The output goes to /dev/null.
 */
#define FUZZ_FILE "fuzz.conf"
#include "fuzz.h"

/* One input: write it, convert it. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *out; /* /dev/null, for the whole process */

	if (out == NULL && (out = fopen("/dev/null", "w")) == NULL)
		abort();
	if (fuzz_write(data, size) == -1)
		return 0;
	(void)convert_main(fuzz_path, 0, out);
	clearerr(out);
	return 0;
}
