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
 *
 * Each holder is named with where it runs, from /proc/PID/cgroup (its
 * systemd unit, user manager, login session or container, else the raw
 * cgroup path), and its ancestry up to pid 1 as pstree -p draws it.  /proc
 * is walked once per audit; the ancestors' /proc/PID/stat are read once
 * each (a cache for the walk), and only for processes that hold a socket.
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

#include <jansson.h>

#include "selfcheck.h"

/* One entry of the inode index. */
struct selfcheck_ino {
	uint64_t in_inode;  /* socket inode */
	size_t in_sock;	    /* index into the socks array */
};

/* One process of the ancestry cache. */
struct selfcheck_pent {
	pid_t pe_pid;		/* the process */
	pid_t pe_ppid;		/* its parent, 0 none or unreadable */
	char pe_comm[16];	/* its comm, "?" unreadable */
};

/* What one walk of /proc carries: who superd is, the ancestry cache. */
struct selfcheck_walk {
	const struct selfcheck_self *wk_self; /* superd's executable, or NULL */
	struct selfcheck_pent *wk_v;	      /* processes read so far */
	size_t wk_n, wk_max;		      /* used, allocated */
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
	ow->ow_in = selfcheck_owner_where_parse(text, ow->ow_cgroup,
	    sizeof(ow->ow_cgroup), ow->ow_where, sizeof(ow->ow_where));
}

/*
 * The cgroup path of a process from the text of its /proc/PID/cgroup into
 * PATH (LEN bytes): cgroup v2's "0::" line, else (v1 only, or a v2 path
 * of "/" beside v1's) the name=systemd one.  -1 when it has neither.
 */
static int
selfcheck_owner_cgroup(const char *text, char *path, size_t len)
{
	const char *line, *end, *p, *v2 = NULL, *v1 = NULL;
	size_t n2 = 0, n1 = 0, n;

	for (line = text; *line != '\0'; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (strncmp(line, "0::", 3) == 0) {
			v2 = line + 3;
			n2 = (size_t)(end - v2);
		} else if ((p = strstr(line, ":name=systemd:")) != NULL &&
		    p < end) {
			v1 = p + 14;
			n1 = (size_t)(end - v1);
		}
	}
	if (v2 != NULL && (n2 != 1 || v1 == NULL))
		p = v2, n = n2;
	else if (v1 != NULL)
		p = v1, n = n1;
	else
		return -1;
	if (n >= len)
		n = len - 1;
	memcpy(path, p, n);
	path[n] = '\0';
	return 0;
}

/* Whether the cgroup component C (N bytes) starts with P and ends with S. */
static int
selfcheck_owner_comp(const char *c, size_t n, const char *p, const char *s)
{
	size_t pl = strlen(p), sl = strlen(s);

	return n > pl + sl && strncmp(c, p, pl) == 0 &&
	    strncmp(c + n - sl, s, sl) == 0;
}

/* Whether component C (N bytes) names a container's scope or directory. */
static int
selfcheck_owner_container(const char *c, size_t n, const char *next)
{
	static const char *const scopes[] = { "docker-", "libpod-",
		"cri-containerd-", "crio-", "containerd-" };
	size_t i;

	for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
		if (selfcheck_owner_comp(c, n, scopes[i], ".scope"))
			return 1;
	if (n > 12 && strncmp(c, "lxc.payload.", 12) == 0)
		return 1;
	/* cgroupfs drivers: /docker/ID, /lxc/NAME, /machine/NAME */
	return *next != '\0' && ((n == 6 && strncmp(c, "docker", 6) == 0) ||
	    (n == 3 && strncmp(c, "lxc", 3) == 0));
}

/*
 * Where a process runs, from the text of its /proc/PID/cgroup: its cgroup
 * path into CG (CGLEN bytes) and into WHERE (WLEN) the container
 * ("docker-ID.scope", "docker/ID"), login session ("session-3.scope"),
 * user manager or user unit ("user@1000.service", "app.service of
 * user@1000.service"), or systemd unit ("ssh.service"), else the raw path.
 * Returns the enum selfcheck_where of WHERE; SCW_NONE ("" both) when the
 * text names no cgroup.
 */
