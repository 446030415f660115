/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer harness: the report writers of the self-audit (text, JSON,
 * Prometheus) with arbitrary process names, executable paths and service
 * names.  The input's first bytes choose kinds, probe states and owner
 * counts; the rest, split at NUL bytes, gives the strings.  Each run
 * checks what every output promises, and aborts when one breaks it:
 *   - the JSON parses and keeps every owner, its pid and its order;
 *   - the Prometheus text is valid UTF-8, one sample or comment per line,
 *     every label value closed, only \\, \" and \n escapes in it;
 *   - the text report is valid UTF-8 without a control byte but newlines
 *     and its own colours (a name cannot bring an escape sequence);
 *   - the advice of every finding (names in it) holds the same promises.
 */
#include <jansson.h>

#include "selfcheck.h"
#include "fuzz.h"

#define FUZZ_NFIND 4 /* findings per run */

/* Abort unless the N bytes at S are valid UTF-8 and, if NOCTL, hold no
   control byte other than a newline. */
static void
fuzz_check_utf8(const char *s, size_t n, int noctl)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, len;

	for (i = 0; i < n; i += len) {
		if ((len = escape_utf8_len(u + i, n - i)) == 0)
			abort();
		if (noctl && len == 1 && u[i] != '\n' &&
		    (u[i] < 0x20 || u[i] == 0x7f))
			abort();
		if (noctl && len == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0)
			abort();
	}
}

/* Abort unless LINE (without its newline) is a comment or a sample whose
   label values are closed and use only the three escapes. */
static void
fuzz_check_prom_line(const char *line, size_t n)
{
	size_t i = 0;
	int in = 0;

	if (n > 0 && line[0] == '#')
		return;
	while (i < n && line[i] != '{' && line[i] != ' ')
		i++;
	for (; i < n; i++) {
		if (!in && line[i] == '"')
			in = 1;
		else if (in && line[i] == '"')
			in = 0;
		else if (in && line[i] == '\\') {
			if (i + 1 >= n || strchr("\\\"n", line[i + 1]) == NULL)
				abort();
			i++;
		}
	}
	if (in)
		abort();
}

/* Abort unless the exposition BUF (N bytes) holds its promises. */
static void
fuzz_check_prom(const char *buf, size_t n)
{
	const char *p = buf, *nl;

	fuzz_check_utf8(buf, n, 1);
	while (p < buf + n && (nl = memchr(p, '\n', buf + n - p)) != NULL) {
		fuzz_check_prom_line(p, (size_t)(nl - p));
		p = nl + 1;
	}
	if (p != buf + n)
		abort();
}

/* Abort unless JSON parses and keeps every owner of RS, in order. */
static void
fuzz_check_json(const char *text, const struct selfcheck_result *rs)
{
	json_t *root, *owners;
	json_error_t err;
	size_t i;
	int k;

	if (text == NULL || (root = json_loads(text, 0, &err)) == NULL)
		abort();
	for (i = 0; i < rs->rs_n; i++) {
		const struct selfcheck_sock *sk = rs->rs_v[i].fd_sock;

		owners = json_object_get(json_object_get(json_array_get(
		    json_object_get(root, "findings"), i), "socket"), "owners");
		if (sk == NULL)
			continue;
		if ((int)json_array_size(owners) != sk->sk_nowners)
			abort();
		for (k = 0; k < sk->sk_nowners; k++)
			if (json_integer_value(json_object_get(json_array_get(
			    owners, k), "pid")) != sk->sk_owners[k].ow_pid)
				abort();
	}
	json_decref(root);
}

/* The next NUL-terminated piece of the input into BUF (LEN bytes). */
static void
fuzz_take(const uint8_t **p, const uint8_t *end, char *buf, size_t len)
{
	size_t n = 0;

	while (*p < end && **p != '\0' && n + 1 < len)
		buf[n++] = (char)*(*p)++;
	buf[n] = '\0';
	while (*p < end && **p != '\0')
		(*p)++;
	if (*p < end)
		(*p)++;
}

/* Drop the report's own colours ("\033[" digits and ';' "m") from BUF
   in place; returns the new length; aborts on any other escape byte. */
