#!/bin/bash
# SPDX-License-Identifier: ISC
# superd --selfcheck reads the netfilter ruleset: prerouting DNAT and
# REDIRECT of TCP and UDP (to a declared service, to 127.0.0.1 with
# route_localnet) are `forwarded` (CRITICAL) with rule and target named;
# input policy drop with `iif lo accept`, an iifname drop and a source
# drop make a declared port `unreachable` with the rule named; a
# firewalled stray is reported without claiming it answers from outside; a
# rule the model cannot read is `undecided` with its handle; a UDP wait
# service behind an output-chain redirect is not started by the audit.
# nmap from the peer namespace, across the veth, is the ground truth.
# Every rule is loaded in this test's own network namespace.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"
command -v nft >/dev/null || skip "nft is not installed"
command -v nmap >/dev/null || skip "nmap is not installed"
nft list ruleset >/dev/null 2>&1 || skip "nf_tables is not available here"
ip -n "$PEER" addr add 192.0.2.2/24 dev sc1

CONF=$T/nft.conf
cat >"$CONF" <<EOF2
192.0.2.1:7013 stream tcp nowait nobody /bin/true true
192.0.2.1:7014 dgram udp wait nobody /bin/true true
EOF2
start_superd "$CONF" || skip "superd cannot serve here"
socat TCP-LISTEN:7788,bind=127.0.0.1,reuseaddr,fork SYSTEM:true &
LOCAL=$!
for i in $(seq 50); do
	ss -ltnH | grep -q '127.0.0.1:7788 ' && break
	sleep 0.05
done
audit() { "$SUPERD" -c "$CONF" --selfcheck "$@"; }
# nmap_state PROTO PORT: what the peer sees of 192.0.2.1:PORT.
nmap_state() {
	ip netns exec "$PEER" nmap -n -Pn -T5 --max-retries 2 \
		"$([ "$1" = udp ] && echo -sU || echo -sS)" -p "$2" 192.0.2.1 |
		awk -v p="$2/$1" '$1 == p { print $2 }'
}

json=$(audit --json)
expect_eq "without rules superd's endpoints are ok" OK "$(jq -r .status <<<"$json")"

# NAT in prerouting.
sysctl -qw net.ipv4.conf.sc0.route_localnet=1
nft -f - <<'EOF2'
table ip scnat {
	chain pre {
		type nat hook prerouting priority -100;
		tcp dport 8080 dnat to 192.0.2.1:7013
		udp dport 5000 redirect to :7014
		tcp dport 9000 dnat to 127.0.0.1:7788
	}
	chain out {
		type nat hook output priority -100;
		udp dport 6000 redirect to :7014
	}
}
EOF2
expect_eq "ground truth: the peer reaches the DNAT port" open "$(nmap_state tcp 8080)"
expect_eq "ground truth: the peer reaches the route_localnet DNAT" open "$(nmap_state tcp 9000)"
json=$(audit --json)
expect_eq "a DNAT of an undeclared port is CRITICAL" 2 $?
expect_eq "the DNAT is forwarded, CRITICAL" CRITICAL \
	"$(f tcp/192.0.2.1/8080/forwarded .severity)"
expect_eq "its target is named" 192.0.2.1:7013 "$(f tcp/192.0.2.1/8080/forwarded .to)"
expect_match "its rule is named" "^ip scnat pre handle [0-9]+$" \
	"$(f tcp/192.0.2.1/8080/forwarded .rule)"
expect_eq "the target's owner is superd" "$SUPERD_PID" \
	"$(f tcp/192.0.2.1/8080/forwarded '.socket.owners[0].pid')"
expect_eq "a UDP REDIRECT is forwarded to the declared service" 192.0.2.1:7014 \
	"$(f udp/192.0.2.1/5000/forwarded .to)"
