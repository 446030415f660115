/* SPDX-License-Identifier: ISC */
/*
 * NULL-terminated string vectors (argv, env, lists of names): length,
 * append a copy, free.  Below everything that keeps such a list.
 */
#include <stdlib.h>
#include <string.h>

#include "superd.h"

/* Number of entries in a NULL-terminated string vector. */
size_t
strv_len(char *const *v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

/* Free V and its strings. */
void
strv_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* Append a copy of S to *V. */
int
strv_push(char ***v, const char *s)
{
	char *c;

	if ((c = strdup(s)) == NULL)
		return -1;
	if (strv_adopt(v, c) == -1) {
		free(c);
		return -1;
	}
	return 0;
}

/* Append the string C itself to *V; -1 when out of memory (C not taken). */
int
strv_adopt(char ***v, char *c)
{
	size_t n = strv_len(*v);
	char **nv;

	if ((nv = realloc(*v, (n + 2) * sizeof(*nv))) == NULL)
		return -1;
	nv[n] = c;
	nv[n + 1] = NULL;
	*v = nv;
	return 0;
}
