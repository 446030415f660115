/* SPDX-License-Identifier: ISC */
/* Reference: the least an inetd can do per connection with fork + exec.
 *   ref-forkexec ADDR PORT PROGRAM
 * accept, fork, child puts the socket on 0-2 and execs PROGRAM; children
 * are reaped by the kernel (SIGCHLD ignored).  No user switch, no logging. */
#include "ref-common.h"
#include <signal.h>

int main(int argc, char **argv)
{
	int lfd, c;

	if (argc != 4) {
		fprintf(stderr, "usage: ref-forkexec ADDR PORT PROGRAM\n");
		return 2;
	}
	signal(SIGCHLD, SIG_IGN);
	lfd = ref_listen(argv[1], argv[2]);
	for (;;) {
		c = ref_accept(lfd);
		pid_t pid = fork();
		if (pid == 0) {
			char *av[] = { argv[3], NULL };
			dup2(c, 0);
			dup2(c, 1);
			dup2(c, 2);
			execv(argv[3], av);
			_exit(127);
		}
		if (pid < 0)
			perror("fork");
		close(c);
	}
}
