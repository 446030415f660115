#!/bin/bash
# SPDX-License-Identifier: ISC
# Regression: `superd -t` said OK for a bind address ::ffff:127.0.0.1 on an
# IPv6-only socket (protocol tcp, tcp6, udp), and then the start failed with
# EINVAL.  -t refuses what start would refuse, at file:line; tcp46 (not
# IPv6-only) binds it and serves IPv4 clients.
. "$(dirname "$0")/lib.sh"

for p in tcp tcp6 udp; do
	printf 'service e {\n port = 7412\n protocol = %s\n internal = echo\n bind = "::ffff:127.0.0.1"\n}\n' \
		"$p" >"$T/m.conf"
	out=$("$SUPERD" -t -c "$T/m.conf" 2>&1)
	check "protocol $p: -t refuses the v4-mapped bind" test $? -ne 0
	expect_match "and names file:line and the cause" \
		"m.conf:1: service e: bind address ::ffff:127.0.0.1 is IPv4-mapped" "$out"
done
printf '[::ffff:127.0.0.1]:7412 stream tcp6 nowait root internal echo\n' >"$T/i.conf"
out=$("$SUPERD" -t -c "$T/i.conf" 2>&1)
check "inetd.conf tcp6: refused too" test $? -ne 0
expect_match "with file:line" "i.conf:1: .*IPv4-mapped" "$out"

printf 'service e {\n port = 7412\n protocol = tcp46\n internal = echo\n bind = "::ffff:127.0.0.1"\n}\n' >"$T/ok.conf"
"$SUPERD" -t -c "$T/ok.conf" >/dev/null 2>&1
check "tcp46: -t accepts it" test $? -eq 0
start_superd "$T/ok.conf" || exit 1
expect_eq "and the daemon serves it to an IPv4 client" "hi" \
	"$(echo hi | nc -N -w2 127.0.0.1 7412)"
stop_superd
finish
