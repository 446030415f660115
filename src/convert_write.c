/* SPDX-License-Identifier: ISC */
/*
 * The superd.conf writer that both converters share (convert.c for
 * inetd.conf, convert_xinetd.c for xinetd): quoting, options, notes, the
 * not-converted report, titles, tcpd unwrapping, copied blocks and file
 * reading.  It calls neither converter.
 */
#include <sys/stat.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "superd.h"
#include "convert.h"

#define CONVERT_TCPD_DIR "/usr/sbin" /* tcpd's REAL_DAEMON_DIR on Linux */

/*
 * Write S as a superd.conf double-quoted string; '$' is escaped too, or
 * the loader would expand "${VAR}" from its own environment.
 */
void
convert_write_quote(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\' || *s == '$')
			fputc('\\', fp);
		if (*s == '\n' || *s == '\r')
			fputs(*s == '\n' ? "\\n" : "\\r", fp);
		else
			fputc(*s, fp);
	}
	fputc('"', fp);
}

/* One `NAME = "VALUE"` line of a service block. */
void
convert_write_opt_str(FILE *fp, const char *name, const char *value)
{
	fprintf(fp, "\t%s = ", name);
	convert_write_quote(fp, value);
	fputc('\n', fp);
}

/* One `NAME = {"a", "b"}` line of a service block. */
void
convert_write_opt_list(FILE *fp, const char *name, char *const *v)
{
	size_t i;

	fprintf(fp, "\t%s = {", name);
	for (i = 0; v != NULL && v[i] != NULL; i++) {
		if (i > 0)
			fputs(", ", fp);
		convert_write_quote(fp, v[i]);
	}
	fputs("}\n", fp);
}

/* A `# ...` comment line inside a block; newlines in it are flattened. */
void
convert_write_note(FILE *fp, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (p = buf; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(fp, "\t# %s\n", buf);
}

/*
 * SETTING of FILE:LINE is not carried over, because of WHY: said on
 * stderr and counted in LOSS.  The output says it too, as a comment.
 */
void
convert_write_lost(struct convert_loss *loss, const char *file, int line,
    const char *setting, const char *fmt, ...)
{
	char why[512], msg[sizeof(loss->cl_last)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "%s:%d: not converted: %s: %s", file, line,
	    setting, why);
	if (strcmp(msg, loss->cl_last) == 0)
		return;
	snprintf(loss->cl_last, sizeof(loss->cl_last), "%s", msg);
	fprintf(stderr, "%s\n", msg);
	loss->cl_n++;
}

/* Whether NAMES already holds NAME. */
static int
convert_write_name_used(const struct convert_names *names, const char *name)
{
	size_t i;

	for (i = 0; names->cn_names != NULL && names->cn_names[i] != NULL; i++)
		if (strcmp(names->cn_names[i], name) == 0)
			return 1;
	return 0;
}

/*
 * A unique service title for WANT in BUF: WANT itself, else WANT-SUFFIX,
 * else WANT-SUFFIX-2 and so on (superd.conf refuses duplicate titles).
 */
const char *
convert_write_title(struct convert_names *names, const char *want,
    const char *suffix, char *buf, size_t len)
{
	int i;

	if (want == NULL || *want == '\0')
		want = "unnamed";
	snprintf(buf, len, "%s", want);
	for (i = 1; convert_write_name_used(names, buf) && i < 10000; i++) {
		if (i == 1)
			snprintf(buf, len, "%s-%s", want, suffix);
		else
			snprintf(buf, len, "%s-%s-%d", want, suffix, i);
	}
	if (strv_push(&names->cn_names, buf) == -1)
		log_warnx("convert: out of memory");
	return buf;
}

/* Forget the titles. */
void
convert_write_names_free(struct convert_names *names)
{
	strv_free(names->cn_names);
	names->cn_names = NULL;
}

/*
 * A server run through tcpd(8), which finds the real daemon from argv[0]:
 * superd.conf always passes the server's basename as argv[0], so the real
 * daemon becomes the server.  *REAL gets its path (to free), *REST its
 * arguments.  1 if rewritten, 0 if SERVER is not tcpd, -1 out of memory.
 */
int
convert_write_tcpd(FILE *fp, const char *server, char *const *argv, char **real,
    char *const **rest)
{
	const char *base = strrchr(server, '/');

	base = base != NULL ? base + 1 : server;
	if (strcmp(base, "tcpd") != 0 || argv == NULL || argv[0] == NULL ||
	    strcmp(argv[0], "tcpd") == 0)
		return 0;
	if (argv[0][0] == '/')
		*real = strdup(argv[0]);
	else if (asprintf(real, "%s/%s", CONVERT_TCPD_DIR, argv[0]) == -1)
		*real = NULL;
	if (*real == NULL)
		return -1;
	*rest = argv + 1;
	convert_write_note(fp, "server %s (TCP wrappers) replaced by the "
	    "daemon it starts, %s: superd checks /etc/hosts.allow and "
	    "/etc/hosts.deny for it itself (tcp_wrappers = yes)", server,
	    *real);
	return 1;
}

/* Write LEN bytes of TEXT, each line behind "# " when COMMENTED. */
void
convert_write_block(FILE *out, const char *text, size_t len, int commented)
{
	size_t i;
	int bol = 1;

	for (i = 0; i < len; i++) {
		if (commented && bol)
			fputs("# ", out);
		fputc(text[i], out);
		bol = text[i] == '\n';
	}
	if (!bol)
		fputc('\n', out);
}

/*
 * PATH into a NUL-terminated buffer of at most CONVERT_MAX_FILE bytes
 * without NUL bytes; NULL (said on stderr and as a comment in OUT) if not.
 */
char *
convert_write_slurp(const char *path, size_t *lenp, FILE *out)
{
	const char *why = NULL;
	FILE *fp;
	char *buf = NULL;
	size_t len = 0;
	int err = 0;

	if ((fp = fopen(path, "r")) == NULL)
		err = errno;
	else if ((buf = malloc(CONVERT_MAX_FILE + 1)) == NULL)
		why = "out of memory";
	else {
		len = fread(buf, 1, CONVERT_MAX_FILE + 1, fp);
		if (ferror(fp))
			why = "read error";
		else if (len > CONVERT_MAX_FILE)
			why = "larger than 1 MiB";
		else if (memchr(buf, '\0', len) != NULL)
			why = "contains NUL bytes (not a text file)";
	}
	if (fp != NULL)
		fclose(fp);
	if (err != 0 || why != NULL) {
		if (why == NULL)
			why = strerror(err);
		log_warnx("convert: %s: %s", path, why);
		fprintf(out, "# %s: not converted: %s\n", path, why);
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}
