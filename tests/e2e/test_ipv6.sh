#!/bin/bash
# SPDX-License-Identifier: ISC
# IPv6: tcp6/udp6 are v6-only, tcp46/udp46 serve both families; the child
# sees IPv4 peers of a dual-stack socket as IPv4.
. "$(dirname "$0")/lib.sh"
private_copies

cat >"$T/inetd.conf" <<CONF
[::1]:echo  stream tcp6  nowait root internal
[::1]:echo  dgram  udp6  wait   root internal
7100        stream tcp6  nowait nobody /bin/cat cat
7200        stream tcp46 nowait nobody $HELPERS/report report
daytime     dgram  udp46 wait   root internal
CONF
start_superd "$T/inetd.conf" || exit 1

expect_eq "tcp6 echo on ::1" "six" "$(echo six | nc -N -w2 ::1 7)"
expect_eq "udp6 echo on ::1" "six" "$(echo six | nc -u -w1 ::1 7)"
expect_eq "tcp6 wildcard serves IPv6" "v6" "$(echo v6 | nc -N -w2 ::1 7100)"
expect_eq "tcp6 wildcard is v6-only: IPv4 is refused" "" \
	"$(echo v4 | nc -N -w2 127.0.0.1 7100 2>/dev/null)"
expect_eq "tcp46 serves IPv4, seen as IPv4" "env TCPREMOTEIP=127.0.0.1" \
	"$(nc -d -w2 127.0.0.1 7200 | grep TCPREMOTEIP)"
expect_eq "tcp46 serves IPv6" "env TCPREMOTEIP=::1" \
	"$(nc -d -w2 ::1 7200 | grep TCPREMOTEIP)"
expect_eq "a wildcard bind reports the address the client reached, as IPv4" \
	"env TCPLOCALIP=127.0.0.1" "$(nc -d -w2 127.0.0.1 7200 | grep TCPLOCALIP)"
expect_eq "and as IPv6" "env TCPLOCALIP=::1" "$(nc -d -w2 ::1 7200 | grep TCPLOCALIP)"
expect_match "udp46 daytime answers IPv4" '[0-9]{4}' "$(echo | nc -u -w1 127.0.0.1 13)"
expect_match "udp46 daytime answers IPv6" '[0-9]{4}' "$(echo | nc -u -w1 ::1 13)"
expect_match "ss shows tcp46 as dual-stack (*)" ' \*:7200 ' "$(ss -ltnH)"
expect_match "ss shows tcp6 as v6-only ([::])" ' \[::\]:7100 ' "$(ss -ltnH)"
finish
