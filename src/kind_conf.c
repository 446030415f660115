/* SPDX-License-Identifier: ISC */
/*
 * What a service kind adds to a service's configuration (struct kind_conf):
 * made and freed here, below the service table, so that the table
 * and the kinds' files share it without calling each other.
 */
#include <stdlib.h>
#include <string.h>

#include "superd.h"

/*
 * The kind configuration of SC (being built), made empty when it has
 * none; NULL if no memory.
 */
struct kind_conf *
kind_conf_get(struct service_conf *sc)
{
	if (sc->sc_kconf == NULL &&
	    (sc->sc_kconf = calloc(1, sizeof(*sc->sc_kconf))) != NULL)
		sc->sc_kconf->kc_mode = SV_UNSET;
	return sc->sc_kconf;
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
