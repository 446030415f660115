/* SPDX-License-Identifier: ISC */
/*
 * The xinetd half of superd --convert: the sections convert_xread.c read,
 * with the defaults section and the =, += and -= operators applied to
 * every service, written as superd.conf.  Everything superd cannot do is a `#` comment
 * with the reason; a service that cannot run at all (RPC, tcpmux,
 * redirect, SENSOR) is written commented out, whole.
 */
#include <sys/stat.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "superd.h"
#include "convert.h"


/* Every attribute xinetd documents; the rest is reported as unknown. */
static const char *const convert_x_known[] = {
	"id", "type", "flags", "socket_type", "protocol", "wait", "user",
	"group", "groups", "server", "server_args", "port", "bind",
	"interface", "v6only", "only_from", "no_access", "access_times",
	"instances", "per_source", "cps", "env", "passenv", "umask", "nice",
	"rlimit_as", "rlimit_cpu", "rlimit_data", "rlimit_files",
	"rlimit_rss", "rlimit_stack", "banner", "banner_success",
	"banner_fail", "log_on_success", "log_on_failure", "log_type",
	"disable", "redirect", "max_load", "deny_time", "mdns", "libwrap",
	"rpc_version", "rpc_number", NULL,
};

/* What a defaults section may set (xinetd.conf(5)). */
static const char *const convert_x_inherited[] = {
	"log_type", "bind", "interface", "per_source", "umask",
	"log_on_success", "log_on_failure", "only_from", "no_access",
	"passenv", "instances", "banner", "banner_success", "banner_fail",
	"groups", "cps", "max_load", "v6only", NULL,
};

/* type = INTERNAL, UNLISTED, RPC, TCPMUX, TCPMUXPLUS. */
static void
convert_x_type(struct convert_xsvc *xv)
{
	char *const *v = convert_xattr_get(xv, "type", 0);
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++) {
		if (strcmp(v[i], "INTERNAL") == 0)
			xv->xv_internal = 1;
		else if (strcmp(v[i], "RPC") == 0)
			convert_xattr_fatal(xv, "type = RPC: not converted; "
			    "write it with rpc_version (superd.conf(5)) or as "
			    "an inetd.conf rpc/ line");
		else if (strcmp(v[i], "TCPMUX") == 0)
			xv->xv_tcpmux = 1;
		else if (strcmp(v[i], "TCPMUXPLUS") == 0)
			xv->xv_tcpmux = 2;
		else if (strcmp(v[i], "UNLISTED") != 0)
			convert_write_note(xv->xv_fp, "type %s: unknown, "
			    "ignored", v[i]);
	}
}

/* flags: the ones with an equivalent become options, the rest comments. */
static void
convert_x_flags(struct convert_xsvc *xv)
{
	char *const *v = convert_xattr_get(xv, "flags", 0);
	FILE *fp = xv->xv_fp;
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++) {
		const char *f = v[i];

		if (strcmp(f, "IPv4") == 0)
			xv->xv_v4 = 1;
		else if (strcmp(f, "IPv6") == 0)
			xv->xv_v6 = 1;
		else if (strcmp(f, "NAMEINARGS") == 0)
			xv->xv_nameinargs = 1;
		else if (strcmp(f, "NODELAY") == 0)
			fputs("\tnodelay = yes\n", fp);
		else if (strcmp(f, "KEEPALIVE") == 0)
			fputs("\tkeepalive = yes\n", fp);
		else if (strcmp(f, "DISABLE") == 0)
			xv->xv_disable = 1;
		else if (strcmp(f, "REUSE") == 0)
			convert_write_note(fp, "flags REUSE: superd sets "
			    "SO_REUSEADDR on its TCP listeners, never on UDP "
			    "ones (another user could share the port)");
		else if (strcmp(f, "NOLIBWRAP") == 0)
			xv->xv_nolibwrap = 1;
		else if (strcmp(f, "SENSOR") == 0)
			convert_xattr_fatal(xv, "flags = SENSOR: superd has no "
			    "sensor that denies a peer for deny_time");
		else {
			convert_write_note(fp, "flags %s: no superd "
			    "equivalent, not carried over", f);
			convert_xattr_lost(xv, "flags", f, "no superd "
			    "equivalent");
		}
	}
}

/* The family of address literal A, or 0 when it is not one. */
static int
convert_x_family(const char *a)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (a == NULL || svctab_parse_addr(a, 0, &ss, &len) == -1)
		return 0;
	return ss.ss_family;
}

/*
 * The port number section S listens on, if it is an enabled IPv4 wildcard
 * service (no IPv6 flag, no bind or an IPv4 wildcard) of the protocol UDP;
 * else 0.  A disabled one collides with nothing until it is enabled, and
 * then -t names both lines.
 */
