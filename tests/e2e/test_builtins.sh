#!/bin/bash
# SPDX-License-Identifier: ISC
# Builtins over TCP and UDP, served in-process: echo, discard, daytime,
# time, chargen; the UDP reflector guard refuses privileged source ports.
. "$(dirname "$0")/lib.sh"

cat >"$T/inetd.conf" <<CONF
127.0.0.1:echo    stream tcp nowait root internal
127.0.0.1:discard stream tcp nowait root internal
127.0.0.1:daytime stream tcp nowait root internal
127.0.0.1:time    stream tcp nowait root internal
127.0.0.1:chargen stream tcp nowait root internal
127.0.0.1:echo    dgram  udp wait   root internal
127.0.0.1:discard dgram  udp wait   root internal
127.0.0.1:daytime dgram  udp wait   root internal
127.0.0.1:time    dgram  udp wait   root internal
127.0.0.1:chargen dgram  udp wait   root internal
CONF
start_superd "$T/inetd.conf" || exit 1

expect_eq "tcp echo returns what was sent" "hello superd" \
	"$(echo 'hello superd' | nc -N -w2 127.0.0.1 7)"
big=$(head -c 300000 /dev/urandom | base64 -w0)
expect_eq "tcp echo returns 300 kB intact" "$(printf %s "$big" | md5sum)" \
	"$(printf %s "$big" | nc -N -w5 127.0.0.1 7 | md5sum)"
expect_eq "tcp discard answers nothing" "" \
	"$(echo 'into the void' | nc -N -w2 127.0.0.1 9)"
expect_match "tcp daytime is a date line" \
	'^[A-Z][a-z]{2} [A-Z][a-z]{2} +[0-9]+ [0-9:]{8} [0-9]{4}' \
	"$(nc -d -w2 127.0.0.1 13)"
t=$(nc -d -w2 127.0.0.1 37 | od -An -tu1 | tr -s ' ' | sed 's/^ //')
set -- $t
secs=$(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 - 2208988800 ))
now=$(date +%s)
check "tcp time is seconds since 1900" test $((now - secs)) -ge -5 -a $((now - secs)) -le 5
line=$(nc -d -w2 127.0.0.1 19 | head -n 2 | tail -n 1 | tr -d '\r')
expect_eq "tcp chargen second line rotates by one" \
	'!"#$%&'"'"'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefgh' "$line"

expect_eq "udp echo answers a loopback client" "hi" \
	"$(echo hi | nc -u -w1 127.0.0.1 7)"
expect_match "udp daytime answers" '[0-9]{4}' "$(echo | nc -u -w1 127.0.0.1 13)"
check "udp time answers 4 bytes" test "$(echo | nc -u -w1 127.0.0.1 37 | wc -c)" -eq 4
check "udp chargen answers" test "$(echo | nc -u -w1 127.0.0.1 19 | wc -c)" -gt 0
expect_eq "udp discard answers nothing" "" "$(echo x | nc -u -w1 127.0.0.1 9)"
expect_eq "udp echo refuses a privileged source port (reflector guard)" "" \
	"$(echo hi | nc -u -w1 -p 1023 127.0.0.1 7)"
kill -USR1 "$SUPERD_PID"
check "the refused datagram is counted as reflector-guard" \
	wait_log 'service=echo endpoint=127.0.0.1:7/udp .*refused_reflector-guard=1'

# A peer that resets at once costs only its own connection.
for i in $(seq 1 20); do
	socat -u /dev/null TCP:127.0.0.1:7,linger=0 2>/dev/null
done
expect_eq "echo still serves after resets" "still" \
	"$(echo still | nc -N -w2 127.0.0.1 7)"
check "daemon alive" kill -0 "$SUPERD_PID"

# A builtin session has no process: no line about it carries pid=0.
sleep 5 | nc 127.0.0.1 7 >/dev/null &
idle=$!
for i in $(seq 1 50); do
	[ "$(ss -tnH state established '( dport = :7 )' | wc -l)" -ge 1 ] && break
	sleep 0.05
done
kill -USR1 "$SUPERD_PID"
check "a live builtin session is dumped as a session" \
	wait_log 'event=dump session service=echo peer=127.0.0.1'
kill "$idle" 2>/dev/null
check "builtin sessions end logged" wait_log 'service=echo event=end peer=127.0.0.1'
if grep -q 'pid=0\b' "$LOG"; then
	fail "builtin lines carry no pid=0: $(grep -m1 'pid=0' "$LOG")"
else
	pass "builtin lines carry no pid=0"
fi
finish
