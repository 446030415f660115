/* SPDX-License-Identifier: ISC */
/*
 * The netfilter ruleset, read as nft's JSON (libnftables in-process: the
 * equivalent of `nft -j -a list ruleset`, which also shows iptables-nft's
 * rules) into a small model: chains with their hook, type and policy, and
 * rules as conjunctions of the matches that decide exposure (protocol,
 * destination port and address, input interface, source, ct state, fib
 * daddr type local) with one verdict (accept, drop/reject, jump, goto,
 * return, dnat, redirect, tproxy).  Anything else in a rule (a map, a
 * limit, a meta mark, an xt match) sets fr_unknown: the evaluator
 * (selfcheck_fw.c) then says `undecided` with the rule's handle wherever
 * the rule could matter, never guesses.  The parser is pure, for the unit
 * tests; selfcheck_nft_read is the only I/O.  libnftables is opened there
 * (dynlib.c), so only an audit maps it.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <nftables/libnftables.h>

#include "selfcheck.h"

#ifndef NFT_SONAME
#define NFT_SONAME "libnftables.so.1"
#endif

/* libnftables, opened by the first audit that reads the ruleset. */
static struct selfcheck_nft_lib {
	struct nft_ctx *(*nl_new)(uint32_t);
	void (*nl_set_flags)(struct nft_ctx *, unsigned int);
	int (*nl_buffer_output)(struct nft_ctx *);
	int (*nl_buffer_error)(struct nft_ctx *);
	int (*nl_run)(struct nft_ctx *, const char *);
	const char *(*nl_output)(struct nft_ctx *);
	void (*nl_free)(struct nft_ctx *);
} selfcheck_nft_lib;

/* Copy S into the fixed buffer BUF of LEN bytes. */
static void
selfcheck_nft_copy(char *buf, size_t len, const char *s)
{
	snprintf(buf, len, "%s", s ? s : "");
}

/* Parse a port or a port range (json integer, {"range":[a,b]}) into R. */
static int
selfcheck_nft_portval(json_t *v, struct selfcheck_fw_rule *r)
{
	json_int_t lo, hi;
	json_t *rg;

	if (r->fr_nports >= SELFCHECK_FW_PORTS)
		return -1;
	if (json_is_integer(v))
		lo = hi = json_integer_value(v);
	else if ((rg = json_object_get(v, "range")) != NULL &&
	    json_is_integer(json_array_get(rg, 0)) &&
	    json_is_integer(json_array_get(rg, 1))) {
		lo = json_integer_value(json_array_get(rg, 0));
		hi = json_integer_value(json_array_get(rg, 1));
	} else
		return -1;
	if (lo < 0 || hi > 65535 || lo > hi)
		return -1;
	r->fr_ports[r->fr_nports][0] = (uint16_t)lo;
	r->fr_ports[r->fr_nports++][1] = (uint16_t)hi;
	return 0;
}

/* Parse an address or prefix (string, {"prefix":{...}}) into R's fr_dst. */
static int
selfcheck_nft_addrval(json_t *v, struct selfcheck_fw_rule *r)
{
	struct selfcheck_fw_prefix *p;
	json_t *pf;

	if (r->fr_ndst >= SELFCHECK_FW_ADDRS)
		return -1;
	p = &r->fr_dst[r->fr_ndst];
	if (json_is_string(v)) {
		if (selfcheck_ip_parse(json_string_value(v), &p->fp_ip) == -1)
			return -1;
		p->fp_len = p->fp_ip.ip_family == AF_INET ? 32 : 128;
	} else if ((pf = json_object_get(v, "prefix")) != NULL &&
	    json_is_string(json_object_get(pf, "addr")) &&
	    json_is_integer(json_object_get(pf, "len"))) {
		if (selfcheck_ip_parse(json_string_value(json_object_get(pf,
		    "addr")), &p->fp_ip) == -1)
			return -1;
		p->fp_len = (int)json_integer_value(json_object_get(pf, "len"));
	} else
		return -1;
	r->fr_ndst++;
	return 0;
}

