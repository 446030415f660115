/* SPDX-License-Identifier: ISC */
/*
 * Shared by the libFuzzer harnesses: keep the parsers' log lines off the
 * terminal, and give path-taking parsers a file of their own to read.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "superd.h"

/*
 * Point stdio's stderr at /dev/null: the config parsers log every refused
 * line there.  libFuzzer captured its own copy of stderr at start-up and the
 * sanitizers write to descriptor 2, so their reports still show.  stdin
 * becomes /dev/null too, so an input naming /dev/stdin cannot block a run.
 */
static inline void
fuzz_quiet(void)
{
	FILE *null = fopen("/dev/null", "w");
	int fd = open("/dev/null", O_RDONLY);

	log_init("superd-fuzz", 1, 0);
	if (null != NULL)
		stderr = null;
	if (fd != -1) {
		dup2(fd, 0);
		close(fd);
	}
}

static char fuzz_dir[64];	/* per-process directory, removed at exit */
static char fuzz_path[128];	/* the one file each run rewrites */

/* Remove the file and the directory. */
static inline void
fuzz_cleanup(void)
{
	char cmd[128];

	if (fuzz_dir[0] == '\0')
		return;
	/* An input may have named other files in the directory. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir);
	if (system(cmd) == -1)
		rmdir(fuzz_dir);
}

/*
 * Make the directory and choose NAME in it as the file every run rewrites
 * (a relative include in it resolves inside the directory).  No chdir:
 * libFuzzer's own paths given on the command line stay valid.
 */
static inline void
fuzz_tmpdir(const char *name)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/superd-fuzz.XXXXXX",
	    tmp != NULL && strlen(tmp) < 32 ? tmp : "/tmp");
	if (mkdtemp(fuzz_dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	snprintf(fuzz_path, sizeof(fuzz_path), "%s/%s", fuzz_dir, name);
	atexit(fuzz_cleanup);
}

/* Replace the file's contents with DATA; 0, or -1 when it cannot. */
static inline int
fuzz_write(const uint8_t *data, size_t size)
{
	FILE *fp = fopen(fuzz_path, "w");
	int rc = 0;

	if (fp == NULL)
		return -1;
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		rc = -1;
	if (fclose(fp) == EOF)
		rc = -1;
	return rc;
}

/* A read stream over a private copy of DATA (fmemopen wants a writable buffer). */
static inline FILE *
fuzz_memopen(const uint8_t *data, size_t size, char **copy)
{
	FILE *fp;

	/* One byte more so an empty input still opens. */
	if ((*copy = malloc(size + 1)) == NULL)
		return NULL;
	memcpy(*copy, data, size);
	if ((fp = fmemopen(*copy, size, "r")) == NULL) {
		free(*copy);
		*copy = NULL;
	}
	return fp;
}

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Once per process: silence the parsers; a harness whose parser takes a
 * path defines FUZZ_FILE, the name of the file it rewrites each run.
 */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
#ifdef FUZZ_FILE
	fuzz_tmpdir(FUZZ_FILE);
#endif
	return 0;
}

#endif /* FUZZ_H */
