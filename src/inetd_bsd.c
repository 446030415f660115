/* SPDX-License-Identifier: ISC */
/*
 * inetd.conf forms of FreeBSD and NetBSD that cannot mean anything on
 * Linux.  Each is refused by name, at its file and line, rather than read
 * as something else: a service meant to require IPsec must not be served
 * in clear, and a NetBSD key=value line must not become "missing the
 * protocol field".  Each function returns the reason, or NULL when the
 * text is not such a form.
 */
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "superd.h"

/* A "#@ policy" line (FreeBSD, NetBSD): an IPsec policy for later lines. */
const char *
inetd_bsd_ipsec(const char *line)
{
	const char *p;

	if (line[0] != '#' || line[1] != '@')
		return NULL;
	p = line + 2 + strspn(line + 2, " \t\r\n");
	/* An empty "#@" clears the policy: nothing is lost by ignoring it. */
	if (*p == '\0')
		return NULL;
	return "\"#@\" IPsec policy lines are not supported: Linux has no "
	    "per-socket IPsec policy string (set the policy with ip xfrm, then "
	    "remove the line)";
}

/*
 * NetBSD's key-values notation, "[addr:]service {on|off} key = value,
 * ...;": its second word is on or off, where a service line has its
 * socket type.
 */
const char *
inetd_bsd_keyvalue(const char *line)
{
	const char *w2;
	size_t n;

	w2 = line + strspn(line, " \t");
	w2 += strcspn(w2, " \t");
	w2 += strspn(w2, " \t");
	n = strcspn(w2, " \t\r\n");
	if ((n != 2 || strncmp(w2, "on", 2) != 0) &&
	    (n != 3 || strncmp(w2, "off", 3) != 0))
		return NULL;
	return "NetBSD's key = value service syntax is not supported: write "
	    "the service in the positional form (service type protocol wait "
	    "user server args)";
}

/* A socket type with an accept filter, "stream:FILTER[,ARG]" (NetBSD). */
const char *
inetd_bsd_socktype(const char *field)
{
	if (strncmp(field, "stream:", 7) != 0)
		return NULL;
	return "accept filters (stream:FILTER) are a BSD kernel feature that "
	    "Linux does not have: use plain stream";
}

/* FreeBSD's "tcp/faith" and "faith/tcp", and T/TCP's "tcp/ttcp". */
const char *
inetd_bsd_protocol(const char *field)
{
	if (strcmp(field, "tcp/ttcp") == 0)
		return "T/TCP (tcp/ttcp) does not exist on Linux (FreeBSD "
		    "removed it too): use tcp";
	if (strncmp(field, "faith/", 6) == 0 || strstr(field, "/faith") != NULL)
		return "faith (IPv6-to-IPv4 TCP relay) does not exist on Linux "
		    "(FreeBSD removed it too)";
	return NULL;
}

/* FreeBSD's login class after the user, "user[:group]/class". */
const char *
inetd_bsd_user(const char *field)
{
	if (strchr(field, '/') == NULL)
		return NULL;
	return "FreeBSD login classes (user/class, login.conf) do not exist on "
	    "Linux: give user[:group] only";
}

/* Whether PATTERN has a glob(7) special character. */
static int
inetd_bsd_globby(const char *pattern)
{
	return strpbrk(pattern, "*?[") != NULL;
}

/*
 * The files NetBSD's ".include GLOB" names, from the file FROM: a path
 * relative to FROM's directory, quotes removed, every match in *PATHS
 * (sorted, NULL-terminated).  A literal path must exist; a pattern may
 * match nothing, and is copied to GLOB (GLOBLEN bytes; "" for a literal
 * path) so that a file added later can be watched for.  0, or -1 with
 * the reason in ERR.
 */
int
inetd_bsd_include(const char *from, const char *arg, char ***paths,
    char *glob_out, size_t globlen, char *err, size_t errlen)
{
	char pattern[PATH_MAX], word[PATH_MAX];
	const char *slash;
	glob_t g;
	size_t i, n;
	int rc;

	*paths = NULL;
	*glob_out = '\0';
	n = strlen(arg);
	if (n >= 2 && (arg[0] == '"' || arg[0] == '\'') && arg[n - 1] == arg[0])
		arg++, n -= 2;
	if (n == 0 || n >= sizeof(word)) {
		snprintf(err, errlen, ".include: expected a path or pattern");
		return -1;
	}
	memcpy(word, arg, n);
	word[n] = '\0';
	slash = strrchr(from, '/');
	if (word[0] == '/' || slash == NULL)
		rc = snprintf(pattern, sizeof(pattern), "%s", word);
	else
		rc = snprintf(pattern, sizeof(pattern), "%.*s/%s",
		    (int)(slash - from), from, word);
	if (rc < 0 || (size_t)rc >= sizeof(pattern)) {
		snprintf(err, errlen, ".include %s: path too long", word);
		return -1;
	}
	memset(&g, 0, sizeof(g));
	rc = glob(pattern, 0, NULL, &g);
	if (rc == GLOB_NOMATCH && !inetd_bsd_globby(pattern)) {
		snprintf(err, errlen, ".include %s: %s: no such file", word,
		    pattern);
		return -1;
	}
	if (rc != 0 && rc != GLOB_NOMATCH) {
		snprintf(err, errlen, ".include %s: cannot read the pattern",
		    word);
		return -1;
	}
	for (i = 0; rc == 0 && i < g.gl_pathc; i++)
		if (strv_push(paths, g.gl_pathv[i]) == -1) {
			globfree(&g);
			strv_free(*paths);
			*paths = NULL;
			snprintf(err, errlen, ".include: out of memory");
			return -1;
		}
	if (rc == 0)
		globfree(&g);
	if (inetd_bsd_globby(pattern) && strlen(pattern) < globlen)
		strcpy(glob_out, pattern);
	return 0;
}

