#!/bin/bash
# SPDX-License-Identifier: ISC
# Quoted server arguments in inetd.conf, with Debian's meaning (it wins on
# Linux where Debian and the BSDs differ): openbsd-inetd splits at every
# blank and passes the quotes on as characters.  The load warns that
# FreeBSD's and NetBSD's inetd would group the words instead; a quote
# left open is no error, as in Debian.
. "$(dirname "$0")/lib.sh"

cat >"$T/inetd.conf" <<'CONF'
127.0.0.1:7621 stream tcp nowait nobody /usr/bin/printf printf <%s> "a b" 'c d' plain
127.0.0.1:7622 stream tcp nowait nobody /usr/bin/printf printf <%s> "open
CONF
start_superd "$T/inetd.conf" || exit 1
expect_eq "quotes reach the server as characters, split at blanks" \
	"<\"a><b\"><'c><d'><plain>" "$(nc -d -w2 127.0.0.1 7621)"
expect_eq "an open quote is an argument like any other" \
	"<\"open>" "$(nc -d -w2 127.0.0.1 7622)"
check "the load warns that the BSDs would group quoted words" \
	grep -q "inetd.conf:1: server arguments: quotes are passed on as characters.*FreeBSD" "$LOG"
stop_superd
finish
