#!/bin/bash
# SPDX-License-Identifier: ISC
# The daemon maps no library it does not use while serving: libnftables
# (the audit), libtirpc (rpcbind, in a child) and libwrap (with libnsl and
# Kerberos behind it) are opened when first needed.  With empty
# hosts.allow and hosts.deny, or rules by address only, a wrapped service
# needs no libwrap; a rule that needs a host name and appears while the
# daemon runs loads it then and is enforced; with one at start it is
# loaded at start.  The trimmed resident text comes
# back on use: services answer after the trim.
. "$(dirname "$0")/lib.sh"

for f in /etc/hosts.allow /etc/hosts.deny; do
	[ -e "$f" ] || skip "$f does not exist to bind-mount over (install tcpd)"
done
: >"$T/hosts.allow"
: >"$T/hosts.deny"
for f in hosts.allow hosts.deny; do
	mount --bind "$T/$f" "/etc/$f" || skip "cannot bind-mount /etc/$f"
done
cat >"$T/inetd.conf" <<CONF
echo	stream	tcp4	nowait	root	internal
7411	stream	tcp4	nowait	root	/bin/echo	echo hi
CONF

# mapped LIB: whether the daemon maps a library whose name starts with LIB.
mapped() {
	grep -q "/$1[^/]*\$" /proc/"$SUPERD_PID"/maps
}
tcp() {
	echo x | socat -t2 - "TCP:127.0.0.1:$1,bind=$2" 2>/dev/null
}

start_superd "$T/inetd.conf" || exit 1
libs="libnftables libtirpc libwrap libnsl libkrb5 libgssapi"
# The sanitizer build links libtirpc (and, behind it, Kerberos) at start,
# for ASan's xdr interceptors (Makefile): not checked there.
if ldd "$SUPERD" | grep -q libasan; then
	echo "sanitizer build: libtirpc, libkrb5 and libgssapi are linked at start"
	libs="libnftables libwrap libnsl"
fi
for lib in $libs; do
	check "idle daemon does not map $lib" bash -c "! grep -q '/$lib[^/]*\$' /proc/$SUPERD_PID/maps"
done
expect_eq "command service answers after the trim" hi "$(tcp 7411 127.0.0.1)"
expect_eq "builtin answers after the trim" x "$(tcp 7 127.0.0.1)"
check "no rules: libwrap still not mapped after connections" bash -c "! grep -q '/libwrap' /proc/$SUPERD_PID/maps"

# An address rule appears while the daemon runs: decided in memory, with
# no libwrap.
echo 'ALL: 127.0.0.2' >"$T/hosts.deny"
check "the new rule is read" wait_log 'event=tcp-wrappers action=read why=changed rules=1 decided=in-daemon'
expect_eq "rule added at run time refuses the builtin" "" "$(tcp 7 127.0.0.2)"
expect_eq "rule added at run time refuses the command" "" "$(tcp 7411 127.0.0.2)"
expect_eq "another source is still served" x "$(tcp 7 127.0.0.1)"
check "refusal logged as tcp-wrappers" wait_log 'reason=tcp-wrappers'
check "an address rule needs no libwrap" bash -c "! grep -q '/libwrap' /proc/$SUPERD_PID/maps"

# A rule that needs a host name (LOCAL): libwrap is loaded and enforces it.
echo 'ALL: 127.0.0.2 LOCAL' >"$T/hosts.deny"
check "the host name rule is read" wait_log 'event=tcp-wrappers action=read why=changed rules=1 decided=by-libwrap'
check "libwrap mapped once a rule needs it" mapped libwrap
expect_eq "the builtin is refused" "" "$(tcp 7 127.0.0.2)"
expect_eq "another source is still served" x "$(tcp 7 127.0.0.1)"
stop_superd

# Such a rule at start: libwrap is loaded with the config.
start_superd "$T/inetd.conf" || exit 1
check "libwrap mapped at start when a rule exists" mapped libwrap
expect_eq "rule at start refuses" "" "$(tcp 7 127.0.0.2)"
stop_superd

# No wrapped service: no libwrap even with rules.
printf 'service echo {\n\tinternal = yes\n\tprotocol = tcp4\n\ttcp_wrappers = no\n}\n' >"$T/off.conf"
start_superd "$T/off.conf" || exit 1
check "tcp_wrappers = no: libwrap not mapped" bash -c "! grep -q '/libwrap' /proc/$SUPERD_PID/maps"
expect_eq "tcp_wrappers = no: served" x "$(tcp 7 127.0.0.2)"
finish
