/* SPDX-License-Identifier: ISC */
/*
 * One daemon per pid file.  The file is opened without following a
 * symlink and without blocking on a FIFO, must be a regular file, and is
 * locked (flock) for the daemon's whole life: a second superd naming the
 * same file finds it locked, says which pid holds it, and leaves it alone.
 * The lock belongs to the open file, so it survives the fork into the
 * background; only its holder writes or removes the file.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "superd.h"

static int pidfile_open(const char *);

/* The pid written in the locked file FD, or 0 when there is none. */
static long
pidfile_holder(int fd)
{
	char buf[32];
	ssize_t n;

	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/*
 * Open and lock the pid file PATH; its descriptor, or -1 with the reason
 * logged as an error (another superd holds it, or it is not a regular file).
 */
int
pidfile_lock(const char *path)
{
	int fd, tries;

	/* A holder may remove the file between our open and our lock. */
	for (tries = 0; tries < 3; tries++)
		if ((fd = pidfile_open(path)) != -2)
			return fd;
	log_errx("pidfile=%s result=refused reason=\"removed while locking\"",
	    path);
	return -1;
}

/* One attempt of pidfile_lock: the fd, -1 (logged), or -2 to try again. */
static int
pidfile_open(const char *path)
{
	struct stat st, now;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
	    0644);
	if (fd == -1) {
		log_errx("pidfile=%s result=refused reason=\"%s\"", path,
		    errno == ELOOP ? "a symbolic link" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		log_errx("pidfile=%s result=refused reason=\"not a regular "
		    "file\"", path);
		close(fd);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			log_errx("pidfile=%s result=refused reason=\"superd "
			    "already running\" pid=%ld", path,
			    pidfile_holder(fd));
		else
			log_errx("pidfile=%s result=refused reason=\"lock: %s\"",
			    path, strerror(errno));
		close(fd);
		return -1;
	}
	if (stat(path, &now) == -1 || now.st_ino != st.st_ino ||
	    now.st_dev != st.st_dev) {
		close(fd);
		return -2;
	}
	return fd;
}

/* Write our pid into the locked pid file FD; -1 (logged) on failure. */
int
pidfile_write(int fd, const char *path)
{
	char buf[32];
	int n;

	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, buf, (size_t)n, 0) != n) {
		log_warn("pidfile=%s reason=write", path);
		return -1;
	}
	return 0;
}

/* Remove the pid file PATH we hold locked on FD, then let the lock go. */
void
pidfile_remove(int fd, const char *path)
{
	if (fd == -1)
		return;
	(void)unlink(path);
	close(fd);
}
