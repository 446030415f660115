/* SPDX-License-Identifier: ISC */
/*
 * The rules of /etc/hosts.allow and /etc/hosts.deny held in memory, so
 * that the daemon decides a connection without reading a file: parsed
 * once (at start, at reload, and when wrap.c sees a file change), matched
 * per connection with string and address compares only.
 *
 * Matching follows libwrap (tcp_wrappers 7.6 with Debian's patches) for
 * the rules the daemon may decide: daemon and client lists split at
 * blanks and commas, EXCEPT, ALL, exact and "prefix." address strings,
 * net/mask, [IPv6] and [IPv6]/prefix, the host name and user taken as
 * "unknown" (so KNOWN and LOCAL never match, UNKNOWN always does, and a
 * host name pattern is matched against "unknown").  The first match in
 * hosts.allow allows, then the first in
 * hosts.deny denies, else the client is allowed.  As libwrap reads them,
 * a line not ended by a newline, or longer than 2,047 bytes, is no rule,
 * a comment is a line whose first byte is '#', and a backslash at the
 * end of a line continues it.  A rule the address cannot decide (a host
 * name, LOCAL, KNOWN, a pattern, user@host, options...) marks the whole
 * set not simple: wrap.c then lets libwrap decide a command in its child,
 * where a lookup may block.  A builtin, decided with its client's host
 * name unknown, is still decided in memory unless a rule needs a lookup
 * or a file even then (@netgroup, user@host, /file, a wildcard pattern,
 * options): wr_memory.  tests/unit/test_wrap_rules.c compares every case
 * with libwrap.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "superd.h"

#define WRAP_RULES_LINE 2048  /* libwrap's BUFLEN: longer lines are skipped */
#define WRAP_RULES_SEP ", \t\r\n" /* list separators, as libwrap's */

/* Whether client pattern TOK is decided by the peer's address alone. */
static int
wrap_rules_token_simple(const char *tok)
{
	if (strcasecmp(tok, "ALL") == 0 || strcasecmp(tok, "EXCEPT") == 0)
		return 1;
	if (tok[0] == '[')
		return strchr(tok, '@') == NULL && strpbrk(tok, "*?") == NULL;
	return tok[strspn(tok, "0123456789./")] == '\0';
}

/*
 * Whether client pattern TOK is decided in memory for a client whose host
 * name and user are unknown: no netgroup, user@host, file or wildcard.
 */
static int
wrap_rules_token_memory(const char *tok)
{
	return tok[0] != '/' && strpbrk(tok, "@*?") == NULL;
}

/* Whether daemon pattern TOK is matched by the name alone, as we match it. */
static int
wrap_rules_daemon_simple(const char *tok)
{
	return strpbrk(tok, "@*?") == NULL;
}

/* Split list TEXT into *V (libwrap's separators); -1 when out of memory. */
static int
wrap_rules_split(char *text, char ***v)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(text, WRAP_RULES_SEP, &save); tok != NULL;
	    tok = strtok_r(NULL, WRAP_RULES_SEP, &save))
		if (strv_push(v, tok) == -1)
			return -1;
	return 0;
}

/* The ':' of LINE outside brackets (libwrap's split_at), or NULL. */
static char *
wrap_rules_colon(char *line)
{
	int depth = 0;

	for (; *line != '\0'; line++) {
		if (*line == '[')
			depth++;
		else if (*line == ']')
			depth--;
		else if (depth == 0 && *line == ':')
			return line;
	}
	return NULL;
}

