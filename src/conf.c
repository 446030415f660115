/* SPDX-License-Identifier: ISC */
/*
 * The native superd.conf, read with libconfuse: the only file that includes
 * confuse.h.  Values are checked (conf_value.c) while the file is parsed, so
 * an error names the line of the offending value; what needs several
 * options at once (protocol against socket type, builtin against wait) is
 * checked when the service is built and names the line of `service NAME`.
 * Every name (port, user, group) resolves once, at load time.
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

#define CONF_MAX_DEPTH 8		/* include nesting */
#define CONF_MAX_FILES 256		/* files one load reads, includes and all */
#define CONF_MAX_SIZE (4 * 1024 * 1024) /* bytes of one file */
#define CONF_MAX_RECORDS 1024		/* include and inetd_conf per file */

#define CONF_MAX_BAD 64 /* sections with a refused value remembered */

/* What an include or inetd_conf directive asked for. */
enum conf_rec_kind {
	CONF_REC_INCLUDE,
	CONF_REC_INETD,
};

/* One include or inetd_conf directive, recorded while parsing. */
struct conf_rec {
	enum conf_rec_kind cr_kind; /* include or inetd_conf */
	char *cr_path;		    /* as written */
	int cr_line;		    /* line of the value */
	unsigned int cr_index;	    /* index in the option's list */
};

/* One file being read; included files chain to their includer. */
struct conf_file {
	struct svctab *cf_tab;	      /* where services go */
	const char *cf_path;	      /* the file's name, for errors */
	struct conf_file *cf_parent;  /* includer, NULL at the top */
	int cf_depth;		      /* include nesting */
	dev_t cf_dev;		      /* identity, to refuse include loops */
	ino_t cf_ino;
	dev_t cf_dirdev;	      /* the directory whose include read it */
	ino_t cf_dirino;	      /* (0: included by name, or the top) */
	int cf_nfiles;		      /* at the top: files this load read */
	cfg_t *cf_cfg;		      /* parsed file */
	int *cf_svclines;	      /* line of each `service NAME {` */
	int cf_nsvc;		      /* entries in cf_svclines */
	struct conf_rec *cf_recs;     /* include / inetd_conf directives */
	int cf_nrecs;		      /* entries in cf_recs */
	cfg_t *cf_bad[CONF_MAX_BAD];  /* sections with a value refused */
	int cf_nbad;		      /* entries in cf_bad */
	const cfg_opt_t *cf_lastopt;  /* option of the last value refused */
	unsigned int cf_lastn;	      /* and its index, said only once */
};

/*
 * libconfuse calls the error and validate functions without a user
 * pointer, so the file being parsed is reached through this.  Set only
 * while cfg_parse_fp runs.
 */
static struct conf_file *conf_cur;

static int conf_record(cfg_t *, cfg_opt_t *);

/* One native option as this file uses it (see conf_options.h). */
struct conf_opt {
	const char *co_name;		       /* as written */
	cfg_type_t co_type;		       /* CFGT_STR, CFGT_INT, CFGT_BOOL */
	int co_list;			       /* a list of them */
	int co_top;			       /* top level, else a service */
	const char *(*co_check)(const char *); /* string: NULL or reason */
	long co_min;			       /* integer: smallest */
	long co_max;			       /* integer: largest (both 0: any) */
	size_t co_sc;			       /* in struct service_conf, or
						  CONF_NONE */
	size_t co_gl;			       /* in struct globals, or CONF_NONE */
};

#define CONF_T_STR CFGT_STR, 0
#define CONF_T_STR_LIST CFGT_STR, 1
#define CONF_T_INT CFGT_INT, 0
#define CONF_T_INT_LIST CFGT_INT, 1
#define CONF_T_BOOL CFGT_BOOL, 0
#define CONF_S_SVC 0
#define CONF_S_TOP 1
#define SC(f) offsetof(struct service_conf, f), CONF_NONE
#define GL(f) CONF_NONE, offsetof(struct globals, f)
#define FILL CONF_NONE, CONF_NONE