static int
convert_x_v4_wildcard(struct convert_xconf *xc, struct convert_xsec *s,
    int udp)
{
	struct convert_xsvc xv;
	char *const *fl;
	const char *bind, *port, *st, *proto, *dis;
	int v4 = 0, v6 = 0, off = 0, p;
	size_t i;

	memset(&xv, 0, sizeof(xv));
	xv.xv_conf = xc;
	xv.xv_sec = s;
	fl = convert_xattr_get(&xv, "flags", 0);
	for (i = 0; fl != NULL && fl[i] != NULL; i++) {
		v4 |= strcmp(fl[i], "IPv4") == 0;
		v6 |= strcmp(fl[i], "IPv6") == 0;
		off |= strcmp(fl[i], "DISABLE") == 0;
	}
	dis = convert_xattr_get1(&xv, "disable", 0);
	if (off || s->xs_skipped || (dis != NULL && strcmp(dis, "yes") == 0))
		return 0;
	if ((bind = convert_xattr_get1(&xv, "bind", 1)) == NULL)
		bind = convert_xattr_get1(&xv, "interface", 1);
	st = convert_xattr_get1(&xv, "socket_type", 0);
	proto = convert_xattr_get1(&xv, "protocol", 0);
	if ((v6 && !v4) || (bind != NULL && strcmp(bind, "0.0.0.0") != 0) ||
	    st == NULL || (proto != NULL ? strcmp(proto, "udp") == 0 :
	    strcmp(st, "dgram") == 0) != udp)
		return 0;
	if ((port = convert_xattr_get1(&xv, "port", 0)) == NULL)
		port = s->xs_name;
	if (svctab_resolve_port(port, udp ? IPPROTO_UDP : IPPROTO_TCP,
	    &p) == -1)
		return 0;
	return p;
}

/*
 * The name of another service of the conversion that serves the IPv4
 * wildcard of PORT (xinetd's IPv4 copy of an IPv6 service), or NULL.
 */
static const char *
convert_x_v4_copy(struct convert_xsvc *xv, const char *port)
{
	struct convert_xconf *xc = xv->xv_conf;
	size_t i;
	int p;

	if (svctab_resolve_port(port, xv->xv_udp ? IPPROTO_UDP : IPPROTO_TCP,
	    &p) == -1)
		return NULL;
	for (i = 0; i < xc->xc_nsvcs; i++)
		if (&xc->xc_svcs[i] != xv->xv_sec &&
		    convert_x_v4_wildcard(xc, &xc->xc_svcs[i], xv->xv_udp) == p)
			return xc->xc_svcs[i].xs_name;
	return NULL;
}

/* socket_type, protocol (with the family), port, bind. */
static void
convert_x_endpoint(struct convert_xsvc *xv)
{
	const char *st = convert_xattr_get1(xv, "socket_type", 0);
	const char *proto = convert_xattr_get1(xv, "protocol", 0);
	const char *port = convert_xattr_get1(xv, "port", 0);
	const char *bind = convert_xattr_get1(xv, "bind", 1);
	const char *v6only = convert_xattr_get1(xv, "v6only", 1), *v4copy;
	FILE *fp = xv->xv_fp;
	int fam, p;

	if (bind == NULL)
		bind = convert_xattr_get1(xv, "interface", 1);
	if (st == NULL || (strcmp(st, "stream") != 0 &&
	    strcmp(st, "dgram") != 0)) {
		convert_xattr_fatal(xv, "socket_type %s: superd serves stream "
		    "and dgram sockets only", st != NULL ? st : "(missing)");
		return;
	}
	if (proto != NULL && strcmp(proto, "tcp") != 0 &&
	    strcmp(proto, "udp") != 0) {
		convert_xattr_fatal(xv, "protocol %s: only tcp and udp", proto);
		return;
	}
	xv->xv_udp = proto != NULL ? strcmp(proto, "udp") == 0 :
	    strcmp(st, "dgram") == 0;
	fam = convert_x_family(bind);
	if (bind != NULL && fam == 0) {
		convert_write_note(fp, "bind = %s: not an address literal (no "
		    "DNS at load time); disabled rather than widened to every "
		    "address: write the address and remove disable", bind);
		convert_xattr_lost(xv, "bind", bind, "not an address literal "
		    "(no DNS at load time): the service is written disabled");
		xv->xv_disable = 1;
	}
	if (port == NULL)
		port = xv->xv_sec->xs_name;
	if (fam == AF_INET6 || (fam == 0 && xv->xv_v6 && !xv->xv_v4)) {
		p = v6only != NULL && strcmp(v6only, "yes") == 0;
		if (!p && (bind == NULL || strcmp(bind, "::") == 0) &&
		    (v4copy = convert_x_v4_copy(xv, port)) != NULL) {
			convert_write_note(fp, "IPv6 only: service %s serves "
			    "IPv4 on this port (xinetd's IPv4 and IPv6 copies "
			    "of one service), so the two do not collide",
			    v4copy);
			p = 1;
		}
		fprintf(fp, "\tsocket_type = %s\n\tprotocol = %s%s\n", st,
		    xv->xv_udp ? "udp" : "tcp", p ? "6" : "46");
	} else	/* xinetd's default is IPv4 only: tcp and udp are both */
		fprintf(fp, "\tsocket_type = %s\n\tprotocol = %s\n", st,
		    xv->xv_udp ? "udp4" : "tcp4");
	if (fam != 0)
		convert_write_opt_str(fp, "bind", bind);
	if (xv->xv_tcpmux) {
		/* The name is the tcpmux name; the port is tcpmux's. */
		convert_write_opt_str(fp, "tcpmux", xv->xv_sec->xs_name);
		if (xv->xv_tcpmux == 2)
			fputs("\ttcpmux_plus = yes\n", fp);
		if (xv->xv_udp)
			convert_xattr_fatal(xv, "type = TCPMUX: needs a stream "
			    "tcp socket");
		if (convert_xattr_get1(xv, "port", 0) != NULL)
			convert_write_note(fp, "port %s: not carried over: a "
			    "tcpmux service is reached through port 1", port);
		return;
	}
	if (svctab_resolve_port(port, xv->xv_udp ? IPPROTO_UDP : IPPROTO_TCP,
	    &p) == -1)
		convert_write_note(fp, "port %s: not a number nor a %s service "
		    "in /etc/services on this host", port, xv->xv_udp ? "udp" :
		    "tcp");
	if (strspn(port, "0123456789") == strlen(port) && *port != '\0')
		fprintf(fp, "\tport = %s\n", port);
	else
		convert_write_opt_str(fp, "port", port);
}

