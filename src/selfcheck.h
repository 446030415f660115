/* SPDX-License-Identifier: ISC */
/*
 * superd --selfcheck internals, shared by src/selfcheck*.c and their unit
 * tests.  The pure stages (parsers, diff, report) work on these plain
 * arrays; the I/O stages (netlink, /proc walk, probe) fill them.
 */
#ifndef SELFCHECK_H
#define SELFCHECK_H

#include <sys/types.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "superd.h"

struct json_t;

#define SELFCHECK_MAXOWN 8	/* holders of one socket we name */
#define SELFCHECK_MAXANC 12	/* ancestors of one holder we name */
#define SELFCHECK_NFAM 6	/* socket families of the kernel's table */
#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#define SELFCHECK_SCHEMA "superd-selfcheck/1"
#define SELFCHECK_UDP_DEADLINE_MS 5000 /* default --udp-deadline */
#define SELFCHECK_PROTO_PACKET 0x10000 /* sk_proto of an AF_PACKET socket */
#define SELFCHECK_ADVICE_LEN 4096 /* one line of advice, names escaped */
#define SELFCHECK_REMOTE_MAX 16 /* --remote hosts on one command line */

/* Monitoring-plugin exit codes. */
enum selfcheck_status {
	SELFCHECK_OK = 0,
	SELFCHECK_WARNING = 1,
	SELFCHECK_CRITICAL = 2,
	SELFCHECK_UNKNOWN = 3,
};

/* What the diff concluded about one endpoint or socket. */
enum selfcheck_kind {
	SCK_OK,		 /* declared, held by superd, reachable */
	SCK_MISSING,	 /* declared, nothing listening */
	SCK_FOREIGN,	 /* declared, held by someone else */
	SCK_UNREACHABLE, /* declared, held by superd, probe not answered */
	SCK_EXPOSED,	 /* undeclared, reachable on a non-loopback address */
	SCK_LOCAL_ONLY,	 /* undeclared, loopback addresses only */
	SCK_WIDER,	 /* declared port bound on more addresses than declared */
	SCK_FORWARDED,	 /* a NAT rule maps the port elsewhere */
	SCK_UNDECIDED,	 /* a rule the model does not understand decides it */
	SCK_RAW,	 /* a raw IP socket (sk_port: its protocol) */
	SCK_PACKET,	 /* an AF_PACKET socket (sk_port: its ethertype) */
	SCK_COUNT,
};

/* An address with its family; IPv4 in the first 4 bytes. */
struct selfcheck_ip {
	int ip_family;	   /* AF_INET or AF_INET6 */
	uint8_t ip_addr[16]; /* network byte order */
	unsigned ip_ifindex; /* interface holding it (the scope of an IPv6
				link-local, part of its identity); 0 unknown */
};

/* One process of an owner's ancestry (pstree -p). */
struct selfcheck_anc {
	pid_t an_pid;	   /* its pid */
	char an_comm[16];  /* its comm */
};

/* Where a process runs, from /proc/PID/cgroup (ow_in). */
enum selfcheck_where {
	SCW_NONE = 0,	/* unreadable */
	SCW_UNIT,	/* a systemd system unit: ssh.service, x.scope */
	SCW_USER,	/* a user's manager or one of its units: user@1000.service */
	SCW_SESSION,	/* a login session: session-3.scope */
	SCW_CONTAINER,	/* a container: docker-ID.scope, docker/ID, libpod */
	SCW_CGROUP,	/* none of these: the raw cgroup path */
};

/* One process holding a socket. */
struct selfcheck_owner {
	pid_t ow_pid;	   /* holder */
	uid_t ow_uid;	   /* real uid of the holder */
	char ow_comm[32];  /* /proc/PID/comm */
	char ow_exe[256];  /* /proc/PID/exe target, "" if unreadable */
	int ow_exe_cut;	   /* ow_exe is only the start of a longer path */
	int ow_superd;	   /* superd itself or a child of superd */
	char ow_unit[128]; /* its systemd system unit ("x.service"), or "" */
	char ow_cgroup[192]; /* its cgroup path (v2, else name=systemd), "" */
	int ow_in;	   /* enum selfcheck_where of ow_where */
	char ow_where[128]; /* the unit, session or container it runs in */
	int ow_nanc;	   /* entries of ow_anc */
	int ow_anc_cut;	   /* the chain goes on beyond ow_anc */
	struct selfcheck_anc ow_anc[SELFCHECK_MAXANC]; /* itself, its parent,
				... up to pid 1 */
};

