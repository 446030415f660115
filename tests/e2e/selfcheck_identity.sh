#!/bin/bash
# SPDX-License-Identifier: ISC
# superd --selfcheck, who holds what: superd's sockets are known by its
# executable, never by its name (a stray called "superd" on a declared port
# is foreign); a listener held by two processes names both; a listener no
# process holds (in flight over SCM_RIGHTS) is "unknown", not the kernel's;
# --addr with an address this host does not have is an error (exit 3).
# Runs in its own network namespace with a veth to a peer namespace.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

CONF=$T/id.conf
cat >"$CONF" <<EOF2
127.0.0.1:7401 stream tcp nowait nobody /bin/true true
EOF2
audit() { "$SUPERD" -c "$CONF" --selfcheck --proto tcp "$@"; }

out=$(audit --addr 192.0.2.77)
expect_eq "--addr of a foreign address exits 3" 3 $?
expect_match "--addr of a foreign address says so" \
	"^SELFCHECK UNKNOWN - --addr 192\.0\.2\.77 is not an address of this host" "$out"
json=$(audit --addr 2001:db8::99 --json)
expect_eq "--addr of a foreign IPv6 address exits 3" 3 $?
expect_eq "the JSON says UNKNOWN" UNKNOWN "$(jq -r .status <<<"$json")"
audit --addr 127.0.0.9 >/dev/null
expect_eq "--addr 127.0.0.9 is local (lo holds 127/8)" 0 $?

# A stray whose name is "superd" holding the declared port: foreign.
cp "$(command -v socat)" "$T/superd"
"$T/superd" TCP-LISTEN:7401,bind=127.0.0.1,reuseaddr,fork SYSTEM:true &
FAKE=$!
for i in $(seq 50); do
	ss -ltnH | grep -q ':7401 ' && break
	sleep 0.05
done
json=$(audit --json)
expect_eq "a stray named superd on a declared port is CRITICAL" 2 $?
expect_eq "a stray named superd is foreign" "$FAKE" \
	"$(f tcp/127.0.0.1/7401/foreign '.socket.owners[0].pid')"
expect_eq "its owner is not superd" false \
	"$(f tcp/127.0.0.1/7401/foreign '.socket.owners[0].superd')"
kill "$FAKE"
wait "$FAKE" 2>/dev/null

# superd itself, from the same executable: ok.
start_superd "$CONF" || skip "superd cannot serve here"
json=$(audit --json)
expect_eq "superd's own endpoint is ok" "$SUPERD_PID" \
	"$(f tcp/127.0.0.1/7401/ok '.socket.owners[0].pid')"
stop_superd

# One listener, two processes: both named.
export T
python3 -c '
import os, socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 7402)); s.listen()
pid = os.fork()
open(os.environ["T"] + ("/child" if pid == 0 else "/parent"), "w").write(str(os.getpid()))
time.sleep(60)
' &
SHARED=$!
# The same, sent over SCM_RIGHTS and closed: no process holds it.
python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 7403)); s.listen()
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
socket.send_fds(a, [b"x"], [s.fileno()]); s.close()
open(__import__("os").environ["T"] + "/flight", "w").write("1")
time.sleep(60)
' &
FLIGHT=$!
for i in $(seq 100); do
	[ -s "$T/child" ] && [ -s "$T/flight" ] && break
	sleep 0.05
done
json=$(audit --json --no-probe)
expect_eq "a listener held by two processes names both" \
	"$(sort -n "$T/parent" "$T/child" | xargs)" \
	"$(f tcp/0.0.0.0/7402/exposed '[.socket.owners[].pid] | sort | join(" ")')"
expect_eq "it counts both holders" 2 \
	"$(f tcp/0.0.0.0/7402/exposed .socket.holders)"
expect_eq "a listener in flight has no owner" 0 \
	"$(f tcp/0.0.0.0/7403/exposed '.socket.owners | length')"
text=$(audit --no-probe)
expect_match "text names both holders" \
	"0\.0\.0\.0:7402 .* ($(cat "$T/parent")|$(cat "$T/child"))/python3\([a-z]+\),($(cat "$T/parent")|$(cat "$T/child"))/python3" "$text"
expect_match "text says the owner of the one in flight is unknown" \
	"0\.0\.0\.0:7403 +tcp .* exposed .* unknown" "$text"
kill "$SHARED" "$FLIGHT" "$(cat "$T/child")" 2>/dev/null
wait "$SHARED" "$FLIGHT" 2>/dev/null
finish
