#!/bin/bash
# SPDX-License-Identifier: ISC
# TCP wrappers: /etc/hosts.allow and /etc/hosts.deny (this test's own,
# bind-mounted in its mount namespace) decide for builtins, a command
# service and UDP services, by address, network, ALL, EXCEPT and host name
# (an /etc/hosts of the namespace, no DNS); refusals are logged with
# reason=tcp-wrappers and counted; tcp_wrappers = no turns it off.
. "$(dirname "$0")/lib.sh"

for f in /etc/hosts.allow /etc/hosts.deny; do
	[ -e "$f" ] || skip "$f does not exist to bind-mount over (install tcpd)"
done
private_copies
: >"$T/hosts.allow"
: >"$T/hosts.deny"
printf '127.0.0.1 localhost\n127.0.0.5 wraphost\n' >"$T/hosts"
printf 'hosts: files\n' >"$T/nsswitch.conf"
for f in hosts.allow hosts.deny hosts nsswitch.conf; do
	mount --bind "$T/$f" "/etc/$f" || skip "cannot bind-mount /etc/$f"
done

cat >"$T/inetd.conf" <<CONF
echo	stream	tcp	nowait	root	internal
7401	stream	tcp4	nowait	nobody	/bin/cat	cat
daytime	dgram	udp4	wait	root	internal
7402	dgram	udp4	wait	nobody	$HELPERS/dgramwait	dgramwait
CONF
cat >"$T/off.conf" <<CONF
service echo {
	internal = yes
	protocol = tcp4
	tcp_wrappers = no
}
CONF

# tcp FROM PORT: what a line sent from FROM to 127.0.0.1:PORT brings back.
tcp() {
	echo "$2" | socat -t2 - "TCP:127.0.0.1:$2,bind=$1" 2>/dev/null
}
# tcp6 PORT: the same over ::1.
tcp6() {
	echo "$1" | socat -t2 - "TCP:[::1]:$1" 2>/dev/null
}
# udp FROM PORT: the answer to a datagram from FROM.
udp() {
	echo x | socat -t1 - "UDP:127.0.0.1:$2,bind=$1" 2>/dev/null
}

# Rules by address, network, ALL and EXCEPT; everything else denied.
cat >"$T/hosts.allow" <<'RULES'
# builtins are checked as the service name, commands as the server's basename
echo: 127.0.0.1, [::1]
cat: 127.0.0.0/255.255.255.0 EXCEPT 127.0.0.3
daytime: ALL EXCEPT 127.0.0.2
dgramwait: 127.0.0.1
RULES
echo 'ALL: ALL' >"$T/hosts.deny"
start_superd "$T/inetd.conf" || exit 1

expect_eq "builtin: allowed address" 7 "$(tcp 127.0.0.1 7)"
expect_eq "builtin: allowed IPv6 address" 7 "$(tcp6 7)"
expect_eq "builtin: an address not allowed is denied (ALL: ALL)" "" \
	"$(tcp 127.0.0.2 7)"
check "the refusal is logged with reason=tcp-wrappers" \
	wait_log 'service=echo event=refuse peer=127\.0\.0\.2 reason=tcp-wrappers'
expect_eq "command: allowed by network" 7401 "$(tcp 127.0.0.4 7401)"
expect_eq "command: EXCEPT denies" "" "$(tcp 127.0.0.3 7401)"
check "the command refusal is logged" \
	wait_log 'service=7401 event=refuse peer=127\.0\.0\.3 reason=tcp-wrappers'
expect_match "udp builtin: ALL EXCEPT lets others in" '[0-9]{2}:[0-9]{2}' \
	"$(udp 127.0.0.1 13)"
expect_eq "udp builtin: the EXCEPTed address gets no answer" "" \
	"$(udp 127.0.0.2 13)"
expect_match "udp command (wait): allowed address served" '^served pid=' \
	"$(udp 127.0.0.1 7402)"
expect_eq "udp command (wait): other address dropped" "" \
	"$(udp 127.0.0.6 7402)"
check "the udp refusals are logged" \
	wait_log 'service=7402 event=refuse peer=127\.0\.0\.6 reason=tcp-wrappers'
expect_match "udp command (wait): served again after a refusal" \
	'^served pid=' "$(udp 127.0.0.1 7402)"
kill -USR1 "$SUPERD_PID"
check "refusals are counted per service" \
	wait_log 'event=dump service=echo endpoint=0\.0\.0\.0:7/tcp .*refused_tcp-wrappers=1'

# A rule by host name: the command service's child resolves it (the daemon
# never waits on a lookup); the builtins still decide by address.
echo 'ALL EXCEPT cat: ALL' >"$T/hosts.allow"
printf 'cat: wraphost\n' >"$T/hosts.deny"
check "the edited rules are read (inotify), left to libwrap" \
	wait_log 'event=tcp-wrappers action=read why=changed rules=2 decided=by-libwrap'
expect_eq "host name rule: the named host is denied" "" "$(tcp 127.0.0.5 7401)"
check "and logged from the child's exit" \
	wait_log 'service=7401 event=refuse peer=127\.0\.0\.5 reason=tcp-wrappers'
check "the child's end says why" \
	wait_log 'service=7401 event=end .*exit=118 refused=tcp-wrappers'
expect_eq "host name rule: another host is served" 7401 "$(tcp 127.0.0.4 7401)"
expect_eq "builtins are not affected by the command's rule" 7 \
	"$(tcp 127.0.0.5 7)"
stop_superd

# tcp_wrappers = no: the native switch turns the check off.
echo 'ALL: ALL' >"$T/hosts.deny"
: >"$T/hosts.allow"
start_superd "$T/off.conf" || exit 1
expect_eq "tcp_wrappers = no: served despite ALL: ALL" 7 "$(tcp 127.0.0.2 7)"
stop_superd
finish
