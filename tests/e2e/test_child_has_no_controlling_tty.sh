#!/bin/bash
# SPDX-License-Identifier: ISC
# superd run with -f in a terminal: every child starts a session of its
# own, so it has no controlling terminal (a nobody child could otherwise
# push commands into root's shell with TIOCSTI).
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || skip "script (util-linux) is not installed"
private_copies

cat >"$T/superd.conf" <<CONF
service report {
	port = 7971
	bind = "127.0.0.1"
	user = nobody
	server = $HELPERS/report
}
service ttycmd {
	port = 7972
	bind = "127.0.0.1"
	user = nobody
	server = /bin/sh
	server_args = {"-c", "tty; true </dev/tty 2>/dev/null && echo opened-dev-tty || echo no-dev-tty"}
}
CONF
# The daemon in the foreground under a pseudo-terminal: its controlling tty.
script -qfec "exec $SUPERD -f -c $T/superd.conf" /dev/null </dev/null >"$LOG" 2>&1 &
SCRIPT_PID=$!
for i in $(seq 1 100); do
	grep -q 'event=ready' "$LOG" && break
	sleep 0.05
done
SUPERD_PID=$(pgrep -P "$SCRIPT_PID" -x superd)
check "superd runs under the pseudo-terminal" test -n "$SUPERD_PID"
tty_nr=$(awk '{print $7}' /proc/"$SUPERD_PID"/stat 2>/dev/null)
check "superd itself has the pty as controlling terminal ($tty_nr)" test "${tty_nr:-0}" -ne 0

out=$(nc -d -w3 127.0.0.1 7971)
expect_eq "child has no controlling tty (tty_nr 0) and leads its session" \
	"session_leader=yes tty_nr=0" "$(grep ^session_leader <<<"$out")"
out=$(nc -d -w3 127.0.0.1 7972)
expect_match "child: tty(1) says not a tty" '^not a tty' "$out"
expect_match "child cannot open /dev/tty" 'no-dev-tty' "$out"
stop_superd
wait "$SCRIPT_PID" 2>/dev/null
finish
