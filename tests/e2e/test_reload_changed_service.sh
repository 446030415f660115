#!/bin/bash
# SPDX-License-Identifier: ISC
# A reload that changes a service's user and argv: its port never stops
# answering, and the next child runs with the new user and argv.
. "$(dirname "$0")/lib.sh"

# conf USER WORD: the service as USER, printing WORD and its user.
conf() {
	cat >"$T/live.conf" <<CONF
service changed {
	port = 7301
	protocol = tcp
	bind = "127.0.0.1"
	user = $1
	server = /bin/sh
	server_args = { "-c", "echo $2 \$(id -un)" }
}
CONF
}
conf nobody old
start_superd "$T/live.conf" || exit 1
expect_eq "the old settings serve" "old nobody" "$(nc -d -w2 127.0.0.1 7301)"

(
	ok=0 bad=0
	while [ ! -e "$T/stop" ]; do
		case $(nc -d -w5 127.0.0.1 7301) in
		"old nobody"|"new daemon") ok=$((ok + 1)) ;;
		*) bad=$((bad + 1)) ;;
		esac
	done
	echo "$ok $bad" >"$T/load"
) &
loader=$!
sleep 0.3
conf daemon new
kill -HUP "$SUPERD_PID"
check "the reload keeps the endpoint" wait_log 'event=reload result=ok kept=1 opened=0 closed=0'
sleep 0.3
touch "$T/stop"
wait $loader
read -r ok bad <"$T/load"
check "clients were served around the reload ($ok)" test "$ok" -gt 0
expect_eq "the port never stopped answering" 0 "$bad"
expect_eq "the next child runs with the new user and argv" "new daemon" "$(nc -d -w2 127.0.0.1 7301)"
finish
