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

# The stray's port is random: the probe must find it wherever it is.
SPORT=$(shuf -i 30000-60000 -n 1)
socat -u UDP-RECV:$SPORT,bind=192.0.2.1 OPEN:/dev/null &
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
	"$(f udp/192.0.2.1/$SPORT/exposed '.socket.owners[0].pid')"
expect_eq "the stray sent no port-unreachable" "open|filtered" \
	"$(f udp/192.0.2.1/$SPORT/exposed .probe)"
expect_eq "the stray has table and probe evidence" "table probe" \
	"$(f udp/192.0.2.1/$SPORT/exposed '.evidence | join(" ")')"
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

# Regression: "the UDP sweep answered every port" failed on a loaded
# machine (answers still in flight were taken for silence, or the deadline
# cut the sweep).  Busy loops on every core must change nothing.
BUSY=
for i in $(seq "$(nproc)") 1 2; do
	(while :; do :; done) &
	BUSY="$BUSY $!"
done
json=$("$SUPERD" -c "$CONF" --selfcheck --json)
expect_eq "under load the audit is as CRITICAL as before" 2 $?
expect_eq "under load the UDP sweep answered every port" true \
	"$(jq '.probe.udp.complete' <<<"$json")"
expect_eq "under load only the stray is open|filtered" "$SPORT" \
	"$(jq -c '[.probe.udp.addresses[]."open|filtered"[]] | unique | join(" ")' -r <<<"$json")"
kill $BUSY
wait $BUSY 2>/dev/null

text=$("$SUPERD" -c "$CONF" --selfcheck)
expect_match "text shows the device as ss does" \
	"0\.0\.0\.0%lo:7790 +tcp +open +local-only +table\+probe" "$text"
expect_match "text shows the UDP evidence" \
	"192\.0\.2\.1:$SPORT +udp +open\|filtered +exposed +table\+probe" "$text"

"$SUPERD" -c "$CONF" --selfcheck --proto udp --addr 192.0.2.1 >/dev/null
expect_eq "UDP-only audit sees the UDP stray" 2 $?
json=$("$SUPERD" -c "$CONF" --selfcheck --no-probe --json)
expect_eq "--no-probe sends nothing" none "$(jq -r .probe.udp.mode <<<"$json")"
expect_eq "--no-probe still sees the stray from the table" table \
	"$(f udp/192.0.2.1/$SPORT/exposed '.evidence | join(" ")')"
# The default ICMP limits: datagrams to a local address arrive on lo,
# whose port-unreachables the kernel does not rate-limit, so the sweep is
# complete all the same (lo's two addresses: all 131,070 ports).
sysctl -qw net.ipv4.icmp_msgs_per_sec=1000 net.ipv4.icmp_msgs_burst=50 \
	net.ipv4.icmp_ratelimit=1000 net.ipv6.icmp.ratelimit=1000
json=$("$SUPERD" -c "$CONF" --selfcheck --json --proto udp \
	--addr 127.0.0.1 --addr ::1)
expect_eq "the default limits: the sweep of lo is complete" true \
	"$(jq '.probe.udp.complete' <<<"$json")"
expect_eq "the default limits: every UDP port of lo decided" 0 \
	"$(jq '[.probe.udp.addresses[].unknown] | add' <<<"$json")"
expect_eq "the default limits: nothing undecided" 0 \
	"$(jq '.undecided | length' <<<"$json")"

# Regression: a send that fails on some ports (an egress rule: EPERM)
# used to abort the UDP sweep of every address, and the status stayed OK.
# Now those ports alone are undecided, counted by address, exit 1.
if command -v nft >/dev/null && nft add table inet sctest 2>/dev/null; then
	nft add chain inet sctest out '{ type filter hook output priority 0; }'
	nft add rule inet sctest out ip daddr 192.0.2.1 udp dport 20000-20099 drop
	json=$("$SUPERD" -c "$CONF" --selfcheck --json --proto udp)
	expect_eq "a failed send does not hide the stray" 2 $?
	expect_eq "exactly the refused sends are undecided" 100 \
		"$(jq '[.undecided[] | select(.address == "192.0.2.1")][0].ports' <<<"$json")"
	expect_eq "the undecided entry says why" "send failed/Operation not permitted" \
		"$(jq -r '.undecided[0] | "\(.reason)/\(.error)"' <<<"$json")"
	expect_eq "the other addresses are complete" 1 \
		"$(jq '.undecided | length' <<<"$json")"
	expect_eq "the stray is still found past the failed ports" open\|filtered \
		"$(f udp/192.0.2.1/$SPORT/exposed .probe)"
	text=$("$SUPERD" -c "$CONF" --selfcheck --proto udp)
	expect_match "the text summary counts them by address" \
		"^SELFCHECK CRITICAL - .*; udp 192\.0\.2\.1 100 ports undecided \(send failed: Operation not permitted\)" "$text"
	"$SUPERD" -c "$CONF" --selfcheck --proto tcp >/dev/null
	expect_eq "--proto tcp leaves the undecided UDP ports out" 0 $?
	kill "$STRAY"
	wait "$STRAY" 2>/dev/null
	"$SUPERD" -c "$CONF" --selfcheck --proto udp >/dev/null
	expect_eq "undecided ports make an otherwise clean audit WARNING" 1 $?
	nft delete table inet sctest
else
	echo "note: nft unavailable, the failed-send regression is not run"
fi

kill "$STRAY" "$DEV" 2>/dev/null
wait "$STRAY" "$DEV" 2>/dev/null

sleep 0.3
if grep -q 'event=start' "$LOG"; then
	fail "the audit made superd spawn: $(grep 'event=' "$LOG" | tail -3)"
else
	pass "no UDP wait service was spawned by the audits"
fi
finish
