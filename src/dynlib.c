/* SPDX-License-Identifier: ISC */
/*
 * Libraries opened when they are first needed (dlopen), so the daemon does
 * not map them while it serves without them: libwrap (and, behind it,
 * libnsl, libtirpc and Kerberos) once a loaded service uses TCP wrappers,
 * libtirpc in the child that talks to rpcbind, libnftables in the audit.
 * A library once opened stays open.  Their sonames come from the build
 * (the Makefile reads them from the libraries it was built against).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "superd.h"

/*
 * Open SONAME and resolve the N symbols NAMES into SYMS.  0 done; -1 (the
 * reason, dlerror's text, in WHY) when the library or a symbol is missing.
 */
int
dynlib_load(const char *soname, const char *const *names, void **syms,
    size_t n, char *why, size_t len)
{
	void *h;
	size_t i;

#ifdef SUPERD_STATIC
	(void)names, (void)syms, (void)n, (void)h, (void)i;
	snprintf(why, len, "this static build of superd cannot load %s "
	    "(built without it: make STATIC=1)", soname);
	return -1;
#endif
	if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(why, len, "%s", dlerror());
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((syms[i] = dlsym(h, names[i])) == NULL) {
			snprintf(why, len, "%s: no symbol %s", soname,
			    names[i]);
			return -1;
		}
	}
	return 0;
}
