/* SPDX-License-Identifier: ISC */
/*
 * UNIX-domain stream services: `/path stream unix ...` and FreeBSD's
 * `:owner:group:mode:/path` in inetd.conf, `socket = PATH` in superd.conf.
 * The socket file is made with its owner and mode before anyone can
 * connect; a file already there is replaced only when it is a socket that
 * nobody listens on; superd removes the file it made when the service
 * goes (exit, reload).  The peer is its credentials (SO_PEERCRED): access
 * by uid and gid, per_source counted per uid, and the child gets PROTO=UNIX
 * and UNIXREMOTEUID, UNIXREMOTEGID, UNIXREMOTEPID.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "superd.h"

static int kind_unix_open(struct superd *, struct service *);
static void kind_unix_close(struct service *);
static int kind_unix_accept(struct superd *, struct service *, int,
    struct sockaddr_storage *);
static void kind_unix_environ(const struct service *,
    const struct sockaddr_storage *, struct spawn_env *);
static const char *kind_unix_endpoint(const struct service *, char *, size_t);
static int kind_unix_same(const struct service *, const struct service *);

const struct kind kind_unix = {
	.k_kind = "unix",
	.k_name = "unix",
	.k_ip = 0,
	.k_open = kind_unix_open,
	.k_close = kind_unix_close,
	.k_accept = kind_unix_accept,
	.k_environ = kind_unix_environ,
	.k_endpoint = kind_unix_endpoint,
	.k_same = kind_unix_same,
};

/* MODE as an octal file mode 0-0777 into *OUT; -1 if it is not one. */
static int
kind_unix_mode(const char *mode, int *out)
{
	char *end;
	long m;

	errno = 0;
	m = strtol(mode, &end, 8);
	if (*mode == '\0' || *end != '\0' || errno != 0 || m < 0 || m > 0777)
		return -1;
	*out = (int)m;
	return 0;
}

/*
 * Make SV a UNIX-domain stream service on PATH, its socket file owned by
 * OWNER and GROUP (NULL: superd's) with MODE (NULL: 0666); -1 with WHY.
 */
int
kind_unix_setup(struct service *sv, const char *path, const char *owner,
    const char *group, const char *mode, char *why, size_t len)
{
	struct service_conf *sc = service_conf_edit(sv);
	struct sockaddr_un sun;
	struct kind_conf *kc;
	gid_t gid;

	if (sv->sv_socktype != SOCK_STREAM)
		return snprintf(why, len, "UNIX-domain service %s: only stream "
		    "sockets are served", path), -1;
	if (path[0] != '/' || strlen(path) >= sizeof(sun.sun_path))
		return snprintf(why, len, "UNIX-domain socket path \"%s\": must "
		    "be absolute and shorter than %zu bytes", path,
		    sizeof(sun.sun_path)), -1;
	if ((kc = kind_conf_get(service_conf_edit(sv))) == NULL || (kc->kc_name = strdup(path)) ==
	    NULL)
		return snprintf(why, len, "out of memory"), -1;
	kc->kc_uid = (uid_t)-1;
	kc->kc_gid = (gid_t)-1;
	if (owner != NULL && *owner != '\0' &&
	    lookup_cache_user(owner, &kc->kc_uid, &gid) == -1)
		return snprintf(why, len, "socket owner: unknown user \"%s\"",
		    owner), -1;
	if (group != NULL && *group != '\0' &&
	    lookup_cache_group(group, &kc->kc_gid) == -1)
		return snprintf(why, len, "socket group: unknown group \"%s\"",
		    group), -1;
	kc->kc_chown = kc->kc_uid != (uid_t)-1 || kc->kc_gid != (gid_t)-1;
	if (mode != NULL && *mode != '\0' && kind_unix_mode(mode,
	    &kc->kc_mode) == -1)
		return snprintf(why, len, "socket mode \"%s\": not an octal mode "
		    "0-0777", mode), -1;
	memset(&sv->sv_addr, 0, sizeof(sv->sv_addr));
	sv->sv_addr.ss_family = AF_UNIX;
	sv->sv_addrlen = 0;
	sv->sv_proto = 0;
	sc->sc_wrap = 0;	/* no address for hosts.allow to match */
	sc->sc_kind = &kind_unix;
	return 0;
}

