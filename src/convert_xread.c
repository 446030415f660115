/* SPDX-License-Identifier: ISC */
/*
 * The reading half of --convert of xinetd: xinetd.conf with its include
 * and includedir directives (or one xinetd.d file, or a directory) into
 * sections of attributes (struct convert_xconf), nothing written yet;
 * convert_xinetd.c applies the defaults and the operators and writes.
 */
#include <sys/stat.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "superd.h"
#include "convert.h"

/* A remark about the files read, shown at the top of the output. */
static void __attribute__((format(printf, 2, 3)))
convert_xread_remark(struct convert_xconf *xc, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strv_push(&xc->xc_notes, buf) == -1)
		log_warnx("convert: out of memory");
}

/* Free what a section owns. */
void
convert_xread_sec_free(struct convert_xsec *s)
{
	size_t i;

	for (i = 0; i < s->xs_nattrs; i++) {
		free(s->xs_attrs[i].xa_name);
		strv_free(s->xs_attrs[i].xa_vals);
	}
	free(s->xs_attrs);
	free(s->xs_name);
	free(s->xs_file);
}

/* Whether a file name is one xinetd's includedir passes over. */
static int
convert_xread_skipped_name(const char *name)
{
	return strchr(name, '.') != NULL || strchr(name, '~') != NULL;
}

/* Parse attribute line LINE (trimmed) of section S; -1 if not one. */
static int
convert_xread_attr(struct convert_xsec *s, char *line, int n)
{
	struct convert_xattr *a, *na;
	char *p = line, *name, *tok;
	char op = '=';

	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if (p == line)
		return -1;
	if ((name = strndup(line, (size_t)(p - line))) == NULL)
		return -1;
	p += strspn(p, " \t");
	if ((*p == '+' || *p == '-') && p[1] == '=')
		op = *p++;
	if (*p != '=') {
		free(name);
		return -1;
	}
	na = realloc(s->xs_attrs, (s->xs_nattrs + 1) * sizeof(*na));
	if (na == NULL) {
		free(name);
		return -1;
	}
	s->xs_attrs = na;
	a = &na[s->xs_nattrs++];
	a->xa_name = name;
	a->xa_op = op;
	a->xa_vals = NULL;
	a->xa_line = n;
	for (p++; (tok = strtok_r(p, " \t\r\v\f", &p)) != NULL;)
		if (strv_push(&a->xa_vals, tok) == -1)
			return -1;
	return 0;
}

/* A new service section NAME at FILE:N; NULL when out of memory. */
static struct convert_xsec *
convert_xread_newsvc(struct convert_xconf *xc, const char *name, const char
    *file, int n, int skipped)
{
	struct convert_xsec *ns, *s;

	ns = realloc(xc->xc_svcs, (xc->xc_nsvcs + 1) * sizeof(*ns));
	if (ns == NULL)
		return NULL;
	xc->xc_svcs = ns;
	s = &ns[xc->xc_nsvcs];
	memset(s, 0, sizeof(*s));
	s->xs_name = strdup(name);
	s->xs_file = strdup(file);
	if (s->xs_name == NULL || s->xs_file == NULL) {
		free(s->xs_name);
		free(s->xs_file);
		return NULL;
	}
	s->xs_line = n;
	s->xs_skipped = skipped;
	xc->xc_nsvcs++;
	return s;
}

/* An include path, relative to the directory of FILE unless absolute. */
static char *
convert_xread_relpath(const char *file, const char *path)
{
	const char *slash = strrchr(file, '/');
	char *out;

	if (*path == '/' || slash == NULL)
		return strdup(path);
	if (asprintf(&out, "%.*s/%s", (int)(slash - file), file, path) == -1)
		return NULL;
	return out;
}

