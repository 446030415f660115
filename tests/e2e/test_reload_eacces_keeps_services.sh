#!/bin/bash
# SPDX-License-Identifier: ISC
# A daemon running as an unprivileged user (user = nobody) cannot bind a
# port below 1024 on reload: the bind fails with EACCES, the reload says
# result=failed naming the endpoint and file:line, and the old endpoint
# serves on.
. "$(dirname "$0")/lib.sh"

cat >"$T/a.conf" <<CONF
user = nobody
service echo {
	internal = echo
	port = 7901
	protocol = tcp
	bind = "127.0.0.1"
}
CONF
cp "$T/a.conf" "$T/live.conf"
start_superd "$T/live.conf" || exit 1
expect_eq "the daemon runs as nobody" "$(id -u nobody)" \
	"$(awk '/^Uid/ {print $3}' /proc/"$SUPERD_PID"/status)"
cat >>"$T/live.conf" <<CONF
service low {
	internal = echo
	port = 99
	protocol = tcp
	bind = "127.0.0.1"
}
CONF
kill -HUP "$SUPERD_PID"
check "the reload fails" wait_log 'event=reload result=failed failures=1'
expect_match "the log names the endpoint, file:line and EACCES" \
	'live.conf:8: service=low endpoint=127.0.0.1:99/tcp reason=bind error="Permission denied"' \
	"$(cat "$LOG")"
expect_eq "the old endpoint serves on" ping "$(echo ping | nc -N -w5 127.0.0.1 7901)"
expect_eq "nothing is bound on the low port" "" "$(ss -ltnH 'sport = :99')"
finish
