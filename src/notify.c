/* SPDX-License-Identifier: ISC */
/*
 * systemd integration without libsystemd: readiness and reload state over
 * $NOTIFY_SOCKET (sd_notify protocol), and the sockets a service manager
 * hands over in LISTEN_FDS.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "superd.h"

#define NOTIFY_FD_START 3 /* SD_LISTEN_FDS_START */

/* Send MSG to the service manager, if one asked for it; 0 when not asked. */
int
notify_send(const char *msg)
{
	struct sockaddr_un sun;
	const char *path = getenv("NOTIFY_SOCKET");
	socklen_t len;
	size_t n;
	int fd, rc;

	if (path == NULL || (path[0] != '/' && path[0] != '@'))
		return 0;
	if ((n = strlen(path)) >= sizeof(sun.sun_path))
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	rc = sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sun,
	    len) == -1 ? -1 : 0;
	close(fd);
	if (rc == -1)
		log_warn("event=notify path=%s", path);
	return rc;
}

/* Tell the service manager a reload starts (RELOADING=1 with the clock). */
void
notify_reloading(void)
{
	struct timespec ts;
	char msg[96];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nSTATUS=reloading\n"
	    "MONOTONIC_USEC=%llu", (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000);
	notify_send(msg);
}

/* Tell the service manager we serve N endpoints. */
void
notify_ready(int n)
{
	char msg[96];

	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=serving %d endpoints\n"
	    "MAINPID=%ld", n, (long)getpid());
	notify_send(msg);
}

/*
 * The number of sockets handed over in LISTEN_FDS for this process (fds 3
 * on), 0 if none.  The variables are removed so children do not see them.
 */
int
notify_listen_fds(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	long owner = pid != NULL ? strtol(pid, NULL, 10) : 0, n = 0;
	char *end = NULL;

	if (fds != NULL)
		n = strtol(fds, &end, 10);
	if (fds == NULL || *fds == '\0' || *end != '\0' || n < 0 || n > 4096 ||
	    owner != getpid())
		n = 0;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return (int)n;
}
