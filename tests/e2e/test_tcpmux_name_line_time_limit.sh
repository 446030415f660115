#!/bin/bash
# SPDX-License-Identifier: ISC
# tcpmux: a client that connects to port 1 and sends no name line, or only
# half of one, is told "-Timeout" and dropped once the time limit for the
# line (10 s, KIND_TCPMUX_SECONDS, no knob) is up, and each drop is logged
# with reason=tcpmux-timeout.  Timing is not asserted beyond that: the
# waits are bounded (25 s) and only check that the drop comes, not when.
# A client that sends its line in time is still served meanwhile.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 is not installed"

cat >"$T/inetd.conf" <<CONF
tcpmux/+hello stream tcp nowait nobody /bin/echo echo hi
CONF
start_superd "$T/inetd.conf" || exit 1

# slow SEND OUT: connect to port 1, send SEND (maybe nothing) and no end of
# line, then read until the server closes (25 s at most) into OUT.
slow() {
	python3 - "$1" "$2" <<'PY' &
import socket, sys
s = socket.create_connection(("127.0.0.1", 1), timeout=25)
s.sendall(sys.argv[1].encode())
got = b""
try:
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += b
except socket.timeout:
    got += b"<still open after 25 s>"
open(sys.argv[2], "wb").write(got)
PY
}
slow "" "$T/silent.out"
SILENT=$!
slow "hel" "$T/half.out"
HALF=$!
# waiting N: whether N clients are connected to port 1 (bounded wait).
waiting() {
	local i
	for i in $(seq 1 100); do
		[ "$(ss -tnH state established '( dport = :1 )' | wc -l)" -ge "$1" ] &&
			return 0
		sleep 0.05
	done
	return 1
}
check "both clients are connected, waiting on their line" waiting 2
expect_eq "they are not dropped at once" 0 "$(grep -c 'reason=tcpmux-timeout' "$LOG")"
expect_eq "a client that sends its line in time is served meanwhile" "+Go hi" \
	"$(printf 'hello\r\n' | nc -N -w3 127.0.0.1 1 | tr -d '\r' | xargs)"
wait "$SILENT" "$HALF"
expect_eq "a silent client is told -Timeout and dropped" "-Timeout" \
	"$(tr -d '\r' <"$T/silent.out")"
expect_eq "a client with half a line is told -Timeout and dropped" "-Timeout" \
	"$(tr -d '\r' <"$T/half.out")"
check "the drop is logged" \
	wait_log 'service=tcpmux event=refuse peer=127\.0\.0\.1 reason=tcpmux-timeout'
expect_eq "one log line per drop" 2 "$(grep -c 'service=tcpmux event=refuse peer=127.0.0.1 reason=tcpmux-timeout' "$LOG")"
finish
