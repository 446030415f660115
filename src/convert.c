/* SPDX-License-Identifier: ISC */
/*
 * superd --convert: write the superd.conf equivalent of a classic
 * inetd.conf or of an xinetd configuration.  Classic lines go through the
 * project's own parser (inetd_conf_parse), one line at a time, so each
 * service is printed from the struct service it really becomes and each
 * refused line is kept as a comment with the parser's reason.  What cannot
 * be carried over is never dropped silently: it becomes a `#` comment
 * saying why.  xinetd files are read by convert_xinetd.c.
 */
#include <sys/stat.h>
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "superd.h"
#include "convert.h"

#define CONVERT_PAD_MAX 20000 /* lines padded to keep parser line numbers */

/* The name of group GID, or its number in BUF. */
static const char *
convert_group_name(gid_t gid, char *buf, size_t len)
{
	struct group *gr = getgrgid(gid);

	if (gr != NULL)
		return gr->gr_name;
	snprintf(buf, len, "%u", (unsigned)gid);
	return buf;
}

/* socket = PATH and its owner and mode: a UNIX-domain SV. */
static void
convert_print_unix(FILE *fp, const struct service *sv)
{
	const struct kind_conf *kc = sv->sv_conf->sc_kconf;
	struct passwd *pw;
	char num[32];

	convert_write_opt_str(fp, "socket", kc->kc_name);
	if (kc->kc_uid != (uid_t)-1) {
		snprintf(num, sizeof(num), "%u", (unsigned)kc->kc_uid);
		pw = getpwuid(kc->kc_uid);
		convert_write_opt_str(fp, "socket_user", pw != NULL ?
		    pw->pw_name : num);
	}
	if (kc->kc_gid != (gid_t)-1)
		convert_write_opt_str(fp, "socket_group",
		    convert_group_name(kc->kc_gid, num, sizeof(num)));
	if (kc->kc_mode != SV_UNSET) {
		snprintf(num, sizeof(num), "%04o", (unsigned)kc->kc_mode);
		convert_write_opt_str(fp, "socket_mode", num);
	}
}

/* tcpmux = NAME or rpc_version and rpc_program of SV, after its protocol. */
static void
convert_print_kind(FILE *fp, const struct service *sv)
{
	const struct kind_conf *kc = sv->sv_conf->sc_kconf;
	char v[64];

	if (sv->sv_conf->sc_kind == &kind_tcpmux) {
		convert_write_opt_str(fp, "tcpmux", kc->kc_name);
		if (kc->kc_plus)
			fputs("\ttcpmux_plus = yes\n", fp);
		return;
	}
	snprintf(v, sizeof(v), kc->kc_vlow == kc->kc_vhigh ? "%lu" : "%lu-%lu",
	    kc->kc_vlow, kc->kc_vhigh);
	convert_write_opt_str(fp, "rpc_version", v);
	convert_write_opt_str(fp, "rpc_program", kc->kc_name);
}

/* socket_type, protocol, port and bind of SV; or what its kind needs. */
static void
convert_print_endpoint(FILE *fp, const struct service *sv)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in
	    *)&sv->sv_addr;
	const struct sockaddr_in6 *sin6 =
	    (const struct sockaddr_in6 *)&sv->sv_addr;
	char a[INET6_ADDRSTRLEN];
	int any;

	if (sv->sv_conf->sc_kind == &kind_unix) {
		convert_print_unix(fp, sv);
		return;
	}
	fprintf(fp, "\tsocket_type = %s\n", sv->sv_socktype == SOCK_DGRAM ?
	    "dgram" : "stream");
	if (sv->sv_conf->sc_kind != NULL) {
		fprintf(fp, "\tprotocol = %s\n", sv->sv_addr.ss_family ==
		    AF_INET6 ? (sv->sv_v6only ? "tcp6" : "tcp46") :
		    sv->sv_proto == IPPROTO_UDP ? "udp4" : "tcp4");
		convert_print_kind(fp, sv);
	} else {
		/* One socket each: an IPv4 one is tcp4/udp4 (tcp/udp are both). */
		fprintf(fp, "\tprotocol = %s%s\n", svctab_proto_name(sv),
		    sv->sv_addr.ss_family == AF_INET ? "4" : "");
		fprintf(fp, "\tport = %u\n", ntohs(sin->sin_port));
	}
	if (sv->sv_addr.ss_family == AF_INET6)
		any = IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr);
	else
		any = sin->sin_addr.s_addr == htonl(INADDR_ANY);
	if (!any)
		convert_write_opt_str(fp, "bind", svctab_addr_text(&sv->sv_addr,
		    a, sizeof(a)));
}

