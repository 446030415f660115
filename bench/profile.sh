#!/bin/bash
# SPDX-License-Identifier: ISC
# Where superd spends its time per connection (see bench/README.md).
#
#   SUPERD=build/superd bench/profile.sh
#
# In a private network namespace: superd serving hello (as nobody and as
# root) and the echo builtin, next to ref-spawn and ref-forkexec.  Reports
#   1. on-CPU time per connection of the daemon process itself
#      (/proc/PID/schedstat), for PROFILE_CONNS sequential connections;
#   2. strace -c -f: syscalls per connection, daemon plus child up to exec;
#   3. perf record -a (cpu-clock, call graphs) filtered to the comm "superd"
#      (the daemon and its children before exec), or callgrind on the daemon
#      when perf cannot sample.
# Output goes to stdout; PROFILE_DIR keeps the raw files (perf.data, ...).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
: "${SUPERD:=$HERE/../build/superd}"
: "${PROFILE_CONNS:=3000}"

if [ "${1:-}" != --inner ]; then
	[ "$(id -u)" = 0 ] || { echo "profile: needs root"; exit 77; }
	SUPERD=$(readlink -f "$SUPERD")
	[ -x "$SUPERD" ] || { echo "profile: no superd at $SUPERD"; exit 1; }
	T=${PROFILE_DIR:-$(mktemp -d /tmp/superd-profile.XXXXXX)}
	mkdir -p "$T/bin"
	chmod 755 "$T" "$T/bin"
	"$HERE/build-hello.sh" "$T/bin/hello" >/dev/null || exit 1
	cc -O2 -pthread -o "$T/bin/loadgen" "$HERE/loadgen.c" || exit 1
	for r in ref-spawn ref-forkexec; do cc -O2 -o "$T/bin/$r" "$HERE/$r.c" || exit 1; done
	chmod 755 "$T/bin"/*
	export T SUPERD PROFILE_CONNS
	unshare --net --mount --fork -- bash "$0" --inner
	rc=$?
	[ -n "${PROFILE_DIR:-}" ] || rm -rf "$T"
	exit $rc
fi

ip link set lo up
sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
sysctl -qw net.ipv4.tcp_tw_reuse=1
LG=$T/bin/loadgen
N=$PROFILE_CONNS
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done' EXIT
cat >"$T/superd.conf" <<EOF
127.0.0.1:7100 stream tcp nowait nobody $T/bin/hello hello
127.0.0.1:7101 stream tcp nowait root $T/bin/hello hello
127.0.0.1:echo stream tcp nowait root internal
EOF
start() { # NAME WANT LOG CMD...
	local name=$1 want=$2 log=$3
	shift 3
	"$LG" -P "$T/$name.pid" -o "$log" -W "$want" -T 10000 -- "$@" >/dev/null
	PIDS+=("$(cat "$T/$name.pid")")
}
start superd 3 /dev/null "$SUPERD" -f -p - -c "$T/superd.conf"
sed 's/127\.0\.0\.1/127.0.0.11/' "$T/superd.conf" >"$T/superd-log.conf"
start superd-log 6 "$T/superd-log.log" "$SUPERD" -f -p - -c "$T/superd-log.conf"
start ref-spawn 7 /dev/null "$T/bin/ref-spawn" 127.0.0.6 7100 "$T/bin/hello"
start ref-forkexec 8 /dev/null "$T/bin/ref-forkexec" 127.0.0.7 7100 "$T/bin/hello"
SD=$(cat "$T/superd.pid")

oncpu() { awk '{print $1}' /proc/"$1"/schedstat; }
# percon LABEL PID ADDR PORT MODE CONC
percon() {
	local a b out
	a=$(oncpu "$2")
	out=$("$LG" -a "$3" -p "$4" -m "$5" -c "$6" -n "$N" -d 60)
	b=$(oncpu "$2")
	printf '%-34s c%-2s %6.1f us daemon CPU/conn   %s\n' "$1" "$6" \
		"$(echo "($b - $a) / $N / 1000" | bc -l)" "$out"
}
echo "== 1. daemon on-CPU time per connection ($N connections each)"
for c in 1 16; do
	percon "superd hello (nobody)" "$SD" 127.0.0.1 7100 exec $c
	percon "superd hello (root)" "$SD" 127.0.0.1 7101 exec $c
	percon "superd hello (nobody), logging" "$(cat "$T/superd-log.pid")" 127.0.0.11 7100 exec $c
	percon "ref-spawn" "$(cat "$T/ref-spawn.pid")" 127.0.0.6 7100 exec $c
	percon "ref-forkexec" "$(cat "$T/ref-forkexec.pid")" 127.0.0.7 7100 exec $c
	percon "superd echo builtin" "$SD" 127.0.0.1 7 echo $c
	percon "superd echo builtin, logging" "$(cat "$T/superd-log.pid")" 127.0.0.11 7 echo $c
done

echo
# strace_per_conn FILE MODE PORT [-f]: syscalls per connection of 1000.
strace_per_conn() {
	local sp
	strace -c ${4:-} -S calls -o "$T/$1" -p "$SD" 2>/dev/null &
	sp=$!
	sleep 0.5
	"$LG" -a 127.0.0.1 -p "$3" -m "$2" -c 1 -n 1000 -d 60 >/dev/null
	kill -INT $sp
	wait $sp 2>/dev/null
	awk 'NR <= 2 || $0 ~ /^-/ { next }
		$4 ~ /^[0-9]+$/ { printf "  %-22s %8.2f per connection\n", $NF, $4 / 1000 }' "$T/$1" | head -40
}
echo "== 2. strace -c -f, superd, 1000 sequential hello connections (nobody)"
strace_per_conn strace.txt exec 7100 -f
echo "== 2b. strace -c, daemon only (no -f), 1000 echo connections"
strace_per_conn strace-echo.txt echo 7
echo
if perf record -q -e cpu-clock -o "$T/perf-probe.data" -- true >/dev/null 2>&1; then
	echo "== 3. perf record -a -g (cpu-clock), comm superd, hello c1 for 4 s"
	perf record -q -a -g -e cpu-clock -o "$T/perf.data" -- sleep 4 >/dev/null 2>&1 &
	PP=$!
	sleep 0.3
	"$LG" -a 127.0.0.1 -p 7100 -m exec -c 1 -d 3 >/dev/null
	wait $PP
	perf report -i "$T/perf.data" --comm superd --no-children --percentage relative \
		--sort dso,sym --stdio -g none --percent-limit 1 2>/dev/null |
		grep -v '^#' | grep -v '^$' | head -30
	echo "-- the same, by caller chain (top entries)"
	perf report -i "$T/perf.data" --comm superd --children --percentage relative \
		--sort sym --stdio -g none 2>/dev/null | grep -E '\] (spawn_|accept_|log_|reap_|priv_|builtin_|__GI___prctl|syscall$|__libc_fork|__x64_sys_)' | head -25
else
	echo "== 3. perf cannot sample here; callgrind on the daemon (500 hello connections)"
	valgrind --tool=callgrind --callgrind-out-file="$T/callgrind.out" --trace-children=no \
		"$SUPERD" -f -p - -c "$T/superd.conf" 2>/dev/null &
	sleep 3
	"$LG" -a 127.0.0.1 -p 7100 -m exec -c 1 -n 500 -d 60 >/dev/null
	kill -TERM $!
	wait
	callgrind_annotate "$T/callgrind.out" 2>/dev/null | head -40
fi
