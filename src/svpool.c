/* SPDX-License-Identifier: ISC */
/*
 * The endpoints' own pages.  A reload builds a new table, keeps the
 * running endpoints (their struct service: the loop, timers and children
 * point to them) and frees the rest with the old configurations.  From
 * the heap, each kept endpoint would pin the page it shares with freed
 * configurations, and every reload would leave the heap as large as two
 * tables.  Here endpoints come from page-sized slabs of their own: a slab
 * whose endpoints are all freed goes back to the heap whole, and
 * malloc_trim can return it.  Under a sanitizer each is a plain calloc, so
 * use after free is still caught.
 */
#include <sys/queue.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "superd.h"

#define SVPOOL_SLAB 4096 /* bytes of a slab, and its alignment */

/* A slab: this header, then its endpoints. */
struct svpool_slab {
	LIST_ENTRY(svpool_slab) ps_entry; /* in svpool_room while not full */
	void *ps_free;			  /* a freed endpoint, NULL: none */
	uint32_t ps_used;		  /* endpoints handed out */
	uint32_t ps_fresh;		  /* endpoints never handed out start here */
};

/* An object size rounded for alignment, and how many a slab holds. */
#define SVPOOL_SIZE ((sizeof(struct service) + 15) & ~(size_t)15)
#define SVPOOL_HEAD ((sizeof(struct svpool_slab) + 15) & ~(size_t)15)
#define SVPOOL_PER ((SVPOOL_SLAB - SVPOOL_HEAD) / SVPOOL_SIZE)

#if defined(__SANITIZE_ADDRESS__) || defined(SUPERD_NO_POOL)
/* A zeroed struct service, or NULL. */
struct service *
svpool_get(void)
{
	return calloc(1, sizeof(struct service));
}

/* Give SV back. */
void
svpool_put(struct service *sv)
{
	free(sv);
}
#else
/* The slabs with room (the module's registry). */
static LIST_HEAD(, svpool_slab) svpool_room = LIST_HEAD_INITIALIZER(svpool_room);

/* A zeroed struct service from a slab with room (a new one if none); NULL. */
struct service *
svpool_get(void)
{
	struct svpool_slab *ps = LIST_FIRST(&svpool_room);
	void *p;

	if (ps == NULL) {
		if ((ps = aligned_alloc(SVPOOL_SLAB, SVPOOL_SLAB)) == NULL)
			return NULL;
		memset(ps, 0, sizeof(*ps));
		LIST_INSERT_HEAD(&svpool_room, ps, ps_entry);
	}
	if ((p = ps->ps_free) != NULL)
		memcpy(&ps->ps_free, p, sizeof(void *));
	else
		p = (char *)ps + SVPOOL_HEAD + ps->ps_fresh++ * SVPOOL_SIZE;
	if (++ps->ps_used == SVPOOL_PER)
		LIST_REMOVE(ps, ps_entry);
	return memset(p, 0, sizeof(struct service));
}

/* Give SV back to its slab; a slab left empty goes back to the heap. */
void
svpool_put(struct service *sv)
{
	struct svpool_slab *ps;

	if (sv == NULL)
		return;
	ps = (struct svpool_slab *)((uintptr_t)sv & ~(uintptr_t)(SVPOOL_SLAB - 1));
	memcpy(sv, &ps->ps_free, sizeof(void *));
	ps->ps_free = sv;
	if (ps->ps_used-- == SVPOOL_PER)
		LIST_INSERT_HEAD(&svpool_room, ps, ps_entry);
	if (ps->ps_used == 0) {
		LIST_REMOVE(ps, ps_entry);
		free(ps);
	}
}
#endif
