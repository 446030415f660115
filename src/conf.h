/* SPDX-License-Identifier: ISC */
/*
 * The native format's private header, shared by conf.c (the file: schema,
 * checks while parsing, includes) and conf_service.c (one service section
 * into the table).  Only these two include confuse.h.
 */
#ifndef CONF_H
#define CONF_H

#include <confuse.h>

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

/* What a service's protocol word means. */
struct conf_proto {
	int cp_proto;	 /* IPPROTO_TCP or IPPROTO_UDP */
	int cp_family;	 /* AF_INET, AF_INET6, or 0 for both (tcp, udp) */
	int cp_v6only;	 /* for AF_INET6 */
	int cp_socktype; /* SOCK_STREAM or SOCK_DGRAM */
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
	struct conf_proto cf_proto;   /* the section being filled: protocol */
	const char *cf_addr;	      /* and the endpoint's bind address */
};

/*
 * What fills the configuration of a service from the options of a
 * section that need more than a field (conf_options.h, FILL): 0, or -1
 * with the error said (out of memory when it said none).
 */
typedef int conf_fill_fn(struct conf_file *, cfg_t *, struct service *);

/* One native option as the parser uses it (see conf_options.h). */
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
	conf_fill_fn *co_fill;		       /* or filled by this, once for
						  the rows that name it */
};

/* conf_service.c */
extern const struct conf_opt conf_opts[]; /* from conf_options.h */
extern const size_t conf_nopts;		  /* entries of conf_opts */
void conf_err(struct conf_file *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));
cfg_opt_t *conf_opt(struct conf_file *, cfg_t *, const char *);
const char *conf_str(struct conf_file *, cfg_t *, const char *, const char *);
long conf_int(struct conf_file *, cfg_t *, const char *, long);
int conf_bool(struct conf_file *, cfg_t *, const char *, int);
int conf_service(struct conf_file *, cfg_t *, int);

#endif
