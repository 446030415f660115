#!/bin/bash
# SPDX-License-Identifier: ISC
# One daemon per pid file: a second superd with the same pid file is
# refused, names the running pid, and leaves the first daemon's pid file
# intact; a pid file that is a symlink or a FIFO is refused without
# following or blocking; the file is removed when the daemon stops.
. "$(dirname "$0")/lib.sh"

cat >"$T/a.conf" <<CONF
127.0.0.1:7401 stream tcp nowait nobody /bin/echo echo one
CONF
cat >"$T/b.conf" <<CONF
127.0.0.1:7402 stream tcp nowait nobody /bin/echo echo two
CONF
start_superd "$T/a.conf" || exit 1
expect_eq "the pid file names the daemon" "$SUPERD_PID" "$(cat "$T/superd.pid")"

out=$(timeout 10 "$SUPERD" -f -p "$T/superd.pid" -c "$T/b.conf" 2>&1)
rc=$?
check "a second daemon with the same pid file is refused ($rc)" test "$rc" = 1
expect_match "the refusal names the running pid" \
	"error: pidfile=$T/superd.pid result=refused reason=\"superd already running\" pid=$SUPERD_PID" "$out"
expect_eq "the first daemon's pid file is intact" "$SUPERD_PID" "$(cat "$T/superd.pid")"
expect_eq "the second daemon bound nothing" "" "$(ss -ltnH 'sport = :7402')"
expect_eq "the first daemon still serves" one "$(nc -d -w2 127.0.0.1 7401)"

# Detached too: the lock is held across the fork into the background.
out=$(timeout 10 "$SUPERD" -p "$T/superd.pid" -c "$T/b.conf" 2>&1)
check "a second detached daemon is refused too" test $? -ne 0
expect_eq "the first daemon's pid file is still intact" "$SUPERD_PID" "$(cat "$T/superd.pid")"

# A symlink is never followed: the file it points to stays as it was.
echo secret >"$T/target"
ln -s "$T/target" "$T/link.pid"
out=$(timeout 10 "$SUPERD" -f -p "$T/link.pid" -c "$T/b.conf" 2>&1)
check "a symlinked pid file is refused" test $? = 1
expect_match "the refusal says why" 'link.pid result=refused reason="a symbolic link"' "$out"
expect_eq "the symlink's target is untouched" secret "$(cat "$T/target")"

# A FIFO does not hang start-up.
mkfifo "$T/fifo.pid"
out=$(timeout 10 "$SUPERD" -f -p "$T/fifo.pid" -c "$T/b.conf" 2>&1)
rc=$?
check "a FIFO pid file is refused without hanging ($rc)" test "$rc" = 1
expect_match "the refusal says why" 'fifo.pid result=refused reason="not a regular file"' "$out"

stop_superd
check "the pid file is removed at stop" test ! -e "$T/superd.pid"

# A detached daemon holds the lock and writes its own pid.
"$SUPERD" -p "$T/d.pid" -c "$T/b.conf" || exit 1
dpid=$(cat "$T/d.pid")
check "the detached daemon's pid file names it" \
	test "$(readlink -f /proc/"$dpid"/exe)" = "$(readlink -f "$SUPERD")"
out=$(timeout 10 "$SUPERD" -f -p "$T/d.pid" -c "$T/a.conf" 2>&1)
expect_match "a second daemon names the detached one" "pid=$dpid" "$out"
kill -TERM "$dpid"
for i in $(seq 1 100); do [ -e "$T/d.pid" ] || break; sleep 0.05; done
check "the detached daemon removed its pid file" test ! -e "$T/d.pid"
finish
