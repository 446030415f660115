/* SPDX-License-Identifier: ISC */
/*
 * The control protocol, shared by the daemon and its client: one JSON
 * object per line each way, {"v":1,"cmd":"reload"} in, {"v":1,"ok":...}
 * out.  Parsing a request never trusts its input.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "control.h"

static const char *const control_cmds[] = {
	[CONTROL_RELOAD] = "reload",
	[CONTROL_STATUS] = "status",
	[CONTROL_STOP] = "stop",
};

/* Fill SUN with the socket address of PATH; -1 (ENAMETOOLONG) if too long. */
int
control_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun->sun_path, path, strlen(path));
	return 0;
}

/* The protocol name of CMD. */
const char *
control_cmd_name(enum control_cmd cmd)
{
	return control_cmds[cmd];
}

/* Find the command NAME; -1 if it is not one. */
int
control_cmd_find(const char *name, enum control_cmd *cmd)
{
	size_t i;

	for (i = 0; i < sizeof(control_cmds) / sizeof(control_cmds[0]); i++)
		if (strcmp(name, control_cmds[i]) == 0) {
			*cmd = (enum control_cmd)i;
			return 0;
		}
	return -1;
}

/*
 * Parse the request LINE (LEN bytes, without its newline) into *CMD.
 * Returns 0, or -1 with the reason in ERR.
 */
int
control_parse_request(const char *line, size_t len, enum control_cmd *cmd,
    char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *req, *v, *c;
	int rc = -1;

	if (len > CONTROL_REQ_MAX) {
		snprintf(err, errlen, "request too long (%zu bytes, at most "
		    "%d)", len, CONTROL_REQ_MAX);
		return -1;
	}
	if ((req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		snprintf(err, errlen, "malformed request: %s", jerr.text);
		return -1;
	}
	v = json_object_get(req, "v");
	c = json_object_get(req, "cmd");
	if (!json_is_object(req))
		snprintf(err, errlen, "malformed request: not a JSON object");
	else if (!json_is_integer(v))
		snprintf(err, errlen, "malformed request: no integer 'v'");
	else if (json_integer_value(v) != CONTROL_VERSION)
		snprintf(err, errlen, "unsupported protocol version %lld "
		    "(this superd speaks %d)", (long long)json_integer_value(v),
		    CONTROL_VERSION);
	else if (!json_is_string(c))
		snprintf(err, errlen, "malformed request: no string 'cmd'");
	else if (control_cmd_find(json_string_value(c), cmd) == -1)
		snprintf(err, errlen, "unknown command (reload, status, stop)");
	else
		rc = 0;
	json_decref(req);
	return rc;
}

/* A JSON string of S, its invalid UTF-8 as U+FFFD (escape_json), so that
 * the reply is always valid JSON; null for NULL. */
json_t *
control_json_str(const char *s)
{
	size_t len;
	char *buf;
	json_t *j;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	len = ESCAPE_SIZE(strlen(s));
	if ((buf = malloc(len)) == NULL)
		return NULL;
	j = json_string(escape_json(buf, len, s));
	free(buf);
	return j;
}

/* O (its reference taken) as one compact line with its newline; NULL if
 * out of memory. */
char *
control_dump_line(json_t *o)
{
	char *s, *line = NULL;

	if (o == NULL)
		return NULL;
	if ((s = json_dumps(o, JSON_COMPACT)) != NULL &&
	    asprintf(&line, "%s\n", s) == -1)
		line = NULL;
	free(s);
	json_decref(o);
	return line;
}

/* The error reply with the text WHY, as a line (see control_dump_line). */
char *
control_reply_error(const char *why)
{
	return control_dump_line(json_pack("{s:i, s:b, s:o}", "v",
	    CONTROL_VERSION, "ok", 0, "error", control_json_str(why)));
}
