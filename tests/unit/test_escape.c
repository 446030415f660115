/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the escapers (src/escape.c): every format keeps valid
 * printable UTF-8, escapes control bytes and invalid UTF-8 its own way,
 * never cuts a character or an escape in two, and marks a cut.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "superd.h"

/* One input and what each escaper makes of it. */
struct esc_case {
	const char *ec_in;   /* raw bytes */
	const char *ec_text; /* escape_text */
	const char *ec_log;  /* escape_log */
	const char *ec_json; /* escape_json */
	const char *ec_prom; /* escape_prom */
};

static const struct esc_case cases[] = {
	{ "sshd", "sshd", "sshd", "sshd", "sshd" },
	{ "", "", "\"\"", "", "" },
	{ "caf\xc3\xa9", "caf\xc3\xa9", "caf\xc3\xa9", "caf\xc3\xa9",
	  "caf\xc3\xa9" },
	/* An ANSI escape and a byte that is not UTF-8. */
	{ "\x1b[31mev\xff", "\\x1b[31mev\\xff", "\\x1b[31mev\\xff",
	  "\x1b[31mev\xef\xbf\xbd", "\\\\x1b[31mev\\\\xff" },
	/* A forged log field. */
	{ "x severity=OK", "x severity=OK", "\"x severity=OK\"",
	  "x severity=OK", "x severity=OK" },
	{ "a\"b\\c", "a\"b\\\\c", "\"a\\\"b\\\\c\"", "a\"b\\c",
	  "a\\\"b\\\\\\\\c" },
	{ "l1\nl2", "l1\\x0al2", "l1\\x0al2", "l1\nl2", "l1\\\\x0al2" },
	/* C1 CSI (U+009B), DEL, a surrogate, an overlong '/', U+10FFFF. */
	{ "\xc2\x9b\x7f", "\\xc2\\x9b\\x7f", "\\xc2\\x9b\\x7f", "\xc2\x9b\x7f",
	  "\\\\xc2\\\\x9b\\\\x7f" },
	{ "\xed\xa0\x80", "\\xed\\xa0\\x80", "\\xed\\xa0\\x80",
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	  "\\\\xed\\\\xa0\\\\x80" },
	{ "\xc0\xaf", "\\xc0\\xaf", "\\xc0\\xaf",
	  "\xef\xbf\xbd\xef\xbf\xbd", "\\\\xc0\\\\xaf" },
	{ "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf",
	  "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf" },
	/* A path cut in the middle of a character (readlink at 255 bytes). */
	{ "/opt/\xe2\x82", "/opt/\\xe2\\x82", "/opt/\\xe2\\x82",
	  "/opt/\xef\xbf\xbd\xef\xbf\xbd", "/opt/\\\\xe2\\\\x82" },
};

/* Every case through every escaper. */
static void
test_escape_cases(void **state)
{
	char buf[ESCAPE_SIZE(64)];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct esc_case *c = &cases[i];

		assert_string_equal(escape_text(buf, sizeof(buf), c->ec_in),
		    c->ec_text);
		assert_string_equal(escape_log(buf, sizeof(buf), c->ec_in),
		    c->ec_log);
		assert_string_equal(escape_json(buf, sizeof(buf), c->ec_in),
		    c->ec_json);
		assert_string_equal(escape_prom(buf, sizeof(buf), c->ec_in),
		    c->ec_prom);
	}
}

/* Whether S is valid UTF-8 through and through. */
static int
valid_utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i, len;

	for (i = 0; i < n; i += len)
		if ((len = escape_utf8_len(u + i, n - i)) == 0)
			return 0;
	return 1;
}

