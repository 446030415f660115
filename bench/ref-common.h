/* SPDX-License-Identifier: ISC */
/* Shared by the reference servers: a blocking TCP listener on ADDR PORT. */
#ifndef REF_COMMON_H
#define REF_COMMON_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int ref_listen(const char *addr, const char *port)
{
	struct sockaddr_in sin;
	int one = 1, fd;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(port));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", addr);
		exit(2);
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) || listen(fd, 128)) {
		perror("listen");
		exit(2);
	}
	return fd;
}

static int ref_accept(int lfd)
{
	int c;

	for (;;) {
		c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (c >= 0)
			return c;
		if (errno != EINTR && errno != ECONNABORTED) {
			perror("accept");
			usleep(1000);
		}
	}
}
#endif
