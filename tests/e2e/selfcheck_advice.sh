#!/bin/bash
# SPDX-License-Identifier: ISC
# Reports that say what to do: the first line says what was audited (the
# config file, protocols, ports, addresses); every finding but ok carries
# one line of advice in the text (and the same in the JSON "advice" field):
# a stray names its pid and `kill PID`, a foreign endpoint who holds it, a
# missing one that superd runs but did not bind it; the summary says
# whether the probe decided every port (a UDP sweep stopped by its deadline
# is "coverage incomplete"); colours only on a terminal, never with
# NO_COLOR or TERM=dumb.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/selfcheck_lib.bash"

SERVED=$T/served.conf
cat >"$SERVED" <<CONF
service a {
	protocol = tcp
	port = 7001
	bind = "192.0.2.1"
	internal = echo
}
CONF
start_superd "$SERVED" || exit 1
# The audited config declares two more: 7003 (nobody binds it) and 7004
# (another process holds it).
CONF=$T/audited.conf
cp "$SERVED" "$CONF"
cat >>"$CONF" <<CONF
service b {
	protocol = tcp
	port = 7003
	bind = "192.0.2.1"
	internal = echo
}
service c {
	protocol = tcp
	port = 7004
	bind = "192.0.2.1"
	internal = echo
}
CONF
socat TCP-LISTEN:7777,reuseaddr,fork SYSTEM:true &
STRAY=$!
socat TCP-LISTEN:7004,bind=192.0.2.1,reuseaddr,fork SYSTEM:true &
HOLDER=$!
for i in $(seq 50); do
	[ "$(ss -ltnH | wc -l)" -ge 3 ] && break
	sleep 0.05
done
audit() { "$SUPERD" -c "$CONF" --selfcheck --proto tcp "$@"; }

text=$(audit)
expect_eq "the audit finds the problems (exit 2)" 2 $?
expect_match "the first line says what was audited" \
	"^AUDIT $CONF: 3 endpoints declared; tcp ports 1-65535 on [0-9]+ addresses: 127\.0\.0\.1 .*192\.0\.2\.1" \
	"$(head -1 <<<"$text")"
expect_match "the stray's advice names the command that stops it" \
	"^  advice: not declared and reachable from the network: stop it with kill $STRAY \(socat, /usr/bin/socat\)" \
	"$(grep -A1 '^0\.0\.0\.0:7777 ' <<<"$text" | tail -1)"
expect_match "the foreign endpoint's advice says who holds it" \
	"^  advice: held by pid $HOLDER, not superd: stop it \(kill $HOLDER " \
	"$(grep -A1 '^192\.0\.2\.1:7004 ' <<<"$text" | tail -1)"
expect_match "the missing endpoint's advice says why" \
	"^  advice: superd runs but does not hold it: its bind failed \(its log has service=b with reason=bind\)" \
	"$(grep -A1 '^192\.0\.2\.1:7003 ' <<<"$text" | tail -1)"
expect_match "an ok endpoint has no advice" "^SELFCHECK|^[0-9[]" \
	"$(grep -A1 '^192\.0\.2\.1:7001 ' <<<"$text" | tail -1)"
expect_match "the summary says the coverage is complete" \
	"^SELFCHECK CRITICAL - .*; coverage complete \|" "$(tail -1 <<<"$text")"

json=$(audit --json)
expect_eq "JSON names the config audited" "$CONF" "$(jq -r .audited.config <<<"$json")"
expect_eq "JSON lists the protocols audited" tcp "$(jq -r '.audited.protocols | join(",")' <<<"$json")"
expect_eq "JSON carries the same advice as the text" \
	"$(grep -A1 '^0\.0\.0\.0:7777 ' <<<"$text" | tail -1 | sed 's/^  advice: //')" \
	"$(f tcp/0.0.0.0/7777/exposed .advice)"
expect_eq "JSON: an ok finding's advice is null" null "$(f tcp/192.0.2.1/7001/ok .advice)"
expect_eq "JSON: coverage complete" true "$(jq .coverage.complete <<<"$json")"

# A UDP sweep that cannot decide every port is visible in the summary
# (an egress rule, in this test's namespace only, makes sends fail).
if command -v nft >/dev/null && nft add table inet sctest 2>/dev/null; then
	nft add chain inet sctest out '{ type filter hook output priority 0; }'
	nft add rule inet sctest out udp dport 20000-20009 drop
	text=$("$SUPERD" -c "$CONF" --selfcheck --proto udp)
	expect_match "an incomplete UDP sweep makes the summary say coverage incomplete" \
		"^SELFCHECK WARNING - .*; coverage incomplete; udp .*192\.0\.2\.1 10 ports undecided \(send failed: Operation not permitted\)" \
		"$(tail -1 <<<"$text")"
	expect_match "and a COVERAGE line says what to do" \
		"^  advice: [0-9]+ ports on [0-9]+ addresses stayed undecided: sends failed: an output firewall rule refuses the probe \(nft list ruleset\)" \
		"$(grep -A1 '^COVERAGE incomplete' <<<"$text" | tail -1)"
	json=$("$SUPERD" -c "$CONF" --selfcheck --proto udp --json)
	expect_eq "JSON: coverage incomplete" false "$(jq .coverage.complete <<<"$json")"
	expect_match "JSON: the coverage advice" "stayed undecided" "$(jq -r .coverage.advice <<<"$json")"
	nft delete table inet sctest
else
	echo "note: nft unavailable, the incomplete-coverage checks are not run"
fi
text=$(audit --no-probe)
expect_match "--no-probe: coverage partial" "; coverage partial: not probed \|" \
	"$(tail -1 <<<"$text")"

# Colours: on a terminal only, and never with NO_COLOR or TERM=dumb.
tty() { script -qec "$*" /dev/null; }
check "no colour through a pipe" bash -c '! grep -q $'"'"'\e\['"'"' <<<"$1"' - "$(audit)"
out=$(TERM=xterm tty "$SUPERD" -c "$CONF" --selfcheck --proto tcp --no-probe)
expect_match "colour on a terminal" $'\e\\[1;31mexposed' "$out"
out=$(TERM=xterm NO_COLOR=1 tty "$SUPERD" -c "$CONF" --selfcheck --proto tcp --no-probe)
check "no colour with NO_COLOR" bash -c '! grep -q $'"'"'\e\['"'"' <<<"$1"' - "$out"
expect_match "the report is still there with NO_COLOR" "^SELFCHECK CRITICAL" "$out"
out=$(TERM=dumb tty "$SUPERD" -c "$CONF" --selfcheck --proto tcp --no-probe)
check "no colour with TERM=dumb" bash -c '! grep -q $'"'"'\e\['"'"' <<<"$1"' - "$out"
kill "$STRAY" "$HOLDER"
wait "$STRAY" "$HOLDER" 2>/dev/null
finish
