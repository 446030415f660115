/* SPDX-License-Identifier: ISC */
/*
 * User and group lookups, each in a short-lived child.
 *
 * getgrouplist asks every module nsswitch.conf names (systemd, sss, ldap,
 * winbind), and glibc never unloads a module it has loaded: done in the
 * daemon, the module, its libraries and whatever it connects to would
 * stay in a long-running root process for good (on Debian, libnss_systemd
 * and the libm it pulls in are 550 kB of resident memory, a sixth of an
 * idle superd).  A child does the lookup, writes the answer through a pipe
 * and exits; the daemon only reads numbers.  Lookups happen at load time,
 * a few per distinct user (lookup_cache.c caches them), never per connection.
 * Host names of bind addresses (inetd.conf's "host:service") resolve the
 * same way: no resolver library or DNS wait ever runs in the daemon; so do
 * service names (getservbyname: nsswitch.conf's services line may name a
 * module too) and RPC program names.
 */
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "superd.h"

#define LOOKUP_GROUPS_MAX 65536 /* NGROUPS_MAX of Linux */

/* What is asked. */
enum lookup_kind {
	LOOKUP_USER,	/* uid and gid of a user name */
	LOOKUP_UID,	/* primary gid of a uid */
	LOOKUP_GROUP,	/* gid of a group name */
	LOOKUP_GROUPS,	/* group list of a user with a primary gid */
	LOOKUP_HOST,	/* addresses of a host name */
	LOOKUP_RPC,	/* program number of an RPC program name (/etc/rpc) */
	LOOKUP_SERV,	/* port of a service name (/etc/services) for a protocol */
};

/*
 * The answer, as the child writes it; lr_n items follow: gids for
 * LOOKUP_GROUPS, struct lookup_addr for LOOKUP_HOST.
 */
struct lookup_reply {
	int lr_found;	/* 1 when the database knows the name */
	uid_t lr_uid;	/* uid; for LOOKUP_HOST the getaddrinfo error */
	gid_t lr_gid;	/* gid */
	int lr_n;	/* items that follow */
};

/* The size of one item that follows a reply of KIND. */
static size_t
lookup_item_size(enum lookup_kind kind)
{
	return kind == LOOKUP_HOST ? sizeof(struct lookup_addr) :
	    sizeof(gid_t);
}

/* Whether address A is among the N of LIST. */
static int
lookup_addr_seen(const struct lookup_addr *list, int n,
    const struct lookup_addr *a)
{
	int i;

	for (i = 0; i < n; i++)
		if (list[i].la_family == a->la_family &&
		    memcmp(list[i].la_addr, a->la_addr, 16) == 0)
			return 1;
	return 0;
}

/* The addresses of host NAME into R and *ADDRS (allocated), once each. */
static void
lookup_host_here(const char *name, struct lookup_reply *r, void **addrs)
{
	struct addrinfo hints, *res, *ai;
	struct lookup_addr a, *list;
	int n = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((r->lr_uid = (uid_t)getaddrinfo(name, NULL, &hints, &res)) != 0)
		return;
	if ((list = calloc(LOOKUP_ADDRS_MAX, sizeof(*list))) == NULL) {
		freeaddrinfo(res);
		r->lr_uid = (uid_t)EAI_MEMORY;
		return;
	}
	for (ai = res; ai != NULL && n < LOOKUP_ADDRS_MAX; ai = ai->ai_next) {
		memset(&a, 0, sizeof(a));
		a.la_family = ai->ai_family;
		if (ai->ai_family == AF_INET)
			memcpy(a.la_addr, &((struct sockaddr_in *)(void *)
			    ai->ai_addr)->sin_addr, 4);
		else if (ai->ai_family == AF_INET6)
			memcpy(a.la_addr, &((struct sockaddr_in6 *)(void *)
			    ai->ai_addr)->sin6_addr, 16);
		else
			continue;
		if (!lookup_addr_seen(list, n, &a))
			list[n++] = a;
	}
	freeaddrinfo(res);
	*r = (struct lookup_reply){ 1, 0, 0, n };
	*addrs = list;
}

/* Do the lookup KIND of NAME/ID here; *GROUPS is allocated for a list. */
static void
lookup_here(enum lookup_kind kind, const char *name, unsigned id,
    struct lookup_reply *r, void **items)
{
	gid_t **groups = (gid_t **)items;
	struct passwd *pw;
	struct group *gr;
	struct rpcent *rpc;
	struct servent *se;
	int n = 16, want;