/* internal = NAME for a type = INTERNAL service (id echo-stream too). */
static void
convert_x_internal(struct convert_xsvc *xv)
{
	const char *name = xv->xv_sec->xs_name;
	char buf[64];
	size_t n;

	if (builtin_name_find(name) == BUILTIN_NONE) {
		n = strcspn(xv->xv_id, "-");
		snprintf(buf, sizeof(buf), "%.*s", (int)n, xv->xv_id);
		name = buf;
	}
	if (builtin_name_find(name) == BUILTIN_NONE) {
		convert_xattr_fatal(xv, "internal service %s: superd's "
		    "builtins are echo, discard, daytime, time and chargen",
		    xv->xv_sec->xs_name);
		return;
	}
	fprintf(xv->xv_fp, "\tinternal = %s\n",
	    builtin_name(builtin_name_find(name)));
	if (convert_xattr_get(xv, "server", 0) != NULL)
		convert_write_note(xv->xv_fp, "server of an internal service "
		    "ignored");
}

/* The name xinetd checks TCP wrappers under: libwrap's, or the service's. */
static const char *
convert_x_wrapname(struct convert_xsvc *xv)
{
	const char *name = convert_xattr_get1(xv, "libwrap", 1);

	return name != NULL ? name : xv->xv_sec->xs_name;
}

/*
 * xinetd checks TCP wrappers under the service's name; tcpd, which the
 * admin put in front of this one service, under the name of the daemon
 * REAL it starts.  superd checks once, under tcpd's name: rules written
 * for xinetd's no longer apply, and stderr says so.
 */
static void
convert_x_tcpd_name(struct convert_xsvc *xv, const char *real)
{
	const char *base = strrchr(real, '/') != NULL ? strrchr(real, '/') + 1 :
	    real, *name = convert_x_wrapname(xv);

	snprintf(xv->xv_tcpd, sizeof(xv->xv_tcpd), "%s", base);
	if (strcmp(base, name) == 0 || xv->xv_nolibwrap)
		return;
	convert_write_note(xv->xv_fp, "xinetd also checked /etc/hosts.allow as "
	    "%s; superd checks once, as %s (tcpd's name)", name, base);
	convert_xattr_lost(xv, "server", NULL, "xinetd's TCP wrappers check as "
	    "%s: superd checks /etc/hosts.allow and /etc/hosts.deny once, as "
	    "%s (tcpd's name); rules for %s no longer apply", name, base, name);
}

