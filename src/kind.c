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

/* The kind configuration of SV, made empty when it has none; NULL if no memory. */
struct kind_conf *
kind_conf_get(struct service *sv)
{
	if (sv->sv_kconf == NULL &&
	    (sv->sv_kconf = calloc(1, sizeof(*sv->sv_kconf))) != NULL)
		sv->sv_kconf->kc_mode = SV_UNSET;
	return sv->sv_kconf;
}

/* Free KC and what it owns. */
void
kind_conf_free(struct kind_conf *kc)
{
	if (kc == NULL)
		return;
	free(kc->kc_name);
	free(kc->kc_uids);
	free(kc->kc_gids);
	free(kc);
}

/* A copy of N ids at P into *DST (none stays NULL); -1 when out of memory. */
static int
kind_ids_dup(void **dst, const void *p, size_t n)
{
	*dst = NULL;
	if (n == 0)
		return 0;
	if ((*dst = malloc(n)) == NULL)
		return -1;
	memcpy(*dst, p, n);
	return 0;
}

/* A deep copy of KC (NULL stays NULL); *OK is 0 when out of memory. */
struct kind_conf *
kind_conf_dup(const struct kind_conf *kc, int *ok)
{
	struct kind_conf *c;

	*ok = 1;
	if (kc == NULL)
		return NULL;
	if ((c = malloc(sizeof(*c))) == NULL) {
		*ok = 0;
		return NULL;
	}
	memcpy(c, kc, sizeof(*c));
	c->kc_name = NULL;
	if ((kc->kc_name != NULL && (c->kc_name = strdup(kc->kc_name)) ==
	    NULL) || kind_ids_dup((void **)&c->kc_uids, kc->kc_uids,
	    (size_t)kc->kc_nuids * sizeof(uid_t)) == -1 ||
	    kind_ids_dup((void **)&c->kc_gids, kc->kc_gids,
	    (size_t)kc->kc_ngids * sizeof(gid_t)) == -1) {
		kind_conf_free(c);
		*ok = 0;
		return NULL;
	}
	return c;
}

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
	return sv->sv_kind != NULL && !sv->sv_kind->k_ip;
}

/* A table was read: what the kinds add to it (tcpmux ports), -1 if no memory. */
int
kind_loaded(struct svctab *tab)
{
	kind_rpc_reloaded();
	return kind_tcpmux_listeners(tab);
}
