#!/bin/bash
# SPDX-License-Identifier: ISC
# superd --selfcheck, undeclared listeners: a clean namespace is OK (exit
# 0); a stray TCP listener and a stray UDP socket are exposed and named
# with pid and command (exit 2); a 127.0.0.1-only listener is local-only;
# the open TCP ports the probe finds equal what `ss -ltnH` lists.
# Runs in its own network namespace with a veth to a peer namespace
# (192.0.2.1/24 and 2001:db8::1/64 on our side).
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"

CONF=$T/empty.conf
: >"$CONF"
audit() { "$SUPERD" -c "$CONF" --selfcheck "$@"; }

out=$(audit)
expect_eq "clean namespace exits 0" 0 $?
expect_match "clean namespace says OK" "^SELFCHECK OK" "$out"

socat TCP-LISTEN:7777,reuseaddr,fork SYSTEM:true &
TCP_PID=$!
socat -u UDP-RECV:5300 OPEN:/dev/null &
UDP_PID=$!
socat TCP-LISTEN:7788,bind=127.0.0.1,fork SYSTEM:true &
LO_PID=$!
for i in $(seq 50); do
	[ "$(ss -ltnuH | wc -l)" -ge 3 ] && break
	sleep 0.05
done

json=$(audit --json)
expect_eq "stray listeners exit 2" 2 $?
expect_eq "stray TCP is exposed" exposed "$(f tcp/0.0.0.0/7777/exposed .kind)"
expect_eq "stray TCP names its pid" "$TCP_PID" \
	"$(f tcp/0.0.0.0/7777/exposed '.socket.owners[0].pid')"
expect_eq "stray TCP names its command" socat \
	"$(f tcp/0.0.0.0/7777/exposed '.socket.owners[0].comm')"
expect_eq "stray TCP answered the probe" open \
	"$(f tcp/0.0.0.0/7777/exposed .probe)"
expect_eq "stray UDP is exposed" "$UDP_PID" \
	"$(f udp/0.0.0.0/5300/exposed '.socket.owners[0].pid')"
expect_eq "loopback-only listener is local-only" "$LO_PID" \
	"$(f tcp/127.0.0.1/7788/local-only '.socket.owners[0].pid')"
expect_eq "local-only is not a problem by default" OK \
	"$(f tcp/127.0.0.1/7788/local-only .severity)"

text=$(audit)
expect_match "text names the stray" "0\.0\.0\.0:7777 +tcp +open +exposed +table\+probe +- +$TCP_PID/socat" "$text"

# The probe's open ports equal the kernel's TCP listeners, per address.
for a in 127.0.0.1 192.0.2.1 ::1 2001:db8::1; do
	want=$(ss -ltnH | awk '{print $4}' | while read -r ep; do
		ip=${ep%:*} port=${ep##*:}
		ip=${ip#[}; ip=${ip%]}
		case $ip in
		"$a" | 0.0.0.0) [ "${a#*:}" = "$a" ] && echo "$port" ;;
		"*" | "::") echo "$port" ;;
		esac
	done | sort -n | uniq | xargs)
	got=$(jq -r --arg a "$a" '.probe.addresses[] | select(.address == $a) |
		.open | map(tostring) | join(" ")' <<<"$json")
	expect_eq "probe of $a finds what ss lists" "$want" "$got"
done

kill "$LO_PID"
wait "$LO_PID" 2>/dev/null
audit --local-drift --proto tcp >/dev/null
expect_eq "TCP-only audit still sees the TCP stray" 2 $?
kill "$TCP_PID"
wait "$TCP_PID" 2>/dev/null
audit --proto tcp >/dev/null
expect_eq "TCP-only audit ignores the UDP stray" 0 $?
socat TCP-LISTEN:7788,bind=127.0.0.1,fork SYSTEM:true &
LO_PID=$!
sleep 0.2
audit --proto tcp --local-drift >/dev/null
expect_eq "--local-drift turns local-only into WARNING" 1 $?
kill "$LO_PID" "$UDP_PID"
finish
