#!/bin/bash
# SPDX-License-Identifier: ISC
# A flood from 10,000 distinct IPv6 sources (one per /64, the accounting
# prefix), from a peer namespace whose 2001:db8:100::/40 is local to it,
# against a service with per_source and per_ip_per_minute (so every source
# keeps its entry for the minute): another source is still served during
# the flood, every flooding source is counted in the per-source table, and
# `superd status` (text and --json) reports the table's memory within its
# bound, no source refused.  No timing is asserted.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 is not installed"
command -v jq >/dev/null || skip "jq is not installed"
command -v socat >/dev/null || skip "socat is not installed"

N=10000
PEER=flood-peer-$$
ip netns add "$PEER" || skip "cannot create a network namespace"
trap 'ip netns del $PEER 2>/dev/null; cleanup' EXIT
sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
ip link add fl0 type veth peer name fl1 netns "$PEER"
ip -6 addr add 2001:db8::1/64 dev fl0 nodad
ip link set fl0 up
ip -n "$PEER" link set lo up
ip -n "$PEER" -6 addr add 2001:db8::2/64 dev fl1 nodad
ip -n "$PEER" link set fl1 up
# The peer owns all of 2001:db8:100::/40 (AnyIP) and binds any of it.
ip -n "$PEER" -6 route add local 2001:db8:100::/40 dev lo
ip netns exec "$PEER" sysctl -qw net.ipv6.ip_nonlocal_bind=1
ip -6 route add 2001:db8:100::/40 via 2001:db8::2 dev fl0

cat >"$T/superd.conf" <<CONF
service echo {
	internal = yes
	protocol = tcp6
	bind = "2001:db8::1"
	per_source = 4
	per_ip_per_minute = 100
}
CONF
start_superd "$T/superd.conf" || exit 1

# A connection from another source (the peer's own address).
other() {
	echo other | ip netns exec "$PEER" socat -t2 - \
		"TCP6:[2001:db8::1]:7,bind=[2001:db8::2]" 2>/dev/null
}

# The flood: N connections, each from its own /64, each one echo exchange.
cat >"$T/flood.py" <<'PY'
import os, socket, sys, time
n, ok, half, go = int(sys.argv[1]), 0, sys.argv[2], sys.argv[3]
for i in range(n):
    if i == n // 2:  # half-way: let the test ask from another source
        open(half, "w").close()
        for _ in range(600):
            if os.path.exists(go):
                break
            time.sleep(0.05)
    src = "2001:db8:%x:%x::1" % (0x100 + (i >> 16), i & 0xffff)
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.bind((src, 0))
        s.connect(("2001:db8::1", 7))
        s.sendall(b"f\n")
        s.shutdown(socket.SHUT_WR)
        if s.recv(16) == b"f\n":
            ok += 1
    except OSError as e:
        print("source %s: %s" % (src, e), file=sys.stderr)
    finally:
        s.close()
print(ok)
PY
# The veth pair may still be coming up (carrier, neighbour discovery): the
# first source of the flood once got "No route to host".  Wait until the
# peer reaches the service before the flood starts.
up=no
for i in $(seq 100); do
	[ "$(other)" = other ] && { up=yes; break; }
	sleep 0.1
done
check "the peer reaches the service before the flood" test "$up" = yes
ip netns exec "$PEER" python3 "$T/flood.py" "$N" "$T/half" "$T/go" >"$T/flood.out" 2>"$T/flood.err" &
FLOOD=$!

# Half-way through the flood (5,000 sources in the table, for their
# minute), another source is served.
for i in $(seq 600); do [ -e "$T/half" ] && break; sleep 0.05; done
check "the flood reached half-way" test -e "$T/half"
mid=$("$SUPERD" status --json | jq '.services[0].sources.entries')
check "half the sources are in the table" test "$mid" -ge $((N / 2))
expect_eq "another source served in the middle of the flood" "other other other" \
	"$(other) $(other) $(other)"
touch "$T/go"
# ... and while the second half floods in (how many asks fit is not
# asserted: no timing), every ask is answered.  At most 80 asks: with the
# ones before and after, the other source stays under its 100 a minute.
asked=0 served=0
while kill -0 "$FLOOD" 2>/dev/null && [ $asked -lt 80 ]; do
	asked=$((asked + 1))
	[ "$(other)" = other ] && served=$((served + 1))
done
wait "$FLOOD"
expect_eq "another source served while the flood ran ($asked asked)" "$asked" "$served"
expect_eq "every flooding source answered" "$N" "$(cat "$T/flood.out")"
[ -s "$T/flood.err" ] && head -3 "$T/flood.err"

js=$("$SUPERD" status --json)
entries=$(echo "$js" | jq '.services[0].sources.entries')
check "the service's table counts every source (/64)" test "$entries" -ge "$N"
check "the table's bytes are within its bound" test "$(echo "$js" |
	jq '.services[0].sources | .bytes > 0 and .bytes <= .max_bytes')" = true
expect_eq "no source refused by the table" 0 "$(echo "$js" | jq '.services[0].sources.refused')"
check "all tables within the daemon-wide bound" test "$(echo "$js" |
	jq '.sources | .tables >= 1 and .bytes <= .max_bytes')" = true
expect_match "status text reports the tables' memory" \
	'per-source tables: [0-9]+, [0-9]+ kB \(at most [0-9]+ kB\); 0 sources not admitted' \
	"$("$SUPERD" status)"
expect_eq "the other source is still served after the flood" other \
	"$(other)"
finish
