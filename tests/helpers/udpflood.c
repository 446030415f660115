/* SPDX-License-Identifier: ISC */
/*
 * Send N datagrams from SRC (port 40000) to DST:PORT, 10 every
 * 10 ms at most (about 1,000 a second or fewer), and count the
 * answers that come back meanwhile.  Prints "sent=N answered=A".
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_in src, dst;
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int fd, n, i, answered = 0;
	char buf[64];

	if (argc != 5 || (n = atoi(argv[4])) < 1)
		return 2;
	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	src.sin_family = dst.sin_family = AF_INET;
	src.sin_port = htons(40000);
	dst.sin_port = htons((uint16_t)atoi(argv[3]));
	if (inet_pton(AF_INET, argv[1], &src.sin_addr) != 1 ||
	    inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1)
		return 2;
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&src, sizeof(src)) == -1)
		return 1;
	for (i = 0; i < n; i++) {
		if (sendto(fd, "flood", 5, 0, (struct sockaddr *)&dst,
		    sizeof(dst)) == -1)
			return 1;
		while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			answered++;
		if (i % 10 == 9)
			nanosleep(&pause, NULL);
	}
	printf("sent=%d answered=%d\n", n, answered);
	return 0;
}
