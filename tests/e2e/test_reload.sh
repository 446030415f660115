#!/bin/bash
# SPDX-License-Identifier: ISC
# SIGHUP reload: 50 reloads under continuous load refuse or reset nothing;
# a bad config keeps the old services; changed endpoints are rebound,
# removed ones closed while their running child is still reaped; counters
# and children survive.
. "$(dirname "$0")/lib.sh"

cat >"$T/a.conf" <<CONF
127.0.0.1:echo stream tcp nowait root internal
127.0.0.1:7600 stream tcp nowait nobody /bin/echo echo six
127.0.0.1:7601 stream tcp nowait nobody /bin/sleep sleep 3
CONF
start_superd "$T/a.conf" || exit 1
cp "$T/a.conf" "$T/live.conf"
stop_superd
start_superd "$T/live.conf" || exit 1

# A client loop runs while the daemon reloads 50 times.
(
	ok=0 bad=0
	while [ ! -e "$T/stop" ]; do
		if [ "$(echo ping | nc -N -w5 127.0.0.1 7)" = ping ]; then
			ok=$((ok + 1))
		else
			bad=$((bad + 1))
		fi
		[ $((ok + bad)) -ge 5000 ] && break
	done
	echo "$ok $bad" >"$T/load"
) &
loader=$!
# Each signal after the previous reload is logged: signals sent while a
# reload runs would coalesce into one.
for i in $(seq 1 50); do
	kill -HUP "$SUPERD_PID"
	for j in $(seq 1 200); do
		[ "$(grep -c 'event=reload result=' "$LOG")" -ge "$i" ] && break
		sleep 0.05
	done
done
touch "$T/stop"
wait $loader
read -r ok bad <"$T/load"
check "clients were served during the reloads ($ok)" test "$ok" -gt 0
expect_eq "no connection refused or reset during 50 reloads" 0 "$bad"
expect_eq "50 reloads logged" 50 "$(grep -c 'event=reload result=ok' "$LOG")"
expect_eq "every reload kept every listener" 50 "$(grep -c 'result=ok kept=3 opened=0 closed=0' "$LOG")"

# A running child of a removed service is left alone and still reaped.
nc -d -w5 127.0.0.1 7601 >/dev/null &
wait_log 'service=7601 event=start' >/dev/null
inode_before=$(ss -ltneH 'sport = :7' | grep -o 'ino:[0-9]*')
cat >"$T/live.conf" <<CONF
127.0.0.1:echo stream tcp nowait root internal
127.0.0.1:7602 stream tcp nowait nobody /bin/echo echo seven
CONF
kill -HUP "$SUPERD_PID"
check "reload with a removed and a new service" wait_log 'result=ok kept=1 opened=1 closed=2'
expect_eq "new service served" "seven" "$(nc -d -w2 127.0.0.1 7602)"
expect_eq "removed service closed" "" "$(ss -ltnH 'sport = :7600')"
expect_eq "unchanged listener kept its socket" "$inode_before" "$(ss -ltneH 'sport = :7' | grep -o 'ino:[0-9]*')"
check "child of the removed service still reaped and logged" \
	wait_log 'service=7601 event=end .*exit=0'

# A bad config keeps the old services.
echo "127.0.0.1:7603 stream tcp nowait nosuchuser /bin/echo echo" >>"$T/live.conf"
kill -HUP "$SUPERD_PID"
check "bad reload is refused" wait_log 'event=reload result=failed'
expect_match "bad reload names file:line" "live.conf:3: " "$(cat "$LOG")"
expect_eq "old services still served after a bad reload" "seven" "$(nc -d -w2 127.0.0.1 7602)"
expect_eq "nothing from the bad config is opened" "" "$(ss -ltnH 'sport = :7603')"

# Counters survive a reload (SIGUSR1 dump).
sed -i '$d' "$T/live.conf"
kill -HUP "$SUPERD_PID"
sleep 0.2
kill -USR1 "$SUPERD_PID"
check "accepted counter of echo survives reloads" \
	wait_log "event=dump service=echo endpoint=127.0.0.1:7/tcp listening=yes children=0 accepted=$ok"
check "daemon alive" kill -0 "$SUPERD_PID"
finish
