#!/bin/bash
# SPDX-License-Identifier: ISC
# tcpmux (RFC 1078, kind_tcpmux.c): `tcpmux/NAME` and `tcpmux/+NAME` lines
# and native tcpmux = NAME share port 1.  help lists the names; a +
# service gets +Go; a plain one is started at once; an unknown name and an
# over-long line get a "-" line; what follows the name line reaches the
# service; the named service's access list applies.  Every refusal logged.
. "$(dirname "$0")/lib.sh"

# mux LINE: send LINE (already with its CRLF) to port 1, print the answer.
mux() {
	printf '%b' "$1" | nc -N -w3 127.0.0.1 1 | tr -d '\r'
}

cat >"$T/inetd.conf" <<CONF
tcpmux/+hello stream tcp nowait nobody /bin/echo echo hi
tcpmux/plain stream tcp nowait nobody /bin/echo echo plain
tcpmux/+cat stream tcp nowait nobody /bin/cat cat
#<off># tcpmux/+off stream tcp nowait nobody /bin/echo echo off
CONF
start_superd "$T/inetd.conf" || exit 1

check "port 1 is listened on, IPv4" wait_log 'event=listen service=tcpmux endpoint=0.0.0.0:1/tcp'
check "and IPv6 (plain tcp is both, as in Debian)" wait_log 'event=listen service=tcpmux endpoint=\[::\]:1/tcp6'
check "the port-1 listener logs the privileges it serves with: in-process (it starts no child of its own)" \
	wait_log 'event=listen service=tcpmux endpoint=0.0.0.0:1/tcp privileges=in-process'
expect_eq "help over IPv6" "hello plain cat" \
    "$(printf 'help\r\n' | nc -N -w3 ::1 1 | tr -d '\r' | xargs)"
expect_eq "a + service over IPv6" "+Go hi" \
    "$(printf 'hello\r\n' | nc -N -w3 ::1 1 | tr -d '\r' | xargs)"
expect_eq "help lists the enabled names" "hello plain cat" "$(mux 'help\r\n' | xargs)"
check "help is logged" wait_log 'service=tcpmux event=help peer=127.0.0.1'
expect_eq "a + service gets +Go, then the service" "+Go hi" "$(mux 'hello\r\n' | xargs)"
expect_eq "names ignore case" "+Go hi" "$(mux 'HeLLo\r\n' | xargs)"
expect_eq "a plain service is started without +Go" "plain" "$(mux 'plain\r\n')"
expect_eq "a bare LF ends the line too" "plain" "$(mux 'plain\n')"
expect_eq "what follows the name line reaches the service" "+Go|data after the line" \
    "$(mux 'cat\r\ndata after the line\n' | paste -sd'|')"
check "the start is logged under the tcpmux name's service" \
    wait_log 'service=tcpmux/\+hello event=start peer=127.0.0.1'
expect_eq "an unknown name gets a - line" "-Service not available" "$(mux 'nosuch\r\n')"
check "the unknown name is logged" \
    wait_log 'service=tcpmux event=refuse peer=127.0.0.1 reason=tcpmux-unknown-name'
expect_eq "a disabled name is unknown" "-Service not available" "$(mux 'off\r\n')"
long=$(head -c 300 /dev/zero | tr '\0' x)
expect_eq "an over-long line gets a - line" "-Line too long" "$(mux "$long\r\n")"
check "the over-long line is logged" \
    wait_log 'service=tcpmux event=refuse peer=127.0.0.1 reason=tcpmux-line-too-long'
printf 'hel' | nc -w1 127.0.0.1 1 >/dev/null
check "a client that leaves before the end of the line is logged" \
    wait_log 'reason=tcpmux-closed-before-name'

listing=$("$SUPERD" -c "$T/inetd.conf" --list)
expect_match "--list shows a tcpmux name" 'tcpmux/\+hello@0.0.0.0:1 +tcpmux +nowait' "$listing"
expect_match "--list shows the port-1 listener" '0.0.0.0:1 +tcp +nowait' "$listing"
expect_eq "the audit declares port 1 once per family" 2 \
    "$("$SUPERD" -c "$T/inetd.conf" --selfcheck --json --no-probe | jq '[.findings[] | select(.port == 1)] | length')"