/* server and server_args, with NAMEINARGS and tcpd resolved. */
static void
convert_x_server(struct convert_xsvc *xv)
{
	const char *server = convert_xattr_get1(xv, "server", 0), *base;
	char **args = NULL, *real = NULL;
	char *const *rest;
	FILE *fp = xv->xv_fp;

	if (server == NULL) {
		convert_xattr_fatal(xv, convert_xattr_get(xv, "redirect", 0) !=
		    NULL ? "redirect: superd does not forward connections to "
		    "another host" : "no server given");
		return;
	}
	if (convert_xattr_get(xv, "redirect", 0) != NULL) {
		convert_write_note(fp, "redirect ignored: server takes "
		    "priority, as in xinetd");
		convert_xattr_lost(xv, "redirect", NULL, "ignored: server "
		    "takes priority, as in xinetd; superd does not forward");
	}
	convert_xattr_list(xv, "server_args", 0, &args);
	rest = args;
	if (xv->xv_nameinargs && args != NULL &&
	    convert_write_tcpd(fp, server, args, &real, &rest) == 1) {
		convert_x_tcpd_name(xv, real);
		server = real;
	}
	else if (xv->xv_nameinargs && args != NULL) {
		base = strrchr(server, '/') != NULL ? strrchr(server, '/') + 1 :
		    server;
		if (strcmp(args[0], base) != 0) {
			convert_write_note(fp, "argv[0] \"%s\" (NAMEINARGS) "
			    "cannot be kept: superd passes the server's "
			    "basename \"%s\"", args[0], base);
			convert_xattr_lost(xv, "server_args", args[0],
			    "argv[0] (NAMEINARGS): superd passes the server's "
			    "basename \"%s\"", base);
		}
		rest = args + 1;
	}
	if (access(server, X_OK) == -1)
		convert_write_note(fp, "server %s: not an executable on this "
		    "host", server);
	convert_write_opt_str(fp, "server", server);
	if (rest != NULL && rest[0] != NULL)
		convert_write_opt_list(fp, "server_args", rest);
	free(real);
	strv_free(args);
}

/* user, group and groups: xinetd gives no supplementary groups by default. */
static void
convert_x_creds(struct convert_xsvc *xv)
{
	const char *user = convert_xattr_get1(xv, "user", 0);
	const char *group = convert_xattr_get1(xv, "group", 0);
	const char *groups = convert_xattr_get1(xv, "groups", 1);
	char *gl[2] = { NULL, NULL }, num[32];
	struct passwd *pw;
	struct group *gr;

	if (user == NULL) {
		if (!xv->xv_internal)
			convert_write_note(xv->xv_fp, "no user: superd, like "
			    "xinetd, needs one for a server");
		return;
	}
	convert_write_opt_str(xv->xv_fp, "user", user);
	if (group != NULL)
		convert_write_opt_str(xv->xv_fp, "group", group);
	if (xv->xv_internal || (groups != NULL && strcmp(groups, "yes") == 0))
		return;
	if (group == NULL && (pw = getpwnam(user)) != NULL) {
		if ((gr = getgrgid(pw->pw_gid)) != NULL)
			group = gr->gr_name;
		else {
			snprintf(num, sizeof(num), "%u", (unsigned)pw->pw_gid);
			group = num;
		}
	}
	if (group == NULL) {
		convert_write_note(xv->xv_fp, "groups = no: user %s is unknown "
		    "here, so its primary group cannot be named", user);
		return;
	}
	gl[0] = (char *)group;
	convert_write_note(xv->xv_fp, "groups = no (xinetd's default): only "
	    "the primary group");
	convert_write_opt_list(xv->xv_fp, "groups", gl);
}

/* A scalar copied under a (possibly new) name, quoted unless NUMERIC. */
static void
convert_x_copy(struct convert_xsvc *xv, const char *from, const char *to,
    int inherit, int numeric)
{
	const char *v = convert_xattr_get1(xv, from, inherit);

	if (v == NULL)
		return;
	if (!numeric)
		convert_write_opt_str(xv->xv_fp, to, v);
	else if (strcasecmp(v, "UNLIMITED") == 0)
		fprintf(xv->xv_fp, "\t%s = %s\n", to, strncmp(to, "rlimit", 6) ?
		    "0" : "unlimited");
	else if (*v != '\0' && strspn(v, "0123456789-") > 0 &&
	    strspn(v, "0123456789-KMkm") == strlen(v))
		fprintf(xv->xv_fp, "\t%s = %s\n", to, v);
	else {
		convert_write_note(xv->xv_fp, "%s = %s: not a number, not "
		    "carried over", from, v);
		convert_xattr_lost(xv, from, v, "not a number");
	}
}

/* env, passenv, umask, nice, resource limits. */
static void
convert_x_process(struct convert_xsvc *xv)
{
	char **v = NULL;

	if (convert_xattr_list(xv, "env", 0, &v) > 0)
		convert_write_opt_list(xv->xv_fp, "env", v);
	strv_free(v);
	v = NULL;
	if (convert_xattr_list(xv, "passenv", 1, &v) > 0)
		convert_write_opt_list(xv->xv_fp, "passenv", v);
	strv_free(v);
	convert_x_copy(xv, "umask", "umask", 1, 1);
	convert_x_copy(xv, "nice", "nice", 0, 1);
	convert_x_copy(xv, "rlimit_as", "rlimit_as", 0, 1);
	convert_x_copy(xv, "rlimit_cpu", "rlimit_cpu", 0, 1);
	convert_x_copy(xv, "rlimit_data", "rlimit_data", 0, 1);
	convert_x_copy(xv, "rlimit_files", "rlimit_nofile", 0, 1);
	if (convert_xattr_get(xv, "rlimit_rss", 0) != NULL) {
		convert_write_note(xv->xv_fp, "rlimit_rss: Linux does not "
		    "enforce RLIMIT_RSS; not carried over");
		convert_xattr_lost(xv, "rlimit_rss", NULL, "Linux does not "
		    "enforce RLIMIT_RSS");
	}
	if (convert_xattr_get(xv, "rlimit_stack", 0) != NULL) {
		convert_write_note(xv->xv_fp, "rlimit_stack: superd has no "
		    "stack limit; not carried over");
		convert_xattr_lost(xv, "rlimit_stack", NULL, "superd has no "
		    "stack limit");
	}
}