/* Who superd is: its executable, for telling its sockets from others'. */
struct selfcheck_self {
	dev_t sf_dev;		/* device of /proc/self/exe's file */
	ino_t sf_ino;		/* its inode; 0 when unknown */
	char sf_path[256];	/* its path, for a replaced binary */
};

/*
 * One socket of the kernel's table: a listener (TCP, SCTP, DCCP; an
 * MPTCP one is TCP with sk_mptcp) or an unconnected UDP or UDP-lite one.
 */
struct selfcheck_sock {
	int sk_proto;		   /* IPPROTO_TCP, _UDP, _UDPLITE, _SCTP... */
	int sk_mptcp;		   /* an MPTCP listener (its TCP subflow) */
	int sk_mapped;		   /* an IPv6 socket bound to a v4-mapped
				      address: sk_ip is its IPv4 meaning */
	struct selfcheck_ip sk_ip; /* bound address */
	uint16_t sk_port;	   /* bound port, host order */
	int sk_v6only;		   /* IPV6_V6ONLY; 0 for IPv4, -1 unknown */
	unsigned sk_ifindex;	   /* SO_BINDTODEVICE, 0 for none */
	uid_t sk_uid;		   /* socket owner uid */
	uint64_t sk_inode;	   /* socket inode, 0 if unknown */
	int sk_nowners;		   /* entries used in sk_owners */
	int sk_nholders;	   /* processes holding it (may exceed
				      SELFCHECK_MAXOWN) */
	struct selfcheck_owner sk_owners[SELFCHECK_MAXOWN]; /* holders */
};

/* Whether one socket family of the table was read (fm_state). */
enum selfcheck_fam_state {
	SCFM_SKIPPED = 0, /* not asked for (--proto) */
	SCFM_READ,	  /* read */
	SCFM_ABSENT,	  /* not in this kernel: no such socket can exist */
	SCFM_UNREAD,	  /* in the kernel, its table unreadable (fm_errno) */
	SCFM_ASTCP,	  /* MPTCP from /proc/net: its listeners seen as TCP */
};

/* One socket family of the kernel's table. */
struct selfcheck_family {
	int fm_proto;	  /* IPPROTO_* */
	int fm_state;	  /* enum selfcheck_fam_state */
	int fm_errno;	  /* why unreadable */
};

/* The kernel's table. */
struct selfcheck_socks {
	struct selfcheck_sock *ss_v; /* array */
	size_t ss_n;		     /* used */
	size_t ss_max;		     /* allocated */
	const char *ss_source;	     /* "sock_diag" or "/proc/net" */
	struct selfcheck_family ss_fam[SELFCHECK_NFAM]; /* what was read */
};

/* One declared endpoint, copied out of the service table. */
struct selfcheck_decl {
	const char *dc_name;	   /* service name */
	int dc_proto;		   /* IPPROTO_TCP or IPPROTO_UDP */
	struct selfcheck_ip dc_ip; /* declared address, may be a wildcard */
	uint16_t dc_port;	   /* declared port */
	int dc_v6only;		   /* IPV6_V6ONLY when IPv6 */
};

/* Per-port answer of the active probe. */
enum selfcheck_probe_state {
	SCP_UNPROBED = 0, /* not probed (range, mode, protocol) */
	SCP_CLOSED,	  /* RST / ECONNREFUSED */
	SCP_OPEN,	  /* SYN-ACK / connected */
	SCP_SILENT,	  /* no answer before the deadline */
	SCP_SKIPPED,	  /* deliberately not touched (would reach superd) */
	SCP_OPENFILTERED, /* UDP: sent, no ICMP port-unreachable came back */
	SCP_UNKNOWN,	  /* UDP: no conclusive answer before the deadline */
	SCP_FILTERED,	  /* TCP, remote: silent where the address answers
			     on other ports (a firewall drops) */
	SCP_PROHIBITED,	  /* remote: ICMP administratively prohibited came
			     back (a firewall rejects; nmap: filtered) */
};