/* Apply FN to V, or to each element of {"set":[...]}; -1 if one fails. */
static int
selfcheck_nft_each(json_t *v, int (*fn)(json_t *, struct selfcheck_fw_rule *),
    struct selfcheck_fw_rule *r)
{
	json_t *set = json_is_object(v) ? json_object_get(v, "set") : NULL, *e;
	size_t i;

	if (set == NULL)
		return fn(v, r);
	json_array_foreach(set, i, e)
		if (fn(e, r) == -1)
			return -1;
	return 0;
}

/* A protocol name or number (tcp, udp, 6, 17) into R; -1 otherwise. */
static int
selfcheck_nft_proto(json_t *v, struct selfcheck_fw_rule *r)
{
	const char *s = json_string_value(v);
	json_int_t n = json_is_integer(v) ? json_integer_value(v) : -1;

	if ((s && strcmp(s, "tcp") == 0) || n == IPPROTO_TCP)
		r->fr_proto = IPPROTO_TCP;
	else if ((s && strcmp(s, "udp") == 0) || n == IPPROTO_UDP)
		r->fr_proto = IPPROTO_UDP;
	else
		return -1;
	return 0;
}

/* An interface match (meta iif/iifname OP RIGHT) into R. */
static int
selfcheck_nft_iif(const char *op, json_t *right, struct selfcheck_fw_rule *r)
{
	const char *name = json_string_value(right);
	int neg = strcmp(op, "!=") == 0;

	if (name == NULL || (!neg && strcmp(op, "==") != 0))
		return -1;
	if (strcmp(name, "lo") == 0)
		r->fr_iif = neg ? 2 : 1;
	else {
		r->fr_iif = 3;
		snprintf(r->fr_iifname, sizeof(r->fr_iifname), "%s%s",
		    neg ? "!" : "", name);
	}
	return 0;
}

/* A ct state match into R: only "never matches a new connection" counts. */
static int
selfcheck_nft_ct(const char *op, json_t *right, struct selfcheck_fw_rule *r)
{
	int has_new = 0, eq = strcmp(op, "==") == 0 || strcmp(op, "in") == 0;
	json_t *e;
	size_t i;

	if (json_is_string(right))
		has_new = strcmp(json_string_value(right), "new") == 0;
	else if (json_is_array(right)) {
		json_array_foreach(right, i, e)
			has_new |= json_is_string(e) &&
			    strcmp(json_string_value(e), "new") == 0;
	} else
		return -1;
	if (!eq && strcmp(op, "!=") != 0)
		return -1;
	/* "== established,related" or "!= new": never a new connection. */
	r->fr_newonly = eq ? !has_new : has_new;
	return 0;
}

/* A payload match (PROTO.FIELD OP RIGHT) into R. */
static int
selfcheck_nft_payload(json_t *left, const char *op, json_t *right,
    struct selfcheck_fw_rule *r)
{
	const char *proto = json_string_value(json_object_get(left, "protocol"));
	const char *field = json_string_value(json_object_get(left, "field"));
	int eq = strcmp(op, "==") == 0 || strcmp(op, "in") == 0;

