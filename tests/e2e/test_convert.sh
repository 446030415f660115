#!/bin/bash
# SPDX-License-Identifier: ISC
# superd --convert: an xinetd configuration (xinetd.conf with includedir)
# becomes a superd.conf that --check-config accepts and that serves.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/xinetd.d"
cat >"$T/xinetd.conf" <<CONF
defaults
{
	instances	= 30
	log_on_success	= HOST PID
	log_on_failure	= HOST USERID
	log_type	= SYSLOG daemon info
	only_from	= 127.0.0.0/8
}

includedir $T/xinetd.d
CONF
cat >"$T/xinetd.d/echo" <<CONF
service echo
{
	type		= INTERNAL
	id		= echo-stream
	socket_type	= stream
	protocol	= tcp
	user		= root
	wait		= no
	bind		= 127.0.0.1
}
CONF
cat >"$T/xinetd.d/hello" <<CONF
service hello
{
	type		= UNLISTED
	socket_type	= stream
	protocol	= tcp
	port		= 7070
	wait		= no
	user		= nobody
	server		= /bin/echo
	server_args	= hello from xinetd
	bind		= 127.0.0.1
	flags		= NODELAY
}
CONF
cat >"$T/xinetd.d/legacy" <<CONF
service legacy
{
	type		= RPC
	socket_type	= dgram
	protocol	= udp
	wait		= yes
	user		= root
	server		= /usr/sbin/rpc.rstatd
	rpc_version	= 2-4
}
CONF
cp "$T/xinetd.d/hello" "$T/xinetd.d/hello.dpkg-old"
chmod -R a+rX "$T"

"$SUPERD" --convert "$T/xinetd.conf" >"$T/converted.conf" 2>"$T/convert.err"
check "--convert exits 0" test $? -eq 0
check "RPC service is commented out with the reason" \
	grep -q '^# NOT CONVERTED: type = RPC' "$T/converted.conf"
check "a file xinetd skips is converted, disabled, and said" \
	grep -q "hello.dpkg-old (its name contains" "$T/converted.conf"
check "USERID logging is a comment" \
	grep -q 'log_on_failure USERID: not logged' "$T/converted.conf"
out=$("$SUPERD" -t -c "$T/converted.conf" 2>&1)
check "the converted file passes --check-config" test $? -eq 0
expect_match "check lists the converted endpoints" \
	'127.0.0.1:7070 +tcp' "$out"

"$SUPERD" --convert "$T/xinetd.d" >"$T/dir.conf" 2>/dev/null
check "--convert of a directory exits 0" test $? -eq 0
check "a directory converts too" grep -q 'service "hello"' "$T/dir.conf"

start_superd "$T/converted.conf" || exit 1
expect_eq "converted command service answers" "hello from xinetd" \
	"$(nc -N -w2 127.0.0.1 7070 </dev/null)"
expect_eq "converted builtin echo answers" "ping" \
	"$(echo ping | nc -N -w2 127.0.0.1 7)"
stop_superd
finish
