#!/bin/bash
# SPDX-License-Identifier: ISC
# Run every end-to-end test; print one closing line with the counts.
cd "$(dirname "$0")" || exit 1
pass=0 fail=0 skipped=0 failed=
for t in test_*.sh selfcheck_*.sh; do
	[ -e "$t" ] || continue
	echo "=== $t"
	timeout 300 bash "$t"
	rc=$?
	case $rc in
	0) pass=$((pass + 1)) ;;
	77) skipped=$((skipped + 1)) ;;
	*) fail=$((fail + 1)); failed="$failed $t" ;;
	esac
done
[ -n "$failed" ] && echo "failed:$failed"
echo "e2e: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