	if (proto == NULL || field == NULL)
		return -1;
	if (strcmp(proto, "ip") == 0 || strcmp(proto, "ip6") == 0)
		r->fr_family = proto[2] == '6' ? AF_INET6 : AF_INET;
	if (strcmp(field, "saddr") == 0) {
		r->fr_src = 1;
		snprintf(r->fr_srctext, sizeof(r->fr_srctext), "%s saddr %s%s",
		    proto, eq ? "" : "!= ", json_is_string(right) ?
		    json_string_value(right) : "{...}");
		return 0;
	}
	if (!eq)
		return -1;
	if ((strcmp(proto, "tcp") == 0 || strcmp(proto, "udp") == 0) &&
	    strcmp(field, "dport") == 0) {
		r->fr_proto = proto[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
		return selfcheck_nft_each(right, selfcheck_nft_portval, r);
	}
	if (r->fr_family != 0 && strcmp(field, "daddr") == 0)
		return selfcheck_nft_each(right, selfcheck_nft_addrval, r);
	if (r->fr_family != 0 && (strcmp(field, "protocol") == 0 ||
	    strcmp(field, "nexthdr") == 0))
		return selfcheck_nft_proto(right, r);
	return -1;
}

/* One {"match":...} of a rule into R; -1 when the model lacks it. */
static int
selfcheck_nft_match(json_t *m, struct selfcheck_fw_rule *r)
{
	json_t *left = json_object_get(m, "left"), *right = json_object_get(m,
	    "right"), *x;
	const char *op = json_string_value(json_object_get(m, "op")), *key;

	if (op == NULL || left == NULL || right == NULL)
		return -1;
	if ((x = json_object_get(left, "payload")) != NULL)
		return selfcheck_nft_payload(x, op, right, r);
	if ((x = json_object_get(left, "ct")) != NULL &&
	    (key = json_string_value(json_object_get(x, "key"))) != NULL &&
	    strcmp(key, "state") == 0)
		return selfcheck_nft_ct(op, right, r);
	/* fib daddr type local: 2 is RTN_LOCAL, in numeric output. */
	if ((x = json_object_get(left, "fib")) != NULL && strcmp(op, "==") == 0 &&
	    ((json_is_string(right) && strcmp(json_string_value(right),
	    "local") == 0) || json_integer_value(right) == 2))
		return (r->fr_dst_local = 1), 0;
	if ((x = json_object_get(left, "meta")) == NULL ||
	    (key = json_string_value(json_object_get(x, "key"))) == NULL)
		return -1;
	if (strcmp(key, "iif") == 0 || strcmp(key, "iifname") == 0)
		return selfcheck_nft_iif(op, right, r);
	if (strcmp(key, "l4proto") == 0 && strcmp(op, "==") == 0)
		return selfcheck_nft_proto(right, r);
	if (strcmp(key, "nfproto") == 0 && strcmp(op, "==") == 0 &&
	    json_is_string(right)) {
		r->fr_family = strcmp(json_string_value(right), "ipv6") == 0 ?
		    AF_INET6 : AF_INET;
		return 0;
	}
	return -1;
}

/* A NAT target ({"addr":...,"port":...}) of verdict V into R. */
static int
selfcheck_nft_nat(json_t *o, enum selfcheck_fw_verdict v,
    struct selfcheck_fw_rule *r)
{
	json_t *addr = json_object_get(o, "addr"), *port = json_object_get(o,
	    "port");

