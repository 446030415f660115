#!/bin/bash
# SPDX-License-Identifier: ISC
# UNIX-domain stream services (kind_unix.c): inetd.conf `/path stream unix`
# and FreeBSD's :owner:group:mode:/path, native socket = PATH with
# socket_user/group/mode and only_uid/only_gid.  Owner and mode of the
# file, the peer's credentials in the child, a stale socket replaced, a
# file or a live socket left alone, removal on reload and exit, per_source
# per uid, IP lists refused, --list and the audit.
. "$(dirname "$0")/lib.sh"

# A client whose pid is known: "client PATH OUT" runs socat in the
# background and leaves its pid in CLIENT_PID.
client() {
	socat -t2 - UNIX-CONNECT:"$1" </dev/null >"$2" 2>&1 &
	CLIENT_PID=$!
}

cat >"$T/inetd.conf" <<CONF
$T/plain.sock stream unix nowait nobody /usr/bin/env env
:nobody:nogroup:0640:$T/owned.sock stream unix nowait nobody /usr/bin/env env
CONF
start_superd "$T/inetd.conf" || exit 1

expect_eq "default socket file: root-owned, mode 666" "root:root 666 socket" \
    "$(stat -c '%U:%G %a %F' "$T/plain.sock")"
expect_eq "FreeBSD :owner:group:mode: prefix" "nobody:nogroup 640 socket" \
    "$(stat -c '%U:%G %a %F' "$T/owned.sock")"

client "$T/plain.sock" "$T/out1"
wait "$CLIENT_PID"
out=$(cat "$T/out1")
expect_match "child gets PROTO=UNIX" '(^|[[:space:]])PROTO=UNIX' "$out"
expect_match "child gets UNIXREMOTEUID of the peer" 'UNIXREMOTEUID=0' "$out"
expect_match "child gets UNIXREMOTEGID of the peer" 'UNIXREMOTEGID=0' "$out"
expect_match "child gets UNIXREMOTEPID of the peer ($CLIENT_PID)" \
    "UNIXREMOTEPID=$CLIENT_PID" "$out"
expect_match "child gets UNIXLOCALPATH" "UNIXLOCALPATH=$T/plain.sock" "$out"
check "no TCP variables for a UNIX-domain child" \
    bash -c "! grep -q TCPREMOTEIP '$T/out1'"
check "start logged with the peer's credentials" \
    wait_log "service=$T/plain.sock event=start peer=uid:0,gid:0,pid:$CLIENT_PID"

out=$(setpriv --reuid nobody --regid nogroup --clear-groups \
    socat -t2 - UNIX-CONNECT:"$T/plain.sock" </dev/null 2>&1)
expect_match "a nobody client is seen as nobody" "UNIXREMOTEUID=$(id -u nobody)" "$out"

listing=$("$SUPERD" -c "$T/inetd.conf" --list)
expect_match "--list shows the path and unix" "$T/owned.sock +unix +nowait +nobody" "$listing"
expect_eq "--list --json says kind unix" "unix unix" \
    "$("$SUPERD" -c "$T/inetd.conf" --list --json | jq -r '[.[].kind] | join(" ")')"
audit=$("$SUPERD" -c "$T/inetd.conf" --selfcheck --json --no-probe 2>&1)
expect_eq "the audit does not take a UNIX-domain service for an IP endpoint" \
    "OK 0" "$(printf '%s' "$audit" | jq -r '"\(.status) \(.findings | length)"')"

# Reload without one of them: its socket file goes, the other stays.
echo "$T/plain.sock stream unix nowait nobody /usr/bin/env env" >"$T/inetd.conf"
kill -HUP "$SUPERD_PID"
check "reload removing a UNIX-domain service" wait_log 'result=ok kept=1 opened=0 closed=1'
check "its socket file is removed" test ! -e "$T/owned.sock"
check "the kept one stays" test -S "$T/plain.sock"
stop_superd
check "the socket file is removed at exit" test ! -e "$T/plain.sock"

# A stale socket nobody listens on is replaced.
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/plain.sock"
check "stale socket file made" test -S "$T/plain.sock"
start_superd "$T/inetd.conf" || exit 1
check "stale socket replaced and logged" wait_log 'event=stale-socket-removed'
client "$T/plain.sock" "$T/out2"
wait "$CLIENT_PID"
expect_match "served on the replaced socket" 'PROTO=UNIX' "$(cat "$T/out2")"
stop_superd

# A regular file is never replaced: superd refuses to start.
echo keep >"$T/plain.sock"
"$SUPERD" -f -p - -c "$T/inetd.conf" >"$T/file.log" 2>&1
expect_eq "exit status 1 when the path is a regular file" 1 $?
expect_match "says it is not a socket" 'exists and is not a socket: not replaced' "$(cat "$T/file.log")"
expect_eq "the file is left as it was" keep "$(cat "$T/plain.sock")"
rm -f "$T/plain.sock"

