/* SPDX-License-Identifier: ISC */
/*
 * Escaping of externally controlled strings (process names, executable
 * paths, file, unit, user and service names) for each output, one function
 * per format.  Every escaper writes into a caller's buffer, always
 * NUL-terminates, never cuts an escape or a character in two, and marks a
 * cut with "..." so a shortened value does not pass for the whole one.
 *
 *   escape_text  text report, terminal: printable text and valid UTF-8
 *                kept; control bytes (C0, DEL, C1), invalid UTF-8 and a
 *                backslash shown as \x1b, \xff, \\ (lossless, one line)
 *   escape_log   a key=value log value: escape_text, then in double quotes
 *                (\" inside) when empty or holding a space, '=' or '"', so
 *                a value cannot forge a field
 *   escape_json  valid UTF-8 for a JSON string: each invalid byte becomes
 *                U+FFFD (the JSON encoder escapes control characters)
 *   escape_prom  a Prometheus label value: escape_text's form, then
 *                backslash, double quote and newline escaped as the text
 *                exposition format wants; valid UTF-8, and it decodes
 *                to what the text report shows
 *   escape_list  items joined by ',' in one of the first three forms, a
 *                comma inside an item as \x2c
 *   escape_line  a whole log line: control bytes and invalid UTF-8 as \xNN
 *                (the last guard for values no caller escaped)
 *
 * Buffers of ESCAPE_SIZE(n) bytes hold any escaped string of n bytes.
 */
#include <stdio.h>
#include <string.h>

#include "superd.h"

#define ESCAPE_CUT "..." /* marks a value the buffer could not hold */

/*
 * The length of the valid UTF-8 character at S (N bytes available): 1 to
 * 4, or 0 when S starts an invalid, overlong, surrogate or truncated
 * sequence (RFC 3629).
 */