/* What supports a finding (fd_evidence bits). */
#define SCE_TABLE 1	/* the kernel's table (a socket, or its absence) */
#define SCE_PROBE 2	/* the active probe's answer */
#define SCE_RULES 4	/* the netfilter ruleset */

#define SELFCHECK_FW_PORTS 16	/* port ranges one rule matches */
#define SELFCHECK_FW_ADDRS 8	/* destination prefixes one rule matches */

/* What a netfilter rule does with what it matches (fr_verdict). */
enum selfcheck_fw_verdict {
	SCV_NONE = 0,	/* nothing final (counter, log): go on */
	SCV_ACCEPT,	/* accept */
	SCV_DROP,	/* drop or reject */
	SCV_JUMP,	/* jump to fr_target */
	SCV_GOTO,	/* goto fr_target */
	SCV_RETURN,	/* return */
	SCV_DNAT,	/* dnat to fr_to:fr_toport */
	SCV_REDIRECT,	/* redirect to a local address, fr_toport */
	SCV_TPROXY,	/* tproxy to fr_to:fr_toport */
};

/* One prefix of a destination or source match. */
struct selfcheck_fw_prefix {
	struct selfcheck_ip fp_ip; /* network */
	int fp_len;		   /* prefix length */
};

/* One rule of the ruleset, as the model reads it. */
struct selfcheck_fw_rule {
	int fr_chain;		 /* index of its chain */
	long fr_handle;		 /* nft handle */
	int fr_unknown;		 /* a match or statement the model lacks */
	int fr_family;		 /* AF_INET/AF_INET6 the rule is limited to, 0 both */
	int fr_proto;		 /* IPPROTO_TCP/UDP, 0 any */
	int fr_nports;		 /* entries of fr_ports, 0 any port */
	uint16_t fr_ports[SELFCHECK_FW_PORTS][2]; /* destination port ranges */
	int fr_ndst;		 /* entries of fr_dst, 0 any address */
	struct selfcheck_fw_prefix fr_dst[SELFCHECK_FW_ADDRS]; /* daddr */
	int fr_dst_local;	 /* fib daddr type local */
	int fr_iif;		 /* 0 any, 1 lo only, 2 not lo, 3 some other */
	char fr_iifname[32];	 /* the interface matched (3), "!" prefix: not */
	int fr_src;		 /* limited to some sources */
	char fr_srctext[64];	 /* those sources, as nft writes them */
	int fr_newonly;		 /* ct state: 1 new packets never match */
	enum selfcheck_fw_verdict fr_verdict; /* what it does */
	char fr_target[64];	 /* jump/goto chain */
	struct selfcheck_ip fr_to; /* dnat/tproxy address (family 0: same) */
	int fr_toport;		 /* target port, 0 the same */
};

/* One chain. */
struct selfcheck_fw_chain {
	char fc_family[8];	/* ip, ip6, inet */
	char fc_table[64];	/* table */
	char fc_name[64];	/* chain */
	char fc_hook[16];	/* prerouting, input, output, ""=regular */
	char fc_type[8];	/* filter, nat */
	int fc_policy;		/* SCV_ACCEPT or SCV_DROP */
};

/* The ruleset. */
struct selfcheck_fw {
	const char *fw_source;	 /* "nftables", or why it is absent */
	int fw_ok;		 /* read */
	struct selfcheck_fw_chain *fw_chains; /* chains */
	size_t fw_nchains;	 /* entries */
	struct selfcheck_fw_rule *fw_rules; /* rules, in chain order */
	size_t fw_nrules;	 /* entries */
};

/* What the filter does with new connections to one endpoint (fd_fw). */
enum selfcheck_fw_state {
	SCR_NONE = 0,	/* not evaluated (no ruleset, loopback) */
	SCR_OPEN,	/* every non-loopback source gets through */
	SCR_BLOCKED,	/* none does */
	SCR_PARTIAL,	/* some interfaces or sources only */
	SCR_UNDECIDED,	/* a rule the model cannot read decides it */
};

