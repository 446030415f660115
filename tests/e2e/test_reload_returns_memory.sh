#!/bin/bash
# SPDX-License-Identifier: ISC
# Reloads of 1,000 services give their memory back: the resident set after
# five reloads stays within 1 MiB of the first load's.  It grew by about
# 2 MiB and stayed there: the program text the reload's log lines and
# answer faulted back in after the trim, and a heap whose freed pages each
# held a kept endpoint.
. "$(dirname "$0")/lib.sh"

ldd "$SUPERD" 2>/dev/null | grep -q 'libasan\|libubsan' &&
	skip "a sanitizer build's resident set is its shadow memory"

N=1000
BOUND_KB=1024
# conf WORD: N services, each its own port, running /bin/true WORD.
conf() {
	local p
	for p in $(seq 20000 $((20000 + N - 1))); do
		echo "127.0.0.1:$p stream tcp nowait nobody /bin/true true $1"
	done >"$T/many.conf"
}
# reloaded K: wait (bounded) until the log has K successful reloads.
reloaded() {
	local i
	for i in $(seq 1 400); do
		[ "$(grep -c "event=reload result=ok kept=$N opened=0 closed=0" "$LOG")" -ge "$1" ] &&
			return 0
		sleep 0.05
	done
	return 1
}

conf first
start_superd "$T/many.conf" || exit 1
expect_eq "all $N services listen" "$N" "$(ss -Hltn | wc -l)"
first=$(rss)
for k in 1 2 3 4 5; do
	conf "reload$k"
	kill -HUP "$SUPERD_PID"
	check "reload $k done" reloaded $k
done
# The trim runs once the reload settled: poll, bounded.
now=$(rss_settles $((first + BOUND_KB)))
check "RSS after 5 reloads ($now kB) within $BOUND_KB kB of the first load's ($first kB)" \
	test "$now" -le $((first + BOUND_KB))
finish
