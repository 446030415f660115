#!/bin/bash
# SPDX-License-Identifier: ISC
# RPC services (kind_rpc.c) with Debian's rpcbind and rpc.rusersd, the
# line Debian's rusersd package adds: superd binds a port, registers
# every version (rpcinfo -p shows them), rusers gets its answer from
# rpc.rusersd started by superd; a reload that removes the service and
# superd's exit unregister it; after rpcbind restarts without its state,
# superd registers again (on a reload at once, else within the periodic
# check); started before rpcbind, it says registration failed, then
# registers once rpcbind is there.  rpcbind runs in this test's own
# network namespace with a private /run.
. "$(dirname "$0")/lib.sh"

RUSERSD=${RUSERSD:-}
for c in "$RUSERSD" /usr/sbin/rpc.rusersd \
    "$(cd "$(dirname "$0")/../.." && pwd)/build/debs/usr/sbin/rpc.rusersd"; do
	[ -n "$c" ] && [ -x "$c" ] && { RUSERSD=$c; break; }
done
[ -x "$RUSERSD" ] || skip "rpc.rusersd not found (make deps fetches it into build/debs)"
for c in rpcbind rpcinfo rusers; do
	command -v "$c" >/dev/null || [ -x "/usr/sbin/$c" ] || skip "$c not installed"
done
PATH=$PATH:/usr/sbin
# A private /run: rpcbind's socket and state stay in this namespace.
mount -t tmpfs tmpfs /run || skip "cannot mount a private /run"
cp "$RUSERSD" "$T/rpc.rusersd"

RPCBIND_PID=
start_rpcbind() {
	rpcbind -f "$@" >"$T/rpcbind.log" 2>&1 &
	RPCBIND_PID=$!
	for i in $(seq 1 100); do
		rpcinfo -p 127.0.0.1 >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "rpcbind did not start:"
	cat "$T/rpcbind.log"
	return 1
}
stop_rpcbind() {
	[ -n "$RPCBIND_PID" ] || return 0
	kill "$RPCBIND_PID"
	wait "$RPCBIND_PID" 2>/dev/null
	RPCBIND_PID=
}
trap 'stop_superd; stop_rpcbind; [ -n "${KEEP_TMP:-}" ] || rm -rf "$T"' EXIT

# registered PROGRAM PROTO: the versions rpcinfo lists, "v:port" joined.
registered() {
	rpcinfo -p 127.0.0.1 2>/dev/null |
	    awk -v p="$1" -v t="$2" '$1 == p && $3 == t { print $2 ":" $4 }' |
	    sort | paste -sd' '
}

# The test's own inetd.conf: Debian's rusersd line, and one on rpc/tcp.
cat >"$T/inetd.conf" <<CONF
rusersd/2-3 dgram rpc/udp wait root $T/rpc.rusersd rpc.rusersd
100099/1 stream rpc/tcp nowait nobody /bin/cat cat
CONF

start_rpcbind || exit 1
start_superd "$T/inetd.conf" || exit 1
port=$(sed -n 's/.*service=rusersd\/2-3 event=rpc-register result=ok program=100002 versions=2-3 port=\([0-9]*\).*/\1/p' "$LOG")
check "registration logged with its port" test -n "$port"
expect_eq "rpcinfo -p shows versions 2 and 3 on superd's port" "2:$port 3:$port" \
    "$(registered 100002 udp)"
check "the port is superd's" bash -c "ss -lunpH 'sport = :$port' | grep -q superd"
check "an rpc/tcp service is registered too" test -n "$(registered 100099 tcp)"
out=$(rusers -a 127.0.0.1 2>&1)
expect_eq "rusers gets an answer (exit 0): $out" 0 $?
check "rpc.rusersd was started by superd" \
    wait_log 'service=rusersd/2-3 event=start pid=[0-9]+'
expect_eq "rpcinfo reaches rusersd version 3 through superd" 0 \
    "$(rpcinfo -u 127.0.0.1 100002 3 >/dev/null 2>&1; echo $?)"