/* The probe's result for one audited address. */
struct selfcheck_probed {
	struct selfcheck_ip pr_ip; /* probed address */
	uint8_t *pr_state;	   /* 65536 selfcheck_probe_state bytes, TCP */
	uint8_t *pr_udp;	   /* the same for UDP, NULL if not probed */
	int pr_udp_filtered;	   /* UDP silent nearly everywhere: filtered */
	int pr_tcp_errno;	   /* the TCP sweep failed with it, 0 none */
	int pr_udp_errno;	   /* last send or socket error, 0 none */
	int pr_udp_nerr;	   /* UDP ports whose send failed */
	int pr_udp_paced;	   /* the kernel's ICMP limit slowed it */
	size_t pr_by;		   /* 1 + index in pb_v of the address whose
				      probe decided this one (equivalence,
				      selfcheck_equiv.c); 0: probed itself */
};

/* Probe results for every audited address. */
struct selfcheck_probe {
	const char *pb_mode;		/* "syn", "connect" or "none" */
	const char *pb_udp_mode;	/* "icmp" or "none" */
	int pb_udp_deadline;		/* UDP time budget, ms */
	int pb_udp_ms;			/* UDP time spent, ms */
	int pb_udp_complete;		/* every UDP port got an answer */
	int pb_udp_paced;		/* the ICMP rate limit was met */
	int pb_lo, pb_hi;		/* port range */
	struct selfcheck_probed *pb_v; /* one per address */
	size_t pb_n;			/* entries of pb_v */
};

/* One finding. */
struct selfcheck_finding {
	enum selfcheck_kind fd_kind;	 /* what */
	enum selfcheck_status fd_severity; /* its weight on the exit code */
	int fd_proto;			 /* IPPROTO_TCP or IPPROTO_UDP */
	struct selfcheck_ip fd_ip;	 /* concrete address, or the bind */
	uint16_t fd_port;		 /* port */
	const char *fd_service;		 /* declared service, or NULL */
	const struct selfcheck_sock *fd_sock; /* holding socket, or NULL */
	int fd_nholders;		 /* sockets on the endpoint */
	int fd_probe;			 /* selfcheck_probe_state */
	int fd_evidence;		 /* SCE_* bits */
	int fd_fw;			 /* selfcheck_fw_state of the filter */
	char fd_rule[128];		 /* the deciding rule, "" none */
	int fd_port_hi;			 /* last port of a forwarded range */
	struct selfcheck_ip fd_to;	 /* forwarded: target address */
	int fd_toport;			 /* forwarded: target port */
};

/* Everything one audit saw and concluded. */
struct selfcheck_result {
	struct selfcheck_finding *rs_v; /* findings, sorted */
	size_t rs_n;			/* used */
	size_t rs_max;			/* allocated */
	int rs_count[SCK_COUNT];	/* findings per kind */
	enum selfcheck_status rs_status; /* worst severity */
	struct selfcheck_undecided *rs_undec; /* undecided ports per address */
	size_t rs_nundec;		/* entries of rs_undec */
};

/* Ports of one address and protocol the audit could not decide. */
struct selfcheck_undecided {
	int un_proto;		   /* IPPROTO_TCP or IPPROTO_UDP */
	struct selfcheck_ip un_ip; /* the address */
	int un_ports;		   /* how many */
	int un_reason;		   /* SCU_*: why */
	int un_errno;		   /* the error, for SCU_SOCKET and SCU_SEND */
};

/* Why ports stayed undecided (un_reason), most specific first. */
enum selfcheck_undecided_reason {
	SCU_SOCKET,	/* no probe socket on the address */
	SCU_SEND,	/* sends to some ports failed */
	SCU_FILTERED,	/* silent nearly everywhere: a filter drops */
	SCU_RATELIMIT,	/* the ICMP rate limit outlasted the deadline */
	SCU_NOANSWER,	/* no answer at all */
	SCU_TABLE,	/* the kernel's table of the protocol is unreadable */
};

/* The report's format (--format). */
enum selfcheck_format {
	SCF_TEXT = 0,	/* the human table and a plugin-style summary */
	SCF_JSON,	/* schema SELFCHECK_SCHEMA */
	SCF_PROM,	/* Prometheus text exposition (textfile collector) */
};

/* What to audit. */
struct selfcheck_opts {
	enum selfcheck_format so_format; /* --format, --json */
	int so_tcp, so_udp;	     /* protocols audited */
	struct selfcheck_ip *so_addrs; /* --addr list; NULL: every local one */
	size_t so_naddrs;	     /* entries of so_addrs */
	int so_lo, so_hi;	     /* --ports */
	int so_local_drift;	     /* --local-drift */
	int so_probe;		     /* 0 with --no-probe */
	int so_rules;		     /* read the netfilter ruleset */
	int so_udp_ms;		     /* --udp-deadline, in ms */
	const char *so_remote[SELFCHECK_REMOTE_MAX]; /* --remote hosts */
	size_t so_nremote;	     /* entries of so_remote */
	const char *so_netns;	     /* --from-namespace, or NULL */
	const char *so_declared;     /* --declared status file, or NULL */
};