	memset(r, 0, sizeof(*r));
	*groups = NULL;
	switch (kind) {
	case LOOKUP_HOST:
		lookup_host_here(name, r, items);
		break;
	case LOOKUP_USER:
		if ((pw = getpwnam(name)) != NULL)
			*r = (struct lookup_reply){ 1, pw->pw_uid, pw->pw_gid, 0 };
		break;
	case LOOKUP_UID:
		if ((pw = getpwuid((uid_t)id)) != NULL)
			*r = (struct lookup_reply){ 1, pw->pw_uid, pw->pw_gid, 0 };
		break;
	case LOOKUP_GROUP:
		if ((gr = getgrnam(name)) != NULL)
			*r = (struct lookup_reply){ 1, 0, gr->gr_gid, 0 };
		break;
	case LOOKUP_RPC:
		if ((rpc = getrpcbyname(name)) != NULL)
			*r = (struct lookup_reply){ 1, (uid_t)rpc->r_number, 0,
			    0 };
		break;
	case LOOKUP_SERV:	/* ID: IPPROTO_TCP, IPPROTO_UDP, or 0 for either */
		if ((se = getservbyname(name, id == IPPROTO_UDP ? "udp" :
		    "tcp")) != NULL || (id == 0 &&
		    (se = getservbyname(name, "udp")) != NULL))
			*r = (struct lookup_reply){ 1,
			    (uid_t)ntohs((uint16_t)se->s_port), 0, 0 };
		break;
	case LOOKUP_GROUPS:
		for (;;) {
			if ((*groups = calloc((size_t)n, sizeof(gid_t))) ==
			    NULL)
				return;
			want = n;
			if (getgrouplist(name, (gid_t)id, *groups, &want) >= 0) {
				*r = (struct lookup_reply){ 1, 0, (gid_t)id, want };
				return;
			}
			free(*groups);
			*groups = NULL;
			if (want <= n || want > LOOKUP_GROUPS_MAX)
				return;
			n = want;
		}
	}
}

