/* SPDX-License-Identifier: ISC */
/*
 * superd - a small, fast and secure inetd-style super-server.
 *
 * The core structures and every prototype, grouped by file in the order of
 * the data flow: config -> service table -> listen -> accept -> builtin or
 * spawn -> reap; selfcheck beside it.  See docs/DESIGN.md.
 */
#ifndef SUPERD_H
#define SUPERD_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#ifndef TAILQ_FOREACH_SAFE
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)                  \
	for ((var) = TAILQ_FIRST(head);                             \
	     (var) != NULL && ((tvar) = TAILQ_NEXT(var, field), 1); \
	     (var) = (tvar))
#endif

#define SUPERD_VERSION "0.1.0"
#define SUPERD_CONF "/etc/superd.conf"
#define SUPERD_INETD_CONF "/etc/inetd.conf"
#define SUPERD_PIDFILE "/run/superd.pid"
#define SUPERD_CONTROL "/run/superd/control"

/* Defaults that keep a legitimate burst from becoming an outage. */
#define DEF_BACKLOG 128
#define DEF_GLOBAL_INSTANCES 1024 /* all children and builtin sessions */
#define DEF_INSTANCES 256	  /* children of one command service */
#define DEF_PER_SOURCE 64	  /* concurrent connections from one source */
#define DEF_CPS_RATE 0		  /* connections per second, 0 = off */
#define DEF_CPS_BACKOFF 10	  /* seconds a rate-limited service pauses */
#define DEF_V6_PREFIX 64	  /* IPv6 sources are counted per /64 */
#define DEF_LOOP_MAX 10		  /* fast wait-child exits per LOOP_WINDOW */
#define DEF_LOOP_WINDOW 10	  /* seconds */
#define DEF_LOOP_BACKOFF 10	  /* seconds a looping wait service pauses */
#define DEF_BUILTIN_TIMEOUT 60	  /* idle seconds before a builtin session ends */
#define DEF_DGRAM_RATE 256	  /* UDP builtin replies per second */
#define DEF_DGRAM_SOURCE_RATE 32  /* of them to one /24 or /64 */

/*
 * Exit codes of a child whose set-up failed before exec, also written to
 * its report word (spawn_report.c); logged by reap.
 */
enum child_exit {
	CHILD_EXIT_SANDBOX = 119, /* mount namespace not set up */
	CHILD_EXIT_FD = 120,	  /* could not place the socket on 0-2 */
	CHILD_EXIT_SIGNALS = 121, /* could not reset signals or setsid */
	CHILD_EXIT_LIMITS = 122,  /* umask, nice, rlimit or chroot failed */
	CHILD_EXIT_CRED = 123,	  /* setgroups, setgid or setuid failed */
	CHILD_EXIT_CAPS = 124,	  /* capabilities not dropped or drop unverified */
	CHILD_EXIT_EXEC = 125,	  /* execve failed */
	CHILD_EXIT_WRAP = 118,	  /* refused by TCP wrappers (wrap_child) */
};

/* The in-process services. */
enum builtin_kind {
	BUILTIN_NONE = 0,
	BUILTIN_ECHO,	 /* RFC 862 */
	BUILTIN_DISCARD, /* RFC 863 */
	BUILTIN_CHARGEN, /* RFC 864 */
	BUILTIN_DAYTIME, /* RFC 867 */
	BUILTIN_TIME,	 /* RFC 868 */
};

/* Which fields log_on_success / log_on_failure add to a line. */
#define LOGF_PID 0x01
#define LOGF_HOST 0x02
#define LOGF_EXIT 0x04
#define LOGF_DURATION 0x08
#define LOGF_DEFAULT (LOGF_PID | LOGF_HOST | LOGF_EXIT | LOGF_DURATION)

/* Index of the per-service resource limits in sv_rlimit. */
enum sv_rlim {
	SV_RLIM_AS,
	SV_RLIM_CPU,
	SV_RLIM_NOFILE,
	SV_RLIM_NPROC,
	SV_RLIM_DATA,
	SV_RLIM_COUNT,
};
#define SV_UNSET (-1)

/* One address or prefix of an only_from / no_access list. */
struct acl_entry {
	int ae_family;	    /* AF_INET or AF_INET6 */
	uint8_t ae_addr[16]; /* network byte order, masked to the prefix */
	int ae_prefix;	    /* prefix length in bits */
};

/* A list of addresses and prefixes. */
struct acl {
	struct acl_entry *acl_entries; /* array of acl_n entries */
	size_t acl_n;		       /* number of entries */
};

/* An access_times range, in minutes since local midnight. */
struct time_range {
	int tr_start; /* first minute allowed */
	int tr_end;   /* last minute allowed (may be < tr_start: wraps) */
};

/* Refusal reasons; each has a counter and a name in the log. */
enum refuse_reason {
	REFUSE_ACL,	   /* only_from / no_access */
	REFUSE_TIME,	   /* access_times */
	REFUSE_INSTANCES,  /* service instances */
	REFUSE_GLOBAL,	   /* global instances */
	REFUSE_PER_SOURCE, /* per_source */
	REFUSE_PER_IP_RATE, /* FreeBSD max-conn-per-ip-per-minute */
	REFUSE_CPS,	   /* cps rate: service paused */
	REFUSE_FORK,	   /* fork failed */
	REFUSE_REFLECT,	   /* UDP builtin reflector guard */
	REFUSE_WRAP,	   /* /etc/hosts.allow, /etc/hosts.deny */
	REFUSE_SHARE,	   /* fair share of a nearly full cap */
	REFUSE_FDS,	   /* descriptor reserve reached */
	REFUSE_NOFD,	   /* no descriptor left to read those rules */
	REFUSE_COUNT,
};

