/* SPDX-License-Identifier: ISC */
/*
 * Banners: the files are read once, at load (and again at each reload),
 * and their bytes kept with the service; a connection is sent those bytes
 * and no file is ever opened for it.  Only a regular file is read, never
 * through a symbolic link as its last component, and at most BANNER_MAX
 * bytes of it; a FIFO or a device is refused instead of waited on.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "superd.h"

/* The bytes of a service's banner files. */
struct banners {
	char *bn_data[BANNER_COUNT]; /* NULL: no such banner */
	size_t bn_len[BANNER_COUNT]; /* bytes of bn_data */
};

/* Read all of FD (a regular file of at most BANNER_MAX bytes) into *BUF. */
static const char *
banner_slurp(int fd, char **buf, size_t *len)
{
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) == -1)
		return strerror(errno);
	if (!S_ISREG(st.st_mode))
		return "is not a regular file";
	if (st.st_size > BANNER_MAX)
		return "is larger than " BANNER_MAX_TEXT;
	if ((*buf = malloc((size_t)st.st_size + 1)) == NULL)
		return "out of memory";
	*len = 0;
	while ((n = read(fd, *buf + *len, (size_t)st.st_size + 1 - *len)) > 0)
		if ((*len += (size_t)n) > (size_t)st.st_size)
			break;
	if (n == -1 || *len > BANNER_MAX) {
		free(*buf);
		*buf = NULL;
		return n == -1 ? strerror(errno) : "grew past " BANNER_MAX_TEXT;
	}
	return NULL;
}

/*
 * Read banner KIND of configuration SC (being built) from PATH into its
 * cache; NULL, or why not.
 * O_NONBLOCK: opening a FIFO must not wait for a writer.
 */
const char *
banner_load(struct service_rare *sc, enum banner_kind kind,
    const char *path)
{
	const char *why;
	char *buf = NULL;
	size_t len = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
	    O_NOCTTY)) == -1)
		return errno == ELOOP ? "is a symbolic link" : strerror(errno);
	why = banner_slurp(fd, &buf, &len);
	close(fd);
	if (why != NULL)
		return why;
	if (sc->sc_banners == NULL &&
	    (sc->sc_banners = calloc(1, sizeof(*sc->sc_banners))) == NULL) {
		free(buf);
		return "out of memory";
	}
	free(sc->sc_banners->bn_data[kind]);
	sc->sc_banners->bn_data[kind] = buf;
	sc->sc_banners->bn_len[kind] = len;
	return NULL;
}

/* Free the banners of the rarely set options SC. */
void
banner_free(struct service_rare *sc)
{
	int k;

	if (sc->sc_banners == NULL)
		return;
	for (k = 0; k < BANNER_COUNT; k++)
		free(sc->sc_banners->bn_data[k]);
	free(sc->sc_banners);
	sc->sc_banners = NULL;
}

/* Send banner KIND of SV to FD without blocking the daemon (best effort). */
void
banner_send(const struct service *sv, enum banner_kind kind, int fd)
{
	const struct banners *bn = sv->sv_conf->sc_rare->sc_banners;

	if (bn == NULL || bn->bn_data[kind] == NULL || bn->bn_len[kind] == 0)
		return;
	(void)send(fd, bn->bn_data[kind], bn->bn_len[kind],
	    MSG_DONTWAIT | MSG_NOSIGNAL);
}
