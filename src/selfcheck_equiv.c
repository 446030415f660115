/* SPDX-License-Identifier: ISC */
/*
 * Address equivalence: which audited addresses must be probed port by
 * port, and which would answer exactly as another one does.
 *
 * The probe's traffic is local: it leaves and arrives on lo, from the
 * audited address to the audited address.  Two addresses of the same
 * family (and both loopback or both not) then get the same answer on
 * every port unless something tells them apart: a socket bound to one of
 * them (any protocol, or to its interface), a declaration that names it,
 * or a netfilter rule that names it (destination, source, NAT target) or
 * its interface.  An address with any of those is probed itself; so is
 * every address when the ruleset could not be read, or holds a rule the
 * model does not understand (it might name anything), and every IPv6
 * link-local address (its scope is an interface).  The others share the
 * probe of the first address of their class, and the report says so
 * (selfcheck_equiv_text, selfcheck_equiv_json).  Pure, but for the
 * interface names of rules (if_nametoindex).
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "selfcheck.h"

/*
 * Whether the source match of R may name IP: its text ("ip saddr
 * 192.0.2.0/24", "!= ..." or a set) parsed as a prefix; anything else
 * may name every address.
 */
static int
selfcheck_equiv_src(const struct selfcheck_fw_rule *r,
    const struct selfcheck_ip *ip)
{
	struct selfcheck_fw_prefix p;
	const char *s = strstr(r->fr_srctext, "saddr ");
	char buf[64], *slash;

	if (s == NULL)
		return 1;
	s += strlen("saddr ");
	if (strncmp(s, "!= ", 3) == 0)
		s += 3;
	snprintf(buf, sizeof(buf), "%s", s);
	memset(&p, 0, sizeof(p));
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (selfcheck_ip_parse(buf, &p.fp_ip) == -1)
		return 1;
	p.fp_len = slash ? atoi(slash) :
	    (p.fp_ip.ip_family == AF_INET ? 32 : 128);
	return selfcheck_fw_in_prefix(&p, ip);
}

/* Whether the interface match of R names the interface of IP. */
static int
selfcheck_equiv_iif(const struct selfcheck_fw_rule *r,
    const struct selfcheck_ip *ip)
{
	const char *name = r->fr_iifname;
	unsigned idx;

	if (r->fr_iif == 1 || r->fr_iif == 2)	/* lo, or not lo */
		return selfcheck_ip_loopback(ip) ||
		    ip->ip_ifindex == if_nametoindex("lo");
	if (r->fr_iif != 3)
		return 0;
	name += *name == '!';
	idx = if_nametoindex(name);
	/* A name no interface has now (a wildcard, gone): it may be it. */
	return idx == 0 || idx == ip->ip_ifindex;
}

/* Whether a rule of FW names IP or its interface; 1 too if unsure. */
static int
selfcheck_equiv_ruled(const struct selfcheck_fw *fw,
    const struct selfcheck_ip *ip)
{
	size_t i;
	int k;

	if (fw == NULL || !fw->fw_ok)
		return 1;
	for (i = 0; i < fw->fw_nrules; i++) {
		const struct selfcheck_fw_rule *r = &fw->fw_rules[i];

		if (r->fr_unknown || selfcheck_equiv_iif(r, ip) ||
		    (r->fr_src && selfcheck_equiv_src(r, ip)) ||
		    (r->fr_to.ip_family != 0 &&
		    selfcheck_ip_eq(&r->fr_to, ip)))
			return 1;
		for (k = 0; k < r->fr_ndst; k++)
			if (r->fr_dst[k].fp_len > 0 &&
			    selfcheck_fw_in_prefix(&r->fr_dst[k], ip))
				return 1;
	}
	return 0;
}

/*
 * Whether IP must be probed itself: link-local, bound or declared
 * specifically (a socket of SOCKS on it or its interface, a declaration
 * of DECLS, NDECL), or named by a rule of FW (NULL: not read).
 */
int
selfcheck_equiv_alone(const struct selfcheck_ip *ip,
    const struct selfcheck_socks *socks, const struct selfcheck_decl *decls,
    size_t ndecl, const struct selfcheck_fw *fw)
{
	struct selfcheck_ip u;
	size_t i;

	if (selfcheck_ip_linklocal(ip))
		return 1;
	for (i = 0; i < socks->ss_n; i++) {
		selfcheck_ip_unmap(&socks->ss_v[i].sk_ip, &u);
		if (selfcheck_ip_eq(&u, ip) || (socks->ss_v[i].sk_ifindex != 0 &&
		    socks->ss_v[i].sk_ifindex == ip->ip_ifindex))
			return 1;
	}
	for (i = 0; i < ndecl; i++) {
		selfcheck_ip_unmap(&decls[i].dc_ip, &u);
		if (selfcheck_ip_eq(&u, ip))
			return 1;
	}
	return selfcheck_equiv_ruled(fw, ip);
}

/*
 * The classes of the N addresses IPS into REP: REP[i] is i for an address
 * probed itself, else the index of the address whose probe answers for
 * it.  SOCKS, DECLS (NDECL) and FW as for selfcheck_equiv_alone.  Returns
 * how many addresses are probed, or 0 when out of memory (REP then says
 * every address is probed itself).
 */