/*
 * A bind address: IPv4 or IPv6 only, without sockaddr_storage's 100 bytes
 * of padding (it is in every service).  ss_family aliases the family of
 * either, as in sockaddr_storage.
 */
union sv_sockaddr {
	sa_family_t ss_family;	  /* AF_INET or AF_INET6 */
	struct sockaddr sa;	  /* for bind(2) */
	struct sockaddr_in sin;	  /* AF_INET */
	struct sockaddr_in6 sin6; /* AF_INET6 */
};

/* One counted source (source.c): an entry of a per-source table. */
struct source {
	time_t so_minute;	/* the minute (second) so_rate counts */
	uint8_t so_key[16];	/* address masked to the accounting prefix */
	int so_count;		/* live connections from this source */
	int so_rate;		/* connections (replies) in that window */
	uint32_t so_next;	/* next entry of its hash chain */
	uint32_t so_idle_prev;	/* idle list (no live connection) */
	uint32_t so_idle_next;	/* idle list */
	uint8_t so_family;	/* AF_INET or AF_INET6, 0 for a bare key */
	uint8_t so_idle;	/* on the idle list */
	uint8_t so_inuse;	/* holds a source */
};

/*
 * The options of a declaration that most services leave at their default
 * (process limits, capabilities, sandbox, access lists and times,
 * banners): one shared block of defaults (service_rare_default) until a
 * parser sets one of them (service_conf_rare, svctab.c), so a service that
 * sets none costs none of it.  The fields keep their sc_ names.
 */
struct service_rare {
	long long sc_rlimit[SV_RLIM_COUNT]; /* SV_UNSET or the limit */
	uint64_t sc_caps;	     /* root: bounding set; else: ambient */
	int sc_caps_set;	     /* capabilities = was given */
	int sc_sandbox;		     /* SANDBOX_* bits, 0 for none */
	int sc_umask;		     /* SV_UNSET or the mask */
	int sc_ntimes;		     /* entries in sc_times */
	struct time_range *sc_times; /* access_times, NULL: always */
	struct acl sc_only_from;     /* empty: everyone */
	struct acl sc_no_access;     /* empty: no one refused */
	char *sc_banner;	     /* file sent before every connection */
	char *sc_banner_success;     /* file sent before an accepted service */
	char *sc_banner_fail;	     /* file sent on a refusal */
	struct banners *sc_banners;  /* their bytes, read at load; NULL: none */
};

/*
 * What the parsers build for one declaration: everything but the endpoint.
 * Immutable once the load is done; shared by reference between the
 * endpoints of the declaration (one per bind address) and held by the
 * service that serves it.  A reload builds new ones; a kept endpoint
 * takes its new one (reload.c), its runtime part stays where it is.
 */
struct service_conf {
	int sc_refs;		      /* endpoints holding it */
	uint8_t sc_disabled;	      /* declared but switched off */
	uint8_t sc_builtin;	      /* enum builtin_kind; BUILTIN_NONE: a command */

	/* identity and origin */
	char *sc_name;		      /* service name, kept after the struct */
	char *sc_file;		      /* file it was declared in */
	int sc_line;		      /* line it was declared on */

	/* what runs */
	int sc_wait;		     /* 1 wait, 0 nowait */
	char *sc_server;	     /* path of the program */
	char **sc_argv;		     /* NULL-terminated, argv[0] first */
	char *sc_user;		     /* user name, for the log */
	uid_t sc_uid;		     /* uid of the child */
	gid_t sc_gid;		     /* primary gid of the child */
	gid_t *sc_groups;	     /* supplementary groups */
	int sc_ngroups;		     /* entries in sc_groups */
	int sc_nice;		     /* 0 or the niceness to add */
	char **sc_env;		     /* NAME=VALUE added to the environment */
	char **sc_passenv;	     /* names passed from superd's environment */
	char *sc_chroot;	     /* NULL or directory to chroot into */
	int sc_no_new_privs;	     /* set PR_SET_NO_NEW_PRIVS in the child */

	/* access */
	int sc_wrap;		     /* check TCP wrappers (hosts.allow) */
	char *sc_wrap_name;	     /* their daemon name, NULL: default */

	/* limits (0 = unlimited) */
	int sc_instances;	/* concurrent children or sessions */
	int sc_per_source;	/* concurrent connections per source */
	int sc_per_ip_rate;	/* connections per source per minute */
	int sc_max_per_minute;	/* spawns per 60 s before pausing (inetd .max) */
	int sc_cps_rate;	/* connections per second before pausing */
	int sc_cps_backoff;	/* seconds paused after cps is exceeded */
	int sc_v6_prefix;	/* IPv6 source accounting prefix */

