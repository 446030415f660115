#!/bin/bash
# SPDX-License-Identifier: ISC
# A UNIX-domain stream "wait" service (inetd.conf `/path stream unix wait`):
# the server gets the listening socket itself, accepts every connection
# while it runs (superd accepts none: one child, its pid on each answer),
# and when it exits superd listens again and starts a new one.  UNIX
# domain dgram is not a kind superd serves: refused at file:line.
. "$(dirname "$0")/lib.sh"
private_copies

cat >"$T/inetd.conf" <<CONF
$T/wait.sock stream unix wait nobody $HELPERS/waitserver waitserver
CONF
start_superd "$T/inetd.conf" || exit 1

# ask: what a client of the socket reads.
ask() {
	socat -t2 - UNIX-CONNECT:"$T/wait.sock" </dev/null 2>/dev/null
}
a=$(ask)
b=$(ask)
expect_match "the wait server answers on the UNIX socket" \
	'^waitserver pid=[0-9]+ served=1$' "$a"
expect_eq "the same server accepts the next connection (superd does not)" \
	"${a% served=1} served=2" "$b"
expect_eq "one child was started for both" 1 \
	"$(grep -c 'service=.*wait.sock.* event=start\|event=start .*wait.sock' "$LOG" || true)"
check "the server exits after a quiet second and is reaped" \
	wait_log 'event=end .*exit=0'
c=$(ask)
expect_match "superd listens again and starts a new server" 'served=1$' "$c"
check "the new server has another pid" test "${c%% served*}" != "${a%% served*}"

printf '%s dgram unix wait nobody /bin/cat cat\n' "$T/d.sock" >"$T/dgram.conf"
out=$("$SUPERD" -t -c "$T/dgram.conf" 2>&1)
expect_eq "a UNIX-domain dgram line fails the check" 1 "$?"
expect_match "and names file:line and the kind" 'dgram\.conf:1: .*only stream' "$out"
finish
