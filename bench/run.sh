#!/bin/bash
# SPDX-License-Identifier: ISC
# superd against its peers, side by side, in one run (see bench/README.md).
#
#   SUPERD=build/superd bench/run.sh
#
# Environment:
#   SUPERD        the binary (default build/superd)
#   SUPERD_STATIC the static build (make STATIC=1), measured beside it
#                 (default build-static/superd when it exists)
#   SUPERD_BEFORE an earlier superd build, measured beside SUPERD in the same
#                 interleaved rounds under the same load; the report ends
#                 with each figure's ratio after/before (bench/before-after.sh)
#   BENCH_BEFORE_LABEL what the report calls SUPERD_BEFORE (default its path)
#   BENCH_ONLY_SUPERD  1 measures the superd builds only (no peer, no
#                 reference, no per-source phase)
#   BENCH_OUT     machine-readable results (default ./bench-results.json)
#   BENCH_WINDOW  seconds per measurement window (default 3)
#   BENCH_ROUNDS  interleaved rounds; the median is reported (default 3)
#   BENCH_PEERS   where peers missing from the system are unpacked
#                 (default /var/cache/superd-bench)
#   BENCH_NMAP    0 skips bench/selfcheck-vs-nmap.sh
#   KEEP_TMP      keep the work directory (logs, configs, raw figures)
#
# Needs root (network namespace, user switch).  Every daemon runs inside a
# network namespace this script creates; traffic goes to 127.0.0.0/8 only.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
: "${SUPERD:=$HERE/../build/superd}"
: "${SUPERD_STATIC=$HERE/../build-static/superd}"
: "${BENCH_OUT:=$PWD/bench-results.json}"
: "${BENCH_WINDOW:=3}"
: "${BENCH_ROUNDS:=3}"
: "${BENCH_PEERS:=/var/cache/superd-bench}"
: "${BENCH_NMAP:=1}"
: "${SUPERD_BEFORE:=}"
: "${BENCH_ONLY_SUPERD:=0}"
export BENCH_WINDOW BENCH_ROUNDS

say() { echo "bench: $*" >&2; }

