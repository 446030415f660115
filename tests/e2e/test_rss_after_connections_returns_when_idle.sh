#!/bin/bash
# SPDX-License-Identifier: ISC
# After a burst of connections, once idle, the daemon's resident set comes
# back near its idle size: the program text serving faulted in (about
# 1 MB of libc after 2,000 connections) is dropped again.  It stayed:
# `make bench` measured 1,880 kB after 2,000 connections against 608 kB idle.
. "$(dirname "$0")/lib.sh"

ldd "$SUPERD" 2>/dev/null | grep -q 'libasan\|libubsan' &&
	skip "a sanitizer build's resident set is its shadow memory"
BOUND_KB=512
cat >"$T/one.conf" <<CONF
127.0.0.1:7400 stream tcp nowait nobody /bin/true true
CONF

start_superd "$T/one.conf" || exit 1
idle=$(rss)
served=$(python3 - <<'PY'
import socket
n = 0
for i in range(300):
    s = socket.create_connection(("127.0.0.1", 7400), timeout=10)
    while s.recv(4096):
        pass
    s.close()
    n += 1
print(n)
PY
)
expect_eq "300 connections served" 300 "$served"
busy=$(rss)
# Dropped once no child has started for a second: poll, bounded.
now=$(rss_settles $((idle + BOUND_KB)))
check "RSS once idle ($now kB; $busy kB right after) within $BOUND_KB kB of idle ($idle kB)" \
	test "$now" -le $((idle + BOUND_KB))
finish