/* user and, when it is not the user's own, group. */
static void
convert_print_creds(FILE *fp, const struct service *sv)
{
	struct passwd *pw;
	char num[32];

	if (sv->sv_conf->sc_user == NULL)
		return;
	convert_write_opt_str(fp, "user", sv->sv_conf->sc_user);
	pw = getpwnam(sv->sv_conf->sc_user);
	if (pw == NULL || pw->pw_gid != sv->sv_conf->sc_gid)
		convert_write_opt_str(fp, "group",
		    convert_group_name(sv->sv_conf->sc_gid, num, sizeof(num)));
}

/*
 * internal, or server and server_args (argv[0] is the server's basename);
 * what cannot be kept is said to LOSS.
 */
static int
convert_print_server(FILE *fp, const struct service *sv,
    struct convert_loss *loss)
{
	const char *base;
	char *real = NULL;
	char *const *rest;
	int rc;

	if (sv->sv_conf->sc_builtin != BUILTIN_NONE) {
		fprintf(fp, "\tinternal = %s\n",
		    builtin_name(sv->sv_conf->sc_builtin));
		return 0;
	}
	if (sv->sv_conf->sc_server == NULL)
		return 0;
	if ((rc = convert_write_tcpd(fp, sv->sv_conf->sc_server,
	    sv->sv_conf->sc_argv, &real, &rest)) == -1)
		return -1;
	if (rc == 1) {	/* still checked: tcp_wrappers is on by default */
		convert_write_opt_str(fp, "server", real);
		convert_write_opt_list(fp, "server_args", rest);
		free(real);
		return 0;
	}
	base = strrchr(sv->sv_conf->sc_server, '/') + 1;
	if (sv->sv_conf->sc_argv != NULL && sv->sv_conf->sc_argv[0] != NULL &&
	    strcmp(sv->sv_conf->sc_argv[0], base) != 0) {
		convert_write_note(fp, "argv[0] \"%s\" cannot be kept: superd "
		    "passes the server's basename \"%s\"",
		    sv->sv_conf->sc_argv[0], base);
		convert_write_lost(loss, sv->sv_conf->sc_file,
		    sv->sv_conf->sc_line, "argv[0]", "\"%s\": superd passes "
		    "the server's basename \"%s\"", sv->sv_conf->sc_argv[0],
		    base);
	}
	convert_write_opt_str(fp, "server", sv->sv_conf->sc_server);
	if (strv_len(sv->sv_conf->sc_argv) > 1)
		convert_write_opt_list(fp, "server_args", sv->sv_conf->sc_argv +
		    1);
	return 0;
}

/* An ACL as a list option, when it has entries. */
static void
convert_print_acl(FILE *fp, const char *name, const struct acl *acl)
{
	char a[INET6_ADDRSTRLEN], buf[INET6_ADDRSTRLEN + 8];
	size_t i;

	if (acl->acl_n == 0)
		return;
	fprintf(fp, "\t%s = {", name);
	for (i = 0; i < acl->acl_n; i++) {
		const struct acl_entry *ae = &acl->acl_entries[i];

		if (inet_ntop(ae->ae_family, ae->ae_addr, a, sizeof(a)) == NULL)
			snprintf(a, sizeof(a), "?");
		snprintf(buf, sizeof(buf), "%s/%d", a, ae->ae_prefix);
		fputs(i > 0 ? ", " : "", fp);
		convert_write_quote(fp, buf);
	}
	fputs("}\n", fp);
}

/* access_times, when set. */
static void
convert_print_times(FILE *fp, const struct service *sv)
{
	int i;

	if (sv->sv_conf->sc_rare->sc_ntimes == 0)
		return;
	fputs("\taccess_times = {", fp);
	for (i = 0; i < sv->sv_conf->sc_rare->sc_ntimes; i++)
		fprintf(fp, "%s\"%02d:%02d-%02d:%02d\"", i > 0 ? ", " : "",
		    sv->sv_conf->sc_rare->sc_times[i].tr_start / 60,
		    sv->sv_conf->sc_rare->sc_times[i].tr_start % 60,
		    sv->sv_conf->sc_rare->sc_times[i].tr_end / 60,
		    sv->sv_conf->sc_rare->sc_times[i].tr_end % 60);
	fputs("}\n", fp);
}

