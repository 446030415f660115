#!/bin/bash
# SPDX-License-Identifier: ISC
# The global cap is shared fairly: 17 sources holding 64 idle builtin
# sessions each (1,088 > 1,024) do not lock everyone out.  Once 3/4 of the
# cap is in use a source may add a session only while it holds fewer than
# half the free slots, so a fresh source is still served, and so is a
# command service.  Builtin sessions end after builtin_timeout idle seconds.
. "$(dirname "$0")/lib.sh"

cat >"$T/superd.conf" <<CONF
service echo {
	port = 7991
	bind = "127.0.0.1"
	internal = echo
}
service hello {
	port = 7992
	bind = "127.0.0.1"
	user = nobody
	server = /bin/echo
	server_args = {"hello"}
}
CONF
start_superd "$T/superd.conf" || exit 1
check "the soft descriptor limit is raised and a reserve kept" \
	grep -q 'event=nofile limit=[0-9]* was=[0-9]* reserve=64' "$LOG"

mkfifo "$T/hold"
exec 9<>"$T/hold"	# keeps every holder's stdin open until the end
total=0
holders=
for s in $(seq 2 18); do
	"$HELPERS/holdconns" "127.0.0.$s" 127.0.0.1 7991 64 <"$T/hold" >"$T/held.$s" 9>&- &
	holders="$holders $!"
done
for s in $(seq 2 18); do
	for i in $(seq 1 100); do
		[ -s "$T/held.$s" ] && break
		sleep 0.05
	done
	n=$(sed -n 's/^served=\([0-9]*\) of 64$/\1/p' "$T/held.$s")
	total=$((total + ${n:-0}))
done
check "17 sources x 64 idle sessions: served but below the cap ($total)" \
	test "$total" -gt 768 -a "$total" -lt 1024
check "sources past their fair share are refused as fair-share" \
	wait_log 'service=echo event=refuse peer=127\.0\.0\.[0-9]+ reason=fair-share'
expect_eq "a fresh source is still served" "fresh" \
	"$(echo fresh | nc -s 127.0.0.100 -N -w3 127.0.0.1 7991)"
expect_eq "a command service is still served" "hello" \
	"$(nc -s 127.0.0.101 -d -w3 127.0.0.1 7992)"
exec 9>&-
wait $holders
stop_superd

# builtin_timeout: an idle builtin session ends after that many seconds.
cat >"$T/timeout.conf" <<CONF
builtin_timeout = 1
service echo {
	port = 7993
	bind = "127.0.0.1"
	internal = echo
}
CONF
start_superd "$T/timeout.conf" || exit 1
sleep 30 | nc 127.0.0.1 7993 >/dev/null &
idle=$!
check "an idle builtin session ends after builtin_timeout" \
	wait_log 'service=echo event=end .*reason=timeout' 5
kill "$idle" 2>/dev/null
sed -i 's/builtin_timeout = 1/builtin_timeout = 0/' "$T/timeout.conf"
out=$("$SUPERD" --check-config -c "$T/timeout.conf" 2>&1)
expect_match "builtin_timeout 0 refused" 'builtin_timeout 0: must be 1-86400' "$out"
finish