/*
 * One only_from / no_access value as prefixes pushed on *OUT: a.b.c.d,
 * trailing zero octets as wildcards, a.b.{c,d} factorized, CIDR, IPv6.
 * 0 if converted, -1 if a name (or unparsable).
 */
static int
convert_x_addr(const char *v, char ***out)
{
	unsigned int o[4];
	char buf[128], base[64], *br;
	int n, k, c;

	if (strcmp(v, "localhost") == 0)
		return strv_push(out, "127.0.0.1/32") | strv_push(out,
		    "::1/128");
	if ((br = strchr(v, '{')) != NULL) {
		const char *p = br + 1;

		if (v[strlen(v) - 1] != '}' || br == v || br[-1] != '.' ||
		    (size_t)(br - v) >= sizeof(base))
			return -1;
		snprintf(base, sizeof(base), "%.*s", (int)(br - v), v);
		for (n = 0, k = 0; base[k] != '\0'; k++)
			n += base[k] == '.';
		while (*p != '}') {
			c = (int)strtol(p, &br, 10);
			if (br == p || c < 0 || c > 255 || n > 3 ||
			    (*br != ',' && *br != '}'))
				return -1;
			snprintf(buf, sizeof(buf), "%s%d%s/%d", base, c,
			    n == 1 ? ".0.0" : n == 2 ? ".0" : "", 8 * (n + 1));
			if (strv_push(out, buf) == -1)
				return -1;
			p = *br == ',' ? br + 1 : br;
		}
		return 0;
	}
	if (strchr(v, '/') != NULL || strchr(v, ':') != NULL) {
		snprintf(buf, sizeof(buf), "%s", v);
		if ((br = strchr(buf, '/')) != NULL)
			*br = '\0';
		if (convert_x_family(buf) == 0)
			return -1;
		return strv_push(out, v);
	}
	if (sscanf(v, "%3u.%3u.%3u.%3u%n", &o[0], &o[1], &o[2], &o[3], &n) !=
	    4 || v[n] != '\0' || o[0] > 255 || o[1] > 255 || o[2] > 255 ||
	    o[3] > 255 || convert_x_family(v) != AF_INET)
		return -1;
	for (k = 4; k > 0 && o[k - 1] == 0; k--)
		;
	snprintf(buf, sizeof(buf), "%s/%d", v, 8 * k);
	if (k == 0)
		return strv_push(out, "0.0.0.0/0") | strv_push(out, "::/0");
	return strv_push(out, buf);
}

/* only_from or no_access NAME; 1 when names had to be dropped. */
static int
convert_x_acl(struct convert_xsvc *xv, const char *name)
{
	char **v = NULL, **out = NULL;
	int n, i, dropped = 0;

	if ((n = convert_xattr_list(xv, name, 1, &v)) == -1)
		return 0;
	for (i = 0; i < n; i++) {
		if (strcmp(v[i], "localhost") == 0)
			convert_write_note(xv->xv_fp, "%s localhost: taken as "
			    "127.0.0.1 and ::1", name);
		if (convert_x_addr(v[i], &out) == 0)
			continue;
		convert_write_note(xv->xv_fp, "%s %s: host names, domains and "
		    "network names cannot be carried over (no DNS at load "
		    "time); write its addresses", name, v[i]);
		convert_xattr_lost(xv, name, v[i], "host names, domains and "
		    "network names cannot be carried over (no DNS at load "
		    "time)");
		dropped = 1;
	}
	if (strcmp(name, "only_from") == 0 && out == NULL) {
		convert_write_note(xv->xv_fp, "only_from allows %s here: "
		    "disabled rather than opened to everyone", n == 0 ? "no one" :
		    "no address superd can check");
		xv->xv_disable = 1;
	} else if (out != NULL)
		convert_write_opt_list(xv->xv_fp, name, out);
	if (dropped && strcmp(name, "no_access") == 0)
		convert_write_note(xv->xv_fp, "WARNING: the hosts above are no "
		    "longer refused");
	strv_free(v);
	strv_free(out);
	return dropped;
}

