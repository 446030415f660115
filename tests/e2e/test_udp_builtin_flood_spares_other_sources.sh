#!/bin/bash
# SPDX-License-Identifier: ISC
# A flood of datagrams (about 1,000 a second, four times the service's
# budget) from one source to a UDP builtin does not starve
# the others: each /24 (IPv4) or /64 (IPv6) gets at most 32 replies a
# second before the service's 256, so another source is still answered.
. "$(dirname "$0")/lib.sh"
command -v socat >/dev/null || skip "socat is not installed"

cat >"$T/superd.conf" <<CONF
service echo {
	port = 7995
	protocol = udp
	bind = "127.0.0.1"
	internal = echo
}
CONF
start_superd "$T/superd.conf" || exit 1
"$HELPERS/udpflood" 127.0.0.2 127.0.0.1 7995 60000 >"$T/flood" &
flood=$!
answered=0
for i in $(seq 1 20); do
	out=$(echo "ping $i" | socat -t1 - UDP:127.0.0.1:7995,bind=127.0.1.3,sourceport=$((41000 + i)) 2>/dev/null)
	[ "$out" = "ping $i" ] && answered=$((answered + 1))
	kill -0 "$flood" 2>/dev/null || break
done
check "the flood was still running while the other source asked" kill -0 "$flood"
kill "$flood" 2>/dev/null
wait "$flood" 2>/dev/null
expect_eq "another source is answered during a flood from one ($answered of $i)" "$i" "$answered"
check "the flooding network's excess is refused as per-source-rate" \
	bash -c "kill -USR1 $SUPERD_PID; sleep 0.2; grep -Eq 'per-source-rate=[1-9]' '$LOG'"
finish
