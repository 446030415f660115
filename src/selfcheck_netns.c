/* SPDX-License-Identifier: ISC */
/*
 * The targets of NAT rules in other network namespaces of this host: a
 * container published by a DNAT to its address.  A forwarded finding
 * whose target is no local address is looked up in every other network
 * namespace a process runs in: a child enters it (setns) and reads its
 * kernel table there (selfcheck_kernel_read), and returns the socket that
 * receives the target, if the target is an address of that namespace.
 * Socket inodes are global, so its holders come from the same /proc walk
 * as the local ones (selfcheck_owner_fill), with their cgroup, which
 * names the container.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "selfcheck.h"

#define SELFCHECK_NETNS_MAX 256 /* namespaces looked into */

/* One socket found in another namespace, for the finding it serves. */
struct selfcheck_netns_hit {
	size_t nh_finding;		/* index in the findings */
	struct selfcheck_sock nh_sock;	/* the socket there */
};

/* Whether finding F is a forward to an address that is not ours. */
static int
selfcheck_netns_wanted(const struct selfcheck_finding *f)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, rc;

	if (f->fd_kind != SCK_FORWARDED || f->fd_sock != NULL ||
	    f->fd_to.ip_family == 0 || selfcheck_ip_loopback(&f->fd_to))
		return 0;
	if ((fd = socket(f->fd_to.ip_family, SOCK_DGRAM | SOCK_CLOEXEC,
	    0)) == -1)
		return 0;
	len = selfcheck_probe_sockaddr(&f->fd_to, 0, &ss);
	rc = bind(fd, (struct sockaddr *)&ss, len) == -1 &&
	    errno == EADDRNOTAVAIL;
	close(fd);
	return rc;
}

/* One pid of every other network namespace (up to MAX) into PIDS. */
static size_t
selfcheck_netns_list(pid_t *pids, size_t max)
{
	ino_t seen[SELFCHECK_NETNS_MAX + 1];
	struct stat st;
	struct dirent *de;
	char path[300];
	size_t n = 0, k;
	DIR *d;

	if (stat("/proc/self/ns/net", &st) == -1 ||
	    (d = opendir("/proc")) == NULL)
		return 0;
	seen[0] = st.st_ino;
	while (n < max && (de = readdir(d)) != NULL) {
		if (strspn(de->d_name, "0123456789") != strlen(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		if (stat(path, &st) == -1)
			continue;
		for (k = 0; k <= n && seen[k] != st.st_ino; k++)
			;
		if (k <= n)
			continue;
		seen[++n] = st.st_ino;
		pids[n - 1] = (pid_t)atoi(de->d_name);
	}
	closedir(d);
	return n;
}

/*
 * In a child inside the namespace of PID: for each finding of RS that
 * WANT marks, the socket receiving its target, written to FD.
 */
static void
selfcheck_netns_child(pid_t pid, const struct selfcheck_result *rs,
    const uint8_t *want, int fd)
{
	struct selfcheck_netns_hit hit;
	struct selfcheck_socks socks;
	char path[64];
	size_t i, s;
	int ns;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	memset(&socks, 0, sizeof(socks));
	if ((ns = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    setns(ns, CLONE_NEWNET) == -1 ||
	    selfcheck_kernel_read(&socks, 1, 1) == -1)
		_exit(1);
	for (i = 0; i < rs->rs_n; i++) {
		const struct selfcheck_finding *f = &rs->rs_v[i];
		int port = f->fd_toport ? f->fd_toport : f->fd_port;

		/* Still not a local address here: not this namespace. */
		if (!want[i] || selfcheck_netns_wanted(f))
			continue;
		for (s = 0; s < socks.ss_n; s++) {
			if (socks.ss_v[s].sk_proto != f->fd_proto ||
			    socks.ss_v[s].sk_port != port ||
			    !selfcheck_sock_covers(&socks.ss_v[s], &f->fd_to))
				continue;
			hit.nh_finding = i;
			hit.nh_sock = socks.ss_v[s];
			if (write(fd, &hit, sizeof(hit)) != sizeof(hit))
				_exit(1);
			break;
		}
	}
	_exit(0);
}

/* Read what the child of one namespace found (from FD) into OUT, HITS. */
static int
selfcheck_netns_read(int fd, struct selfcheck_socks *out, size_t **hits)
{
	struct selfcheck_netns_hit hit;
	struct selfcheck_sock *sk;
	size_t *v;

	while (read(fd, &hit, sizeof(hit)) == sizeof(hit)) {
		if ((sk = selfcheck_socks_add(out)) == NULL ||
		    (v = realloc(*hits, out->ss_n * sizeof(*v))) == NULL)
			return -1;
		*sk = hit.nh_sock;
		sk->sk_nowners = sk->sk_nholders = 0;
		v[out->ss_n - 1] = hit.nh_finding;
		*hits = v;
	}
	return 0;
}

/*
 * Name the socket (and through SELF's /proc walk its holders) that
 * receives each forward of RS to an address of another network namespace
 * of this host; the sockets go to OUT, which must live as long as RS.
 * Returns -1 only when out of memory; a namespace that cannot be read
 * leaves its targets unnamed.
 */
int
selfcheck_netns_targets(struct selfcheck_result *rs,
    struct selfcheck_socks *out, const struct selfcheck_self *self)
{
	pid_t pids[SELFCHECK_NETNS_MAX], child;
	size_t i, n, *hits = NULL, nwant = 0;
	uint8_t *want;
	int p[2], rc = 0;

	if ((want = calloc(rs->rs_n + 1, 1)) == NULL)
		return -1;
	for (i = 0; i < rs->rs_n; i++)
		nwant += want[i] = (uint8_t)selfcheck_netns_wanted(&rs->rs_v[i]);
	n = nwant > 0 ? selfcheck_netns_list(pids, SELFCHECK_NETNS_MAX) : 0;
	for (i = 0; rc == 0 && i < n; i++) {
		if (pipe2(p, O_CLOEXEC) == -1)
			break;
		if ((child = fork()) == 0) {
			close(p[0]);
			selfcheck_netns_child(pids[i], rs, want, p[1]);
		}
		close(p[1]);
		if (child > 0)
			rc = selfcheck_netns_read(p[0], out, &hits);
		close(p[0]);
		if (child > 0)
			while (waitpid(child, NULL, 0) == -1 && errno == EINTR)
				;
	}
	if (rc == 0 && out->ss_n > 0)
		(void)selfcheck_owner_fill(out, self);
	for (i = 0; rc == 0 && i < out->ss_n; i++)
		if (rs->rs_v[hits[i]].fd_sock == NULL)
			rs->rs_v[hits[i]].fd_sock = &out->ss_v[i];
	free(hits);
	free(want);
	return rc;
}