/* Sort names in C-locale order, as xinetd reads an includedir. */
static int
convert_xread_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file of directory DIR, in order; skipped names are read, flagged. */
int
convert_xread_dir(struct convert_xconf *xc, const char *dir, int depth)
{
	struct dirent *d;
	struct stat st;
	char **names = NULL, *path;
	size_t i, n;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL) {
		convert_xread_remark(xc, "%s: not read: %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((d = readdir(dp)) != NULL)
		if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
			strv_push(&names, d->d_name);
	closedir(dp);
	n = strv_len(names);
	if (n > 0)
		qsort(names, n, sizeof(*names), convert_xread_cmp);
	for (i = 0; i < n; i++) {
		if (asprintf(&path, "%s/%s", dir, names[i]) == -1)
			break;
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
			convert_xread_remark(xc, "%s: not read: not a regular "
			    "file", path);
		else {
			if (convert_xread_skipped_name(names[i]))
				convert_xread_remark(xc, "%s: xinetd's "
				    "includedir skips this file (its name "
				    "contains '.' or '~'); converted with "
				    "every service disabled", path);
			convert_xread_file(xc, path, depth,
			    convert_xread_skipped_name(names[i]));
		}
		free(path);
	}
	strv_free(names);
	return 0;
}

/* include FILE or includedir DIR from FILE:N. */
static void
convert_xread_include(struct convert_xconf *xc, const char *file, int n,
    char *line, int depth, int skipped)
{
	int isdir = strncmp(line, "includedir", 10) == 0;
	char *arg = line + (isdir ? 10 : 7), *path;

	arg += strspn(arg, " \t");
	if (*arg == '\0') {
		convert_xread_remark(xc, "%s:%d: %s without a path", file, n,
		    isdir ? "includedir" : "include");
		return;
	}
	if ((path = convert_xread_relpath(file, arg)) == NULL)
		return;
	if (isdir)
		convert_xread_dir(xc, path, depth + 1);
	else
		convert_xread_file(xc, path, depth + 1, skipped);
	free(path);
}

/* Parser state of one file. */
struct convert_xscan {
	struct convert_xsec *xp_sec; /* section being read, or NULL */
	int xp_state;		     /* 0 top, 1 wants '{', 2 inside */
};

/* A top-level line: service, defaults, include, includedir. */
static void
convert_xread_top(struct convert_xconf *xc, struct convert_xscan *xp,
    const char *file, int n, char *line, int depth, int skipped)
{
	char *p = line, *w, *name;
	int brace = strchr(line, '{') != NULL;

	if ((strncmp(line, "include", 7) == 0 && isspace((unsigned
	    char)line[7])) || (strncmp(line, "includedir", 10) == 0 &&
	    isspace((unsigned char)line[10]))) {
		convert_xread_include(xc, file, n, line, depth, skipped);
		return;
	}
	w = strtok_r(p, " \t{", &p);
	if (w != NULL && strcmp(w, "service") == 0 &&
	    (name = strtok_r(p, " \t{", &p)) != NULL) {
		xp->xp_sec = convert_xread_newsvc(xc, name, file, n, skipped);
		xp->xp_state = brace ? 2 : 1;
	} else if (w != NULL && strcmp(w, "defaults") == 0) {
		xp->xp_sec = &xc->xc_defaults;
		xp->xp_state = brace ? 2 : 1;
		if (xc->xc_defaults.xs_file == NULL)
			xc->xc_defaults.xs_file = strdup(file);
		if (skipped)
			convert_xread_remark(xc, "%s:%d: defaults in a file "
			    "xinetd skips: applied anyway", file, n);
	} else {
		convert_xread_remark(xc, "%s:%d: not understood, ignored: %s",
		    file, n, w != NULL ? w : line);
		return;
	}
	if (xp->xp_sec == NULL) {
		convert_xread_remark(xc, "%s:%d: out of memory", file, n);
		xp->xp_state = 0;
	}
}

/* One trimmed, non-comment line of FILE at N. */
static void
convert_xread_line(struct convert_xconf *xc, struct convert_xscan *xp,
    const char *file, int n, char *line, int depth, int skipped)
{
	if (xp->xp_state == 1) {
		if (line[0] == '{') {
			xp->xp_state = 2;
			return;
		}
		convert_xread_remark(xc, "%s:%d: expected '{' after the "
		    "section name", file, n);
		xp->xp_state = 0;
	}
	if (xp->xp_state == 2) {
		if (line[0] == '}') {
			xp->xp_state = 0;
			xp->xp_sec = NULL;
		} else if (convert_xread_attr(xp->xp_sec, line, n) == -1)
			convert_xread_remark(xc, "%s:%d: not an attribute "
			    "line, ignored: %s", file, n, line);
		return;
	}
	convert_xread_top(xc, xp, file, n, line, depth, skipped);
}

/* Whether FILE is already open in the include chain (a loop). */
static int
convert_xread_loop(struct convert_xconf *xc, const struct stat *st, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		if (xc->xc_dev[i] == st->st_dev && xc->xc_ino[i] == st->st_ino)
			return 1;
	xc->xc_dev[depth] = st->st_dev;
	xc->xc_ino[depth] = st->st_ino;
	return 0;
}

/* Read FILE at include DEPTH; its services are SKIPPED by xinetd if set. */
int
convert_xread_file(struct convert_xconf *xc, const char *file, int depth,
    int skipped)
{
	struct convert_xscan xp = { NULL, 0 };
	struct stat st;
	char *buf, *line, *next, *end;
	size_t len;
	int n = 0;

	if (depth > CONVERT_MAX_DEPTH || xc->xc_nfiles >= CONVERT_MAX_FILES) {
		convert_xread_remark(xc, "%s: not read: %s", file, depth >
		    CONVERT_MAX_DEPTH ? "includes nested too deep" :
		    "too many files");
		return -1;
	}
	if (stat(file, &st) == -1) {
		convert_xread_remark(xc, "%s: not read: %s", file,
		    strerror(errno));
		return -1;
	}
	if (convert_xread_loop(xc, &st, depth)) {
		convert_xread_remark(xc, "%s: not read again: include loop",
		    file);
		return -1;
	}
	xc->xc_nfiles++;
	if ((buf = convert_write_slurp(file, &len, xc->xc_out)) == NULL)
		return -1;
	for (line = buf; *line != '\0'; line = next) {
		next = line + strcspn(line, "\n");
		if (*next == '\n')
			*next++ = '\0';
		n++;
		line += strspn(line, " \t\r\v\f");
		end = line + strlen(line);
		while (end > line && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*line == '\0' || *line == '#')
			continue;
		convert_xread_line(xc, &xp, file, n, line, depth, skipped);
	}
	if (xp.xp_state != 0)
		convert_xread_remark(xc, "%s: ends inside a section (missing "
		    "'}')", file);
	free(buf);
	return 0;
}

/*
 * Whether the text looks like xinetd: the first word of the first
 * meaningful line is service, defaults, include or includedir.
 */
int
convert_looks_xinetd(const char *buf)
{
	const char *p = buf;
	size_t n;

	while (*p != '\0') {
		p += strspn(p, " \t\r\n\v\f");
		if (*p == '#') {
			if (strncmp(p, "#<off>#", 7) == 0)
				return 0;
			p += strcspn(p, "\n");
			continue;
		}
		n = strcspn(p, " \t\r\n\v\f{");
		return (n == 7 && (strncmp(p, "service", 7) == 0 ||
		    strncmp(p, "include", 7) == 0)) ||
		    (n == 8 && strncmp(p, "defaults", 8) == 0) ||
		    (n == 10 && strncmp(p, "includedir", 10) == 0);
	}
	return 0;
}
