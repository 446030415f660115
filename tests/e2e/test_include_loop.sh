#!/bin/bash
# SPDX-License-Identifier: ISC
# Include loops are refused with file:line, at once: a directory whose
# files include that directory again (it blew up factorially: still
# loading after 60 s), a file including itself through another, includes
# nested more than 8 deep, and more than 256 files in one configuration.
# `timeout 10` only guards against a hang; it is not a timing assertion.
. "$(dirname "$0")/lib.sh"

# check_conf NAME FILE REGEX: superd -t refuses FILE, saying REGEX.
check_conf() {
	local out rc
	out=$(timeout 10 "$SUPERD" -t -c "$2" 2>&1)
	rc=$?
	if [ "$rc" = 124 ]; then
		fail "$1: still loading after 10 s"
		return
	fi
	check "$1: refused" test "$rc" -ne 0
	expect_match "$1: says why with file:line" "$3" "$out"
	expect_eq "$1: nothing listens" "" "$(ss -ltnuH)"
}

# A directory of 8 files, each including the directory again.
D=$T/loop.d
mkdir "$D"
for i in 1 2 3 4 5 6 7 8; do
	printf 'include = "%s"\nservice s%d {\n\tprotocol = tcp\n\tport = %d\n\tbind = "127.0.0.1"\n\tinternal = echo\n}\n' \
		"$D" "$i" $((7400 + i)) >"$D/$i.conf"
done
printf 'include = "%s"\n' "$D" >"$T/top.conf"
check_conf "a directory including itself" "$T/top.conf" \
	"loop\.d/1\.conf:1: include $D: an include loop: this directory is already being read"
out=$(timeout 10 "$SUPERD" -t -c "$T/top.conf" 2>&1)
expect_eq "one error per file of the directory, not a factorial" 8 \
	"$(grep -c 'an include loop' <<<"$out")"

# The same through includedir-style nesting: D1/a.conf includes D2, whose
# file includes D1.
mkdir "$T/d1" "$T/d2"
printf 'include = "%s"\n' "$T/d2" >"$T/d1/a.conf"
printf 'include = "%s"\n' "$T/d1" >"$T/d2/b.conf"
printf 'include = "%s"\n' "$T/d1" >"$T/top2.conf"
check_conf "two directories including each other" "$T/top2.conf" \
	"d2/b\.conf:1: include $T/d1: an include loop"

# A file including itself through another.
printf 'include = "%s"\n' "$T/f2.conf" >"$T/f1.conf"
printf 'include = "%s"\n' "$T/f1.conf" >"$T/f2.conf"
check_conf "a file including itself through another" "$T/f1.conf" \
	"f2\.conf:1: include $T/f1\.conf: includes itself"

# Nesting: 10 files in a chain.
for i in $(seq 0 9); do
	printf 'include = "%s"\n' "$T/n$((i + 1)).conf" >"$T/n$i.conf"
done
: >"$T/n10.conf"
check_conf "includes nested more than 8 deep" "$T/n0.conf" \
	"n8\.conf:1: include $T/n9\.conf: nested more than 8 deep"

# The total: a directory of 300 files.
mkdir "$T/many.d"
for i in $(seq 300); do : >"$T/many.d/$i.conf"; done
printf 'include = "%s"\n' "$T/many.d" >"$T/many.conf"
check_conf "more than 256 files" "$T/many.conf" \
	"many\.conf:1: include $T/many\.d/[0-9]+\.conf: more than 256 files in one configuration"
out=$(timeout 10 "$SUPERD" -t -c "$T/many.conf" 2>&1)
expect_eq "the limit is said once" 1 "$(grep -c 'more than 256 files' <<<"$out")"

# Within the limits, includes still work.
rm "$T/many.d"/2??.conf
out=$(timeout 10 "$SUPERD" -t -c "$T/many.conf" 2>&1)
expect_eq "200 files are read" 0 $?
finish
