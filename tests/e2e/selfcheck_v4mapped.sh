#!/bin/bash
# SPDX-License-Identifier: ISC
# superd --selfcheck reads an IPv6 socket bound to a v4-mapped address
# (::ffff:0.0.0.0, ::ffff:192.0.2.1) with its IPv4 meaning: a stray on
# ::ffff:0.0.0.0 is exposed on 192.0.2.1 (TCP and UDP, owner named) with
# the probe, with --no-probe and in the daemon's periodic audit; one on a
# declared port is `foreign`, not `missing`.  (It was silent: the table
# said nothing covered any address.)
# Runs in its own network namespace with a veth to a peer namespace.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

# Declared: tcp and udp 7201 on 0.0.0.0 (no superd runs it here).
CONF=$T/decl.conf
cat >"$CONF" <<CONF
service d-tcp {
	protocol = tcp
	port = 7201
	bind = "0.0.0.0"
	internal = echo
}
service d-udp {
	protocol = udp
	port = 7201
	bind = "0.0.0.0"
	internal = echo
}
CONF
export T
python3 - <<'PY' &
import os, socket, time
keep = []
for typ, addr, port in ((socket.SOCK_STREAM, "::ffff:0.0.0.0", 7201),
                        (socket.SOCK_DGRAM, "::ffff:0.0.0.0", 7201),
                        (socket.SOCK_STREAM, "::ffff:0.0.0.0", 7202),
                        (socket.SOCK_DGRAM, "::ffff:0.0.0.0", 7202),
                        (socket.SOCK_STREAM, "::ffff:192.0.2.1", 7203)):
    s = socket.socket(socket.AF_INET6, typ)
    s.bind((addr, port))
    if typ == socket.SOCK_STREAM:
        s.listen()
    keep.append(s)
open(os.environ["T"] + "/ready", "w").close()
time.sleep(600)
PY
HOLDER=$!
for i in $(seq 100); do
	[ -e "$T/ready" ] && break
	sleep 0.05
done
[ -e "$T/ready" ] || fail "the v4-mapped listeners are bound"

# audit MODE ARGS...: the checks of one audit mode.
audit() {
	local mode=$1 p
	shift
	json=$("$SUPERD" -c "$CONF" --selfcheck --json "$@")
	for p in tcp udp; do
		expect_eq "$mode: $p ::ffff:0.0.0.0:7202 is exposed, owner named" \
			"exposed/$HOLDER/python3/true" \
			"$(f $p/0.0.0.0/7202/exposed '"\(.kind)/\(.socket.owners[0].pid)/\(.socket.owners[0].comm)/\(.socket.v4mapped)"')"
		expect_eq "$mode: $p 7201 declared on 0.0.0.0 is foreign, not missing" \
			"foreign/$HOLDER" \
			"$(f $p/192.0.2.1/7201/foreign '"\(.kind)/\(.socket.owners[0].pid)"')"
		expect_eq "$mode: $p 7201 is never missing" "" \
			"$(f $p/192.0.2.1/7201/missing .kind)"
	done
	expect_eq "$mode: tcp ::ffff:192.0.2.1:7203 is exposed as 192.0.2.1" \
		"exposed/$HOLDER" \
		"$(f tcp/192.0.2.1/7203/exposed '"\(.kind)/\(.socket.owners[0].pid)"')"
}
audit probe
expect_eq "probe: the probe finds tcp 7202 open on 192.0.2.1" open \
	"$(f tcp/0.0.0.0/7202/exposed .probe)"
audit no-probe --no-probe
text=$("$SUPERD" -c "$CONF" --selfcheck --no-probe)
expect_match "the text shows the IPv4 meaning and the bind" \
	"0\.0\.0\.0:7202 +tcp .* exposed .* $HOLDER/python3\(root\) bound=\[::ffff:0\.0\.0\.0\]" \
	"$text"

# The daemon's periodic audit (the same audit, in a child at nice 19: a
# full sweep, so the waits are long bounds, not timings).
periodic_conf "$T/superd.conf"
start_superd "$T/superd.conf" || exit 1
for p in tcp udp; do
	check "periodic: $p ::ffff:0.0.0.0:7202 is logged exposed with its owner" \
		wait_log "selfcheck: finding=exposed endpoint=$p/0\.0\.0\.0/7202/exposed .*owner=\"?$HOLDER/python3" 120
done
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
check "periodic: its going away is logged" \
	wait_log 'selfcheck: resolved=tcp/0\.0\.0\.0/7202/exposed' 120
finish
