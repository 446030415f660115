# SPDX-License-Identifier: ISC
# Shared by tests/e2e/selfcheck_*.sh (sourced after lib.sh): the tools the
# audit tests drive, and a veth pair to a peer namespace that gives ours a
# non-loopback address: 192.0.2.1/24 and 2001:db8::1/64.
command -v socat >/dev/null || skip "socat is not installed"
command -v jq >/dev/null || skip "jq is not installed"
[ -x "$SUPERD" ] || skip "no superd binary at $SUPERD"

PEER=sc-peer-$$
ip netns add "$PEER" || skip "cannot create a network namespace"
trap 'ip netns del $PEER 2>/dev/null; cleanup' EXIT
# No duplicate address detection: a tentative address (the link-local one
# for a second or two) cannot be bound, and the audit rightly reports its
# ports as undecided.
sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
ip link add sc0 type veth peer name sc1 netns "$PEER"
ip addr add 192.0.2.1/24 dev sc0 && ip -6 addr add 2001:db8::1/64 dev sc0 nodad
ip link set sc0 up && ip -n "$PEER" link set sc1 up
for i in $(seq 100); do
	[ -z "$(ip -6 addr show tentative)" ] && break
	sleep 0.05
done

# The UDP probe waits for ICMP port-unreachable, which the kernel rate
# limits per namespace (1000/s, bursts of 50): raise the limits here, in
# this test's namespace only, so the sweep completes.  (The audit itself
# works with any limits: what the deadline leaves unanswered is unknown.)
sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_msgs_per_sec=1000000 \
	net.ipv4.icmp_msgs_burst=1000000 net.ipv6.icmp.ratelimit=0 ||
	echo "note: cannot raise the ICMP limits; UDP sweeps stop at their deadline"

# remote_peer: the peer gets 192.0.2.2 and 2001:db8::2, to audit this
# namespace from there (--remote ... --from-namespace "$PEER") and to run
# nmap, the ground truth, from the same place.
remote_peer() {
	command -v nmap >/dev/null || skip "nmap is not installed"
	ip -n "$PEER" addr add 192.0.2.2/24 dev sc1
	ip -n "$PEER" -6 addr add 2001:db8::2/64 dev sc1 nodad
}

# f ID JQ: field JQ of the finding ID in $json.
f() { jq -r --arg id "$1" ".findings[] | select(.id == \$id) | $2" <<<"$json"; }

# periodic_conf FILE: a config with an audit every second and one declared
# service, echo on 127.0.0.1.
periodic_conf() {
	cat >"$1" <<CONF
selfcheck_interval = 1
service echo {
	internal = yes
	protocol = tcp
	bind = "127.0.0.1"
}
CONF
}