/* The inetd.conf service field of a `unix` line: [:owner:group:mode:]/path. */
int
kind_unix_inetd(struct service *sv, const char *field, char *why, size_t len)
{
	char buf[256], *part[4], *cp;
	int i;

	if (field[0] != ':')
		return kind_unix_setup(sv, field, NULL, NULL, NULL, why, len);
	if (strlen(field) >= sizeof(buf))
		return snprintf(why, len, "service field \"%.64s...\": too long",
		    field), -1;
	strcpy(buf, field + 1);
	for (i = 0, cp = buf; i < 3; i++) {
		part[i] = cp;
		if ((cp = strchr(cp, ':')) == NULL)
			return snprintf(why, len, "service field \"%s\": expected "
			    ":owner:group:mode:/path", field), -1;
		*cp++ = '\0';
	}
	part[3] = cp;
	return kind_unix_setup(sv, part[3], part[0], part[1], part[2], why,
	    len);
}

/* Resolve the names of NAMES (users, or groups with GROUPS) into *IDS. */
static int
kind_unix_ids(char *const *names, int groups, unsigned int **ids, int *n,
    char *why, size_t len)
{
	size_t i, count = strv_len(names);
	gid_t gid;

	if (count == 0)
		return 0;
	if ((*ids = calloc(count, sizeof(**ids))) == NULL)
		return snprintf(why, len, "out of memory"), -1;
	for (i = 0; i < count; i++) {
		if (groups ? lookup_cache_group(names[i], &(*ids)[i]) == -1 :
		    lookup_cache_user(names[i], &(*ids)[i], &gid) == -1)
			return snprintf(why, len, "%s: unknown %s \"%s\"", groups ?
			    "only_gid" : "only_uid", groups ? "group" : "user",
			    names[i]), -1;
	}
	*n = (int)count;
	return 0;
}

/* only_uid and only_gid of the UNIX-domain service SV; -1 with WHY. */
int
kind_unix_peers(struct service *sv, char *const *uids, char *const *gids,
    char *why, size_t len)
{
	struct kind_conf *kc = sv->sv_conf->sc_kconf;

	if (strv_len(uids) + strv_len(gids) == 0)
		return 0;
	if (sv->sv_conf->sc_kind != &kind_unix || kc == NULL)
		return snprintf(why, len, "only_uid and only_gid apply to "
		    "UNIX-domain services (socket = PATH)"), -1;
	return kind_unix_ids(uids, 0, &kc->kc_uids, &kc->kc_nuids, why, len) ==
	    -1 || kind_unix_ids(gids, 1, &kc->kc_gids, &kc->kc_ngids, why,
	    len) == -1 ? -1 : 0;
}

/*
 * Whether PATH may be bound: absent, or a socket nobody listens on (then
 * removed).  A file that is not a socket, or a socket in use, stays.
 */
static int
kind_unix_clear(const struct service *sv, const struct sockaddr_un *sun)
{
	char ep[SVCTAB_EPLOG];
	struct stat st;
	int fd, rc;

	if (lstat(sun->sun_path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("service=%s endpoint=%s reason=\"exists and is not a "
		    "socket: not replaced\"", sv->sv_conf->sc_name,
		    svctab_endpoint_log(sv, ep, sizeof(ep)));
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		return -1;
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rc == 0 || errno != ECONNREFUSED) {
		log_warnx("service=%s endpoint=%s reason=\"a socket in use by "
		    "another process: not replaced\"", sv->sv_conf->sc_name,
		    svctab_endpoint_log(sv, ep, sizeof(ep)));
		return -1;
	}
	log_info("service=%s endpoint=%s event=stale-socket-removed",
	    sv->sv_conf->sc_name, svctab_endpoint_log(sv, ep, sizeof(ep)));
	return unlink(sun->sun_path);
}

/* Bind FD to SUN made with the owner and mode of KC before anyone connects. */
static int
kind_unix_bind(int fd, const struct sockaddr_un *sun,
    const struct kind_conf *kc)
{
	mode_t old = umask(0177);
	int rc;

	rc = bind(fd, (const struct sockaddr *)sun, sizeof(*sun));
	umask(old);
	if (rc == -1)
		return -1;
	if ((kc->kc_chown && chown(sun->sun_path, kc->kc_uid, kc->kc_gid) ==
	    -1) || chmod(sun->sun_path, kc->kc_mode == SV_UNSET ? 0666 :
	    (mode_t)kc->kc_mode) == -1) {
		unlink(sun->sun_path);
		return -1;
	}
	return 0;
}

/* Make the socket file of SV and listen on it. */
static int
kind_unix_open(struct superd *sd, struct service *sv)
{
	const struct kind_conf *kc = sv->sv_conf->sc_kconf;
	struct sockaddr_un sun;
	char ep[SVCTAB_EPLOG];
	struct stat st;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", kc->kc_name);
	sv->sv_sd = sd;
	if (service_run(sv) == NULL)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
	    (sv->sv_conf->sc_wait ? 0 : SOCK_NONBLOCK), 0)) == -1) {
		log_warn("service=%s endpoint=%s reason=socket",
		    sv->sv_conf->sc_name, svctab_endpoint_log(sv, ep, sizeof(ep)));
		return -1;
	}
	if (kind_unix_clear(sv, &sun) == -1 ||
	    kind_unix_bind(fd, &sun, kc) == -1 ||
	    listen(fd, sv->sv_conf->sc_backlog) == -1 || lstat(kc->kc_name, &st) == -1) {
		log_warn("service=%s endpoint=%s reason=bind (%s:%d)",
		    sv->sv_conf->sc_name, svctab_endpoint_log(sv, ep, sizeof(ep)),
		    sv->sv_conf->sc_file, sv->sv_conf->sc_line);
		close(fd);
		return -1;
	}
	sv->sv_run->ru_kdev = st.st_dev;
	sv->sv_run->ru_kino = st.st_ino;
	sv->sv_fd = fd;
	return 0;
}

