/* SPDX-License-Identifier: ISC */
/*
 * The holders of a socket as one value, every one of them named: the
 * Prometheus labels (owner "comm,comm,+N", pid "pid,pid") and the daemon's
 * periodic log line (owner "pid/comm,pid/comm,+N"), which the daemon reads
 * back from the JSON report of its audit child.  The JSON carries each
 * owner's command in its text form too ("comm_text", lossless: \xNN for a
 * control byte or invalid UTF-8, \\ for a backslash) beside the UTF-8
 * "comm" (U+FFFD for an invalid byte): the daemon restores the bytes from
 * it, so its log escapes them exactly as the one-shot text report does.
 * Each list is escaped item by item for its output (escape_list), so a
 * comma in a process name cannot make one holder read as two.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "selfcheck.h"

/* Append the NUL-terminated S to BUF (LEN bytes) at *OFF, cut if full. */
static void
selfcheck_holders_put(char *buf, size_t len, size_t *off, const char *s)
{
	int n;

	if (*off >= len)
		return;
	n = snprintf(buf + *off, len - *off, "%s", s);
	*off = n < 0 ? len : *off + (size_t)n;
}

/*
 * The holders of SK into BUF (LEN bytes), as Prometheus label values:
 * "comm,comm" (PIDS 0; escape_list, a comma in a name as \x2c) or
 * "pid,pid" (PIDS 1), then ",+N" for the holders beyond those named;
 * "unknown" for a socket no process holds (comms), "" without a socket.
 */
const char *
selfcheck_holders_list(const struct selfcheck_sock *sk, int pids, char *buf,
    size_t len)
{
	const char *items[SELFCHECK_MAXOWN];
	char num[32], tail[32] = "";
	size_t off = 0;
	int i;

	buf[0] = '\0';
	if (sk == NULL || (sk->sk_nowners == 0 && pids))
		return buf;
	if (sk->sk_nowners == 0) {
		snprintf(buf, len, "unknown");
		return buf;
	}
	if (sk->sk_nholders > sk->sk_nowners)
		snprintf(tail, sizeof(tail), ",+%d",
		    sk->sk_nholders - sk->sk_nowners);
	if (!pids) {
		for (i = 0; i < sk->sk_nowners; i++)
			items[i] = sk->sk_owners[i].ow_comm;
		return escape_list(buf, len, items, sk->sk_nowners, tail,
		    ESCAPE_FMT_PROM);
	}
	for (i = 0; i < sk->sk_nowners; i++) {
		snprintf(num, sizeof(num), "%s%d", i > 0 ? "," : "",
		    (int)sk->sk_owners[i].ow_pid);
		selfcheck_holders_put(buf, len, &off, num);
	}
	selfcheck_holders_put(buf, len, &off, tail);
	return buf;
}

/*
 * The text form S (escape_text: \\ and \xNN) back into its bytes, in BUF
 * (LEN bytes); anything else is copied as it is.
 */
char *
selfcheck_holders_unescape(const char *s, char *buf, size_t len)
{
	size_t o = 0;
	unsigned v;

	for (; *s != '\0' && o + 1 < len; o++) {
		if (s[0] == '\\' && s[1] == '\\') {
			buf[o] = '\\';
			s += 2;
		} else if (s[0] == '\\' && s[1] == 'x' &&
		    sscanf(s + 2, "%2x", &v) == 1 && strspn(s + 2,
		    "0123456789abcdefABCDEF") >= 2 && v != 0) {
			buf[o] = (char)v;
			s += 4;
		} else
			buf[o] = *s++;
	}
	buf[o] = '\0';
	return buf;
}

/*
 * The holders of the finding F of a JSON report into BUF (LEN bytes), as
 * the value of the periodic log's owner field (escape_list: escaped,
 * quoted when needed, a comma in a name as \x2c): "pid/comm,pid/comm"
 * with the commands' bytes restored (from "comm_text"; "comm" from an
 * older child), ",+N" for the holders not listed; "unknown" (held by no
 * process), "-" (no socket).
 */
const char *
selfcheck_holders_json(json_t *f, char *buf, size_t len)
{
	json_t *sock = json_object_get(f, "socket"), *own;
	json_t *owners = json_object_get(sock, "owners");
	json_int_t holders = json_integer_value(json_object_get(sock,
	    "holders"));
	char comm[64], item[SELFCHECK_MAXOWN][96], tail[32] = "";
	const char *items[SELFCHECK_MAXOWN], *text;
	size_t i, n = 0;

	if (!json_is_object(sock))
		return "-";
	if (json_array_size(owners) == 0)
		return "unknown";
	json_array_foreach(owners, i, own) {
		if (n == SELFCHECK_MAXOWN)
			break;
		if ((text = json_string_value(json_object_get(own,
		    "comm_text"))) != NULL)
			selfcheck_holders_unescape(text, comm, sizeof(comm));
		else if ((text = json_string_value(json_object_get(own,
		    "comm"))) != NULL)
			snprintf(comm, sizeof(comm), "%s", text);
		else
			snprintf(comm, sizeof(comm), "?");
		snprintf(item[n], sizeof(item[n]), "%lld/%s",
		    (long long)json_integer_value(json_object_get(own, "pid")),
		    comm);
		items[n] = item[n];
		n++;
	}
	if (holders > (json_int_t)n)
		snprintf(tail, sizeof(tail), ",+%lld", (long long)(holders -
		    (json_int_t)n));
	return escape_list(buf, len, items, (int)n, tail, ESCAPE_FMT_LOG);
}