/* Add the rule LINE (continuations joined) to RULES; -1 when out of memory. */
static int
wrap_rules_line(struct wrap_rules *rules, char *line, int deny)
{
	struct wrap_rule *r, *grown;
	char *clients, *opts, **p;

	if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
		return 0;
	if ((clients = wrap_rules_colon(line)) == NULL)
		return 0;	/* libwrap: missing ":" separator, no rule */
	*clients++ = '\0';
	if ((opts = wrap_rules_colon(clients)) != NULL) {
		*opts = '\0';
		rules->wr_simple = 0;	/* options run only where tcpd runs */
		rules->wr_memory = 0;
	}
	grown = realloc(rules->wr_rules, (rules->wr_n + 1) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	rules->wr_rules = grown;
	r = memset(&grown[rules->wr_n], 0, sizeof(*r));
	r->wr_deny = deny;
	rules->wr_n++;
	if (wrap_rules_split(line, &r->wr_daemons) == -1 ||
	    wrap_rules_split(clients, &r->wr_clients) == -1)
		return -1;
	for (p = r->wr_daemons; p != NULL && *p != NULL; p++)
		if (!wrap_rules_daemon_simple(*p))
			rules->wr_simple = rules->wr_memory = 0;
	for (p = r->wr_clients; p != NULL && *p != NULL; p++) {
		if (!wrap_rules_token_simple(*p))
			rules->wr_simple = 0;
		if (!wrap_rules_token_memory(*p))
			rules->wr_memory = 0;
	}
	return 0;
}

/*
 * Add every rule of FP (hosts.deny when DENY) to RULES, read as libwrap
 * reads it; -1 when out of memory.
 */
int
wrap_rules_read(struct wrap_rules *rules, FILE *fp, int deny)
{
	char *line = NULL, rule[WRAP_RULES_LINE];
	size_t cap = 0, len = 0, n;
	ssize_t got;
	int rc = 0;

	while (rc == 0 && (got = getline(&line, &cap, fp)) != -1) {
		n = (size_t)got;
		if (len + n >= sizeof(rule)) {
			len = 0;	/* too long: libwrap skips it */
			continue;
		}
		memcpy(rule + len, line, n + 1);
		len += n;
		if (len >= 2 && rule[len - 1] == '\n' && rule[len - 2] == '\\') {
			len -= 2;	/* continued on the next line */
			continue;
		}
		if (rule[len - 1] == '\n')
			rc = wrap_rules_line(rules, rule, deny);
		len = 0;	/* no newline at the end: no rule */
	}
	free(line);
	return rc;
}

/* A set with no rule: every client allowed, decided by the address. */
void
wrap_rules_init(struct wrap_rules *rules)
{
	memset(rules, 0, sizeof(*rules));
	rules->wr_simple = rules->wr_memory = 1;
}

/* Free what RULES holds; it is empty (and simple) after. */
void
wrap_rules_clear(struct wrap_rules *rules)
{
	size_t i;

	for (i = 0; i < rules->wr_n; i++) {
		strv_free(rules->wr_rules[i].wr_daemons);
		strv_free(rules->wr_rules[i].wr_clients);
	}
	free(rules->wr_rules);
	wrap_rules_init(rules);
}

/* libwrap's string_match of pattern TOK against STR (no host name forms). */
static int
wrap_rules_string(const char *tok, const char *str)
{
	size_t n = strlen(tok), m = strlen(str);
	unsigned char a[16], b[16];

	if (tok[0] == '.')
		return m > n && strcasecmp(tok, str + m - n) == 0;
	if (strcasecmp(tok, "ALL") == 0 || strcasecmp(tok, "KNOWN") == 0)
		return 1;	/* the daemon name and address are known */
	if (n > 0 && tok[n - 1] == '.')
		return strncasecmp(tok, str, n) == 0;
	if (n > 2 && tok[0] == '[' && tok[n - 1] == ']') {
		char in[INET6_ADDRSTRLEN];

		if (n - 2 >= sizeof(in))
			return 0;
		memcpy(in, tok + 1, n - 2);
		in[n - 2] = '\0';
		return inet_pton(AF_INET6, in, a) == 1 &&
		    inet_pton(AF_INET6, str, b) == 1 && memcmp(a, b, 16) == 0;
	}
	return strcasecmp(tok, str) == 0;
}

/* Whether the first BITS bits of A and B agree. */
static int
wrap_rules_prefix(const unsigned char *a, const unsigned char *b, long bits)
{
	long i;

	for (i = 0; i < bits; i++)
		if (((a[i / 8] ^ b[i / 8]) >> (7 - i % 8)) & 1)
			return 0;
	return 1;
}

/* libwrap's masked_match: NET/MASK against the address ADDR. */
static int
wrap_rules_masked(const char *net, const char *mask, const char *addr)
{
	unsigned char a[16], n[16];
	struct in_addr ia, in, im;
	char buf[INET6_ADDRSTRLEN], *end;
	size_t len = strlen(net);
	long bits;

	if (net[0] == '[') {
		if (len < 3 || net[len - 1] != ']' || len - 2 >= sizeof(buf))
			return 0;
		memcpy(buf, net + 1, len - 2);
		buf[len - 2] = '\0';
		bits = strtol(mask, &end, 10);
		if (*mask == '\0' || *end != '\0' || bits < 0 || bits > 128 ||
		    inet_pton(AF_INET6, buf, n) != 1 ||
		    inet_pton(AF_INET6, addr, a) != 1)
			return 0;
		return wrap_rules_prefix(a, n, bits);
	}
	if (inet_pton(AF_INET, addr, &ia) != 1 ||
	    inet_pton(AF_INET, net, &in) != 1)
		return 0;
	if (inet_pton(AF_INET, mask, &im) != 1) {
		bits = strtol(mask, &end, 10);	/* Debian: net/prefix */
		if (*mask == '\0' || *end != '\0' || bits < 0 || bits > 32)
			return 0;
		im.s_addr = bits == 0 ? 0 : htonl(0xffffffffu << (32 - bits));
	}
	return (ia.s_addr & im.s_addr) == in.s_addr;
}

/*
 * libwrap's host_match of client pattern TOK (wr_memory) for the client at
 * ADDR whose host name is unknown.
 */
static int
wrap_rules_client(const char *tok, const char *addr)
{
	char buf[WRAP_RULES_LINE];
	const char *slash = strchr(tok, '/');

	if (strcasecmp(tok, "ALL") == 0)
		return 1;
	if (strcasecmp(tok, "KNOWN") == 0 || strcasecmp(tok, "LOCAL") == 0)
		return 0;	/* both need a known host name */
	if (slash != NULL && (size_t)(slash - tok) < sizeof(buf)) {
		memcpy(buf, tok, (size_t)(slash - tok));
		buf[slash - tok] = '\0';
		return wrap_rules_masked(buf, slash + 1, addr);
	}
	return wrap_rules_string(tok, addr) ||
	    (tok[strspn(tok, "0123456789./")] != '\0' &&
	    wrap_rules_string(tok, "unknown"));
}

/*
 * libwrap's list_match over V from index I: a match counts unless a later
 * EXCEPT list matches too.  CLIENT: V holds client patterns (else daemon
 * patterns), matched against S.
 */
static int
wrap_rules_list(char *const *v, size_t i, const char *s, int client)
{
	for (; v != NULL && v[i] != NULL; i++) {
		if (strcasecmp(v[i], "EXCEPT") == 0)
			return 0;
		if (client ? wrap_rules_client(v[i], s) :
		    wrap_rules_string(v[i], s)) {
			while (v[++i] != NULL && strcasecmp(v[i], "EXCEPT") !=
			    0)
				;
			return v[i] == NULL || !wrap_rules_list(v, i + 1, s,
			    client);
		}
	}
	return 0;
}

/*
 * Whether RULES (wr_simple, or wr_memory for a client whose host name is
 * taken as unknown) let the client at ADDR (numeric text) use the daemon
 * DAEMON, as libwrap would decide with the host name unknown.
 */
int
wrap_rules_permit(const struct wrap_rules *rules, const char *daemon,
    const char *addr)
{
	const struct wrap_rule *r;
	int deny;
	size_t i;

	for (deny = 0; deny <= 1; deny++)
		for (i = 0; i < rules->wr_n; i++) {
			r = &rules->wr_rules[i];
			if (r->wr_deny == deny &&
			    wrap_rules_list(r->wr_daemons, 0, daemon, 0) &&
			    wrap_rules_list(r->wr_clients, 0, addr, 1))
				return !deny;
		}
	return 1;
}