	r->fr_verdict = v;
	if (addr != NULL && (!json_is_string(addr) ||
	    selfcheck_ip_parse(json_string_value(addr), &r->fr_to) == -1))
		return -1;
	if (port != NULL && (!json_is_integer(port) ||
	    json_integer_value(port) < 1 || json_integer_value(port) > 65535))
		return -1;
	r->fr_toport = port ? (int)json_integer_value(port) : 0;
	return 0;
}

/* One statement of a rule into R; -1 when the model lacks it. */
static int
selfcheck_nft_stmt(const char *key, json_t *val, struct selfcheck_fw_rule *r)
{
	static const char *const ignored[] = { "counter", "log", "comment",
		"snat", "masquerade", "notrack", NULL };
	int i;

	if (strcmp(key, "match") == 0)
		return selfcheck_nft_match(val, r);
	for (i = 0; ignored[i] != NULL; i++)
		if (strcmp(key, ignored[i]) == 0)
			return 0;
	if (strcmp(key, "accept") == 0)
		return (r->fr_verdict = SCV_ACCEPT), 0;
	if (strcmp(key, "drop") == 0 || strcmp(key, "reject") == 0)
		return (r->fr_verdict = SCV_DROP), 0;
	if (strcmp(key, "return") == 0)
		return (r->fr_verdict = SCV_RETURN), 0;
	if (strcmp(key, "jump") == 0 || strcmp(key, "goto") == 0) {
		r->fr_verdict = key[0] == 'j' ? SCV_JUMP : SCV_GOTO;
		selfcheck_nft_copy(r->fr_target, sizeof(r->fr_target),
		    json_string_value(json_object_get(val, "target")));
		return 0;
	}
	if (strcmp(key, "dnat") == 0)
		return selfcheck_nft_nat(val, SCV_DNAT, r);
	if (strcmp(key, "redirect") == 0)
		return selfcheck_nft_nat(val, SCV_REDIRECT, r);
	if (strcmp(key, "tproxy") == 0)
		return selfcheck_nft_nat(val, SCV_TPROXY, r);
	return -1;
}

/* The index of chain TABLE/NAME of FAMILY in FW, -1 if absent. */
static int
selfcheck_nft_chain_index(const struct selfcheck_fw *fw, const char *family,
    const char *table, const char *name)
{
	size_t i;

	for (i = 0; i < fw->fw_nchains; i++)
		if (strcmp(fw->fw_chains[i].fc_family, family) == 0 &&
		    strcmp(fw->fw_chains[i].fc_table, table) == 0 &&
		    strcmp(fw->fw_chains[i].fc_name, name) == 0)
			return (int)i;
	return -1;
}

/* Add the chain object O to FW. */
static int
selfcheck_nft_add_chain(json_t *o, struct selfcheck_fw *fw)
{
	struct selfcheck_fw_chain *v, *c;
	const char *policy = json_string_value(json_object_get(o, "policy"));

	if ((v = realloc(fw->fw_chains, (fw->fw_nchains + 1) *
	    sizeof(*v))) == NULL)
		return -1;
	fw->fw_chains = v;
	c = &v[fw->fw_nchains++];
	memset(c, 0, sizeof(*c));
	selfcheck_nft_copy(c->fc_family, sizeof(c->fc_family),
	    json_string_value(json_object_get(o, "family")));
	selfcheck_nft_copy(c->fc_table, sizeof(c->fc_table),
	    json_string_value(json_object_get(o, "table")));
	selfcheck_nft_copy(c->fc_name, sizeof(c->fc_name),
	    json_string_value(json_object_get(o, "name")));
	selfcheck_nft_copy(c->fc_hook, sizeof(c->fc_hook),
	    json_string_value(json_object_get(o, "hook")));
	selfcheck_nft_copy(c->fc_type, sizeof(c->fc_type),
	    json_string_value(json_object_get(o, "type")));
	c->fc_policy = policy && strcmp(policy, "drop") == 0 ? SCV_DROP :
	    SCV_ACCEPT;
	return 0;
}

/* Add the rule object O to FW (its chain must be known). */
static int
selfcheck_nft_add_rule(json_t *o, struct selfcheck_fw *fw)
{
	struct selfcheck_fw_rule *v, *r;
	json_t *expr = json_object_get(o, "expr"), *st, *val;
	const char *key;
	size_t i;
	int c;

	c = selfcheck_nft_chain_index(fw,
	    json_string_value(json_object_get(o, "family")) ?: "",
	    json_string_value(json_object_get(o, "table")) ?: "",
	    json_string_value(json_object_get(o, "chain")) ?: "");
	if (c == -1)
		return 0;
	if ((v = realloc(fw->fw_rules, (fw->fw_nrules + 1) *
	    sizeof(*v))) == NULL)
		return -1;
	fw->fw_rules = v;
	r = &v[fw->fw_nrules++];
	memset(r, 0, sizeof(*r));
	r->fr_chain = c;
	r->fr_handle = (long)json_integer_value(json_object_get(o, "handle"));
	if (strcmp(fw->fw_chains[c].fc_family, "ip") == 0)
		r->fr_family = AF_INET;
	else if (strcmp(fw->fw_chains[c].fc_family, "ip6") == 0)
		r->fr_family = AF_INET6;
	json_array_foreach(expr, i, st) {
		json_object_foreach(st, key, val)
			if (selfcheck_nft_stmt(key, val, r) == -1)
				r->fr_unknown = 1;
	}
	return 0;
}

/*
 * Parse TEXT, the JSON of `nft -j -a list ruleset`, into FW.  Chains of
 * families other than ip, ip6 and inet (arp, bridge, netdev) are left out.
 */
int
selfcheck_nft_parse(const char *text, struct selfcheck_fw *fw)
{
	json_t *root = json_loads(text, 0, NULL), *list, *it, *o;
	const char *fam;
	size_t i;
	int pass, rc = 0;

	if (root == NULL || (list = json_object_get(root, "nftables")) == NULL) {
		json_decref(root);
		return -1;
	}
	/* Chains first: a jump may name a chain listed later. */
	for (pass = 0; pass < 2 && rc == 0; pass++)
		json_array_foreach(list, i, it) {
			o = json_object_get(it, pass == 0 ? "chain" : "rule");
			fam = json_string_value(json_object_get(o, "family"));
			if (o == NULL || fam == NULL || (strcmp(fam, "ip") != 0 &&
			    strcmp(fam, "ip6") != 0 && strcmp(fam, "inet") != 0))
				continue;
			if ((pass == 0 ? selfcheck_nft_add_chain(o, fw) :
			    selfcheck_nft_add_rule(o, fw)) == -1) {
				rc = -1;
				break;
			}
		}
	json_decref(root);
	fw->fw_ok = rc == 0;
	fw->fw_source = "nftables";
	return rc;
}

/* Open libnftables (once); -1, logged, when it cannot be. */
static int
selfcheck_nft_lib_open(void)
{
	static const char *const names[] = { "nft_ctx_new",
		"nft_ctx_output_set_flags", "nft_ctx_buffer_output",
		"nft_ctx_buffer_error", "nft_run_cmd_from_buffer",
		"nft_ctx_get_output_buffer", "nft_ctx_free" };
	void *syms[sizeof(names) / sizeof(names[0])];
	struct selfcheck_nft_lib *l = &selfcheck_nft_lib;
	char why[256];

	if (l->nl_new != NULL)
		return 0;
	if (dynlib_load(NFT_SONAME, names, syms, sizeof(names) /
	    sizeof(names[0]), why, sizeof(why)) == -1) {
		log_warnx("selfcheck: the netfilter ruleset is not read: "
		    "libnftables cannot be loaded: %s", why);
		return -1;
	}
	l->nl_new = (struct nft_ctx *(*)(uint32_t))syms[0];
	l->nl_set_flags = (void (*)(struct nft_ctx *,
	    unsigned int))syms[1];
	l->nl_buffer_output = (int (*)(struct nft_ctx *))syms[2];
	l->nl_buffer_error = (int (*)(struct nft_ctx *))syms[3];
	l->nl_run = (int (*)(struct nft_ctx *, const char *))syms[4];
	l->nl_output = (const char *(*)(struct nft_ctx *))syms[5];
	l->nl_free = (void (*)(struct nft_ctx *))syms[6];
	return 0;
}

/* Read the namespace's ruleset into FW through libnftables. */
int
selfcheck_nft_read(struct selfcheck_fw *fw)
{
	struct nft_ctx *ctx;
	const char *out;
	int rc = -1;

	const struct selfcheck_nft_lib *l = &selfcheck_nft_lib;

	memset(fw, 0, sizeof(*fw));
	fw->fw_source = "unreadable";
	if (selfcheck_nft_lib_open() == -1 ||
	    (ctx = l->nl_new(NFT_CTX_DEFAULT)) == NULL)
		return -1;
	/* Symbols by name (ct state, fib type); ports are numbers in JSON. */
	l->nl_set_flags(ctx, NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_HANDLE);
	if (l->nl_buffer_output(ctx) == 0 && l->nl_buffer_error(ctx) == 0 &&
	    l->nl_run(ctx, "list ruleset") == 0 &&
	    (out = l->nl_output(ctx)) != NULL)
		rc = out[0] == '\0' ? (fw->fw_ok = 1, fw->fw_source = "nftables",
		    0) : selfcheck_nft_parse(out, fw);
	l->nl_free(ctx);
	return rc;
}

/* Release the model. */
void
selfcheck_fw_free(struct selfcheck_fw *fw)
{
	free(fw->fw_chains);
	free(fw->fw_rules);
	memset(fw, 0, sizeof(*fw));
}

/* "inet filter input handle 4": how nft names rule R. */
char *
selfcheck_fw_rule_name(const struct selfcheck_fw *fw,
    const struct selfcheck_fw_rule *r, char *buf, size_t len)
{
	const struct selfcheck_fw_chain *c = &fw->fw_chains[r->fr_chain];

	snprintf(buf, len, "%.7s %.40s %.40s handle %ld", c->fc_family, c->fc_table,
	    c->fc_name, r->fr_handle);
	return buf;
}
