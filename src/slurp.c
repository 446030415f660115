/* SPDX-License-Identifier: ISC */
/*
 * A configuration file is read whole before it is parsed.  A lookup child
 * forked during the parse shares the file's offset with the loader; one
 * that flushed its copy of the stream at exit (valgrind's __libc_freeres
 * does) moved that offset under the loader's later reads, and lines were
 * read twice.  With the file in memory there is no later read to move.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "superd.h"

/*
 * The rest of FP in memory, NUL-terminated, its length in *LEN; NULL with
 * errno ENOMEM, EFBIG (more than MAX bytes) or the read error.
 */
char *
slurp_stream(FILE *fp, size_t max, size_t *len)
{
	char *buf = NULL, *nbuf;
	size_t cap = 0, n;

	*len = 0;
	errno = 0;
	do {
		if (cap - *len < 4096) {
			if (cap > SIZE_MAX / 2 - 4096 || (nbuf = realloc(buf,
			    cap * 2 + 4096)) == NULL) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = nbuf;
			cap = cap * 2 + 4096;
		}
		n = fread(buf + *len, 1, cap - *len - 1, fp);
		*len += n;
		if (*len > max) {
			free(buf);
			errno = EFBIG;
			return NULL;
		}
	} while (n > 0);
	if (ferror(fp)) {
		free(buf);
		if (errno == 0)
			errno = EIO;
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}