size_t
selfcheck_equiv_classes(const struct selfcheck_ip *ips, size_t n,
    const struct selfcheck_socks *socks, const struct selfcheck_decl *decls,
    size_t ndecl, const struct selfcheck_fw *fw, size_t *rep)
{
	uint8_t *alone = calloc(n + 1, 1);
	size_t i, j, probed = 0;

	for (i = 0; i < n; i++)
		rep[i] = i;
	if (alone == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		alone[i] = (uint8_t)selfcheck_equiv_alone(&ips[i], socks, decls,
		    ndecl, fw);
		for (j = 0; !alone[i] && j < i; j++)
			if (!alone[j] && rep[j] == j &&
			    ips[j].ip_family == ips[i].ip_family &&
			    selfcheck_ip_loopback(&ips[j]) ==
			    selfcheck_ip_loopback(&ips[i])) {
				rep[i] = j;
				break;
			}
		probed += rep[i] == i;
	}
	free(alone);
	return probed;
}

/* A copy of the 65536 answers A, NULL stays NULL; -1 out of memory. */
static int
selfcheck_equiv_dup(uint8_t **a)
{
	uint8_t *c;

	if (*a == NULL)
		return 0;
	if ((c = malloc(65536)) == NULL) {
		*a = NULL;
		return -1;
	}
	memcpy(c, *a, 65536);
	*a = c;
	return 0;
}

/*
 * Spread the probe SUB of the probed addresses over FULL, the N
 * addresses IPS: the probed ones take their answers from SUB (in the
 * order of IPS), each other one a copy of its representative's REP[i],
 * with pr_by set.  SUB is emptied.  -1 out of memory.
 */
int
selfcheck_equiv_expand(struct selfcheck_probe *sub, const size_t *rep,
    const struct selfcheck_ip *ips, size_t n, struct selfcheck_probe *full)
{
	size_t i, k = 0, *at;
	int rc = 0;

	*full = *sub;
	full->pb_n = 0;
	if ((at = calloc(n + 1, sizeof(*at))) == NULL ||
	    (full->pb_v = calloc(n + 1, sizeof(*full->pb_v))) == NULL) {
		free(at);
		full->pb_v = NULL;
		return -1;
	}
	for (i = 0; i < n; i++)
		if (rep[i] == i)
			at[i] = k++;
	for (i = 0; i < n; i++, full->pb_n++) {
		struct selfcheck_probed *pr = &full->pb_v[i];

		*pr = sub->pb_v[at[rep[i]]];
		if (rep[i] == i)
			continue;
		pr->pr_ip = ips[i];
		pr->pr_by = rep[i] + 1;
		rc |= selfcheck_equiv_dup(&pr->pr_state) |
		    selfcheck_equiv_dup(&pr->pr_udp);
	}
	free(at);
	free(sub->pb_v);
	sub->pb_v = NULL;
	sub->pb_n = 0;
	return rc;
}

/* How many addresses of PB another one's probe decided. */
static size_t
selfcheck_equiv_count(const struct selfcheck_probe *pb)
{
	size_t i, k = 0;

	for (i = 0; pb != NULL && i < pb->pb_n; i++)
		k += pb->pb_v[i].pr_by != 0;
	return k;
}

/*
 * The text report's line on equivalence: which addresses were probed,
 * and those decided by equivalence, grouped by their representative.
 * Nothing when every address was probed.
 */
void
selfcheck_equiv_text(FILE *fp, const struct selfcheck_probe *pb)
{
	char a[64];
	size_t i, j, k = selfcheck_equiv_count(pb);
	int any;

	if (k == 0)
		return;
	fprintf(fp, "EQUIVALENCE probed %zu of %zu addresses:", pb->pb_n - k,
	    pb->pb_n);
	for (i = 0; i < pb->pb_n; i++)
		if (pb->pb_v[i].pr_by == 0)
			fprintf(fp, " %s", selfcheck_ip_str(&pb->pb_v[i].pr_ip,
			    a, sizeof(a)));
	fprintf(fp, "; decided by equivalence (no socket, declaration or "
	    "rule tells them apart):");
	for (i = 0; i < pb->pb_n; i++) {
		for (j = 0, any = 0; j < pb->pb_n; j++)
			if (pb->pb_v[j].pr_by == i + 1) {
				fprintf(fp, " %s", selfcheck_ip_str(
				    &pb->pb_v[j].pr_ip, a, sizeof(a)));
				any = 1;
			}
		if (any)
			fprintf(fp, " as %s;", selfcheck_ip_str(
			    &pb->pb_v[i].pr_ip, a, sizeof(a)));
	}
	fputc('\n', fp);
}

/*
 * The JSON of equivalence: {"probed": [addresses], "equivalent":
 * [{"address", "representative"}]}.
 */
json_t *
selfcheck_equiv_json(const struct selfcheck_probe *pb)
{
	json_t *probed = json_array(), *eq = json_array();
	char a[64], b[64];
	size_t i;

	for (i = 0; pb != NULL && i < pb->pb_n; i++) {
		const struct selfcheck_probed *pr = &pb->pb_v[i];

		if (pr->pr_by == 0)
			json_array_append_new(probed, json_string(
			    selfcheck_ip_str(&pr->pr_ip, a, sizeof(a))));
		else
			json_array_append_new(eq, json_pack("{s:s,s:s}",
			    "address", selfcheck_ip_str(&pr->pr_ip, a,
			    sizeof(a)), "representative", selfcheck_ip_str(
			    &pb->pb_v[pr->pr_by - 1].pr_ip, b, sizeof(b))));
	}
	return json_pack("{s:o,s:o}", "probed", probed, "equivalent", eq);
}