/* access_times: "h:mm-h:mm" into HH:MM-HH:MM. */
static void
convert_x_times(struct convert_xsvc *xv)
{
	char **v = NULL, **out = NULL, buf[32];
	unsigned int h1, m1, h2, m2;
	int n, i, end;

	n = convert_xattr_list(xv, "access_times", 0, &v);
	for (i = 0; i < n; i++) {
		end = 0;
		if (sscanf(v[i], "%2u:%2u-%2u:%2u%n", &h1, &m1, &h2, &m2,
		    &end) == 4 && v[i][end] == '\0' && h1 < 24 && h2 < 24 &&
		    m1 < 60 && m2 < 60) {
			snprintf(buf, sizeof(buf), "%02u:%02u-%02u:%02u", h1,
			    m1, h2, m2);
			strv_push(&out, buf);
		} else {
			convert_write_note(xv->xv_fp, "access_times %s: not a "
			    "time range, not carried over", v[i]);
			convert_xattr_lost(xv, "access_times", v[i],
			    "not a time range");
		}
	}
	if (out != NULL)
		convert_write_opt_list(xv->xv_fp, "access_times", out);
	else if (n > 0)
		xv->xv_disable = 1;
	strv_free(v);
	strv_free(out);
}

/* instances, per_source, cps. */
static void
convert_x_limits(struct convert_xsvc *xv)
{
	char *const *cps = convert_xattr_get(xv, "cps", 1);
	char *end1 = NULL, *end2 = NULL;
	long a, b;

	convert_x_copy(xv, "instances", "instances", 1, 1);
	convert_x_copy(xv, "per_source", "per_source", 1, 1);
	if (cps == NULL)
		return;
	if (cps[0] != NULL && cps[1] != NULL) {
		a = strtol(cps[0], &end1, 10);
		b = strtol(cps[1], &end2, 10);
		if (*end1 == '\0' && *end2 == '\0' && a >= 0 && b >= 0 &&
		    a < 1000000 && b < 1000000) {
			fprintf(xv->xv_fp, "\tcps = {%ld, %ld}\n", a, b);
			return;
		}
	}
	convert_write_note(xv->xv_fp, "cps: expected two numbers, not carried "
	    "over");
	convert_xattr_lost(xv, "cps", NULL, "expected two numbers");
}

/* log_on_success / log_on_failure NAME: the words superd logs. */
static void
convert_x_logflags(struct convert_xsvc *xv, const char *name)
{
	static const char *const ok[] = { "PID", "HOST", "EXIT", "DURATION",
		NULL };
	char **v = NULL, **out = NULL;
	int n, i;

	if ((n = convert_xattr_list(xv, name, 1, &v)) == -1)
		return;
	for (i = 0; i < n; i++) {
		if (convert_xattr_in(ok, v[i]))
			strv_push(&out, v[i]);
		else if (strcmp(v[i], "ATTEMPT") != 0) {
			convert_write_note(xv->xv_fp, "%s %s: not logged by "
			    "superd (%s)", name, v[i], strcmp(v[i], "USERID") ==
			    0 ? "no RFC 1413 ident lookups" : "no such field");
			convert_xattr_lost(xv, name, v[i], "not logged by "
			    "superd (%s)", strcmp(v[i], "USERID") == 0 ?
			    "no RFC 1413 ident lookups" : "no such field");
		}
	}
	if (out != NULL)
		convert_write_opt_list(xv->xv_fp, name, out);
	else
		convert_write_note(xv->xv_fp, "%s: nothing superd logs is "
		    "left; its default fields apply", name);
	strv_free(v);
	strv_free(out);
}

/* banners, log fields, log_type. */
static void
convert_x_output(struct convert_xsvc *xv)
{
	char *const *lt = convert_xattr_get(xv, "log_type", 1);
	char buf[256];

	convert_x_copy(xv, "banner", "banner", 1, 0);
	convert_x_copy(xv, "banner_success", "banner_success", 1, 0);
	convert_x_copy(xv, "banner_fail", "banner_fail", 1, 0);
	convert_x_logflags(xv, "log_on_success");
	convert_x_logflags(xv, "log_on_failure");
	if (lt == NULL || (lt[0] != NULL && strcmp(lt[0], "SYSLOG") == 0 &&
	    (lt[1] == NULL || strcmp(lt[1], "daemon") == 0)))
		return;
	convert_write_note(xv->xv_fp, "log_type %s: not carried over: superd "
	    "logs to syslog, facility daemon (stderr in the foreground)",
	    convert_xattr_join(lt, buf, sizeof(buf)));
	convert_xattr_lost(xv, "log_type", buf, "superd logs to syslog, "
	    "facility daemon (stderr in the foreground)");
}

