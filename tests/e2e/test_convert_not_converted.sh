#!/bin/bash
# SPDX-License-Identifier: ISC
# --convert is loud about what it drops: each xinetd setting it cannot carry
# over is named on stderr as `file:line: not converted: SETTING: why`, the
# summary counts them, and --strict makes them exit 1.  xinetd's IPv4 plus
# IPv6 copies of one service convert to a config that starts and serves
# both families.
. "$(dirname "$0")/lib.sh"

D=$T/xinetd.d
mkdir -p "$D"
cat >"$D/fwd" <<EOF
service fwd
{
	socket_type	= stream
	wait		= no
	user		= nobody
	server		= /bin/cat
	redirect	= 192.0.2.7 7000
	port		= 7501
	type		= UNLISTED
}
EOF
cat >"$D/logged" <<EOF
service logged
{
	socket_type	= stream
	wait		= no
	user		= nobody
	server		= /bin/cat
	port		= 7502
	type		= UNLISTED
	log_type	= FILE /var/log/logged.log
	max_load	= 2.5
}
EOF
cat >"$D/facility" <<EOF
service facility
{
	socket_type	= stream
	wait		= no
	user		= nobody
	server		= /bin/cat
	port		= 7506
	type		= UNLISTED
	log_type	= SYSLOG authpriv
}
EOF
cat >"$D/wrapped" <<EOF
service wrapped
{
	socket_type	= stream
	wait		= no
	user		= nobody
	flags		= NAMEINARGS
	server		= /usr/sbin/tcpd
	server_args	= /bin/cat cat
	port		= 7503
	type		= UNLISTED
}
EOF

"$SUPERD" --convert "$D" >"$T/out.conf" 2>"$T/err"
rc=$?
expect_eq "--convert exits 0 without --strict" 0 "$rc"
err=$(cat "$T/err")
expect_match "redirect named with file and line" \
	"^$D/fwd:7: not converted: redirect: " "$err"
expect_match "log_type FILE named with file and line" \
	"$D/logged:9: not converted: log_type FILE /var/log/logged.log: superd logs to syslog" "$err"
expect_match "max_load named with file and line" \
	"$D/logged:10: not converted: max_load 2.5: superd does not watch the load average" "$err"
# tcpd stays a TCP wrappers check (under tcpd's name, cat); xinetd's own
# check under the service's name cannot be kept beside it.
expect_match "xinetd's wrappers name lost beside tcpd's, with file and line" \
	"$D/wrapped:7: not converted: server: xinetd's TCP wrappers check as wrapped" "$err"
expect_match "the tcpd service is still checked, as tcpd did" \
	'tcp_wrappers_name = "cat"' "$(cat "$T/out.conf")"
n=$(grep -c ': not converted: ' "$T/err")
expect_match "a syslog facility other than daemon named with file and line" \
	"$D/facility:9: not converted: log_type SYSLOG authpriv: superd logs to syslog, facility daemon" "$err"
expect_eq "five settings named on stderr" 5 "$n"
expect_match "stderr counts them" "convert: 5 lines and settings not carried over" "$err"
expect_match "the summary line counts them" "# 4 xinetd services read, 5 settings not carried over" "$(cat "$T/out.conf")"
check "the output is a valid config" quietly "$SUPERD" -t -c "$T/out.conf"

"$SUPERD" --convert "$D" --strict >/dev/null 2>"$T/err2"
expect_eq "--strict: exit 1 when a setting was dropped" 1 "$?"
expect_match "--strict says why it fails" "strict: exit 1" "$(cat "$T/err2")"

# A clean input: nothing on stderr, exit 0 even with --strict.
mkdir -p "$T/clean"
cat >"$T/clean/echo" <<EOF
service echo
{
	type		= INTERNAL
	id		= echo-stream
	socket_type	= stream
	wait		= no
	bind		= 127.0.0.1
}
EOF
"$SUPERD" --convert "$T/clean" --strict >/dev/null 2>"$T/err3"
expect_eq "--strict on a clean input exits 0" 0 "$?"
expect_eq "and prints nothing on stderr" "" "$(cat "$T/err3")"

# inetd.conf: a refused line and a tcpd server (the test's own: the parser
# wants the server to exist).
mkdir -p "$T/sbin" && cp /bin/true "$T/sbin/tcpd"
cat >"$T/inetd.conf" <<EOF
127.0.0.1:7504 stream tcp nowait nobody $T/sbin/tcpd /bin/cat
127.0.0.1:7505 stream sctp nowait nobody /bin/cat cat
EOF
"$SUPERD" --convert "$T/inetd.conf" >"$T/inetd.out" 2>"$T/inetd.err"
err=$(cat "$T/inetd.err")
expect_eq "inetd: tcpd is carried over (superd checks hosts.allow itself)" "" \
	"$(echo "$err" | grep "inetd.conf:1:")"
expect_match "inetd: a refused line named with file and line" \
	"$T/inetd.conf:2: not converted: line: " "$err"
expect_match "inetd: the summary counts them" "1 lines and settings not carried over" "$(cat "$T/inetd.out")"

# xinetd's IPv4 and IPv6 copies of one service: the converted config starts
# and serves both families.
mkdir -p "$T/dual"
cat >"$T/dual/daytime" <<EOF
service daytime
{
	type		= INTERNAL UNLISTED
	id		= daytime-v4
	socket_type	= stream
	wait		= no
	port		= 7513
	flags		= IPv4
}
service daytime
{
	type		= INTERNAL UNLISTED
	id		= daytime-v6
	socket_type	= stream
	wait		= no
	port		= 7513
	flags		= IPv6
}
EOF
"$SUPERD" --convert "$T/dual" >"$T/dual.conf" 2>"$T/dual.err"
expect_match "the IPv6 copy becomes IPv6-only" "protocol = tcp6" "$(cat "$T/dual.conf")"
start_superd "$T/dual.conf" || { fail "the converted dual-stack config starts"; finish; exit 1; }
pass "the converted dual-stack config starts"
expect_match "IPv4 answers" '[0-9]{4}' "$(nc -d -w2 127.0.0.1 7513)"
expect_match "IPv6 answers" '[0-9]{4}' "$(nc -d -w2 ::1 7513)"
finish