/* Every option of the native format, from conf_options.h. */
static const struct conf_opt conf_opts[] = {
#define CONF_OPTION(name, type, scope, check, min, max, lands, def, shown) \
	{ name, CONF_T_##type, CONF_S_##scope, check, min, max, lands },
#include "conf_options.h"
#undef CONF_OPTION
};

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

/* Report an error at LINE of the file being built. */
static void __attribute__((format(printf, 3, 4)))
conf_err(struct conf_file *cf, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	svctab_error(cf->cf_tab, cf->cf_path, line, "%s", msg);
}

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

	for (i = 0; i < sizeof(conf_opts) / sizeof(conf_opts[0]); i++)
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
	if ((buf = malloc(CONF_MAX_SIZE + 1)) == NULL) {
		fclose(fp);
		conf_err(cf, 0, "out of memory");
		return NULL;
	}
	len = fread(buf, 1, CONF_MAX_SIZE + 1, fp);
	if (ferror(fp) || len > CONF_MAX_SIZE) {
		conf_err(cf, 0, ferror(fp) ? "read error" : "larger than %d bytes",
		    CONF_MAX_SIZE);
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	buf[len] = '\0';
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

/* The option NAME of SEC, else of the nearest defaults { } that sets it. */
static cfg_opt_t *
conf_opt(struct conf_file *cf, cfg_t *sec, const char *name)
{
	cfg_opt_t *opt;
	cfg_t *defs;

	if ((opt = cfg_getopt(sec, name)) != NULL && cfg_opt_size(opt) > 0)
		return opt;
	for (; cf != NULL; cf = cf->cf_parent) {
		defs = cfg_getsec(cf->cf_cfg, "defaults");
		if (defs != NULL && (opt = cfg_getopt(defs, name)) != NULL &&
		    cfg_opt_size(opt) > 0)
			return opt;
	}
	return NULL;
}

/* String option NAME (inherited), or DEF. */
static const char *
conf_str(struct conf_file *cf, cfg_t *sec, const char *name, const char *def)
{
	cfg_opt_t *opt = conf_opt(cf, sec, name);
	const char *s;

	if (opt == NULL || (s = cfg_opt_getnstr(opt, 0)) == NULL)
		return def;
	return s;
}

/* Integer option NAME (inherited), or DEF. */
static long
conf_int(struct conf_file *cf, cfg_t *sec, const char *name, long def)
{
	cfg_opt_t *opt = conf_opt(cf, sec, name);

	return opt == NULL ? def : cfg_opt_getnint(opt, 0);
}

/* Boolean option NAME (inherited), or DEF. */
static int
conf_bool(struct conf_file *cf, cfg_t *sec, const char *name, int def)
{
	cfg_opt_t *opt = conf_opt(cf, sec, name);

	return opt == NULL ? def : cfg_opt_getnbool(opt, 0) == cfg_true;
}

/* Set *DST to a copy of string option NAME if given. */
static int
conf_strdup(struct conf_file *cf, cfg_t *sec, const char *name, char **dst)
{
	const char *s = conf_str(cf, sec, name, NULL);

	if (s == NULL)
		return 0;
	free(*dst);
	if ((*dst = strdup(s)) == NULL)
		return -1;
	return 0;
}

/* Append every value of list option NAME (inherited) to *V. */
static int
conf_strv(struct conf_file *cf, cfg_t *sec, const char *name, char ***v)
{
	cfg_opt_t *opt = conf_opt(cf, sec, name);
	unsigned int i;

	for (i = 0; opt != NULL && i < cfg_opt_size(opt); i++)
		if (strv_push(v, cfg_opt_getnstr(opt, i)) == -1)
			return -1;
	return 0;
}

/* What a service's protocol word means. */
struct conf_proto {
	int cp_proto;	 /* IPPROTO_TCP or IPPROTO_UDP */
	int cp_family;	 /* AF_INET, AF_INET6, or 0 for both (tcp, udp) */
	int cp_v6only;	 /* for AF_INET6 */
	int cp_socktype; /* SOCK_STREAM or SOCK_DGRAM */
};

/* Protocol and socket type of SEC, defaulting one from the other. */
static int
conf_protocol(struct conf_file *cf, cfg_t *sec, int line, const char *name,
    struct conf_proto *cp)
{
	const char *proto = conf_str(cf, sec, "protocol", NULL);
	const char *st = conf_str(cf, sec, "socket_type", NULL);

	if (proto == NULL)
		proto = st != NULL && strcmp(st, "dgram") == 0 ? "udp" : "tcp";
	cp->cp_proto = proto[0] == 'u' ? IPPROTO_UDP : IPPROTO_TCP;
	/* As in Debian's inetd.conf: plain tcp and udp are IPv4 and IPv6. */
	cp->cp_family = strchr(proto, '6') != NULL ? AF_INET6 :
	    strchr(proto, '4') != NULL ? AF_INET : 0;
	cp->cp_v6only = strstr(proto, "46") == NULL;
	/* A socket path is one endpoint; RPC is registered for IPv4. */
	if (cp->cp_family == 0 && (conf_str(cf, sec, "socket", NULL) != NULL ||
	    conf_str(cf, sec, "rpc_version", NULL) != NULL))
		cp->cp_family = AF_INET;
	if (st == NULL)
		st = cp->cp_proto == IPPROTO_UDP ? "dgram" : "stream";
	cp->cp_socktype = strcmp(st, "dgram") == 0 ? SOCK_DGRAM : SOCK_STREAM;
	if ((cp->cp_socktype == SOCK_STREAM) != (cp->cp_proto == IPPROTO_TCP)) {
		conf_err(cf, line, "service %s: socket_type %s does not go with "
		    "protocol %s", name, st, proto);
		return -1;
	}
	cp->cp_v6only = conf_bool(cf, sec, "v6only", cp->cp_v6only);
	return 0;
}

/* Report WHY of SV when RC is -1; RC. */
static int
conf_kind_err(struct conf_file *cf, struct service *sv, int rc,
    const char *why)
{
	if (rc == -1)
		conf_err(cf, sv->sv_conf->sc_line, "service %s: %s", sv->sv_conf->sc_name, why);
	return rc;
}

/* socket = PATH with its owner and mode: a UNIX-domain service. */
static int
conf_fill_unix(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	static const char *const ip[] = {
		"port", "bind", "protocol", "v6only", "tcpmux", "rpc_version",
	};
	char why[300];
	size_t i;

	for (i = 0; i < sizeof(ip) / sizeof(ip[0]); i++)
		if (cfg_size(sec, ip[i]) > 0) {
			conf_err(cf, sv->sv_conf->sc_line, "service %s: %s does not go "
			    "with socket (a UNIX-domain service)", sv->sv_conf->sc_name,
			    ip[i]);
			return -1;
		}
	return conf_kind_err(cf, sv, kind_unix_setup(sv, conf_str(cf, sec,
	    "socket", NULL), conf_str(cf, sec, "socket_user", NULL),
	    conf_str(cf, sec, "socket_group", NULL), conf_str(cf, sec,
	    "socket_mode", NULL), why, sizeof(why)), why);
}

/* tcpmux = NAME or rpc_version: the kind of an IP service SV. */
static int
conf_fill_kind(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const char *mux = conf_str(cf, sec, "tcpmux", NULL);
	const char *rpcv = conf_str(cf, sec, "rpc_version", NULL);
	char why[300], name[80];

	if ((mux != NULL || rpcv != NULL) && cfg_size(sec, "port") > 0) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: port does not go with %s",
		    sv->sv_conf->sc_name, mux != NULL ? "tcpmux (it is served on port 1)" :
		    "rpc_version (rpcbind hands out the port)");
		return -1;
	}
	if (mux != NULL && rpcv != NULL) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: tcpmux and rpc_version "
		    "do not go together", sv->sv_conf->sc_name);
		return -1;
	}
	if (mux != NULL) {
		snprintf(name, sizeof(name), "%s%.70s", conf_bool(cf, sec,
		    "tcpmux_plus", 0) ? "+" : "", mux);
		return conf_kind_err(cf, sv, kind_tcpmux_setup(sv, name, why,
		    sizeof(why)), why);
	}
	if (rpcv == NULL)
		return 0;
	if (sv->sv_addr.ss_family != AF_INET)
		return conf_kind_err(cf, sv, -1, "RPC services are registered "
		    "for IPv4 only (protocol tcp or udp)");
	return conf_kind_err(cf, sv, kind_rpc_setup(sv, conf_str(cf, sec,
	    "rpc_program", sv->sv_conf->sc_name), rpcv, why, sizeof(why)), why);
}