# ---------------------------------------------------------------- inner part
# Runs inside the network namespace: start every daemon, measure, write raw
# figures into $T.  Nothing here reaches the network.
if [ "${1:-}" = --inner ]; then
	. "$T/env"
	ip link set lo up
	sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
	sysctl -qw net.ipv4.tcp_tw_reuse=1
	mount -t tmpfs bench-run /run # peers' pid files stay private
	LG=$T/bin/loadgen
	HELLO=$T/bin/hello
	HELLO_LIBC=$T/bin/hello-libc
	NOBODY_UID=$(id -u nobody)
	NOBODY_GID=$(id -g nobody)
	PIDS=()

	# start NAME EXPECTED_LISTENERS LOG CMD...: start a daemon, wait until the
	# namespace has that many listeners; prints the start-up ms.
	start() {
		local name=$1 want=$2 log=$3 out
		shift 3
		out=$("$LG" -P "$T/$name.pid" -o "$log" -W "$want" -T 20000 -- "$@")
		case $out in
		*'"ok":true'*) echo "$out" | sed 's/.*"ms":\([0-9.]*\).*/\1/' ;;
		*) say "$name did not bind $want listeners: $out"; tail -3 "$log" >&2
			echo fail; return 1 ;;
		esac
	}
	gone() { [ ! -e /proc/$1 ] || [ "$(awk '{print $3}' /proc/$1/stat 2>/dev/null)" = Z ]; }
	stop() {
		local p i
		for p in "$@"; do kill -TERM "$p" 2>/dev/null; done
		for p in "$@"; do
			for i in $(seq 40); do gone "$p" && break; sleep 0.05; done
			gone "$p" || kill -KILL "$p" 2>/dev/null
		done
	}
	stop_all() { [ ${#PIDS[@]} -eq 0 ] || stop "${PIDS[@]}"; PIDS=(); }
	trap stop_all EXIT
	rss() { awk '/^VmRSS/ {print $2}' /proc/"$1"/status 2>/dev/null || echo 0; }

	# ---- configurations -------------------------------------------------
	# superd, 127.0.0.1 (stderr discarded) and 127.0.0.11 (log to a file)
	for a in 1 11 21; do
		cat >"$T/superd.$a.conf" <<-EOF
		127.0.0.$a:7100 stream tcp nowait nobody $HELLO hello
		127.0.0.$a:7101 stream tcp nowait root $HELLO hello
		127.0.0.$a:7102 stream tcp nowait nobody $HELLO_LIBC hello
		127.0.0.$a:echo stream tcp nowait root internal
		EOF
	done
	# xinetd, 127.0.0.2: cps 0 0 switches the rate limit off (default 50 10)
	xinetd_hello() { # ADDR PORT SERVER: one nowait service running SERVER
		cat <<-EOF
		service s$2
		{
			type = UNLISTED
			id = s$2
			port = $2
			bind = $1
			socket_type = stream
			protocol = tcp
			wait = no
			user = nobody
			server = $3
		}
		EOF
	}
	xinetd_conf() { # ADDR FIRSTPORT COUNT [ECHO]
		cat <<-EOF
		defaults
		{
			instances = UNLIMITED
			per_source = UNLIMITED
			cps = 0 0
			log_type = FILE $T/xinetd.svc.log
			log_on_success =
			log_on_failure =
		}
		EOF
		local p
		for p in $(seq "$2" $(($2 + $3 - 1))); do
			xinetd_hello "$1" "$p" "$HELLO"
		done
		[ -z "${4:-}" ] || cat <<-EOF
		service echo
		{
			type = INTERNAL
			id = echo-stream
			bind = $1
			socket_type = stream
			protocol = tcp
			wait = no
			user = root
		}
		EOF
	}
	oinetd_conf() { # ADDR FIRSTPORT COUNT [ECHO]
		local p
		for p in $(seq "$2" $(($2 + $3 - 1))); do
			echo "$1:$p stream tcp nowait.1000000 nobody $HELLO hello"
		done
		[ -z "${4:-}" ] || echo "$1:echo stream tcp nowait.1000000 root internal"
	}
	superd_conf() { # ADDR FIRSTPORT COUNT
		local p
		for p in $(seq "$2" $(($2 + $3 - 1))); do
			echo "$1:$p stream tcp nowait nobody $HELLO hello"
		done
	}
	xinetd_conf 127.0.0.2 7100 1 echo >"$T/xinetd.conf"
	xinetd_hello 127.0.0.2 7102 "$HELLO_LIBC" >>"$T/xinetd.conf"
	oinetd_conf 127.0.0.3 7100 1 echo >"$T/oinetd.conf"

	# ---- phase 1: throughput and latency -------------------------------
	# Every daemon runs at once, each on its own loopback address, so the
	# rounds interleave them and noise falls on all alike.
	say "phase 1: starting every daemon (window ${BENCH_WINDOW}s, $BENCH_ROUNDS rounds)"
	EXEC=() ECHO=() LIBC=()
	n=0
	add() { # NAME KIND(exec|echo|both) EXPECTED_NEW_LISTENERS LOG CMD...
		local name=$1 kind=$2 k=$3 log=$4 ms
		shift 4
		n=$((n + k))
		ms=$(start "$name" "$n" "$log" "$@")
		local rc=$?
		[ -s "$T/$name.pid" ] && PIDS+=("$(cat "$T/$name.pid")")
		if [ $rc = 0 ]; then
			case $kind in exec) EXEC+=("$name") ;; echo) ECHO+=("$name") ;;
			both) EXEC+=("$name") ECHO+=("$name") ;; esac
		else
			n=$((n - k))
			echo "$name	skipped	did not start" >>"$T/skipped"
		fi
		return $rc
	}
	# add_libc NAME CMD...: NAME's second process, serving hello-libc on 7102
	add_libc() {
		local name=$1
		shift
		add "$name-libc" none 1 /dev/null "$@" && LIBC+=("$name")
	}
	declare -A ADDR PORT
	ADDR=([superd]=127.0.0.1 [superd-root]=127.0.0.1 [superd-log]=127.0.0.11
		[xinetd]=127.0.0.2 [openbsd-inetd]=127.0.0.3 [tcpserver]=127.0.0.4
		[systemd-socket-activate]=127.0.0.5 [ref-forkexec]=127.0.0.6
		[ref-spawn]=127.0.0.7 [ref-noexec]=127.0.0.8 [ref-noexec-echo]=127.0.0.9
		[superd-before]=127.0.0.21)
	add superd both 4 /dev/null "$SUPERD" -f -p - --control - -c "$T/superd.1.conf" &&
		EXEC+=(superd-root) LIBC+=(superd)
	add superd-log both 4 "$T/superd-log.log" "$SUPERD" -f -p - --control - -c "$T/superd.11.conf"
	if [ -n "$SUPERD_BEFORE" ]; then
		add superd-before both 4 /dev/null "$SUPERD_BEFORE" -f -p - \
			--control - -c "$T/superd.21.conf" && LIBC+=(superd-before)
	fi
	if [ -n "$XINETD" ]; then
		add xinetd both 3 "$T/xinetd.out" "$XINETD" -dontfork \
			-pidfile /run/xinetd.pid -filelog "$T/xinetd.log" -f "$T/xinetd.conf" &&
			LIBC+=(xinetd)
	fi
	[ -z "$OINETD" ] || add openbsd-inetd both 2 "$T/oinetd.out" "$OINETD" -i -R 1000000 "$T/oinetd.conf"
	[ -z "$TCPSERVER" ] || add tcpserver exec 1 /dev/null "$TCPSERVER" -c 1000 -b 128 -H -R -l 0 \
		-u "$NOBODY_UID" -g "$NOBODY_GID" 127.0.0.4 7100 "$HELLO"
	[ -z "$SSA" ] || add systemd-socket-activate exec 1 /dev/null "$SSA" --inetd -a -l 127.0.0.5:7100 "$HELLO"
	[ -z "$TCPSERVER" ] || add_libc tcpserver "$TCPSERVER" -c 1000 -b 128 -H -R -l 0 \
		-u "$NOBODY_UID" -g "$NOBODY_GID" 127.0.0.4 7102 "$HELLO_LIBC"
	if [ "$BENCH_ONLY_SUPERD" != 1 ]; then
		add ref-forkexec exec 1 /dev/null "$T/bin/ref-forkexec" 127.0.0.6 7100 "$HELLO"
		add ref-spawn exec 1 /dev/null "$T/bin/ref-spawn" 127.0.0.7 7100 "$HELLO"
		add_libc ref-spawn "$T/bin/ref-spawn" 127.0.0.7 7102 "$HELLO_LIBC"
		add ref-noexec exec 1 /dev/null "$T/bin/ref-noexec" 127.0.0.8 7100
		add ref-noexec-echo echo 1 /dev/null "$T/bin/ref-noexec" 127.0.0.9 7 echo
	fi
	say "exec targets: ${EXEC[*]}"
	say "echo targets: ${ECHO[*]}"
	say "hello-libc targets: ${LIBC[*]}"

	measure() { # TARGET MODE CONC ROUND
		local port=7100 mode=$2 out
		[ "$2" = echo ] && port=7
		[ "$2" = libc ] && port=7102 mode=exec
		[ "$1" = superd-root ] && port=7101
		out=$("$LG" -a "${ADDR[$1]}" -p $port -c "$3" -d "$BENCH_WINDOW" -m "$mode")
		echo "$out" | awk -v t="$1" -v m="$2" -v c="$3" -v r="$4" '{
			gsub(/[{}"]/, ""); n = split($0, kv, ",");
			for (i = 1; i <= n; i++) { split(kv[i], p, ":"); v[p[1]] = p[2] }
			printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t, m, c, r,
				v["cps"], v["p50_us"], v["p99_us"], v["errors"] }' >>"$T/raw.tsv"
		sleep 0.2
	}
	: >"$T/raw.tsv"
	for r in $(seq "$BENCH_ROUNDS"); do
		say "round $r/$BENCH_ROUNDS"
		for c in 1 16; do
			for t in "${EXEC[@]}"; do measure "$t" exec $c "$r"; done
			for t in "${ECHO[@]}"; do measure "$t" echo $c "$r"; done
			for t in "${LIBC[@]}"; do measure "$t" libc $c "$r"; done
		done
	done
	# what the logging superd wrote per connection
	if [ -s "$T/superd-log.log" ]; then
		echo "superd_log_bytes	$(stat -c %s "$T/superd-log.log")" >>"$T/misc.tsv"
		echo "superd_log_lines	$(wc -l <"$T/superd-log.log")" >>"$T/misc.tsv"
	fi
	grep -hE 'warning|error' "$T/superd-log.log" 2>/dev/null | grep -v 'event=priv' |
		sort | uniq -c | sort -rn | head -5 >"$T/superd-warnings.txt"
	stop_all

	# ---- phase 2: idle RSS, start-up, reload (one daemon at a time) ------
	say "phase 2: idle RSS, start-up with 1000 services, reload"
	: >"$T/idle.tsv"
	A=127.0.0.1
	# with an earlier build, the two alternate for BENCH_ROUNDS rounds
	P2=(superd)
	if [ -n "$SUPERD_BEFORE" ]; then
		P2=()
		for r in $(seq "$BENCH_ROUNDS"); do P2+=(superd superd-before); done
	fi
	for d in "${P2[@]}" superd-static xinetd openbsd-inetd tcpserver systemd-socket-activate; do
		case $d in
		superd-static) [ -n "$SUPERD_STATIC" ] || continue ;;
		xinetd) [ -n "$XINETD" ] || continue ;;
		openbsd-inetd) [ -n "$OINETD" ] || continue ;;
		tcpserver) [ -n "$TCPSERVER" ] || continue ;;
		systemd-socket-activate) [ -n "$SSA" ] || continue ;;
		esac
		for nsvc in 1 1000; do
			case $d in
			superd) superd_conf $A 8000 $nsvc >"$T/p2.conf"
				cmd=("$SUPERD" -f -p - --control - -c "$T/p2.conf") ;;
			superd-static) superd_conf $A 8000 $nsvc >"$T/p2.conf"
				cmd=("$SUPERD_STATIC" -f -p - --control - -c "$T/p2.conf") ;;
			superd-before) superd_conf $A 8000 $nsvc >"$T/p2.conf"
				cmd=("$SUPERD_BEFORE" -f -p - --control - -c "$T/p2.conf") ;;
			xinetd) xinetd_conf $A 8000 $nsvc >"$T/p2.conf"
				cmd=("$XINETD" -dontfork -pidfile /run/xinetd.pid -filelog "$T/p2.log" -f "$T/p2.conf") ;;
			openbsd-inetd) oinetd_conf $A 8000 $nsvc >"$T/p2.conf"
				cmd=("$OINETD" -i -R 1000000 "$T/p2.conf") ;;
			tcpserver) [ $nsvc = 1 ] || continue
				cmd=("$TCPSERVER" -c 1000 -b 128 -H -R -l 0 -u "$NOBODY_UID" -g "$NOBODY_GID" $A 8000 "$HELLO") ;;
			systemd-socket-activate) [ $nsvc = 1 ] || continue
				cmd=("$SSA" --inetd -a -l $A:8000 "$HELLO") ;;
			esac
			: >"$T/p2.log"
			ms=$(start p2 "$nsvc" "$T/p2.log" "${cmd[@]}")
			rc=$?
			pid=$(cat "$T/p2.pid")
			PIDS+=("$pid")
			[ $rc = 0 ] || { stop_all; continue; }
			sleep 1
			kb=$(rss "$pid")
			# and once it has served: 2000 connections to its first port
			busy_kb=-
			if [ $nsvc = 1 ]; then
				"$LG" -a $A -p 8000 -c 4 -n 2000 -d 20 >/dev/null
				# read 2 s later, as every daemon settles when idle
				# (superd drops the text serving faulted in after 1 s)
				sleep 2
				busy_kb=$(rss "$pid")
			fi
			reload_ms=- detail=-
			if [ $nsvc = 1000 ] && [ "$d" != tcpserver ]; then
				# one service changes port (8999 -> 9999), 999 stay
				sed -i 's/8999/9999/g' "$T/p2.conf"
				if [ "${d#superd}" != "$d" ]; then
					out=$("$LG" -H "$pid" -w 9999 -g "$T/p2.log" -s 'event=reload result=ok' -T 20000)
					detail=$(grep -o 'event=reload result=ok.*' "$T/p2.log" | tail -1 | sed 's/event=reload result=ok //; s/ /,/g')
				else
					out=$("$LG" -H "$pid" -w 9999 -T 20000)
				fi
				case $out in *'"ok":true'*) reload_ms=$(echo "$out" | sed 's/.*"ms":\([0-9.]*\).*/\1/') ;;
				*) reload_ms=fail ;; esac
				# the changed service answers on its new port
				"$LG" -a $A -p 9999 -c 1 -n 1 -d 2 | grep -q '"conns":1' || reload_ms="$reload_ms(no-answer)"
				sleep 2 # settled, as above (superd trims 1 s after)
				kb_after=$(rss "$pid")
				detail="$detail,rss_after_reload_kb=$kb_after"
			fi
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$d" "$nsvc" "$kb" "$ms" "$reload_ms" "$detail" "$busy_kb" >>"$T/idle.tsv"
			stop_all
		done
	done

	[ "$BENCH_ONLY_SUPERD" != 1 ] || exit 0
	# ---- phase 3: per-source accounting, 1 source against 10,000 -------
	# Builtin echo with per_source and per_ip_per_minute (every source keeps
	# its entry for the minute), at concurrency 16; loadgen binds each
	# connection to one of N sources, one per /64 of 2001:db8:100::/40,
	# which this namespace owns (a local route; non-local binds allowed).
	say "phase 3: per-source accounting, 1 source against 10,000"
	: >"$T/src.tsv"
	ip -6 addr add 2001:db8::1/128 dev lo nodad
	ip -6 route add local 2001:db8:100::/40 dev lo
	sysctl -qw net.ipv6.ip_nonlocal_bind=1
	cat >"$T/p3.conf" <<-EOF
	service echo {
		internal = yes
		protocol = tcp6
		bind = "2001:db8::1"
		per_source = 64
		per_ip_per_minute = 1000000000
	}
	EOF
	if ms=$(start p3 1 "$T/p3.log" "$SUPERD" -f -p - --control "$T/p3.control" -c "$T/p3.conf"); then
		PIDS+=("$(cat "$T/p3.pid")")
		for nsrc in 1 10000; do # warm up: every source in the table
			"$LG" -a 2001:db8::1 -p 7 -c 16 -n 20000 -d 20 -m echo -S $nsrc >/dev/null
		done
		for r in $(seq "$BENCH_ROUNDS"); do
			for nsrc in 1 10000; do
				out=$("$LG" -a 2001:db8::1 -p 7 -c 16 -d "$BENCH_WINDOW" -m echo -S $nsrc)
				echo "$out" | awk -v n=$nsrc -v r=$r '{ gsub(/[{}"]/, "");
					k = split($0, kv, ","); for (i = 1; i <= k; i++) {
					split(kv[i], p, ":"); v[p[1]] = p[2] }
					printf "%s\t%s\t%s\t%s\n", n, r, v["cps"], v["errors"] }' >>"$T/src.tsv"
				sleep 0.2
			done
		done
		"$SUPERD" status --json --control "$T/p3.control" 2>/dev/null |
			jq -c '.services[0].sources' 2>/dev/null | tr -d '"' >"$T/src-table.txt"
		stop_all
	fi
	exit 0
