#!/bin/bash
# SPDX-License-Identifier: ISC
# The daemon's periodic audit: after start it finds nothing wrong; a stray
# listener is logged once (not every interval), and its going away once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/selfcheck_lib.bash"

periodic_conf "$T/superd.conf"
start_superd "$T/superd.conf" || exit 1
check "audit runs right after start" wait_log 'selfcheck: status=OK'
socat TCP-LISTEN:8123,bind=0.0.0.0,fork,reuseaddr /dev/null &
stray=$!
check "a stray listener is logged" wait_log 'selfcheck: .*8123'
sleep 3.5
expect_eq "and logged once, not every interval" 1 \
	"$(grep 'selfcheck: ' "$LOG" | grep -v resolved= | grep -c '8123')"
kill $stray
wait $stray 2>/dev/null
check "its going away is logged" wait_log 'selfcheck: resolved=.*8123'
sleep 2
expect_eq "and that once too" 1 "$(grep -c 'selfcheck: resolved=.*8123' "$LOG")"
kill -HUP "$SUPERD_PID"
wait_log 'event=reload result=ok'
sleep 0.3
expect_eq "a reload schedules and runs the audit again" 2 \
	"$(grep -c 'event=selfcheck interval=1' "$LOG")"
finish