/* The endpoint of SV: protocol, address ADDR, port; or what its kind is. */
static int
conf_fill_endpoint(struct conf_file *cf, cfg_t *sec, struct service *sv,
    const struct conf_proto *cp, const char *addr)
{
	const char *name = sv->sv_conf->sc_name;
	const char *port = conf_str(cf, sec, "port", name);
	int portnum = 0;

	sv->sv_proto = cp->cp_proto;
	sv->sv_socktype = cp->cp_socktype;
	sv->sv_conf->sc_disabled = conf_bool(cf, sec, "disable", 0);
	if (conf_str(cf, sec, "socket", NULL) != NULL)
		return conf_fill_unix(cf, sec, sv);
	if (conf_str(cf, sec, "tcpmux", NULL) != NULL)
		port = "1";
	if (conf_str(cf, sec, "rpc_version", NULL) == NULL &&
	    svctab_resolve_port(port, cp->cp_proto, &portnum) == -1) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: port \"%s\" is not a "
		    "number 1-65535 or a known %s service", name, port,
		    cp->cp_proto == IPPROTO_UDP ? "udp" : "tcp");
		return -1;
	}
	if (svctab_set_addr(sv, addr, portnum)) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: bad bind address \"%s\"",
		    name, addr);
		return -1;
	}
	if (cp->cp_family != 0 && sv->sv_addr.ss_family != cp->cp_family &&
	    (cp->cp_family == AF_INET || cp->cp_v6only)) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: bind address %s is not "
		    "%s; protocol %s", name, addr, cp->cp_family == AF_INET ?
		    "IPv4" : "IPv6", conf_str(cf, sec, "protocol", "tcp"));
		return -1;
	}
	sv->sv_v6only = sv->sv_addr.ss_family == AF_INET6 ? cp->cp_v6only : 0;
	return conf_fill_kind(cf, sec, sv);
}

