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
 * The values here are raw bytes: each output escapes them its own way.
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
 * The holders of SK into BUF (LEN bytes): "comm,comm" (PIDS 0) or
 * "pid,pid" (PIDS 1), then ",+N" for the holders beyond those named;
 * "unknown" for a socket no process holds (comms), "" without a socket.
 */
const char *
selfcheck_holders_list(const struct selfcheck_sock *sk, int pids, char *buf,
    size_t len)
{
	char num[32];
	size_t off = 0;
	int i;

	buf[0] = '\0';
	if (sk == NULL || (sk->sk_nowners == 0 && pids))
		return buf;
	if (sk->sk_nowners == 0) {
		snprintf(buf, len, "unknown");
		return buf;
	}
	for (i = 0; i < sk->sk_nowners; i++) {
		if (i > 0)
			selfcheck_holders_put(buf, len, &off, ",");
		snprintf(num, sizeof(num), "%d", (int)sk->sk_owners[i].ow_pid);
		selfcheck_holders_put(buf, len, &off, pids ? num :
		    sk->sk_owners[i].ow_comm);
	}
	if (sk->sk_nholders > sk->sk_nowners) {
		snprintf(num, sizeof(num), ",+%d",
		    sk->sk_nholders - sk->sk_nowners);
		selfcheck_holders_put(buf, len, &off, num);
	}
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
 * The holders of the finding F of a JSON report into BUF (LEN bytes), for
 * the periodic log: "pid/comm,pid/comm" with the commands' bytes restored
 * (from "comm_text"; "comm" from an older child), ",+N" for the holders
 * not listed; "unknown" (held by no process), "-" (no socket).
 */
const char *
selfcheck_holders_json(json_t *f, char *buf, size_t len)
{
	json_t *sock = json_object_get(f, "socket"), *own;
	json_t *owners = json_object_get(sock, "owners");
	json_int_t holders = json_integer_value(json_object_get(sock,
	    "holders"));
	char comm[64], num[32];
	const char *text;
	size_t i, off = 0;

	buf[0] = '\0';
	if (!json_is_object(sock))
		return "-";
	if (json_array_size(owners) == 0)
		return "unknown";
	json_array_foreach(owners, i, own) {
		if ((text = json_string_value(json_object_get(own,
		    "comm_text"))) != NULL)
			selfcheck_holders_unescape(text, comm, sizeof(comm));
		else if ((text = json_string_value(json_object_get(own,
		    "comm"))) != NULL)
			snprintf(comm, sizeof(comm), "%s", text);
		else
			snprintf(comm, sizeof(comm), "?");
		snprintf(num, sizeof(num), "%s%lld/", i ? "," : "",
		    (long long)json_integer_value(json_object_get(own, "pid")));
		selfcheck_holders_put(buf, len, &off, num);
		selfcheck_holders_put(buf, len, &off, comm);
	}
	if (holders > (json_int_t)json_array_size(owners)) {
		snprintf(num, sizeof(num), ",+%lld", (long long)(holders -
		    (json_int_t)json_array_size(owners)));
		selfcheck_holders_put(buf, len, &off, num);
	}
	return buf;
}
