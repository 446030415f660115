#!/bin/bash
# SPDX-License-Identifier: ISC
# systemd integration: READY=1 over NOTIFY_SOCKET once every listener is
# bound, RELOADING=1 then READY=1 on reload; sockets handed over in
# LISTEN_FDS (systemd-socket-activate) are adopted, undeclared ones closed.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 is not installed"

cat >"$T/inetd.conf" <<CONF
127.0.0.1:echo stream tcp nowait root internal
127.0.0.1:7009 stream tcp nowait nobody /bin/echo echo adopted-command
CONF
cat >"$T/recv.py" <<'PY'
import socket, sys, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
out = open(sys.argv[2], "a")
try:
    while True:
        msg = s.recv(4096).decode()
        # Each message on one line; is the echo port connectable right now?
        c = socket.socket()
        ok = c.connect_ex(("127.0.0.1", 7)) == 0
        c.close()
        out.write(msg.replace("\n", " ") + (" [bound]" if ok else " [unbound]") + "\n")
        out.flush()
except socket.timeout:
    pass
PY
python3 "$T/recv.py" "$T/notify" "$T/notes" &
recv=$!
for i in $(seq 1 50); do [ -S "$T/notify" ] && break; sleep 0.05; done
NOTIFY_SOCKET=$T/notify start_superd "$T/inetd.conf" || exit 1
for i in $(seq 1 50); do grep -q READY=1 "$T/notes" 2>/dev/null && break; sleep 0.05; done
expect_match "READY=1 sent once the listeners are bound" '^READY=1 STATUS=serving 2 endpoints MAINPID=[0-9]+ \[bound\]$' "$(head -n 1 "$T/notes")"
kill -HUP "$SUPERD_PID"
for i in $(seq 1 50); do [ "$(wc -l <"$T/notes")" -ge 3 ] && break; sleep 0.05; done
expect_match "reload sends RELOADING=1" '^RELOADING=1 STATUS=reloading MONOTONIC_USEC=[0-9]+' "$(sed -n 2p "$T/notes")"
expect_match "then READY=1 again" '^READY=1 STATUS=serving 2 endpoints' "$(sed -n 3p "$T/notes")"
stop_superd
kill $recv 2>/dev/null

ACT=$(command -v systemd-socket-activate) || skip "systemd-socket-activate is not installed"
: >"$LOG"
"$ACT" -l 127.0.0.1:7 -l 127.0.0.1:7010 -- "$SUPERD" -f -p - -c "$T/inetd.conf" >>"$LOG" 2>&1 &
SUPERD_PID=$!
# systemd-socket-activate starts superd on the first connection, which the
# adopted socket then serves.
wait_log 'Listening on 127.0.0.1:7010'
expect_eq "adopted socket serves" "via systemd" "$(echo 'via systemd' | nc -N -w5 127.0.0.1 7)"
check "superd started" wait_log 'event=ready'
check "the declared socket is adopted" grep -q 'event=adopt service=echo endpoint=127.0.0.1:7/tcp fd=3' "$LOG"
check "an undeclared socket is closed" grep -q 'event=adopt fd=4 reason="not declared, closed"' "$LOG"
expect_eq "undeclared endpoint is not served" "" "$(ss -ltnH 'sport = :7010')"
expect_eq "a declared service not handed over is bound by superd" "adopted-command" "$(nc -d -w2 127.0.0.1 7009)"
expect_eq "children do not see LISTEN_FDS" "" "$(grep LISTEN_ "$LOG")"
finish
