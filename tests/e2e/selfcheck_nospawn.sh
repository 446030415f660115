#!/bin/bash
# SPDX-License-Identifier: ISC
# The selfcheck probe never completes a handshake, so it never makes a
# service spawn: neither with the half-open SYN sweep (CAP_NET_RAW) nor
# with the unprivileged connect fallback (which skips every port the kernel
# table shows listening).  Checked with a forking socat and with superd
# itself, whose service command leaves a mark when it runs.
. "$(dirname "$0")/lib.sh"

command -v socat >/dev/null || skip "socat is not installed"
[ -x "$SUPERD" ] || skip "no superd binary at $SUPERD"
ip addr add 192.0.2.1/24 dev lo && ip -6 addr add 2001:db8::1/64 dev lo nodad
# Let the UDP sweep finish (ICMP limits are per namespace: this one only).
sysctl -qw net.ipv4.icmp_msgs_per_sec=1000000 net.ipv4.icmp_msgs_burst=1000000

MARK=$T/spawned
CMD=$T/mark.sh
printf '#!/bin/sh\necho "$$" >>%s\n' "$MARK" >"$CMD"
chmod 755 "$CMD"
EMPTY=$T/empty.conf
: >"$EMPTY"

socat TCP-LISTEN:17001,reuseaddr,fork EXEC:"$CMD" &
SOCAT=$!
socat TCP6-LISTEN:17002,reuseaddr,fork EXEC:"$CMD" &
SOCAT6=$!
sleep 0.3
for i in 1 2 3; do
	"$SUPERD" -c "$EMPTY" --selfcheck --proto tcp >"$T/out" 2>&1
done
expect_match "SYN sweep saw the forking listener" "0\.0\.0\.0:17001 +tcp +open" \
	"$(cat "$T/out")"
check "SYN sweep made no forking listener accept" test ! -e "$MARK"
SUPERD_SELFCHECK_NORAW=1 "$SUPERD" -c "$EMPTY" --selfcheck --json >"$T/out"
check "connect fallback made no forking listener accept" test ! -e "$MARK"
expect_match "connect fallback leaves listed listeners alone" \
	'"probe": "skipped"' "$(cat "$T/out")"
kill "$SOCAT" "$SOCAT6"

CONF=$T/served.conf
cat >"$CONF" <<EOF
127.0.0.1:17003 stream tcp nowait root $CMD mark
192.0.2.1:17004 stream tcp nowait root $CMD mark
[2001:db8::1]:17005 stream tcp6 nowait root $CMD mark
127.0.0.1:17006 stream tcp wait root $CMD mark
192.0.2.1:17007 dgram udp wait root $CMD mark
EOF
start_superd "$CONF" || skip "superd cannot serve here"
for i in 1 2 3; do
	"$SUPERD" -c "$CONF" --selfcheck >"$T/out"
	rc=$?
done
expect_eq "superd's endpoints are ok" 0 "$rc"
SUPERD_SELFCHECK_NORAW=1 "$SUPERD" -c "$CONF" --selfcheck >/dev/null
expect_eq "connect fallback also reports OK" 0 $?
sleep 0.3
check "no superd service was spawned by the audit" test ! -e "$MARK"
if grep -Eq 'event=(start|reap|refuse|end)' "$LOG"; then
	fail "superd logged a connection during the audit: $(grep -E 'event=' "$LOG" | tail -3)"
else
	pass "superd logged no connection during the audit"
fi
finish