	/* socket options */
	int sc_backlog;	  /* listen backlog */
	int sc_keepalive; /* SO_KEEPALIVE on accepted sockets */
	int sc_nodelay;	  /* TCP_NODELAY on accepted sockets */
	int sc_reuseport; /* SO_REUSEPORT on the listener */
	int sc_freebind;  /* IP_FREEBIND on the listener */
	int sc_sndbuf;	  /* SO_SNDBUF of the listener, 0: the kernel's */
	int sc_rcvbuf;	  /* SO_RCVBUF of the listener, 0: the kernel's */

	/* output */
	int sc_log_success;	 /* LOGF_* fields on success */
	int sc_log_failure;	 /* LOGF_* fields on failure */

	/* kind: NULL for a plain IPv4/IPv6 endpoint (see kind.c) */
	const struct kind *sc_kind;  /* unix, tcpmux or rpc */
	struct kind_conf *sc_kconf;  /* what the kind adds, owned */

	/* options most services leave alone: shared defaults until one is set */
	const struct service_rare *sc_rare;
};

/*
 * What an endpoint counts once it is used (service_run, svctab.c): refusal
 * counters, rate windows, the last pause, a kind's runtime.  Allocated on
 * first use, so an idle endpoint costs none of it.
 */
struct service_run {
	unsigned long ru_refused[REFUSE_COUNT]; /* refusals by reason */
	time_t ru_cps_second;	   /* the second ru_cps_count counts */
	int ru_cps_count;	   /* connections in ru_cps_second */
	int ru_minute_count;	   /* spawns in the max_per_minute window */
	time_t ru_minute_start;	   /* start of that window */
	time_t ru_loop_start;	   /* start of the wait-loop window */
	uint64_t ru_loop_mark;	   /* dgram wait: the datagram a child got, 0 none */
	int ru_loop_count;	   /* wait spawns in the window */
	int ru_dgram_tokens;	   /* UDP builtin replies left this second */
	int64_t ru_dgram_stamp;	   /* monotonic ns of the last refill, 0 never */
	struct event *ru_timer;	   /* back-off timer, NULL until one */
	const char *ru_pause_reason; /* why the last back-off paused it */
	time_t ru_pause_until;	   /* monotonic second that back-off ends */
	struct refuse_log *ru_refuse_log; /* refusal log limiter, NULL unused */
	dev_t ru_kdev;		   /* unix: the socket file superd made */
	ino_t ru_kino;		   /* unix: its inode, 0 when none */
	int ru_kregistered;	   /* rpc: versions registered with rpcbind */
};

/*
 * One endpoint: protocol, bind address and port, its configuration and its
 * runtime state.  A service declared with several bind addresses becomes
 * several entries sharing one configuration.  The endpoint is filled by a
 * parser; the runtime part by listen and accept.
 */
struct service {
	TAILQ_ENTRY(service) sv_entry; /* in svctab */
	const struct service_conf *sv_conf; /* what was declared, shared */

	/* the endpoint: what a reload matches (see reload_keeper) */
	union sv_sockaddr sv_addr;    /* bind address and port */
	uint8_t sv_addrlen;	      /* length of sv_addr */
	uint8_t sv_socktype;	      /* SOCK_STREAM or SOCK_DGRAM */
	uint8_t sv_proto;	      /* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t sv_v6only;	      /* IPV6_V6ONLY for AF_INET6 */

	/* runtime: survives a reload that keeps the endpoint */
	uint8_t sv_paused;	   /* not watching sv_fd: wait, back-off */
	uint8_t sv_armed;	   /* the loop serves it (listen_prepare) */
	uint8_t sv_watched;	   /* sv_fd is in the listeners' set */
	int sv_fd;		   /* listening socket, -1 when closed */
	int sv_refs;		   /* table entry plus live children */
	int sv_nchild;		   /* live children and builtin sessions */
	unsigned long sv_accepted; /* connections served */
	struct srctab *sv_sources; /* per-source table, NULL until used */
	struct service_run *sv_run; /* counters and windows, NULL until used */
	struct superd *sv_sd;	   /* the daemon this belongs to */
};
TAILQ_HEAD(service_list, service);

/*
 * The peer of a UNIX-domain connection, kept in a sockaddr_storage where
 * an IP peer's address would be: its credentials (SO_PEERCRED).
 */
struct unix_peer {
	sa_family_t up_family; /* AF_UNIX */
	pid_t up_pid;	       /* peer's process */
	uid_t up_uid;	       /* its effective uid */
	gid_t up_gid;	       /* its effective gid */
};

/* Settings that are not per service. */
struct globals {
	int gl_instances;	  /* global cap on children, 0 = off */
	char *gl_user;		  /* run the daemon itself as this user */
	uid_t gl_uid;		  /* its uid, resolved at load time */
	gid_t gl_gid;		  /* its gid */
	int gl_selfcheck_interval; /* seconds between audits, 0 = off */
	int gl_kill_children;	  /* signal children on SIGTERM */
	int gl_watch;		  /* reload_on_change: watch.c reloads */
	int gl_builtin_timeout;	  /* idle seconds of a builtin TCP session */
};