listing=$("$SUPERD" -c "$T/inetd.conf" --list --json)
expect_eq "--list --json: kind rpc, endpoint of program and versions" \
    "rpc rpc:100002/2-3 udp" \
    "$(printf '%s' "$listing" | jq -r '.[0] | "\(.kind) \(.endpoint) \(.protocol)"')"

# The audit takes an RPC service's port from rpcbind: the port superd
# got from the kernel is the declared service, not a stray of superd's
# own (it said "the daemon runs another config", exit 2).
audit=$("$SUPERD" --selfcheck -c "$T/inetd.conf" --format json 2>&1)
expect_eq "the audit finds no finding on the RPC port $port" "" \
    "$(printf '%s' "$audit" | jq -r --argjson p "$port" \
    '.findings[]? | select(.port == $p and .severity != "OK") | "\(.kind) \(.severity)"')"
check "and names the RPC service on it" bash -c "printf '%s' '$(printf '%s' "$audit" | jq -c --argjson p "$port" '[.findings[]? | select(.port == $p) | .service]')' | grep -q rusersd"

# rpcbind restarts without its state; a reload registers again at once.
stop_rpcbind
rm -rf /run/rpcbind /run/rpcbind.*
start_rpcbind || exit 1
expect_eq "a fresh rpcbind knows nothing" "" "$(registered 100002 udp)"
kill -HUP "$SUPERD_PID"
for i in $(seq 1 100); do
	[ "$(registered 100002 udp)" = "2:$port 3:$port" ] && break
	sleep 0.05
done
expect_eq "registered again right after a reload" "2:$port 3:$port" "$(registered 100002 udp)"

# Again, without a reload: the periodic check (every 10 s) finds it.
stop_rpcbind
rm -rf /run/rpcbind /run/rpcbind.*
start_rpcbind || exit 1
for i in $(seq 1 300); do
	[ "$(registered 100002 udp)" = "2:$port 3:$port" ] && break
	sleep 0.1
done
expect_eq "registered again after an rpcbind restart, without a reload" \
    "2:$port 3:$port" "$(registered 100002 udp)"

# A reload that removes the service unregisters it; the other stays.
sed -i '/rusersd/d' "$T/inetd.conf"
kill -HUP "$SUPERD_PID"
check "unregistration logged" wait_log 'service=rusersd/2-3 event=rpc-unregister result=ok'
expect_eq "rpcinfo no longer shows the removed program" "" "$(registered 100002 udp)"
check "the kept one is still registered" test -n "$(registered 100099 tcp)"
stop_superd
expect_eq "exit unregisters the rest" "" "$(registered 100099 tcp)"

# superd before rpcbind: it says so, then registers once rpcbind is there.
stop_rpcbind
rm -rf /run/rpcbind /run/rpcbind.*
start_superd "$T/inetd.conf" || exit 1
check "a failed registration is logged as failed" \
    wait_log 'service=100099/1 event=rpc-register result=failed'
check "no success is claimed" bash -c "! grep -q 'rpc-register result=ok' '$LOG'"
start_rpcbind || exit 1
check "registered once rpcbind runs" wait_log 'service=100099/1 event=rpc-register result=ok' 30
check "rpcinfo shows it" test -n "$(registered 100099 tcp)"
stop_superd

# Refused at load, with file:line.
printf '%s\n' "nosuchprog/1 dgram rpc/udp wait root /bin/cat cat" \
    "rusersd/3-2 dgram rpc/udp wait root /bin/cat cat" \
    "rusersd dgram rpc/udp wait root /bin/cat cat" >"$T/bad.conf"
out=$("$SUPERD" -t -c "$T/bad.conf" 2>&1)
expect_match "an unknown program is refused" \
    'bad.conf:1: RPC program "nosuchprog": not a number nor a name in /etc/rpc' "$out"
expect_match "versions out of order are refused" \
    'bad.conf:2: RPC versions "3-2": expected a version or LOW-HIGH' "$out"
expect_match "a line without versions is refused" \
    'bad.conf:3: service field "rusersd": an RPC service is PROGRAM/VERSIONS' "$out"

finish
