/* SPDX-License-Identifier: ISC */
/*
 * A test service: reports what it was started with, one key=value or
 * status line each, so end-to-end tests can check the child set-up.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* Copy the lines of /proc/self/status that describe credentials. */
static void
report_status(void)
{
	static const char *const keys[] = { "Uid:", "Gid:", "Groups:",
		"CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:",
		"SigBlk:", "SigIgn:", "NoNewPrivs:", "Umask:" };
	char line[512];
	FILE *fp;
	size_t i;

	if ((fp = fopen("/proc/self/status", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL)
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strncmp(line, keys[i], strlen(keys[i])) == 0)
				fputs(line, stdout);
	fclose(fp);
}

/* List the open descriptors, without the one reading the directory. */
static void
report_fds(void)
{
	struct dirent *de;
	DIR *d;
	char buf[512] = "";

	if ((d = opendir("/proc/self/fd")) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		strncat(buf, de->d_name, sizeof(buf) - strlen(buf) - 2);
		strcat(buf, " ");
	}
	closedir(d);
	printf("fds=%s\n", buf);
}

/* The session, process group and controlling tty from /proc/self/stat. */
static void
report_session(void)
{
	char buf[1024], *p;
	int pgrp, sid, tty;
	FILE *fp;

	if ((fp = fopen("/proc/self/stat", "r")) == NULL)
		return;
	p = fgets(buf, sizeof(buf), fp) != NULL ? strrchr(buf, ')') : NULL;
	if (p != NULL && sscanf(p, ") %*c %*d %d %d %d", &pgrp, &sid, &tty) == 3)
		printf("session_leader=%s tty_nr=%d\n",
		    sid == getpid() ? "yes" : "no", tty);
	fclose(fp);
}

/* With an argument bind=PORT: whether a TCP bind to 127.0.0.1:PORT works. */
static void
report_bind(const char *arg)
{
	struct sockaddr_in sin;
	int fd;

	if (strncmp(arg, "bind=", 5) != 0)
		return;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(arg + 5));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		printf("bind=%s\n", strerror(errno));
	else
		printf("bind=ok\n");
	if (fd != -1)
		close(fd);
}

int
main(int argc, char **argv)
{
	struct rlimit rl;
	char root[256];
	ssize_t n;
	char **e;

	printf("argv=");
	for (int i = 0; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "\n");
	report_status();
	report_fds();
	report_session();
	if (argc > 1)
		report_bind(argv[1]);
	printf("nice=%d\n", getpriority(PRIO_PROCESS, 0));
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		printf("rlimit_nofile=%llu\n", (unsigned long long)rl.rlim_cur);
	if (getrlimit(RLIMIT_CPU, &rl) == 0)
		printf("rlimit_cpu=%lld\n", rl.rlim_cur == RLIM_INFINITY ? -1LL :
		    (long long)rl.rlim_cur);
	if ((n = readlink("/proc/self/root", root, sizeof(root) - 1)) > 0) {
		root[n] = '\0';
		printf("root=%s\n", root);
	}
	if (access("/chroot-marker", F_OK) == 0)
		printf("chroot_marker=yes\n");
	for (e = environ; *e != NULL; e++)
		printf("env %s\n", *e);
	printf("end\n");
	return 0;
}
