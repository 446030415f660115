/* SPDX-License-Identifier: ISC */
/*
 * The native superd.conf, read with libconfuse (with conf_service.c, the
 * only files that include confuse.h): the schema from conf_options.h,
 * values checked (conf_value.c) while the file is parsed, so an error
 * names the line of the offending value; comments stripped with lines
 * kept; includes and inetd_conf directives; the globals.  Each service
 * section is built by conf_service.c.  Every name (port, user, group)
 * resolves once, at load time.
 */
#include <sys/stat.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <confuse.h>

#include "superd.h"
#include "conf.h"

#define CONF_MAX_DEPTH 8		/* include nesting */
#define CONF_MAX_FILES 256		/* files one load reads, includes and all */
#define CONF_MAX_SIZE (4 * 1024 * 1024) /* bytes of one file */
#define CONF_MAX_RECORDS 1024		/* include and inetd_conf per file */

/*
 * libconfuse calls the error and validate functions without a user
 * pointer, so the file being parsed is reached through this.  Set only
 * while cfg_parse_fp runs.
 */
static struct conf_file *conf_cur;

static int conf_record(cfg_t *, cfg_opt_t *);

/* The libconfuse schema entry of an option of type TYPE. */
#define CONF_CFG_STR(n) CFG_STR(n, NULL, CFGF_NODEFAULT),
#define CONF_CFG_STR_LIST(n) CFG_STR_LIST(n, NULL, CFGF_NODEFAULT),
#define CONF_CFG_INT(n) CFG_INT(n, 0, CFGF_NODEFAULT),
#define CONF_CFG_INT_LIST(n) CFG_INT_LIST(n, NULL, CFGF_NODEFAULT),
#define CONF_CFG_BOOL(n) CFG_BOOL(n, cfg_false, CFGF_NODEFAULT),
#define CONF_IN_SVC_SVC(x) x
#define CONF_IN_SVC_TOP(x)
#define CONF_IN_TOP_TOP(x) x
#define CONF_IN_TOP_SVC(x)

/* Per-service options: shared by defaults { } and service NAME { }. */
static cfg_opt_t conf_svc_opts[] = {
#define CONF_OPTION(name, type, scope, check, min, max, lands, def, shown) \
	CONF_IN_SVC_##scope(CONF_CFG_##type(name))
#include "conf_options.h"
#undef CONF_OPTION
	CFG_END()
};

/* The file: globals, directives, defaults { } and service NAME { }. */
static cfg_opt_t conf_top_opts[] = {
#define CONF_OPTION(name, type, scope, check, min, max, lands, def, shown) \
	CONF_IN_TOP_##scope(CONF_CFG_##type(name))
#include "conf_options.h"
#undef CONF_OPTION
	CFG_SEC("defaults", conf_svc_opts, CFGF_NONE),
	CFG_SEC("service", conf_svc_opts,
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_END()
};

/* libconfuse's own errors (syntax, unknown option, type) as file:line. */
static void
conf_cfg_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	char msg[400];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (conf_cur == NULL) {
		log_errx("config error: %s", msg);
		return;
	}
	conf_err(conf_cur, cfg != NULL ? cfg->line : 0, "%s", msg);
}

/* Option NAME at the top level (TOP) or of a service, or NULL. */
static const struct conf_opt *
conf_opt_find(const char *name, int top)
{
	size_t i;

	for (i = 0; i < conf_nopts; i++)
		if (conf_opts[i].co_top == top &&
		    strcmp(conf_opts[i].co_name, name) == 0)
			return &conf_opts[i];
	return NULL;
}

/* Whether option CO has a check of its values. */
static int
conf_opt_checked(const struct conf_opt *co)
{
	return co != NULL && (co->co_check != NULL || co->co_min != 0 ||
	    co->co_max != 0);
}

/*
 * A value of OPT in section CFG is refused: say so once (libconfuse checks
 * the last value of a list twice), remember the section so it is not built
 * (which would report it again), and go on parsing to find every error.
 */
