#!/bin/bash
# SPDX-License-Identifier: ISC
# superd --selfcheck --remote HOST --from-namespace NAME: the audit from
# outside.  Two namespaces joined by a veth pair (this one 192.0.2.1 and
# 2001:db8::1, the peer 192.0.2.2 and 2001:db8::2); superd and a stray
# TCP and UDP listener here, the audit run from the peer.  nmap from the
# same peer is the ground truth; a firewall drop of a declared port here
# shows `unreachable`; the declared set comes from -c or from
# `superd status --json` (--declared); a paced UDP sweep says so with its
# undecided ports counted.  Every rule is loaded in this test's namespace.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"
remote_peer

CONF=$T/remote.conf
cat >"$CONF" <<EOF2
192.0.2.1:7013 stream tcp nowait nobody /bin/true true
7016 stream tcp46 nowait nobody /bin/true true
192.0.2.1:7014 dgram udp wait nobody /bin/true true
EOF2
start_superd "$CONF" || skip "superd cannot serve here"
socat TCP-LISTEN:7777,reuseaddr,fork SYSTEM:true &
STRAY=$!
trap 'kill $STRAY 2>/dev/null; ip netns del $PEER 2>/dev/null; cleanup' EXIT
hold udp:0.0.0.0:7778 || skip "cannot bind the stray UDP port"
for i in $(seq 50); do
	ss -ltnH | grep -q ':7777 ' && break
	sleep 0.05
done
remote() {
	"$SUPERD" --selfcheck --remote "$@" --from-namespace "$PEER"
}

json=$(remote 192.0.2.1 -c "$CONF" --json)
expect_eq "undeclared open ports from outside: CRITICAL, exit 2" 2 $?
expect_eq "the declared TCP endpoint answers: ok" OK "$(f tcp/192.0.2.1/7013/ok .severity)"
expect_eq "a wildcard declaration covers the remote address" OK \
	"$(f tcp/192.0.2.1/7016/ok .severity)"
expect_eq "the stray TCP listener is exposed" CRITICAL \
	"$(f tcp/192.0.2.1/7777/exposed .severity)"
expect_eq "the stray UDP socket is exposed (no port-unreachable)" "open|filtered" \
	"$(f udp/192.0.2.1/7778/exposed .probe)"
expect_eq "the declared UDP port is not probed" skipped \
	"$(f udp/192.0.2.1/7014/undecided .probe)"
expect_eq "no owner is claimed from outside" null \
	"$(f tcp/192.0.2.1/7777/exposed .socket)"
expect_match "the report says what it cannot see" "from namespace $PEER" \
	"$(jq -r .audited.remote <<<"$json")"
if grep -Eq 'event=(start|refuse)' "$LOG"; then
	fail "the remote audit reached a service: $(grep -E 'event=' "$LOG")"
else
	pass "the remote audit started no service (half-open SYNs, no datagram to 7014)"
fi

# Ground truth: nmap from the same namespace sees the same open TCP ports.
truth=$(ip netns exec "$PEER" nmap -n -Pn -sS -T5 -p- --max-retries 2 \
	192.0.2.1 | awk -F/ '$2 ~ /^tcp +open/ { print $1 }' | sort -n | xargs)
expect_eq "nmap -sS finds the TCP ports the audit found open" "$truth" \
	"$(jq -r '.probe.addresses[0].open | join(" ")' <<<"$json")"
truth=$(ip netns exec "$PEER" nmap -n -Pn -sU -T5 -p 7000-7100,7770-7790 \
	192.0.2.1 | awk '$1 ~ /udp$/ && $2 != "closed" { print $1 "=" $2 }' | xargs)
expect_eq "nmap -sU agrees on the undeclared UDP port" "7778/udp=open|filtered" \
	"$(tr ' ' '\n' <<<"$truth" | grep -v '^7014/' | xargs)"

text=$(remote 192.0.2.1 -c "$CONF")
expect_match "text: the stray's owner is unknown from outside" \
	"192\.0\.2\.1:7777 +tcp +open +exposed +probe +- +unknown\(remote\)" "$text"
expect_match "text: the summary" "^SELFCHECK CRITICAL - 2 ok, 2 exposed, 1 undecided" \
	"$(tail -1 <<<"$text")"
prom=$(remote 192.0.2.1 -c "$CONF" --format prometheus)
expect_match "prometheus: the status" "^superd_selfcheck_status 2$" "$prom"

