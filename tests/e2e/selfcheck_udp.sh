#!/bin/bash
# SPDX-License-Identifier: ISC
# superd --selfcheck, the UDP probe and device-bound sockets: a stray UDP
# socket on 192.0.2.1 is exposed with probe evidence (no port-unreachable
# came back); superd's own UDP wait services are ok and never receive a
# datagram (the daemon logs no event=start); a TCP listener bound to lo
# (SO_BINDTODEVICE) is local-only, shown as 0.0.0.0%lo, never exposed on
# the veth address; IPv6 link-local addresses are audited with their scope.
# Runs in its own network namespace with a veth to a peer namespace
# (192.0.2.1/24 and 2001:db8::1/64 on our side).
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"

CONF=$T/udp.conf
cat >"$CONF" <<EOF
192.0.2.1:7777 dgram udp wait nobody /bin/true true
127.0.0.1:7778 dgram udp wait nobody /bin/true true
EOF
start_superd "$CONF" || skip "superd cannot serve here"

socat -u UDP-RECV:5301,bind=192.0.2.1 OPEN:/dev/null &
STRAY=$!
socat TCP-LISTEN:7790,so-bindtodevice=lo,reuseaddr,fork SYSTEM:true &
DEV=$!
for i in $(seq 50); do
	[ "$(ss -ltnuH | wc -l)" -ge 4 ] && break
	sleep 0.05
done

json=$("$SUPERD" -c "$CONF" --selfcheck --json)
expect_eq "a stray UDP socket makes the audit CRITICAL" 2 $?
expect_eq "the stray UDP socket is exposed and named" "$STRAY" \
	"$(f udp/192.0.2.1/5301/exposed '.socket.owners[0].pid')"
expect_eq "the stray sent no port-unreachable" "open|filtered" \
	"$(f udp/192.0.2.1/5301/exposed .probe)"
expect_eq "the stray has table and probe evidence" "table probe" \
	"$(f udp/192.0.2.1/5301/exposed '.evidence | join(" ")')"
expect_eq "the UDP sweep answered every port" true \
	"$(jq '.probe.udp.complete' <<<"$json")"
expect_eq "an unbound UDP port refused" 0 \
	"$(jq '[.probe.udp.addresses[] | select(.address == "192.0.2.1") |
		."open|filtered"[] | select(. == 5302)] | length' <<<"$json")"
expect_eq "superd's UDP service on 192.0.2.1 is ok" ok \
	"$(f udp/192.0.2.1/7777/ok .kind)"
expect_eq "superd's UDP service was not probed" skipped \
	"$(f udp/192.0.2.1/7777/ok .probe)"
expect_eq "superd's UDP service on 127.0.0.1 is ok" skipped \
	"$(f udp/127.0.0.1/7778/ok .probe)"
expect_eq "the lo-bound listener is local-only" "$DEV" \
	"$(f tcp/0.0.0.0/7790/local-only '.socket.owners[0].pid')"
expect_eq "the lo-bound listener names its device" lo \
	"$(f tcp/0.0.0.0/7790/local-only .socket.device)"
expect_eq "the lo-bound listener is not exposed anywhere" 0 \
	"$(jq '[.findings[] | select(.port == 7790 and .kind == "exposed")] |
		length' <<<"$json")"
expect_match "a link-local address is audited with its scope" \
	'"fe80::[0-9a-f:]+%sc0"' "$(jq -c '.probe.udp.addresses' <<<"$json")"

text=$("$SUPERD" -c "$CONF" --selfcheck)
expect_match "text shows the device as ss does" \
	"0\.0\.0\.0%lo:7790 +tcp +open +local-only +table\+probe" "$text"
expect_match "text shows the UDP evidence" \
	"192\.0\.2\.1:5301 +udp +open\|filtered +exposed +table\+probe" "$text"

"$SUPERD" -c "$CONF" --selfcheck --proto udp --addr 192.0.2.1 >/dev/null
expect_eq "UDP-only audit sees the UDP stray" 2 $?
json=$("$SUPERD" -c "$CONF" --selfcheck --no-probe --json)
expect_eq "--no-probe sends nothing" none "$(jq -r .probe.udp.mode <<<"$json")"
expect_eq "--no-probe still sees the stray from the table" table \
	"$(f udp/192.0.2.1/5301/exposed '.evidence | join(" ")')"
kill "$STRAY" "$DEV"
wait "$STRAY" "$DEV" 2>/dev/null

# With the default ICMP limits and a short deadline the sweep cannot
# finish: unanswered ports are unknown, never findings.
sysctl -qw net.ipv4.icmp_msgs_per_sec=1000 net.ipv4.icmp_msgs_burst=50
json=$("$SUPERD" -c "$CONF" --selfcheck --json --proto udp \
	--addr 192.0.2.1 --udp-deadline 0.5)
expect_eq "a rate-limited sweep is still OK" 0 $?
expect_eq "a rate-limited sweep reports nothing on silence alone" 0 \
	"$(jq '[.findings[] | select(.evidence == ["probe"])] | length' <<<"$json")"
expect_eq "a rate-limited sweep says it is incomplete" false \
	"$(jq '.probe.udp.complete' <<<"$json")"
check "a rate-limited sweep leaves ports unknown" \
	test "$(jq '.probe.udp.addresses[0].unknown' <<<"$json")" -gt 0

sleep 0.3
if grep -q 'event=start' "$LOG"; then
	fail "the audit made superd spawn: $(grep 'event=' "$LOG" | tail -3)"
else
	pass "no UDP wait service was spawned by the audits"
fi
finish
