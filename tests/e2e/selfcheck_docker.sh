#!/bin/bash
# SPDX-License-Identifier: ISC
# A container published the way docker publishes one: a container
# namespace (192.0.2.130 over a veth of its own), a userland proxy
# ("docker-proxy") holding the published port on the host, and
# iptables-nft's rules: a DOCKER chain that DNATs the port to the
# container, jumped to from prerouting and from output for local
# destinations.  The audit names the forward (rule and target), the
# proxy's socket with its owner and the cgroup it runs in, and, with the
# peer namespace as the outside, nmap and the remote audit see the port
# open.  Every rule is loaded in this test's own network namespace; the
# cgroups are removed after.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"
command -v nft >/dev/null || skip "nft is not installed"
command -v nmap >/dev/null || skip "nmap is not installed"
nft list ruleset >/dev/null 2>&1 || skip "nf_tables is not available here"
CGROOT=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$CGROOT" ] || skip "no cgroup v2 hierarchy is mounted"
ID=$(printf '%064x' $$)
SCOPE=$CGROOT/superd-test-$$.slice
mkdir -p "$SCOPE/docker-$ID.scope" "$SCOPE/docker.service" 2>/dev/null ||
	skip "cgroupfs is not writable here ($CGROOT)"
CTR=sc-ctr-$$
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	ip netns del $CTR 2>/dev/null; ip netns del $PEER 2>/dev/null
	for i in $(seq 100); do
		rmdir "$SCOPE/docker-$ID.scope" "$SCOPE/docker.service" \
			"$SCOPE" 2>/dev/null && break
		sleep 0.05
	done
	cleanup' EXIT
ip -n "$PEER" addr add 192.0.2.2/24 dev sc1
ip netns add "$CTR" || skip "cannot create a network namespace"
ip link add ct0 type veth peer name eth0 netns "$CTR"
ip addr add 192.0.2.129/30 dev ct0 && ip link set ct0 up
ip -n "$CTR" addr add 192.0.2.130/30 dev eth0
ip -n "$CTR" link set eth0 up && ip -n "$CTR" link set lo up
ip -n "$CTR" route add default via 192.0.2.129
sysctl -qw net.ipv4.ip_forward=1

# The container's server, in its namespace and its docker-ID.scope.
(
	echo "$BASHPID" >"$SCOPE/docker-$ID.scope/cgroup.procs" || exit 1
	exec ip netns exec "$CTR" socat TCP-LISTEN:80,reuseaddr,fork SYSTEM:true
) &
PIDS+=($!)
# The proxy, on the host, in docker.service, named docker-proxy.
cp "$(command -v socat)" "$T/docker-proxy"
(
	echo "$BASHPID" >"$SCOPE/docker.service/cgroup.procs" || exit 1
	exec "$T/docker-proxy" TCP-LISTEN:8080,reuseaddr,fork TCP:192.0.2.130:80
) &
PROXY=$!
PIDS+=($PROXY)
for i in $(seq 100); do
	ss -ltnH | grep -q ':8080 ' &&
		ip netns exec "$CTR" ss -ltnH | grep -q ':80 ' && break
	sleep 0.05
done
nft -f - <<'EOF2'
table ip nat {
	chain DOCKER {
		iifname "ct0" return
		iifname != "ct0" tcp dport 8080 dnat to 192.0.2.130:80
	}
	chain PREROUTING {
		type nat hook prerouting priority dstnat; policy accept;
		fib daddr type local counter jump DOCKER
	}
	chain OUTPUT {
		type nat hook output priority -100; policy accept;
		ip daddr != 127.0.0.0/8 fib daddr type local counter jump DOCKER
	}
	chain POSTROUTING {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr 192.0.2.128/30 oifname != "ct0" counter masquerade
	}
}
EOF2

CONF=$T/docker.conf
: >"$CONF"
expect_eq "ground truth: the peer reaches the published port" open \
	"$(ip netns exec "$PEER" nmap -n -Pn -sS -T5 -p 8080 192.0.2.1 |
		awk '$1 == "8080/tcp" { print $2 }')"
json=$("$SUPERD" -c "$CONF" --selfcheck --json --addr 192.0.2.1)
expect_eq "the published port is CRITICAL" 2 "$(jq -r .exit <<<"$json")"
expect_eq "the forward is reported" CRITICAL \
	"$(f tcp/192.0.2.1/8080/forwarded .severity)"
expect_eq "its target, the container, is named" 192.0.2.130:80 \
	"$(f tcp/192.0.2.1/8080/forwarded .to)"
expect_match "its rule is named" "^ip nat DOCKER handle [0-9]+" \
	"$(f tcp/192.0.2.1/8080/forwarded .rule)"
expect_eq "the proxy's socket is exposed" CRITICAL \
	"$(f tcp/0.0.0.0/8080/exposed .severity)"
expect_eq "its owner is named" "$PROXY docker-proxy" \
	"$(f tcp/0.0.0.0/8080/exposed '.socket.owners[0] | "\(.pid) \(.comm)"')"
expect_match "it runs in docker.service" "docker\.service" \
	"$(f tcp/0.0.0.0/8080/exposed '.socket.owners[0].runs_in.name')"
CTRPID=$(ip netns exec "$CTR" ss -ltnpH | sed -n 's/.*:80 .*pid=\([0-9]*\).*/\1/p' | head -1)
expect_eq "the target's owner, in the container's namespace, is named" \
	"$CTRPID" "$(f tcp/192.0.2.1/8080/forwarded '.socket.owners[0].pid')"
expect_match "and the container it runs in" "$ID" \
	"$(f tcp/192.0.2.1/8080/forwarded '.socket.owners[0].runs_in.name')"
text=$("$SUPERD" -c "$CONF" --selfcheck --addr 192.0.2.1)
expect_match "text: forward, target and rule on one line" \
	"192\.0\.2\.1:8080 +tcp .*forwarded .*to=192\.0\.2\.130:80 rule=\"ip nat DOCKER handle" \
	"$text"
json=$("$SUPERD" -c "$CONF" --selfcheck --json --remote 192.0.2.1 \
	--from-namespace "$PEER" --proto tcp)
expect_eq "from outside: the published port is exposed" CRITICAL \
	"$(f tcp/192.0.2.1/8080/exposed .severity)"
finish