json=$(remote 2001:db8::1 -c "$CONF" --json --proto tcp)
expect_eq "IPv6: the tcp46 endpoint is ok" OK "$(f tcp/2001:db8::1/7016/ok .severity)"
expect_eq "IPv6: the IPv4-only stray is not there" "" \
	"$(f tcp/2001:db8::1/7777/exposed .severity)"

# The declared set from the target's status reply.
"$SUPERD" status --json >"$T/status.json"
json=$(remote 192.0.2.1 --declared "$T/status.json" --json --proto tcp)
expect_eq "--declared: the same verdicts" "ok ok exposed" \
	"$(jq -r '[.findings[].kind] | join(" ")' <<<"$json")"

# A firewall drop of a declared port here: unreachable from there.
if nft -f - <<'EOF2' 2>/dev/null; then
table inet scremote {
	chain input {
		type filter hook input priority 0; policy accept;
		iifname "sc0" tcp dport 7013 drop
	}
}
EOF2
	json=$(remote 192.0.2.1 -c "$CONF" --json --proto tcp)
	expect_eq "a dropped declared port is unreachable, CRITICAL" CRITICAL \
		"$(f tcp/192.0.2.1/7013/unreachable .severity)"
	expect_eq "its probe says filtered" filtered \
		"$(f tcp/192.0.2.1/7013/unreachable .probe)"
	expect_eq "ground truth: nmap sees it filtered" filtered "$(ip netns exec \
		"$PEER" nmap -n -Pn -sS -T5 -p 7013 192.0.2.1 |
		awk '$1 == "7013/tcp" { print $2 }')"
	nft delete table inet scremote
else
	echo "note: nf_tables is not available: no firewall case"
fi

# The target's ICMP limit at its defaults: the UDP sweep is paced and says
# how much it could not decide.
sysctl -qw net.ipv4.icmp_ratelimit=1000 net.ipv4.icmp_msgs_per_sec=1000 \
	net.ipv4.icmp_msgs_burst=50
json=$(remote 192.0.2.1 -c "$CONF" --json --proto udp --ports 7000-7400 \
	--udp-deadline 0.5)
rc=$?
expect_eq "paced: the sweep says so" true "$(jq -r '.probe.udp.addresses[0].paced' <<<"$json")"
n=$(jq -r '[.undecided[] | select(.proto == "udp") | .ports] | add // 0' <<<"$json")
check "paced: the undecided ports are counted ($n)" test "$n" -gt 0
expect_eq "paced: they are the probe's unknown ones" "$n" \
	"$(jq -r '.probe.udp.addresses[0].unknown' <<<"$json")"
check "paced: at least WARNING (exit $rc)" test "$rc" -ge 1
expect_match "paced: the advice names the target's limit" "target's ICMP rate limit" \
	"$(jq -r .coverage.advice <<<"$json")"

# Options in any order, the subcommand among them.
json=$("$SUPERD" --from-namespace="$PEER" --proto=tcp selfcheck --json \
	--remote=192.0.2.1 --config="$CONF")
expect_eq "options in any order: the same audit" OK \
	"$(f tcp/192.0.2.1/7013/ok .severity)"

# Usage: what is not a remote audit stays an error.
out=$("$SUPERD" -c "$CONF" --selfcheck --addr 192.0.2.2 2>&1)
expect_eq "--addr of a non-local address without --remote: exit 3" 3 $?
expect_match "and it says why" "not an address of this host" "$out"
"$SUPERD" --selfcheck --remote 192.0.2.1 >/dev/null 2>&1
expect_eq "--remote without -c or --declared: exit 3" 3 $?
"$SUPERD" -c "$CONF" --selfcheck --from-namespace "$PEER" >/dev/null 2>&1
expect_eq "--from-namespace without --remote: exit 3" 3 $?
out=$("$SUPERD" -c "$CONF" --selfcheck --remote 192.0.2.1 \
	--from-namespace nosuch-$$ 2>&1)
expect_eq "an unknown namespace: exit 3" 3 $?
expect_match "and it says why" "^SELFCHECK UNKNOWN - --from-namespace nosuch-$$" "$out"
echo '{"v":1}' >"$T/bad.json"
out=$("$SUPERD" --selfcheck --remote 192.0.2.1 --declared "$T/bad.json" 2>&1)
expect_eq "a --declared file that is no status reply: exit 3" 3 $?
json=$(remote 192.0.2.1 -c "$CONF" --json --proto tcp --addr 192.0.2.1)
expect_eq "--remote with --addr of a non-local address is allowed" OK \
	"$(f tcp/192.0.2.1/7013/ok .severity)"
finish