/* internal = yes/no/NAME: the builtin SV runs, or BUILTIN_NONE. */
static int
conf_fill_builtin(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const char *s = conf_str(cf, sec, "internal", NULL);
	int b;

	sv->sv_conf->sc_builtin = BUILTIN_NONE;
	if (s == NULL)
		return 0;
	if (conf_value_boolword(s, &b)) {
		if (!b)
			return 0;
		s = sv->sv_conf->sc_name;
	}
	if ((sv->sv_conf->sc_builtin = builtin_name_find(s)) == BUILTIN_NONE) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: no builtin named \"%s\"",
		    sv->sv_conf->sc_name, s);
		return -1;
	}
	if (sv->sv_conf->sc_wait && sv->sv_socktype == SOCK_STREAM) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: builtin %s needs "
		    "wait = no on a stream socket", sv->sv_conf->sc_name, s);
		return -1;
	}
	if (conf_str(cf, sec, "server", NULL) != NULL) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: both server and "
		    "internal given", sv->sv_conf->sc_name);
		return -1;
	}
	return 0;
}

/* groups = { ... } or the initgroups list of the user. */
static int
conf_fill_groups(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	cfg_opt_t *opt = conf_opt(cf, sec, "groups");
	unsigned int i, n = cfg_opt_size(opt);

	if (opt == NULL)
		return lookup_cache_groups(sv->sv_conf->sc_user, sv->sv_conf->sc_gid,
		    &sv->sv_conf->sc_groups, &sv->sv_conf->sc_ngroups);
	if ((sv->sv_conf->sc_groups = calloc(n + 1, sizeof(gid_t))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const char *g = cfg_opt_getnstr(opt, i);

		if (lookup_cache_group(g, &sv->sv_conf->sc_groups[i]) == -1) {
			conf_err(cf, sv->sv_conf->sc_line, "service %s: unknown group "
			    "\"%s\"", sv->sv_conf->sc_name, g);
			return -1;
		}
	}
	sv->sv_conf->sc_ngroups = (int)n;
	return 0;
}

/* user, group, groups: required unless the service is a builtin. */
static int
conf_fill_creds(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const char *user = conf_str(cf, sec, "user", NULL);
	const char *group = conf_str(cf, sec, "group", NULL);

	if (user == NULL && sv->sv_conf->sc_builtin == BUILTIN_NONE) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: user is required",
		    sv->sv_conf->sc_name);
		return -1;
	}
	if (user == NULL)
		user = "root";
	if (lookup_cache_user(user, &sv->sv_conf->sc_uid, &sv->sv_conf->sc_gid) == -1) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: unknown user \"%s\"",
		    sv->sv_conf->sc_name, user);
		return -1;
	}
	if (group != NULL && lookup_cache_group(group, &sv->sv_conf->sc_gid) == -1) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: unknown group \"%s\"",
		    sv->sv_conf->sc_name, group);
		return -1;
	}
	if ((sv->sv_conf->sc_user = svctab_share(user)) == NULL)
		return -1;
	if (conf_fill_groups(cf, sec, sv) == -1) {
		if (sv->sv_conf->sc_groups == NULL)
			conf_err(cf, sv->sv_conf->sc_line, "service %s: cannot list the "
			    "groups of user %s", sv->sv_conf->sc_name, user);
		return -1;
	}
	return 0;
}

