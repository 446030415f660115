#!/bin/bash
# SPDX-License-Identifier: ISC
# The daemon's periodic audit: after start it finds nothing wrong; a stray
# listener is logged once (not every interval), and its going away once.
# It is the one-shot audit, run by a child at the lowest priority: an nft
# DNAT rule added after start is reported as `superd --selfcheck` reports
# it, once; a daemon whose bounding set lacks CAP_NET_ADMIN says in its log
# that the ruleset could not be read, and never that all is OK.
# TIMEOUT: 900
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/selfcheck_lib.bash"

# audits_after N: wait until N more audits have ended (superd status),
# at most 120 s for each: an audit at nice 19 is slow on a loaded machine.
audits_after() {
	local seen=0 last now end=$((SECONDS + 120 * $1))
	last=$("$SUPERD" status --json | jq -r '.audit.time')
	while [ $SECONDS -lt $end ]; do
		now=$("$SUPERD" status --json | jq -r '.audit.time')
		if [ "$now" != "$last" ]; then
			seen=$((seen + 1))
			last=$now
			[ "$seen" -ge "$1" ] && return 0
		fi
		sleep 0.1
	done
	return 1
}

periodic_conf "$T/superd.conf"
start_superd "$T/superd.conf" || exit 1
check "audit runs right after start" wait_log 'selfcheck: status=OK' 120
socat TCP-LISTEN:8123,bind=0.0.0.0,fork,reuseaddr /dev/null &
stray=$!
check "a stray listener is logged" wait_log 'selfcheck: .*8123' 120
check "another whole audit ends" audits_after 1
expect_eq "and logged once, not every interval" 1 \
	"$(grep 'selfcheck: ' "$LOG" | grep -v resolved= | grep -c '8123')"
kill $stray
wait $stray 2>/dev/null
check "its going away is logged" wait_log 'selfcheck: resolved=.*8123' 120
check "another whole audit ends" audits_after 1
expect_eq "and that is logged once too" 1 "$(grep -c 'selfcheck: resolved=.*8123' "$LOG")"
kill -HUP "$SUPERD_PID"
wait_log 'event=reload result=ok'
sleep 0.3
expect_eq "a reload schedules and runs the audit again" 2 \
	"$(grep -c 'event=selfcheck interval=1' "$LOG")"

if command -v nft >/dev/null && nft list ruleset >/dev/null 2>&1; then
	nft -f - <<'EOF2'
table ip scper {
	chain pre {
		type nat hook prerouting priority -100;
		tcp dport 9090 redirect to :7
	}
}
EOF2
	check "a DNAT rule added after start is logged" \
		wait_log 'selfcheck: finding=forwarded .*9090' 120
	oneshot=$("$SUPERD" -c "$T/superd.conf" --selfcheck --json |
		jq -r '.findings[] | select(.port == 9090) | "finding=\(.kind) endpoint=\(.id) .* severity=\(.severity)"')
	expect_match "as the one-shot audit reports it" "$oneshot" \
		"$(grep 'selfcheck: finding=forwarded' "$LOG")"
	check "another whole audit ends" audits_after 1
	expect_eq "and it is logged once, not every period" 1 \
		"$(grep -c 'selfcheck: finding=.*9090' "$LOG")"
	nft delete table ip scper
	check "the rule's removal is logged" \
		wait_log 'selfcheck: resolved=.*9090' 120
	stop_superd
	if command -v capsh >/dev/null; then
		: >"$LOG"
		capsh --drop=cap_net_admin -- -c "exec '$SUPERD' -f -p '$T/superd.pid' \
			-c '$T/superd.conf'" >>"$LOG" 2>&1 &
		SUPERD_PID=$!
		check "without CAP_NET_ADMIN the log says the ruleset was not read" \
			wait_log 'selfcheck: finding=undecided .*ruleset|selfcheck: .*(ruleset|nftables)' 120
		expect_eq "and never status=OK" 0 \
			"$(grep -c 'selfcheck: status=OK' "$LOG")"
	fi
fi
finish
