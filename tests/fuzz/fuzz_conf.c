/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer harness: the native superd.conf parser (libconfuse, includes,
 * inetd_conf directives, every option's validator).  conf_parse takes a
 * path, so each input is written to one file in a per-process directory.
 */
#define FUZZ_FILE "fuzz.conf"
#include "fuzz.h"

/* One input: write it, parse it into a fresh table. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct svctab *tab;

	if (fuzz_write(data, size) == -1)
		return 0;
	if ((tab = svctab_new()) != NULL) {
		(void)conf_parse(tab, fuzz_path);
		svctab_free(tab);
	}
	return 0;
}
