#!/bin/bash
# SPDX-License-Identifier: ISC
# The audit's probe never reaches a superd socket through NAT: a TCP port
# that an output-chain REDIRECT or a prerouting DNAT maps (here to a
# declared superd service) is decided from the ruleset, not probed (the
# JSON lists it as skipped), and superd's log shows no connection, start
# or refusal while the audit runs.  Every rule is loaded in this test's
# own network namespace.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"
command -v nft >/dev/null || skip "nft is not installed"
nft list ruleset >/dev/null 2>&1 || skip "nf_tables is not available here"

CONF=$T/nat.conf
cat >"$CONF" <<EOF2
192.0.2.1:7013 stream tcp nowait nobody /bin/true true
127.0.0.1:7015 stream tcp nowait nobody /bin/true true
192.0.2.1:7014 dgram udp wait nobody /bin/true true
EOF2
start_superd "$CONF" || skip "superd cannot serve here"
nft -f - <<'EOF2'
table ip scguard {
	chain out {
		type nat hook output priority -100;
		tcp dport 8080 redirect to :7015
		ip daddr 127.0.0.1 tcp dport 8082 dnat to 192.0.2.1:7013
		udp dport 6000 redirect to :7014
	}
	chain pre {
		type nat hook prerouting priority -100;
		tcp dport 8081 dnat to 192.0.2.1:7013
	}
}
EOF2
# Ground truth: through the output rules a client reaches the services.
for t in 192.0.2.1:8080/7015 127.0.0.1:8082/7013; do
	: >"$LOG"
	if timeout 5 socat -u TCP:${t%/*},connect-timeout=2 - </dev/null \
		>/dev/null 2>&1 && wait_log "service=${t#*/} event=start"; then
		pass "ground truth: a connection to ${t%/*} reaches superd's ${t#*/}"
	else
		fail "ground truth: ${t%/*} did not reach superd's ${t#*/}: $(cat "$LOG")"
	fi
done
: >"$LOG"

# skipped ADDR PORT: whether the TCP probe left ADDR:PORT alone.
skipped() {
	jq -r --arg a "$1" --argjson p "$2" '[.probe.addresses[] |
		select(.address == $a) | .skipped[] | select(. == $p)] |
		if length == 1 then "skipped" else "probed" end' <<<"$json"
}
json=$("$SUPERD" -c "$CONF" --selfcheck --addr 192.0.2.1 --addr 127.0.0.1 \
	--json)
expect_eq "the audit ran with the SYN probe" syn "$(jq -r .probe.mode <<<"$json")"
expect_eq "an output-chain redirect to superd (127.0.0.1) is not probed" skipped \
	"$(skipped 192.0.2.1 8080)"
expect_eq "nor on another address the rule covers" skipped \
	"$(skipped 127.0.0.1 8080)"
expect_eq "an output-chain DNAT to superd is not probed" skipped \
	"$(skipped 127.0.0.1 8082)"
expect_eq "a prerouting DNAT to superd is not probed" skipped \
	"$(skipped 192.0.2.1 8081)"
expect_eq "a port no rule maps is probed" probed "$(skipped 192.0.2.1 8083)"
expect_eq "the prerouting DNAT is still reported, from the ruleset" \
	192.0.2.1:7013 "$(f tcp/192.0.2.1/8081/forwarded .to)"
expect_eq "the declared service is ok" OK "$(f tcp/192.0.2.1/7013/ok .severity)"
# The daemon logs every start and refusal at once; give a late one time.
sleep 0.3
if grep -Eq 'event=(start|refuse|spawn)' "$LOG"; then
	fail "the audit reached a superd socket: $(grep -E 'event=' "$LOG")"
else
	pass "superd's log shows no start or refusal from the audit"
fi
nft delete table ip scguard
finish
