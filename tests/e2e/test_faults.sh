#!/bin/bash
# SPDX-License-Identifier: ISC
# Faults: a looping wait service pauses and comes back by itself; accept
# failing with EMFILE does not spin; a failed fork (RLIMIT_NPROC) backs off
# and serving resumes; the daemon keeps only the capabilities it needs
# (its bounding set whole, for root services a reload may add).
. "$(dirname "$0")/lib.sh"
private_copies --superd

cat >"$T/inetd.conf" <<CONF
127.0.0.1:7700 dgram udp wait nobody /bin/true true
127.0.0.1:echo stream tcp nowait root internal
CONF
start_superd "$T/inetd.conf" || exit 1

# The daemon's own capabilities: only what it still needs.
want=0
for bit in 2 5 6 7 8 10 13 18 19 23 24; do want=$((want | (1 << bit))); done
bnd=$((16#$(awk '/^CapBnd/ {print $2}' /proc/self/status)))
eff=$((16#$(awk '/^CapEff/ {print $2}' /proc/"$SUPERD_PID"/status)))
prm=$((16#$(awk '/^CapPrm/ {print $2}' /proc/"$SUPERD_PID"/status)))
dbnd=$((16#$(awk '/^CapBnd/ {print $2}' /proc/"$SUPERD_PID"/status)))
expect_eq "daemon effective set is the needed set" $((want & bnd)) "$eff"
expect_eq "daemon permitted set is the needed set" $((want & bnd)) "$prm"
expect_eq "the daemon's bounding set stays whole: a reload may add a root service" \
	"$bnd" "$dbnd"

# A flood of idle connections from one source costs only that source.
flood=
for i in $(seq 1 80); do
	nc -d 127.0.0.1 7 >/dev/null 2>&1 &	# idle until killed
	flood="$flood $!"
done
check "a flooding source is capped by per_source" \
	wait_log 'service=echo event=refuse peer=127.0.0.1 reason=per-source'
expect_eq "another source is still served during the flood" "other" \
	"$(echo other | nc -N -w2 -s 127.0.0.2 127.0.0.1 7)"
kill $flood 2>/dev/null
wait $flood 2>/dev/null

# /bin/true never reads the datagram: the classic inetd loop.
echo loop | nc -u -w1 127.0.0.1 7700
check "looping wait service is paused" wait_log 'service=7700 event=pause reason=looping'
n=$(grep -c 'service=7700 event=start' "$LOG")
sleep 1
expect_eq "no spawn while paused" "$n" "$(grep -c 'service=7700 event=start' "$LOG")"
for i in $(seq 1 30); do
	grep -q 'service=7700 event=resume' "$LOG" && break
	sleep 0.5
done
check "the pause lifts by itself and is logged" grep -q 'service=7700 event=resume reason=backoff-over' "$LOG"
stop_superd

# Descriptors: builtin sessions hold them; under a low RLIMIT_NOFILE the
# last quarter is a reserve no connection takes (refused as
# descriptor-reserve), so accept never reaches EMFILE here.
cat >"$T/emfile.conf" <<CONF
127.0.0.1:echo stream tcp nowait root internal
CONF
: >"$LOG"
prlimit --nofile=20:20 "$SUPERD" -f -p - -c "$T/emfile.conf" >>"$LOG" 2>&1 &
SUPERD_PID=$!
wait_log 'event=ready' || fail "emfile daemon did not start"
pids=
for i in $(seq 1 30); do
	nc -d 127.0.0.1 7 >/dev/null 2>&1 &	# idle until killed
	pids="$pids $!"
done
check "connections past the descriptor reserve are refused" \
	wait_log 'service=echo event=refuse peer=127.0.0.1 reason=descriptor-reserve'
t0=$(awk '{print $14 + $15}' /proc/"$SUPERD_PID"/stat)
sleep 3
t1=$(awk '{print $14 + $15}' /proc/"$SUPERD_PID"/stat)
hz=$(getconf CLK_TCK)
check "daemon does not spin at the descriptor reserve ($((t1 - t0)) ticks in 3 s)" \
	test $((t1 - t0)) -lt $((hz * 3 / 10))
kill $pids 2>/dev/null
wait $pids 2>/dev/null
sleep 1.5
expect_eq "serves again once descriptors are free" "back" "$(echo back | nc -N -w3 127.0.0.1 7)"
stop_superd

# A failed fork: the daemon runs under a low RLIMIT_NPROC as a uid of its
# own (the limit counts every process of the uid on the machine: with
# nobody, other suites' processes moved the bound).
NPROC_UID=$((61000 + $$ % 3000))
cat >"$T/nproc.conf" <<CONF
127.0.0.1:7800 stream tcp nowait $NPROC_UID /bin/sleep sleep 2
CONF
chmod 644 "$T/nproc.conf"
base=$(ps -u "$NPROC_UID" -o pid= | wc -l)
: >"$LOG"
setpriv --reuid="$NPROC_UID" --regid=nogroup --clear-groups \
	prlimit --nproc=$((base + 3)) "$SUPERD" -f -p - -c "$T/nproc.conf" >>"$LOG" 2>&1 &
SUPERD_PID=$!
wait_log 'event=ready' || fail "nproc daemon did not start"
clients=
for i in $(seq 1 6); do nc -d -w4 127.0.0.1 7800 & clients="$clients $!"; done
check "fork failure is logged and backs off" wait_log 'service=7800 event=pause reason=fork'
wait $clients
check "the fork back-off lifts by itself" wait_log 'service=7800 event=resume'
sleep 2.5
ends=$(grep -c 'service=7800 event=end .*exit=0' "$LOG")
nc -d -w4 127.0.0.1 7800
for i in $(seq 1 50); do
	[ "$(grep -c 'service=7800 event=end .*exit=0' "$LOG")" -gt "$ends" ] && break
	sleep 0.1
done
check "serving resumes after fork failures: a new child ran" \
	test "$(grep -c 'service=7800 event=end .*exit=0' "$LOG")" -gt "$ends"
check "daemon alive" kill -0 "$SUPERD_PID"
finish
