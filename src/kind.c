/* SPDX-License-Identifier: ISC */
/*
 * Service kinds: what a UNIX-domain, tcpmux or RPC service adds to a
 * service (struct kind_conf) and which kind an inetd.conf line asks for.
 * Each kind is a struct kind of hooks in its own file (kind_unix.c,
 * kind_tcpmux.c, kind_rpc.c); listen, accept, spawn and the service table
 * call a hook where one is set and do what a plain IP endpoint does where
 * none is.  A new kind is a new file and one line in kind_inetd.
 */
#include <stdlib.h>
#include <string.h>

#include "superd.h"

/*
 * The kind an inetd.conf line asks for, set up on SV from the service
 * field NAME and the protocol field PROTO: a `unix` protocol, a
 * `tcpmux/NAME` service or an `rpc/` protocol.  0 for a plain line;
 * -1 with the reason in WHY.
 */
int
kind_inetd(struct service *sv, const char *name, const char *proto,
    char *why, size_t len)
{
	if (strcmp(proto, "unix") == 0)
		return kind_unix_inetd(sv, name, why, len);
	if (strncmp(name, "tcpmux/", 7) == 0)
		return kind_tcpmux_setup(sv, name + 7, why, len);
	if (strncmp(proto, "rpc/", 4) == 0)
		return kind_rpc_inetd(sv, name, why, len);
	return 0;
}

/* Whether SV has a kind that is not seen as an IP endpoint by the audit. */
int
kind_hidden(const struct service *sv)
{
	return sv->sv_conf->sc_kind != NULL && !sv->sv_conf->sc_kind->k_ip;
}

/* A table was read: what the kinds add to it (tcpmux ports), -1 if no memory. */
int
kind_loaded(struct svctab *tab)
{
	kind_rpc_reloaded();
	return kind_tcpmux_listeners(tab);
}
