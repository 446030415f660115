#!/bin/bash
# SPDX-License-Identifier: ISC
# A UNIX-domain socket path is a value from the config, and a path may
# hold a blank, '=' or '"': every log line that names it (listen, a file
# that is not a socket, the stale socket removed, dump) quotes and escapes
# it as one endpoint= value, so that "/x reason=forged" cannot add a field.
. "$(dirname "$0")/lib.sh"
private_copies

P="$T/a b reason=forged"
cat >"$T/superd.conf" <<CONF
service blank {
	socket = "$P.sock"
	user = nobody
	server = /usr/bin/env
}
CONF
# A stale socket nobody listens on is there first: it is replaced.
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$P.sock"
start_superd "$T/superd.conf" || exit 1
Q="endpoint=\"$P.sock/unix\""
check "the listen line quotes the whole path" \
	grep -qF "event=listen service=blank $Q" "$LOG"
check "the stale-socket line quotes it" \
	grep -qF "service=blank $Q event=stale-socket-removed" "$LOG"
kill -USR1 "$SUPERD_PID"
check "the dump line quotes it" wait_log 'event=dump service=blank endpoint="'
check "no line has the path unquoted" \
	bash -c '! grep -qF "endpoint=$1" "$2"' _ "$P" "$LOG"
stop_superd

# A file that is not a socket stays, and the refusal quotes its path.
rm -f "$P.sock"
echo x >"$P.sock"
start_superd "$T/superd.conf" >/dev/null
check "a plain file at the path is refused, its path quoted" \
	grep -qF "service=blank $Q reason=\"exists and is not a socket" "$LOG"
stop_superd
finish