/* The service table: what one load of the config produced. */
struct svctab {
	struct service_list st_services; /* every endpoint */
	struct globals st_globals;	 /* global settings */
	char *st_path;			 /* the file loaded, NULL if none */
	int st_format;			 /* the parser that read it */
	const char *st_origin;		 /* why that file, for reports, or NULL */
	int st_nerrors;			 /* errors reported while loading */
	char st_lasterr[512];		 /* text of the last error */
	char **st_watch;		 /* files read, directories ("dir/")
					    searched, include globs: watch.c */
};

/*
 * The columns of conf_options.h (every native option) that its users
 * share: "lands nowhere by itself" and the "shown" bits.
 */
#define CONF_NONE ((size_t)-1)
#define OPT_LIST 0x01	 /* a key of --list --json */
#define OPT_CONVERT 0x02 /* written by --convert when not the default */

/* Which parser reads a file. */
enum conf_format {
	CONF_AUTO,    /* decide by content */
	CONF_INETD,   /* classic inetd.conf */
	CONF_NATIVE,  /* superd.conf */
};

/* A child process (or builtin session) in flight. */
struct child {
	LIST_ENTRY(child) ch_entry;	/* in the child table */
	pid_t ch_pid;			/* 0 for a builtin session */
	struct service *ch_sv;		/* holds a reference */
	struct timespec ch_start;	/* monotonic start time */
	struct sockaddr_storage ch_peer; /* peer, family 0 if none */
	int ch_counted;			/* REAP_COUNTED_* bits */
	void (*ch_done)(struct child *, void *); /* called after reap */
	void *ch_arg;			/* argument of ch_done */
};
LIST_HEAD(child_list, child);
#define REAP_COUNTED_SERVICE 0x01 /* in the service's per-source table */
#define REAP_COUNTED_GLOBAL 0x02  /* in the daemon-wide one */

/* What one run of the binary does. */
enum superd_mode {
	MODE_SERVE,	/* the daemon (no mode option) */
	MODE_CHECK,	/* -t, check */
	MODE_LIST,	/* --list, list */
	MODE_SELFCHECK, /* --selfcheck, selfcheck */
	MODE_CONVERT,	/* --convert PATH, convert PATH */
	MODE_CONTROL,	/* reload, status, stop: ask the running daemon */
};

/* Command-line options (cli.c). */
struct options {
	enum superd_mode op_mode;   /* what to do */
	const char *op_conf;	    /* -c FILE */
	enum conf_format op_format; /* --config-format (or --format inetd) */
	const char *op_pidfile;	    /* -p FILE, NULL for none */
	const char *op_convert;	    /* --convert PATH */
	int op_foreground;	    /* -f */
	int op_debug;		    /* -d */
	int op_verbose;		    /* -v: info lines in one-shot modes */
	int op_json;		    /* --list as JSON */
	int op_strict;		    /* --convert: a dropped setting fails */
	int op_command;		    /* MODE_CONTROL: its enum control_cmd */
	struct selfcheck_opts *op_audit; /* --selfcheck's options */
	const char *op_control;	    /* --control PATH, NULL for none */
	int op_control_set;	    /* --control given: it must open */
	int op_conf_default;	    /* op_conf is the default, not -c */
};

/* The daemon: one explicit context passed down. */
struct superd {
	struct event_base *sd_base;	 /* the event loop */
	struct svctab *sd_tab;		 /* current service table */
	struct child_list sd_children;	 /* live children and sessions */
	int sd_nchild;			 /* entries in sd_children */
	struct options sd_opts;		 /* how we were started */
	struct event *sd_sig[5];	 /* CHLD HUP TERM INT USR1 */
	struct event *sd_audit_ev;	 /* periodic selfcheck timer */
	struct selfcheck_state *sd_audit; /* what the last audit found */
	struct audit_run *sd_audit_run;	 /* the audit child in flight, or NULL */
	struct srctab *sd_sources;	 /* daemon-wide per-source counts */
	struct listen_set *sd_lset;	 /* the listeners' set, NULL until one */
	unsigned long sd_started;	 /* children and sessions ever started */
	unsigned long sd_idle_mark;	 /* sd_started when the idle check was set */
	int sd_idle_armed;		 /* an idle check is set (resident.c) */
	int sd_fd_limit;		 /* RLIMIT_NOFILE, 0 unknown */
	int sd_pidfd;			 /* locked pid file, -1 for none */
	struct control *sd_control;	 /* control socket, NULL if none */
	/* Set by main (the upper layer) so lower files need not call up: */
	int (*sd_reload)(struct superd *, const char *); /* control_reload */
	void (*sd_audit_done)(struct superd *, int); /* control_note_audit */
};

struct spawn_env;

/*
 * A service kind that is not a plain IPv4/IPv6 endpoint (kind_*.c): how it
 * binds, accepts, describes its peer and its endpoint.  A NULL hook does
 * what a plain endpoint does.
 */
struct kind {
	const char *k_kind; /* its name in --list --json: "unix", ... */
	const char *k_name; /* protocol column of --list; NULL: tcp or udp */
	int k_ip;	    /* its listener is an IP endpoint the audit sees */
	int k_inproc;	    /* the daemon serves it; it starts no child itself */
	int (*k_open)(struct superd *, struct service *); /* sv_fd or none */
	void (*k_close)(struct service *); /* sv_fd is about to close */
	void (*k_arm)(struct superd *, struct service *); /* loop runs */
	int (*k_accept)(struct superd *, struct service *, int,
	    struct sockaddr_storage *); /* 0 go on, 1 taken, -1 refused */
	void (*k_environ)(const struct service *,
	    const struct sockaddr_storage *, struct spawn_env *);
	const char *(*k_endpoint)(const struct service *, char *, size_t);
	int (*k_same)(const struct service *, const struct service *);
};

