#!/bin/bash
# SPDX-License-Identifier: ISC
# Builtin echo answers a request queued with its EOF at accept without a
# session (builtin.c), and hands anything else to a session: every size
# around the 4096-byte fast-path buffer comes back whole and in order, with
# the client's EOF queued (socat half-close) or not (a client that waits for
# the answer before closing); each connection is logged and counted once.
. "$(dirname "$0")/lib.sh"
command -v socat >/dev/null || skip "socat is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"

echo "127.0.0.1:echo stream tcp nowait root internal" >"$T/inetd.conf"
start_superd "$T/inetd.conf" || exit 1

n=0
for size in 0 1 4095 4096 4097 65536 300000; do
	head -c "$size" /dev/urandom >"$T/in"
	socat -t5 - TCP:127.0.0.1:7 <"$T/in" >"$T/out" 2>/dev/null
	check "echo of $size bytes with EOF queued comes back whole" cmp -s "$T/in" "$T/out"
	n=$((n + 1))
done

# A client that sends, waits for the echo, then closes (no EOF queued).
got=$(python3 - <<'PY'
import socket
s = socket.create_connection(("127.0.0.1", 7), timeout=5)
s.sendall(b"first\n")
a = s.recv(64)
s.sendall(b"second\n")
b = s.recv(64)
s.close()
print((a + b).decode().replace("\n", " ").strip())
PY
)
expect_eq "interactive echo answers each line before EOF" "first second" "$got"
n=$((n + 1))

for i in $(seq 100); do
	[ "$(grep -c 'service=echo event=end' "$LOG")" -ge $n ] && break
	sleep 0.05
done
expect_eq "every connection logged once, as ended by eof" "$n $n" \
	"$(grep -c 'service=echo event=end' "$LOG") $(grep -c 'service=echo event=end.*reason=eof' "$LOG")"
check "accepted count is $n" bash -c "'$SUPERD' status --json | jq -e '.services[0].accepted == $n' >/dev/null"
check "no session left" bash -c "'$SUPERD' status --json | jq -e '.nchildren == 0' >/dev/null"
finish
