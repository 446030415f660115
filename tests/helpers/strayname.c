/* SPDX-License-Identifier: ISC */
/*
 * A stray listener with a hostile name: strayname NAME PORT sets its
 * command name (comm) to the bytes of NAME with prctl(PR_SET_NAME), which
 * need not be UTF-8 and may hold escape sequences, listens on TCP
 * 0.0.0.0:PORT, prints "ready" and waits to be killed.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	int fd, one = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: strayname NAME PORT\n");
		return 2;
	}
	if (prctl(PR_SET_NAME, argv[1], 0, 0, 0) == -1) {
		perror("prctl");
		return 1;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(argv[2]));
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 8) == -1) {
		perror("listen");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
