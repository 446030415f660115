#!/bin/bash
# SPDX-License-Identifier: ISC
# A reload refused for an address the host lacks, an unknown user, or a
# lack of descriptors (EMFILE under a low RLIMIT_NOFILE) changes nothing:
# the old endpoints answer after it, the log says result=failed and names
# the endpoint; the same reload succeeds once the cause is gone.
. "$(dirname "$0")/lib.sh"

cat >"$T/a.conf" <<CONF
127.0.0.1:echo stream tcp nowait root internal
127.0.0.1:echo dgram udp wait root internal
127.0.0.1:7101 stream tcp nowait nobody /bin/echo echo one
CONF
cp "$T/a.conf" "$T/live.conf"
start_superd "$T/live.conf" || exit 1

# old_serves NAME: every old endpoint answers.
old_serves() {
	expect_eq "$1: old TCP builtin answers" ping "$(echo ping | nc -N -w2 127.0.0.1 7)"
	expect_eq "$1: old UDP builtin answers" ping "$(echo ping | socat -T2 - UDP:127.0.0.1:7)"
	expect_eq "$1: old command service answers" one "$(nc -d -w2 127.0.0.1 7101)"
}

# reload_fails NAME REGEX: a SIGHUP fails, logging REGEX.
reload_fails() {
	local before
	before=$(grep -c 'event=reload result=failed' "$LOG")
	kill -HUP "$SUPERD_PID"
	for i in $(seq 1 100); do
		[ "$(grep -c 'event=reload result=failed' "$LOG")" -gt "$before" ] && break
		sleep 0.05
	done
	check "$1: the reload fails" test "$(grep -c 'event=reload result=failed' "$LOG")" -gt "$before"
	expect_match "$1: the log names the cause" "$2" "$(cat "$LOG")"
	check "$1: no reload claims success" test "$(grep -c 'result=ok' "$LOG")" = 0
}

# An address the host lacks: EADDRNOTAVAIL.
cp "$T/a.conf" "$T/live.conf"
echo "192.0.2.1:7102 stream tcp nowait nobody /bin/echo echo two" >>"$T/live.conf"
reload_fails "address" 'live.conf:4: service=7102 endpoint=192.0.2.1:7102/tcp reason=bind error="Cannot assign requested address"'
old_serves "address"

# An unknown user.
cp "$T/a.conf" "$T/live.conf"
echo "127.0.0.1:7103 stream tcp nowait nosuchuser /bin/echo echo two" >>"$T/live.conf"
reload_fails "user" 'live.conf:4: .*nosuchuser'
old_serves "user"
expect_eq "user: nothing of the refused config is bound" "" "$(ss -ltnH 'sport = :7103')"

# EMFILE: four descriptors to spare, five new endpoints to bind.
cp "$T/a.conf" "$T/live.conf"
for p in 7111 7112 7113 7114 7115; do
	echo "127.0.0.1:$p stream tcp nowait nobody /bin/echo echo $p" >>"$T/live.conf"
done
# RLIMIT_NOFILE bounds descriptor numbers: the limit leaving 4 free below it.
fds=$(ls /proc/"$SUPERD_PID"/fd)
nfd=$(wc -w <<<"$fds")
lim=4
while [ $((lim - $(for f in $fds; do [ "$f" -lt "$lim" ] && echo; done | wc -l))) -lt 4 ]; do
	lim=$((lim + 1))
done
soft=$(prlimit --pid "$SUPERD_PID" --nofile --output SOFT --noheadings)
prlimit --pid "$SUPERD_PID" --nofile="$lim": ||
	skip "prlimit cannot lower the daemon's RLIMIT_NOFILE"
reload_fails "emfile" 'reason=socket error="Too many open files"'
expect_eq "emfile: the descriptors the attempt opened are closed" "$nfd" \
	"$(ls /proc/"$SUPERD_PID"/fd | wc -l)"
expect_eq "emfile: none of the new endpoints is left bound" "" \
	"$(ss -ltnH 'sport >= :7111 and sport <= :7115')"
old_serves "emfile"
prlimit --pid "$SUPERD_PID" --nofile="$soft":

# With every cause gone, the last config loads; old endpoints kept.
kill -HUP "$SUPERD_PID"
check "the reload succeeds once the cause is gone" \
	wait_log 'event=reload result=ok kept=3 opened=5 closed=0'
expect_eq "a new endpoint serves" 7115 "$(nc -d -w2 127.0.0.1 7115)"
old_serves "after"
finish
