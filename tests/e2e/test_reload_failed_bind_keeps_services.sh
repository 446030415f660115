#!/bin/bash
# SPDX-License-Identifier: ISC
# A reload whose new endpoint cannot be bound (a port another process
# holds) fails as a whole: every old TCP and UDP endpoint answers during and
# after it, with its counters; the log names the endpoint and file:line and
# says result=failed.  A later good reload serves the new port and keeps
# the old ones.
. "$(dirname "$0")/lib.sh"

cat >"$T/a.conf" <<CONF
127.0.0.1:echo stream tcp nowait root internal
127.0.0.1:echo dgram udp wait root internal
127.0.0.1:7001 stream tcp nowait nobody /bin/echo echo one
CONF
cp "$T/a.conf" "$T/live.conf"
start_superd "$T/live.conf" || exit 1

# Another process holds 127.0.0.1:7002 (TCP) and 127.0.0.1:7003 (UDP).
hold tcp:127.0.0.1:7002 udp:127.0.0.1:7003 || exit 1
holder=$HOLDER

# Clients loop over every old endpoint, TCP and UDP, through the reloads.
(
	ok=0 bad=0
	while [ ! -e "$T/stop" ]; do
		a=$(echo ping | nc -N -w5 127.0.0.1 7)
		b=$(nc -d -w5 127.0.0.1 7001)
		c=$(echo ping | socat -T5 - UDP:127.0.0.1:7 2>/dev/null)
		if [ "$a/$b/$c" = "ping/one/ping" ]; then
			ok=$((ok + 1))
		else
			bad=$((bad + 1))
			echo "$a/$b/$c" >>"$T/bad"
		fi
	done
	echo "$ok $bad" >"$T/load"
) &
loader=$!

cat >>"$T/live.conf" <<CONF
127.0.0.1:7002 stream tcp nowait nobody /bin/echo echo two
127.0.0.1:7003 dgram udp wait nobody /bin/true true
CONF
for i in 1 2 3 4 5; do
	kill -HUP "$SUPERD_PID"
	sleep 0.5
done
check "the reload fails" wait_log 'event=reload result=failed failures=2 '
expect_eq "every reload failed" 5 "$(grep -c 'event=reload result=failed' "$LOG")"
check "no reload claims success" test "$(grep -c 'result=ok' "$LOG")" = 0
expect_match "the log names the TCP endpoint with its file:line" \
	'live.conf:4: service=7002 endpoint=127.0.0.1:7002/tcp reason=bind error="Address already in use' \
	"$(cat "$LOG")"
expect_match "the log names the UDP endpoint with its file:line" \
	'live.conf:5: service=7003 endpoint=127.0.0.1:7003/udp reason=bind' "$(cat "$LOG")"
sleep 0.5
touch "$T/stop"
wait $loader
read -r ok bad <"$T/load"
check "clients were served during the failed reloads ($ok rounds)" test "$ok" -gt 0
expect_eq "no TCP or UDP round failed during the failed reloads" 0 "$bad"
[ -e "$T/bad" ] && cat "$T/bad"
expect_eq "old TCP endpoint still listens" 1 "$(ss -ltnH 'sport = :7' | wc -l)"
expect_eq "old UDP endpoint still bound" 1 "$(ss -lunH 'sport = :7' | wc -l)"
expect_eq "old command endpoint answers after" one "$(nc -d -w2 127.0.0.1 7001)"
kill -USR1 "$SUPERD_PID"
check "counters survive the failed reloads" \
	wait_log "event=dump service=7001 endpoint=127.0.0.1:7001/tcp listening=yes children=[0-9]+ accepted=$((ok + 1))"

# The holder goes; the same config now loads, old and new endpoints serve.
kill $holder
wait $holder 2>/dev/null
kill -HUP "$SUPERD_PID"
check "a later good reload succeeds" wait_log 'event=reload result=ok kept=3 opened=2 closed=0'
expect_eq "the new port serves" two "$(nc -d -w2 127.0.0.1 7002)"
expect_eq "the old port serves" one "$(nc -d -w2 127.0.0.1 7001)"
expect_eq "the old UDP endpoint answers" ping "$(echo ping | socat -T2 - UDP:127.0.0.1:7)"
check "the added service is logged with its privileges" \
	grep -q 'event=listen service=7002 endpoint=127.0.0.1:7002/tcp privileges=none' "$LOG"
finish
