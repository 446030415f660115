#!/bin/bash
# SPDX-License-Identifier: ISC
# superd --selfcheck against nmap, side by side: the default audit
# (kernel table, owners, ruleset, SYN sweep and UDP sweep of all 65535
# ports) of 127.0.0.1 and ::1 versus `nmap -sT -p- -n -Pn` of the same two
# addresses, and of twenty addresses versus `nmap -sS -p-` of the twenty.
# Everything runs inside a network namespace this script creates, with a
# veth to a peer namespace; only 192.0.2.0/24 and 2001:db8::/32 are used.
#
# The two tools run in interleaved rounds (the order alternates), so both
# meet the same machine noise; each figure is the median of the rounds,
# wall clock and CPU (user + system), with the load average of the round.
#
#   bench/selfcheck-vs-nmap.sh [RUNS]      (SUPERD= the binary, default build/superd)
#   SC_BENCH_PARTS=lo (or 20) runs one of the two comparisons only.
set -u
RUNS=${1:-5}
: "${SUPERD:=$(cd "$(dirname "$0")/.." && pwd)/build/superd}"
: "${SC_BENCH_PARTS:=lo 20}"

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

# load: the 1-minute load average.
load() { cut -d' ' -f1 /proc/loadavg; }

# timed FILE CMD...: run CMD, append "wall cpu" (seconds) to FILE.
timed() {
	local f=$1
	shift
	/usr/bin/time -f '%e %U %S' -o "$T/one" "$@" >/dev/null 2>&1
	# The last line: a non-zero exit (an audit finding) adds one before.
	tail -1 "$T/one" | awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' >>"$f"
}

# median COLUMN FILE: the median of a column (1 wall, 2 cpu).
median() {
	cut -d' ' -f"$1" "$2" | sort -n |
		awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2)
			print NR % 2 ? v[m] : (v[m] + v[m + 1]) / 2 }'
}

# report NAME NMAPDESC: the medians of the rounds in $T/a (superd) and
# $T/n (nmap), each round's ratio and the median of those.
report() {
	local aw ac nw nc
	aw=$(median 1 "$T/a") ac=$(median 2 "$T/a")
	nw=$(median 1 "$T/n") nc=$(median 2 "$T/n")
	echo "selfcheck ($1, full default audit): ${aw}s wall, ${ac}s CPU (median of $RUNS)"
	echo "nmap      ($2, scan only):  ${nw}s wall, ${nc}s CPU (median of $RUNS)"
	echo "per round, superd/nmap wall and ratio: $(paste -d' ' "$T/a" "$T/n" |
		awk '{ printf "%s/%s=%.1fx ", $1, $3, $3 / $1 }')"
	echo "load average per round: $(tr '\n' ' ' <"$T/l")"
	paste -d' ' "$T/a" "$T/n" | awk '{ print $3 / $1 }' >"$T/r"
	echo "CPU: $(echo "scale=1; $nc / $ac" | bc)x less (medians)"
	echo "ratio: $(median 1 "$T/r" | xargs printf '%.1f')x faster (median of the rounds' ratios)"
}

# nmap_all: the nmap commands of $T/ncmd (one a line), timed as one sum
# appended to $T/n.
nmap_all() {
	local line
	: >"$T/nsum"
	while IFS= read -r line; do
		# shellcheck disable=SC2086
		timed "$T/nsum" $line
	done <"$T/ncmd"
	awk '{ w += $1; c += $2 } END { printf "%.2f %.2f\n", w, c }' \
		"$T/nsum" >>"$T/n"
}

# bench_rounds ARGS...: RUNS rounds of superd with ARGS and the nmap
# commands of $T/ncmd, which goes first alternating round by round.
bench_rounds() {
	local i
	: >"$T/a"
	: >"$T/n"
	: >"$T/l"
	for i in $(seq "$RUNS"); do
		load >>"$T/l"
		if [ $((i % 2)) = 1 ]; then
			timed "$T/a" "$SUPERD" -c "$T/conf" --selfcheck "$@"
			nmap_all
		else
			nmap_all
			timed "$T/a" "$SUPERD" -c "$T/conf" --selfcheck "$@"
		fi
	done
}

echo "superd --selfcheck vs nmap, $(nproc) cores, $RUNS interleaved rounds; load: $(uptime | sed 's/.*load/load/')"

# 1. The default audit (TCP and UDP complete, ruleset, owners) of lo's two
# addresses against nmap -sT -p- of the same two addresses.
case " $SC_BENCH_PARTS " in *" lo "*)
	printf '%s\n' "nmap -sT -p- -n -Pn 127.0.0.1" \
		"nmap -6 -sT -p- -n -Pn ::1" >"$T/ncmd"
	bench_rounds --addr 127.0.0.1 --addr ::1
	report "127.0.0.1 and ::1" "nmap -sT -p- of both"
	"$SUPERD" -c "$T/conf" --selfcheck --addr 127.0.0.1 --addr ::1 | tail -1
	echo
esac

# 2. Twenty addresses: the default audit of all of them against nmap -sS
# -p- of the same twenty.
case " $SC_BENCH_PARTS " in *" 20 "*)
	addrs=() args=()
	for k in $(seq 2 20); do
		ip addr add 192.0.2.$k/24 dev sc0
	done
	for k in $(seq 1 20); do
		addrs+=(192.0.2.$k)
		args+=(--addr 192.0.2.$k)
	done
	echo "nmap -sS -p- -n -Pn ${addrs[*]}" >"$T/ncmd"
	bench_rounds "${args[@]}"
	report "20 addresses" "nmap -sS -p- of the 20"
	"$SUPERD" -c "$T/conf" --selfcheck "${args[@]}" | tail -1
	"$SUPERD" -c "$T/conf" --selfcheck "${args[@]}" | grep '^EQUIVALENCE' | cut -c1-120
esac
echo "load at the end: $(uptime | sed 's/.*load/load/')"
