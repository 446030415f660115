#!/bin/bash
# SPDX-License-Identifier: ISC
# The daemon under valgrind memcheck through a whole session: TCP and UDP
# builtins (echo, chargen, daytime), a command service, a refused peer,
# a reload that adds and removes a service, a SIGUSR1 dump and SIGTERM.
# No invalid access, no use of uninitialised memory, no definite or
# indirect leak; exit status 0.
. "$(dirname "$0")/lib.sh"

command -v valgrind >/dev/null || skip "valgrind is not installed (apt-get install valgrind)"
command -v python3 >/dev/null || skip "python3 is not installed"
if nm -D "$SUPERD" 2>/dev/null | grep -q __asan_ ||
    ldd "$SUPERD" 2>/dev/null | grep -q libasan ||
    nm "$SUPERD" 2>/dev/null | grep -q __asan_init; then
	skip "$SUPERD is built with AddressSanitizer, which cannot run under valgrind"
fi

VGLOG=$T/valgrind.log

# A small client: tcp PORT SEND N (send, then read N bytes or to EOF),
# udp PORT SEND (one datagram, print the reply).  Bounded by timeouts.
cat >"$T/client.py" <<'PY'
import socket, sys
kind, port, send = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
if kind == "udp":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(10)
    s.sendto(send, ("127.0.0.1", port))
    try:
        sys.stdout.write(s.recv(2048).decode(errors="replace"))
    except socket.timeout:
        pass
    sys.exit(0)
want = int(sys.argv[4]) if len(sys.argv) > 4 else 1 << 20
s = socket.create_connection(("127.0.0.1", port), timeout=10)
if send:
    s.sendall(send)
out = b""
try:
    while len(out) < want:
        d = s.recv(min(4096, want - len(out)))
        if not d:
            break
        out += d
except (socket.timeout, ConnectionResetError):
    pass
s.close()
sys.stdout.write(out.decode(errors="replace"))
PY
client() { python3 "$T/client.py" "$@"; }

write_conf() {
	cat >"$T/superd.conf" <<CONF
service echo {
	internal = echo
	port = 7301
	protocol = tcp
	bind = "127.0.0.1"
}
service echo-udp {
	internal = echo
	port = 7301
	protocol = udp
	bind = "127.0.0.1"
}
service chargen {
	internal = chargen
	port = 7302
	protocol = tcp
	bind = "127.0.0.1"
}
service chargen-udp {
	internal = chargen
	port = 7302
	protocol = udp
	bind = "127.0.0.1"
}
service daytime {
	internal = daytime
	port = 7303
	protocol = tcp
	bind = "127.0.0.1"
}
service daytime-udp {
	internal = daytime
	port = 7303
	protocol = udp
	bind = "127.0.0.1"
}
service hello {
	port = 7304
	protocol = tcp
	bind = "127.0.0.1"
	user = nobody
	server = /bin/echo
	server_args = {"hello"}
}
service walled {
	internal = echo
	port = 7305
	protocol = tcp
	bind = "127.0.0.1"
	only_from = {"192.0.2.1"}
}
$1
CONF
}

write_conf ""
: >"$LOG"
valgrind --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
    --trace-children=no --log-file="$VGLOG" \
    "$SUPERD" -f -p - -c "$T/superd.conf" >>"$LOG" 2>&1 &
SUPERD_PID=$!
ready=0
for i in $(seq 1 300); do
	grep -q 'event=ready' "$LOG" && { ready=1; break; }
	kill -0 "$SUPERD_PID" 2>/dev/null || break
	sleep 0.1
done
if [ "$ready" != 1 ]; then
	echo "superd did not start under valgrind; its log:"
	cat "$LOG" "$VGLOG"
	SUPERD_PID=
	exit 1
fi
pass "daemon ready under valgrind"

expect_eq "tcp echo" "ping" "$(client tcp 7301 ping 4)"
expect_eq "udp echo" "pong" "$(client udp 7301 pong)"
expect_eq "tcp chargen sends a 72-character line and CRLF" 74 \
    "$(client tcp 7302 "" 74 | wc -c)"
expect_match "udp chargen answers" '^[ -~]+' "$(client udp 7302 x)"
expect_match "tcp daytime" '[0-9]{2}:[0-9]{2}:[0-9]{2}' "$(client tcp 7303 "")"
expect_match "udp daytime" '[0-9]{2}:[0-9]{2}:[0-9]{2}' "$(client udp 7303 x)"
expect_eq "command service as nobody" "hello" "$(client tcp 7304 "" | tr -d '\n')"
check "command child reaped" wait_log 'service=hello event=end .*exit=0' 30
expect_eq "refused peer gets nothing" "" "$(client tcp 7305 ping 4)"
check "refusal logged" wait_log 'service=walled event=refuse .*reason=' 30

# Reload: walled goes, extra comes.
write_conf 'service extra {
	internal = echo
	port = 7306
	protocol = tcp
	bind = "127.0.0.1"
}'
sed -i '/^service walled {/,/^}/d' "$T/superd.conf"
kill -HUP "$SUPERD_PID"
check "reload adds one service and removes one" \
    wait_log 'event=reload result=ok kept=7 opened=1 closed=1' 30
expect_eq "added service serves" "again" "$(client tcp 7306 again 5)"
expect_eq "kept service serves after reload" "still" "$(client tcp 7301 still 5)"

kill -USR1 "$SUPERD_PID"
check "SIGUSR1 dumps the table" wait_log 'event=dump' 30

# A session left open at SIGTERM is freed too.
python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", 7301), timeout=10)
s.sendall(b"x")
s.recv(1)
open(sys.argv[1], "w").close()
time.sleep(30)' "$T/held" &
holder=$!
for i in $(seq 1 100); do [ -e "$T/held" ] && break; sleep 0.1; done
check "an echo session is open at SIGTERM" test -e "$T/held"
kill -TERM "$SUPERD_PID"
rc=0
for i in $(seq 1 300); do
	kill -0 "$SUPERD_PID" 2>/dev/null || break
	sleep 0.1
done
wait "$SUPERD_PID"
rc=$?
SUPERD_PID=
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
expect_eq "exit status 0 under valgrind (99: memcheck errors)" 0 "$rc"
check "valgrind: ERROR SUMMARY: 0 errors" grep -q 'ERROR SUMMARY: 0 errors' "$VGLOG"
if ! grep -q 'ERROR SUMMARY: 0 errors' "$VGLOG" || [ "$rc" != 0 ]; then
	echo "--- valgrind log"
	cat "$VGLOG"
	echo "--- superd log"
	tail -40 "$LOG"
fi
finish
