#!/bin/bash
# SPDX-License-Identifier: ISC
# The loop guard of a dgram wait service counts a child as looping only
# when it exits without reading the datagram it was started for.  Stray
# (spoofed-like) datagrams to a correct server, each read and answered by
# a short-lived child, do not pause it; a server that never reads still is.
. "$(dirname "$0")/lib.sh"
command -v socat >/dev/null || skip "socat is not installed"
private_copies

cat >"$T/superd.conf" <<CONF
defaults {
	user = nobody
	protocol = udp
	wait = yes
	bind = "127.0.0.1"
}
service good {
	port = 5501
	server = "$HELPERS/dgramwait"
}
service broken {
	port = 5502
	server = "$HELPERS/dgramwait"
	server_args = {"noread"}
}
CONF
start_superd "$T/superd.conf" || exit 1

# 15 datagrams, one every half second, from changing source ports: each
# starts a child that reads it and exits at once.
for i in $(seq 1 15); do
	echo "stray $i" | socat -u - UDP:127.0.0.1:5501 2>/dev/null
	sleep 0.5
done
for i in $(seq 1 100); do
	n=$(grep -c 'service=good event=end .*exit=0' "$LOG")
	[ "$n" -ge 15 ] && break
	sleep 0.05
done
check "a server read and answered each stray datagram ($n)" test "$n" -ge 15
check "a correct wait service is not paused by stray datagrams" \
	bash -c "! grep -q 'service=good event=pause reason=looping' '$LOG'"
expect_match "and still answers" '^served pid=' "$(echo hi | socat -t2 - UDP:127.0.0.1:5501)"

echo x | socat -u - UDP:127.0.0.1:5502
check "a server that never reads its datagram is paused as looping" \
	wait_log 'service=broken event=pause reason=looping' 10
finish