static int
conf_refuse(cfg_t *cfg, cfg_opt_t *opt, const char *fmt, ...)
{
	struct conf_file *cf = conf_cur;
	char msg[400];
	va_list ap;
	int i;

	if (cf == NULL)
		return -1;
	if (cf->cf_lastopt == opt && cf->cf_lastn == cfg_opt_size(opt))
		return 0;
	cf->cf_lastopt = opt;
	cf->cf_lastn = cfg_opt_size(opt);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_error(cfg, "%s", msg);
	for (i = 0; i < cf->cf_nbad && cf->cf_bad[i] != cfg; i++)
		;
	if (i == cf->cf_nbad && cf->cf_nbad < CONF_MAX_BAD)
		cf->cf_bad[cf->cf_nbad++] = cfg;
	return 0;
}

/* Whether a value of section SEC of CF was refused while parsing. */
static int
conf_is_bad(const struct conf_file *cf, const cfg_t *sec)
{
	int i;

	for (i = 0; i < cf->cf_nbad; i++)
		if (cf->cf_bad[i] == sec)
			return 1;
	return 0;
}

/*
 * Check the value of option CO just parsed (the last of OPT in section
 * CFG): refused (said) when out of range or when its check says why.
 */
static int
conf_validate(const struct conf_opt *co, cfg_t *cfg, cfg_opt_t *opt)
{
	unsigned int n = cfg_opt_size(opt);
	const char *why, *s;
	long v;

	if (!conf_opt_checked(co) || n == 0)
		return 0;
	if (opt->type == CFGT_INT) {
		v = cfg_opt_getnint(opt, n - 1);
		if (v >= co->co_min && v <= co->co_max)
			return 0;
		return conf_refuse(cfg, opt, "%s %ld: must be %ld-%ld",
		    cfg_opt_name(opt), v, co->co_min, co->co_max);
	}
	if ((s = cfg_opt_getnstr(opt, n - 1)) == NULL || co->co_check == NULL)
		return 0;
	if ((why = co->co_check(s)) == NULL)
		return 0;
	return conf_refuse(cfg, opt, "%s \"%s\": %s", cfg_opt_name(opt), s,
	    why);
}

/* Validator of a checked top-level option. */
static int
conf_validate_top(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_validate(conf_opt_find(cfg_opt_name(opt), 1), cfg, opt);
}

/* Validator of a checked service option (in a service or defaults). */
static int
conf_validate_svc(cfg_t *cfg, cfg_opt_t *opt)
{
	return conf_validate(conf_opt_find(cfg_opt_name(opt), 0), cfg, opt);
}

/*
 * Record an include or inetd_conf value with its line.  Recorded as parsed,
 * not read back afterwards, so a second `include = ...` line adds to the
 * first instead of replacing it.  libconfuse validates the last value of a
 * list twice (once more at the closing brace): the repeat is skipped.
 */
static int
conf_record(cfg_t *cfg, cfg_opt_t *opt)
{
	struct conf_file *cf = conf_cur;
	unsigned int n = cfg_opt_size(opt);
	enum conf_rec_kind kind;
	struct conf_rec *r, *nr;
	const char *s;

	if (cf == NULL || n == 0 || (s = cfg_opt_getnstr(opt, n - 1)) == NULL)
		return 0;
	kind = strcmp(cfg_opt_name(opt), "include") == 0 ? CONF_REC_INCLUDE :
	    CONF_REC_INETD;
	r = cf->cf_nrecs > 0 ? &cf->cf_recs[cf->cf_nrecs - 1] : NULL;
	if (r != NULL && r->cr_kind == kind && r->cr_line == cfg->line &&
	    r->cr_index == n - 1 && strcmp(r->cr_path, s) == 0)
		return 0;
	if (*s == '\0' || cf->cf_nrecs >= CONF_MAX_RECORDS) {
		cfg_error(cfg, "%s: %s", cfg_opt_name(opt), *s == '\0' ?
		    "empty path" : "too many directives");
		return -1;
	}
	nr = realloc(cf->cf_recs, (cf->cf_nrecs + 1) * sizeof(*nr));
	if (nr == NULL)
		return -1;
	cf->cf_recs = nr;
	r = &nr[cf->cf_nrecs];
	if ((r->cr_path = strdup(s)) == NULL)
		return -1;
	r->cr_kind = kind;
	r->cr_line = cfg->line;
	r->cr_index = n - 1;
	cf->cf_nrecs++;
	return 0;
}

/*
 * Attach the validators to the options of OPTS, under the prefix PFX
 * (TOP: the top level's).
 */