/* Process settings that differ from a fresh service DEF. */
static void
convert_print_process(FILE *fp, const struct service *sv,
    const struct service *def)
{
	static const char *const rl[SV_RLIM_COUNT] = {
		[SV_RLIM_AS] = "rlimit_as", [SV_RLIM_CPU] = "rlimit_cpu",
		[SV_RLIM_NOFILE] = "rlimit_nofile",
		[SV_RLIM_NPROC] = "rlimit_nproc", [SV_RLIM_DATA] =
		    "rlimit_data",
	};
	int i;

	if (sv->sv_conf->sc_env != NULL)
		convert_write_opt_list(fp, "env", sv->sv_conf->sc_env);
	if (sv->sv_conf->sc_passenv != NULL)
		convert_write_opt_list(fp, "passenv", sv->sv_conf->sc_passenv);
	if (sv->sv_conf->sc_rare->sc_umask != SV_UNSET)
		fprintf(fp, "\tumask = %03o\n",
		    (unsigned)sv->sv_conf->sc_rare->sc_umask);
	if (sv->sv_conf->sc_nice != def->sv_conf->sc_nice)
		fprintf(fp, "\tnice = %d\n", sv->sv_conf->sc_nice);
	for (i = 0; i < SV_RLIM_COUNT; i++) {
		if (sv->sv_conf->sc_rare->sc_rlimit[i] == SV_UNSET)
			continue;
		if (sv->sv_conf->sc_rare->sc_rlimit[i] < 0)
			fprintf(fp, "\t%s = unlimited\n", rl[i]);
		else
			fprintf(fp, "\t%s = %lld\n", rl[i],
			    sv->sv_conf->sc_rare->sc_rlimit[i]);
	}
	if (sv->sv_conf->sc_chroot != NULL)
		convert_write_opt_str(fp, "chroot", sv->sv_conf->sc_chroot);
	if (sv->sv_conf->sc_no_new_privs)
		fputs("\tno_new_privs = yes\n", fp);
}

#define CONVERT_BOOL_STR 0
#define CONVERT_BOOL_STR_LIST 0
#define CONVERT_BOOL_INT 0
#define CONVERT_BOOL_INT_LIST 0
#define CONVERT_BOOL_BOOL 1
#define SC(f) offsetof(struct service_conf, f)
#define GL(f) CONF_NONE
#define FILL(fn) CONF_NONE

/* A number conf_options.h has --convert write when it is not the default. */
struct convert_number {
	const char *cn_name;	/* option name */
	size_t cn_off;		/* offset in struct service_conf, or CONF_NONE */
	int cn_bool;		/* written yes or no */
	int cn_shown;		/* OPT_CONVERT when written */
};

