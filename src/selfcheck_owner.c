/* SPDX-License-Identifier: ISC */
/*
 * Owners: socket inode -> the processes holding it, by reading the
 * socket:[INODE] links under /proc/PID/fd of every process: a socket
 * held by several processes names all of them.  A socket no process
 * holds keeps sk_nowners == 0: the kernel's own (nfsd, WireGuard) or one
 * in flight in an SCM_RIGHTS message; the report says "owner unknown".
 *
 * superd is known by its executable: a process whose /proc/PID/exe is
 * the same file (device and inode) as ours, or, when the binary was
 * replaced since it started, the deleted file at our path.  Never by its
 * name: anyone can call a process "superd".
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "selfcheck.h"

/* One entry of the inode index. */
struct selfcheck_ino {
	uint64_t in_inode;  /* socket inode */
	size_t in_sock;	    /* index into the socks array */
};

/* Order the index by inode. */
static int
selfcheck_owner_cmp(const void *a, const void *b)
{
	const struct selfcheck_ino *x = a, *y = b;

	return x->in_inode < y->in_inode ? -1 : x->in_inode > y->in_inode;
}

/* Read the first line of /proc/PID/NAME into BUF, newline stripped. */
static int
selfcheck_owner_readline(pid_t pid, const char *name, char *buf, size_t len)
{
	char path[64];
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	if (fgets(buf, (int)len, fp) == NULL) {
		fclose(fp);
		return -1;
	}
	fclose(fp);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* The parent pid and real uid of PID from /proc/PID/status. */
static void
selfcheck_owner_status(pid_t pid, pid_t *ppid, uid_t *uid)
{
	char path[64], line[256];
	FILE *fp;

	*ppid = 0;
	*uid = (uid_t)-1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fp = fopen(path, "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		unsigned long v;

		if (sscanf(line, "PPid: %lu", &v) == 1)
			*ppid = (pid_t)v;
		else if (sscanf(line, "Uid: %lu", &v) == 1)
			*uid = (uid_t)v;
	}
	fclose(fp);
}

/*
 * Who we are (the file of /proc/self/exe) into SELF; -1 when /proc cannot
 * tell, and then nothing is superd's.
 */
int
selfcheck_owner_self(struct selfcheck_self *self)
{
	struct stat st;
	ssize_t n;

	memset(self, 0, sizeof(*self));
	if ((n = readlink("/proc/self/exe", self->sf_path,
	    sizeof(self->sf_path) - 1)) < 0 || stat("/proc/self/exe", &st) == -1)
		return -1;
	self->sf_path[n] = '\0';
	self->sf_dev = st.st_dev;
	self->sf_ino = st.st_ino;
	return 0;
}

/* Whether PID runs superd's executable SELF; its comm and exe path too. */
static int
selfcheck_owner_is_superd(pid_t pid, const struct selfcheck_self *self,
    char *comm, size_t commlen, char *exe, size_t exelen)
{
	static const char del[] = " (deleted)";
	char path[64];
	struct stat st;
	size_t len;
	ssize_t n;

	if (selfcheck_owner_readline(pid, "comm", comm, commlen) == -1)
		comm[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	if ((n = readlink(path, exe, exelen - 1)) < 0)
		n = 0;
	exe[n] = '\0';
	if (self == NULL || self->sf_ino == 0 || exe[0] == '\0')
		return 0;
	if (stat(path, &st) == 0 && st.st_dev == self->sf_dev &&
	    st.st_ino == self->sf_ino)
		return 1;
	/* Upgraded since it started: the old file, deleted, at our path. */
	len = strlen(self->sf_path);
	return (size_t)n == len + sizeof(del) - 1 &&
	    strncmp(exe, self->sf_path, len) == 0 &&
	    strcmp(exe + len, del) == 0;
}

/*
 * The systemd system unit of a process from the text of its
 * /proc/PID/cgroup (v2 "0::/system.slice/x.service", or v1's name=systemd
 * line) into UNIT (LEN bytes): the last ".service" component of a path
 * under /system.slice.  -1 when it has none (a user session, a user unit,
 * no systemd), UNIT then "".
 */
int
selfcheck_owner_unit_parse(const char *text, char *unit, size_t len)
{
	const char *line, *path, *c, *end, *best = NULL;
	size_t n, bestn = 0;

	unit[0] = '\0';
	for (line = text; *line != '\0'; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (strncmp(line, "0::", 3) == 0)
			path = line + 3;
		else if ((path = strstr(line, ":name=systemd:")) != NULL &&
		    path < end)
			path += 14;
		else
			continue;
		if (strncmp(path, "/system.slice/", 14) != 0)
			continue;
		for (c = path; c < end; c += n) {
			while (c < end && *c == '/')
				c++;
			if ((n = strcspn(c, "/\n")) == 0)
				break;
			if (n > 8 && strncmp(c + n - 8, ".service", 8) == 0) {
				best = c;
				bestn = n;
			}
		}
	}
	if (best == NULL || bestn >= len)
		return -1;
	memcpy(unit, best, bestn);
	unit[bestn] = '\0';
	return 0;
}

/* The systemd unit of PID into OW's ow_unit, "" if none. */
static void
selfcheck_owner_unit(pid_t pid, struct selfcheck_owner *ow)
{
	char path[64], text[2048];
	size_t n;
	FILE *fp;

	ow->ow_unit[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if ((fp = fopen(path, "re")) == NULL)
		return;
	n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = '\0';
	(void)selfcheck_owner_unit_parse(text, ow->ow_unit,
	    sizeof(ow->ow_unit));
}

/*
 * Whether EXE (a buffer of LEN bytes, full) holds only the start of the
 * executable path of PID: readlink cuts silently.
 */
static int
selfcheck_owner_exe_cut(pid_t pid, const char *exe, size_t len)
{
	char path[64], whole[PATH_MAX];

	if (strlen(exe) < len - 1)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	return readlink(path, whole, sizeof(whole)) > (ssize_t)(len - 1);
}

/* Describe process PID as an owner; a child of superd counts as superd. */
static void
selfcheck_owner_describe(pid_t pid, const struct selfcheck_self *self,
    struct selfcheck_owner *ow)
{
	char pcomm[32], pexe[256];
	pid_t ppid;

	memset(ow, 0, sizeof(*ow));
	ow->ow_pid = pid;
	ow->ow_superd = selfcheck_owner_is_superd(pid, self, ow->ow_comm,
	    sizeof(ow->ow_comm), ow->ow_exe, sizeof(ow->ow_exe));
	selfcheck_owner_status(pid, &ppid, &ow->ow_uid);
	selfcheck_owner_unit(pid, ow);
	ow->ow_exe_cut = selfcheck_owner_exe_cut(pid, ow->ow_exe,
	    sizeof(ow->ow_exe));
	/* A wait service's child holds superd's listening socket too. */
	if (!ow->ow_superd && ppid > 1)
		ow->ow_superd = selfcheck_owner_is_superd(ppid, self, pcomm,
		    sizeof(pcomm), pexe, sizeof(pexe));
}

/* Add owner OW to SK unless already there or the list is full. */
static void
selfcheck_owner_add(struct selfcheck_sock *sk, const struct selfcheck_owner *ow)
{
	int i;

	for (i = 0; i < sk->sk_nowners; i++)
		if (sk->sk_owners[i].ow_pid == ow->ow_pid)
			return;
	sk->sk_nholders++;
	if (sk->sk_nowners < SELFCHECK_MAXOWN)
		sk->sk_owners[sk->sk_nowners++] = *ow;
}

/* Match the fds of PID against IDX: PID holds the sockets it matches. */
static void
selfcheck_owner_scan_pid(pid_t pid, const struct selfcheck_self *self,
    struct selfcheck_socks *socks, const struct selfcheck_ino *idx, size_t n)
{
	struct selfcheck_owner ow;
	char path[64], link[64];
	struct dirent *de;
	int described = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		struct selfcheck_ino key, *hit;
		unsigned long long ino;
		ssize_t len;

		if (de->d_name[0] == '.')
			continue;
		len = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		if (sscanf(link, "socket:[%llu]", &ino) != 1)
			continue;
		key.in_inode = ino;
		hit = bsearch(&key, idx, n, sizeof(*idx), selfcheck_owner_cmp);
		/* REUSEPORT siblings share nothing but the port: own inodes. */
		for (; hit != NULL && hit > idx && hit[-1].in_inode == ino; hit--)
			;
		for (; hit != NULL && hit < idx + n && hit->in_inode == ino;
		     hit++) {
			struct selfcheck_sock *sk = &socks->ss_v[hit->in_sock];

			if (!described++)
				selfcheck_owner_describe(pid, self, &ow);
			selfcheck_owner_add(sk, &ow);
		}
	}
	closedir(d);
}

/*
 * Fill the owners of every socket in SOCKS.  SELF is superd's executable
 * (selfcheck_owner_self) or NULL.
 */
int
selfcheck_owner_fill(struct selfcheck_socks *socks,
    const struct selfcheck_self *self)
{
	struct selfcheck_ino *idx;
	struct dirent *de;
	size_t i, n = 0;
	DIR *d;

	if (socks->ss_n == 0)
		return 0;
	if ((idx = calloc(socks->ss_n, sizeof(*idx))) == NULL)
		return -1;
	for (i = 0; i < socks->ss_n; i++) {
		socks->ss_v[i].sk_nowners = socks->ss_v[i].sk_nholders = 0;
		if (socks->ss_v[i].sk_inode == 0)
			continue;
		idx[n].in_inode = socks->ss_v[i].sk_inode;
		idx[n++].in_sock = i;
	}
	qsort(idx, n, sizeof(*idx), selfcheck_owner_cmp);
	if ((d = opendir("/proc")) == NULL) {
		free(idx);
		return -1;
	}
	/* Every process: a socket may have several holders. */
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		selfcheck_owner_scan_pid((pid_t)atoi(de->d_name), self, socks,
		    idx, n);
	}
	closedir(d);
	free(idx);
	return 0;
}
