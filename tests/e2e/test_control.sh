#!/bin/bash
# SPDX-License-Identifier: ISC
# The control socket: `superd status [--json]` (a cps-paused service with
# its reason and seconds left, children, counters), `superd reload` (0 on
# a good change; non-zero naming the endpoint when a port is held by
# another process, the old services still answering), SIGHUP still
# reloads, a non-root client is refused, garbage, a 1 MB request, a client
# that never reads and too many clients do not stall the daemon, `superd
# stop`, a stale socket is replaced and a live one is not, and
# `--selfcheck` without -c audits the running daemon's config.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip "jq is not installed"
command -v socat >/dev/null || skip "socat is not installed"
CTL=$SUPERD_CONTROL

# service NAME PORT WORD [SETTING]: a service on 127.0.0.1:PORT that
# answers WORD, with one more SETTING line.
service() {
	cat <<CONF
service $1 {
	port = $2
	bind = 127.0.0.1
	server = /bin/echo
	server_args = {"$3"}
	user = nobody
	${4:-}
}
CONF
}
service one 7710 one >"$T/c.conf"
service rate 7711 ok "cps = {1, 60}" >>"$T/c.conf"
cat >>"$T/c.conf" <<CONF
service sleeper {
	port = 7712
	bind = 127.0.0.1
	server = /bin/sleep
	server_args = {"30"}
	user = nobody
}
CONF
start_superd "$T/c.conf" || exit 1

expect_eq "the control socket is a socket of mode 600 owned by root" \
	"socket 600 0" "$(stat -c '%F %a %u' "$CTL")"

# status --json parses and lists every service as serving.
js=$("$SUPERD" status --json)
expect_eq "status --json exits 0" 0 $?
expect_eq "status --json parses with jq" "serving serving serving" \
	"$(printf '%s' "$js" | jq -r '[.services[].state] | join(" ")')"
expect_eq "status names the config the daemon runs" "$T/c.conf native" \
	"$(printf '%s' "$js" | jq -r '.config.file + " " + .config.format')"
expect_eq "status says no reload happened yet" null \
	"$(printf '%s' "$js" | jq -c '.reload')"

# A cps-limited service pauses: status shows the reason and seconds left.
for burst in $(seq 1 20); do
	for i in 1 2 3 4; do nc -d -w1 127.0.0.1 7711 >/dev/null & done
	wait $(jobs -p | grep -v "^$SUPERD_PID$")
	grep -q 'service=rate event=pause' "$LOG" && break
done
check "the rate service paused" wait_log 'service=rate event=pause reason=cps'
js=$("$SUPERD" status --json)
expect_eq "status --json: the rate service is paused for cps" "paused cps" \
	"$(printf '%s' "$js" | jq -r '.services[] | select(.name == "rate") | .state + " " + .reason')"
left=$(printf '%s' "$js" | jq -r '.services[] | select(.name == "rate") | .seconds_left')
check "status --json: seconds left of the pause is 1..60 ($left)" \
	test "$left" -ge 1 -a "$left" -le 60
check "status --json: cps refusals counted" \
	test "$(printf '%s' "$js" | jq '.services[] | select(.name == "rate") | .refused.cps')" -ge 1
expect_match "status text shows the pause" 'rate +127.0.0.1:7711 +tcp +paused .* cps, [0-9]+ s left' \
	"$("$SUPERD" status)"

# A running child shows with its pid, service and peer.
nc -d -w5 127.0.0.1 7712 >/dev/null &
nc_pid=$!
wait_log 'service=sleeper event=start' >/dev/null
js=$("$SUPERD" status --json)
expect_match "status --json lists the running child" '^[0-9]+ sleeper 127.0.0.1 [0-9]+$' \
	"$(printf '%s' "$js" | jq -r '.children[] | select(.service == "sleeper") | "\(.pid) \(.service) \(.peer) \(.age_s)"')"
expect_eq "status --json: one accepted on one" 1 \
	"$(nc -d -w2 127.0.0.1 7710 >/dev/null; "$SUPERD" status --json | jq '.services[] | select(.name == "one") | .accepted')"

# A good reload: exit 0, the new service answers.
service two 7713 two >>"$T/c.conf"
out=$("$SUPERD" reload 2>&1)
expect_eq "superd reload after a good change exits 0 ($out)" 0 $?
expect_match "superd reload prints the daemon's summary" 'event=reload result=ok' "$out"
expect_eq "the added service answers" two "$(nc -d -w2 127.0.0.1 7713)"
expect_eq "status records the reload" "true control" \
	"$("$SUPERD" status --json | jq -r '"\(.reload.ok) \(.reload.source)"')"

