#!/bin/bash
# SPDX-License-Identifier: ISC
# UDP listeners are bound without SO_REUSEADDR: a local user cannot bind
# the same address and port (with SO_REUSEADDR of its own) and take part
# of the datagrams.  A reload that keeps the UDP endpoint still serves.
. "$(dirname "$0")/lib.sh"
command -v socat >/dev/null || skip "socat is not installed"

cat >"$T/superd.conf" <<CONF
service echo-udp {
	port = 5400
	protocol = udp
	bind = "127.0.0.1"
	internal = echo
}
service echo-any {
	port = 5401
	protocol = udp
	internal = echo
}
CONF
start_superd "$T/superd.conf" || exit 1

# cobind PORT: try, as nobody, to bind 127.0.0.1:PORT/udp with SO_REUSEADDR;
# socat fails at once if it cannot, and waits for a datagram if it can.
cobind() {
	timeout 2 setpriv --reuid=nobody --regid=nogroup --clear-groups \
		socat -u "UDP-RECV:$1,bind=127.0.0.1,reuseaddr" /dev/null 2>&1
}
out=$(cobind 5400)
expect_match "nobody cannot co-bind a superd UDP port" 'Address already in use' "$out"
out=$(cobind 5401)
expect_match "nobody cannot bind a specific address under a superd UDP wildcard" \
	'Address already in use' "$out"
check "the UDP echo is answered by superd" \
	bash -c "[ \"\$(echo ping | socat -t2 - UDP:127.0.0.1:5400,sourceport=40000)\" = ping ]"

kill -HUP "$SUPERD_PID"
check "reload keeping the UDP endpoints succeeds" wait_log 'event=reload result=ok'
check "the UDP echo still answers after reload" \
	bash -c "[ \"\$(echo ping | socat -t2 - UDP:127.0.0.1:5400,sourceport=40001)\" = ping ]"
out=$(cobind 5400)
expect_match "after reload nobody still cannot co-bind" 'Address already in use' "$out"

# Moving the UDP service to another port: the new one is bound, the old freed.
sed -i 's/port = 5400/port = 5402/' "$T/superd.conf"
kill -HUP "$SUPERD_PID"
check "reload moving a UDP endpoint succeeds" wait_log 'event=reload result=ok.*opened=1'
check "the moved UDP echo answers" \
	bash -c "[ \"\$(echo ping | socat -t2 - UDP:127.0.0.1:5402,sourceport=40002)\" = ping ]"
finish
