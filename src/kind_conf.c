/* SPDX-License-Identifier: ISC */
/*
 * What a service kind adds to a service's configuration (struct kind_conf):
 * made, copied and freed here, below the service table, so that the table
 * and the kinds' files share it without calling each other.
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
kind_conf_ids_dup(void **dst, const void *p, size_t n)
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
	    NULL) || kind_conf_ids_dup((void **)&c->kc_uids, kc->kc_uids,
	    (size_t)kc->kc_nuids * sizeof(uid_t)) == -1 ||
	    kind_conf_ids_dup((void **)&c->kc_gids, kc->kc_gids,
	    (size_t)kc->kc_ngids * sizeof(gid_t)) == -1) {
		kind_conf_free(c);
		*ok = 0;
		return NULL;
	}
	return c;
}
