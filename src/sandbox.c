/* SPDX-License-Identifier: ISC */
/*
 * The per-service sandbox, after systemd's ProtectSystem=strict,
 * PrivateTmp= and PrivateDevices=: the child gets its own mount namespace
 * in which every mount is read-only (protect_system = strict), /tmp and
 * /var/tmp are empty private tmpfs (private_tmp = yes), and /dev holds
 * only null, zero, full, random, urandom and tty (private_devices = yes).
 * It is set up in the child before chroot and credentials, with raw
 * system calls only (rawsys.h), since the child may still run in the
 * daemon's memory.  Also the load-time checks and warnings of the
 * privilege options.
 */
#include <sys/mount.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>

#include <linux/mount.h>
#include <sys/capability.h>

#include "rawsys.h"
#include "superd.h"

/*
 * Capabilities with which a root child can step out of a sandbox: remount
 * or leave the namespace, load a module, poke memory or ports, or take
 * over a process outside (the daemon) with ptrace.
 */
#define SANDBOX_ESCAPE_CAPS                                               \
	((1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_SYS_RAWIO) |              \
	    (1ULL << CAP_SYS_MODULE) | (1ULL << CAP_SYS_PTRACE))

/* The device nodes a private /dev keeps (systemd's PrivateDevices= set). */
static const char *const sandbox_devs[] = {
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
	"/dev/tty",
};
#define SANDBOX_NDEVS (sizeof(sandbox_devs) / sizeof(sandbox_devs[0]))

/* In the child: mount(2) with the raw system call. */
static long
sandbox_mount(const char *src, const char *dst, const char *type,
    unsigned long flags, const char *data)
{
	return rawsys(SYS_mount, (long)src, (long)dst, (long)type, (long)flags,
	    (long)data);
}

/* In the child: "/proc/self/fd/FD" into BUF (no libc: no errno, no lock). */
static const char *
sandbox_fdpath(int fd, char *buf)
{
	static const char pfx[] = "/proc/self/fd/";
	char digits[12];
	int n = 0, i = 0;

	do
		digits[n++] = (char)('0' + fd % 10);
	while ((fd /= 10) > 0 && n < (int)sizeof(digits));
	memcpy(buf, pfx, sizeof(pfx) - 1);
	i = sizeof(pfx) - 1;
	while (n > 0)
		buf[i++] = digits[--n];
	buf[i] = '\0';
	return buf;
}

/*
 * In the child: a tmpfs on /dev holding only the nodes of sandbox_devs,
 * each a bind mount of the real one, reached through an O_PATH descriptor
 * opened before the tmpfs hid it.  No disk, no /dev/mem, no /dev/kmsg.
 */
static int
sandbox_devices(void)
{
	long fds[SANDBOX_NDEVS], fd;
	char path[32];
	size_t i;
	int rc = 0;

	for (i = 0; i < SANDBOX_NDEVS; i++)
		fds[i] = RAWSYS4(SYS_openat, AT_FDCWD, sandbox_devs[i],
		    O_PATH | O_CLOEXEC, 0);
	if (sandbox_mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC,
	    "mode=755") < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < SANDBOX_NDEVS; i++) {
		if (fds[i] < 0)
			continue;
		fd = RAWSYS4(SYS_openat, AT_FDCWD, sandbox_devs[i],
		    O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
		if (fd < 0 || RAWSYS1(SYS_close, fd) < 0 ||
		    sandbox_mount(sandbox_fdpath((int)fds[i], path),
		    sandbox_devs[i], NULL, MS_BIND, NULL) < 0)
			rc = -1;
	}
	for (i = 0; i < SANDBOX_NDEVS; i++)
		if (fds[i] >= 0)
			(void)RAWSYS1(SYS_close, fds[i]);
	return rc;
}

/* In the child: a private tmpfs on DIR, if DIR exists. */
static int
sandbox_tmp(const char *dir)
{
	long rc = RAWSYS3(SYS_faccessat, AT_FDCWD, dir, F_OK);

	if (rc == -ENOENT)
		return 0;
	return rc < 0 || sandbox_mount("tmpfs", dir, "tmpfs",
	    MS_NOSUID | MS_NODEV, "mode=1777") < 0 ? -1 : 0;
}

/*
 * In the child: a mount namespace of its own, set up as the SANDBOX_*
 * bits of WHAT ask; nothing done there reaches the daemon's mounts.
 */
int
sandbox_child(int what)
{
	struct mount_attr ro;

	if (what == 0)
		return 0;
	if (RAWSYS1(SYS_unshare, CLONE_NEWNS) < 0 ||
	    sandbox_mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	if ((what & SANDBOX_DEVICES) && sandbox_devices() == -1)
		return -1;
	if (what & SANDBOX_PROTECT) {
		memset(&ro, 0, sizeof(ro));
		ro.attr_set = MOUNT_ATTR_RDONLY;
		if (rawsys(SYS_mount_setattr, AT_FDCWD, (long)"/",
		    AT_RECURSIVE, (long)&ro, sizeof(ro)) < 0)
			return -1;
	}
	if ((what & SANDBOX_TMP) && (sandbox_tmp("/tmp") == -1 ||
	    sandbox_tmp("/var/tmp") == -1))
		return -1;
	return 0;
}

/* The load-time checks and warnings of one service SV of TAB. */
static void
sandbox_validate_one(struct svctab *tab, const struct service *sv)
{
	const char *daemon_user = tab->st_globals.gl_user;
	int sandbox = sv->sv_conf->sc_rare->sc_sandbox != 0;

	if (daemon_user != NULL && (sandbox || (sv->sv_conf->sc_uid != 0 &&
	    sv->sv_conf->sc_rare->sc_caps != 0)))
		svctab_error(tab, sv->sv_conf->sc_file, sv->sv_conf->sc_line,
		    "service %s: %s needs the daemon to run as root, but it "
		    "runs as user %s", sv->sv_conf->sc_name, sandbox ?
		    "a sandbox" : "capabilities", daemon_user);
	if (sv->sv_conf->sc_uid != 0)
		return;
	if (sv->sv_conf->sc_rare->sc_caps_set)
		log_warnx("%s:%d: service %s: runs as uid 0: capabilities limit its privileges, but it still owns every file root owns (it can write /etc/passwd and signal the daemon); prefer a user with capabilities, or protect_system",
		    sv->sv_conf->sc_file, sv->sv_conf->sc_line,
		    sv->sv_conf->sc_name);
	if ((sv->sv_conf->sc_rare->sc_sandbox & SANDBOX_PROTECT) &&
	    (!sv->sv_conf->sc_rare->sc_caps_set || (sv->sv_conf->sc_rare->sc_caps &
	    SANDBOX_ESCAPE_CAPS) != 0 || !(sv->sv_conf->sc_rare->sc_sandbox &
	    SANDBOX_DEVICES)))
		log_warnx("%s:%d: service %s: protect_system holds a root child only with private_devices = yes (raw disks stay writable otherwise) and capabilities without cap_sys_admin, cap_sys_rawio, cap_sys_module and cap_sys_ptrace",
		    sv->sv_conf->sc_file, sv->sv_conf->sc_line,
		    sv->sv_conf->sc_name);
}

/* Privilege options that need what the daemon lacks; warnings on root. */
void
sandbox_validate(struct svctab *tab)
{
	const struct service *sv;

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry)
		if (!sv->sv_conf->sc_disabled && sv->sv_conf->sc_builtin ==
		    BUILTIN_NONE)
			sandbox_validate_one(tab, sv);
}
