#!/bin/bash
# SPDX-License-Identifier: ISC
# TCP wrappers read no file per connection: with rules the address
# decides, the daemon (traced with strace) opens and stats neither
# /etc/hosts.allow nor /etc/hosts.deny while it accepts, allows and
# refuses; it reads them again when one changes (inotify), and the edit
# takes effect once that read is logged; a reload reads them too; libwrap
# is not even loaded for such rules.  A host name rule leaves commands to
# libwrap in their child, builtins still to memory; a netgroup, to libwrap.
. "$(dirname "$0")/lib.sh"

command -v strace >/dev/null || skip "strace is not installed"
for f in /etc/hosts.allow /etc/hosts.deny; do
	[ -e "$f" ] || skip "$f does not exist to bind-mount over (install tcpd)"
done
: >"$T/hosts.allow"
echo 'echo: 127.0.0.2' >"$T/hosts.deny"
for f in hosts.allow hosts.deny; do
	mount --bind "$T/$f" "/etc/$f" || skip "cannot bind-mount /etc/$f"
done
cat >"$T/inetd.conf" <<CONF
echo	stream	tcp4	nowait	root	internal
7631	stream	tcp4	nowait	nobody	/bin/echo	echo	served
CONF

# tcp FROM PORT: what a line sent from FROM to 127.0.0.1:PORT brings back.
tcp() {
	echo "$2" | socat -t2 - "TCP:127.0.0.1:$2,bind=$1" 2>/dev/null
}
# hosts_reads: lines of the trace that name hosts.allow or hosts.deny.
hosts_reads() {
	grep -c 'hosts\.\(allow\|deny\)' "$T/strace.out"
}
# trace: strace the daemon (and its children) into $T/strace.out, pid in
# STRACE; wait (bounded) until it sees a connection.
trace() {
	: >"$T/strace.out"
	strace -f -qq -p "$SUPERD_PID" -e trace=%file,%stat,accept4 \
		-o "$T/strace.out" 2>"$T/strace.err" &
	STRACE=$!
	for i in $(seq 1 100); do
		grep -q accept4 "$T/strace.out" 2>/dev/null && return 0
		tcp 127.0.0.1 7 >/dev/null
		sleep 0.05
	done
	kill "$STRACE" 2>/dev/null
	skip "strace cannot trace the daemon here: $(head -c 200 "$T/strace.err")"
}

start_superd "$T/inetd.conf" || exit 1
check "the rules are read at start, decided in the daemon" \
	wait_log 'event=tcp-wrappers action=read why=load rules=1 decided=in-daemon'
trace

for i in 1 2 3 4 5; do
	expect_eq "builtin allowed ($i)" 7 "$(tcp 127.0.0.1 7)"
	expect_eq "builtin refused ($i)" "" "$(tcp 127.0.0.2 7)"
	expect_eq "command allowed ($i)" served "$(tcp 127.0.0.1 7631)"
done
check "refusals are logged with reason=tcp-wrappers" \
	wait_log 'service=echo event=refuse peer=127\.0\.0\.2 reason=tcp-wrappers'
expect_eq "no open or stat of hosts.allow or hosts.deny per connection" 0 "$(hosts_reads)"
check "address rules need no libwrap in the daemon" bash -c "! grep -q '/libwrap' /proc/$SUPERD_PID/maps"
check "the trace did see the connections" test "$(grep -c accept4 "$T/strace.out")" -ge 15

# An edit in place (as an editor without rename writes it) is read once.
n=$(grep -c 'why=changed' "$LOG")
echo 'echo: 127.0.0.3' >"$T/hosts.deny"
for i in $(seq 1 100); do [ "$(grep -c 'why=changed' "$LOG")" -gt "$n" ] && break; sleep 0.05; done
check "the change is read (logged)" test "$(grep -c 'why=changed' "$LOG")" -gt "$n"
expect_eq "after it, the address the old rule refused is served" 7 "$(tcp 127.0.0.2 7)"
expect_eq "and the newly named one refused" "" "$(tcp 127.0.0.3 7)"
reads=$(hosts_reads)
check "the change was read from the files" test "$reads" -gt 0
for i in 1 2 3; do tcp 127.0.0.1 7 >/dev/null; tcp 127.0.0.3 7 >/dev/null; done
expect_eq "and still nothing read per connection after it" "$reads" "$(hosts_reads)"
kill "$STRACE" 2>/dev/null
wait "$STRACE" 2>/dev/null

# A reload reads them again.
n=$(grep -c 'action=read why=load' "$LOG")
kill -HUP "$SUPERD_PID"
check "a reload is done" wait_log 'event=reload result=ok'
check "and read the rules again" test "$(grep -c 'action=read why=load' "$LOG")" -gt "$n"

# A rule that needs a host name: libwrap decides for commands (in their
# child); a builtin, whose client's host name is taken as unknown, is
# still decided from memory, with no file read.
echo 'echo: localhost' >"$T/hosts.deny"
check "a host name rule is left to libwrap for commands, not for builtins" \
	wait_log 'event=tcp-wrappers action=read why=changed rules=1 decided=by-libwrap builtins=in-daemon'
trace
expect_eq "builtin: served (the rule names a host, the name is unknown)" 7 "$(tcp 127.0.0.1 7)"
expect_eq "builtin: still no file read per connection" 0 "$(hosts_reads)"
kill "$STRACE" 2>/dev/null
wait "$STRACE" 2>/dev/null

# A netgroup needs a lookup even for a builtin: libwrap decides.
echo 'echo: @nosuchgroup' >"$T/hosts.deny"
check "a netgroup rule is left to libwrap for builtins too" \
	wait_log 'event=tcp-wrappers action=read why=changed rules=1 decided=by-libwrap builtins=by-libwrap'
finish