int
selfcheck_owner_where_parse(const char *text, char *cg, size_t cglen,
    char *where, size_t wlen)
{
	const char *c, *unit = NULL, *user = NULL;
	size_t n, nu = 0, nm = 0;

	where[0] = '\0';
	if (selfcheck_owner_cgroup(text, cg, cglen) == -1) {
		cg[0] = '\0';
		return SCW_NONE;
	}
	for (c = cg; *c != '\0'; c += n) {
		while (*c == '/')
			c++;
		if ((n = strcspn(c, "/")) == 0)
			break;
		if (selfcheck_owner_container(c, n, c + n + (c[n] == '/'))) {
			/* "docker/ID": the directory and the next one. */
			if (strncmp(c, "docker/", 7) == 0 || strncmp(c, "lxc/", 4)
			    == 0)
				n += 1 + strcspn(c + n + 1, "/");
			snprintf(where, wlen, "%.*s", (int)n, c);
			return SCW_CONTAINER;
		}
		if (selfcheck_owner_comp(c, n, "session-", ".scope")) {
			snprintf(where, wlen, "%.*s", (int)n, c);
			return SCW_SESSION;
		}
		if (selfcheck_owner_comp(c, n, "user@", ".service") &&
		    user == NULL) {
			user = c;
			nm = n;
		} else if (selfcheck_owner_comp(c, n, "", ".service") ||
		    selfcheck_owner_comp(c, n, "", ".scope"))
			unit = c, nu = n;
	}
	if (user != NULL && unit != NULL && unit > user)
		snprintf(where, wlen, "%.*s of %.*s", (int)nu, unit, (int)nm,
		    user);
	else if (user != NULL)
		snprintf(where, wlen, "%.*s", (int)nm, user);
	else if (unit != NULL)
		snprintf(where, wlen, "%.*s", (int)nu, unit);
	else {
		snprintf(where, wlen, "%s", cg);
		return SCW_CGROUP;
	}
	return user != NULL ? SCW_USER : SCW_UNIT;
}

/* The word of a where kind, as the reports spell it. */
const char *
selfcheck_owner_where_name(int in)
{
	static const char *const names[] = {
		[SCW_NONE] = "unknown",
		[SCW_UNIT] = "unit",
		[SCW_USER] = "user",
		[SCW_SESSION] = "session",
		[SCW_CONTAINER] = "container",
		[SCW_CGROUP] = "cgroup",
	};

	return in >= 0 && in <= SCW_CGROUP ? names[in] : "unknown";
}

/*
 * The cached entry of PID, read from /proc/PID/stat on first use; NULL
 * when out of memory.  An unreadable process has comm "?" and no parent.
 */
static const struct selfcheck_pent *
selfcheck_owner_pent(struct selfcheck_walk *wk, pid_t pid)
{
	struct selfcheck_pent *pe;
	char path[64], buf[512], *open_, *close_;
	size_t i, n = 0;
	FILE *fp;

	for (i = 0; i < wk->wk_n; i++)
		if (wk->wk_v[i].pe_pid == pid)
			return &wk->wk_v[i];
	if (wk->wk_n == wk->wk_max) {
		size_t nmax = wk->wk_max ? wk->wk_max * 2 : 32;

		if ((pe = realloc(wk->wk_v, nmax * sizeof(*pe))) == NULL)
			return NULL;
		wk->wk_v = pe;
		wk->wk_max = nmax;
	}
	pe = &wk->wk_v[wk->wk_n++];
	memset(pe, 0, sizeof(*pe));
	pe->pe_pid = pid;
	snprintf(pe->pe_comm, sizeof(pe->pe_comm), "?");
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fp = fopen(path, "re")) != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	/* "PID (COMM) S PPID ...": COMM may hold spaces and parentheses. */
	if ((open_ = strchr(buf, '(')) != NULL &&
	    (close_ = strrchr(buf, ')')) != NULL && close_ > open_) {
		snprintf(pe->pe_comm, sizeof(pe->pe_comm), "%.*s",
		    (int)(close_ - open_ - 1), open_ + 1);
		if (sscanf(close_ + 1, " %*c %d", &pe->pe_ppid) != 1)
			pe->pe_ppid = 0;
	}
	return pe;
}

/*
 * The ancestry of PID into OW: itself, its parent, ... up to pid 1 (or a
 * process whose parent is outside our pid namespace), at most
 * SELFCHECK_MAXANC, ow_anc_cut when the chain goes on.
 */
static void
selfcheck_owner_ancestry(struct selfcheck_walk *wk, pid_t pid,
    struct selfcheck_owner *ow)
{
	const struct selfcheck_pent *pe;

	ow->ow_nanc = ow->ow_anc_cut = 0;
	while (pid > 0) {
		if (ow->ow_nanc == SELFCHECK_MAXANC) {
			ow->ow_anc_cut = 1;
			return;
		}
		if ((pe = selfcheck_owner_pent(wk, pid)) == NULL)
			return;
		ow->ow_anc[ow->ow_nanc].an_pid = pid;
		memcpy(ow->ow_anc[ow->ow_nanc++].an_comm, pe->pe_comm,
		    sizeof(pe->pe_comm));
		if (pid == 1 || pe->pe_ppid == pid)
			return;
		pid = pe->pe_ppid;
	}
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
selfcheck_owner_describe(pid_t pid, struct selfcheck_walk *wk,
    struct selfcheck_owner *ow)
{
	const struct selfcheck_self *self = wk->wk_self;
	char pcomm[32], pexe[256];
	pid_t ppid;

