#!/bin/bash
# SPDX-License-Identifier: ISC
# Run every end-to-end test; print one closing line with the counts.
cd "$(dirname "$0")" || exit 1
pass=0 fail=0 skipped=0 failed=
for t in test_*.sh selfcheck_*.sh; do
	[ -e "$t" ] || continue
	echo "=== $t"
	# A test that needs more than 300 s on a loaded machine says so in a
	# "# TIMEOUT: SECONDS" line (the periodic audit runs at nice 19).
	limit=$(sed -n 's/^# TIMEOUT: \([0-9][0-9]*\).*/\1/p' "$t" | head -1)
	timeout "${limit:-300}" bash "$t"
	rc=$?
	[ $rc -eq 124 ] && echo "TIMEOUT: $t was stopped after ${limit:-300} s"
	case $rc in
	0) pass=$((pass + 1)) ;;
	77) skipped=$((skipped + 1)) ;;
	*) fail=$((fail + 1)); failed="$failed $t" ;;
	esac
done
[ -n "$failed" ] && echo "failed:$failed"
echo "e2e: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
