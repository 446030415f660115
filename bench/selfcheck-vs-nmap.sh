#!/bin/bash
# SPDX-License-Identifier: ISC
# superd --selfcheck against nmap, side by side: the default audit
# (kernel table, owners, ruleset, SYN sweep and UDP sweep of all 65535
# ports) of 127.0.0.1 and ::1 versus `nmap -sT -p- -n -Pn` of the same two
# addresses, and of twenty addresses versus `nmap -sS -p-` of the twenty.
# Everything runs inside a network namespace this script creates, with a
# veth to a peer namespace; only 192.0.2.0/24 and 2001:db8::/32 are used.
#
#   bench/selfcheck-vs-nmap.sh [RUNS]      (SUPERD= the binary, default build/superd)
set -u
RUNS=${1:-5}
: "${SUPERD:=$(cd "$(dirname "$0")/.." && pwd)/build/superd}"

if [ -z "${SC_BENCH_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "bench: needs root (namespaces, raw sockets)"; exit 77; }
	command -v nmap >/dev/null || {
		echo "bench: installing nmap"
		apt-get install -y -qq --no-install-recommends nmap >/dev/null ||
			{ echo "bench: nmap unavailable"; exit 77; }
	}
	export SC_BENCH_NETNS=1
	exec unshare --net --mount --fork -- bash "$0" "$@"
fi

[ -x "$SUPERD" ] || { echo "bench: no superd at $SUPERD"; exit 77; }
ip link set lo up
PEER=sc-bench-$$
T=$(mktemp -d /tmp/superd-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; ip netns del $PEER 2>/dev/null; rm -rf $T' EXIT
ip netns add "$PEER"
ip link add sc0 type veth peer name sc1 netns "$PEER"
ip addr add 192.0.2.1/24 dev sc0
ip -6 addr add 2001:db8::1/64 dev sc0 nodad
ip link set sc0 up
ip -n "$PEER" link set sc1 up

# A few listeners so both tools have something to find.
printf '192.0.2.1:8080 stream tcp nowait root /bin/cat cat\n' >"$T/conf"
for p in 22 80 443; do
	socat TCP-LISTEN:$p,reuseaddr,fork SYSTEM:true &
done
socat TCP6-LISTEN:8443,reuseaddr,fork SYSTEM:true &
sleep 0.3

# best TIMES: the smallest of the measured seconds.
best() { sort -n | head -1; }
secs() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }

# ratio NAME A N: print both times and how many times faster A is.
ratio() {
	echo "selfcheck ($1, full default audit): ${2}s"
	echo "nmap      ($1, scan only):          ${3}s"
	echo "ratio: $(echo "scale=1; $3 / $2" | bc)x faster"
}

# 1. The default audit (TCP and UDP complete, ruleset, owners) of lo's two
# addresses against nmap -sT -p- of the same two addresses.
echo "superd --selfcheck vs nmap, $(nproc) cores, best of $RUNS; load: $(uptime | sed 's/.*load/load/')"
a=() n=()
for i in $(seq "$RUNS"); do
	a+=("$(secs "$SUPERD" -c "$T/conf" --selfcheck \
		--addr 127.0.0.1 --addr ::1)")
	n4=$(secs nmap -sT -p- -n -Pn 127.0.0.1)
	n6=$(secs nmap -6 -sT -p- -n -Pn ::1)
	n+=("$(echo "$n4 + $n6" | bc)")
done
ratio "127.0.0.1 and ::1, nmap -sT -p-" "$(printf '%s\n' "${a[@]}" | best)" \
	"$(printf '%s\n' "${n[@]}" | best)"
"$SUPERD" -c "$T/conf" --selfcheck --addr 127.0.0.1 --addr ::1 | tail -1

# 2. Twenty addresses: the default audit of all of them against nmap -sS
# -p- of the same twenty.
addrs=() args=()
for k in $(seq 2 20); do
	ip addr add 192.0.2.$k/24 dev sc0
done
for k in $(seq 1 20); do
	addrs+=(192.0.2.$k)
	args+=(--addr 192.0.2.$k)
done
a=() n=()
for i in $(seq "$RUNS"); do
	a+=("$(secs "$SUPERD" -c "$T/conf" --selfcheck "${args[@]}")")
	n+=("$(secs nmap -sS -p- -n -Pn "${addrs[@]}")")
done
ratio "20 addresses, nmap -sS -p-" "$(printf '%s\n' "${a[@]}" | best)" \
	"$(printf '%s\n' "${n[@]}" | best)"
"$SUPERD" -c "$T/conf" --selfcheck "${args[@]}" | tail -1
"$SUPERD" -c "$T/conf" --selfcheck "${args[@]}" | grep '^EQUIVALENCE' | cut -c1-120
echo "load at the end: $(uptime | sed 's/.*load/load/')"
