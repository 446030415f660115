/* SPDX-License-Identifier: ISC */
/*
 * The daemon's resident program text.  Loading a configuration runs code
 * that serving never runs again (the parsers, libconfuse, the checks), and
 * each page fault maps its neighbours too (the kernel's fault-around), so
 * after a load most mapped program text is idle.  resident_trim drops from
 * the daemon's page tables the read-only file mappings that hold no
 * private page (program and library text and constants, never written):
 * the pages stay in the page cache, shared, and what serving runs is
 * mapped again on its first use (a minor fault).  A mapping with a private
 * page (data, GOT, RELRO: relocated) is never touched, as dropping it
 * would lose its contents.
 *
 * Serving faults text back in too (the accept and spawn paths, the log
 * lines: about 1 MB of libc after a burst of connections).  Once no child
 * or session is left, resident_when_idle trims again if none has started
 * for RESIDENT_IDLE seconds.
 */
#include <sys/mman.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "superd.h"

#define RESIDENT_MAX 256 /* mappings looked at, at most */
#define RESIDENT_IDLE 1	 /* idle seconds before serving's text is dropped */

/* A read-only file mapping, a candidate for the trim. */
struct resident_map {
	uintptr_t rm_lo; /* first byte */
	uintptr_t rm_hi; /* past the last */
};

/*
 * Read /proc/self/smaps into MAPS (N at most): the read-only file
 * mappings without an anonymous (copied-on-write) page.  Returns the count.
 */
static size_t
resident_scan(struct resident_map *maps, size_t n)
{
	char line[512], perms[8], path[2];
	unsigned long kb;
	uintptr_t lo, hi;
	size_t k = 0;
	int cand = 0;
	FILE *fp;

	if ((fp = fopen("/proc/self/smaps", "re")) == NULL)
		return 0;
	while (k < n && fgets(line, sizeof(line), fp) != NULL) {
		path[0] = '\0';
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s %*s %*s %*s "
		    "%1s", &lo, &hi, perms, path) >= 3) {
			cand = path[0] == '/' && (strcmp(perms, "r-xp") == 0 ||
			    strcmp(perms, "r--p") == 0);
			maps[k].rm_lo = lo;
			maps[k].rm_hi = hi;
		} else if (cand && sscanf(line, "Anonymous: %lu kB", &kb) == 1) {
			k += kb == 0;
			cand = 0;
		}
	}
	fclose(fp);
	return k;
}

/* Drop the idle program text of the daemon from its resident set. */
void
resident_trim(void)
{
	struct resident_map maps[RESIDENT_MAX];
	size_t i, n = resident_scan(maps, RESIDENT_MAX);

	for (i = 0; i < n; i++)
		(void)madvise((void *)maps[i].rm_lo, maps[i].rm_hi -
		    maps[i].rm_lo, MADV_DONTNEED);
}

/* The idle check is due: trim if nothing started since it was set. */
static void
resident_idle_check(evutil_socket_t fd, short what, void *arg)
{
	struct superd *sd = arg;

	(void)fd;
	(void)what;
	sd->sd_idle_armed = 0;
	if (sd->sd_nchild != 0)
		return;		/* busy: set again when the last one ends */
	if (sd->sd_started == sd->sd_idle_mark)
		resident_trim();
	else
		resident_when_idle(sd);
}

/*
 * No child or session of SD is left: drop the text serving faulted in
 * once none has started for RESIDENT_IDLE seconds (one check at a time).
 */
void
resident_when_idle(struct superd *sd)
{
	struct timeval tv = { RESIDENT_IDLE, 0 };

	if (sd->sd_idle_armed || sd->sd_base == NULL)
		return;
	sd->sd_idle_mark = sd->sd_started;
	if (event_base_once(sd->sd_base, -1, EV_TIMEOUT, resident_idle_check,
	    sd, &tv) == 0)
		sd->sd_idle_armed = 1;
}