static size_t
fuzz_strip_colour(char *buf, size_t n)
{
	size_t i, o = 0, k;

	for (i = 0; i < n; i++) {
		if (buf[i] != '\033') {
			buf[o++] = buf[i];
			continue;
		}
		if (i + 1 >= n || buf[i + 1] != '[')
			abort();
		for (k = i + 2; k < n && strchr("0123456789;", buf[k]) &&
		    buf[k] != '\0'; k++)
			;
		if (k >= n || buf[k] != 'm')
			abort();
		i = k;
	}
	return o;
}

/* Build findings from the input, write every report, check each. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct selfcheck_sock sks[FUZZ_NFIND];
	static char svc[FUZZ_NFIND][300], conf[300];
	static const struct selfcheck_opts op = { .so_tcp = 1, .so_udp = 1,
		.so_lo = 1, .so_hi = 65535, .so_probe = 1 };
	struct selfcheck_scope sc = { .sc_opts = &op };
	struct selfcheck_finding fv[FUZZ_NFIND];
	struct selfcheck_result rs = { 0 };
	struct selfcheck_socks socks = { 0 };
	const uint8_t *p = data, *end = data + size;
	char *out = NULL, *json;
	size_t len = 0, i;
	int k;
	FILE *fp;

	memset(fv, 0, sizeof(fv));
	memset(sks, 0, sizeof(sks));
	for (i = 0; i < FUZZ_NFIND && p < end; i++) {
		struct selfcheck_finding *f = &fv[i];
		uint8_t ctl = *p++;

		f->fd_kind = (enum selfcheck_kind)(ctl % SCK_COUNT);
		f->fd_severity = (enum selfcheck_status)((ctl >> 3) & 3);
		f->fd_proto = ctl & 0x20 ? IPPROTO_UDP : IPPROTO_TCP;
		f->fd_ip.ip_family = ctl & 0x40 ? AF_INET6 : AF_INET;
		f->fd_port = (uint16_t)(i * 1000 + ctl);
		f->fd_probe = ctl % 7;
		f->fd_evidence = ctl & 3;
		fuzz_take(&p, end, svc[i], sizeof(svc[i]));
		f->fd_service = ctl & 0x80 ? svc[i] : NULL;
		if (ctl % 5 == 0)
			continue;
		f->fd_sock = &sks[i];
		f->fd_nholders = 1;
		sks[i].sk_proto = f->fd_proto;
		sks[i].sk_ip = f->fd_ip;
		sks[i].sk_port = f->fd_port;
		sks[i].sk_nowners = (ctl >> 2) % (SELFCHECK_MAXOWN + 1);
		for (k = 0; k < sks[i].sk_nowners; k++) {
			struct selfcheck_owner *ow = &sks[i].sk_owners[k];

			ow->ow_pid = (pid_t)(100 * i + k + 1);
			ow->ow_uid = (uid_t)k;
			fuzz_take(&p, end, ow->ow_comm, sizeof(ow->ow_comm));
			fuzz_take(&p, end, ow->ow_exe, sizeof(ow->ow_exe));
		}
	}
	rs.rs_v = fv;
	rs.rs_n = i;
	socks.ss_source = "sock_diag";
	socks.ss_v = sks;
	socks.ss_n = FUZZ_NFIND;
	fuzz_take(&p, end, conf, sizeof(conf));
	sc.sc_conf = conf;
	sc.sc_colour = size & 1;

	fuzz_check_json(json = selfcheck_report_json(&rs, NULL, &socks, &sc), &rs);
	free(json);
	if ((fp = open_memstream(&out, &len)) == NULL)
		return 0;
	selfcheck_report_prom(fp, &rs, 0.5, 1.0);
	fclose(fp);
	fuzz_check_prom(out, len);
	free(out);
	if ((fp = open_memstream(&out, &len)) == NULL)
		return 0;
	selfcheck_report_text(fp, &rs, NULL, &socks, &sc);
	fclose(fp);
	fuzz_check_utf8(out, fuzz_strip_colour(out, len), 1);
	free(out);
	return 0;
}