/* What a kind adds to the configuration of a service. */
struct kind_conf {
	char *kc_name;	      /* unix: socket path; tcpmux: name; rpc: program */
	int kc_mode;	      /* unix: socket file mode, SV_UNSET: 0666 */
	uid_t kc_uid;	      /* unix: socket file owner */
	gid_t kc_gid;	      /* unix: socket file group */
	int kc_chown;	      /* unix: kc_uid/kc_gid were given */
	uid_t *kc_uids;	      /* unix: peers allowed by uid */
	int kc_nuids;	      /* entries of kc_uids */
	gid_t *kc_gids;	      /* unix: peers allowed by gid */
	int kc_ngids;	      /* entries of kc_gids */
	int kc_plus;	      /* tcpmux: superd sends "+Go" */
	unsigned long kc_prog; /* rpc: program number */
	unsigned long kc_vlow; /* rpc: lowest version */
	unsigned long kc_vhigh; /* rpc: highest version */
};

/* log.c */
void log_init(const char *, int, int);
void log_quiet(int);
void log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_errx(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_tap(void (*)(void *, int, const char *), void *);
void fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
const char *log_addr(const struct sockaddr_storage *, char *, size_t);
const char *log_inaddr(int, const void *, char *, size_t);

/* escape.c */
#define ESCAPE_SIZE(n) (5 * (n) + 8) /* room for any escaped N bytes */
typedef char *escape_fn(char *, size_t, const char *); /* one per format */
size_t escape_utf8_len(const unsigned char *, size_t);
char *escape_text(char *, size_t, const char *);
char *escape_log(char *, size_t, const char *);
char *escape_json(char *, size_t, const char *);
char *escape_prom(char *, size_t, const char *);
char *escape_line(char *, size_t, const char *);
enum escape_format { ESCAPE_FMT_TEXT, ESCAPE_FMT_LOG, ESCAPE_FMT_PROM };
char *escape_list(char *, size_t, const char *const *, int, const char *,
    enum escape_format);

/* slurp.c */
char *slurp_stream(FILE *, size_t, size_t *);

/* strict.c */
void strict_check_servers(struct svctab *);

/* kind_conf.c */
struct kind_conf *kind_conf_get(struct service_conf *);
void kind_conf_free(struct kind_conf *);

/* builtin_name.c */
enum builtin_kind builtin_name_find(const char *);
const char *builtin_name(enum builtin_kind);

/* svpool.c */
struct service *svpool_get(void);
void svpool_put(struct service *);

/* svctab.c */
struct svctab *svctab_new(void);
void svctab_free(struct svctab *);
void svctab_note_path(struct svctab *, const char *, int);
struct service *service_new(const char *, const char *, int);
struct service *service_clone(const struct service *);
struct service_conf *service_conf_edit(struct service *);
struct service_rare *service_conf_rare(struct service *);
char *svctab_share(const char *);
void *svctab_share_mem(const void *, size_t);
int svctab_argv_push(char ***, const char *);
void service_ref(struct service *);
void service_unref(struct service *);
void svctab_error(struct svctab *, const char *, int, const char *, ...)
    __attribute__((format(printf, 4, 5)));
int svctab_instances(const struct service *);
int svctab_resolve_port(const char *, int, int *);
int svctab_parse_addr(const char *, int, struct sockaddr_storage *, socklen_t *);
int svctab_set_addr(struct service *, const char *, int);
const char *svctab_addr_text(const union sv_sockaddr *, char *, size_t);
int svctab_same_endpoint(const struct service *, const struct service *);
#define SVCTAB_EPLEN 160 /* any endpoint text: a UNIX path is up to 107 */
#define SVCTAB_EPLOG ESCAPE_SIZE(SVCTAB_EPLEN + 16)
const char *svctab_endpoint(const struct service *, char *, size_t);
const char *svctab_endpoint_log(const struct service *, char *, size_t);
const char *svctab_proto_name(const struct service *);
void svctab_print(struct svctab *, FILE *, int);

/* strv.c */
void strv_free(char **);
size_t strv_len(char *const *);
int strv_push(char ***, const char *);
int strv_adopt(char ***, char *);

/* inetd_addr.c */
#define INETD_ADDRS_MAX 32 /* addresses, and endpoints, of one line */
#define INETD_ADDR_TEXT 256 /* longest address or host name */

/* One bind address as written: the wildcard, a literal, or a host's. */
struct inetd_addr {
	int ia_family;		   /* AF_INET, AF_INET6, or 0 for "*" */
	uint8_t ia_addr[16];	   /* network byte order */
	int ia_named;		   /* resolved from a host name */
	char ia_text[INETD_ADDR_TEXT]; /* as written, for messages */
};

/* The address list of a line or of a default-address line. */
struct inetd_addrs {
	struct inetd_addr ias_list[INETD_ADDRS_MAX]; /* in order */
	int ias_n;				      /* 0: the wildcard */
};

/* One socket a line binds: family, address, v6only. */
struct inetd_endpoint {
	int ie_family;	     /* AF_INET or AF_INET6 */
	uint8_t ie_addr[16]; /* network byte order */
	int ie_v6only;	     /* IPV6_V6ONLY for AF_INET6 */
};

/* The sockets of one line. */
struct inetd_endpoints {
	struct inetd_endpoint ie_list[INETD_ADDRS_MAX]; /* in order */
	int ie_n;					 /* entries used */
};
int inetd_addr_parse(const char *, struct inetd_addrs *, char *, size_t);
int inetd_addr_endpoints(const struct inetd_addrs *, const char *, int, int,
    const char *, struct inetd_endpoints *, char *, size_t);
void inetd_addr_set(struct service *, const struct inetd_endpoint *, int);

/* watch.c */
void watch_start(struct superd *);
void watch_rebuild(struct superd *);
void watch_stop(void);

/* wrap_rules.c */
/* One rule of hosts.allow or hosts.deny: its two lists, split. */
struct wrap_rule {
	char **wr_daemons; /* daemon patterns, EXCEPT included */
	char **wr_clients; /* client patterns, EXCEPT included */
	int wr_deny;	   /* from hosts.deny */
};
/* Both files, in memory. */
struct wrap_rules {
	struct wrap_rule *wr_rules; /* wr_n rules, in file order */
	size_t wr_n;		    /* rules */
	int wr_simple;		    /* every rule decided by the address */
	int wr_memory;		    /* ... or by it with the name unknown */
};
void wrap_rules_init(struct wrap_rules *);
int wrap_rules_read(struct wrap_rules *, FILE *, int);
void wrap_rules_clear(struct wrap_rules *);
int wrap_rules_permit(const struct wrap_rules *, const char *, const char *);

/* wrap.c */
void wrap_start(struct event_base *);
void wrap_stop(void);
const char *wrap_name(const struct service *);
int wrap_in_child(const struct service *);
int wrap_permits(const struct service *, const struct sockaddr_storage *);
int wrap_child(const struct service *, int);
int wrap_open(struct svctab *);

/* resident.c */
void resident_trim(void);
void resident_when_idle(struct superd *);

/* dynlib.c */
int dynlib_load(const char *, const char *const *, void **, size_t, char *,
    size_t);

/* inetd_bsd.c */
const char *inetd_bsd_ipsec(const char *);
const char *inetd_bsd_keyvalue(const char *);
const char *inetd_bsd_socktype(const char *);
const char *inetd_bsd_protocol(const char *);
const char *inetd_bsd_user(const char *);
int inetd_bsd_include(const char *, const char *, char ***, char *, size_t,
    char *, size_t);

/* inetd_conf.c */
int inetd_conf_parse(struct svctab *, const char *, FILE *);
char *inetd_conf_next(char **);

/* conf.c */
int conf_parse(struct svctab *, const char *);

/* conf_value.c */
int conf_value_boolword(const char *, int *);
const char *conf_value_check_port(const char *);
const char *conf_value_check_protocol(const char *);
const char *conf_value_check_socktype(const char *);
const char *conf_value_check_addr(const char *);
const char *conf_value_check_user(const char *);
const char *conf_value_check_group(const char *);
const char *conf_value_check_server(const char *);
const char *conf_value_check_internal(const char *);
const char *conf_value_check_env(const char *);
const char *conf_value_check_name(const char *);
int conf_value_umask(const char *, int *);
const char *conf_value_check_umask(const char *);
int conf_value_rlimit(const char *, long long *);
const char *conf_value_check_rlimit(const char *);
const char *conf_value_check_dir(const char *);
const char *conf_value_check_protect(const char *);
const char *conf_value_check_file(const char *);
int conf_value_cidr(const char *, struct acl_entry *);
const char *conf_value_check_cidr(const char *);
int conf_value_time_range(const char *, struct time_range *);
const char *conf_value_check_times(const char *);
int conf_value_logflag(const char *, int *);
const char *conf_value_check_logflag(const char *);

/* service_run.c */
struct service_run *service_run(struct service *);
const unsigned long *service_run_refused(const struct service *);

/* listen_set.c */
int listen_set_open(struct superd *, void (*)(struct service *));
int listen_set_add(struct service *);
void listen_set_del(struct service *);
void listen_set_free(struct superd *);

/* listen.c */
int listen_open(struct superd *, struct service *);
int listen_open_inet(struct superd *, struct service *);
int listen_open_all(struct superd *, struct svctab *);
void listen_close(struct service *);
int listen_backing_off(const struct service *);
void listen_backoff(struct service *, int, const char *);
int listen_prepare(struct superd *, struct service *);
int listen_arm(struct superd *, struct service *);
void listen_retune(struct service *);
void listen_log(const struct service *);
int listen_adopt(struct superd *, struct svctab *, int);

/* access.c */
const char *access_reason_name(enum refuse_reason);
void access_normalize(struct sockaddr_storage *);
int access_check_acl(const struct service *, const struct sockaddr_storage *);
int access_check_time(const struct service *, time_t);

/* limits.c */
int limits_check(struct superd *, struct service *,
    const struct sockaddr_storage *, time_t, enum refuse_reason *);

/* accept.c */
void accept_stream(struct superd *, struct service *);
void accept_refuse(struct service *, int, const struct sockaddr_storage *,
    enum refuse_reason);
void accept_serve(struct superd *, struct service *, int,
    const struct sockaddr_storage *);

/* banner.c */
#define BANNER_MAX 65536 /* bytes of a banner file */
#define BANNER_MAX_TEXT "65536 bytes"
enum banner_kind {
	BANNER_ALL,	/* banner: every connection */
	BANNER_SUCCESS, /* banner_success: an accepted one */
	BANNER_FAIL,	/* banner_fail: a refused one */
	BANNER_COUNT,
};
struct banners;
const char *banner_load(struct service_rare *, enum banner_kind,
    const char *);
void banner_free(struct service_rare *);
void banner_send(const struct service *, enum banner_kind, int);

/* fair.c */
int fair_admit(struct superd *, struct service *,
    const struct sockaddr_storage *);
int fair_take(struct superd *, const struct sockaddr_storage *);
void fair_release(struct superd *, const struct sockaddr_storage *);
int fair_fd_spare(const struct superd *, int);
void fair_nofile(struct superd *);

/* refuse.c */
struct refuse_log;
void refuse_count(struct service *, enum refuse_reason);
void refuse_note(struct service *, const struct sockaddr_storage *,
    enum refuse_reason);
void refuse_free(struct service *);

/* source.c */
#define SOURCE_TABLE_MAX 65536 /* entries a per-source table may hold */
#define SOURCE_TOTAL_MAX 262144 /* entries all tables together may hold */
struct srctab;
struct srctab *srctab_new(uint32_t);
void srctab_free(struct srctab *);
void srctab_take(struct srctab *, struct source *);
void srctab_release(struct srctab *, struct source *);
size_t srctab_bytes(const struct srctab *, size_t *);
size_t srctab_usage(uint32_t *, size_t *);
unsigned long srctab_refused(const struct srctab *);
uint32_t srctab_count(const struct srctab *);
void source_key(const struct service *, const struct sockaddr_storage *,
    struct source *);
struct source *source_find(struct service *, const struct sockaddr_storage *,
    int);
int source_take(struct service *, const struct sockaddr_storage *);
void source_release(struct service *, const struct sockaddr_storage *);
struct source *source_global(struct srctab *, const struct sockaddr_storage *,
    int);
int source_dgram_take(struct service *, const struct sockaddr_storage *,
    time_t);

/* builtin.c */
int builtin_stream(struct superd *, struct service *, int,
    const struct sockaddr_storage *);
void builtin_dgram(struct superd *, struct service *);
int builtin_dgram_badport(const struct sockaddr_storage *);
size_t builtin_daytime(time_t, char *, size_t);
uint32_t builtin_time(time_t);
size_t builtin_chargen_line(unsigned int, char *, size_t);
int builtin_dgram_take(struct service *, const struct timespec *);

/* spawn.c */
#define SPAWN_ENV_MAX 64     /* variables a child gets */
#define SPAWN_ENV_BYTES 8192 /* bytes of their text */

/* A child's environment, built in the parent without allocation. */
struct spawn_env {
	char *se_vec[SPAWN_ENV_MAX + 1]; /* NULL-terminated */
	char se_buf[SPAWN_ENV_BYTES];	 /* the strings */
	size_t se_used;			 /* bytes of se_buf used */
	int se_n;			 /* entries of se_vec used */
};
void spawn_init(void);
void spawn_nofile(uint64_t, uint64_t);
void spawn_setenv(struct spawn_env *, const char *, const char *);
pid_t spawn_child(struct service *, int,
    const struct sockaddr_storage *);
int spawn_environ(const struct service *, int,
    const struct sockaddr_storage *, struct spawn_env *);

/* spawn_report.c */
volatile int *spawn_report_take(void);
void spawn_report_own(volatile int *, pid_t);
int spawn_report_find(pid_t);

/* load.c */
int load_file(struct svctab *, const char *, enum conf_format);
int load_looks_classic(FILE *);
int load_validate(struct svctab *);

/* kind.c */
int kind_inetd(struct service *, const char *, const char *, char *, size_t);
int kind_hidden(const struct service *);
int kind_loaded(struct svctab *);

/* kind_unix.c */
extern const struct kind kind_unix;
int kind_unix_setup(struct service *, const char *, const char *,
    const char *, const char *, char *, size_t);
int kind_unix_inetd(struct service *, const char *, char *, size_t);
int kind_unix_peers(struct service *, char *const *, char *const *, char *,
    size_t);
int kind_unix_allowed(const struct service *, const struct unix_peer *);

/* kind_tcpmux.c */
extern const struct kind kind_tcpmux;
#define KIND_TCPMUX_PORT 1 /* RFC 1078 */
int kind_tcpmux_setup(struct service *, const char *, char *, size_t);
int kind_tcpmux_listeners(struct svctab *);

/* kind_rpc.c */
extern const struct kind kind_rpc;
int kind_rpc_setup(struct service *, const char *, const char *, char *,
    size_t);
int kind_rpc_inetd(struct service *, const char *, char *, size_t);
void kind_rpc_reloaded(void);
int kind_rpc_audit_port(const struct service *);

/* lookup.c */
#define LOOKUP_ADDRS_MAX 32 /* addresses kept of one host name */

/* One address of a host name. */
struct lookup_addr {
	int la_family;	     /* AF_INET or AF_INET6 */
	uint8_t la_addr[16]; /* network byte order; 4 bytes for AF_INET */
};
int lookup_host(const char *, struct lookup_addr **, int *);
int lookup_user(const char *, uid_t *, gid_t *);
int lookup_uid(uid_t, gid_t *);
int lookup_group(const char *, gid_t *);
int lookup_user_groups(const char *, gid_t, gid_t **, int *);

/* lookup_cache.c */
void lookup_cache_clear(void);
int lookup_cache_user(const char *, uid_t *, gid_t *);
int lookup_cache_group(const char *, gid_t *);
int lookup_cache_groups(const char *, gid_t, gid_t **, int *);
int lookup_rpc(const char *, unsigned long *);
int lookup_service(const char *, int, int *);

/* priv.c */
int priv_child_drop(uid_t, int, int, uint64_t);
int priv_daemon_restrict(struct superd *);
int priv_cap_from_name(const char *, int *);
const char *priv_describe(const struct service *, char *, size_t);
int priv_daemon_setuser(uid_t, gid_t);
void priv_daemon_check_need(const struct svctab *);

/* sandbox.c */
#define SANDBOX_PROTECT 0x01 /* protect_system = strict: every mount read-only */
#define SANDBOX_TMP 0x02     /* private_tmp: empty /tmp and /var/tmp */
#define SANDBOX_DEVICES 0x04 /* private_devices: /dev with null, zero, ... */
int sandbox_child(int);
void sandbox_validate(struct svctab *);

/* reap.c */
struct child *reap_add(struct superd *, pid_t, struct service *,
    const struct sockaddr_storage *, int);
void reap_remove(struct superd *, struct child *, int, const char *);
void reap_all(struct superd *);
void reap_dump(struct superd *);
void reap_signal_all(struct superd *, int);

/* conflict.c */
int conflict_clash(const struct service *, const struct service *);
void conflict_check(struct svctab *);
int conflict_holders(const struct svctab *);

/* pidfile.c */
int pidfile_lock(const char *);
int pidfile_write(int, const char *);
void pidfile_remove(int, const char *);

/* reload.c */
struct svctab *reload_load(struct superd *);
int reload_run(struct superd *);

/* audit.c */
void audit_schedule(struct superd *);
void audit_stop(struct superd *);

/* notify.c */
int notify_send(const char *);
void notify_reloading(void);
void notify_ready(int);
int notify_listen_fds(void);

/* convert.c */
int convert_main(const char *, int, FILE *);

/* cli.c */
void cli_parse(struct options *, int, char **);

/* selfcheck.c */
struct selfcheck_opts;
struct selfcheck_state;
#define SELFCHECK_OPT_FORMAT 256 /* first getopt value of the audit's */
#define SELFCHECK_OPT_REMOTE 448 /* first of the remote audit's */
#define SELFCHECK_OPT_LAST 511	 /* last one */
struct option;
const struct option *selfcheck_options(void);
struct selfcheck_opts *selfcheck_opts_new(void);
void selfcheck_opts_free(struct selfcheck_opts *);
int selfcheck_option(struct selfcheck_opts *, int, const char *);
int selfcheck_main(struct svctab *, const struct selfcheck_opts *);
struct selfcheck_state *selfcheck_state_new(void);
void selfcheck_state_free(struct selfcheck_state *);
int selfcheck_periodic_report(struct selfcheck_state *, const char *, size_t);
int selfcheck_periodic_failed(struct selfcheck_state *, const char *);

/* selfcheck_remote.c */
const struct option *selfcheck_remote_options(void);
int selfcheck_remote_option(struct selfcheck_opts *, int, const char *);
int selfcheck_remote_wanted(const struct selfcheck_opts *);
const char *selfcheck_remote_check(const struct selfcheck_opts *, int);
int selfcheck_remote_main(struct svctab *, const struct selfcheck_opts *);

/* control.c */
struct control;
const char *control_default_path(void);
int control_open(struct superd *, const char *, int);
int control_arm(struct superd *);
void control_close(struct superd *);
int control_reload(struct superd *, const char *);
void control_note_audit(struct superd *, int);

/* control_proto.c */
#define CONTROL_VERSION 1
/* The commands of the control protocol. */
enum control_cmd {
	CONTROL_RELOAD,
	CONTROL_STATUS,
	CONTROL_STOP,
};
int control_parse_request(const char *, size_t, enum control_cmd *, char *,
    size_t);
const char *control_cmd_name(enum control_cmd);
int control_cmd_find(const char *, enum control_cmd *);
struct json_t;
struct json_t *control_json_str(const char *);
struct sockaddr_un;
int control_addr(const char *, struct sockaddr_un *);
char *control_dump_line(struct json_t *);
char *control_reply_error(const char *);

/* control_client.c */
int control_client_is_cmd(const char *);
int control_client_run(const char *, int, int);
void control_client_running_conf(struct options *, char *, size_t, char *,
    size_t);

#endif /* SUPERD_H */
