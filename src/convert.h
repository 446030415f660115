/* SPDX-License-Identifier: ISC */
/*
 * The converter's own interface: shared by convert.c (entry, inetd.conf),
 * convert_xinetd.c and the superd.conf writer (convert_write.c).  Nothing
 * else includes it.
 */
#ifndef CONVERT_H
#define CONVERT_H

#include <stdio.h>

#define CONVERT_MAX_FILE (1024 * 1024) /* bytes of one input file */
#define CONVERT_MAX_FILES 1024	       /* files read in one conversion */
#define CONVERT_MAX_DEPTH 8	       /* include nesting */

/* The titles already given, so every `service NAME` is unique. */
struct convert_names {
	char **cn_names; /* NULL-terminated */
};

/*
 * What a conversion could not carry over: each setting is said on stderr
 * as `file:line: not converted: SETTING: why` and counted, for the summary
 * and for --strict.
 */
struct convert_loss {
	int cl_n; /* settings and lines not carried over */
	char cl_last[1024]; /* the last one said: the two sockets of one
			       dual-stack line say it once */
};

/* convert_write.c: the superd.conf writer */
void convert_write_lost(struct convert_loss *, const char *, int, const char *,
    const char *, ...) __attribute__((format(printf, 5, 6)));
void convert_write_quote(FILE *, const char *);
void convert_write_opt_str(FILE *, const char *, const char *);
void convert_write_opt_list(FILE *, const char *, char *const *);
void convert_write_note(FILE *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
const char *convert_write_title(struct convert_names *, const char *,
    const char *, char *, size_t);
void convert_write_names_free(struct convert_names *);
int convert_write_tcpd(FILE *, const char *, char *const *, char **,
    char *const **);
void convert_write_block(FILE *, const char *, size_t, int);
char *convert_write_slurp(const char *, size_t *, FILE *);

/* convert_xinetd.c */
int convert_xinetd(const char *, int, FILE *, struct convert_loss *);

/* One `name op value...` line. */
struct convert_xattr {
	char *xa_name;	 /* attribute name */
	char xa_op;	 /* '=', '+' or '-' */
	char **xa_vals;	 /* values split on white space, may be NULL */
	int xa_line;	 /* line in the section's file */
};

/* A service or the defaults section. */
struct convert_xsec {
	char *xs_name;		      /* service name, NULL for defaults */
	char *xs_file;		      /* file it was read from */
	int xs_line;		      /* line of `service NAME` */
	int xs_skipped;		      /* in a file xinetd's includedir skips */
	struct convert_xattr *xs_attrs; /* in file order */
	size_t xs_nattrs;	      /* entries of xs_attrs */
};

/* Everything read, before anything is written. */
struct convert_xconf {
	struct convert_xsec xc_defaults; /* all defaults sections merged */
	struct convert_xsec *xc_svcs;	 /* services in reading order */
	size_t xc_nsvcs;		 /* entries of xc_svcs */
	char **xc_notes;		 /* remarks about the files read */
	int xc_nfiles;			 /* files read so far */
	dev_t xc_dev[CONVERT_MAX_DEPTH + 1]; /* include chain, for loops */
	ino_t xc_ino[CONVERT_MAX_DEPTH + 1];
	FILE *xc_out;			 /* the output */
	struct convert_loss *xc_loss;	 /* what was not carried over */
};

/* convert_xread.c */
int convert_xread_file(struct convert_xconf *, const char *, int, int);
int convert_xread_dir(struct convert_xconf *, const char *, int);
void convert_xread_sec_free(struct convert_xsec *);
int convert_looks_xinetd(const char *);

/* One service being written. */
struct convert_xsvc {
	struct convert_xconf *xv_conf; /* defaults live here */
	struct convert_xsec *xv_sec;   /* the service */
	FILE *xv_fp;		       /* the block being built */
	char xv_fatal[512];	       /* why it cannot run, "" if it can */
	const char *xv_id;	       /* id, or the name */
	int xv_internal;	       /* type INTERNAL */
	int xv_v4, xv_v6;	       /* flags IPv4 / IPv6 */
	int xv_nameinargs;	       /* flags NAMEINARGS */
	int xv_udp;		       /* protocol udp */
	int xv_disable;		       /* write disable = yes */
	int xv_nolibwrap;	       /* flags NOLIBWRAP */
	char xv_tcpd[256];	       /* name tcpd checked, "" without tcpd */
	int xv_tcpmux;		       /* type TCPMUX (1) or TCPMUXPLUS (2) */
};

/* convert_xattr.c: the effective attributes of one xinetd service */
int convert_xattr_in(const char *const *, const char *);
int convert_xattr_list(struct convert_xsvc *, const char *, int, char ***);
char *const *convert_xattr_get(struct convert_xsvc *, const char *, int);
const char *convert_xattr_get1(struct convert_xsvc *, const char *, int);
const char *convert_xattr_join(char *const *, char *, size_t);
void convert_xattr_lost(struct convert_xsvc *, const char *, const char *,
    const char *, ...) __attribute__((format(printf, 4, 5)));
void convert_xattr_fatal(struct convert_xsvc *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* CONVERT_H */