# A reload with a port another process holds: non-zero, the endpoint named,
# the old services still answer.
socat TCP-LISTEN:7714,bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo holder' &
holder=$!
for i in $(seq 1 50); do ss -ltnH 'sport = :7714' | grep -q . && break; sleep 0.05; done
cp "$T/c.conf" "$T/good.conf"
service held 7714 held >>"$T/c.conf"
out=$("$SUPERD" reload 2>&1)
rc=$?
check "superd reload with a held port exits non-zero ($rc)" test "$rc" -ne 0 -a "$rc" -ne 3
expect_match "superd reload names the endpoint" '127\.0\.0\.1:7714' "$out"
expect_match "superd reload names file:line" "c.conf:[0-9]+" "$out"
expect_match "superd reload says the old services were kept" 'kept its running services' "$out"
expect_eq "the old service still answers after the failed reload" one "$(nc -d -w2 127.0.0.1 7710)"
expect_eq "the service added earlier still answers" two "$(nc -d -w2 127.0.0.1 7713)"
expect_eq "the holder still has its port" holder "$(nc -d -w2 127.0.0.1 7714)"
expect_eq "status records the failed reload" false \
	"$("$SUPERD" status --json | jq -r '.reload.ok')"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
cp "$T/good.conf" "$T/c.conf"

# SIGHUP still reloads; status says so.
n=$(grep -c 'event=reload result=ok' "$LOG")
kill -HUP "$SUPERD_PID"
for i in $(seq 1 100); do
	[ "$(grep -c 'event=reload result=ok' "$LOG")" -gt "$n" ] && break
	sleep 0.05
done
check "SIGHUP still reloads" test "$(grep -c 'event=reload result=ok' "$LOG")" -gt "$n"
expect_eq "status records the SIGHUP reload" "true signal" \
	"$("$SUPERD" status --json | jq -r '"\(.reload.ok) \(.reload.source)"')"

# A client that is not root: the socket's mode keeps it out, and when the
# mode would let it in, the daemon refuses it (SO_PEERCRED).
private_copies --superd
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$SUPERD" status 2>&1)
expect_eq "a non-root client cannot connect (exit 4: $out)" 4 $?
chmod 666 "$CTL"
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$SUPERD" reload 2>&1)
expect_eq "a non-root client is refused by the daemon (exit 4)" 4 $?
expect_match "the refusal says why" 'permission denied: uid [0-9]+ is not root' "$out"
check "the refusal is logged" wait_log 'event=control result=refused uid=[0-9]+ .*not root'
chmod 600 "$CTL"

# Garbage and malformed requests get error replies.
ask() { printf '%s\n' "$1" | socat -t5 - UNIX-CONNECT:"$CTL"; }
expect_match "garbage gets an error reply" '^\{"v":1,"ok":false,"error":"malformed request' "$(ask 'garbage')"
expect_match "an unknown version gets an error reply" 'unsupported protocol version 9' "$(ask '{"v":9,"cmd":"status"}')"
expect_match "an unknown command gets an error reply" 'unknown command' "$(ask '{"v":1,"cmd":"format-disk"}')"
expect_match "a request without cmd gets an error reply" "no string 'cmd'" "$(ask '{"v":1}')"
head -c 3000 /dev/urandom | tr -d '\n' | socat -t5 - UNIX-CONNECT:"$CTL" >"$T/bin.out" 2>&1
expect_match "binary garbage gets an error reply" '"ok":false' "$(cat "$T/bin.out")"
expect_match "a request without its newline is answered" '"ok":true' \
	"$(printf '{"v":1,"cmd":"status"}' | socat -t5 - UNIX-CONNECT:"$CTL")"

# A 1 MB request: an error, the connection closed, the daemon unharmed.
head -c 1048576 /dev/zero | tr '\0' a | socat -t5 - UNIX-CONNECT:"$CTL" >/dev/null 2>&1
check "a 1 MB request is refused as too long" wait_log 'event=control result=error reason="request too long'
expect_eq "status answers after the 1 MB request" 0 "$("$SUPERD" status >/dev/null; echo $?)"

# A client that never reads: the daemon stops reading from it and goes on.
yes '{"v":1,"cmd":"status"}' | head -n 100000 | socat -u - UNIX-CONNECT:"$CTL" &
slow=$!
for i in $(seq 1 100); do
	[ "$(ss -xH state established 2>/dev/null | grep -c "$CTL")" -ge 1 ] && break
	sleep 0.05
done
sleep 0.5
check "the client that never reads is still connected" kill -0 "$slow"
expect_eq "status answers while a client does not read" 0 "$("$SUPERD" status >/dev/null; echo $?)"
expect_eq "services answer while a client does not read" one "$(nc -d -w2 127.0.0.1 7710)"
rss=$(awk '/^VmRSS/ {print $2}' /proc/"$SUPERD_PID"/status)
check "the daemon's memory stays bounded (${rss} kB)" test "$rss" -lt 65536
kill "$slow" 2>/dev/null
wait "$slow" 2>/dev/null

# Too many clients at once: the next one is told so; later ones get in.
# The 16 idle clients connect in the background; until all of them are in,
# a status request is still served.  Ask again, bounded, until one is
# refused (counting the daemon's descriptors raced with transient ones
# under load and let a 16th status request through).  An idle client that
# came while a status request held a slot was itself refused and is gone:
# start it again, or the 16 are never all in (this failed 1 run in 4).
idle=()
for i in $(seq 1 16); do
	socat -u UNIX-CONNECT:"$CTL" /dev/null 2>/dev/null &
	idle+=($!)