/* Write (WR) or read all LEN bytes of BUF on FD; -1 if they do not all go. */
static int
lookup_io(int fd, void *buf, size_t len, int wr)
{
	char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = wr ? write(fd, p, len) : read(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* In the child: look up, write the answer to FD, exit. */
static void __attribute__((noreturn))
lookup_child(int fd, enum lookup_kind kind, const char *name, unsigned id)
{
	struct lookup_reply r;
	void *items;

	lookup_here(kind, name, id, &r, &items);
	if (lookup_io(fd, &r, sizeof(r), 1) == -1 ||
	    (r.lr_n > 0 && lookup_io(fd, items, (size_t)r.lr_n *
	    lookup_item_size(kind), 1) == -1))
		_exit(1);
	_exit(0);
}

/* A fuzzer runs thousands of loads a second: no child per lookup there. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define LOOKUP_IN_CHILD 0
#else
#define LOOKUP_IN_CHILD 1
#endif

/*
 * The lookup KIND of NAME/ID done in a child: 0 with *R filled (and
 * *GROUPS for a list), -1 when the child gave no whole answer, 1 when no
 * child could be had.
 */
static int
lookup_in_child(enum lookup_kind kind, const char *name, unsigned id,
    struct lookup_reply *r, void **items)
{
	size_t size = lookup_item_size(kind);
	sigset_t all, old;
	int p[2], st, ok;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) == -1)
		return 1;
	/* Our signal handlers must not run in the child. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	if ((pid = fork()) == 0) {
		close(p[0]);
		lookup_child(p[1], kind, name, id);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(p[1]);
	if (pid == -1) {
		close(p[0]);
		return 1;
	}
	ok = lookup_io(p[0], r, sizeof(*r), 0) == 0 && r->lr_n >= 0 &&
	    r->lr_n <= LOOKUP_GROUPS_MAX;
	if (ok && r->lr_n > 0) {
		*items = calloc((size_t)r->lr_n, size);
		ok = *items != NULL && lookup_io(p[0], *items,
		    (size_t)r->lr_n * size, 0) == 0;
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (!ok) {
		free(*items);
		*items = NULL;
		return -1;
	}
	return 0;
}

/*
 * The lookup KIND of NAME/ID, done in a child; in this process only when
 * no child can be had.  0 with *R filled (and *GROUPS for a list), -1 when
 * the answer could not be had at all.
 */
static int
lookup_run(enum lookup_kind kind, const char *name, unsigned id,
    struct lookup_reply *r, void **items)
{
	int rc;

	*items = NULL;
	if (LOOKUP_IN_CHILD &&
	    (rc = lookup_in_child(kind, name, id, r, items)) != 1)
		return rc;
	lookup_here(kind, name, id, r, items);
	return 0;
}

/* The ids of lookup KIND of NAME/ID; -1 when the database has no entry. */
static int
lookup_ids(enum lookup_kind kind, const char *name, unsigned id, uid_t *uid,
    gid_t *gid)
{
	struct lookup_reply r;
	void *g;

	if (lookup_run(kind, name, id, &r, &g) == -1 || !r.lr_found)
		return -1;
	if (uid != NULL)
		*uid = r.lr_uid;
	*gid = r.lr_gid;
	return 0;
}

/* The uid and primary gid of user NAME; -1 when there is no such user. */
int
lookup_user(const char *name, uid_t *uid, gid_t *gid)
{
	return lookup_ids(LOOKUP_USER, name, 0, uid, gid);
}

/* The primary gid of UID; -1 when the passwd database has no such uid. */
int
lookup_uid(uid_t uid, gid_t *gid)
{
	return lookup_ids(LOOKUP_UID, NULL, uid, NULL, gid);
}

/* The gid of group NAME; -1 when there is no such group. */
int
lookup_group(const char *name, gid_t *gid)
{
	return lookup_ids(LOOKUP_GROUP, name, 0, NULL, gid);
}

/*
 * The groups of USER with primary GID, as initgroups would set them, in
 * *GROUPS (allocated, at least one entry) and *N; -1 on failure.
 */
int
lookup_user_groups(const char *user, gid_t gid, gid_t **groups, int *n)
{
	struct lookup_reply r;

	if (lookup_run(LOOKUP_GROUPS, user, gid, &r, (void **)groups) == -1 ||
	    !r.lr_found)
		return -1;
	if (*groups == NULL && (*groups = calloc(1, sizeof(gid_t))) == NULL)
		return -1;
	*n = r.lr_n;
	return 0;
}

/*
 * The addresses of host NAME, each once, in *ADDRS (allocated) and *N: 0,
 * or a getaddrinfo error (EAI_*), or EAI_SYSTEM when no answer came.
 */
int
lookup_host(const char *name, struct lookup_addr **addrs, int *n)
{
	struct lookup_reply r;

	*n = 0;
	*addrs = NULL;
	/* A fuzzer must not send DNS queries: only localhost resolves there. */
	if (!LOOKUP_IN_CHILD && strcmp(name, "localhost") != 0)
		return EAI_NONAME;
	if (lookup_run(LOOKUP_HOST, name, 0, &r, (void **)addrs) == -1)
		return EAI_SYSTEM;
	if (!r.lr_found) {
		free(*addrs);
		*addrs = NULL;
		return r.lr_uid != 0 ? (int)r.lr_uid : EAI_NONAME;
	}
	*n = r.lr_n;
	return 0;
}

/*
 * The port of service NAME (/etc/services, or whatever nsswitch.conf
 * names) for PROTO (IPPROTO_TCP, IPPROTO_UDP, 0 for either); -1 when
 * unknown.
 */
int
lookup_service(const char *name, int proto, int *port)
{
	struct lookup_reply r;
	void *g;

	if (lookup_run(LOOKUP_SERV, name, (unsigned)proto, &r, &g) == -1 ||
	    !r.lr_found || r.lr_uid < 1 || r.lr_uid > 65535)
		return -1;
	*port = (int)r.lr_uid;
	return 0;
}

/* The program number of RPC program NAME (/etc/rpc); -1 when unknown. */
int
lookup_rpc(const char *name, unsigned long *prog)
{
	struct lookup_reply r;
	void *g;

	if (lookup_run(LOOKUP_RPC, name, 0, &r, &g) == -1 || !r.lr_found)
		return -1;
	*prog = r.lr_uid;
	return 0;
}