/* server and server_args: argv = { basename(server), server_args... }. */
static int
conf_fill_server(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const char *server = conf_str(cf, sec, "server", NULL);
	const char *why, *base;

	if (sv->sv_conf->sc_builtin != BUILTIN_NONE)
		return 0;
	if (server == NULL) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: server or internal is "
		    "required", sv->sv_conf->sc_name);
		return -1;
	}
	if ((why = conf_value_check_server(server)) != NULL) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: server %s %s",
		    sv->sv_conf->sc_name, server, why);
		return -1;
	}
	base = strrchr(server, '/') + 1;
	if ((sv->sv_conf->sc_server = svctab_share(server)) == NULL ||
	    strv_push(&sv->sv_conf->sc_argv, *base != '\0' ? base : server) == -1 ||
	    conf_strv(cf, sec, "server_args", &sv->sv_conf->sc_argv) == -1)
		return -1;
	return 0;
}

/* capabilities: the only ones a root child keeps (its bounding set). */
static int
conf_fill_caps(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	cfg_opt_t *opt = conf_opt(cf, sec, "capabilities");
	unsigned int i, n = cfg_opt_size(opt);
	int cap;

	if (opt == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		const char *name = cfg_opt_getnstr(opt, i);

		if (strcmp(name, "none") == 0)
			continue;
		if (priv_cap_from_name(name, &cap) == -1 || cap > 63) {
			conf_err(cf, sv->sv_conf->sc_line, "service %s: unknown "
			    "capability \"%s\"", sv->sv_conf->sc_name, name);
			return -1;
		}
		sv->sv_conf->sc_caps |= 1ULL << cap;
	}
	sv->sv_conf->sc_caps_set = 1;
	return 0;
}

/* umask, rlimits, sandbox, capabilities. */
static int
conf_fill_process(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	static const char *const rl[SV_RLIM_COUNT] = {
		[SV_RLIM_AS] = "rlimit_as", [SV_RLIM_CPU] = "rlimit_cpu",
		[SV_RLIM_NOFILE] = "rlimit_nofile",
		[SV_RLIM_NPROC] = "rlimit_nproc", [SV_RLIM_DATA] = "rlimit_data",
	};
	const char *s;
	int i;

	if ((s = conf_str(cf, sec, "umask", NULL)) != NULL &&
	    conf_value_umask(s, &sv->sv_conf->sc_umask) == -1) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: bad umask", sv->sv_conf->sc_name);
		return -1;
	}
	for (i = 0; i < SV_RLIM_COUNT; i++) {
		if ((s = conf_str(cf, sec, rl[i], NULL)) == NULL)
			continue;
		if (conf_value_rlimit(s, &sv->sv_conf->sc_rlimit[i]) == -1) {
			conf_err(cf, sv->sv_conf->sc_line, "service %s: bad %s",
			    sv->sv_conf->sc_name, rl[i]);
			return -1;
		}
	}
	s = conf_str(cf, sec, "protect_system", "no");
	sv->sv_conf->sc_sandbox = (strcmp(s, "strict") == 0 ? SANDBOX_PROTECT : 0) |
	    (conf_bool(cf, sec, "private_tmp", 0) ? SANDBOX_TMP : 0) |
	    (conf_bool(cf, sec, "private_devices", 0) ? SANDBOX_DEVICES : 0);
	return conf_fill_caps(cf, sec, sv);
}