# Reload: the names change, the port stays.
cat >"$T/inetd.conf" <<CONF
tcpmux/+hello stream tcp nowait nobody /bin/echo echo hi again
CONF
kill -HUP "$SUPERD_PID"
check "reload keeps port 1 (both families)" wait_log 'event=reload result=ok kept=2 opened=0 closed=0'
expect_eq "help after the reload" "hello" "$(mux 'help\r\n' | xargs)"
expect_eq "a removed name is unknown after the reload" "-Service not available" "$(mux 'plain\r\n')"
stop_superd

# Native tcpmux = NAME with its own access list.
cat >"$T/superd.conf" <<CONF
service greet {
	tcpmux = greet
	tcpmux_plus = yes
	bind = "127.0.0.1"
	user = nobody
	server = /bin/echo
	server_args = { "native" }
}
service secret {
	tcpmux = secret
	bind = "127.0.0.1"
	user = nobody
	server = /bin/echo
	server_args = { "secret" }
	only_from = { 127.0.0.2 }
}
CONF
start_superd "$T/superd.conf" || exit 1
expect_eq "native tcpmux_plus service" "+Go native" "$(mux 'greet\r\n' | xargs)"
expect_eq "the named service's access list refuses" "-Service not available now" \
    "$(mux 'secret\r\n')"
check "the refusal is logged with the service's reason" \
    wait_log 'service=secret event=refuse peer=127.0.0.1 reason=access-list'
# A client still sending its line when the port closes is told so.
(printf 'gre'; sleep 3) | nc -w5 127.0.0.1 1 >"$T/pending" &
pending=$!
for i in $(seq 1 100); do
	[ -n "$(ss -tnH state established '( sport = :1 )')" ] && break
	sleep 0.05
done
stop_superd
wait "$pending"
expect_eq "a pending client hears that the port closes" "-Service closing" \
    "$(tr -d '\r' <"$T/pending")"
check "and that is logged" grep -q 'reason=tcpmux-port-closed' "$LOG"

# xinetd's type = TCPMUX / TCPMUXPLUS through --convert, then served.
mkdir -p "$T/xinetd.d"
echo "includedir $T/xinetd.d" >"$T/xinetd.conf"
cat >"$T/xinetd.d/greet" <<CONF
service greet
{
	type		= TCPMUXPLUS
	socket_type	= stream
	protocol	= tcp
	wait		= no
	user		= nobody
	server		= /bin/echo
	server_args	= from xinetd
	port		= 1
}
service quiet
{
	type		= TCPMUX
	socket_type	= stream
	wait		= no
	user		= nobody
	server		= /bin/echo
	server_args	= quiet one
}
CONF
chmod -R a+rX "$T"
"$SUPERD" --convert "$T/xinetd.conf" >"$T/x.conf" 2>"$T/x.err"
expect_eq "--convert of TCPMUX services exits 0" 0 $?
check "TCPMUXPLUS becomes tcpmux_plus" grep -q 'tcpmux_plus = yes' "$T/x.conf"
check "the port of a tcpmux service is said, not carried over" \
    grep -q 'port 1: not carried over: a tcpmux service is reached through port 1' "$T/x.conf"
start_superd "$T/x.conf" || exit 1
expect_eq "converted TCPMUXPLUS service answers" "+Go from xinetd" "$(mux 'greet\r\n' | xargs)"
expect_eq "converted TCPMUX service answers without +Go" "quiet one" "$(mux 'quiet\r\n')"
stop_superd

# Refused at load, with file:line.
echo "tcpmux/w stream tcp wait nobody /bin/echo echo" >"$T/bad.conf"
out=$("$SUPERD" -t -c "$T/bad.conf" 2>&1)
expect_match "a wait tcpmux service is refused" \
    'bad.conf:1: tcpmux service w: must be nowait and run a program' "$out"
echo "tcpmux/u dgram udp wait nobody /bin/echo echo" >"$T/bad.conf"
out=$("$SUPERD" -t -c "$T/bad.conf" 2>&1)
expect_match "a udp tcpmux service is refused" \
    'bad.conf:1: tcpmux service u: needs a stream tcp socket' "$out"

finish
