/* SPDX-License-Identifier: ISC */
/* libFuzzer harness: the classic inetd.conf parser and its sniffer. */
#include "fuzz.h"

/* One input: sniff it, then parse it into a fresh table. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct svctab *tab;
	char *copy;
	FILE *fp;

	if ((fp = fuzz_memopen(data, size, &copy)) == NULL)
		return 0;
	(void)load_looks_classic(fp);
	if ((tab = svctab_new()) != NULL) {
		(void)inetd_conf_parse(tab, "fuzz.conf", fp);
		svctab_free(tab);
	}
	fclose(fp);
	free(copy);
	return 0;
}