/* List option NAME into an ACL. */
static int
conf_fill_acl(struct conf_file *cf, cfg_t *sec, struct service *sv,
    const char *name, struct acl *acl)
{
	cfg_opt_t *opt = conf_opt(cf, sec, name);
	unsigned int i, n = cfg_opt_size(opt);

	if (n == 0)
		return 0;
	if ((acl->acl_entries = calloc(n, sizeof(*acl->acl_entries))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const char *s = cfg_opt_getnstr(opt, i);

		if (conf_value_cidr(s, &acl->acl_entries[i]) == -1) {
			conf_err(cf, sv->sv_conf->sc_line, "service %s: %s: bad address "
			    "\"%s\"", sv->sv_conf->sc_name, name, s);
			return -1;
		}
	}
	acl->acl_n = n;
	return 0;
}

/* only_uid and only_gid of a UNIX-domain service; no IP lists on one. */
static int
conf_fill_peers(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	char **uids = NULL, **gids = NULL, why[300];
	int rc;

	if (sv->sv_conf->sc_kind == &kind_unix && (sv->sv_conf->sc_only_from.acl_n > 0 ||
	    sv->sv_conf->sc_no_access.acl_n > 0))
		return conf_kind_err(cf, sv, -1, "only_from and no_access list "
		    "IP addresses; a UNIX-domain service takes only_uid and "
		    "only_gid");
	if (conf_strv(cf, sec, "only_uid", &uids) == -1 ||
	    conf_strv(cf, sec, "only_gid", &gids) == -1)
		rc = conf_kind_err(cf, sv, -1, "out of memory");
	else
		rc = conf_kind_err(cf, sv, kind_unix_peers(sv, uids, gids, why,
		    sizeof(why)), why);
	strv_free(uids);
	strv_free(gids);
	return rc;
}

/* only_from, no_access, only_uid, only_gid, access_times. */
static int
conf_fill_access(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	cfg_opt_t *opt = conf_opt(cf, sec, "access_times");
	unsigned int i, n = cfg_opt_size(opt);

	if (conf_fill_acl(cf, sec, sv, "only_from", &sv->sv_conf->sc_only_from) == -1 ||
	    conf_fill_acl(cf, sec, sv, "no_access", &sv->sv_conf->sc_no_access) == -1 ||
	    conf_fill_peers(cf, sec, sv) == -1)
		return -1;
	if (n == 0)
		return 0;
	if ((sv->sv_conf->sc_times = calloc(n, sizeof(*sv->sv_conf->sc_times))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const char *s = cfg_opt_getnstr(opt, i);

		if (conf_value_time_range(s, &sv->sv_conf->sc_times[i]) == -1) {
			conf_err(cf, sv->sv_conf->sc_line, "service %s: bad access_times "
			    "\"%s\"", sv->sv_conf->sc_name, s);
			return -1;
		}
	}
	sv->sv_conf->sc_ntimes = (int)n;
	return 0;
}

/* cps and tcp_wrappers. */
static int
conf_fill_limits(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	cfg_opt_t *cps = conf_opt(cf, sec, "cps");

	if (cps != NULL) {
		if (cfg_opt_size(cps) != 2) {
			conf_err(cf, sv->sv_conf->sc_line, "service %s: cps takes two "
			    "numbers: {rate, backoff seconds}", sv->sv_conf->sc_name);
			return -1;
		}
		sv->sv_conf->sc_cps_rate = (int)cfg_opt_getnint(cps, 0);
		sv->sv_conf->sc_cps_backoff = (int)cfg_opt_getnint(cps, 1);
	}
	/* A UNIX-domain peer has no address for hosts.allow to match. */
	sv->sv_conf->sc_wrap = sv->sv_conf->sc_kind != &kind_unix &&
	    conf_bool(cf, sec, "tcp_wrappers", 1);
	if (sv->sv_conf->sc_kind == &kind_unix && cfg_size(sec, "tcp_wrappers") > 0 &&
	    conf_bool(cf, sec, "tcp_wrappers", 0)) {
		conf_err(cf, sv->sv_conf->sc_line, "service %s: tcp_wrappers needs an IP "
		    "peer; a UNIX-domain service takes only_uid and only_gid",
		    sv->sv_conf->sc_name);
		return -1;
	}
	return 0;
}

/* log_on_success / log_on_failure NAME into LOGF_* bits in *FLAGS. */
static void
conf_fill_logflags(struct conf_file *cf, cfg_t *sec, struct service *sv,
    const char *name, int *flags)
{
	cfg_opt_t *opt = conf_opt(cf, sec, name);
	unsigned int i;
	int bit;

	if (opt == NULL)
		return;
	*flags = 0;
	for (i = 0; i < cfg_opt_size(opt); i++) {
		const char *s = cfg_opt_getnstr(opt, i);

		if (conf_value_logflag(s, &bit) == -1)
			continue;
		if (bit == 0)	/* a warning: -t and --list show it */
			log_warnx("%s:%d: service %s: %s %s is not supported by "
			    "superd; ignored", cf->cf_path, sv->sv_conf->sc_line,
			    sv->sv_conf->sc_name, name, s);
		*flags |= bit;
	}
}

/* Read banner file NAME (at *PATH) of SV now: its bytes are what is sent. */
static int
conf_fill_banner(struct conf_file *cf, struct service *sv, const char *name,
    enum banner_kind kind, const char *path)
{
	const char *why;

	if (path == NULL || (why = banner_load(sv, kind, path)) == NULL)
		return 0;
	conf_err(cf, sv->sv_conf->sc_line, "service %s: %s %s: %s", sv->sv_conf->sc_name, name,
	    path, why);
	return -1;
}

/* banners (read now) and log fields. */
static int
conf_fill_output(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	if (conf_fill_banner(cf, sv, "banner", BANNER_ALL, sv->sv_conf->sc_banner) ||
	    conf_fill_banner(cf, sv, "banner_success", BANNER_SUCCESS,
	    sv->sv_conf->sc_banner_success) || conf_fill_banner(cf, sv, "banner_fail",
	    BANNER_FAIL, sv->sv_conf->sc_banner_fail))
		return -1;
	conf_fill_logflags(cf, sec, sv, "log_on_success", &sv->sv_conf->sc_log_success);
	conf_fill_logflags(cf, sec, sv, "log_on_failure", &sv->sv_conf->sc_log_failure);
	return 0;
}

/*
 * Every option of SEC (or its defaults) that lands in a field of the
 * configuration of SV by itself (SC in conf_options.h); -1 out of memory.
 */
static int
conf_fill_options(struct conf_file *cf, cfg_t *sec, struct service *sv)
{
	const struct conf_opt *co;
	size_t i;
	void *p;

	for (i = 0; i < sizeof(conf_opts) / sizeof(conf_opts[0]); i++) {
		if ((co = &conf_opts[i])->co_top || co->co_sc == CONF_NONE)
			continue;
		p = (char *)sv->sv_conf + co->co_sc;
		if (co->co_list) {
			if (conf_strv(cf, sec, co->co_name, p) == -1)
				return -1;
		} else if (co->co_type == CFGT_STR) {
			if (conf_strdup(cf, sec, co->co_name, p) == -1)
				return -1;
		} else if (co->co_type == CFGT_INT)
			*(int *)p = (int)conf_int(cf, sec, co->co_name, *(int *)p);
		else
			*(int *)p = conf_bool(cf, sec, co->co_name, *(int *)p);
	}
	return 0;
}

/* Every field of SV from SEC and the defaults, bound to ADDR. */
static int
conf_fill(struct conf_file *cf, cfg_t *sec, struct service *sv,
    const struct conf_proto *cp, const char *addr)
{
	int nerr = cf->cf_tab->st_nerrors;

	if (conf_fill_options(cf, sec, sv) == -1 ||
	    conf_fill_endpoint(cf, sec, sv, cp, addr) == -1 ||
	    conf_fill_builtin(cf, sec, sv) == -1 ||
	    conf_fill_creds(cf, sec, sv) == -1 ||
	    conf_fill_server(cf, sec, sv) == -1 ||
	    conf_fill_process(cf, sec, sv) == -1 ||
	    conf_fill_access(cf, sec, sv) == -1 ||
	    conf_fill_limits(cf, sec, sv) == -1 ||
	    conf_fill_output(cf, sec, sv) == -1) {
		if (cf->cf_tab->st_nerrors == nerr)
			conf_err(cf, sv->sv_conf->sc_line, "service %s: out of memory",
			    sv->sv_conf->sc_name);
		return -1;
	}
	return 0;
}

/* The bind addresses of SEC: the list, or the wildcard of each family. */
static const char *
conf_bind_addr(struct conf_file *cf, cfg_t *sec, const struct conf_proto *cp,
    unsigned int i, unsigned int *n)
{
	cfg_opt_t *opt = conf_opt(cf, sec, "bind");

	if (opt == NULL) {
		*n = cp->cp_family == 0 ? 2 : 1;
		return cp->cp_family == AF_INET6 || i == 1 ? "::" : "0.0.0.0";
	}
	*n = cfg_opt_size(opt);
	return cfg_opt_getnstr(opt, i);
}

/*
 * The first byte of NAME that cannot stand in a log field unquoted (a
 * blank, a control byte, '=', '"' or '\\'), or NULL when there is none:
 * "service=x y=z" would forge a field.
 */
static const char *
conf_name_bad(const char *name)
{
	for (; *name != '\0'; name++)
		if ((unsigned char)*name <= ' ' || *name == 0x7f ||
		    strchr("=\"\\", *name) != NULL)
			return name;
	return NULL;
}

/* One service NAME { } section into one entry per bind address. */
static int
conf_service(struct conf_file *cf, cfg_t *sec, int line)
{
	const char *name = cfg_title(sec), *bad;
	struct conf_proto cp;
	struct service *sv, *first;
	unsigned int i, n;

	if (name == NULL || *name == '\0') {
		conf_err(cf, line, "service without a name");
		return -1;
	}
	if ((bad = conf_name_bad(name)) != NULL) {
		conf_err(cf, line, "service name has a %s (byte 0x%02x): names "
		    "are one word without '=', '\"' or '\\'", *bad == ' ' ?
		    "blank" : "character it may not have", (unsigned char)*bad);
		return -1;
	}
	if (conf_protocol(cf, sec, line, name, &cp) == -1)
		return -1;
	if ((first = service_new(name, cf->cf_path, line)) == NULL) {
		conf_err(cf, line, "out of memory");
		return -1;
	}
	if (conf_fill(cf, sec, first, &cp, conf_bind_addr(cf, sec, &cp, 0,
	    &n)) == -1) {
		service_unref(first);
		return -1;
	}
	TAILQ_INSERT_TAIL(&cf->cf_tab->st_services, first, sv_entry);
	for (i = 1; i < n; i++) {
		if ((sv = service_clone(first)) == NULL) {
			conf_err(cf, line, "out of memory");
			return -1;
		}
		TAILQ_INSERT_TAIL(&cf->cf_tab->st_services, sv, sv_entry);
		if (conf_fill_endpoint(cf, sec, sv, &cp, conf_bind_addr(cf,
		    sec, &cp, i, &n)) == -1)
			return -1;
	}
	return 0;
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

	for (i = 0; i < sizeof(conf_opts) / sizeof(conf_opts[0]); i++) {
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
			log_info("%s:%d: include %s: skipped (name does not end "
			    "in .conf)", cf->cf_path, line, path);
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
