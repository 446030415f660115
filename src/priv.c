/* SPDX-License-Identifier: ISC */
/*
 * Privilege: the only libcap user.  Children of a non-root user end with
 * every capability set empty, ambient too, verified before exec.  The
 * daemon keeps only the capabilities it still needs; the bounding set stays
 * whole so a service run as root still gets root's privileges at exec.
 */
#include <sys/prctl.h>
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <sys/capability.h>

#include "rawsys.h"
#include "superd.h"

static int priv_caps_empty(void);

/* What the daemon keeps after binding. */
static const cap_value_t priv_daemon_caps[] = {
	CAP_SETUID,	      /* children's uid */
	CAP_SETGID,	      /* children's gid and groups */
	CAP_NET_BIND_SERVICE, /* privileged ports on reload */
	CAP_NET_RAW,	      /* the audit's SYN probe */
	CAP_SYS_CHROOT,	      /* chroot = */
	CAP_SYS_RESOURCE,     /* rlimits above the daemon's own */
	CAP_SYS_NICE,	      /* negative nice = */
	CAP_KILL,	      /* signalling children of other users */
	CAP_SYS_PTRACE,	      /* the audit reads /proc/PID/fd of others */
	CAP_DAC_READ_SEARCH,  /* config, banners, /proc of others */
	CAP_SETPCAP,	      /* narrowing a root child's bounding set */
};

/*
 * The number of capability NAME, with or without the "cap_" prefix and in
 * any case ("cap_kill", "kill", "CAP_KILL"); a number, a space or any other
 * character than letters, digits after the first letter and '_' is not a
 * name (libcap alone would take "12" and "cap_kill ").
 */
int
priv_cap_from_name(const char *name, int *cap)
{
	char buf[64];
	cap_value_t c;
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");

	if (n == 0 || name[n] != '\0' || !isalpha((unsigned char)name[0]) ||
	    (size_t)snprintf(buf, sizeof(buf), "%s%s",
	    strncasecmp(name, "cap_", 4) == 0 ? "" : "cap_", name) >=
	    sizeof(buf) || cap_from_name(buf, &c) == -1 || c < 0)
		return -1;
	*cap = c;
	return 0;
}

/* What privileges a child of SV gets, for the log. */
const char *
priv_describe(const struct service *sv, char *buf, size_t len)
{
	char *names = NULL;
	cap_t caps;
	int c;

	if (sv->sv_conf->sc_uid != 0 && sv->sv_conf->sc_rare->sc_caps == 0) {
		snprintf(buf, len, "none%s", sv->sv_conf->sc_no_new_privs ?
		    ",no_new_privs" : "");
		return buf;
	}
	if (!sv->sv_conf->sc_rare->sc_caps_set) {
		snprintf(buf, len, "root%s", sv->sv_conf->sc_no_new_privs ?
		    ",no_new_privs" : "");
		return buf;
	}
	if ((caps = cap_init()) != NULL) {
		for (c = 0; c <= CAP_LAST_CAP && c < 64; c++)
			if (sv->sv_conf->sc_rare->sc_caps & (1ULL << c)) {
				cap_value_t v = c;

				cap_set_flag(caps, CAP_PERMITTED, 1, &v,
				    CAP_SET);
			}
		names = cap_to_text(caps, NULL);
		cap_free(caps);
	}
	snprintf(buf, len, "%s:\"%s\"%s", sv->sv_conf->sc_uid != 0 ? "ambient" :
	    "root-restricted", names != NULL ? names : "?",
	    sv->sv_conf->sc_no_new_privs ? ",no_new_privs" : "");
	cap_free(names);
	return buf;
}

/* Run the daemon itself as UID:GID from now on; every capability goes. */
int
priv_daemon_setuser(uid_t uid, gid_t gid)
{
	if (setgroups(1, &gid) == -1 || setgid(gid) == -1 || setuid(uid) == -1)
		return -1;
	if (uid != 0 && (setuid(0) != -1 || !priv_caps_empty()))
		return -1;
	return 0;
}

/* Whether the calling process has no capability in any set, ambient too. */
static int
priv_caps_empty(void)
{
	cap_t have, none;
	cap_value_t c;
	int empty;

	if ((have = cap_get_proc()) == NULL)
		return 0;
	if ((none = cap_init()) == NULL) {
		cap_free(have);
		return 0;
	}
	empty = cap_compare(have, none) == 0;
	cap_free(have);
	cap_free(none);
	for (c = 0; empty && c <= CAP_LAST_CAP; c++)
		if (cap_get_ambient(c) == 1)
			empty = 0;
	return empty;
}

/* The kernel's capability header and data (capget/capset, version 3). */
struct priv_cap_header {
	uint32_t ch_version; /* _LINUX_CAPABILITY_VERSION_3 */
	int ch_pid;	     /* 0: the calling thread */
};
struct priv_cap_data {
	uint32_t cd_effective;	 /* one word of 32 capabilities */
	uint32_t cd_permitted;	 /* ditto */
	uint32_t cd_inheritable; /* ditto */
};
#define PRIV_CAP_V3 0x20080522