/* The listener of SV goes: remove its socket file if it is still ours. */
static void
kind_unix_close(struct service *sv)
{
	struct service_run *ru = sv->sv_run;
	char ep[SVCTAB_EPLOG];
	struct stat st;

	if (ru == NULL || ru->ru_kino == 0 || sv->sv_conf->sc_kconf == NULL)
		return;
	if (lstat(sv->sv_conf->sc_kconf->kc_name, &st) == 0 &&
	    st.st_dev == ru->ru_kdev && st.st_ino == ru->ru_kino &&
	    unlink(sv->sv_conf->sc_kconf->kc_name) == -1)
		log_warn("service=%s endpoint=%s reason=unlink",
		    sv->sv_conf->sc_name, svctab_endpoint_log(sv, ep, sizeof(ep)));
	ru->ru_kino = 0;
}

/* Whether ID is one of the N of IDS. */
static int
kind_unix_listed(const unsigned int *ids, int n, unsigned int id)
{
	int i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* Whether the peer UP may use SV: no list, or its uid or gid is listed. */
int
kind_unix_allowed(const struct service *sv, const struct unix_peer *up)
{
	const struct kind_conf *kc = sv->sv_conf->sc_kconf;

	if (kc == NULL || kc->kc_nuids + kc->kc_ngids == 0)
		return 1;
	return kind_unix_listed(kc->kc_uids, kc->kc_nuids, up->up_uid) ||
	    kind_unix_listed(kc->kc_gids, kc->kc_ngids, up->up_gid);
}

/* An accepted connection: its peer is its credentials; refuse if not allowed. */
static int
kind_unix_accept(struct superd *sd, struct service *sv, int fd,
    struct sockaddr_storage *peer)
{
	struct unix_peer *up = (struct unix_peer *)peer;
	struct ucred cred;
	socklen_t len = sizeof(cred);

	(void)sd;
	memset(peer, 0, sizeof(*peer));
	up->up_family = AF_UNIX;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		log_warn("service=%s event=refuse reason=SO_PEERCRED",
		    sv->sv_conf->sc_name);
		close(fd);
		return -1;
	}
	up->up_pid = cred.pid;
	up->up_uid = cred.uid;
	up->up_gid = cred.gid;
	if (!kind_unix_allowed(sv, up)) {
		accept_refuse(sv, fd, peer, REFUSE_ACL);
		return -1;
	}
	return 0;
}

/* PROTO=UNIX, the socket path and the peer's credentials. */
static void
kind_unix_environ(const struct service *sv,
    const struct sockaddr_storage *peer, struct spawn_env *env)
{
	const struct unix_peer *up = (const struct unix_peer *)peer;
	char num[16];

	spawn_setenv(env, "PROTO", "UNIX");
	spawn_setenv(env, "UNIXLOCALPATH", sv->sv_conf->sc_kconf->kc_name);
	if (peer == NULL || peer->ss_family != AF_UNIX)
		return;
	snprintf(num, sizeof(num), "%u", (unsigned)up->up_uid);
	spawn_setenv(env, "UNIXREMOTEUID", num);
	snprintf(num, sizeof(num), "%u", (unsigned)up->up_gid);
	spawn_setenv(env, "UNIXREMOTEGID", num);
	snprintf(num, sizeof(num), "%ld", (long)up->up_pid);
	spawn_setenv(env, "UNIXREMOTEPID", num);
}

/* The socket path. */
static const char *
kind_unix_endpoint(const struct service *sv, char *buf, size_t len)
{
	snprintf(buf, len, "%s", sv->sv_conf->sc_kconf->kc_name);
	return buf;
}

/* Whether A and B are the same socket path. */
static int
kind_unix_same(const struct service *a, const struct service *b)
{
	return strcmp(a->sv_conf->sc_kconf->kc_name, b->sv_conf->sc_kconf->kc_name) == 0;
}