/* Attributes with nothing to map: said, not dropped. */
static void
convert_x_rest(struct convert_xsvc *xv)
{
	static const struct {
		const char *name;
		const char *why;
	} notes[] = {
		{ "max_load", "superd does not watch the load average" },
		{ "deny_time", "goes with SENSOR, which superd lacks" },
		{ "mdns", "superd does not register services with mDNS" },
		{ "rpc_version", "RPC is not supported" },
		{ "rpc_number", "RPC is not supported" },
	};
	struct convert_xsec *s = xv->xv_sec;
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		char *const *v = convert_xattr_get(xv, notes[i].name,
		    strcmp(notes[i].name, "max_load") == 0);

		if (v == NULL)
			continue;
		convert_write_note(xv->xv_fp, "%s %s: not carried over: %s",
		    notes[i].name, convert_xattr_join(v, buf, sizeof(buf)),
		    notes[i].why);
		convert_xattr_lost(xv, notes[i].name, buf, "%s", notes[i].why);
	}
	for (i = 0; i < s->xs_nattrs; i++)
		if (!convert_xattr_in(convert_x_known, s->xs_attrs[i].xa_name)) {
			convert_write_note(xv->xv_fp, "%s (line %d): unknown "
			    "xinetd attribute, not carried over",
			    s->xs_attrs[i].xa_name, s->xs_attrs[i].xa_line);
			convert_xattr_lost(xv, s->xs_attrs[i].xa_name, NULL,
			    "unknown xinetd attribute");
		}
}

/* disable, defaults' disabled / enabled lists, skipped files. */
static void
convert_x_disable(struct convert_xsvc *xv)
{
	const char *d = convert_xattr_get1(xv, "disable", 0);
	char **v = NULL;
	int n, i, listed = 0;

	if (d != NULL && strcmp(d, "yes") == 0)
		xv->xv_disable = 1;
	if (convert_xattr_list(xv, "disabled", 1, &v) > 0)
		for (i = 0; v[i] != NULL; i++)
			if (strcmp(v[i], xv->xv_id) == 0) {
				convert_write_note(xv->xv_fp, "listed in "
				    "defaults' disabled");
				xv->xv_disable = 1;
			}
	strv_free(v);
	v = NULL;
	if ((n = convert_xattr_list(xv, "enabled", 1, &v)) >= 0) {
		for (i = 0; i < n; i++)
			listed |= strcmp(v[i], xv->xv_id) == 0;
		if (!listed) {
			convert_write_note(xv->xv_fp, "not listed in defaults' "
			    "enabled");
			xv->xv_disable = 1;
		}
	}
	strv_free(v);
	if (xv->xv_sec->xs_skipped) {
		convert_write_note(xv->xv_fp, "xinetd skipped %s (its name "
		    "contains '.' or '~'): disabled", xv->xv_sec->xs_file);
		xv->xv_disable = 1;
	}
	if (xv->xv_disable)
		fputs("\tdisable = yes\n", xv->xv_fp);
}

/*
 * wait; a stream wait server accepts its own connections, so an access
 * list or times cannot be enforced: not converted (convert_x_service says
 * so on stderr).
 */
static void
convert_x_wait(struct convert_xsvc *xv)
{
	const char *w = convert_xattr_get1(xv, "wait", 0);
	const char *st = convert_xattr_get1(xv, "socket_type", 0);
	static const char *const acl[] = { "only_from", "no_access",
		"access_times" };
	int wait = w != NULL && strcmp(w, "yes") == 0;
	size_t i;

	fprintf(xv->xv_fp, "\twait = %s\n", wait ? "yes" : "no");
	if (!wait || st == NULL || strcmp(st, "stream") != 0)
		return;
	for (i = 0; i < sizeof(acl) / sizeof(acl[0]); i++) {
		if (convert_xattr_get1(xv, acl[i], i < 2) == NULL)
			continue;
		convert_xattr_fatal(xv, "%s cannot be enforced for a stream "
		    "wait service (the server accepts its own connections)",
		    acl[i]);
		return;
	}
}

/*
 * TCP wrappers as xinetd checks them: under the service's name, or the
 * name of its libwrap attribute; not at all with flags NOLIBWRAP.
 */
static void
convert_x_wrap(struct convert_xsvc *xv)
{
	if (xv->xv_nolibwrap) {
		fputs("\ttcp_wrappers = no\n", xv->xv_fp);
		return;
	}
	convert_write_opt_str(xv->xv_fp, "tcp_wrappers_name", xv->xv_tcpd[0] !=
	    '\0' ? xv->xv_tcpd : convert_x_wrapname(xv));
}

/* The body of one service into XV's buffer. */
static void
convert_x_body(struct convert_xsvc *xv)
{
	convert_x_type(xv);
	convert_x_flags(xv);
	convert_x_endpoint(xv);
	convert_x_wait(xv);
	convert_x_creds(xv);
	if (xv->xv_internal)
		convert_x_internal(xv);
	else
		convert_x_server(xv);
	convert_x_process(xv);
	convert_x_wrap(xv);
	convert_x_acl(xv, "only_from");
	convert_x_acl(xv, "no_access");
	convert_x_times(xv);
	convert_x_limits(xv);
	convert_x_output(xv);
	convert_x_rest(xv);
	convert_x_disable(xv);
}