expect_eq "a DNAT to 127.0.0.1 names the local listener" "$LOCAL" \
	"$(f tcp/192.0.2.1/9000/forwarded '.socket.owners[0].pid')"
expect_eq "the output-chain redirect is not probed" skipped \
	"$(jq -r '[.probe.udp.addresses[] | select(.address == "127.0.0.1") |
		.skipped[] | select(. == 6000)] | length | if . == 1 then "skipped" else "probed" end' <<<"$json")"
text=$(audit)
expect_match "text names rule and target" \
	"192\.0\.2\.1:8080 +tcp .* forwarded .* to=192\.0\.2\.1:7013 rule=\"ip scnat pre handle [0-9]+\"" "$text"
sleep 0.3
if grep -q 'event=start' "$LOG"; then
	fail "the audit started the wait service behind the output redirect"
else
	pass "the wait service behind the output redirect was not started"
fi
nft delete table ip scnat

# Filtering in input.
filter() {
	nft delete table inet scf 2>/dev/null
	nft -f - <<EOF2
table inet scf {
	chain input {
		type filter hook input priority 0; policy $1;
		$2
	}
}
EOF2
}
filter drop 'iif lo accept'
expect_eq "ground truth: policy drop filters the declared port" filtered \
	"$(nmap_state tcp 7013)"
json=$(audit --json)
expect_eq "policy drop: the declared port is unreachable" CRITICAL \
	"$(f tcp/192.0.2.1/7013/unreachable .severity)"
expect_eq "policy drop: the rule is the policy" "inet scf input policy drop" \
	"$(f tcp/192.0.2.1/7013/unreachable .rule)"
expect_eq "policy drop: the declared UDP port is unreachable too" blocked \
	"$(f udp/192.0.2.1/7014/unreachable .firewall)"
socat TCP-LISTEN:7777,reuseaddr,fork SYSTEM:true &
STRAY=$!
for i in $(seq 50); do
	ss -ltnH | grep -q ':7777 ' && break
	sleep 0.05
done
expect_eq "ground truth: the firewalled stray is filtered" filtered "$(nmap_state tcp 7777)"
json=$(audit --json)
expect_eq "a firewalled stray is still reported" WARNING \
	"$(f tcp/0.0.0.0/7777/exposed .severity)"
expect_eq "its evidence does not claim it answers" "table rules" \
	"$(f tcp/0.0.0.0/7777/exposed '.evidence | join(" ")')"
kill "$STRAY"
wait "$STRAY" 2>/dev/null

filter accept 'iifname "sc0" tcp dport 7013 drop'
expect_eq "ground truth: the iifname drop filters it" filtered "$(nmap_state tcp 7013)"
json=$(audit --json)
expect_eq "iifname drop: unreachable, WARNING" WARNING \
	"$(f tcp/192.0.2.1/7013/unreachable .severity)"
expect_match "iifname drop: the rule and the interface named" \
	"^inet scf input handle [0-9]+ \(iifname sc0\)$" \
	"$(f tcp/192.0.2.1/7013/unreachable .rule)"

filter accept 'ip saddr 192.0.2.2 tcp dport 7013 drop'
expect_eq "ground truth: the source drop filters it for the peer" filtered \
	"$(nmap_state tcp 7013)"
json=$(audit --json)
expect_match "source drop: unreachable with the source named" \
	"\(ip saddr 192\.0\.2\.2\)$" "$(f tcp/192.0.2.1/7013/unreachable .rule)"

filter accept 'tcp dport 7013 meta mark 0x1 drop'
json=$(audit --json)
expect_eq "a rule the model cannot read: undecided" WARNING \
	"$(f tcp/192.0.2.1/7013/undecided .severity)"
expect_match "undecided names the handle" "^inet scf input handle [0-9]+$" \
	"$(f tcp/192.0.2.1/7013/undecided .rule)"
nft delete table inet scf
kill "$LOCAL"
wait "$LOCAL" 2>/dev/null
finish