/* In the child: capget into D, or -1. */
static int
priv_child_get(struct priv_cap_data *d)
{
	struct priv_cap_header h = { PRIV_CAP_V3, 0 };

	memset(d, 0xff, 2 * sizeof(*d));
	return RAWSYS2(SYS_capget, &h, d) < 0 ? -1 : 0;
}

/* In the child: capset effective EFF, permitted PRM, inheritable INH. */
static int
priv_child_set(uint64_t eff, uint64_t prm, uint64_t inh)
{
	struct priv_cap_header h = { PRIV_CAP_V3, 0 };
	struct priv_cap_data d[2];
	int i;

	for (i = 0; i < 2; i++) {
		d[i].cd_effective = (uint32_t)(eff >> (32 * i));
		d[i].cd_permitted = (uint32_t)(prm >> (32 * i));
		d[i].cd_inheritable = (uint32_t)(inh >> (32 * i));
	}
	return RAWSYS2(SYS_capset, &h, d) < 0 ? -1 : 0;
}

/*
 * In a non-root child that kept its permitted set over setuid
 * (PR_SET_KEEPCAPS): exactly CAPS in every set, ambient included, so they
 * survive exec (systemd's AmbientCapabilities=); every other capability
 * leaves the bounding set.  Verified before exec.
 */
static int
priv_child_ambient(uint64_t caps)
{
	struct priv_cap_data d[2];
	uint64_t prm;
	int c;

	if (priv_child_get(d) == -1)
		return -1;
	prm = d[0].cd_permitted | (uint64_t)d[1].cd_permitted << 32;
	/* Effective again for CAP_SETPCAP, which the bounding drop needs. */
	if ((caps & ~prm) != 0 || priv_child_set(prm, prm, caps) == -1)
		return -1;
	for (c = 0; c <= CAP_LAST_CAP; c++)
		if (!(c < 64 && (caps & (1ULL << c))) &&
		    RAWSYS2(SYS_prctl, PR_CAPBSET_DROP, c) < 0)
			return -1;
	if (priv_child_set(caps, caps, caps) == -1 ||
	    RAWSYS2(SYS_prctl, PR_SET_KEEPCAPS, 0) < 0)
		return -1;
	for (c = 0; c <= CAP_LAST_CAP && c < 64; c++)
		if ((caps & (1ULL << c)) && (RAWSYS4(SYS_prctl, PR_CAP_AMBIENT,
		    PR_CAP_AMBIENT_RAISE, c, 0) < 0 || RAWSYS4(SYS_prctl,
		    PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0) != 1))
			return -1;
	if (priv_child_get(d) == -1)
		return -1;
	for (c = 0; c < 2; c++)
		if (d[c].cd_effective != (uint32_t)(caps >> (32 * c)) ||
		    d[c].cd_permitted != d[c].cd_effective ||
		    d[c].cd_inheritable != d[c].cd_effective)
			return -1;
	return 0;
}

/*
 * In the child, after setuid to UID: a non-root child ends with every set
 * empty, ambient too, verified, unless CAPS_SET gives it CAPS as ambient
 * capabilities; a restricted root child (CAPS_SET) loses all but CAPS from
 * its bounding set.  Raw system calls only (rawsys.h): this runs before
 * exec in the daemon's memory.
 */
int
priv_child_drop(uid_t uid, int no_new_privs, int caps_set, uint64_t caps)
{
	struct priv_cap_data d[2];
	long rc;
	int c;

	if (no_new_privs && RAWSYS2(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1) < 0)
		return -1;
	if (uid != 0 && caps_set && caps != 0)
		return priv_child_ambient(caps);
	if (uid == 0) {
		for (c = 0; caps_set && c <= CAP_LAST_CAP; c++)
			if (!(c < 64 && (caps & (1ULL << c))) &&
			    RAWSYS2(SYS_prctl, PR_CAPBSET_DROP, c) < 0)
				return -1;
		return 0;
	}
	rc = RAWSYS2(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL);
	if (rc < 0 && rc != -EINVAL)
		return -1;
	if (priv_child_set(0, 0, 0) == -1 || priv_child_get(d) == -1)
		return -1;
	/*
	 * The kernel keeps the ambient set inside permitted and inheritable,
	 * so both empty proves the ambient set empty too.
	 */
	for (c = 0; c < 2; c++)
		if (d[c].cd_effective || d[c].cd_permitted ||
		    d[c].cd_inheritable)
			return -1;
	return 0;
}

/*
 * What the daemon itself must hold for its children of TAB to get it:
 * the ambient capabilities of non-root services, CAP_SYS_ADMIN to set up
 * a sandbox (a mount namespace), and CAP_CHOWN to give a UNIX-domain
 * socket file its owner (on reload).
 */
