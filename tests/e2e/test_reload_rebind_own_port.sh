#!/bin/bash
# SPDX-License-Identifier: ISC
# Reloads whose new endpoint collides with its own old socket: tcp to
# tcp46 on one port, 0.0.0.0 narrowed to 127.0.0.1, the reverse, and the
# same for UDP.  Each succeeds and the port answers before and after
# (connections arriving in the moment between close and bind are refused).  When the new bind fails (another process holds part of the new
# endpoint), the old socket is restored and the reload says it failed.
. "$(dirname "$0")/lib.sh"

cat >"$T/live.conf" <<CONF
0.0.0.0:7201 stream tcp nowait nobody /bin/echo echo a
0.0.0.0:7202 stream tcp nowait nobody /bin/echo echo b
127.0.0.1:7203 stream tcp nowait nobody /bin/echo echo c
0.0.0.0:echo dgram udp wait root internal
127.0.0.1:7204 stream tcp nowait nobody /bin/echo echo d
CONF
start_superd "$T/live.conf" || exit 1

# answers: every endpoint answers on 127.0.0.1.
answers() {
	[ "$(nc -d -w2 127.0.0.1 7201)/$(nc -d -w2 127.0.0.1 7202)/$(nc -d -w2 127.0.0.1 7203)/$(echo u | socat -T2 - UDP:127.0.0.1:7)/$(nc -d -w2 127.0.0.1 7204)" = "a/b/c/u/d" ]
}
check "every port answers before" answers

cat >"$T/live.conf" <<CONF
[::]:7201 stream tcp46 nowait nobody /bin/echo echo a
127.0.0.1:7202 stream tcp nowait nobody /bin/echo echo b
0.0.0.0:7203 stream tcp nowait nobody /bin/echo echo c
127.0.0.1:echo dgram udp wait root internal
127.0.0.1:7204 stream tcp nowait nobody /bin/echo echo d
CONF
kill -HUP "$SUPERD_PID"
check "the reload succeeds" wait_log 'event=reload result=ok kept=1 opened=4 closed=4'
check "tcp to tcp46 is rebound in the commit" \
	grep -q 'service=7201 endpoint=\[::\]:7201/tcp46 action=rebind' "$LOG"
check "every port answers after" answers
expect_match "7201 is now dual-stack" '\*:7201' "$(ss -ltnH 'sport = :7201')"
expect_match "7202 is now on 127.0.0.1 only" '127.0.0.1:7202' "$(ss -ltnH 'sport = :7202')"
expect_match "7203 is now on the wildcard" '0.0.0.0:7203' "$(ss -ltnH 'sport = :7203')"
expect_match "UDP echo is now on 127.0.0.1 only" '127.0.0.1:7 ' "$(ss -lunH 'sport = :7')"

# The new bind fails: another process holds [::1]:7204; the old socket comes back.
hold "tcp:[::1]:7204" || exit 1
holder=$HOLDER
sed -i 's/^127.0.0.1:7204 stream tcp /[::]:7204 stream tcp46 /' "$T/live.conf"
kill -HUP "$SUPERD_PID"
check "the reload that cannot rebind fails" wait_log 'event=reload result=failed'
expect_match "the failed bind is named" 'live.conf:5: service=7204 endpoint=\[::\]:7204/tcp46 reason=bind' "$(cat "$LOG")"
expect_eq "the old socket is restored and answers" d "$(nc -d -w2 127.0.0.1 7204)"
check "every port answers after the failed reload" answers
kill $holder
wait $holder 2>/dev/null
kill -HUP "$SUPERD_PID"
check "with the holder gone the reload succeeds" wait_log 'event=reload result=ok kept=4 opened=1 closed=1'
expect_eq "7204 answers on IPv6 too" d "$(nc -d -w2 ::1 7204)"
finish
