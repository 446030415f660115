#!/bin/bash
# SPDX-License-Identifier: ISC
# Regression: a native service named "x y=z" was accepted, and every log
# line about it read "service=x y=z ...", a forged y=z field.  A name that
# cannot stand unquoted in a log field is refused at file:line.
. "$(dirname "$0")/lib.sh"

for name in 'x y=z' 'a=b' 'q\"x' 'tab	x'; do
	printf 'service "%s" {\n port = 7410\n protocol = tcp\n internal = echo\n bind = 127.0.0.1\n}\n' \
		"$name" >"$T/bad.conf"
	out=$("$SUPERD" -t -c "$T/bad.conf" 2>&1)
	check "name '$name' is refused" test $? -ne 0
	expect_match "and the error names file:line" "bad.conf:1: service name has" "$out"
done
out=$("$SUPERD" -f -p - -c "$T/bad.conf" 2>&1)
check "the daemon does not start with it" test $? -ne 0
expect_eq "and opens nothing" "" "$(ss -ltnuH)"

printf 'service "echo-1.v2_x" {\n port = 7410\n protocol = tcp\n internal = echo\n bind = 127.0.0.1\n}\n' >"$T/good.conf"
"$SUPERD" -t -c "$T/good.conf" >/dev/null 2>&1
check "a one-word name with - . _ is accepted" test $? -eq 0
finish
