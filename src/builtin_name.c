/* SPDX-License-Identifier: ISC */
/*
 * The names of the builtins, beside the service table: the parsers look a
 * builtin up by name and --list prints it, without reaching the code that
 * serves it (builtin.c).
 */
#include <string.h>

#include "superd.h"

/* Names of the builtins, with the aliases /etc/services gives them. */
static const struct {
	const char *bn_name;	    /* name as a config may write it */
	enum builtin_kind bn_kind; /* the builtin it selects */
} builtin_names[] = {
	{ "echo", BUILTIN_ECHO },
	{ "discard", BUILTIN_DISCARD },
	{ "chargen", BUILTIN_CHARGEN },
	{ "daytime", BUILTIN_DAYTIME },
	{ "time", BUILTIN_TIME },
	{ "sink", BUILTIN_DISCARD },
	{ "null", BUILTIN_DISCARD },
	{ "ttytst", BUILTIN_CHARGEN },
	{ "source", BUILTIN_CHARGEN },
	{ "timserver", BUILTIN_TIME },
};

/* The builtin called NAME, or BUILTIN_NONE. */
enum builtin_kind
builtin_name_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return BUILTIN_NONE;
	for (i = 0; i < sizeof(builtin_names) / sizeof(builtin_names[0]); i++)
		if (strcmp(name, builtin_names[i].bn_name) == 0)
			return builtin_names[i].bn_kind;
	return BUILTIN_NONE;
}

/* The canonical name of KIND, or NULL for BUILTIN_NONE and unknown values. */
const char *
builtin_name(enum builtin_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(builtin_names) / sizeof(builtin_names[0]); i++)
		if (builtin_names[i].bn_kind == kind)
			return builtin_names[i].bn_name;
	return NULL;
}
