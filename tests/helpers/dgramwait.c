/* SPDX-License-Identifier: ISC */
/*
 * A dgram "wait" service: reads one datagram from the socket it gets as
 * fd 0, answers its sender with "served pid=N", and exits.  With the
 * argument "noread" it exits at once without reading: the broken server
 * the loop guard exists for.
 */
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	char buf[2048], msg[64];
	ssize_t n;

	if (argc > 1 && strcmp(argv[1], "noread") == 0)
		return 0;
	n = recvfrom(0, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len);
	if (n < 0)
		return 1;
	snprintf(msg, sizeof(msg), "served pid=%ld\n", (long)getpid());
	if (sendto(0, msg, strlen(msg), 0, (struct sockaddr *)&peer, len) < 0)
		return 1;
	return 0;
}