/* One service as a block, commented out whole when it cannot run. */
static int
convert_x_service(struct convert_xconf *xc, struct convert_xsec *s,
    struct convert_names *names)
{
	struct convert_xsvc xv;
	char title[256], *text = NULL;
	size_t len = 0;

	memset(&xv, 0, sizeof(xv));
	xv.xv_conf = xc;
	xv.xv_sec = s;
	xv.xv_id = convert_xattr_get1(&xv, "id", 0);
	if (xv.xv_id == NULL)
		xv.xv_id = s->xs_name;
	if ((xv.xv_fp = open_memstream(&text, &len)) == NULL)
		return -1;
	convert_x_body(&xv);
	fclose(xv.xv_fp);
	fprintf(xc->xc_out, "\n# %s:%d: xinetd service %s%s%s\n", s->xs_file,
	    s->xs_line, s->xs_name, strcmp(xv.xv_id, s->xs_name) ? ", id " :
	    "", strcmp(xv.xv_id, s->xs_name) ? xv.xv_id : "");
	if (xv.xv_fatal[0] != '\0') {
		fprintf(xc->xc_out, "# NOT CONVERTED: %s\n", xv.xv_fatal);
		snprintf(title, sizeof(title), "service %s", xv.xv_id);
		convert_write_lost(xc->xc_loss, s->xs_file, s->xs_line, title,
		    "%s (written commented out)", xv.xv_fatal);
	}
	convert_write_title(names, xv.xv_id, "dup", title, sizeof(title));
	if (xv.xv_fatal[0] != '\0')
		fputs("# ", xc->xc_out);
	fputs("service ", xc->xc_out);
	convert_write_quote(xc->xc_out, title);
	fputs(" {\n", xc->xc_out);
	convert_write_block(xc->xc_out, text, len, xv.xv_fatal[0] != '\0');
	fprintf(xc->xc_out, "%s}\n", xv.xv_fatal[0] != '\0' ? "# " : "");
	free(text);
	return 0;
}

/* Top comments: the defaults that cannot be inherited, remarks on files. */
static void
convert_x_header(struct convert_xconf *xc, const char *path)
{
	struct convert_xsec *d = &xc->xc_defaults;
	size_t i;

	fprintf(xc->xc_out, "# Converted from the xinetd configuration %s.\n"
	    "# Each service carries its xinetd defaults itself.  Where xinetd\n"
	    "# set nothing, superd's defaults apply: per_source 64 (xinetd: "
	    "unlimited),\n# cps off (xinetd: 50 connections a second, then "
	    "10 s off).\n", path);
	for (i = 0; xc->xc_notes != NULL && xc->xc_notes[i] != NULL; i++)
		fprintf(xc->xc_out, "# %s\n", xc->xc_notes[i]);
	for (i = 0; i < d->xs_nattrs; i++) {
		const char *n = d->xs_attrs[i].xa_name;

		if (convert_xattr_in(convert_x_inherited, n) ||
		    strcmp(n, "enabled") == 0 || strcmp(n, "disabled") == 0)
			continue;
		fprintf(xc->xc_out, "# defaults (line %d): %s is not a "
		    "defaults attribute; not carried over\n",
		    d->xs_attrs[i].xa_line, n);
		convert_write_lost(xc->xc_loss, d->xs_file ? d->xs_file : path,
		    d->xs_attrs[i].xa_line, n, "not a defaults attribute");
	}
}

/* Convert PATH (a file, or a directory when ISDIR) to superd.conf. */
int
convert_xinetd(const char *path, int isdir, FILE *out,
    struct convert_loss *loss)
{
	struct convert_names names = { NULL };
	struct convert_xconf xc;
	size_t i;
	int rc;

	memset(&xc, 0, sizeof(xc));
	xc.xc_out = out;
	xc.xc_loss = loss;
	if (isdir)
		rc = convert_xread_dir(&xc, path, 0);
	else
		rc = convert_xread_file(&xc, path, 0, 0);
	convert_x_header(&xc, path);
	for (i = 0; i < xc.xc_nsvcs; i++)
		if (convert_x_service(&xc, &xc.xc_svcs[i], &names) == -1)
			rc = -1;
	fprintf(out, "\n# %zu xinetd services read, %d settings not carried "
	    "over.\n", xc.xc_nsvcs, loss->cl_n);
	for (i = 0; i < xc.xc_nsvcs; i++)
		convert_xread_sec_free(&xc.xc_svcs[i]);
	free(xc.xc_svcs);
	convert_xread_sec_free(&xc.xc_defaults);
	strv_free(xc.xc_notes);
	convert_write_names_free(&names);
	return rc;
}