/* What one audit covered, for the report's first line and its advice. */
struct selfcheck_scope {
	const char *sc_conf;		     /* config file, NULL unknown */
	const char *sc_origin;		     /* why that file, NULL if named */
	size_t sc_ndecl;		     /* endpoints declared */
	const struct selfcheck_ip *sc_addrs; /* audited addresses */
	size_t sc_naddr;		     /* entries of sc_addrs */
	const struct selfcheck_opts *sc_opts; /* protocols, ports, probe */
	int sc_colour;			     /* ANSI colours in the text */
	const char *sc_remote;		     /* remote audit: its hosts (and
						namespace), NULL local */
};

/* selfcheck_ip.c */
int selfcheck_ip_parse(const char *, struct selfcheck_ip *);
const char *selfcheck_ip_str(const struct selfcheck_ip *, char *, size_t);
int selfcheck_ip_any(const struct selfcheck_ip *);
int selfcheck_ip_loopback(const struct selfcheck_ip *);
int selfcheck_ip_eq(const struct selfcheck_ip *, const struct selfcheck_ip *);
int selfcheck_ip_cmp(const struct selfcheck_ip *, const struct selfcheck_ip *);
int selfcheck_ip_unmap(const struct selfcheck_ip *, struct selfcheck_ip *);
int selfcheck_ip_linklocal(const struct selfcheck_ip *);

/* selfcheck_sock.c */
const char *selfcheck_proto_name(int);
int selfcheck_sock_score(const struct selfcheck_ip *, int, unsigned,
    const struct selfcheck_ip *);
int selfcheck_sock_covers(const struct selfcheck_sock *,
    const struct selfcheck_ip *);
int selfcheck_sock_reaches(const struct selfcheck_sock *,
    const struct selfcheck_ip *);
int selfcheck_socks_reach(const struct selfcheck_socks *, int, int,
    const struct selfcheck_ip *);
struct selfcheck_sock *selfcheck_socks_add(struct selfcheck_socks *);
void selfcheck_socks_free(struct selfcheck_socks *);
int selfcheck_sock_declared(const struct selfcheck_decl *, size_t, int,
    const struct selfcheck_ip *, int);

/* selfcheck_finding.c */
struct selfcheck_finding *selfcheck_finding_add(struct selfcheck_result *,
    enum selfcheck_kind, enum selfcheck_status, int,
    const struct selfcheck_ip *, int);
int selfcheck_finding_cmp(const void *, const void *);

/* selfcheck.c */
int selfcheck_local_addrs(struct selfcheck_ip **, size_t *);
double selfcheck_now(clockid_t);
int selfcheck_unknown(const struct selfcheck_opts *, const char *, double);
int selfcheck_output(const struct selfcheck_opts *,
    const struct selfcheck_result *, const struct selfcheck_probe *,
    const struct selfcheck_socks *, const struct selfcheck_scope *, double);

/* selfcheck_kernel.c */
int selfcheck_kernel_parse_diag(const void *, size_t, int, int,
    struct selfcheck_socks *);
int selfcheck_kernel_parse_proc(FILE *, int, int, struct selfcheck_socks *);
int selfcheck_kernel_parse_sctp(FILE *, struct selfcheck_socks *);
int selfcheck_kernel_read(struct selfcheck_socks *, int, int);
int selfcheck_kernel_undecided(const struct selfcheck_socks *,
    struct selfcheck_result *);
void selfcheck_kernel_text(FILE *, const struct selfcheck_socks *);
struct json_t *selfcheck_kernel_json(const struct selfcheck_socks *);
void selfcheck_kernel_prom(FILE *, const struct selfcheck_socks *);

/* selfcheck_owner.c */
int selfcheck_owner_self(struct selfcheck_self *);
int selfcheck_owner_unit_parse(const char *, char *, size_t);
int selfcheck_owner_where_parse(const char *, char *, size_t, char *,
    size_t);
