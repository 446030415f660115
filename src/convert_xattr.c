/* SPDX-License-Identifier: ISC */
/*
 * The attributes of one xinetd service as --convert sees them: the
 * effective value of an attribute (the defaults section, then the
 * service's =, += and -=), and what is said of one that is not carried
 * over (counted, with the file and line that set it) or that keeps the
 * service from running.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "superd.h"
#include "convert.h"

/* Whether WORD is in the NULL-terminated LIST. */
int
convert_xattr_in(const char *const *list, const char *word)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, word) == 0)
			return 1;
	return 0;
}

/*
 * The effective list NAME of the service: the defaults' accumulated values
 * (when INHERIT), replaced by the service's first `=`, extended by `+=`,
 * reduced by `-=`.  -1 when neither sets it, else the number of values.
 */
int
convert_xattr_list(struct convert_xsvc *xv, const char *name, int inherit,
    char ***out)
{
	struct convert_xsec *secs[2] = { &xv->xv_conf->xc_defaults, xv->xv_sec
	    };
	char **v = NULL;
	size_t i, j, k;
	int s, spec = -1, own = 0;

	for (s = inherit ? 0 : 1; s < 2; s++) {
		for (i = 0; i < secs[s]->xs_nattrs; i++) {
			struct convert_xattr *a = &secs[s]->xs_attrs[i];

			if (strcmp(a->xa_name, name) != 0)
				continue;
			if (s == 1 && a->xa_op == '=' && !own) {
				strv_free(v);
				v = NULL;
			}
			own |= s == 1;
			spec = 0;
			for (j = 0; a->xa_vals != NULL && a->xa_vals[j]; j++) {
				if (a->xa_op != '-') {
					strv_push(&v, a->xa_vals[j]);
					continue;
				}
				for (k = 0; v != NULL && v[k] != NULL; k++)
					if (strcmp(v[k], a->xa_vals[j]) == 0) {
						free(v[k]);
						memmove(&v[k], &v[k + 1],
						    (strv_len(v + k + 1) + 1) *
						    sizeof(*v));
						k--;
					}
			}
		}
	}
	*out = v;
	return spec == -1 ? -1 : (int)strv_len(v);
}

/* The values of scalar NAME: the service's, else (INHERIT) the defaults'. */
char *const *
convert_xattr_get(struct convert_xsvc *xv, const char *name, int inherit)
{
	static char *const empty[] = { NULL };
	struct convert_xsec *secs[2] = { xv->xv_sec, &xv->xv_conf->xc_defaults
	    };
	size_t i;
	int s;

	for (s = 0; s < (inherit ? 2 : 1); s++)
		for (i = secs[s]->xs_nattrs; i-- > 0;)
			if (strcmp(secs[s]->xs_attrs[i].xa_name, name) == 0)
				return secs[s]->xs_attrs[i].xa_vals != NULL ?
				    secs[s]->xs_attrs[i].xa_vals : empty;
	return NULL;
}

/* The first value of scalar NAME, or NULL. */
const char *
convert_xattr_get1(struct convert_xsvc *xv, const char *name, int inherit)
{
	char *const *v = convert_xattr_get(xv, name, inherit);

	return v != NULL ? v[0] : NULL;
}

/* The values of V joined by spaces into BUF. */
const char *
convert_xattr_join(char *const *v, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; v != NULL && v[i] != NULL && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? " " : "",
		    v[i]);
	return buf;
}

/*
 * Attribute NAME of the service, not carried over because of WHY: said on
 * stderr with the file and line that set it (the service's, else the
 * defaults'), and counted.
 */
void
convert_xattr_lost(struct convert_xsvc *xv, const char *name, const char *value,
    const char *fmt, ...)
{
	struct convert_xsec *secs[2] = { xv->xv_sec, &xv->xv_conf->xc_defaults
	    };
	const char *file = xv->xv_sec->xs_file;
	int line = xv->xv_sec->xs_line, s, found = 0;
	char why[512], setting[256];
	size_t i;
	va_list ap;

	for (s = 0; s < 2 && !found; s++)
		for (i = secs[s]->xs_nattrs; i-- > 0 && !found;)
			if (strcmp(secs[s]->xs_attrs[i].xa_name, name) == 0 &&
			    secs[s]->xs_file != NULL) {
				file = secs[s]->xs_file;
				line = secs[s]->xs_attrs[i].xa_line;
				found = 1;
			}
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(setting, sizeof(setting), "%s%s%s", name, value ? " " : "",
	    value ? value : "");
	convert_write_lost(xv->xv_conf->xc_loss, file, line, setting, "%s",
	    why);
}

/* Mark the service as unable to run, with the reason. */
void
convert_xattr_fatal(struct convert_xsvc *xv, const char *fmt, ...)
{
	va_list ap;

	if (xv->xv_fatal[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(xv->xv_fatal, sizeof(xv->xv_fatal), fmt, ap);
	va_end(ap);
}
