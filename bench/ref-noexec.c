/* SPDX-License-Identifier: ISC */
/* Reference: no process per connection at all.
 *   ref-noexec ADDR PORT          accept, write "hello\n", close
 *   ref-noexec ADDR PORT echo     accept, echo until EOF, close
 * One blocking loop, one connection at a time: the ceiling of what the
 * kernel's loopback TCP allows on this machine for the given client. */
#include "ref-common.h"

int main(int argc, char **argv)
{
	static const char msg[] = "hello\n";
	char buf[4096];
	int lfd, c, echo;
	ssize_t n;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: ref-noexec ADDR PORT [echo]\n");
		return 2;
	}
	echo = argc == 4 && strcmp(argv[3], "echo") == 0;
	lfd = ref_listen(argv[1], argv[2]);
	for (;;) {
		c = ref_accept(lfd);
		if (!echo) {
			if (write(c, msg, sizeof msg - 1) < 0)
				perror("write");
		} else {
			struct timeval tv = { 2, 0 };
			setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
			while ((n = read(c, buf, sizeof buf)) > 0)
				if (write(c, buf, (size_t)n) != n)
					break;
		}
		close(c);
	}
}
