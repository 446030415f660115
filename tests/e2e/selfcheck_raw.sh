#!/bin/bash
# SPDX-License-Identifier: ISC
# superd --selfcheck and sockets without a port: a raw IP socket (the
# port-knocking backdoor's) is a `raw-listener` with its protocol, an
# AF_PACKET socket a `packet-capture`; both WARNING, with their owner, in
# the probing audit and with --no-probe.
# Runs in its own network namespace with a veth to a peer namespace.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

CONF=$T/raw.conf
: >"$CONF"
export T
python3 -c '
import os, socket, time
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
open(os.environ["T"] + "/ready", "w").write(str(os.getpid()))
time.sleep(60)
' &
HOLDER=$!
for i in $(seq 100); do
	[ -s "$T/ready" ] && break
	sleep 0.05
done
json=$("$SUPERD" -c "$CONF" --selfcheck --json)
expect_eq "raw and packet sockets make the audit WARNING" 1 $?
expect_eq "the raw socket is a raw-listener with its protocol" "raw/253/$HOLDER" \
	"$(jq -r '.findings[] | select(.kind == "raw-listener") |
		"\(.proto)/\(.port)/\(.socket.owners[0].pid)"' <<<"$json")"
expect_eq "the AF_PACKET socket is a packet-capture, owner named" "packet/$HOLDER" \
	"$(jq -r '.findings[] | select(.kind == "packet-capture") |
		"\(.proto)/\(.socket.owners[0].pid)"' <<<"$json")"
expect_eq "both are WARNING" "WARNING WARNING" \
	"$(jq -r '[.findings[] | select(.kind == "raw-listener" or
		.kind == "packet-capture") | .severity] | join(" ")' <<<"$json")"
text=$("$SUPERD" -c "$CONF" --selfcheck --no-probe)
expect_match "--no-probe lists the raw listener" \
	"0\.0\.0\.0:253 +raw .* raw-listener .* $HOLDER/python3" "$text"
expect_match "--no-probe lists the capture" \
	"\*:3 +packet .* packet-capture .* $HOLDER/python3" "$text"
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
"$SUPERD" -c "$CONF" --selfcheck >/dev/null
expect_eq "once they are gone the audit is OK" 0 $?
finish