fi

# ---------------------------------------------------------------- outer part
[ "$(id -u)" = 0 ] || { say "needs root (network namespace, user switch)"; exit 77; }
SUPERD=$(readlink -f "$SUPERD")
[ -x "$SUPERD" ] || { say "no superd at $SUPERD (build it, or set SUPERD=)"; exit 1; }
if [ -n "$SUPERD_BEFORE" ]; then
	SUPERD_BEFORE=$(readlink -f "$SUPERD_BEFORE")
	[ -x "$SUPERD_BEFORE" ] || { say "no superd at SUPERD_BEFORE=$SUPERD_BEFORE"; exit 1; }
fi
if [ -x "$SUPERD_STATIC" ]; then
	SUPERD_STATIC=$(readlink -f "$SUPERD_STATIC")
else
	SUPERD_STATIC=
fi
case $BENCH_OUT in /*) ;; *) BENCH_OUT=$PWD/$BENCH_OUT ;; esac
T=$(mktemp -d /tmp/superd-bench.XXXXXX)
chmod 755 "$T"
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$T"' EXIT
mkdir -p "$T/bin"
: >"$T/skipped"
skip() { say "skipping $1: $2"; printf '%s\tskipped\t%s\n' "$1" "$2" >>"$T/skipped"; }

# No package may start a daemon on this machine's own ports.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	say "created /usr/sbin/policy-rc.d (exit 101)"
fi
/usr/sbin/policy-rc.d >/dev/null 2>&1
POLICY=$?

# unpack PKG: extract a Debian package under $BENCH_PEERS/PKG, never
# configuring it (so no conflict, no maintainer script, no daemon).
unpack() {
	local dir=$BENCH_PEERS/$1 deb
	[ -d "$dir/usr" ] && return 0
	mkdir -p "$dir" || return 1
	(cd "$dir" && apt-get download "$1" >/dev/null 2>&1) ||
		{ apt-get update -qq >/dev/null 2>&1 && (cd "$dir" && apt-get download "$1" >/dev/null 2>&1); } ||
		return 1
	deb=$(ls "$dir"/*.deb 2>/dev/null | head -1)
	[ -n "$deb" ] && dpkg -x "$deb" "$dir" && rm -f "$deb"
}
# peer VAR PKG PATH-IN-PACKAGE: the system's binary when the package is
# installed, else an unpacked copy.
peer() {
	local var=$1 pkg=$2 path=$3 bin=
	if dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' && [ -x "$path" ]; then
		bin=$path
	elif unpack "$pkg" && [ -x "$BENCH_PEERS/$pkg$path" ]; then
		bin=$BENCH_PEERS/$pkg$path
	fi
	if [ -n "$bin" ] && ldd "$bin" 2>/dev/null | grep -q 'not found'; then
		say "$pkg unpacked but misses libraries; trying apt-get install"
		if [ $POLICY = 101 ] && apt-get install -y -qq "$pkg" >/dev/null 2>&1; then
			bin=$path
		else
			bin=
		fi
	fi
	[ -n "$bin" ] || skip "$pkg" "not installed and could not be downloaded"
	printf '%s=%q\n' "$var" "$bin" >>"$T/env"
}
printf 'T=%q\nSUPERD=%q\nSUPERD_STATIC=%q\nSUPERD_BEFORE=%q\nBENCH_ONLY_SUPERD=%q\n' \
	"$T" "$SUPERD" "$SUPERD_STATIC" "$SUPERD_BEFORE" "$BENCH_ONLY_SUPERD" >"$T/env"
if [ "$BENCH_ONLY_SUPERD" = 1 ]; then
	printf 'XINETD=\nOINETD=\nTCPSERVER=\nSSA=\n' >>"$T/env"
else
	peer XINETD xinetd /usr/sbin/xinetd
	peer OINETD openbsd-inetd /usr/sbin/inetd
	# ucspi-tcp runs no daemon of its own: a normal install is fine.
	if command -v tcpserver >/dev/null; then
		printf 'TCPSERVER=%q\n' "$(command -v tcpserver)" >>"$T/env"
	elif [ $POLICY = 101 ] && apt-get install -y -qq ucspi-tcp >/dev/null 2>&1; then
		printf 'TCPSERVER=%q\n' "$(command -v tcpserver)" >>"$T/env"
	else
		peer TCPSERVER ucspi-tcp /usr/bin/tcpserver
	fi
	if [ -x /usr/bin/systemd-socket-activate ]; then
		echo SSA=/usr/bin/systemd-socket-activate >>"$T/env"
	else
		echo SSA= >>"$T/env"
		skip systemd-socket-activate "not present (installing systemd is out of scope)"
	fi
fi

# Build the load generator, the hello service and the references.
CC=${CC:-cc}
# hello: libc-free where it can be (bench/hello.c); hello-libc: glibc.
HELLO_KIND=$(CC=$CC "$HERE/build-hello.sh" "$T/bin/hello") || exit 1
HELLO_LIBC_KIND=$(CC=$CC "$HERE/build-hello.sh" "$T/bin/hello-libc" libc) || exit 1
[ "$HELLO_KIND" = static-nolibc ] || say "hello built with libc ($HELLO_KIND): no libc-free build here"
$CC -O2 -Wall -pthread -o "$T/bin/loadgen" "$HERE/loadgen.c" &&
	for r in ref-forkexec ref-spawn ref-noexec; do
		$CC -O2 -Wall -o "$T/bin/$r" "$HERE/$r.c" || exit 1
	done || exit 1
chmod 755 "$T/bin" "$T/bin"/*

say "superd $("$SUPERD" -V 2>&1 | head -1), $(nproc) cores, $(uname -r)"
[ -z "$SUPERD_BEFORE" ] || say "before: $SUPERD_BEFORE"
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
start_s=$(date +%s)
: >"$T/raw.tsv"; : >"$T/idle.tsv"; : >"$T/misc.tsv"; : >"$T/src.tsv"; : >"$T/src-table.txt"
# binary sizes, as built and stripped
for b in superd:"$SUPERD" superd-static:"$SUPERD_STATIC" superd-before:"$SUPERD_BEFORE"; do
	[ -n "${b#*:}" ] || continue
	strip -o "$T/stripped" "${b#*:}" 2>/dev/null || cp "${b#*:}" "$T/stripped"
	printf '%s_size\t%s\n%s_stripped\t%s\n' "${b%%:*}" "$(stat -c %s "${b#*:}")" \
		"${b%%:*}" "$(stat -c %s "$T/stripped")" >>"$T/misc.tsv"
done
[ -n "$SUPERD_STATIC" ] || skip superd-static "no static build (make STATIC=1, or set SUPERD_STATIC=)"
unshare --net --mount --fork -- env T="$T" bash "$0" --inner
rc=$?
[ $rc = 0 ] || say "inner run exited $rc"

# Selfcheck against nmap, when its script is there (it makes its own namespace).
NMAP_RATIO=
if [ "$BENCH_NMAP" != 0 ] && [ -x "$HERE/selfcheck-vs-nmap.sh" ]; then
	say "running selfcheck-vs-nmap.sh"
	SUPERD=$SUPERD timeout 300 "$HERE/selfcheck-vs-nmap.sh" 3 >"$T/nmap.out" 2>&1
	# Both ratios: 127.0.0.1 and ::1, then the twenty addresses.
	NMAP_RATIO=$(sed -n 's/^ratio: \([0-9.]*\)x.*/\1x/p' "$T/nmap.out" |
		paste -sd' ' | sed 's/^\([^ ]*\) \([^ ]*\)$/\1 (127.0.0.1 and ::1), \2 (20 addresses)/')
	[ -n "$NMAP_RATIO" ] || { say "selfcheck-vs-nmap.sh gave no ratio:"; tail -5 "$T/nmap.out" >&2; }
