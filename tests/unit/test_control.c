/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the control protocol's request parser: every command, and
 * each kind of malformed request gets a reason, never a crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "superd.h"

/* Parse the NUL-terminated LINE; the result, the command and the reason. */
static int
parse(const char *line, enum control_cmd *cmd, char *err, size_t len)
{
	return control_parse_request(line, strlen(line), cmd, err, len);
}

/* Assert that LINE is refused with a reason containing WANT. */
static void
assert_refused(const char *line, size_t n, const char *want)
{
	enum control_cmd cmd;
	char err[256] = "";

	assert_int_equal(control_parse_request(line, n, &cmd, err,
	    sizeof(err)), -1);
	if (strstr(err, want) == NULL)
		fail_msg("\"%s\": reason \"%s\" lacks \"%s\"", line, err, want);
}

static void
test_every_command_parses(void **state)
{
	enum control_cmd cmd;
	char err[256];

	(void)state;
	assert_int_equal(parse("{\"v\":1,\"cmd\":\"reload\"}", &cmd, err,
	    sizeof(err)), 0);
	assert_int_equal(cmd, CONTROL_RELOAD);
	assert_int_equal(parse("{\"cmd\":\"status\",\"v\":1}", &cmd, err,
	    sizeof(err)), 0);
	assert_int_equal(cmd, CONTROL_STATUS);
	assert_int_equal(parse(" { \"v\" : 1 , \"cmd\" : \"stop\" } ", &cmd,
	    err, sizeof(err)), 0);
	assert_int_equal(cmd, CONTROL_STOP);
	assert_string_equal(control_cmd_name(CONTROL_RELOAD), "reload");
}

static void
test_unknown_fields_are_ignored(void **state)
{
	enum control_cmd cmd;
	char err[256];

	(void)state;
	assert_int_equal(parse("{\"v\":1,\"cmd\":\"status\",\"x\":[1,2]}",
	    &cmd, err, sizeof(err)), 0);
	assert_int_equal(cmd, CONTROL_STATUS);
}

static void
test_malformed_requests_get_a_reason(void **state)
{
	(void)state;
	assert_refused("", 0, "malformed request");
	assert_refused("garbage", 7, "malformed request");
	assert_refused("{\"v\":1,\"cmd\":\"status\"", 21, "malformed request");
	assert_refused("[\"v\",1]", 7, "not a JSON object");
	assert_refused("\"status\"", 8, "malformed request");
	assert_refused("{\"cmd\":\"status\"}", 16, "no integer 'v'");
	assert_refused("{\"v\":\"1\",\"cmd\":\"status\"}", 24, "no integer 'v'");
	assert_refused("{\"v\":1}", 7, "no string 'cmd'");
	assert_refused("{\"v\":1,\"cmd\":7}", 15, "no string 'cmd'");
	assert_refused("{\"v\":1,\"cmd\":\"rm -rf\"}", 22, "unknown command");
	assert_refused("{\"v\":1,\"cmd\":\"\"}", 16, "unknown command");
	assert_refused("{\"v\":2,\"cmd\":\"status\"}", 22,
	    "unsupported protocol version 2");
	assert_refused("{\"v\":1,\"v\":1,\"cmd\":\"stop\"}", 26,
	    "malformed request");
}

static void
test_a_nul_byte_is_refused(void **state)
{
	static const char line[] = "{\"v\":1,\"cmd\":\"stop\0\"}";

	(void)state;
	assert_refused(line, sizeof(line) - 1, "malformed request");
}

static void
test_a_request_over_4_kib_is_refused(void **state)
{
	size_t n = 1 << 20;
	char *big = malloc(n);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	memcpy(big, "{\"v\":1,\"cmd\":\"status\"}", 22);
	assert_refused(big, n, "request too long");
	assert_refused(big, 4097, "request too long");
	free(big);
}

static void
test_deep_nesting_is_refused_not_crashed(void **state)
{
	char line[4096];

	(void)state;
	memset(line, '[', sizeof(line));
	assert_refused(line, sizeof(line), "malformed request");
}

static void
test_error_reply_is_one_line_of_json(void **state)
{
	char *line = control_reply_error("bad \"x\"\n\x01\xff");
	json_t *o;

	(void)state;
	assert_non_null(line);
	assert_non_null(strchr(line, '\n'));
	assert_string_equal(strchr(line, '\n'), "\n");	/* one line */
	o = json_loads(line, 0, NULL);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "v")), 1);
	assert_true(json_is_false(json_object_get(o, "ok")));
	assert_string_equal(json_string_value(json_object_get(o, "error")),
	    "bad \"x\"\n\x01\xef\xbf\xbd");
	json_decref(o);
	free(line);
}

static void
test_client_words(void **state)
{
	(void)state;
	assert_true(control_client_is_cmd("reload"));
	assert_true(control_client_is_cmd("status"));
	assert_true(control_client_is_cmd("stop"));
	assert_false(control_client_is_cmd("-t"));
	assert_false(control_client_is_cmd("--selfcheck"));
	assert_false(control_client_is_cmd(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command_parses),
		cmocka_unit_test(test_unknown_fields_are_ignored),
		cmocka_unit_test(test_malformed_requests_get_a_reason),
		cmocka_unit_test(test_a_nul_byte_is_refused),
		cmocka_unit_test(test_a_request_over_4_kib_is_refused),
		cmocka_unit_test(test_deep_nesting_is_refused_not_crashed),
		cmocka_unit_test(test_error_reply_is_one_line_of_json),
		cmocka_unit_test(test_client_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
