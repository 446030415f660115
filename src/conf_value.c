/* SPDX-License-Identifier: ISC */
/*
 * Values of the native superd.conf, checked and converted: ports, users,
 * groups, paths, umask, rlimits, ACL prefixes, access_times, log_on_*
 * words.  Pure functions of a string (and the system's databases); no
 * libconfuse here: conf.c stays the only file that sees the library.
 * A check returns NULL or the reason the value is refused; conf.c adds the
 * option name and the file:line.
 */
#include <sys/stat.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "superd.h"

#define CONF_RLIM_UNLIMITED (-2)	/* sv_rlimit: RLIM_INFINITY */

/* The log_on_* words and their LOGF_* bits; 0 marks an accepted no-op. */
static const struct {
	const char *lf_name;
	int lf_bit;
} conf_value_logflags[] = {
	{ "PID", LOGF_PID },
	{ "HOST", LOGF_HOST },
	{ "EXIT", LOGF_EXIT },
	{ "DURATION", LOGF_DURATION },
	{ "USERID", 0 },
	{ "ATTEMPT", 0 },
	{ "TRAFFIC", 0 },
	{ NULL, 0 },
};

/* Parse a whole decimal number within MIN..MAX. */
static int
conf_value_number(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long n;

	if (!isdigit((unsigned char)*s) && !(*s == '-' && isdigit(
	    (unsigned char)s[1])))
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

/* Whether S is a yes/no word; *B gets its value. */
int
conf_value_boolword(const char *s, int *b)
{
	static const char *const yes[] = { "yes", "true", "on" };
	static const char *const no[] = { "no", "false", "off" };
	size_t i;

	for (i = 0; i < 3; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*b = 1;
			return 1;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*b = 0;
			return 1;
		}
	}
	return 0;
}

/* A port: a number 1-65535 or a name /etc/services knows. */
const char *
conf_value_check_port(const char *s)
{
	int port;

	if (svctab_resolve_port(s, 0, &port) == 0)
		return NULL;
	if (isdigit((unsigned char)*s) || *s == '-')
		return "port must be 1-65535";
	return "unknown service name (not in /etc/services)";
}

/* The protocol names inetd.conf uses. */
const char *
conf_value_check_protocol(const char *s)
{
	static const char *const names[] = {
		"tcp", "udp", "tcp4", "udp4", "tcp6", "udp6", "tcp46", "udp46",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return NULL;
	return "expected tcp, udp, tcp4, udp4, tcp6, udp6, tcp46 or udp46";
}

/* stream or dgram. */
const char *
conf_value_check_socktype(const char *s)
{
	if (strcmp(s, "stream") == 0 || strcmp(s, "dgram") == 0)
		return NULL;
	return "expected stream or dgram";
}

/* An IPv4 or IPv6 literal. */
const char *
conf_value_check_addr(const char *s)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (svctab_parse_addr(s, 0, &ss, &len) == 0)
		return NULL;
	return "not an IPv4 or IPv6 address";
}

/* A user the passwd database knows (or a numeric uid). */
const char *
conf_value_check_user(const char *s)
{
	uid_t uid;
	gid_t gid;

	if (lookup_cache_user(s, &uid, &gid) == 0)
		return NULL;
	return "unknown user";
}

/* A group the group database knows (or a numeric gid). */
const char *
conf_value_check_group(const char *s)
{
	gid_t gid;

	if (lookup_cache_group(s, &gid) == 0)
		return NULL;
	return "unknown group";
}

/* An absolute path to an executable that only its owner may change. */
const char *
conf_value_check_server(const char *s)
{
	struct stat st;

	if (*s != '/')
		return "must be an absolute path";
	if (stat(s, &st) == -1)
		return "does not exist";
	if (!S_ISREG(st.st_mode))
		return "is not a regular file";
	if ((st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0)
		return "is not executable";
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return "is group- or world-writable";
	return NULL;
}

/* yes/no, or the name of a builtin. */
const char *
conf_value_check_internal(const char *s)
{
	int b;

	if (conf_value_boolword(s, &b) || builtin_name_find(s) != BUILTIN_NONE)
		return NULL;
	return "expected yes, no or echo, discard, daytime, time, chargen";
}

/* Whether S[0..LEN) is a shell-style variable name. */
static int
conf_value_is_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || isdigit((unsigned char)s[0]))
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

/* NAME=VALUE. */
const char *
conf_value_check_env(const char *s)
{
	const char *eq = strchr(s, '=');

	if (eq == NULL || !conf_value_is_name(s, (size_t)(eq - s)))
		return "expected NAME=VALUE";
	return NULL;
}

/* A variable name. */
const char *
conf_value_check_name(const char *s)
{
	if (!conf_value_is_name(s, strlen(s)))
		return "not a variable name";
	return NULL;
}

/* An octal mask 0-0777. */
int
conf_value_umask(const char *s, int *mask)
{
	size_t i, n = strlen(s);
	long v;

	if (n == 0 || n > 4)
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '7')
			return -1;
	v = strtol(s, NULL, 8);
	if (v > 0777)
		return -1;
	*mask = (int)v;
	return 0;
}

/* Checker form of conf_value_umask. */
const char *
conf_value_check_umask(const char *s)
{
	int mask;

	if (conf_value_umask(s, &mask) == 0)
		return NULL;
	return "expected octal 000-777";
}

/*
 * A resource limit: a number with an optional K, M, G or T suffix (powers
 * of 1024), or "unlimited", stored as CONF_RLIM_UNLIMITED: spawn maps any
 * negative value but SV_UNSET to RLIM_INFINITY.
 */
