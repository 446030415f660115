#!/bin/bash
# SPDX-License-Identifier: ISC
# Address equivalence: of twenty local addresses, only those a socket, a
# declaration or a netfilter rule tells apart are probed port by port; the
# others take their representative's answers and the report (text and
# JSON) says which, and as which.  A stray bound to one address and a NAT
# rule naming another are both found; a wildcard stray is found on every
# address, as nmap from a peer namespace sees it.  Rules are loaded in this
# test's own namespace only.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"
command -v nft >/dev/null || skip "nft is not installed"
command -v nmap >/dev/null || skip "nmap is not installed"
nft list ruleset >/dev/null 2>&1 || skip "nf_tables is not available here"
for k in $(seq 2 20); do
	ip addr add 192.0.2.$k/24 dev sc0
done
ip -n "$PEER" addr add 192.0.2.200/24 dev sc1
args=()
for k in $(seq 1 20); do
	args+=(--addr 192.0.2.$k)
done

CONF=$T/equiv.conf
printf '192.0.2.1:7013 stream tcp nowait nobody /bin/true true\n' >"$CONF"
start_superd "$CONF" || skip "superd cannot serve here"
socat TCP-LISTEN:4242,bind=192.0.2.7,reuseaddr,fork SYSTEM:true &
BOUND=$!
socat TCP-LISTEN:4343,reuseaddr,fork SYSTEM:true &
WILD=$!
trap 'kill $BOUND $WILD 2>/dev/null; ip netns del $PEER 2>/dev/null; cleanup' EXIT
for i in $(seq 50); do
	[ "$(ss -ltnH | grep -c ':4[23]4[23] ')" = 2 ] && break
	sleep 0.05
done
nft -f - <<'EOF2'
table ip sceq {
	chain pre {
		type nat hook prerouting priority -100;
		ip daddr 192.0.2.13 tcp dport 2222 dnat to 192.0.2.1:7013
	}
}
EOF2

json=$("$SUPERD" -c "$CONF" --selfcheck --json "${args[@]}")
text=$("$SUPERD" -c "$CONF" --selfcheck "${args[@]}")
probed=$(jq -r '.equivalence.probed | join(" ")' <<<"$json")
expect_eq "the declared, the bound and the ruled addresses are probed" \
	"192.0.2.1 192.0.2.2 192.0.2.7 192.0.2.13" "$probed"
expect_eq "the sixteen others are decided by equivalence" 16 \
	"$(jq '.equivalence.equivalent | length' <<<"$json")"
expect_eq "each as the first plain address" "192.0.2.2" \
	"$(jq -r '[.equivalence.equivalent[].representative] | unique | join(" ")' <<<"$json")"
expect_eq "the stray bound to one address is found by table and probe" \
	"192.0.2.7 exposed table+probe" \
	"$(jq -r '.findings[] | select(.port == 4242) | "\(.address) \(.kind) \(.evidence | join("+"))"' <<<"$json")"
expect_eq "the NAT rule naming another address is found" \
	"192.0.2.13 forwarded" \
	"$(jq -r '.findings[] | select(.port == 2222) | "\(.address) \(.kind)"' <<<"$json")"
expect_eq "a decided address shows the wildcard stray open" "4343" \
	"$(jq -r '.probe.addresses[] | select(.address == "192.0.2.17") | .open | map(tostring) | join(" ")' <<<"$json")"
expect_eq "as nmap from the peer sees it" "open" \
	"$(ip netns exec "$PEER" nmap -n -Pn -sS -p 4343 192.0.2.17 | awk '$1 == "4343/tcp" { print $2 }')"
expect_eq "and the bound stray is not on a decided address" "closed" \
	"$(ip netns exec "$PEER" nmap -n -Pn -sS -p 4242 192.0.2.17 | awk '$1 == "4242/tcp" { print $2 }')"
expect_match "the text says what was probed and what decided by equivalence" \
	'^EQUIVALENCE probed 4 of 20 addresses: 192.0.2.1 192.0.2.2 192.0.2.7 192.0.2.13; decided by equivalence .* 192.0.2.20 as 192.0.2.2;' \
	"$(grep '^EQUIVALENCE' <<<"$text")"

json=$("$SUPERD" -c "$CONF" --selfcheck --json \
	--addr 192.0.2.3 --addr 192.0.2.4 --addr 192.0.2.5)
expect_eq "three plain addresses: one probed" 1 \
	"$(jq '.equivalence.probed | length' <<<"$json")"
nft add table ip sceq2
nft add chain ip sceq2 in '{ type filter hook input priority 0; }'
nft add rule ip sceq2 in meta mark 7 drop
json=$("$SUPERD" -c "$CONF" --selfcheck --json \
	--addr 192.0.2.3 --addr 192.0.2.4 --addr 192.0.2.5)
expect_eq "a rule the model cannot read: every address probed" 3 \
	"$(jq '.equivalence.probed | length' <<<"$json")"
finish
