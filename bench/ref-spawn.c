/* SPDX-License-Identifier: ISC */
/* Reference: accept + posix_spawn (glibc: clone(CLONE_VM|CLONE_VFORK)).
 *   ref-spawn ADDR PORT PROGRAM
 * The file actions put the socket on 0-2; SIGCHLD ignored (kernel reaps).
 * No user switch, no logging: the floor for a spawning super-server. */

#include "ref-common.h"
#include <signal.h>
#include <spawn.h>

extern char **environ;

int main(int argc, char **argv)
{
	int lfd, c, rc;
	char *av[2];

	if (argc != 4) {
		fprintf(stderr, "usage: ref-spawn ADDR PORT PROGRAM\n");
		return 2;
	}
	signal(SIGCHLD, SIG_IGN);
	lfd = ref_listen(argv[1], argv[2]);
	av[0] = argv[3];
	av[1] = NULL;
	for (;;) {
		posix_spawn_file_actions_t fa;
		pid_t pid;

		c = ref_accept(lfd);
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, c, 0);
		posix_spawn_file_actions_adddup2(&fa, c, 1);
		posix_spawn_file_actions_adddup2(&fa, c, 2);
		rc = posix_spawn(&pid, argv[3], &fa, NULL, av, environ);
		if (rc)
			fprintf(stderr, "posix_spawn: %s\n", strerror(rc));
		posix_spawn_file_actions_destroy(&fa);
		close(c);
	}
}