int
conf_value_rlimit(const char *s, long long *out)
{
	static const char suffixes[] = "KMGT";
	const char *p;
	char *end;
	unsigned long long n, mul = 1;

	if (strcasecmp(s, "unlimited") == 0 || strcasecmp(s, "infinity") == 0) {
		*out = CONF_RLIM_UNLIMITED;
		return 0;
	}
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end != '\0') {
		if (end[1] != '\0' || (p = strchr(suffixes, toupper((unsigned
		    char)*end))) == NULL)
			return -1;
		mul = 1ULL << (10 * (p - suffixes + 1));
	}
	if (n > (unsigned long long)(LLONG_MAX - 1) / mul)
		return -1;
	*out = (long long)(n * mul);
	return 0;
}

/* Checker form of conf_value_rlimit. */
const char *
conf_value_check_rlimit(const char *s)
{
	long long v;

	if (conf_value_rlimit(s, &v) == 0)
		return NULL;
	return "expected a number with optional K/M/G/T, or unlimited";
}

/* An existing directory, absolute. */
const char *
conf_value_check_dir(const char *s)
{
	struct stat st;

	if (*s != '/')
		return "must be an absolute path";
	if (stat(s, &st) == -1 || !S_ISDIR(st.st_mode))
		return "is not an existing directory";
	return NULL;
}

/* A readable regular file. */
const char *
conf_value_check_file(const char *s)
{
	struct stat st;

	if (lstat(s, &st) == -1)
		return "does not exist";
	if (S_ISLNK(st.st_mode))
		return "is a symbolic link";
	if (!S_ISREG(st.st_mode))
		return "is not a regular file";
	if (access(s, R_OK) == -1)
		return "is not readable";
	return NULL;
}

/* Clear the bits of A (LEN bytes) past PREFIX. */
static void
conf_value_mask(uint8_t *a, size_t len, int prefix)
{
	size_t i;

	for (i = 0; i < len; i++) {
		int keep = prefix - (int)i * 8;

		if (keep >= 8)
			continue;
		a[i] &= keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));
	}
}

/*
 * An address or prefix, masked to its length; a v4-mapped IPv6 entry
 * (::ffff:a.b.c.d/N, N >= 96) is stored as IPv4 so it matches IPv4 peers.
 */
int
conf_value_cidr(const char *s, struct acl_entry *ae)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	long long prefix = -1;
	size_t n = strlen(s);

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n + 1);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		if (conf_value_number(slash, 0, 128, &prefix) == -1 ||
		    *slash == '-')
			return -1;
	}
	memset(ae, 0, sizeof(*ae));
	if (inet_pton(AF_INET, buf, ae->ae_addr) == 1) {
		if (prefix > 32)
			return -1;
		ae->ae_family = AF_INET;
		ae->ae_prefix = prefix < 0 ? 32 : (int)prefix;
	} else if (inet_pton(AF_INET6, buf, ae->ae_addr) == 1) {
		ae->ae_family = AF_INET6;
		ae->ae_prefix = prefix < 0 ? 128 : (int)prefix;
		if (IN6_IS_ADDR_V4MAPPED((struct in6_addr *)ae->ae_addr) &&
		    ae->ae_prefix >= 96) {
			memmove(ae->ae_addr, ae->ae_addr + 12, 4);
			memset(ae->ae_addr + 4, 0, 12);
			ae->ae_family = AF_INET;
			ae->ae_prefix -= 96;
		}
	} else
		return -1;
	conf_value_mask(ae->ae_addr, ae->ae_family == AF_INET ? 4 : 16,
	    ae->ae_prefix);
	return 0;
}

/* Checker form of conf_value_cidr. */
const char *
conf_value_check_cidr(const char *s)
{
	struct acl_entry ae;

	if (conf_value_cidr(s, &ae) == 0)
		return NULL;
	return "expected an IPv4 or IPv6 address or address/prefix";
}

/* HH:MM at S into minutes; the rest in *END. */
static int
conf_value_hhmm(const char *s, int *min, const char **end)
{
	int h, m;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23 || m > 59)
		return -1;
	*min = h * 60 + m;
	*end = s + 5;
	return 0;
}

/* "HH:MM-HH:MM" into a time range. */
int
conf_value_time_range(const char *s, struct time_range *tr)
{
	const char *p;

	if (conf_value_hhmm(s, &tr->tr_start, &p) == -1 || *p != '-')
		return -1;
	if (conf_value_hhmm(p + 1, &tr->tr_end, &p) == -1 || *p != '\0')
		return -1;
	return 0;
}

/* Checker form of conf_value_time_range. */
const char *
conf_value_check_times(const char *s)
{
	struct time_range tr;

	if (conf_value_time_range(s, &tr) == 0)
		return NULL;
	return "expected HH:MM-HH:MM";
}

/* Log word S into its LOGF_* bit in *BIT (0: an accepted no-op), or -1. */
int
conf_value_logflag(const char *s, int *bit)
{
	int i;

	for (i = 0; conf_value_logflags[i].lf_name != NULL; i++)
		if (strcasecmp(s, conf_value_logflags[i].lf_name) == 0) {
			*bit = conf_value_logflags[i].lf_bit;
			return 0;
		}
	return -1;
}

/* Checker form of conf_value_logflag. */
const char *
conf_value_check_logflag(const char *s)
{
	int bit;

	if (conf_value_logflag(s, &bit) == 0)
		return NULL;
	return "expected PID, HOST, EXIT or DURATION";
}

/* protect_system: "strict" or no; NULL if valid, else the reason. */
const char *
conf_value_check_protect(const char *s)
{
	int b;

	if (strcmp(s, "strict") == 0 || (conf_value_boolword(s, &b) &&
	    !b))
		return NULL;
	return "expected strict or no (every mount read-only, or nothing)";
}