/* Every option of conf_options.h, as --convert sees it. */
static const struct convert_number convert_numbers[] = {
#define CONF_OPTION(name, type, scope, check, min, max, lands, def, shown) \
	{ name, lands, CONVERT_BOOL_##type, shown },
#include "conf_options.h"
#undef CONF_OPTION
};

/* Limits and socket options that differ from a fresh service DEF. */
static void
convert_print_limits(FILE *fp, const struct service *sv,
    const struct service *def)
{
	const struct convert_number *cn;
	size_t i;
	int v, d;

	for (i = 0; i < sizeof(convert_numbers) / sizeof(convert_numbers[0]);
	    i++) {
		cn = &convert_numbers[i];
		if (!(cn->cn_shown & OPT_CONVERT) || cn->cn_off == CONF_NONE)
			continue;
		v = *(const int *)(const void *)((const char *)sv->sv_conf +
		    cn->cn_off);
		d = *(const int *)(const void *)((const char *)def->sv_conf +
		    cn->cn_off);
		if (v == d)
			continue;
		if (cn->cn_bool)
			fprintf(fp, "\t%s = %s\n", cn->cn_name, v ? "yes" :
			    "no");
		else
			fprintf(fp, "\t%s = %d\n", cn->cn_name, v);
	}
	if (sv->sv_conf->sc_cps_rate != def->sv_conf->sc_cps_rate ||
	    sv->sv_conf->sc_cps_backoff != def->sv_conf->sc_cps_backoff)
		fprintf(fp, "\tcps = {%d, %d}\n", sv->sv_conf->sc_cps_rate,
		    sv->sv_conf->sc_cps_backoff);
}

/* The log_on_* words of the LOGF_* bits FLAGS. */
static void
convert_print_logflags(FILE *fp, const char *name, int flags)
{
	static const struct {
		const char *name;
		int bit;
	} words[] = {
		{ "PID", LOGF_PID }, { "HOST", LOGF_HOST },
		{ "EXIT", LOGF_EXIT }, { "DURATION", LOGF_DURATION },
	};
	size_t i;
	int n = 0;

	fprintf(fp, "\t%s = {", name);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (flags & words[i].bit)
			fprintf(fp, "%s%s", n++ ? ", " : "", words[i].name);
	fputs("}\n", fp);
}

/* Banners and log fields that differ from a fresh service DEF. */
static void
convert_print_output(FILE *fp, const struct service *sv,
    const struct service *def)
{
	if (sv->sv_conf->sc_rare->sc_banner != NULL)
		convert_write_opt_str(fp, "banner", sv->sv_conf->sc_rare->sc_banner);
	if (sv->sv_conf->sc_rare->sc_banner_success != NULL)
		convert_write_opt_str(fp, "banner_success",
		    sv->sv_conf->sc_rare->sc_banner_success);
	if (sv->sv_conf->sc_rare->sc_banner_fail != NULL)
		convert_write_opt_str(fp, "banner_fail",
		    sv->sv_conf->sc_rare->sc_banner_fail);
	if (sv->sv_conf->sc_log_success != def->sv_conf->sc_log_success)
		convert_print_logflags(fp, "log_on_success",
		    sv->sv_conf->sc_log_success);
	if (sv->sv_conf->sc_log_failure != def->sv_conf->sc_log_failure)
		convert_print_logflags(fp, "log_on_failure",
		    sv->sv_conf->sc_log_failure);
}

/* SV as a `service TITLE { }` block; only what differs from the defaults. */
static int
convert_print_service(FILE *fp, const struct service *sv, const char *title,
    struct convert_loss *loss)
{
	struct service *def;

	if ((def = service_new("default", "-", 0)) == NULL)
		return -1;
	fputs("service ", fp);
	convert_write_quote(fp, title);
	fputs(" {\n", fp);
	if (strcmp(title, sv->sv_conf->sc_name) != 0)
		convert_write_note(fp, "renamed from %s: that title is already "
		    "used", sv->sv_conf->sc_name);
	/* TCP wrappers keep the name inetd checked: the title may differ. */
	if (strcmp(title, wrap_name(sv)) != 0 && sv->sv_conf->sc_builtin !=
	    BUILTIN_NONE)
		convert_write_opt_str(fp, "tcp_wrappers_name", wrap_name(sv));
	if (!sv->sv_conf->sc_wrap)
		fputs("\ttcp_wrappers = no\n", fp);
	convert_print_endpoint(fp, sv);
	fprintf(fp, "\twait = %s\n", sv->sv_conf->sc_wait ? "yes" : "no");
	convert_print_creds(fp, sv);
	if (convert_print_server(fp, sv, loss) == -1) {
		service_unref(def);
		return -1;
	}
	convert_print_process(fp, sv, def);
	convert_print_acl(fp, "only_from", &sv->sv_conf->sc_rare->sc_only_from);
	convert_print_acl(fp, "no_access", &sv->sv_conf->sc_rare->sc_no_access);
	convert_print_times(fp, sv);
	convert_print_limits(fp, sv, def);
	convert_print_output(fp, sv, def);
	if (sv->sv_conf->sc_disabled)
		fputs("\tdisable = yes\n", fp);
	fputs("}\n", fp);
	service_unref(def);
	return 0;
}

/* Classic-file state carried from line to line. */
struct convert_inetd_ctx {
	const char *ci_path;		/* file being converted */
	FILE *ci_out;			/* where superd.conf goes */
	struct convert_names *ci_names;	/* titles given so far */
	char *ci_defhost;		/* last "address:" line, or NULL */
	int ci_defline;			/* its line number */
	int ci_converted;		/* services written */
	int ci_refused;			/* lines kept as comments */
	struct convert_loss *ci_loss;	/* what was not carried over */
};

/*
 * The text the parser sees for line N: blank lines, so its messages name
 * the real line, with the last default-address line in its place.
 */
static char *
convert_inetd_padded(struct convert_inetd_ctx *ci, const char *line, int n,
    size_t *lenp)
{
	size_t ll = strlen(line), dl = 0, len, p;
	int before = 0, between = 0;
	char *buf;

	if (ci->ci_defhost != NULL)
		dl = strlen(ci->ci_defhost) + 1;
	if (n <= CONVERT_PAD_MAX && dl > 0) {
		before = ci->ci_defline - 1;
		between = n - ci->ci_defline - 1;
	} else if (n <= CONVERT_PAD_MAX)
		between = n - 1;
	if (before < 0 || between < 0)
		before = between = 0;
	len = (size_t)before + dl + (size_t)between + ll + 1;
	if ((buf = malloc(len + 1)) == NULL)
		return NULL;
	memset(buf, '\n', len);
	p = (size_t)before;
	if (dl > 0) {
		memcpy(buf + p, ci->ci_defhost, dl - 1);
		p += dl;
	}
	p += (size_t)between;
	memcpy(buf + p, line, ll);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* The message of the table's last error without its "file:line: ". */
static const char *
convert_inetd_reason(const struct svctab *tab, const char *path)
{
	const char *s = tab->st_lasterr;
	size_t n = strlen(path);

	if (strncmp(s, path, n) == 0 && s[n] == ':') {
		s += n + 1;
		s += strspn(s, "0123456789");
		if (*s == ':')
			s++;
		s += strspn(s, " ");
	}
	return *s != '\0' ? s : "refused by the inetd.conf parser";
}

/* One service line N through inetd_conf_parse, written as superd.conf. */
static int
convert_inetd_entry(struct convert_inetd_ctx *ci, const char *line, int n)
{
	struct svctab *tab;
	struct service *sv;
	char title[256], *text;
	size_t len;
	FILE *fp;
	int rc = 0;

	if ((text = convert_inetd_padded(ci, line, n, &len)) == NULL)
		return -1;
	if ((tab = svctab_new()) == NULL ||
	    (fp = fmemopen(text, len, "r")) == NULL) {
		svctab_free(tab);
		free(text);
		return -1;
	}
	inetd_conf_parse(tab, ci->ci_path, fp);
	fclose(fp);
	free(text);
	fprintf(ci->ci_out, "# %s:%d: %s\n", ci->ci_path, n, line);
	if ((sv = TAILQ_FIRST(&tab->st_services)) == NULL) {
		const char *why = tab->st_nerrors > 0 ?
		    convert_inetd_reason(tab, ci->ci_path) :
		    "a disabled (#<off>#) line that does not parse";

		ci->ci_refused++;
		fprintf(ci->ci_out, "# not converted: %s\n", why);
		convert_write_lost(ci->ci_loss, ci->ci_path, n, "line", "%s",
		    why);
	}
	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		convert_write_title(ci->ci_names, sv->sv_conf->sc_name,
		    svctab_proto_name(sv), title, sizeof(title));
		if (convert_print_service(ci->ci_out, sv, title,
		    ci->ci_loss) == -1)
			rc = -1;
		ci->ci_converted++;
	}
	svctab_free(tab);
	return rc;
}

/* A lone "address:" line: later lines bind there; 1 if LINE is one. */
static int
convert_inetd_defhost(struct convert_inetd_ctx *ci, const char *line, int n)
{
	size_t w = strcspn(line, " \t\r\v\f");

	if (w == 0 || line[w - 1] != ':' || line[w + strspn(line + w,
	    " \t\r\v\f")] != '\0')
		return 0;
	free(ci->ci_defhost);
	ci->ci_defhost = strndup(line, w);
	ci->ci_defline = n;
	fprintf(ci->ci_out, "# %s:%d: %s\n# (default address of the lines "
	    "below: each service carries its own bind)\n", ci->ci_path, n,
	    line);
	return 1;
}

/*
 * The entry that starts at LINE with the lines after it that begin with a
 * space or a tab (continuations, as inetd reads them), joined by spaces;
 * *NL and *N move to its last line.  NULL when out of memory.
 */
static char *
convert_inetd_join(char *line, char **nl, int *n)
{
	char *joined, *next, *p;
	size_t len = strlen(line);

	if ((joined = strdup(line)) == NULL)
		return NULL;
	while (*nl != NULL && ((*nl)[1] == ' ' || (*nl)[1] == '\t')) {
		next = *nl + 1;
		if ((*nl = strchr(next, '\n')) != NULL)
			**nl = '\0';
		if (*n < INT_MAX)
			(*n)++;
		if ((p = realloc(joined, len + strlen(next) + 2)) == NULL) {
			free(joined);
			return NULL;
		}
		joined = p;
		joined[len++] = ' ';
		strcpy(joined + len, next);
		len += strlen(next);
	}
	return joined;
}

/* One entry at LINE (N) with its continuation lines, converted. */
static int
convert_inetd_continued(struct convert_inetd_ctx *ci, char *line, char **nl,
    int *n)
{
	char *joined;
	int first = *n, rc;

	if ((joined = convert_inetd_join(line, nl, n)) == NULL)
		return -1;
	rc = convert_inetd_entry(ci, joined, first);
	free(joined);
	return rc;
}

/* A classic inetd.conf in BUF, line by line, comments kept. */
static int
convert_inetd(const char *path, char *buf, FILE *out,
    struct convert_names *names, struct convert_loss *loss)
{
	struct convert_inetd_ctx ci;
	char *line = buf, *nl;
	int n = 0, rc = 0;

	memset(&ci, 0, sizeof(ci));
	ci.ci_path = path;
	ci.ci_out = out;
	ci.ci_names = names;
	ci.ci_loss = loss;
	fprintf(out, "# Converted from the classic inetd.conf %s.\n\n", path);
	for (; *line != '\0'; line = nl != NULL ? nl + 1 : line + strlen(line)) {
		const char *cp;

		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (n < INT_MAX)
			n++;
		cp = line + strspn(line, " \t\r\v\f");
		if (*cp == '\0')
			fputc('\n', out);
		else if (*cp == '#' && strncmp(cp, "#<off>#", 7) != 0)
			fprintf(out, "%s\n", line);
		else if (*cp != '#' && convert_inetd_defhost(&ci, cp, n))
			continue;
		else if (convert_inetd_continued(&ci, line, &nl, &n) == -1)
			rc = -1;
	}
	fprintf(out, "\n# %d services converted, %d lines not converted, %d "
	    "lines and settings not carried over in all.\n", ci.ci_converted,
	    ci.ci_refused, loss->cl_n);
	free(ci.ci_defhost);
	return rc;
}

/* PATH, read and written to OUT as superd.conf; -1 on an error. */
static int
convert_path(const char *path, FILE *out, struct convert_loss *loss)
{
	struct convert_names names = { NULL };
	struct stat st;
	size_t len;
	char *buf;
	int rc;

	if (path == NULL || stat(path, &st) == -1) {
		log_warnx("convert: %s: %s", path != NULL ? path : "(none)",
		    strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return convert_xinetd(path, 1, out, loss);
	if ((buf = convert_write_slurp(path, &len, out)) == NULL)
		return -1;
	if (convert_looks_xinetd(buf)) {
		free(buf);
		rc = convert_xinetd(path, 0, out, loss);
	} else {
		rc = convert_inetd(path, buf, out, &names, loss);
		free(buf);
	}
	convert_write_names_free(&names);
	return rc;
}

/*
 * superd --convert PATH (inetd.conf, xinetd.conf, an xinetd.d file or
 * directory): superd.conf on OUT, each setting not carried over on
 * stderr.  Exit code: 1 if the input could not be read or the output not
 * written, or (STRICT) if anything was not carried over; else 0.
 */
int
convert_main(const char *path, int strict, FILE *out)
{
	struct convert_loss loss = { 0 };
	int rc;

	rc = convert_path(path, out, &loss);
	if (fflush(out) == EOF || ferror(out))
		rc = -1;
	if (loss.cl_n > 0)
		fprintf(stderr, "superd: convert: %d lines and settings not "
		    "carried over (listed above)%s\n", loss.cl_n, strict ?
		    "; --strict: exit 1" : "");
	return rc == -1 || (strict && loss.cl_n > 0) ? 1 : 0;
}
