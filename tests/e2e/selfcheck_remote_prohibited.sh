#!/bin/bash
# SPDX-License-Identifier: ISC
# The remote audit and a firewall that rejects with ICMP administratively
# prohibited (nft `reject with icmp type admin-prohibited`, icmpv6
# admin-prohibited, icmp host-prohibited): the port was left unknown (UDP)
# or silent (TCP); it is filtered, reachable by nobody from the peer, as
# nmap says from the same peer.  A declared TCP port so rejected is
# unreachable (CRITICAL); a rejected stray is not exposed; both are named
# on the report's FILTERED line and in the JSON "prohibited" lists.
# The rules are loaded in this test's namespace only (the target).
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"
command -v nft >/dev/null || skip "nft is not installed"
remote_peer

CONF=$T/remote.conf
cat >"$CONF" <<EOF2
7013 stream tcp46 nowait nobody /bin/true true
7016 stream tcp46 nowait nobody /bin/true true
192.0.2.1:7014 dgram udp wait nobody /bin/true true
EOF2
start_superd "$CONF" || skip "superd cannot serve here"
hold tcp:0.0.0.0:7777 "tcp:[::]:7777" udp:0.0.0.0:7778 "udp:[::]:7778" \
	udp:0.0.0.0:7779 || skip "cannot bind the strays"
trap 'kill $HOLDER 2>/dev/null; ip netns del $PEER 2>/dev/null; cleanup' EXIT
nft -f - <<'EOF2' || skip "nf_tables is not available"
table inet scprohib {
	chain input {
		type filter hook input priority 0; policy accept;
		iifname "sc0" meta nfproto ipv4 tcp dport { 7013, 7777 } reject with icmp type admin-prohibited
		iifname "sc0" meta nfproto ipv6 tcp dport { 7013, 7777 } reject with icmpv6 type admin-prohibited
		iifname "sc0" meta nfproto ipv4 udp dport 7778 reject with icmp type admin-prohibited
		iifname "sc0" meta nfproto ipv6 udp dport 7778 reject with icmpv6 type admin-prohibited
		iifname "sc0" meta nfproto ipv4 udp dport 7050 reject with icmp type host-prohibited
	}
}
EOF2
remote() {
	"$SUPERD" --selfcheck --remote "$@" --from-namespace "$PEER"
}
# nmap_state PORT ARGS...: nmap's state and reason for PORT from the peer.
nmap_state() {
	local port=$1
	shift
	ip netns exec "$PEER" nmap -n -Pn -T5 --reason --max-retries 2 \
		"$@" | awk -v p="$port" '$1 ~ "^" p "/" { print $2, $4 }'
}

for a in 192.0.2.1 2001:db8::1; do
	json=$(remote "$a" -c "$CONF" --json --ports 7000-7800)
	rc=$?
	expect_eq "$a: a declared port rejected: CRITICAL, exit 2" 2 "$rc"
	expect_eq "$a: the rejected declared TCP port is unreachable" CRITICAL \
		"$(f "tcp/$a/7013/unreachable" .severity)"
	expect_eq "$a: its probe says prohibited" prohibited \
		"$(f "tcp/$a/7013/unreachable" .probe)"
	expect_match "$a: its advice says filtered by the target's firewall" \
		"firewall rejects it.*reachable by nobody from here" \
		"$(f "tcp/$a/7013/unreachable" .advice)"
	expect_eq "$a: the other declared TCP port is ok" OK \
		"$(f "tcp/$a/7016/ok" .severity)"
	expect_eq "$a: the rejected TCP stray is not exposed" "" \
		"$(f "tcp/$a/7777/exposed" .severity)"
	expect_eq "$a: the rejected UDP stray is not exposed" "" \
		"$(f "udp/$a/7778/exposed" .severity)"
	expect_eq "$a: JSON: the rejected TCP ports" "7013 7777" \
		"$(jq -r '.probe.addresses[0].prohibited | join(" ")' <<<"$json")"
	expect_eq "$a: ground truth: nmap -sS from the peer says filtered" \
		"filtered admin-prohibited" "$(nmap_state 7013 -sS -p 7013 \
		$([ "$a" = 2001:db8::1 ] && echo -6) "$a")"
done
json=$(remote 192.0.2.1 -c "$CONF" --json --ports 7000-7800)
expect_eq "IPv4: JSON: the rejected UDP ports" "7050 7778" \
	"$(jq -r '.probe.udp.addresses[0].prohibited | join(" ")' <<<"$json")"
expect_eq "IPv4: the unrejected UDP stray is still exposed" "open|filtered" \
	"$(f udp/192.0.2.1/7779/exposed .probe)"
expect_eq "IPv4: no UDP port left unknown" 0 \
	"$(jq -r '.probe.udp.addresses[0].unknown' <<<"$json")"
expect_eq "ground truth: nmap -sU says admin-prohibited is filtered" \
	"filtered admin-prohibited" \
	"$(nmap_state 7778 -sU -p 7778 192.0.2.1)"
expect_eq "ground truth: nmap -sU says host-prohibited is filtered" \
	"filtered host-prohibited" \
	"$(nmap_state 7050 -sU -p 7050 192.0.2.1)"
json=$(remote 2001:db8::1 -c "$CONF" --json --ports 7000-7800)
expect_eq "IPv6: JSON: the rejected UDP port" "7778" \
	"$(jq -r '.probe.udp.addresses[0].prohibited | join(" ")' <<<"$json")"
expect_eq "IPv6: no UDP port left unknown" 0 \
	"$(jq -r '.probe.udp.addresses[0].unknown' <<<"$json")"
expect_eq "ground truth: nmap -6 -sU says filtered" "filtered admin-prohibited" \
	"$(nmap_state 7778 -6 -sU -p 7778 2001:db8::1)"

text=$(remote 192.0.2.1 -c "$CONF" --ports 7000-7800)
expect_match "text: the FILTERED line names the rejected ports" \
	"^FILTERED 192\.0\.2\.1: tcp 7013,7777 udp 7050,7778 rejected by the target's firewall \(ICMP administratively prohibited\): reachable by nobody from here$" \
	"$text"
expect_match "text: the declared port's row" \
	"192\.0\.2\.1:7013 +tcp +prohibited +unreachable" "$text"

if grep -Eq 'event=(start|refuse)' "$LOG"; then
	fail "the remote audit reached a service: $(grep -E 'event=' "$LOG")"
else
	pass "the remote audit started no service"
fi
nft delete table inet scprohib
json=$(remote 192.0.2.1 -c "$CONF" --json --ports 7000-7800)
expect_eq "without the rule the stray is exposed again" CRITICAL \
	"$(f tcp/192.0.2.1/7777/exposed .severity)"
expect_eq "and nothing is prohibited" "" \
	"$(jq -r '.probe.addresses[0].prohibited | join(" ")' <<<"$json")"
finish