fi
elapsed=$(($(date +%s) - start_s))

# ---------------------------------------------------------------- report
export HELLO_KIND NMAP_RATIO elapsed BENCH_OUT
awk -F'\t' -v out="$BENCH_OUT" -v hk="$HELLO_KIND" -v hlk="$HELLO_LIBC_KIND" -v nmap="$NMAP_RATIO" \
	-v el="${elapsed:-0}" -v win="${BENCH_WINDOW:-0}" -v rounds="${BENCH_ROUNDS:-0}" \
	-v cores="$(nproc)" -v kern="$(uname -r)" -v load0="$LOADAVG" \
	-v load1="$(cut -d' ' -f1-3 /proc/loadavg)" -v before="${BENCH_BEFORE_LABEL:-$SUPERD_BEFORE}" \
	-v only="$BENCH_ONLY_SUPERD" '
function med(key, col,   n, i, j, a, t) {
	n = cnt[key]
	for (i = 1; i <= n; i++) a[i] = val[key, i, col]
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n ? (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) : ""
}
function smed(k,   n, i, j, a, t) {
	n = scnt[k]
	for (i = 1; i <= n; i++) a[i] = sval[k, i]
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n ? (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) : ""
}
function amed(a, n,   i, j, t) {
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n ? (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) : ""
}
# imed(DAEMON, SERVICES, COLUMN): the median of that idle.tsv column
function imed(d, n, col,   i, k, a, g) {
	for (i = 1; i <= ni; i++) {
		split(idle[i], g, "\t")
		if (g[1] == d && g[2] == n && g[col] ~ /^[0-9.]+$/) a[++k] = g[col]
	}
	return amed(a, k)
}
# before/after figures: BA[i] = name, BAa/BAb = after, before
function ba_collect(   md, c, t, d) {
	nba = 0
	for (md = 1; md <= 3; md++) {
		t = md == 1 ? "exec" : md == 2 ? "echo" : "libc"
		for (c = 1; c <= 16; c += 15) {
			BA[++nba] = t " c" c " conn/s"
			BAa[nba] = m["superd", t, c, 1]; BAb[nba] = m["superd-before", t, c, 1]
			BA[++nba] = t " c" c " p50 us"
			BAa[nba] = m["superd", t, c, 2]; BAb[nba] = m["superd-before", t, c, 2]
		}
	}
	for (c = 1; c <= 1000; c += 999) {
		BA[++nba] = "idle RSS kB, " c " service" (c > 1 ? "s" : "")
		BAa[nba] = imed("superd", c, 3); BAb[nba] = imed("superd-before", c, 3)
	}
	BA[++nba] = "bytes per added service"
	BAa[nba] = per_svc(BAa[nba - 2], BAa[nba - 1])
	BAb[nba] = per_svc(BAb[nba - 2], BAb[nba - 1])
	BA[++nba] = "RSS kB 2 s after 2000 conns"
	BAa[nba] = imed("superd", 1, 7); BAb[nba] = imed("superd-before", 1, 7)
	for (c = 1; c <= 1000; c += 999) {
		BA[++nba] = "start-up ms, " c " service" (c > 1 ? "s" : "") " bound"
		BAa[nba] = imed("superd", c, 4); BAb[nba] = imed("superd-before", c, 4)
	}
	BA[++nba] = "reload ms, 1 of 1000 moved"
	BAa[nba] = imed("superd", 1000, 5); BAb[nba] = imed("superd-before", 1000, 5)
	BA[++nba] = "binary bytes, stripped"
	BAa[nba] = misc["superd_stripped"]; BAb[nba] = misc["superd-before_stripped"]
}
function per_svc(kb1, kb1000) { return kb1 == "" || kb1000 == "" ? "" : (kb1000 - kb1) * 1024 / 999 }
function fig(x) { return x == "" ? "-" : sprintf("%.0f", x) }
function ratio(a, b) { return (a != "" && b != "" && b + 0 > 0) ? sprintf("%.2f", a / b) : "-" }
FILENAME ~ /raw.tsv$/ {
	key = $1 SUBSEP $2 SUBSEP $3
	if (!(key in cnt)) { order[++nk] = key }
	cnt[key]++
	val[key, cnt[key], 1] = $5; val[key, cnt[key], 2] = $6; val[key, cnt[key], 3] = $7
	err[key] += $8
	if (!(($1, $2) in seen)) { seen[$1, $2] = 1; tl[$2, ++nt[$2]] = $1 }
	next
}
FILENAME ~ /idle.tsv$/ { idle[++ni] = $0; next }
FILENAME ~ /src.tsv$/ { sk = $1; scnt[sk]++; sval[sk, scnt[sk]] = $3; serr[sk] += $4; next }
FILENAME ~ /src-table.txt$/ { stable = $0; next }
FILENAME ~ /misc.tsv$/ { misc[$1] = $2; next }
FILENAME ~ /skipped$/ { if ($1 != "") skipped[++ns] = $1 ": " $3; next }
END {
	for (k = 1; k <= nk; k++) {
		key = order[k]
		m[key, 1] = med(key, 1); m[key, 2] = med(key, 2); m[key, 3] = med(key, 3)
	}
	printf "{\n  \"machine\": {\"cores\": %d, \"kernel\": \"%s\", \"loadavg_start\": \"%s\", \"loadavg_end\": \"%s\"},\n", cores, kern, load0, load1 > out
	if (before != "") {
		ba_collect()
		printf "  \"before_after\": {\"before\": \"%s\", \"figures\": [\n", before > out
		for (i = 1; i <= nba; i++)
			printf "    {\"figure\": \"%s\", \"after\": \"%s\", \"before\": \"%s\", \"after_over_before\": \"%s\"}%s\n",
				BA[i], BAa[i], BAb[i], ratio(BAa[i], BAb[i]), (i < nba ? "," : "") > out
		printf "  ]},\n" > out
	}
	printf "  \"window_s\": %s, \"rounds\": %s, \"hello\": \"%s\", \"hello_libc\": \"%s\", \"elapsed_s\": %s,\n", win, rounds, hk, hlk, el > out
	printf "  \"notes\": [\"xinetd: cps = 0 0 (default 50 10 would pause it), instances and per_source UNLIMITED, per-connection logging off\", \"openbsd-inetd: nowait.1000000 and -R 1000000 (default 256 a minute)\", \"tcpserver: -c 1000 -b 128 -H -R -l 0\", \"superd, xinetd, openbsd-inetd, tcpserver run hello as nobody; systemd-socket-activate and the references as root\"],\n" > out
	printf "  \"throughput\": [\n" > out
	for (k = 1; k <= nk; k++) {
		key = order[k]; split(key, p, SUBSEP)
		printf "    {\"target\": \"%s\", \"mode\": \"%s\", \"concurrency\": %s, \"cps\": %s, \"p50_us\": %s, \"p99_us\": %s, \"errors\": %d, \"windows\": %d}%s\n",
			p[1], p[2], p[3], m[key, 1], m[key, 2], m[key, 3], err[key], cnt[key], (k < nk ? "," : "") > out
	}
	printf "  ],\n  \"idle\": [\n" > out
	for (i = 1; i <= ni; i++) {
		split(idle[i], f, "\t")
		if (f[2] == 1) rss1[f[1]] = f[3]
		grow = (f[2] == 1000 && (f[1] in rss1)) ? sprintf("%.0f", (f[3] - rss1[f[1]]) * 1024 / 999) : "null"
		printf "    {\"daemon\": \"%s\", \"services\": %s, \"rss_kb\": %s, \"rss_after_2000_conns_kb\": \"%s\", \"rss_bytes_per_added_service\": %s, \"bound_ms\": \"%s\", \"reload_ms\": \"%s\", \"detail\": \"%s\"}%s\n",
			f[1], f[2], f[3], f[7], grow, f[4], f[5], f[6], (i < ni ? "," : "") > out
	}
	printf "  ],\n  \"ratios\": {\n" > out
	nr = 0
	for (mode = 1; mode <= 3; mode++) {
		md = mode == 1 ? "exec" : mode == 2 ? "libc" : "echo"
		for (i = 1; i <= nt[md]; i++) {
			t = tl[md, i]
			if (t ~ /^superd/) continue
			for (c = 1; c <= 16; c += 15) {
				r = ratio(m["superd", md, c, 1], m[t, md, c, 1])
				R[++nr] = sprintf("    \"superd/%s %s c%d\": \"%s\"", t, md, c, r)
			}
		}
	}
	if (nmap != "") R[++nr] = sprintf("    \"selfcheck vs nmap (nmap time / selfcheck time)\": \"%s\"", nmap)
	for (i = 1; i <= nr; i++) printf "%s%s\n", R[i], (i < nr ? "," : "") > out
	s1 = smed("1"); s10k = smed("10000")
	printf "  },\n  \"per_source\": {\"cps_1_source\": \"%s\", \"cps_10000_sources\": \"%s\", \"ratio\": \"%s\", \"errors\": %d, \"table\": \"%s\"},\n",
		s1, s10k, ratio(s10k, s1), serr["1"] + serr["10000"], stable > out
	printf "  \"sizes\": {\"superd\": \"%s\", \"superd_stripped\": \"%s\", \"superd_static\": \"%s\", \"superd_static_stripped\": \"%s\"",
		misc["superd_size"], misc["superd_stripped"], misc["superd-static_size"], misc["superd-static_stripped"] > out
	printf "},\n  \"superd_log\": {\"bytes\": \"%s\", \"lines\": \"%s\"},\n", misc["superd_log_bytes"], misc["superd_log_lines"] > out
	printf "  \"skipped\": [" > out
	for (i = 1; i <= ns; i++) printf "%s\"%s\"", (i > 1 ? ", " : ""), skipped[i] > out
	printf "]\n}\n" > out

	# ---- the table
	for (mode = 1; mode <= 3; mode++) {
		md = mode == 1 ? "exec" : mode == 2 ? "libc" : "echo"
		if (!nt[md]) continue
		printf "\n%s (median of %s windows of %ss; ratio = superd conn/s / this conn/s)\n",
			md == "exec" ? "EXEC nowait, hello (" hk ")" : md == "libc" ? "EXEC nowait, hello-libc (" hlk "; its CPUID start-up included)" : "BUILTIN ECHO", rounds, win
		printf "%-24s %9s %7s %7s | %9s %7s %7s | %7s %7s %6s\n", "target", "c1 cps", "p50us", "p99us",
			"c16 cps", "p50us", "p99us", "r c1", "r c16", "errors"
		for (i = 1; i <= nt[md]; i++) {
			t = tl[md, i]
			printf "%-24s %9.0f %7d %7d | %9.0f %7d %7d | %7s %7s %6d\n", t,
				m[t, md, 1, 1], m[t, md, 1, 2], m[t, md, 1, 3],
				m[t, md, 16, 1], m[t, md, 16, 2], m[t, md, 16, 3],
				ratio(m["superd", md, 1, 1], m[t, md, 1, 1]),
				ratio(m["superd", md, 16, 1], m[t, md, 16, 1]),
				err[t, md, 1] + err[t, md, 16]
		}
	}
	printf "\nIDLE / START-UP / RELOAD (one daemon at a time; reload moves 1 of 1000 services)\n"
	printf "%-24s %8s %9s %11s %10s %10s  %s\n", "daemon", "services", "RSS kB", "served kB", "bound ms", "reload ms", "detail"
	for (i = 1; i <= ni; i++) {
		split(idle[i], f, "\t")
		printf "%-24s %8s %9s %11s %10s %10s  %s\n", f[1], f[2], f[3], f[7], f[4], f[5], f[6]
		# A daemon measured in several rounds (before/after) is judged by
		# the median of its rows, not by the last one.
		rssv[f[1], f[2]] = imed(f[1], f[2], 3); bnd[f[1], f[2]] = imed(f[1], f[2], 4)
	}
	printf "(served kB: RSS 2 s after 2000 connections to the 1-service daemon; a daemon with several rows counts in the targets by the median of each column)\n"
	if (misc["superd_size"] != "")
		printf "binary size: superd %d bytes (%d stripped, shared libraries apart)", misc["superd_size"], misc["superd_stripped"]
	if (misc["superd-static_size"] != "")
		printf "; superd-static %d bytes (%d stripped, everything in)", misc["superd-static_size"], misc["superd-static_stripped"]
	printf "\n"
	if (s1 != "") {
		printf "\nPER-SOURCE ACCOUNTING (builtin echo, per_source + per_ip_per_minute, c16, median of %d windows)\n", scnt["1"]
		printf "  1 source: %.0f conn/s; 10,000 sources (one per /64): %.0f conn/s; ratio %s; errors %d\n",
			s1, s10k, ratio(s10k, s1), serr["1"] + serr["10000"]
		if (stable != "") printf "  the per-source table of the service after the run: %s\n", stable
	}
	printf "resident memory per added service (1 -> 1000 services, medians):"
	for (i = 1; i <= ni; i++) {
		split(idle[i], f, "\t")
		if (f[2] == 1000 && rssv[f[1], 1] != "" && !(f[1] in persvc_done)) {
			persvc_done[f[1]] = 1
			printf "  %s %.0f bytes", f[1], per_svc(rssv[f[1], 1], rssv[f[1], 1000])
		}
	}
	printf "\n"
	if (misc["superd_log_lines"] != "")
		printf "\nsuperd-log wrote %d lines, %d bytes (%.0f bytes a line)\n", misc["superd_log_lines"],
			misc["superd_log_bytes"], misc["superd_log_bytes"] / misc["superd_log_lines"]
	if (nmap != "") printf "selfcheck vs nmap: %s (nmap time / selfcheck time, median of the rounds)\n", nmap

	# ---- targets from the speed issue (against peers: none with only superd)
	if (only == 1) { ba_print(); exit }
	printf "\nTARGETS\n"
	exec_targets("exec")
	tgt("echo c1 >= 4x xinetd echo", m["superd", "echo", 1, 1], m["xinetd", "echo", 1, 1], 4)
	tgt("echo c16 >= 4x xinetd echo", m["superd", "echo", 16, 1], m["xinetd", "echo", 16, 1], 4)
	tgt("echo c1 >= 0.6x no-fork echo ref", m["superd", "echo", 1, 1], m["ref-noexec-echo", "echo", 1, 1], 0.6)
	tgt("echo c16 >= 0.6x no-fork echo ref", m["superd", "echo", 16, 1], m["ref-noexec-echo", "echo", 16, 1], 0.6)
	tgt("echo c16 >= 0.9x no-fork echo ref", m["superd", "echo", 16, 1], m["ref-noexec-echo", "echo", 16, 1], 0.9)
	tgt("exec c1 >= 1.0x posix_spawn ref", m["superd", "exec", 1, 1], m["ref-spawn", "exec", 1, 1], 1.0)
	tgt("exec c16 >= 1.0x posix_spawn ref", m["superd", "exec", 16, 1], m["ref-spawn", "exec", 16, 1], 1.0)
	tgt("idle RSS 1 svc <= xinetd", rssv["xinetd", 1], rssv["superd", 1], 1)
	tgt("idle RSS 1000 svc <= xinetd", rssv["xinetd", 1000], rssv["superd", 1000], 1)
	tgt("idle RSS 1 svc <= tcpserver", rssv["tcpserver", 1], rssv["superd", 1], 1)
	tgt("idle RSS 1000 svc < openbsd-inetd", rssv["openbsd-inetd", 1000], rssv["superd", 1000], 1.0000001)
	if (rssv["superd", 1000] != "" && rssv["superd", 1] != "") {
		b = (rssv["superd", 1000] - rssv["superd", 1]) * 1024 / 999
		printf "  %-40s  %6.0f  %s\n", "bytes per added service <= 400", b, (b <= 400 ? "MET" : "MISSED")
	}
	tgt("accept 10,000 sources >= 0.9x 1 source", s10k, s1, 0.9)
	tgt("1000 bound faster than openbsd-inetd", bnd["openbsd-inetd", 1000], bnd["superd", 1000], 1.0000001)
	if (nt["libc"]) {
		printf "\nTHE SAME RATIOS WITH hello-libc (for information: the start-up of the program dominates)\n"
		exec_targets("libc")
	}
	ba_print()
}
function ba_print(   i) {
	if (before != "") {
		printf "\nBEFORE / AFTER (superd = after, superd-before = %s; same run, interleaved;\n", before
		printf "medians; load average %s at the start, %s at the end)\n", load0, load1
		printf "  %-34s %10s %10s %12s\n", "figure", "after", "before", "after/before"
		for (i = 1; i <= nba; i++)
			printf "  %-34s %10s %10s %12s\n", BA[i], fig(BAa[i]), fig(BAb[i]), ratio(BAa[i], BAb[i])
	}
}
function exec_targets(md) {
	tgt("exec c1 >= 1.8x xinetd", m["superd", md, 1, 1], m["xinetd", md, 1, 1], 1.8)
	tgt("exec c1 >= 1.2x tcpserver", m["superd", md, 1, 1], m["tcpserver", md, 1, 1], 1.2)
	tgt("exec c1 >= 0.9x posix_spawn ref", m["superd", md, 1, 1], m["ref-spawn", md, 1, 1], 0.9)
	tgt("exec c16 >= 1.3x xinetd", m["superd", md, 16, 1], m["xinetd", md, 16, 1], 1.3)
	tgt("exec c16 >= 1.0x tcpserver", m["superd", md, 16, 1], m["tcpserver", md, 16, 1], 1.0)
}
function tgt(name, a, b, need,   r) {
	if (a == "" || b == "" || b + 0 == 0) { printf "  %-40s  n/a\n", name; return }
	r = a / b
	printf "  %-40s  %6.2f  %s\n", name, r, (r >= need ? "MET" : "MISSED")
}' "$T/raw.tsv" "$T/idle.tsv" "$T/misc.tsv" "$T/src.tsv" "$T/src-table.txt" "$T/skipped" 2>/dev/null
[ -s "$T/superd-warnings.txt" ] && { echo; echo "superd-log warnings (count, line):"; cat "$T/superd-warnings.txt"; }
cat "$T/skipped" | sed -n 's/^\(.*\)\tskipped\t\(.*\)/skipped: \1 (\2)/p'
echo
echo "results: $BENCH_OUT ($elapsed s)"
[ -z "${KEEP_TMP:-}" ] || echo "work directory kept: $T"
