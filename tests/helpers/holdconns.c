/* SPDX-License-Identifier: ISC */
/*
 * Hold N TCP connections from address SRC to DST:PORT: each sends a line
 * and counts as served when it is echoed back.  Prints "served=S of N"
 * once every connection has an answer, an end or a 3 s deadline passed,
 * then keeps them all open until its standard input ends.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOLD_MAX 4096

/* One connection from SRC to DST, with "x\n" sent; -1 if none. */
static int
hold_one(const struct sockaddr_in *src, const struct sockaddr_in *dst)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd == -1)
		return -1;
	if (bind(fd, (const struct sockaddr *)src, sizeof(*src)) == -1 ||
	    connect(fd, (const struct sockaddr *)dst, sizeof(*dst)) == -1 ||
	    write(fd, "x\n", 2) != 2) {
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char **argv)
{
	static struct pollfd pfd[HOLD_MAX];
	struct sockaddr_in src, dst;
	int n, i, served = 0, waiting;
	time_t end;
	char buf[16];

	if (argc != 5 || (n = atoi(argv[4])) < 1 || n > HOLD_MAX)
		return 2;
	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	src.sin_family = dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)atoi(argv[3]));
	if (inet_pton(AF_INET, argv[1], &src.sin_addr) != 1 ||
	    inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1)
		return 2;
	for (i = 0, waiting = 0; i < n; i++) {
		pfd[i].fd = hold_one(&src, &dst);
		pfd[i].events = POLLIN;
		waiting += pfd[i].fd >= 0;
	}
	for (end = time(NULL) + 3; waiting > 0 &&
	    time(NULL) < end;) {
		if (poll(pfd, (nfds_t)n, 200) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (pfd[i].fd < 0 || pfd[i].revents == 0)
				continue;
			if (read(pfd[i].fd, buf, sizeof(buf)) > 0)
				served++;
			else
				close(pfd[i].fd);
			pfd[i].fd = -2 - pfd[i].fd;	/* answered: stop polling */
			waiting--;
		}
	}
	printf("served=%d of %d\n", served, n);
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return 0;
}