done
for i in $(seq 1 200); do
	for k in "${!idle[@]}"; do
		kill -0 "${idle[$k]}" 2>/dev/null && continue
		socat -u UNIX-CONNECT:"$CTL" /dev/null 2>/dev/null &
		idle[k]=$!
	done
	out=$("$SUPERD" status 2>&1)
	case $out in *'too many control clients'*) break ;; esac
	sleep 0.1
done
expect_match "the 17th client is told there are too many" 'too many control clients' "$out"
kill "${idle[@]}" 2>/dev/null
wait "${idle[@]}" 2>/dev/null
ok=1
for i in $(seq 1 100); do
	"$SUPERD" status >/dev/null 2>&1 && { ok=0; break; }
	sleep 0.05
done
expect_eq "status answers again once they are gone" 0 "$ok"

# --selfcheck without -c audits the config the running daemon runs.
out=$("$SUPERD" --selfcheck --no-probe 2>&1)
expect_match "--selfcheck without -c names the running daemon's config" \
	"^AUDIT $T/c.conf \\(the running daemon's, pid $SUPERD_PID\\):" "$(printf '%s\n' "$out" | head -n 1)"
expect_match "--selfcheck without -c audits its services" 'one' "$out"
expect_eq "--selfcheck --format json without -c: config and origin" \
	"$T/c.conf the running daemon's, pid $SUPERD_PID" \
	"$("$SUPERD" --selfcheck --no-probe --format json | jq -r '.audited.config + " " + .audited.config_origin')"

# A second daemon on the same control socket is refused.
echo "127.0.0.1:7720 stream tcp nowait nobody /bin/echo echo other" >"$T/other.conf"
out=$("$SUPERD" -f -p - -c "$T/other.conf" 2>&1 </dev/null)
expect_eq "a second daemon on the same control socket exits 1" 1 $?
expect_match "it says the socket is in use" 'in use by a running daemon' "$out"

# superd stop stops it; the socket is removed.
out=$("$SUPERD" stop 2>&1)
expect_eq "superd stop exits 0 ($out)" 0 $?
expect_match "superd stop says it stopped" "stopped \\(pid $SUPERD_PID\\)" "$out"
wait "$SUPERD_PID"
expect_eq "the daemon exited 0" 0 $?
SUPERD_PID=
check "the control socket is removed at exit" test ! -e "$CTL"
out=$("$SUPERD" status 2>&1)
expect_eq "status with no daemon exits 3" 3 $?
expect_match "status with no daemon says so" 'no daemon reachable at' "$out"
out=$("$SUPERD" reload 2>&1)
expect_eq "reload with no daemon exits 3" 3 $?

# A stale socket left by a killed daemon is replaced.
start_superd "$T/c.conf" || exit 1
kill -KILL "$SUPERD_PID"
wait "$SUPERD_PID" 2>/dev/null
SUPERD_PID=
check "a killed daemon leaves its socket" test -S "$CTL"
start_superd "$T/c.conf" || exit 1
check "the stale socket is replaced" grep -q 'event=stale-removed' "$LOG"
expect_eq "and answers" 0 "$("$SUPERD" status >/dev/null; echo $?)"
stop_superd
check "SIGTERM removes the socket too" test ! -e "$CTL"

# The periodic audit's last status is in status.
printf 'selfcheck_interval = 3600\n' >"$T/audit.conf"
service one 7710 one >>"$T/audit.conf"
start_superd "$T/audit.conf" || exit 1
wait_log 'selfcheck: status=' 120 >/dev/null
expect_eq "status shows the periodic audit's status" OK \
	"$("$SUPERD" status --json | jq -r '.audit.status')"
expect_match "status text shows it too" '^last audit: OK, ' "$("$SUPERD" status)"
stop_superd

# --control - runs without one.
start_superd "$T/c.conf" --control - || exit 1
check "--control -: no socket" test ! -e "$CTL"
stop_superd

# A daemon that cannot make its control socket (nobody, in root's $T) runs
# without one and says so; when --control names the path, it refuses.
echo "127.0.0.1:7721 stream tcp nowait nobody /bin/echo echo user" >"$T/user.conf"
chmod 644 "$T/user.conf"
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$SUPERD" -f -p - \
	-c "$T/user.conf" --control "$T/user.control" 2>&1 </dev/null)
expect_eq "--control PATH that cannot be made: the start fails" 1 $?
expect_match "and says why" 'control=.*reason=bind.*Permission denied' "$out"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$SUPERD" -f -p - \
	-c "$T/user.conf" >"$T/user.log" 2>&1 </dev/null &
upid=$!
for i in $(seq 1 100); do grep -q event=ready "$T/user.log" && break; sleep 0.05; done
check "the default socket cannot be made: it says it runs without one" \
	grep -q 'result=off reason="no control socket' "$T/user.log"
expect_eq "and serves" user "$(nc -d -w2 127.0.0.1 7721)"
kill "$upid"
wait "$upid" 2>/dev/null
finish
