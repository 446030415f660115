#!/bin/bash
# SPDX-License-Identifier: ISC
# Quoted server arguments in inetd.conf, as FreeBSD's and NetBSD's inetd
# read them: a quoted part stays one argument, its quotes removed; the
# load says that Debian's inetd would pass the quotes on; a quote left
# open fails the file with file:line.
. "$(dirname "$0")/lib.sh"

cat >"$T/inetd.conf" <<'CONF'
127.0.0.1:7621 stream tcp nowait nobody /usr/bin/printf printf "<%s>" "a b" 'c  d' e"f g" plain
CONF
start_superd "$T/inetd.conf" || exit 1
expect_eq "a quoted argument reaches the server as one word" \
	"<a b><c  d><ef g><plain>" "$(nc -d -w2 127.0.0.1 7621)"
check "the load warns that Debian's inetd reads quotes otherwise" \
	grep -q "inetd.conf:1: server arguments: quotes group words.*Debian" "$LOG"
stop_superd

printf '127.0.0.1:7622 stream tcp nowait nobody /bin/echo echo "a b\n' >"$T/open.conf"
out=$("$SUPERD" -t -c "$T/open.conf" 2>&1)
expect_eq "an unclosed quote fails the check" 1 "$?"
expect_match "and names file:line" 'open\.conf:1: server arguments: a double quote \(") is not closed' "$out"
finish