static void
conf_set_validators(cfg_t *cfg, cfg_opt_t *opts, const char *pfx, int top)
{
	char name[64];
	int i;

	for (i = 0; opts[i].name != NULL; i++) {
		const char *n = opts[i].name;

		snprintf(name, sizeof(name), "%s%s", pfx, n);
		if (top && (strcmp(n, "include") == 0 ||
		    strcmp(n, "inetd_conf") == 0))
			cfg_set_validate_func(cfg, name, conf_record);
		else if (conf_opt_checked(conf_opt_find(n, top)))
			cfg_set_validate_func(cfg, name, top ?
			    conf_validate_top : conf_validate_svc);
	}
}

/* Read PATH into a NUL-terminated buffer. */
static char *
conf_slurp(struct conf_file *cf, size_t *lenp)
{
	FILE *fp;
	char *buf;
	size_t len;

	if ((fp = fopen(cf->cf_path, "r")) == NULL) {
		conf_err(cf, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if ((buf = slurp_stream(fp, CONF_MAX_SIZE, &len)) == NULL) {
		if (errno == EFBIG)
			conf_err(cf, 0, "larger than %d bytes", CONF_MAX_SIZE);
		else
			conf_err(cf, 0, "%s", errno == ENOMEM ?
			    "out of memory" : "read error");
	}
	fclose(fp);
	*lenp = len;
	return buf;
}

/* Scanner state of conf_strip. */
struct conf_scan {
	char cs_prev[2];	/* kinds of the last two tokens: w = word */
	int cs_prevline[2];	/* their lines */
	int cs_prevsvc[2];	/* whether the word was "service" */
	int cs_depth;		/* brace depth */
	int cs_openline;	/* line of the open top-level brace */
	int cs_line;		/* current line */
};

/* Note a token of KIND at the current line; record `service NAME {`. */
static int
conf_scan_token(struct conf_file *cf, struct conf_scan *cs, char kind,
    int is_service)
{
	int *nl;

	if (kind == '{' && cs->cs_depth == 0)
		cs->cs_openline = cs->cs_line;
	if (kind == '{' && cs->cs_depth++ == 0 && cs->cs_prev[0] == 'w' &&
	    cs->cs_prev[1] == 'w' && cs->cs_prevsvc[1]) {
		nl = realloc(cf->cf_svclines, (cf->cf_nsvc + 1) * sizeof(*nl));
		if (nl == NULL)
			return -1;
		cf->cf_svclines = nl;
		nl[cf->cf_nsvc++] = cs->cs_prevline[1];
	}
	if (kind == '}' && cs->cs_depth > 0)
		cs->cs_depth--;
	cs->cs_prev[1] = cs->cs_prev[0];
	cs->cs_prevline[1] = cs->cs_prevline[0];
	cs->cs_prevsvc[1] = cs->cs_prevsvc[0];
	cs->cs_prev[0] = kind;
	cs->cs_prevline[0] = cs->cs_line;
	cs->cs_prevsvc[0] = is_service;
	return 0;
}

/* Skip a quoted string at P (quote char Q); the position after it. */
static size_t
conf_skip_quoted(const char *buf, size_t p, size_t len, int *line)
{
	char q = buf[p++];

	while (p < len && buf[p] != q) {
		if (buf[p] == '\\' && p + 1 < len)
			p++;
		if (buf[p] == '\n')
			(*line)++;
		p++;
	}
	return p < len ? p + 1 : p;
}

/* Blank a comment at P (#, // or / *) keeping newlines; the end. */
static size_t
conf_blank_comment(char *buf, size_t p, size_t len, int *line)
{
	int block = buf[p] == '/' && buf[p + 1] == '*';

	buf[p++] = ' ';
	if (block)
		buf[p++] = ' ';
	while (p < len) {
		if (!block && buf[p] == '\n')
			return p;
		if (block && buf[p] == '*' && buf[p + 1] == '/') {
			buf[p] = buf[p + 1] = ' ';
			return p + 2;
		}
		if (buf[p] == '\n')
			(*line)++;
		else
			buf[p] = ' ';
		p++;
	}
	return p;
}

/*
 * Remove comments before libconfuse sees them: libconfuse 3.3 miscounts
 * lines after a comment and refuses a comment inside a list.  On the way,
 * note the line of every top-level `service NAME {`, because libconfuse
 * leaves a section's line at its closing brace.
 */
static int
conf_strip(struct conf_file *cf, char *buf, size_t len)
{
	struct conf_scan cs = { { 0, 0 }, { 0, 0 }, { 0, 0 }, 0, 0, 1 };
	const char *nul = memchr(buf, '\0', len);
	size_t p = 0, q;

	if (nul != NULL) {
		for (q = 0; buf + q < nul; q++)
			cs.cs_line += buf[q] == '\n';
		conf_err(cf, cs.cs_line, "NUL byte in file");
		return -1;
	}
	while (p < len) {
		char c = buf[p];

		if (c == '\n') {
			cs.cs_line++;
			p++;
		} else if (c == '#' || (c == '/' && (buf[p + 1] == '/' ||
		    buf[p + 1] == '*')))
			p = conf_blank_comment(buf, p, len, &cs.cs_line);
		else if (c == '"' || c == '\'') {
			q = p;
			if (conf_scan_token(cf, &cs, 'w', 0) == -1)
				return -1;
			p = conf_skip_quoted(buf, p, len, &cs.cs_line);
			cs.cs_prevsvc[0] = p - q == 9 &&
			    strncmp(buf + q + 1, "service", 7) == 0;
		} else if (strchr("{}=,()+", c) != NULL) {
			if (conf_scan_token(cf, &cs, c, 0) == -1)
				return -1;
			p++;
		} else if (isspace((unsigned char)c))
			p++;
		else {
			q = p;
			while (p < len && !isspace((unsigned char)buf[p]) &&
			    strchr("{}=,()+#\"'", buf[p]) == NULL &&
			    !(buf[p] == '/' && (buf[p + 1] == '/' ||
			    buf[p + 1] == '*')))
				p++;
			if (conf_scan_token(cf, &cs, 'w', p - q == 7 &&
			    strncmp(buf + q, "service", 7) == 0) == -1)
				return -1;
		}
	}
	/* libconfuse 3.3 takes end of file as the end of an open section */
	if (cs.cs_depth > 0) {
		conf_err(cf, cs.cs_openline, "missing closing brace");
		return -1;
	}
	return 0;
}

/* Parse the text of CF with libconfuse into cf_cfg. */
static int
conf_load(struct conf_file *cf)
{
	struct conf_file *saved = conf_cur;
	size_t len = 0;
	char *buf;
	FILE *fp;
	int rc = -1, nerr = cf->cf_tab->st_nerrors;

	if ((buf = conf_slurp(cf, &len)) == NULL)
		return -1;
	if (conf_strip(cf, buf, len) == -1)
		goto out;
	if ((cf->cf_cfg = cfg_init(conf_top_opts, CFGF_NONE)) == NULL) {
		conf_err(cf, 0, "out of memory");
		goto out;
	}
	cfg_set_error_function(cf->cf_cfg, conf_cfg_error);
	conf_set_validators(cf->cf_cfg, conf_top_opts, "", 1);
	conf_set_validators(cf->cf_cfg, conf_svc_opts, "defaults|", 0);
	conf_set_validators(cf->cf_cfg, conf_svc_opts, "service|", 0);
	free(cf->cf_cfg->filename);
	cf->cf_cfg->filename = strdup(cf->cf_path);
	if (len == 0) {
		rc = 0;
		goto out;
	}
	if ((fp = fmemopen(buf, len, "r")) == NULL) {
		conf_err(cf, 0, "fmemopen: %s", strerror(errno));
		goto out;
	}
	conf_cur = cf;
	rc = cfg_parse_fp(cf->cf_cfg, fp) == CFG_SUCCESS ? 0 : -1;
	conf_cur = saved;
	fclose(fp);
	if (rc == -1 && cf->cf_tab->st_nerrors == nerr)
		conf_err(cf, 0, "parse error");
out:
	free(buf);
	return rc;
}

/* The top-level settings that this file sets. */
static int
conf_globals(struct conf_file *cf)
{
	struct globals *gl = &cf->cf_tab->st_globals;
	cfg_t *cfg = cf->cf_cfg;
	const struct conf_opt *co;
	size_t i;
	int *p;

	for (i = 0; i < conf_nopts; i++) {
		co = &conf_opts[i];
		if (co->co_gl == CONF_NONE || cfg_size(cfg, co->co_name) == 0)
			continue;
		p = (int *)(void *)((char *)gl + co->co_gl);
		*p = co->co_type == CFGT_INT ? (int)cfg_getint(cfg, co->co_name) :
		    cfg_getbool(cfg, co->co_name) == cfg_true;
	}
	if (cfg_size(cfg, "user") > 0) {
		free(gl->gl_user);
		if ((gl->gl_user = strdup(cfg_getstr(cfg, "user"))) == NULL) {
			conf_err(cf, 0, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* Every service section of the file, with the line it was declared on. */
static int
conf_services(struct conf_file *cf)
{
	unsigned int i, n = cfg_size(cf->cf_cfg, "service");
	int rc = 0;

	for (i = 0; i < n; i++) {
		cfg_t *sec = cfg_getnsec(cf->cf_cfg, "service", i);
		int line = (int)n == cf->cf_nsvc ? cf->cf_svclines[i] :
		    sec->line;

		if (conf_is_bad(cf, sec))
			rc = -1; /* its refused value is already reported */
		else if (conf_service(cf, sec, line) == -1)
			rc = -1;
	}
	return rc;
}

static int conf_file(struct svctab *, const char *, struct conf_file *, int,
    const struct stat *);

/* PATH relative to the directory of the file CF, in BUF. */
static const char *
conf_relpath(struct conf_file *cf, const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(cf->cf_path, '/');

	if (*path == '/' || slash == NULL)
		return path;
	if ((size_t)snprintf(buf, len, "%.*s/%s", (int)(slash - cf->cf_path),
	    cf->cf_path, path) >= len)
		return path;
	return buf;
}

/* Only regular entries, not . and .., for scandir. */
static int
conf_dirent_visible(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

/*
 * Every *.conf of directory DIR (identity DIRST), sorted; every other name
 * is logged.  A directory already being read on this include path is an
 * include loop (a file in it includes it again): refused.
 */
static int
conf_include_dir(struct conf_file *cf, const char *dir,
    const struct stat *dirst, int line)
{
	struct dirent **ents;
	char path[PATH_MAX];
	struct conf_file *p;
	struct stat st;
	int i, n, rc = 0;

	for (p = cf; p != NULL; p = p->cf_parent)
		if (p->cf_dirino == dirst->st_ino &&
		    p->cf_dirdev == dirst->st_dev) {
			conf_err(cf, line, "include %s: an include loop: this "
			    "directory is already being read (%s is in it)",
			    dir, p->cf_path);
			return -1;
		}
	svctab_note_path(cf->cf_tab, dir, 1);
	if ((n = scandir(dir, &ents, conf_dirent_visible, alphasort)) == -1) {
		conf_err(cf, line, "include %s: %s", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		size_t len = strlen(name);

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
		    sizeof(path))
			log_info("%s:%d: include %s/%s: skipped (path too long)",
			    cf->cf_path, line, dir, name);
		else if (len <= 5 || strcmp(name + len - 5, ".conf") != 0)
			log_info("%s:%d: include %s: skipped (name does not end in .conf)",
			    cf->cf_path, line, path);
		else if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
			log_info("%s:%d: include %s: skipped (not a regular "
			    "file)", cf->cf_path, line, path);
		else if (conf_file(cf->cf_tab, path, cf, line, dirst) == -1)
			rc = -1;
		free(ents[i]);
	}
	free(ents);
	return rc;
}

/* One include directive: a file, or a directory of *.conf files. */
static int
conf_include(struct conf_file *cf, const struct conf_rec *r)
{
	char buf[PATH_MAX];
	const char *path = conf_relpath(cf, r->cr_path, buf, sizeof(buf));
	struct stat st;

	if (stat(path, &st) == -1) {
		conf_err(cf, r->cr_line, "include %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		log_info("%s:%d: include %s: reading every *.conf in it",
		    cf->cf_path, r->cr_line, path);
		return conf_include_dir(cf, path, &st, r->cr_line);
	}
	return conf_file(cf->cf_tab, path, cf, r->cr_line, NULL);
}

/* One inetd_conf directive: a classic inetd.conf pulled in. */
static int
conf_inetd(struct conf_file *cf, const struct conf_rec *r)
{
	char buf[PATH_MAX];
	const char *path = conf_relpath(cf, r->cr_path, buf, sizeof(buf));
	FILE *fp;
	int rc;

	svctab_note_path(cf->cf_tab, path, 0);
	if ((fp = fopen(path, "r")) == NULL) {
		conf_err(cf, r->cr_line, "inetd_conf %s: %s", path,
		    strerror(errno));
		return -1;
	}
	log_info("%s:%d: inetd_conf %s: reading", cf->cf_path, r->cr_line,
	    path);
	rc = inetd_conf_parse(cf->cf_tab, path, fp);
	fclose(fp);
	return rc;
}

/* Whether the file (DEV, INO) is CF or one of its includers. */
static int
conf_is_loop(struct conf_file *cf, dev_t dev, ino_t ino)
{
	for (; cf != NULL; cf = cf->cf_parent)
		if (cf->cf_dev == dev && cf->cf_ino == ino)
			return 1;
	return 0;
}

/* Free what a conf_file holds. */
static void
conf_file_free(struct conf_file *cf)
{
	int i;

	if (cf->cf_cfg != NULL)
		cfg_free(cf->cf_cfg);
	for (i = 0; i < cf->cf_nrecs; i++)
		free(cf->cf_recs[i].cr_path);
	free(cf->cf_recs);
	free(cf->cf_svclines);
}

/*
 * Whether PATH can be read as file CF under PARENT: no loop, not too deep,
 * not one file too many for the load (CONF_MAX_FILES, said once).
 */
static int
conf_file_open(struct conf_file *cf, struct conf_file *parent, int line)
{
	struct conf_file *top;
	struct stat st;
	const char *errpath = parent != NULL ? parent->cf_path : cf->cf_path;

	for (top = parent; top != NULL && top->cf_parent != NULL;
	    top = top->cf_parent)
		;
	if (top != NULL && ++top->cf_nfiles >= CONF_MAX_FILES) {
		if (top->cf_nfiles == CONF_MAX_FILES)
			svctab_error(cf->cf_tab, errpath, line, "include %s: "
			    "more than %d files in one configuration",
			    cf->cf_path, CONF_MAX_FILES);
		return -1;
	}

	if (stat(cf->cf_path, &st) == -1) {
		svctab_error(cf->cf_tab, errpath, line, "%s: %s", cf->cf_path,
		    strerror(errno));
		return -1;
	}
	if (conf_is_loop(parent, st.st_dev, st.st_ino)) {
		svctab_error(cf->cf_tab, errpath, line, "include %s: includes "
		    "itself", cf->cf_path);
		return -1;
	}
	if (cf->cf_depth > CONF_MAX_DEPTH) {
		svctab_error(cf->cf_tab, errpath, line, "include %s: nested "
		    "more than %d deep", cf->cf_path, CONF_MAX_DEPTH);
		return -1;
	}
	cf->cf_dev = st.st_dev;
	cf->cf_ino = st.st_ino;
	return 0;
}

/*
 * Read the file PATH (included by PARENT at LINE, or the top file); DIR
 * is the directory a directory include found it in, or NULL.
 */
static int
conf_file(struct svctab *tab, const char *path, struct conf_file *parent,
    int line, const struct stat *dir)
{
	struct conf_file cf;
	int i, rc = -1, nerr = tab->st_nerrors;

	memset(&cf, 0, sizeof(cf));
	svctab_note_path(tab, path, 0);
	cf.cf_tab = tab;
	cf.cf_path = path;
	cf.cf_parent = parent;
	cf.cf_depth = parent != NULL ? parent->cf_depth + 1 : 0;
	if (dir != NULL) {
		cf.cf_dirdev = dir->st_dev;
		cf.cf_dirino = dir->st_ino;
	}
	if (conf_file_open(&cf, parent, line) == -1)
		return -1;
	if (parent != NULL)
		log_info("%s: including %s", parent->cf_path, path);
	if (conf_load(&cf) == -1)
		goto out;
	rc = conf_globals(&cf);
	if (conf_services(&cf) == -1)
		rc = -1;
	for (i = 0; i < cf.cf_nrecs; i++) {
		if (cf.cf_recs[i].cr_kind == CONF_REC_INCLUDE ?
		    conf_include(&cf, &cf.cf_recs[i]) == -1 :
		    conf_inetd(&cf, &cf.cf_recs[i]) == -1)
			rc = -1;
	}
out:
	conf_file_free(&cf);
	return rc == 0 && tab->st_nerrors == nerr ? 0 : -1;
}

/* Read the native config at PATH into TAB. */
int
conf_parse(struct svctab *tab, const char *path)
{
	return conf_file(tab, path, NULL, 0, NULL);
}
