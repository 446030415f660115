/* SPDX-License-Identifier: ISC */
/*
 * A stream "wait" service: accepts on the listening socket it gets as fd 0,
 * answers each connection with its pid, and exits after a quiet second.
 */
#include <sys/socket.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(void)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	char msg[64];
	int c, served = 0;

	while (poll(&pfd, 1, 1000) > 0) {
		if ((c = accept(0, NULL, NULL)) == -1)
			return 1;
		snprintf(msg, sizeof(msg), "waitserver pid=%ld served=%d\n",
		    (long)getpid(), ++served);
		if (write(c, msg, strlen(msg)) < 0)
			return 1;
		close(c);
	}
	return 0;
}
