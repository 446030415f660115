#!/bin/bash
# SPDX-License-Identifier: ISC
# The sysv-rc script etc/init.d/superd, run as sysv-rc would with DAEMON,
# CONFIG and PIDFILE pointing here: start, status, a served connection,
# reload to a new service, a broken config refused on reload with the old
# services still served, stop, status after stop; a pid file naming a
# process that is not superd is never signalled.
. "$(dirname "$0")/lib.sh"

INIT=$(cd "$(dirname "$0")/../.." && pwd)/etc/init.d/superd
export DAEMON=$SUPERD CONFIG=$T/superd.conf PIDFILE=$T/init.pid
export SUPERD_DEFAULTS=$T/no-defaults DAEMON_OPTS= CONTROL=$T/init.control

# The daemon detaches: whatever happens, stop it before the namespace goes.
trap 'kill -TERM "$(cat "$PIDFILE" 2>/dev/null)" 2>/dev/null; cleanup' EXIT

# get PORT: what the service on PORT answers (empty if nothing).
get() {
	nc -N -w2 127.0.0.1 "$1" </dev/null 2>/dev/null
}

# wait_get PORT WANT: wait (bounded) until PORT answers WANT.
wait_get() {
	local i
	for i in $(seq 1 50); do
		[ "$(get "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

cat >"$CONFIG" <<CONF
127.0.0.1:7650 stream tcp nowait nobody /bin/echo echo one
CONF

out=$(sh "$INIT" status 2>&1)
expect_eq "status before start exits 3 ($out)" 3 $?

out=$(sh "$INIT" start 2>&1)
expect_eq "start exits 0 ($out)" 0 $?
check "the pid file names a live process" kill -0 "$(cat "$PIDFILE")"
pid=$(cat "$PIDFILE")
expect_eq "the pid file names superd" "$(readlink -f "$SUPERD")" \
	"$(readlink -f /proc/"$pid"/exe)"

out=$(sh "$INIT" status 2>&1)
expect_eq "status while running exits 0 ($out)" 0 $?
expect_match "status names the pid" "running \\(pid $pid\\)" "$out"

out=$(sh "$INIT" start 2>&1)
expect_eq "a second start exits 0" 0 $?
expect_eq "a second start leaves the daemon alone" "$pid" "$(cat "$PIDFILE")"

expect_eq "the declared service is served" one "$(get 7650)"

# Reload to a config with one more service.
cat >"$CONFIG" <<CONF
127.0.0.1:7650 stream tcp nowait nobody /bin/echo echo one
127.0.0.1:7651 stream tcp nowait nobody /bin/echo echo two
CONF
out=$(sh "$INIT" reload 2>&1)
expect_eq "reload exits 0 ($out)" 0 $?
check "the new service is served after reload" wait_get 7651 two
expect_eq "the old service is still served" one "$(get 7650)"
expect_eq "reload keeps the same process" "$pid" "$(cat "$PIDFILE")"

# A broken config: reload is refused, nothing changes.
cp "$CONFIG" "$T/good.conf"
cat >"$CONFIG" <<CONF
127.0.0.1:7652 stream tcp nowait no-such-user-here /bin/echo echo three
CONF
out=$(sh "$INIT" reload 2>&1)
rc=$?
check "reload with a broken config exits non-zero ($rc)" test "$rc" -ne 0
expect_match "the refusal says why" "refused" "$out"
expect_match "the refusal shows the config error" "no-such-user-here|user" "$out"
sleep 0.3
expect_eq "the old service is still served after the refused reload" \
	two "$(get 7651)"
expect_eq "the broken config's service is not served" "" "$(get 7652)"
check "the daemon is still running" kill -0 "$pid"

# A port another process holds: the daemon refuses the reload; the script
# fails and prints the endpoint; the old services still answer.
socat TCP-LISTEN:7653,bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo holder' &
holder=$!
for i in $(seq 1 50); do ss -ltnH 'sport = :7653' | grep -q . && break; sleep 0.05; done
cat "$T/good.conf" >"$CONFIG"
echo "127.0.0.1:7653 stream tcp nowait nobody /bin/echo echo held" >>"$CONFIG"
out=$(sh "$INIT" reload 2>&1)
rc=$?
check "reload with a held port exits non-zero ($rc)" test "$rc" -ne 0
expect_match "the failed reload names the endpoint" '127\.0\.0\.1:7653' "$out"
expect_match "the failed reload says the services are unchanged" 'refused' "$out"
expect_eq "the old service still answers after the failed reload" \
	two "$(get 7651)"
expect_eq "the holder keeps its port" holder "$(get 7653)"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
cp "$T/good.conf" "$CONFIG"
echo "127.0.0.1:7652 stream tcp nowait no-such-user-here /bin/echo echo three" >>"$CONFIG"

out=$(sh "$INIT" restart 2>&1)
rc=$?
check "restart with a broken config is refused ($rc)" test "$rc" -ne 0
expect_eq "the refused restart left the daemon running" "$pid" \
	"$(cat "$PIDFILE")"
cp "$T/good.conf" "$CONFIG"

out=$(sh "$INIT" restart 2>&1)
expect_eq "restart exits 0 ($out)" 0 $?
newpid=$(cat "$PIDFILE")
check "restart started a new process" test "$newpid" != "$pid"
check "restart: served again" wait_get 7651 two
pid=$newpid

out=$(sh "$INIT" stop 2>&1)
expect_eq "stop exits 0 ($out)" 0 $?
# A detached daemon may stay a zombie until its reaper gets to it.
gone() { [ ! -e /proc/"$1" ] || [ "$(awk '{print $3}' /proc/"$1"/stat 2>/dev/null)" = Z ]; }
check "the daemon is gone after stop" gone "$pid"
check "the pid file is removed" test ! -e "$PIDFILE"
expect_eq "nothing is served after stop" "" "$(get 7650)"

out=$(sh "$INIT" status 2>&1)
expect_eq "status after stop exits 3 ($out)" 3 $?

out=$(sh "$INIT" stop 2>&1)
expect_eq "stop when not running exits 0" 0 $?

out=$(sh "$INIT" reload 2>&1)
expect_eq "reload when not running exits 7" 7 $?

# A stale pid file: status 1, and start still starts.
echo 999999 >"$PIDFILE"
out=$(sh "$INIT" status 2>&1)
expect_eq "status with a stale pid file exits 1" 1 $?
out=$(sh "$INIT" start 2>&1)
expect_eq "start over a stale pid file exits 0 ($out)" 0 $?
check "served after start over a stale pid file" wait_get 7650 one
out=$(sh "$INIT" stop 2>&1)
expect_eq "final stop exits 0" 0 $?

# A pid file naming a live process that is not superd: never signalled.
sleep 60 &
other=$!
echo "$other" >"$PIDFILE"
out=$(sh "$INIT" status 2>&1)
expect_eq "status with a foreign pid in the pid file exits 1" 1 $?
out=$(sh "$INIT" reload 2>&1)
expect_eq "reload does not signal a process that is not superd" 7 $?
sh "$INIT" stop >/dev/null 2>&1
check "stop does not signal a process that is not superd" kill -0 "$other"
kill "$other"
wait "$other" 2>/dev/null

finish