/* Every byte value, alone and in pairs: each output is valid UTF-8. */
static void
test_escape_all_bytes_valid(void **state)
{
	char in[3], buf[ESCAPE_SIZE(2)];
	int a, b;

	(void)state;
	for (a = 1; a < 256; a++)
		for (b = 0; b < 256; b++) {
			in[0] = (char)a;
			in[1] = (char)b;
			in[2] = '\0';
			assert_true(valid_utf8(escape_text(buf, sizeof(buf), in)));
			assert_true(valid_utf8(escape_json(buf, sizeof(buf), in)));
			assert_true(valid_utf8(escape_prom(buf, sizeof(buf), in)));
			assert_true(valid_utf8(escape_log(buf, sizeof(buf), in)));
			assert_null(strpbrk(escape_text(buf, sizeof(buf), in),
			    "\n\r\x1b"));
			assert_null(strchr(escape_prom(buf, sizeof(buf), in),
			    '\n'));
		}
}

/* A value that does not fit ends with "..." and never mid-escape. */
static void
test_escape_cut(void **state)
{
	char buf[12];

	(void)state;
	assert_string_equal(escape_text(buf, sizeof(buf), "abcdefghijklmn"),
	    "abcdefgh...");
	assert_string_equal(escape_text(buf, sizeof(buf), "abcdef\x1b\x1b"),
	    "abcdef...");
	assert_string_equal(escape_json(buf, sizeof(buf), "abcde\xe2\x82\xac"
	    "xyz"), "abcde\xe2\x82\xac...");
	/* A quoted log value keeps its closing quote. */
	assert_string_equal(escape_log(buf, sizeof(buf), "a b c d e f g h"),
	    "\"a b c ...\"");
	assert_string_equal(escape_text(buf, 3, "abc"), "");
	assert_string_equal(escape_text(buf, 1, "abc"), "");
}

/*
 * Lists: each item in its output's form, a comma inside an item as \x2c
 * so that no item reads as two; the log value quoted when any item needs
 * it; the tail kept whole or dropped with the cut mark.
 */
static void
test_escape_list(void **state)
{
	const char *const items[] = { "a,1/sshd", "b=c", "\x1b\\" };
	char buf[ESCAPE_SIZE(64)], small[16];

	(void)state;
	assert_string_equal(escape_list(buf, sizeof(buf), items, 1, ",+2",
	    ESCAPE_FMT_TEXT), "a\\x2c1/sshd,+2");
	assert_string_equal(escape_list(buf, sizeof(buf), items, 3, NULL,
	    ESCAPE_FMT_TEXT), "a\\x2c1/sshd,b=c,\\x1b\\\\");
	/* '=' in one item quotes the whole log value, never an item. */
	assert_string_equal(escape_list(buf, sizeof(buf), items, 3, "",
	    ESCAPE_FMT_LOG), "\"a\\x2c1/sshd,b=c,\\x1b\\\\\"");
	assert_string_equal(escape_list(buf, sizeof(buf), items, 1, "",
	    ESCAPE_FMT_LOG), "a\\x2c1/sshd");
	/* Prometheus: the text form with its backslashes doubled. */
	assert_string_equal(escape_list(buf, sizeof(buf), items, 3, ",+1",
	    ESCAPE_FMT_PROM), "a\\\\x2c1/sshd,b=c,\\\\x1b\\\\\\\\,+1");
	assert_string_equal(escape_list(buf, sizeof(buf), items, 0, "",
	    ESCAPE_FMT_TEXT), "");
	/* Too long: cut with "...", the tail dropped with the rest. */
	assert_string_equal(escape_list(small, sizeof(small), items, 3, ",+9",
	    ESCAPE_FMT_TEXT), "a\\x2c1/ss...");
}

/* The log line guard: controls and invalid bytes only, backslashes kept. */
static void
test_escape_line(void **state)
{
	char buf[ESCAPE_SIZE(64)];

	(void)state;
	assert_string_equal(escape_line(buf, sizeof(buf),
	    "owner=\"a\\\"b\" x\x1b\n\xff"), "owner=\"a\\\"b\" x\\x1b\\x0a\\xff");
	assert_string_equal(escape_line(buf, sizeof(buf), "caf\xc3\xa9 \t"),
	    "caf\xc3\xa9 \\x09");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_cases),
		cmocka_unit_test(test_escape_all_bytes_valid),
		cmocka_unit_test(test_escape_cut),
		cmocka_unit_test(test_escape_line),
		cmocka_unit_test(test_escape_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
