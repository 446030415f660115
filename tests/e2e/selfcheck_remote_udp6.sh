#!/bin/bash
# SPDX-License-Identifier: ISC
# The remote audit's UDP probe over IPv6 (2001:db8::1 here, the peer
# 2001:db8::2): a stray UDP socket is exposed (no port-unreachable came
# back), every other port of the range decided, as nmap -6 -sU from the
# same peer says; the declared UDP wait service is never sent a datagram
# (no start in superd's log) and stays undecided: WARNING, unless
# --proto tcp leaves UDP out.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"
remote_peer

CONF=$T/remote.conf
cat >"$CONF" <<EOF2
7016 stream tcp6 nowait nobody /bin/true true
[2001:db8::1]:7014 dgram udp6 wait nobody /bin/true true
EOF2
start_superd "$CONF" || skip "superd cannot serve here"
hold "udp:[2001:db8::1]:7778" udp:0.0.0.0:7779 || skip "cannot bind the strays"
trap 'kill $HOLDER 2>/dev/null; ip netns del $PEER 2>/dev/null; cleanup' EXIT
remote() {
	"$SUPERD" --selfcheck --remote 2001:db8::1 -c "$CONF" \
		--from-namespace "$PEER" --ports 7000-7800 "$@"
}

json=$(remote --json)
expect_eq "an exposed UDP stray over IPv6: CRITICAL, exit 2" 2 $?
expect_eq "the IPv6 UDP stray is exposed, no refusal came back" "open|filtered" \
	"$(f udp/2001:db8::1/7778/exposed .probe)"
expect_eq "the IPv4-only stray is not there over IPv6" "" \
	"$(f udp/2001:db8::1/7779/exposed .severity)"
expect_eq "the declared UDP port is not probed" skipped \
	"$(f udp/2001:db8::1/7014/undecided .probe)"
expect_eq "and it is undecided, WARNING" WARNING \
	"$(f udp/2001:db8::1/7014/undecided .severity)"
expect_match "its advice says why it stays undecided" \
	"not probed .*wait service.* ruleset is not readable from here: it stays undecided \(WARNING; --proto tcp leaves UDP out\)" \
	"$(f udp/2001:db8::1/7014/undecided .advice)"
expect_eq "every other port decided: none unknown" 0 \
	"$(jq -r '.probe.udp.addresses[0].unknown' <<<"$json")"
expect_eq "and the sweep says complete" true "$(jq -r .probe.udp.complete <<<"$json")"
expect_eq "the closed ports counted" 799 \
	"$(jq -r '.probe.udp.addresses[0].closed' <<<"$json")"
if grep -Eq 'event=(start|refuse)' "$LOG"; then
	fail "the remote audit reached a service: $(grep -E 'event=' "$LOG")"
else
	pass "the remote audit started no service (no datagram to 7014)"
fi
# Ground truth, sparing the declared wait service (nmap would start it).
truth=$(ip netns exec "$PEER" nmap -6 -n -Pn -sU -T5 --max-retries 2 \
	-p 7000-7013,7015-7800 2001:db8::1 |
	awk '$1 ~ /udp$/ && $2 != "closed" { print $1 "=" $2 }' | xargs)
expect_eq "nmap -6 -sU from the peer: the same one non-closed port" \
	"7778/udp=open|filtered" "$truth"

text=$(remote)
expect_match "text: the stray's row" \
	"\[2001:db8::1\]:7778 +udp +open\|filtered +exposed" "$text"
expect_match "text: the declared UDP port's row" \
	"\[2001:db8::1\]:7014 +udp +skipped +undecided" "$text"

kill "$HOLDER"
json=$(remote --json)
expect_eq "without the stray: the declared UDP port alone is WARNING, exit 1" 1 $?
expect_eq "its finding" WARNING "$(f udp/2001:db8::1/7014/undecided .severity)"
json=$(remote --json --proto tcp)
expect_eq "--proto tcp leaves it out: OK, exit 0" 0 $?
expect_eq "no UDP finding then" "" \
	"$(jq -r '[.findings[] | select(.proto == "udp")] | length | select(. > 0)' <<<"$json")"
finish