static uint64_t
priv_child_need(const struct svctab *tab)
{
	const struct service *sv;
	uint64_t need = 0;

	TAILQ_FOREACH(sv, &tab->st_services, sv_entry) {
		if (sv->sv_conf->sc_builtin != BUILTIN_NONE ||
		    sv->sv_conf->sc_disabled)
			continue;
		if (sv->sv_conf->sc_uid != 0)
			need |= sv->sv_conf->sc_rare->sc_caps;
		if (sv->sv_conf->sc_rare->sc_sandbox != 0)
			need |= 1ULL << CAP_SYS_ADMIN;
		if (sv->sv_conf->sc_kind == &kind_unix &&
		    sv->sv_conf->sc_kconf->kc_chown)
			need |= 1ULL << CAP_CHOWN;	/* its socket's owner */
	}
	return need;
}

/* The daemon's permitted set at start, before priv_daemon_restrict. */
static uint64_t priv_start_permitted;

/* The capabilities of CAPS set in FLAG, as a mask. */
static uint64_t
priv_mask(cap_t caps, cap_flag_t flag)
{
	cap_flag_value_t have;
	uint64_t mask = 0;
	cap_value_t c;

	for (c = 0; c <= CAP_LAST_CAP && c < 64; c++)
		if (cap_get_flag(caps, c, flag, &have) == 0 && have == CAP_SET)
			mask |= 1ULL << c;
	return mask;
}

/*
 * At reload: say, truthfully, when children of TAB need capabilities the
 * daemon does not hold: dropped at start (a restart grants them), or never
 * held (not in the bounding set superd was started with: a restart would
 * not help).  Root services need nothing here: they get root's privileges
 * from the bounding set at exec, which superd never narrows.
 */
void
priv_daemon_check_need(const struct svctab *tab)
{
	uint64_t need = priv_child_need(tab), have, lacking;
	cap_t cur;

	if (geteuid() != 0 || need == 0 || (cur = cap_get_proc()) == NULL)
		return;
	have = priv_mask(cur, CAP_PERMITTED);
	cap_free(cur);
	if ((lacking = need & ~have & priv_start_permitted) != 0)
		log_warnx("event=priv lacking=%#llx reason=\"a service now "
		    "needs capabilities the daemon gave up at start (ambient "
		    "capabilities or a sandbox): restart superd to grant "
		    "them\"", (unsigned long long)lacking);
	if ((lacking = need & ~have & ~priv_start_permitted) != 0)
		log_warnx("event=priv lacking=%#llx reason=\"a service needs "
		    "capabilities superd never had (not in the bounding set it "
		    "was started with): a restart would not grant them\"",
		    (unsigned long long)lacking);
}

/* Log, once at start, the capabilities the bounding set lacks from the start. */
static void
priv_daemon_bound_log(void)
{
	cap_value_t c;
	int missing = 0;

	for (c = 0; c <= CAP_LAST_CAP && c < 64; c++)
		missing += prctl(PR_CAPBSET_READ, c, 0, 0, 0) != 1;
	if (missing > 0)
		log_info("event=priv bounding_missing=%d reason=\"not in the "
		    "bounding set superd was started with: no child gets them, "
		    "after a start or a reload\"", missing);
}

/* Keep only priv_daemon_caps (those we have) in effective and permitted. */
int
priv_daemon_restrict(struct superd *sd)
{
	uint64_t want = priv_child_need(sd->sd_tab);
	cap_value_t keep[64], c;
	cap_flag_value_t have;
	cap_t cur, caps;
	size_t i;
	int n = 0, rc;

	if (geteuid() != 0)
		return 0;
	priv_daemon_bound_log();
	if ((cur = cap_get_proc()) == NULL)
		return -1;
	priv_start_permitted = priv_mask(cur, CAP_PERMITTED);
	for (i = 0; i < sizeof(priv_daemon_caps) / sizeof(priv_daemon_caps[0]);
	     i++)
		want |= 1ULL << priv_daemon_caps[i];
	for (c = 0; c <= CAP_LAST_CAP && c < 64; c++)
		if ((want & (1ULL << c)) && cap_get_flag(cur, c, CAP_PERMITTED,
		    &have) == 0 && have == CAP_SET)
			keep[n++] = c;
	cap_free(cur);
	if ((caps = cap_init()) == NULL)
		return -1;
	rc = n == 0 ? 0 : cap_set_flag(caps, CAP_PERMITTED, n, keep, CAP_SET);
	if (rc == 0 && n > 0)
		rc = cap_set_flag(caps, CAP_EFFECTIVE, n, keep, CAP_SET);
	if (rc == 0)
		rc = cap_set_proc(caps);
	cap_free(caps);
	if (rc == -1)
		log_warn("event=priv reason=\"cannot restrict capabilities\"");
	else
		log_debug("event=priv kept=%d", n);
	return rc;
}