const char *selfcheck_owner_where_name(int);
const char *selfcheck_owner_chain(const struct selfcheck_owner *,
    escape_fn *, char *, size_t);
void selfcheck_owner_json(struct json_t *, const struct selfcheck_owner *);
void selfcheck_owner_text(FILE *, const struct selfcheck_sock *);
int selfcheck_owner_fill(struct selfcheck_socks *,
    const struct selfcheck_self *);

/* selfcheck_probe.c */
int selfcheck_probe_run(struct selfcheck_probe *, const struct selfcheck_ip *,
    size_t, const struct selfcheck_opts *, const struct selfcheck_socks *,
    const struct selfcheck_fw *);
int selfcheck_probe_prepare(struct selfcheck_probe *,
    const struct selfcheck_ip *, size_t, const struct selfcheck_opts *);
void selfcheck_probe_tcp(struct selfcheck_probe *,
    const struct selfcheck_opts *, const struct selfcheck_socks *,
    const struct selfcheck_fw *);
void selfcheck_probe_free(struct selfcheck_probe *);
int selfcheck_probe_state(const struct selfcheck_probe *, int,
    const struct selfcheck_ip *, int);
long long selfcheck_probe_ms(void);
void selfcheck_probe_each(size_t, void (*)(void *, size_t), void *);
struct mmsghdr;
struct iovec;
void selfcheck_probe_mmsg(struct mmsghdr *, struct iovec *, int, void *,
    size_t, void *, size_t, void *, size_t);
void selfcheck_probe_batch(struct mmsghdr *, struct sockaddr_storage *,
    struct iovec *, const struct selfcheck_ip *, const uint16_t *, int);
socklen_t selfcheck_probe_sockaddr(const struct selfcheck_ip *, int,
    struct sockaddr_storage *);
int selfcheck_probe_source(const struct selfcheck_ip *, struct selfcheck_ip *);

/* selfcheck_plan.c: the bits of a port plan */
#define SCPL_BOUND 0x01	 /* a socket of the table reaches the port */
#define SCPL_OURS 0x02	 /* one of them is superd's (or a child's) */
#define SCPL_DECL 0x04	 /* a declaration covers it */
#define SCPL_OUTNAT 0x08 /* an output-hook NAT rule maps it */
#define SCPL_PRENAT 0x10 /* a prerouting NAT rule maps it */
uint8_t *selfcheck_plan_make(int, const struct selfcheck_ip *,
    const struct selfcheck_socks *, const struct selfcheck_decl *, size_t,
    const struct selfcheck_fw *);

/* selfcheck_udp.c */
struct msghdr;
int selfcheck_udp_refused(struct msghdr *);
int selfcheck_udp_run(struct selfcheck_probe *, int,
    const struct selfcheck_socks *, const struct selfcheck_decl *, size_t,
    const struct selfcheck_fw *);

struct json_t;

/* selfcheck_nft.c */
int selfcheck_nft_read(struct selfcheck_fw *);
int selfcheck_nft_parse(const char *, struct selfcheck_fw *);
void selfcheck_fw_free(struct selfcheck_fw *);
char *selfcheck_fw_rule_name(const struct selfcheck_fw *,
    const struct selfcheck_fw_rule *, char *, size_t);

/* selfcheck_fw.c */
int selfcheck_fw_match_port(const struct selfcheck_fw_rule *, int, int);
int selfcheck_fw_in_prefix(const struct selfcheck_fw_prefix *,
    const struct selfcheck_ip *);
int selfcheck_fw_maps(const struct selfcheck_fw *, const char *, int,
    const struct selfcheck_ip *, int);
void selfcheck_fw_map_ports(const struct selfcheck_fw *, const char *, int,
    const struct selfcheck_ip *, uint8_t *, uint8_t);
const char *selfcheck_fw_state_name(int);
void selfcheck_fw_text(FILE *, const struct selfcheck_finding *);
void selfcheck_fw_json(struct json_t *, const struct selfcheck_finding *);
int selfcheck_fw_apply(const struct selfcheck_fw *,
    const struct selfcheck_decl *, size_t, const struct selfcheck_socks *,
    const struct selfcheck_ip *, size_t, struct selfcheck_result *);