# A socket someone else listens on is never replaced.
socat UNIX-LISTEN:"$T/plain.sock",fork EXEC:'/bin/echo other' 2>/dev/null &
other=$!
for i in $(seq 1 100); do [ -S "$T/plain.sock" ] && break; sleep 0.05; done
"$SUPERD" -f -p - -c "$T/inetd.conf" >"$T/busy.log" 2>&1
expect_eq "exit status 1 when the socket is in use" 1 $?
expect_match "says it is in use" 'a socket in use by another process: not replaced' "$(cat "$T/busy.log")"
expect_eq "the other listener still answers" other "$(socat -t2 - UNIX-CONNECT:"$T/plain.sock" </dev/null)"
kill "$other"
wait "$other" 2>/dev/null
rm -f "$T/plain.sock"

# Native: socket = PATH, owner, mode, only_uid, per_source per uid.
cat >"$T/superd.conf" <<CONF
service uidonly {
	socket = "$T/uid.sock"
	socket_user = nobody
	socket_group = nogroup
	socket_mode = 0660
	user = nobody
	server = /usr/bin/env
	only_uid = { nobody }
}
service persrc {
	socket = "$T/slow.sock"
	user = nobody
	server = /bin/sleep
	server_args = { "3" }
	per_source = 1
}
CONF
start_superd "$T/superd.conf" || exit 1
expect_eq "native socket_user, socket_group, socket_mode" "nobody:nogroup 660" \
    "$(stat -c '%U:%G %a' "$T/uid.sock")"
out=$(setpriv --reuid nobody --regid nogroup --clear-groups \
    socat -t2 - UNIX-CONNECT:"$T/uid.sock" </dev/null 2>&1)
expect_match "only_uid: the listed uid is served" 'PROTO=UNIX' "$out"
out=$(socat -t2 - UNIX-CONNECT:"$T/uid.sock" </dev/null 2>&1)
expect_eq "only_uid: root is refused" "" "$out"
check "the refusal is logged with the uid" \
    wait_log 'service=uidonly event=refuse peer=uid:0,gid:0,pid:[0-9]+ reason=access-list'
socat -t5 - UNIX-CONNECT:"$T/slow.sock" </dev/null >/dev/null 2>&1 &
first=$!
wait_log 'service=persrc event=start' >/dev/null
socat -t2 - UNIX-CONNECT:"$T/slow.sock" </dev/null >/dev/null 2>&1
check "per_source counts per uid: a second connection of uid 0 refused" \
    wait_log 'service=persrc event=refuse peer=uid:0,gid:0,pid:[0-9]+ reason=per-source'
out=$(setpriv --reuid nobody --regid nogroup --clear-groups \
    socat -t1 - UNIX-CONNECT:"$T/slow.sock" </dev/null 2>&1; echo rc=$?)
check "another uid is not counted with uid 0" \
    wait_log 'service=persrc event=start peer=uid:65534'
kill "$first" 2>/dev/null
stop_superd

# Refused at load, each with file:line.
cat >"$T/bad.conf" <<CONF
service ipacl {
	socket = "$T/x.sock"
	user = nobody
	server = /usr/bin/env
	only_from = { 127.0.0.1 }
}
CONF
out=$("$SUPERD" -t -c "$T/bad.conf" 2>&1)
expect_match "an IP access list on a UNIX-domain service is refused" \
    "bad.conf:1: service ipacl: only_from and no_access list IP addresses" "$out"
cat >"$T/bad.conf" <<CONF
service both {
	socket = "$T/x.sock"
	port = 7000
	user = nobody
	server = /usr/bin/env
}
service onlyuid {
	port = 7001
	user = nobody
	server = /usr/bin/env
	only_uid = { nobody }
}
CONF
out=$("$SUPERD" -t -c "$T/bad.conf" 2>&1)
expect_match "port with socket is refused" "bad.conf:1: service both: port does not go with socket" "$out"
expect_match "only_uid on an IP service is refused" \
    "bad.conf:7: service onlyuid: only_uid and only_gid apply to UNIX-domain services" "$out"
printf '%s\n' "$T/d.sock dgram unix wait nobody /usr/bin/env env" \
    "relative.sock stream unix nowait nobody /usr/bin/env env" >"$T/bad.inetd"
out=$("$SUPERD" -t -c "$T/bad.inetd" 2>&1)
expect_match "a dgram unix line is refused by name" \
    'bad.inetd:1: protocol field "unix": only stream UNIX-domain services are served' "$out"
expect_match "a relative socket path is refused" \
    'bad.inetd:2: UNIX-domain socket path "relative.sock": must be absolute' "$out"

finish
