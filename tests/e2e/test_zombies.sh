#!/bin/bash
# SPDX-License-Identifier: ISC
# 500 connections to a command service leave no zombie and no extra fd;
# SIGTERM stops cleanly and removes the pid file; detached mode writes one.
. "$(dirname "$0")/lib.sh"

cat >"$T/inetd.conf" <<CONF
127.0.0.1:7500 stream tcp nowait nobody /bin/echo echo hi
127.0.0.1:echo stream tcp nowait root internal
CONF
start_superd "$T/inetd.conf" || exit 1
fds_before=$(ls /proc/"$SUPERD_PID"/fd | wc -l)
ok=0
for i in $(seq 1 500); do
	[ "$(nc -d -w2 127.0.0.1 7500)" = hi ] && ok=$((ok + 1))
done
expect_eq "500 sequential connections all served with default limits" 500 "$ok"

# Regression: 16 clients in tight loops were refused "per-source" by their
# own exited but not yet reaped children.
for w in $(seq 1 16); do
	(
		n=0
		for i in $(seq 1 40); do
			[ "$(nc -d -w2 127.0.0.1 7500)" = hi ] && n=$((n + 1))
		done
		echo "$n" >"$T/burst.$w"
	) &
done
wait $(jobs -p | grep -v "^$SUPERD_PID$")
expect_eq "16 concurrent loops of short connections are all served" 640 \
	"$(cat "$T"/burst.* | awk '{s += $1} END {print s}')"
expect_eq "and none was refused by a stale child count" 0 "$(grep -c 'event=refuse' "$LOG")"
for i in $(seq 1 50); do
	[ "$(children_of "$SUPERD_PID" | wc -w)" -eq 0 ] && break
	sleep 0.1
done
expect_eq "no child left" 0 "$(children_of "$SUPERD_PID" | wc -w)"
expect_eq "no zombie" 0 "$(zombies_of "$SUPERD_PID")"
expect_eq "no descriptor leaked" "$fds_before" "$(ls /proc/"$SUPERD_PID"/fd | wc -l)"
check "pid file holds the daemon's pid" test "$(cat "$T/superd.pid")" = "$SUPERD_PID"
kill -TERM "$SUPERD_PID"
wait "$SUPERD_PID"
expect_eq "SIGTERM exits 0" 0 $?
SUPERD_PID=
check "pid file removed on stop" test ! -e "$T/superd.pid"
expect_eq "listeners closed on stop" "" "$(ss -ltnH)"

# Detached (the default): forks, writes the pid file, serves, stops on TERM.
"$SUPERD" -p "$T/d.pid" -c "$T/inetd.conf"
check "detached start exits 0 in the parent" test $? -eq 0
# Regression: the parent returned before the daemon wrote its pid file.
check "the pid file exists when the starting command returns" test -s "$T/d.pid"
pid=$(cat "$T/d.pid" 2>/dev/null)
check "detached daemon is running" kill -0 "$pid"
expect_eq "detached daemon serves" "up" "$(echo up | nc -N -w2 127.0.0.1 7)"
expect_eq "detached daemon has /dev/null on stdin" "/dev/null" "$(readlink /proc/"$pid"/fd/0)"
kill -TERM "$pid"
for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
check "detached daemon stops on TERM" test ! -e "$T/d.pid"
finish