/* selfcheck_raw.c */
const char *selfcheck_finding_proto(const struct selfcheck_finding *);
int selfcheck_raw_read(struct selfcheck_socks *);
int selfcheck_raw_is(const struct selfcheck_sock *);
int selfcheck_raw_findings(const struct selfcheck_socks *,
    struct selfcheck_result *);

/* selfcheck_equiv.c */
int selfcheck_equiv_alone(const struct selfcheck_ip *,
    const struct selfcheck_socks *, const struct selfcheck_decl *, size_t,
    const struct selfcheck_fw *);
size_t selfcheck_equiv_classes(const struct selfcheck_ip *, size_t,
    const struct selfcheck_socks *, const struct selfcheck_decl *, size_t,
    const struct selfcheck_fw *, size_t *);
int selfcheck_equiv_expand(struct selfcheck_probe *, const size_t *,
    const struct selfcheck_ip *, size_t, struct selfcheck_probe *);
void selfcheck_equiv_text(FILE *, const struct selfcheck_probe *);
struct json_t *selfcheck_equiv_json(const struct selfcheck_probe *);

/* selfcheck_undecided.c */
int selfcheck_undecided(const struct selfcheck_probe *,
    const struct selfcheck_opts *, struct selfcheck_result *);
void selfcheck_undecided_text(FILE *, const struct selfcheck_result *);
int selfcheck_undecided_add(struct selfcheck_result *, int,
    const struct selfcheck_ip *, int, int, int);
struct json_t;
struct json_t *selfcheck_undecided_json(const struct selfcheck_result *);

/* selfcheck_diff.c */
int selfcheck_diff(const struct selfcheck_decl *, size_t,
    const struct selfcheck_socks *, const struct selfcheck_ip *, size_t,
    const struct selfcheck_probe *, const struct selfcheck_opts *,
    struct selfcheck_result *);
void selfcheck_result_free(struct selfcheck_result *);
const char *selfcheck_kind_name(enum selfcheck_kind);

/* selfcheck_advice.c */
const char *selfcheck_advice(const struct selfcheck_finding *,
    const struct selfcheck_socks *, const struct selfcheck_scope *,
    escape_fn *, char *, size_t);
int selfcheck_coverage(const struct selfcheck_result *,
    const struct selfcheck_probe *, const struct selfcheck_scope *, char *,
    size_t, char *, size_t);
void selfcheck_scope_text(FILE *, const struct selfcheck_scope *);
int selfcheck_colour_wanted(FILE *);
const char *selfcheck_colour(const struct selfcheck_scope *,
    enum selfcheck_status);

/* selfcheck_netns.c */
int selfcheck_netns_targets(struct selfcheck_result *,
    struct selfcheck_socks *, const struct selfcheck_self *);

/* selfcheck_remote.c */
int selfcheck_remote_diff(const struct selfcheck_decl *, size_t,
    const struct selfcheck_probe *, struct selfcheck_result *);

/* selfcheck_holders.c */
const char *selfcheck_holders_list(const struct selfcheck_sock *, int, char *,
    size_t);
char *selfcheck_holders_unescape(const char *, char *, size_t);
const char *selfcheck_holders_json(struct json_t *, char *, size_t);

/* selfcheck_icmp.c */
int selfcheck_icmp_prohibited(int, int, int);
int selfcheck_icmp_errqueue(struct msghdr *);
int selfcheck_icmp_quoted(const uint8_t *, size_t, int, int,
    const struct selfcheck_ip *, int *);
int selfcheck_icmp_open(int);
void selfcheck_icmp_tcp(int, int, struct selfcheck_probe *);

/* selfcheck_remote_udp.c */
int selfcheck_remote_udp_run(struct selfcheck_probe *, int,
    const struct selfcheck_decl *, size_t);

/* selfcheck_report.c */
void selfcheck_report_text(FILE *, const struct selfcheck_result *,
    const struct selfcheck_probe *, const struct selfcheck_socks *,
    const struct selfcheck_scope *);
char *selfcheck_report_json(const struct selfcheck_result *,
    const struct selfcheck_probe *, const struct selfcheck_socks *,
    const struct selfcheck_scope *);
void selfcheck_report_prom(FILE *, const struct selfcheck_result *,
    double, double);
const char *selfcheck_status_name(enum selfcheck_status);
char *selfcheck_finding_key(const struct selfcheck_finding *, char *, size_t);

#endif /* SELFCHECK_H */