size_t
escape_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned c = s[0];
	unsigned long cp;

	if (n == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* Whether the valid character at S (LEN bytes) is a C0, DEL or C1 control. */
static int
escape_is_control(const unsigned char *s, size_t len)
{
	if (len == 1)
		return s[0] < 0x20 || s[0] == 0x7f;
	/* U+0080..U+009F: C2 80..C2 9F (U+009B is a terminal's CSI). */
	return len == 2 && s[0] == 0xc2 && s[1] < 0xa0;
}

/* How escape_text_into spells what it escapes. */
enum escape_mode {
	ESCAPE_TEXT,  /* \xNN and \\ */
	ESCAPE_QUOTED, /* the same, and \" inside double quotes */
	ESCAPE_PROM,  /* the text form with its backslashes and '"' escaped */
	ESCAPE_LINE,  /* controls and invalid bytes only, '\\' kept */
	ESCAPE_JSON,  /* invalid bytes as U+FFFD, everything else kept */
};

/* An output buffer that takes whole pieces only, while they fit. */
struct escape_out {
	char *eo_buf;	  /* destination */
	size_t eo_len;	  /* its size */
	size_t eo_used;	  /* bytes written, without the NUL */
	size_t eo_keep;	  /* bytes kept free for the end (quote, cut, NUL) */
	int eo_cut;	  /* a piece did not fit: nothing more is taken */
};

/* Start an output into BUF (LEN bytes), keeping KEEP bytes for the end. */
static void
escape_begin(struct escape_out *o, char *buf, size_t len, size_t keep)
{
	o->eo_buf = buf;
	o->eo_len = len;
	o->eo_used = 0;
	o->eo_keep = keep + sizeof(ESCAPE_CUT);
	o->eo_cut = 0;
}

/* Append the N bytes at P whole, or mark the output cut. */
static void
escape_put(struct escape_out *o, const void *p, size_t n)
{
	if (o->eo_cut || o->eo_used + n + o->eo_keep > o->eo_len) {
		o->eo_cut = 1;
		return;
	}
	memcpy(o->eo_buf + o->eo_used, p, n);
	o->eo_used += n;
}

/* Terminate the output after TAIL, with the cut mark before it if cut. */
static char *
escape_end(struct escape_out *o, const char *tail)
{
	size_t n = strlen(tail);

	if (o->eo_len < o->eo_keep) {
		/* Too small for anything: an empty string, if even that. */
		if (o->eo_len > 0)
			o->eo_buf[0] = '\0';
		return o->eo_buf;
	}
	if (o->eo_cut) {
		memcpy(o->eo_buf + o->eo_used, ESCAPE_CUT,
		    sizeof(ESCAPE_CUT) - 1);
		o->eo_used += sizeof(ESCAPE_CUT) - 1;
	}
	memcpy(o->eo_buf + o->eo_used, tail, n + 1);
	return o->eo_buf;
}

/*
 * S in its text form into O: valid printable UTF-8 as is, every other byte
 * as \xNN, a backslash as \\; MODE says how a '"' and a backslash of the
 * text form itself are written.
 */
static void
escape_text_into(struct escape_out *o, const char *str, enum escape_mode mode,
    int item)
{
	const unsigned char *s = (const unsigned char *)str;
	const char *bs = mode == ESCAPE_PROM ? "\\\\" : "\\";
	size_t n = strlen(str), len, i, k;
	char piece[16];

	for (i = 0; i < n; i += len ? len : 1) {
		len = escape_utf8_len(s + i, n - i);
		if (mode == ESCAPE_JSON) {
			escape_put(o, len ? (const char *)s + i :
			    "\xef\xbf\xbd", len ? len : 3);
			continue;
		}
		if (s[i] == ',' && item) {
			/* An item of a list: its comma is not a separator. */
			snprintf(piece, sizeof(piece), "%sx2c", bs);
			escape_put(o, piece, strlen(piece));
		} else if (s[i] == '\\' && mode != ESCAPE_LINE) {
			snprintf(piece, sizeof(piece), "%s%s", bs, bs);
			escape_put(o, piece, strlen(piece));
		} else if (s[i] == '"' &&
		    (mode == ESCAPE_QUOTED || mode == ESCAPE_PROM))
			escape_put(o, "\\\"", 2);
		else if (len == 0 || escape_is_control(s + i, len)) {
			/* A C1 control is 2 bytes: both shown. */
			for (k = 0; k < (len ? len : 1); k++) {
				snprintf(piece, sizeof(piece), "%sx%02x", bs,
				    s[i + k]);
				escape_put(o, piece, strlen(piece));
			}
		} else
			escape_put(o, s + i, len);
	}
}

/* S written in MODE into BUF (LEN bytes); returns BUF. */
static char *
escape_run(char *buf, size_t len, const char *s, enum escape_mode mode)
{
	struct escape_out o;

	escape_begin(&o, buf, len, 0);
	escape_text_into(&o, s, mode, 0);
	return escape_end(&o, "");
}

/* S for a terminal or a text report, into BUF (LEN bytes); returns BUF. */
char *
escape_text(char *buf, size_t len, const char *s)
{
	return escape_run(buf, len, s, ESCAPE_TEXT);
}

/*
 * S as the value of a key=value log field, into BUF (LEN bytes): the text
 * form, in double quotes when it is empty or holds a space, '=' or '"'.
 */
char *
escape_log(char *buf, size_t len, const char *s)
{
	struct escape_out o;

	if (*s != '\0' && strpbrk(s, " =\"") == NULL)
		return escape_text(buf, len, s);
	escape_begin(&o, buf, len, 1);
	escape_put(&o, "\"", 1);
	escape_text_into(&o, s, ESCAPE_QUOTED, 0);
	return escape_end(&o, "\"");
}

/* S as valid UTF-8, each invalid byte replaced by U+FFFD; returns BUF. */
char *
escape_json(char *buf, size_t len, const char *s)
{
	return escape_run(buf, len, s, ESCAPE_JSON);
}

/*
 * S as a Prometheus label value (without its quotes) into BUF (LEN
 * bytes): the text form, whose backslashes and '"' are escaped as the
 * exposition format wants; it decodes to what the text report shows.
 */
char *
escape_prom(char *buf, size_t len, const char *s)
{
	return escape_run(buf, len, s, ESCAPE_PROM);
}

/*
 * The N strings ITEMS as one comma-separated value of FORMAT into BUF (LEN
 * bytes), TAIL (as it is: ",+2") after them: each item in that format's
 * text form (escape_text, escape_log, escape_prom), and a comma inside an
 * item written as \x2c, so that no item passes for two (a process named
 * "a,1/sshd" is one holder).  For the log, the whole value is quoted when
 * any item needs it.
 */
char *
escape_list(char *buf, size_t len, const char *const *items, int n,
    const char *tail, enum escape_format format)
{
	enum escape_mode mode = format == ESCAPE_FMT_PROM ? ESCAPE_PROM :
	    ESCAPE_TEXT;
	struct escape_out o;
	int i, quote = 0;

	for (i = 0; format == ESCAPE_FMT_LOG && i < n; i++)
		if (*items[i] == '\0' || strpbrk(items[i], " =\"") != NULL)
			quote = 1;
	if (quote)
		mode = ESCAPE_QUOTED;
	escape_begin(&o, buf, len, (size_t)quote + (tail ? strlen(tail) : 0));
	if (quote)
		escape_put(&o, "\"", 1);
	for (i = 0; i < n; i++) {
		if (i > 0)
			escape_put(&o, ",", 1);
		escape_text_into(&o, items[i], mode, 1);
	}
	if (tail != NULL && !o.eo_cut) {
		o.eo_keep -= strlen(tail);
		escape_put(&o, tail, strlen(tail));
	}
	return escape_end(&o, quote ? "\"" : "");
}

/*
 * The finished log line LINE into BUF (LEN bytes) with its control bytes
 * and invalid UTF-8 as \xNN, backslashes left alone: the last guard of the
 * log, so a value no caller escaped still cannot move the cursor, colour a
 * terminal or start a new line.
 */
char *
escape_line(char *buf, size_t len, const char *line)
{
	return escape_run(buf, len, line, ESCAPE_LINE);
}