	memset(ow, 0, sizeof(*ow));
	ow->ow_pid = pid;
	ow->ow_superd = selfcheck_owner_is_superd(pid, self, ow->ow_comm,
	    sizeof(ow->ow_comm), ow->ow_exe, sizeof(ow->ow_exe));
	selfcheck_owner_status(pid, &ppid, &ow->ow_uid);
	selfcheck_owner_unit(pid, ow);
	selfcheck_owner_ancestry(wk, pid, ow);
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
selfcheck_owner_scan_pid(pid_t pid, struct selfcheck_walk *wk,
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
				selfcheck_owner_describe(pid, wk, &ow);
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
	struct selfcheck_walk wk = { .wk_self = self };
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
		selfcheck_owner_scan_pid((pid_t)atoi(de->d_name), &wk, socks,
		    idx, n);
	}
	closedir(d);
	free(idx);
	free(wk.wk_v);
	return 0;
}

/*
 * OW's ancestry as pstree -p draws it, "sshd(812) <- systemd(1)", each
 * command as ESC writes it (escape_log quotes one holding a space, so no
 * name can forge a link), " <- ..." when cut; into BUF (LEN bytes).
 */
const char *
selfcheck_owner_chain(const struct selfcheck_owner *ow, escape_fn *esc,
    char *buf, size_t len)
{
	char comm[ESCAPE_SIZE(16)];
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < ow->ow_nanc && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s(%d)",
		    i ? " <- " : "", esc(comm, sizeof(comm),
		    ow->ow_anc[i].an_comm), (int)ow->ow_anc[i].an_pid);
	if (ow->ow_anc_cut && off < len)
		snprintf(buf + off, len - off, " <- ...");
	return buf;
}

/*
 * One line per holder of SK for the text report: "  owner PID: in KIND
 * NAME; CHAIN", names escaped (escape_log: quoted when they hold a space).
 */
void
selfcheck_owner_text(FILE *fp, const struct selfcheck_sock *sk)
{
	char chain[SELFCHECK_MAXANC * ESCAPE_SIZE(24) + 8];
	char where[ESCAPE_SIZE(sizeof(sk->sk_owners[0].ow_where))];
	const struct selfcheck_owner *ow;
	int i;

	for (i = 0; sk != NULL && i < sk->sk_nowners; i++) {
		ow = &sk->sk_owners[i];
		fprintf(fp, "  owner %d: ", (int)ow->ow_pid);
		if (ow->ow_in == SCW_NONE)
			fputs("cgroup unreadable", fp);
		else
			fprintf(fp, "in %s %s", selfcheck_owner_where_name(
			    ow->ow_in), escape_log(where, sizeof(where),
			    ow->ow_where));
		fprintf(fp, "; %s\n", ow->ow_nanc == 0 ? "ancestry unreadable" :
		    selfcheck_owner_chain(ow, escape_log, chain,
		    sizeof(chain)));
	}
}

/*
 * Add to the JSON object O of owner OW: "cgroup" (its path, or null),
 * "runs_in" ({ "kind": "unit" | "user" | "session" | "container" |
 * "cgroup", "name": "..." } or null), "ancestry" ([ { "pid", "comm" } ...
 * up to pid 1 ]) and "ancestry_truncated"; every name valid UTF-8.
 */
void
selfcheck_owner_json(json_t *o, const struct selfcheck_owner *ow)
{
	char cg[ESCAPE_SIZE(sizeof(ow->ow_cgroup))];
	char where[ESCAPE_SIZE(sizeof(ow->ow_where))], comm[ESCAPE_SIZE(16)];
	json_t *anc = json_array();
	int i;

	for (i = 0; i < ow->ow_nanc; i++)
		json_array_append_new(anc, json_pack("{s:i,s:s}", "pid",
		    (int)ow->ow_anc[i].an_pid, "comm", escape_json(comm,
		    sizeof(comm), ow->ow_anc[i].an_comm)));
	json_object_set_new(o, "cgroup", ow->ow_cgroup[0] ?
	    json_string(escape_json(cg, sizeof(cg), ow->ow_cgroup)) :
	    json_null());
	json_object_set_new(o, "runs_in", ow->ow_in == SCW_NONE ? json_null() :
	    json_pack("{s:s,s:s}", "kind", selfcheck_owner_where_name(
	    ow->ow_in), "name", escape_json(where, sizeof(where),
	    ow->ow_where)));
	json_object_set_new(o, "ancestry", anc);
	json_object_set_new(o, "ancestry_truncated",
	    json_boolean(ow->ow_anc_cut));
}
